import type { AgreementTerms } from "~/domain/agreement";
import { categoryName, type CategoryDefinition } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { BUDGET_CATEGORIES, type ProposalSnapshot } from "~/domain/proposals";
import { formatScore } from "~/domain/ranking";
import { COMPONENTS as RANKING_COMPONENTS, type OrgRankingRow } from "~/domain/org-ranking";
import { formatDateTime, translate, type Locale } from "~/lib/i18n";
import { PdfWriter } from "~/lib/pdf.server";
import { barText, reportSections, reportTitle, valueText, type ReportFigures } from "~/domain/reports";

/**
 * The printed documents (docs/decisions/032), each drawn by the toolkit in lib/pdf.server.ts
 * from plain data its loader in documents.server.ts (or projects/agreement-pdf.server.ts) has
 * read and authorized: no I/O here, so the same data gives the same bytes.
 */

type Named = { nameZh: string; nameEn: string };
const nameIn = (locale: Locale, x: Named) => (locale === "en" ? x.nameEn : x.nameZh);
const list = (locale: Locale, items: readonly string[]) => items.join(locale === "en" ? ", " : "、");

/** 出具单位: the area's office and the foundation that runs the round. */
export function issuerOf(locale: Locale, area: Named, foundation: Named): string {
  return `${nameIn(locale, area)} · ${nameIn(locale, foundation)}`;
}

// ───────────────────────────── 公示: the public notice ─────────────────────────────

export interface NoticeDocument {
  round: { code: string; title: string; noticeDays: number };
  area: Named;
  foundation: Named;
  publishedAt: Date;
  /** when the awards became final (the notice over), or null while it runs */
  finalizedAt: Date | null;
  /** the notice period: the earliest start and the latest end of its items */
  startsAt: Date;
  endsAt: Date;
  /** where objections are filed online (the notice page) */
  objectionUrl: string;
  awards: {
    rank: number;
    referenceNo: string;
    title: string;
    organization: string;
    community: Named | null;
    awardFen: number;
    outcome: string;
    restarted: boolean;
  }[];
  /** the SHA-256 of the data above (canonical JSON), on every page */
  sha256: string;
  /** the last change the notice shows (publication, a restarted item): the PDF's date */
  asOf: Date;
}

export function renderNoticePdf(d: NoticeDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const issuer = issuerOf(locale, d.area, d.foundation);
  const w = new PdfWriter({
    locale,
    title: `${d.round.title} ${t("doc.notice.title")}`,
    issuer,
    reference: d.round.code,
    fingerprint: { label: t("doc.notice.fingerprint"), sha256: d.sha256 },
    date: d.asOf,
  });
  w.title(t("doc.notice.title"), `${d.round.code} · ${d.round.title}`);
  w.paragraph(t("doc.notice.intro", { round: d.round.title, code: d.round.code, days: d.round.noticeDays }));
  w.fields([
    [t("doc.notice.issuer"), issuer],
    [t("doc.notice.period"), t("doc.notice.periodValue", { start: formatDateTime(locale, d.startsAt), end: formatDateTime(locale, d.endsAt) })],
    [t("doc.notice.deadline"), `${formatDateTime(locale, d.endsAt)}`],
  ]);
  w.heading(t("doc.notice.list"));
  w.table(
    [
      { header: t("doc.notice.col.rank"), width: 0.6, align: "center" },
      { header: t("doc.notice.col.reference"), width: 1.5 },
      { header: t("doc.notice.col.project"), width: 2.4 },
      { header: t("doc.notice.col.organization"), width: 2.1 },
      { header: t("doc.notice.col.community"), width: 1.3 },
      { header: t("doc.notice.col.amount"), width: 1.5, align: "right" },
      { header: t("doc.notice.col.outcome"), width: 1.5 },
    ],
    d.awards.map((a) => [
      String(a.rank),
      a.referenceNo,
      a.title,
      a.organization,
      a.community ? nameIn(locale, a.community) : "—",
      formatFen(a.awardFen),
      `${t(`results.outcome.${a.outcome}`)}${a.restarted ? `\n${t("doc.notice.restarted")}` : ""}`,
    ]),
  );
  const funded = d.awards.filter((a) => a.awardFen > 0);
  w.paragraph(t("doc.notice.total", { count: funded.length, amount: formatFen(funded.reduce((s, a) => s + a.awardFen, 0)) }));
  w.heading(t("doc.notice.objections"));
  if (d.finalizedAt) w.paragraph(t("doc.notice.final", { date: formatDateTime(locale, d.finalizedAt) }));
  else w.paragraph(t("doc.notice.channel", { deadline: formatDateTime(locale, d.endsAt), url: d.objectionUrl, issuer }));
  w.signatures(t("doc.notice.signatures"), [
    { party: t("doc.notice.party"), name: issuer, recorded: [t("doc.notice.published", { date: formatDateTime(locale, d.publishedAt) })], seal: true },
  ]);
  return w.end();
}

// ───────────────────────────── 申报书: the proposal as filed ─────────────────────────────

export interface ProposalDocument {
  snapshot: ProposalSnapshot;
  snapshotSha256: string;
  categories: readonly CategoryDefinition[];
  area: Named;
  foundation: Named;
}

export function renderProposalPdf(d: ProposalDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const s = d.snapshot;
  const submittedAt = new Date(s.submittedAt);
  const w = new PdfWriter({
    locale,
    title: `${s.referenceNo} ${t("doc.proposal.title")}`,
    subject: s.title,
    issuer: issuerOf(locale, d.area, d.foundation),
    reference: s.referenceNo,
    fingerprint: { label: t("doc.proposal.fingerprint"), sha256: d.snapshotSha256 },
    date: submittedAt,
  });
  w.title(t("doc.proposal.title"), t("doc.proposal.sub"));
  w.fields([
    [t("doc.proposal.reference"), s.referenceNo],
    [t("doc.proposal.round"), `${s.round.code} ${s.round.title}`],
    [t("doc.proposal.organization"), s.organization.name],
    [t("doc.proposal.submittedAt"), formatDateTime(locale, submittedAt)],
    [t("doc.proposal.submittedBy"), s.submittedBy.name],
  ]);
  w.heading(t("proposal.section.basics"));
  w.fields([
    [t("proposal.field.title"), s.title],
    [t("proposal.field.community"), s.community ? nameIn(locale, s.community) : "—"],
    [t("proposal.field.category"), categoryName(d.categories, s.category, locale) || "—"],
    [t("proposal.field.beneficiaryGroups"), list(locale, s.beneficiaryGroups.map((g) => t(`proposal.group.${g}`))) || "—"],
    [t("proposal.field.beneficiaryCount"), s.beneficiaryCount == null ? "—" : String(s.beneficiaryCount)],
    [t("doc.proposal.requested"), formatFen(s.totals.totalFen)],
    [t("proposal.field.coFunding"), formatFen(s.coFundingFen)],
    [t("proposal.field.needs"), s.needs.length ? list(locale, s.needs.map((n) => `#${n.number} ${n.title}`)) : "—"],
  ]);
  w.heading(t("proposal.field.summary")).paragraph(s.summary);
  w.heading(t("proposal.field.activityPlan")).paragraph(s.activityPlan);

  w.heading(t("proposal.section.milestones"));
  w.table(
    [
      { header: "#", width: 0.4, align: "center" },
      { header: t("proposal.field.milestone.title"), width: 2.5 },
      { header: t("proposal.field.milestone.dueOn"), width: 1.2 },
      { header: t("proposal.field.milestone.deliverable"), width: 2.8 },
    ],
    s.milestones.map((m, i) => [String(i + 1), m.title, m.dueOn ?? "—", m.deliverable || "—"]),
  );

  w.heading(t("proposal.section.budget"));
  w.table(
    [
      { header: "#", width: 0.4, align: "center" },
      { header: t("proposal.field.line.category"), width: 1.4 },
      { header: t("proposal.field.line.item"), width: 2.4 },
      { header: t("proposal.field.line.quantity"), width: 0.8, align: "right" },
      { header: t("proposal.field.line.unitPrice"), width: 1.2, align: "right" },
      { header: t("proposal.field.line.total"), width: 1.3, align: "right" },
    ],
    [
      ...s.budgetLines.map((l, i) => {
        const c = BUDGET_CATEGORIES.find((x) => x.key === l.category);
        return [String(i + 1), c ? (locale === "en" ? c.nameEn : c.nameZh) : l.category, l.item, String(l.quantity), formatFen(l.unitPriceFen), formatFen(l.totalFen)];
      }),
      ["", t("proposal.total"), "", "", "", formatFen(s.totals.totalFen)],
    ],
  );

  w.heading(t("proposal.section.team"));
  w.table(
    [
      { header: t("proposal.field.member.name"), width: 1.2 },
      { header: t("proposal.field.member.role"), width: 1.5 },
      { header: t("proposal.field.member.experience"), width: 3.5 },
    ],
    s.team.map((m) => [m.name, m.role, m.experience]),
  );

  w.heading(t("proposal.section.attachments"));
  if (s.attachments.length) {
    w.table(
      [
        { header: t("proposal.attachment.label"), width: 2 },
        { header: t("proposal.attachment.file"), width: 2 },
        { header: "SHA-256", width: 3 },
      ],
      s.attachments.map((a) => [a.label, a.name, a.sha256]),
      { size: 8 },
    );
  } else w.paragraph(t("proposal.attachment.none"));

  w.signatures(t("doc.proposal.declaration"), [
    { party: t("doc.proposal.party"), name: s.organization.name, recorded: [t("doc.proposal.declarationText"), t("doc.proposal.recorded", { name: s.submittedBy.name, date: formatDateTime(locale, submittedAt) })], seal: true },
  ]);
  return w.end();
}

// ───────────────────────────── the grant agreement ─────────────────────────────

export interface AgreementSignatures {
  acceptedBy: string | null;
  acceptedAt: Date | null;
  countersignedBy: string | null;
  countersignedAt: Date | null;
  termsSha256: string;
}

export function renderAgreementPdf(terms: AgreementTerms, signatures: AgreementSignatures, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const zh = locale !== "en";
  const funder = `${zh ? terms.funder.areaNameZh : terms.funder.areaNameEn} · ${zh ? terms.funder.foundationNameZh : terms.funder.foundationNameEn}`;
  const generatedAt = new Date(terms.generatedAt);
  // the PDF's date: the last thing it records (generation, acceptance, countersignature)
  const date = new Date(Math.max(generatedAt.getTime(), signatures.acceptedAt?.getTime() ?? 0, signatures.countersignedAt?.getTime() ?? 0));
  const w = new PdfWriter({
    locale,
    title: `${terms.referenceNo} ${t("agreement.pdf.title")}`,
    subject: terms.title,
    issuer: funder,
    reference: terms.referenceNo,
    fingerprint: { label: t("doc.agreement.fingerprint"), sha256: signatures.termsSha256 },
    date,
  });
  w.title(t("agreement.pdf.title"), `${terms.referenceNo} · ${terms.round.code} ${terms.round.title}`);

  w.heading(t("agreement.parties"));
  w.fields([
    [t("agreement.funder"), funder],
    [t("agreement.grantee"), terms.grantee.name],
    [t("agreement.project"), `${terms.referenceNo} ${terms.title}`],
    [t("agreement.community"), terms.community ? (zh ? terms.community.nameZh : terms.community.nameEn) : "—"],
    [t("agreement.amount"), formatFen(terms.awardFen)],
    [t("agreement.requested"), formatFen(terms.requestedFen)],
    [t("agreement.coFunding"), formatFen(terms.coFundingFen)],
    [t("agreement.beneficiaries"), terms.beneficiaryCount == null ? "—" : String(terms.beneficiaryCount)],
  ]);
  if (terms.summary) w.paragraph(terms.summary);

  w.heading(t("agreement.budget"));
  w.table(
    [
      { header: "#", width: 0.4, align: "center" },
      { header: t("proposal.field.line.category"), width: 1.4 },
      { header: t("proposal.field.line.item"), width: 2.4 },
      { header: t("agreement.budget.requested"), width: 1.3, align: "right" },
      { header: t("agreement.budget.agreed"), width: 1.3, align: "right" },
    ],
    terms.budget.map((l) => {
      const c = BUDGET_CATEGORIES.find((x) => x.key === l.category);
      return [String(l.position), c ? (zh ? c.nameZh : c.nameEn) : l.category, l.item, formatFen(l.requestedFen), formatFen(l.agreedFen)];
    }),
  );

  w.heading(t("agreement.milestones"));
  w.table(
    [
      { header: "#", width: 0.4, align: "center" },
      { header: t("proposal.field.milestone.title"), width: 2.4 },
      { header: t("proposal.field.milestone.dueOn"), width: 1.2 },
      { header: t("proposal.field.milestone.deliverable"), width: 2.6 },
    ],
    terms.milestones.map((m) => [String(m.position), m.title, m.dueOn ?? t("agreement.milestone.noDue"), m.deliverable || "—"]),
  );

  w.heading(t("agreement.tranches"));
  w.table(
    [
      { header: "#", width: 0.4, align: "center" },
      { header: t("doc.agreement.trancheAmount"), width: 2.2 },
      { header: t("doc.agreement.trancheTrigger"), width: 3.6 },
    ],
    terms.tranches.map((tr) => {
      const tied = tr.milestonePosition ? ` · ${t("tranche.tiedTo", { position: tr.milestonePosition, title: terms.milestones[tr.milestonePosition - 1]?.title ?? "" })}` : "";
      return [String(tr.position), t("tranche.amount", { percent: tr.percent, amount: formatFen(tr.amountFen) }), `${t(`tranche.trigger.${tr.trigger}`)}${tied}`];
    }),
  );

  w.heading(t("agreement.obligations"));
  terms.obligations.forEach((o, i) => w.paragraph(`${i + 1}. ${zh ? o.zh : o.en}`));
  w.paragraph(t("agreement.passScore", { score: terms.evaluationPassScore }));
  w.paragraph(t("agreement.generatedAt", { date: formatDateTime(locale, generatedAt) }), { muted: true, size: 8 });

  w.signatures(t("agreement.pdf.signatures"), [
    {
      party: t("doc.agreement.funder"),
      name: funder,
      recorded: [
        signatures.countersignedAt
          ? t("doc.agreement.countersigned", { name: signatures.countersignedBy ?? "—", date: formatDateTime(locale, signatures.countersignedAt) })
          : t("doc.agreement.notCountersigned"),
      ],
      seal: true,
    },
    {
      party: t("doc.agreement.grantee"),
      name: terms.grantee.name,
      recorded: [
        signatures.acceptedAt ? t("doc.agreement.accepted", { name: signatures.acceptedBy ?? "—", date: formatDateTime(locale, signatures.acceptedAt) }) : t("doc.agreement.notAccepted"),
      ],
      seal: true,
    },
  ]);
  return w.end();
}

// ───────────────────────────── the officials' sheets for the file ─────────────────────────────

export interface ScreeningDocument {
  round: { code: string; title: string };
  area: Named;
  foundation: Named;
  categories: readonly CategoryDefinition[];
  rows: {
    referenceNo: string;
    title: string;
    organization: string;
    community: Named | null;
    category: string | null;
    requestedFen: number | null;
    /** ELIGIBLE, INELIGIBLE or SUBMITTED (not yet screened) */
    status: string;
    reason: string | null;
    screenedBy: string | null;
    screenedAt: Date | null;
  }[];
  sha256: string;
  asOf: Date;
}

export function renderScreeningPdf(d: ScreeningDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const w = new PdfWriter({
    locale,
    title: `${d.round.code} ${t("doc.screening.title")}`,
    issuer: issuerOf(locale, d.area, d.foundation),
    reference: d.round.code,
    fingerprint: { label: t("doc.screening.fingerprint"), sha256: d.sha256 },
    date: d.asOf,
    landscape: true,
  });
  w.title(t("doc.screening.title"), `${d.round.code} · ${d.round.title}`);
  const count = (s: string) => d.rows.filter((r) => r.status === s).length;
  w.paragraph(t("doc.screening.summary", { total: d.rows.length, eligible: count("ELIGIBLE"), ineligible: count("INELIGIBLE"), pending: count("SUBMITTED") }));
  w.table(
    [
      { header: t("doc.notice.col.reference"), width: 1.3 },
      { header: t("doc.notice.col.project"), width: 2.2 },
      { header: t("doc.notice.col.organization"), width: 1.9 },
      { header: t("doc.notice.col.community"), width: 1.2 },
      { header: t("doc.results.col.requested"), width: 1.3, align: "right" },
      { header: t("doc.screening.col.outcome"), width: 1.1 },
      { header: t("doc.screening.col.reason"), width: 2.2 },
      { header: t("doc.screening.col.by"), width: 1.6 },
    ],
    d.rows.map((r) => [
      r.referenceNo,
      `${r.title}${r.category ? `\n${categoryName(d.categories, r.category, locale)}` : ""}`,
      r.organization,
      r.community ? nameIn(locale, r.community) : "—",
      r.requestedFen == null ? "—" : formatFen(r.requestedFen),
      r.status === "SUBMITTED" ? t("doc.screening.pending") : t(`proposal.status.${r.status}`),
      r.reason || "—",
      r.screenedAt ? `${r.screenedBy ?? "—"}\n${formatDateTime(locale, r.screenedAt)}` : "—",
    ]),
    { size: 8 },
  );
  w.paragraph(t("doc.generatedAt", { date: formatDateTime(locale, d.asOf) }), { muted: true, size: 8 });
  w.signatures(t("doc.sheet.signatures"), [
    { party: t("doc.sheet.preparedBy"), name: "", recorded: [], seal: false },
    { party: t("doc.sheet.checkedBy"), name: "", recorded: [], seal: true },
  ]);
  return w.end();
}

export interface ResultsDocument {
  round: { code: string; title: string; poolFen: number; minScore: number; zScore: boolean; weights: { review: number; roadshow: number; publicVote: number } };
  area: Named;
  foundation: Named;
  rows: {
    rank: number;
    referenceNo: string;
    title: string;
    organization: string;
    community: Named | null;
    composite: number | null;
    judgeCount: number;
    requestedFen: number;
    outcome: string;
    awardFen: number;
    /** UNPUBLISHED, PROPOSED or FINAL */
    status: string;
  }[];
  sha256: string;
  asOf: Date;
}

export function renderResultsPdf(d: ResultsDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const r = d.round;
  const w = new PdfWriter({
    locale,
    title: `${r.code} ${t("doc.results.title")}`,
    issuer: issuerOf(locale, d.area, d.foundation),
    reference: r.code,
    fingerprint: { label: t("doc.results.fingerprint"), sha256: d.sha256 },
    date: d.asOf,
    landscape: true,
  });
  w.title(t("doc.results.title"), `${r.code} · ${r.title}`);
  w.paragraph(
    t("doc.results.rules", {
      pool: formatFen(r.poolFen),
      review: r.weights.review,
      roadshow: r.weights.roadshow,
      vote: r.weights.publicVote,
      min: r.minScore,
      z: t(r.zScore ? "doc.results.z.on" : "doc.results.z.off"),
    }),
  );
  w.table(
    [
      { header: t("doc.notice.col.rank"), width: 0.6, align: "center" },
      { header: t("doc.notice.col.reference"), width: 1.3 },
      { header: t("doc.notice.col.project"), width: 2.2 },
      { header: t("doc.notice.col.organization"), width: 1.9 },
      { header: t("doc.results.col.composite"), width: 1, align: "right" },
      { header: t("doc.results.col.judges"), width: 0.8, align: "right" },
      { header: t("doc.results.col.requested"), width: 1.3, align: "right" },
      { header: t("doc.notice.col.outcome"), width: 1.1 },
      { header: t("doc.notice.col.amount"), width: 1.3, align: "right" },
      { header: t("doc.results.col.status"), width: 0.9 },
    ],
    d.rows.map((x) => [
      String(x.rank),
      x.referenceNo,
      `${x.title}${x.community ? `\n${nameIn(locale, x.community)}` : ""}`,
      x.organization,
      x.composite === null ? "—" : formatScore(x.composite),
      String(x.judgeCount),
      formatFen(x.requestedFen),
      x.outcome ? t(`results.outcome.${x.outcome}`) : "—",
      formatFen(x.awardFen),
      t(`doc.results.status.${x.status}`),
    ]),
    { size: 8 },
  );
  const funded = d.rows.filter((x) => x.awardFen > 0);
  w.paragraph(t("doc.results.total", { count: funded.length, amount: formatFen(funded.reduce((s, x) => s + x.awardFen, 0)) }));
  w.paragraph(t("doc.generatedAt", { date: formatDateTime(locale, d.asOf) }), { muted: true, size: 8 });
  w.signatures(t("doc.sheet.signatures"), [
    { party: t("doc.sheet.preparedBy"), name: "", recorded: [], seal: false },
    { party: t("doc.sheet.checkedBy"), name: "", recorded: [], seal: true },
  ]);
  return w.end();
}

// ───────────────────────────── 通报: a published quarterly ranking ─────────────────────────────

export interface RankingNoticeDocument {
  number: number;
  quarter: string;
  version: number;
  area: Named;
  publishedAt: Date;
  asOf: Date;
  note: string;
  weights: Record<(typeof RANKING_COMPONENTS)[number], number>;
  rows: readonly OrgRankingRow[];
  bottom: readonly string[];
  /** the notice's content fingerprint (domain/ranking-notice-hash.ts), on every page */
  contentHash: string;
}

/** The published ranking for the notice board: the note, the bottom three named, the whole table, the fingerprint. */
export function renderRankingNoticePdf(d: RankingNoticeDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const heading = `${t("rankingNotice.heading", { quarter: d.quarter })}${d.version > 1 ? ` · ${t("rankingNotice.version", { version: d.version })}` : ""}`;
  const w = new PdfWriter({
    locale,
    title: heading,
    issuer: nameIn(locale, d.area),
    reference: `No. ${d.number}`,
    fingerprint: { label: t("doc.rankingNotice.fingerprint"), sha256: d.contentHash },
    date: d.publishedAt,
    landscape: true,
  });
  w.title(heading, nameIn(locale, d.area));
  w.fields([
    [t("doc.rankingNotice.publisher"), nameIn(locale, d.area)],
    [t("doc.rankingNotice.publishedAt"), formatDateTime(locale, d.publishedAt)],
  ]);
  w.heading(t("rankingNotice.note"));
  w.paragraph(d.note);
  if (d.bottom.length) w.paragraph(t("rankingNotice.bottom", { names: list(locale, d.bottom) }));
  w.heading(t("rankingNotice.table"));
  w.paragraph(t("rankingNotice.weights", { ...d.weights, asOf: formatDateTime(locale, d.asOf) }), { muted: true });
  const score = (n: number | null) => (n === null ? "—" : n.toFixed(1));
  w.table(
    [
      { header: t("dashboard.ranking.rank"), width: 0.6, align: "center" },
      { header: t("dashboard.ranking.organization"), width: 3 },
      ...RANKING_COMPONENTS.map((c) => ({ header: t(`dashboard.ranking.${c}`), width: 1, align: "right" as const })),
      { header: t("dashboard.ranking.combined"), width: 1, align: "right" },
      { header: "", width: 1.1 },
    ],
    d.rows.map((r) => [
      r.rank === null ? "—" : String(r.rank),
      r.name,
      ...RANKING_COMPONENTS.map((c) => `${score(r.components[c])}${r.missing.includes(c) ? t("dashboard.ranking.missingMark") : ""}`),
      r.combined === null ? t(r.unranked ? `dashboard.ranking.unranked.${r.unranked}` : "dashboard.ranking.noData") : score(r.combined),
      r.flagged ? t("dashboard.ranking.flagged") : "",
    ]),
  );
  w.signatures(t("doc.notice.signatures"), [{ party: t("doc.notice.party"), name: nameIn(locale, d.area), recorded: [t("doc.notice.published", { date: formatDateTime(locale, d.publishedAt) })], seal: true }]);
  return w.end();
}

// ───────────────────────────── 结项报告 / 年度工作报告 ─────────────────────────────

export interface ReportDocument {
  figures: ReportFigures;
  /** the published report's number and version, or null for a draft */
  number: number | null;
  version: number | null;
  /** SHA-256 of the figures: the fingerprint on every page */
  contentHash: string;
  /** the data's date: the publication (or, for a draft, the instant the facts were read) */
  date: Date;
}

/** A round's closing report or a foundation's annual report: every section of its kind, with its bars and tables. */
export function renderReportPdf(d: ReportDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const f = d.figures;
  const title = reportTitle(f, locale);
  const issuer = locale === "en" ? f.issuer.en : f.issuer.zh;
  const w = new PdfWriter({
    locale,
    title,
    issuer,
    reference: d.number === null ? t("report.draft") : `No. ${d.number} · ${t("report.version", { version: d.version ?? 1 })}`,
    fingerprint: { label: t("report.fingerprint"), sha256: d.contentHash },
    date: d.date,
  });
  w.title(title, issuer);
  w.fields([
    [t("report.period"), `${f.period.from} — ${f.period.to}`],
    [t("report.asOf"), formatDateTime(locale, f.asOf)],
    ...(d.number === null ? [[t("report.status"), t("report.draftNote")] as const] : []),
  ]);
  for (const s of reportSections(f)) {
    w.heading(t(s.heading));
    if (s.empty) w.paragraph(t(s.empty), { muted: true });
    if (s.rows.length) w.table([{ header: t("report.col.item"), width: 3 }, { header: t("report.col.value"), width: 2, align: "right" }], s.rows.map((r) => [t(r.label), valueText(r.value, locale, t)]));
    if (s.bars.some((b) => b.value !== 0)) w.bars(s.bars.map((b) => ({ label: locale === "en" ? b.label.en : b.label.zh, value: b.value, text: barText(b) })));
    if (s.table) w.table(s.table.headers.map((h, i) => ({ header: t(h), width: i === s.table!.headers.length - 1 ? 2 : 1.5, align: i > 0 && s.table!.rows[0]?.[i] && !("text" in s.table!.rows[0][i]!) ? ("right" as const) : ("left" as const) })), s.table.rows.map((row) => row.map((v) => valueText(v, locale, t))));
  }
  w.paragraph(t("report.sources"), { muted: true, size: 8 });
  return w.end();
}

// ───────────────────────────── 培训证明: a training attendance certificate ─────────────────────────────

export interface TrainingCertificateDocument {
  number: number;
  topic: string;
  trainer: string;
  startsAt: string;
  endsAt: string;
  area: Named;
  attendee: string;
  organization: string;
  attendedAt: string;
  /** SHA-256 of the canonical JSON of the data above */
  sha256: string;
}

/** The certificate of attendance an attendee downloads; dated by the attendance, so the same data gives the same bytes. */
export function renderTrainingCertificatePdf(d: TrainingCertificateDocument, locale: Locale): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const issuer = nameIn(locale, d.area);
  const w = new PdfWriter({
    locale,
    title: t("doc.training.title"),
    issuer,
    reference: `T${d.number}`,
    fingerprint: { label: t("doc.training.fingerprint"), sha256: d.sha256 },
    date: new Date(d.attendedAt),
  });
  w.title(t("doc.training.title"), d.topic);
  w.paragraph(t("doc.training.body", { attendee: d.attendee, organization: d.organization, topic: d.topic }));
  w.fields([
    [t("doc.training.attendee"), d.attendee],
    [t("doc.training.organization"), d.organization],
    [t("doc.training.topic"), d.topic],
    [t("doc.training.trainer"), d.trainer],
    [t("doc.training.when"), `${formatDateTime(locale, d.startsAt)} – ${formatDateTime(locale, d.endsAt)}`],
    [t("doc.training.attendedAt"), formatDateTime(locale, d.attendedAt)],
  ]);
  w.signatures(t("doc.training.issuedBy"), [{ party: t("doc.training.issuer"), name: issuer, recorded: [], seal: true }]);
  return w.end();
}
