import ExcelJS from "exceljs";
import { canonicalJson } from "~/domain/audit-chain";
import { categoriesOf } from "~/domain/rounds";
import { PAID_STATUSES } from "~/domain/donations";
import {
  annualMoney,
  evaluationFigures,
  objectionFigures,
  peopleFigures,
  projectFigures,
  REPORT_FIGURES_VERSION,
  reportableYear,
  reportSections,
  reportSubject,
  reportTitle,
  roundMoney,
  satisfactionFigures,
  valueText,
  type CapacityFigures,
  type LedgerSum,
  type PartnerFigures,
  type ProjectFact,
  type ReportFigures,
  type ReportKind,
} from "~/domain/reports";
import { bilingualHeader } from "~/domain/tabular-export";
import { Prisma } from "~/generated/prisma/client";
import { sha256 } from "~/lib/crypto.server";
import { db } from "~/lib/db.server";
import { translate, type Locale } from "~/lib/i18n";
import { notFound } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { renderReportPdf } from "~/services/documents/render.server";
import { requireFoundationManager } from "~/services/giving/access.server";
import { inKindSums } from "~/services/partners/partners.server";
import { roundForOfficial } from "~/services/review/access.server";

/**
 * Round closing reports (结项报告) and foundation annual reports (年度工作报告), docs/decisions/043.
 *
 * The figures are read from the ledger's running totals (LedgerKindTotal, ADR 019) and the
 * projects' (ProjectTotal, ADR 021), so they equal the books to the fen. An official of the round's
 * area (a round report) or a manager of the foundation (an annual report) generates a draft —
 * the figures as of now, audited — and publishes it: the figures are stored with their SHA-256
 * and the SHA-256 of the Chinese PDF drawn from them (the same figures give the same bytes, ADR
 * 032). A published report never changes (append-only); publishing again is the next version.
 */

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);
const PROJECT_STATUS_NAMES: Record<string, { zh: string; en: string }> = {
  AWAITING_ACCEPTANCE: { zh: "待申报方确认协议", en: "Agreement awaiting the grantee" },
  AWAITING_COUNTERSIGN: { zh: "待会签", en: "Awaiting countersignature" },
  ACTIVE: { zh: "实施中", en: "In implementation" },
  EVALUATION_FAILED: { zh: "评估未通过", en: "Evaluation failed" },
  CLOSED: { zh: "已结项", en: "Closed" },
};
const statusName = (s: string) => PROJECT_STATUS_NAMES[s] ?? { zh: s, en: s };

/** SHA-256 of the figures' canonical JSON: the report's fingerprint. */
export const figuresHash = (f: ReportFigures) => sha256(canonicalJson(f));

// ───────────────────────────── facts ─────────────────────────────

/** The sums of the accounts' running totals by account kind, transaction kind and year. */
async function ledgerSums(where: Prisma.Sql): Promise<(LedgerSum & { ownerId: string | null })[]> {
  const rows = await db().$queryRaw<{ accountKind: string; ownerId: string | null; kind: string; year: number; fen: bigint }[]>`
    SELECT a.kind::text AS "accountKind", a."ownerId", t.kind, t.year, t."sumFen" AS fen
      FROM "LedgerKindTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
     WHERE ${where}`;
  return rows.map((r) => ({ ...r, fen: n(r.fen) }));
}

/** What the report needs of each project: totals, counts of beneficiaries, the deciding evaluation; no personal data. */
async function projectFacts(where: Prisma.ProjectWhereInput): Promise<ProjectFact[]> {
  const projects = await db().project.findMany({ where, select: { id: true, status: true, category: true, awardFen: true }, orderBy: { referenceNo: "asc" } });
  const ids = projects.map((p) => p.id);
  if (!ids.length) return [];
  const [totals, beneficiaries, served, evaluations] = await Promise.all([
    db().projectTotal.findMany({ where: { projectId: { in: ids } } }),
    db().beneficiary.groupBy({ by: ["projectId"], where: { projectId: { in: ids } }, _count: { _all: true } }),
    db().milestoneReport.groupBy({ by: ["projectId"], where: { projectId: { in: ids }, status: "APPROVED", beneficiariesServed: { not: null } }, _max: { beneficiariesServed: true } }),
    db().evaluation.findMany({ where: { projectId: { in: ids }, status: { in: ["PASSED", "FAILED"] } }, orderBy: [{ submittedAt: "asc" }, { id: "asc" }], select: { projectId: true, status: true, total: true } }),
  ]);
  const total = new Map(totals.map((t) => [t.projectId, t]));
  const counted = new Map(beneficiaries.map((b) => [b.projectId, b._count._all]));
  const reported = new Map(served.map((s) => [s.projectId, s._max.beneficiariesServed]));
  // the latest decision is the one in force
  const evaluated = new Map(evaluations.map((e) => [e.projectId, { passed: e.status === "PASSED", total: e.total }]));
  return projects.map((p) => {
    const t = total.get(p.id);
    return {
      status: p.status,
      category: p.category,
      awardFen: p.awardFen,
      releasedFen: n(t?.releasedFen),
      spentFen: n(t?.spentFen),
      beneficiaries: counted.get(p.id) ?? 0,
      reportedServed: reported.get(p.id) ?? null,
      calls: { satisfied: t?.callsSatisfied ?? 0, partly: t?.callsPartly ?? 0, notSatisfied: t?.callsNotSatisfied ?? 0, unreached: t?.callsUnreached ?? 0 },
      evaluation: evaluated.get(p.id) ?? null,
    };
  });
}

async function objectionsOf(where: Prisma.ObjectionWhereInput) {
  const rows = await db().objection.findMany({ where, select: { status: true, resolution: true, proposal: { select: { referenceNo: true } } } });
  return objectionFigures(rows.map((o) => ({ status: o.status, resolution: o.resolution, proposal: o.proposal.referenceNo ?? "—" })));
}

/**
 * Partners and in-kind help, trainings and incubation in the area under `areaPath` between `from`
 * and `to` (trainings count once they have ended by `now`).
 */
async function areaFigures(areaPath: string, from: Date, to: Date, now: Date): Promise<{ partners: PartnerFigures; capacity: CapacityFigures }> {
  const inArea = { path: { startsWith: areaPath } };
  const ended = now < to ? now : to;
  const [pairings, gifts, wishesTaken, projectsAdopted, trainings, attended, incubating, graduated] = await Promise.all([
    db().partnerPairing.findMany({ where: { area: inArea, startsOn: { lt: to }, OR: [{ endedOn: null }, { endedOn: { gte: from } }] }, select: { unitId: true }, distinct: ["unitId"] }),
    inKindSums({ area: inArea, receivedOn: { gte: from, lt: to } }),
    db().wish.count({ where: { area: inArea, takerPartnerUnitId: { not: null }, takenAt: { gte: from, lt: to } } }),
    db().projectAdoption.count({ where: { project: { community: inArea }, adoptedOn: { gte: from, lt: to } } }),
    db().training.count({ where: { area: inArea, cancelledAt: null, startsAt: { gte: from }, endsAt: { lte: ended } } }),
    db().trainingSignup.findMany({ where: { attendedAt: { not: null }, cancelledAt: null, training: { area: inArea, cancelledAt: null, startsAt: { gte: from }, endsAt: { lte: ended } } }, select: { organizationId: true } }),
    db().incubation.count({ where: { area: inArea, enteredOn: { lt: to }, OR: [{ graduatedOn: null }, { graduatedOn: { gte: from } }] } }),
    db().incubation.count({ where: { area: inArea, graduatedOn: { gte: from, lt: to } } }),
  ]);
  return {
    partners: { unitsPaired: pairings.length, inKindGifts: gifts.gifts, inKindValuedFen: gifts.valuedFen, inKindUnvalued: gifts.unvalued, wishesTaken, projectsAdopted },
    capacity: { trainings, attendances: attended.length, organizationsTrained: new Set(attended.map((a) => a.organizationId)).size, incubating, graduated },
  };
}

const roundSelect = {
  id: true,
  code: true,
  title: true,
  titleEn: true,
  categories: true,
  needsStartsAt: true,
  foundationId: true,
  area: { select: { nameZh: true, nameEn: true, path: true } },
  foundation: { select: { nameZh: true, nameEn: true } },
} as const;

/** The closing report's figures of a round, as of `now`. */
export async function roundFigures(roundId: string, now: Date = new Date()): Promise<ReportFigures> {
  const round = await db().round.findUniqueOrThrow({ where: { id: roundId }, select: roundSelect });
  const awards = await db().award.findMany({ where: { roundId }, select: { id: true } });
  const owners = [round.id, ...awards.map((a) => a.id)];
  const sums = await ledgerSums(Prisma.sql`a."ownerId" = ANY(${owners}::text[]) AND a.kind::text = ANY(${["ROUND_POOL", "AWARD_COMMITTED", "GRANTEE_PAID"]}::text[])`);
  const projects = await projectFacts({ roundId });
  return {
    figuresVersion: REPORT_FIGURES_VERSION,
    kind: "ROUND",
    ref: round.code,
    title: { zh: `${round.title} 结项报告`, en: `${round.titleEn ?? round.title} — closing report` },
    issuer: { zh: `${round.area.nameZh} · ${round.foundation.nameZh}`, en: `${round.area.nameEn} · ${round.foundation.nameEn}` },
    period: { from: shanghaiDay(round.needsStartsAt), to: shanghaiDay(now) },
    asOf: now.toISOString(),
    roundMoney: roundMoney(sums),
    annualMoney: null,
    fundraising: null,
    projects: projectFigures(projects, categoriesOf(round.categories), statusName),
    people: peopleFigures(projects),
    satisfaction: satisfactionFigures(projects),
    evaluations: evaluationFigures(projects),
    objections: await objectionsOf({ roundId }),
    rounds: [],
    ...(await areaFigures(round.area.path, round.needsStartsAt, now, now)),
  };
}

/** The annual report's figures of a foundation for calendar `year` (Asia/Shanghai), as of `now`. */
export async function annualFigures(foundationId: string, year: number, now: Date = new Date()): Promise<ReportFigures> {
  const f = await db().foundation.findUniqueOrThrow({ where: { id: foundationId }, select: { slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true, area: { select: { path: true } } } });
  const from = dayStart(`${year}-01-01`);
  const to = dayStart(`${year + 1}-01-01`);
  const sums = await ledgerSums(Prisma.sql`a."foundationId" = ${foundationId}`);
  const rounds = await db().round.findMany({ where: { foundationId, phase: { not: "DRAFT" }, createdAt: { lt: to } }, select: { id: true, code: true, title: true, titleEn: true, categories: true }, orderBy: { code: "asc" } });
  // the projects at work in the year: created before its end, not closed before its start
  const projects = await projectFacts({ round: { foundationId }, createdAt: { lt: to }, OR: [{ closedAt: null }, { closedAt: { gte: from } }] });
  const campaigns = await db().matchingCampaign.findMany({ where: { foundationId, startsAt: { lt: to }, endsAt: { gte: from } }, select: { id: true, titleZh: true }, orderBy: { startsAt: "asc" } });
  const matched = (id: string) => 0 - sums.filter((s) => s.accountKind === "MATCHING_POOL" && s.ownerId === id && s.year === year && (s.kind === "MATCH" || s.kind === "MATCH_RETURN")).reduce((t, s) => t + s.fen, 0);
  const gifts = await db().donation.count({ where: { foundationId, status: { in: [...PAID_STATUSES] }, paidAt: { gte: from, lt: to } } });
  const categories = rounds.flatMap((r) => categoriesOf(r.categories)).filter((c, i, all) => all.findIndex((d) => d.key === c.key) === i);
  return {
    figuresVersion: REPORT_FIGURES_VERSION,
    kind: "ANNUAL",
    ref: f.slug,
    title: { zh: `${f.nameZh} ${year} 年度工作报告`, en: `${f.nameEn} — annual report ${year}` },
    issuer: { zh: f.nameZh, en: f.nameEn },
    period: { from: `${year}-01-01`, to: now < to ? shanghaiDay(now) : `${year}-12-31` },
    asOf: now.toISOString(),
    roundMoney: null,
    annualMoney: annualMoney(sums, year),
    fundraising: { filingNo: f.fundraisingFilingNo, entity: f.fundraisingEntity, gifts, campaigns: campaigns.map((c) => ({ title: c.titleZh, matchedFen: matched(c.id) })) },
    projects: projectFigures(projects, categories, statusName),
    people: peopleFigures(projects),
    satisfaction: satisfactionFigures(projects),
    evaluations: evaluationFigures(projects),
    objections: await objectionsOf({ round: { foundationId }, createdAt: { gte: from, lt: to } }),
    rounds: rounds.map((r) => ({ code: r.code, title: { zh: r.title, en: r.titleEn ?? r.title } })),
    ...(await areaFigures(f.area.path, from, to, now)),
  };
}

// ───────────────────────────── who may generate and publish ─────────────────────────────

export interface ReportTarget {
  kind: ReportKind;
  subject: string;
  foundationId: string;
  roundId: string | null;
  year: number | null;
  /** where the report is listed for the public */
  publicPath: string;
  figures: (now: Date) => Promise<ReportFigures>;
}

/** A round's report (no access check: the officials' entry below, or the demo seed). */
export function roundTarget(round: { id: string; code: string; foundationId: string }): ReportTarget {
  return {
    kind: "ROUND",
    subject: reportSubject({ kind: "ROUND", roundId: round.id }),
    foundationId: round.foundationId,
    roundId: round.id,
    year: null,
    publicPath: `/rounds/${encodeURIComponent(round.code)}`,
    figures: (now) => roundFigures(round.id, now),
  };
}

/** A foundation's annual report of `year` (no access check: the managers' entry below, or the demo seed). */
export function annualTarget(foundation: { id: string; slug: string }, year: number): ReportTarget {
  return {
    kind: "ANNUAL",
    subject: reportSubject({ kind: "ANNUAL", foundationId: foundation.id, year }),
    foundationId: foundation.id,
    roundId: null,
    year,
    publicPath: `/foundations/${encodeURIComponent(foundation.slug)}`,
    figures: (at) => annualFigures(foundation.id, year, at),
  };
}

/** A round's report, for an official of its area (403/404 as the round's admin pages). */
export async function roundReportTarget(viewer: Pick<Actor, "grants">, code: string): Promise<ReportTarget> {
  return roundTarget(await roundForOfficial(viewer, code));
}

/** A foundation's annual report of `year`, for its managers (403/404 as its admin pages); 404 for a year that is not one. */
export async function annualReportTarget(viewer: Pick<Actor, "grants">, slug: string, year: unknown, now: Date = new Date()): Promise<ReportTarget> {
  const foundation = await requireFoundationManager(viewer, slug);
  const y = reportableYear(year, Number(shanghaiDay(now).slice(0, 4)));
  if (y === null) notFound();
  return annualTarget(foundation, y);
}

/** A draft: the figures as of `now`, their fingerprint, and the versions already published. Audited as a generation. */
export async function generateDraft(viewer: Pick<Actor, "id">, target: ReportTarget, now: Date = new Date()) {
  const figures = await target.figures(now);
  const contentHash = figuresHash(figures);
  await db().$transaction((tx) =>
    audit(tx, { actorId: viewer.id, action: "report.generate", objectType: target.kind === "ROUND" ? "Round" : "Foundation", objectId: target.roundId ?? target.foundationId, after: { subject: target.subject, contentHash, asOf: figures.asOf } }),
  );
  return { figures, contentHash };
}

/** The draft as a PDF (marked as a draft), for the official's own check before publishing. */
export async function draftPdf(viewer: Pick<Actor, "id">, target: ReportTarget, locale: Locale, now: Date = new Date()) {
  const { figures, contentHash } = await generateDraft(viewer, target, now);
  const bytes = await renderReportPdf({ figures, number: null, version: null, contentHash, date: now }, locale);
  return { bytes, filename: `${figures.ref}-${locale === "en" ? "report-draft" : "报告草稿"}.pdf` };
}

/**
 * Publishes the report as of `now`: the figures read, the next version numbered under an advisory
 * lock (concurrent publications take consecutive versions), the Chinese PDF drawn and hashed,
 * stored and audited in one transaction. The table's trigger moves the public-data version.
 */
export async function publishReport(viewer: Pick<Actor, "id">, target: ReportTarget, input: { confirm: boolean }, now: Date = new Date()): Promise<Result<{ number: number; version: number }>> {
  if (!input.confirm) return fail(400, "report.confirmRequired");
  const figures = await target.figures(now);
  const contentHash = figuresHash(figures);
  const published = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`report:${target.subject}`}))`;
    const last = await tx.publishedReport.findFirst({ where: { subject: target.subject }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    // the number is taken first: the PDF prints it, and the row cannot be changed once written
    const [{ number }] = await tx.$queryRaw<[{ number: number }]>`SELECT nextval(pg_get_serial_sequence('"PublishedReport"', 'number'))::int AS number`;
    const pdf = await renderReportPdf({ figures, number, version, contentHash, date: now }, "zh-CN");
    const pdfSha256 = sha256(pdf);
    const report = await tx.publishedReport.create({
      data: { number, kind: target.kind, subject: target.subject, foundationId: target.foundationId, roundId: target.roundId, year: target.year, version, figures: figures as unknown as object, contentHash, pdfSha256, publishedById: viewer.id, publishedAt: now },
      select: { id: true },
    });
    await audit(tx, {
      actorId: viewer.id,
      action: "report.publish",
      objectType: "PublishedReport",
      objectId: report.id,
      before: null,
      after: { subject: target.subject, number, version, contentHash, pdfSha256 },
      at: now,
    });
    return { number, version };
  });
  return ok(published);
}

// ───────────────────────────── published ─────────────────────────────

const publishedSelect = {
  id: true,
  number: true,
  kind: true,
  subject: true,
  version: true,
  year: true,
  figures: true,
  contentHash: true,
  pdfSha256: true,
  publishedAt: true,
  round: { select: { code: true } },
  foundation: { select: { slug: true, nameZh: true, nameEn: true } },
} as const;

/** One published report as the public reads it, with every version of its subject; 404 when there is none of that number. */
export async function publishedReport(number: number) {
  if (!Number.isSafeInteger(number) || number < 1) notFound();
  const r = await db().publishedReport.findUnique({ where: { number }, select: publishedSelect });
  if (!r) notFound();
  const versions = await db().publishedReport.findMany({ where: { subject: r.subject }, orderBy: { version: "desc" }, select: { number: true, version: true, publishedAt: true, contentHash: true } });
  const figures = r.figures as unknown as ReportFigures;
  return {
    number: r.number,
    kind: r.kind,
    version: r.version,
    year: r.year,
    figures,
    sections: reportSections(figures),
    contentHash: r.contentHash,
    pdfSha256: r.pdfSha256,
    publishedAt: r.publishedAt.toISOString(),
    round: r.round,
    foundation: r.foundation,
    versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })),
    /** the latest version, when this one is not it */
    latest: versions[0] && versions[0].version > r.version ? versions[0] : null,
  };
}

/** A published report's PDF in `locale`, drawn from its stored figures: the Chinese one is the bytes whose SHA-256 was published. */
export async function publishedReportPdf(number: number, locale: Locale) {
  const r = await publishedReport(number);
  const bytes = await renderReportPdf({ figures: r.figures, number: r.number, version: r.version, contentHash: r.contentHash, date: new Date(r.publishedAt) }, locale);
  return { bytes, filename: `${r.figures.ref}-${r.number}-${locale === "en" ? "report" : r.kind === "ROUND" ? "结项报告" : "年度工作报告"}.pdf` };
}

/** The figures as a workbook: one sheet per section, headers in both languages, money in fen and in yuan. */
export async function reportWorkbook(figures: ReportFigures): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Community venture philanthropy platform";
  // the workbook's dates are the report's, so the same figures give the same file contents
  workbook.created = workbook.modified = new Date(figures.asOf);
  const zh = (k: string) => translate("zh-CN", k);
  const en = (k: string) => translate("en", k);
  const sheetNames = new Set<string>();
  for (const s of reportSections(figures)) {
    let name = en(s.heading).replace(/[\\/?*[\]:]/g, " ").slice(0, 28);
    while (sheetNames.has(name)) name += "_";
    sheetNames.add(name);
    const sheet = workbook.addWorksheet(name);
    sheet.addRow([bilingualHeader(zh(s.heading), en(s.heading))]).font = { bold: true };
    if (s.rows.length) {
      sheet.addRow([bilingualHeader(zh("report.col.item"), en("report.col.item")), bilingualHeader(zh("report.col.value"), en("report.col.value")), bilingualHeader(zh("report.col.fen"), en("report.col.fen"))]).font = { bold: true };
      for (const r of s.rows) sheet.addRow([bilingualHeader(zh(r.label), en(r.label)), valueText(r.value, "zh-CN", zh), "fen" in r.value ? r.value.fen : null]);
    }
    if (s.table) {
      sheet.addRow([]);
      sheet.addRow(s.table.headers.map((h) => bilingualHeader(zh(h), en(h)))).font = { bold: true };
      for (const row of s.table.rows) sheet.addRow(row.map((v) => ("fen" in v ? v.fen / 100 : "count" in v ? v.count : valueText(v, "zh-CN", zh))));
    }
    sheet.columns.forEach((c) => (c.width = 30));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** A published report's figures as XLSX. */
export async function publishedReportXlsx(number: number) {
  const r = await publishedReport(number);
  return { bytes: await reportWorkbook(r.figures), filename: `${r.figures.ref}-${r.number}-figures.xlsx` };
}

export { reportTitle };
export { reportsOf } from "./listing.server";
