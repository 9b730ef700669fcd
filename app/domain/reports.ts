/**
 * Reports that show what the money did (docs/decisions/043): a round's closing report (结项报告)
 * and a foundation's annual work report (年度工作报告). Pure: the figures are built from facts the
 * service read (the ledger's running totals, the projects' running totals, counts), and laid out
 * as sections that the page, the PDF and the spreadsheet all draw the same way.
 *
 * A section is a builder over the figures: a later kind of fact (trainings, partners, in-kind
 * gifts) is a new field of the figures and a new builder in `SECTION_BUILDERS`, nothing else.
 */
import { addFlow, emptyFlows, type Flows } from "./ledger-flows";
import { formatFen } from "./money";

export const REPORT_KINDS = ["ROUND", "ANNUAL"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Changes when the figures' shape changes, so a stored report says which shape it has. */
export const REPORT_FIGURES_VERSION = 2;

export const PROJECT_STATUSES = ["AWAITING_ACCEPTANCE", "AWAITING_COUNTERSIGN", "ACTIVE", "EVALUATION_FAILED", "CLOSED"] as const;

type Named = { zh: string; en: string };

// ───────────────────────────── money ─────────────────────────────

/** One signed sum of the ledger's running totals: an account's kind × a transaction kind (× a year). */
export interface LedgerSum {
  accountKind: string;
  kind: string;
  /** calendar year in Asia/Shanghai of the transactions (LedgerKindTotal.year) */
  year: number;
  fen: number;
}

/**
 * A round's money, to the fen, from the sums of its accounts (the pool, its awards' committed and
 * paid accounts): in = held + paid net of returns + returned.
 */
export interface RoundMoney {
  /** moved into the round's pool, net of what the pool gave back */
  inFen: number;
  /** committed to awards */
  committedFen: number;
  /** paid to grantees as tranches */
  paidFen: number;
  /** unspent money grantees gave back, and commitments released unpaid: back to the foundation */
  returnedFen: number;
  /** still held by the round: in its pool or committed and not yet paid */
  heldFen: number;
  /** paid out and kept by the projects: paid less what they gave back */
  outFen: number;
  /** not used by the projects: held and returned */
  unspentFen: number;
}

/** −x, without a negative zero (figures are compared and hashed as JSON) */
const minus = (x: number) => (x === 0 ? 0 : -x);

export function roundMoney(sums: readonly Omit<LedgerSum, "year">[]): RoundMoney {
  const of = (accountKind: string, ...kinds: string[]) => sums.filter((s) => s.accountKind === accountKind && kinds.includes(s.kind)).reduce((t, s) => t + s.fen, 0);
  const balance = (accountKind: string) => sums.filter((s) => s.accountKind === accountKind).reduce((t, s) => t + s.fen, 0);
  const inFen = of("ROUND_POOL", "ROUND_POOL", "ROUND_POOL_RETURN");
  const committedFen = of("AWARD_COMMITTED", "AWARD_COMMIT");
  const paidFen = of("GRANTEE_PAID", "TRANCHE_RELEASE");
  // a release and a return credit the award's accounts: negative there, positive for the foundation
  const unspentReturnFen = minus(of("GRANTEE_PAID", "UNSPENT_RETURN"));
  const returnedFen = minus(of("AWARD_COMMITTED", "COMMITMENT_RELEASE")) + unspentReturnFen;
  const heldFen = balance("ROUND_POOL") + balance("AWARD_COMMITTED");
  const outFen = paidFen - unspentReturnFen;
  return { inFen, committedFen, paidFen, returnedFen, heldFen, outFen, unspentFen: heldFen + returnedFen };
}

/** A foundation's own money (available and earmarked funds) over one year, and what it paid to grantees. */
export interface AnnualMoney {
  year: number;
  openingFen: number;
  flows: Flows;
  closingFen: number;
  /** tranches paid to grantees in the year, from the foundation's award accounts */
  paidToGranteesFen: number;
}

const FUNDS = new Set(["FOUNDATION_AVAILABLE", "FOUNDATION_EARMARKED"]);

export function annualMoney(sums: readonly LedgerSum[], year: number): AnnualMoney {
  const flows = emptyFlows();
  let openingFen = 0;
  let closingFen = 0;
  let paidToGranteesFen = 0;
  for (const s of sums) {
    if (FUNDS.has(s.accountKind)) {
      if (s.year < year) openingFen += s.fen;
      if (s.year <= year) closingFen += s.fen;
      if (s.year === year) addFlow(flows, s.kind, s.fen);
    } else if (s.accountKind === "GRANTEE_PAID" && s.kind === "TRANCHE_RELEASE" && s.year === year) paidToGranteesFen += s.fen;
  }
  return { year, openingFen, flows, closingFen, paidToGranteesFen };
}

// ───────────────────────────── projects, people, satisfaction ─────────────────────────────

/** What the report needs of one project: no names of people, no personal data. */
export interface ProjectFact {
  status: string;
  category: string | null;
  awardFen: number;
  releasedFen: number;
  spentFen: number;
  /** beneficiaries registered (counted, never listed) */
  beneficiaries: number;
  /** people served as the approved reports said: the largest figure of its approved reports */
  reportedServed: number | null;
  calls: { satisfied: number; partly: number; notSatisfied: number; unreached: number };
  /** the deciding evaluation, when there is one */
  evaluation: { passed: boolean; total: number | null } | null;
}

export interface Count {
  key: string;
  name: Named;
  count: number;
  fen: number;
}

export interface ProjectFigures {
  total: number;
  awardedFen: number;
  releasedFen: number;
  spentFen: number;
  byStatus: Count[];
  byCategory: Count[];
}

export interface PeopleFigures {
  beneficiaries: number;
  reportedServed: number;
  projectsReporting: number;
}

export interface SatisfactionFigures {
  satisfied: number;
  partly: number;
  notSatisfied: number;
  unreached: number;
  /** satisfied among those reached, per mille (integer), null when nobody was reached */
  satisfiedPerMille: number | null;
}

export interface EvaluationFigures {
  passed: number;
  failed: number;
  /** the average total of those with a total, to one decimal (tenths, integer), null when none */
  averageTenths: number | null;
}

export const UNCATEGORIZED = "_none";

export function projectFigures(projects: readonly ProjectFact[], categories: readonly { key: string; nameZh: string; nameEn: string }[], statusName: (s: string) => Named): ProjectFigures {
  const byStatus = new Map<string, Count>(PROJECT_STATUSES.map((s) => [s, { key: s, name: statusName(s), count: 0, fen: 0 }]));
  const byCategory = new Map<string, Count>(categories.map((c) => [c.key, { key: c.key, name: { zh: c.nameZh, en: c.nameEn }, count: 0, fen: 0 }]));
  let awardedFen = 0;
  let releasedFen = 0;
  let spentFen = 0;
  for (const p of projects) {
    awardedFen += p.awardFen;
    releasedFen += p.releasedFen;
    spentFen += p.spentFen;
    const s = byStatus.get(p.status) ?? { key: p.status, name: statusName(p.status), count: 0, fen: 0 };
    s.count++;
    s.fen += p.awardFen;
    byStatus.set(p.status, s);
    const key = p.category && byCategory.has(p.category) ? p.category : UNCATEGORIZED;
    const c = byCategory.get(key) ?? { key, name: { zh: "未分类", en: "No category" }, count: 0, fen: 0 };
    c.count++;
    c.fen += p.awardFen;
    byCategory.set(key, c);
  }
  return {
    total: projects.length,
    awardedFen,
    releasedFen,
    spentFen,
    byStatus: [...byStatus.values()].filter((c) => c.count > 0),
    byCategory: [...byCategory.values()].filter((c) => c.count > 0),
  };
}

export function peopleFigures(projects: readonly ProjectFact[]): PeopleFigures {
  return {
    beneficiaries: projects.reduce((t, p) => t + p.beneficiaries, 0),
    reportedServed: projects.reduce((t, p) => t + (p.reportedServed ?? 0), 0),
    projectsReporting: projects.filter((p) => p.reportedServed !== null).length,
  };
}

export function satisfactionFigures(projects: readonly ProjectFact[]): SatisfactionFigures {
  const sum = (k: keyof ProjectFact["calls"]) => projects.reduce((t, p) => t + p.calls[k], 0);
  const satisfied = sum("satisfied");
  const partly = sum("partly");
  const notSatisfied = sum("notSatisfied");
  const reached = satisfied + partly + notSatisfied;
  return { satisfied, partly, notSatisfied, unreached: sum("unreached"), satisfiedPerMille: reached ? Math.round((satisfied * 1000) / reached) : null };
}

export function evaluationFigures(projects: readonly ProjectFact[]): EvaluationFigures {
  const decided = projects.flatMap((p) => (p.evaluation ? [p.evaluation] : []));
  const totals = decided.flatMap((e) => (e.total === null ? [] : [e.total]));
  return {
    passed: decided.filter((e) => e.passed).length,
    failed: decided.filter((e) => !e.passed).length,
    averageTenths: totals.length ? Math.round((totals.reduce((t, n) => t + n, 0) * 10) / totals.length) : null,
  };
}

// ───────────────────────────── objections, fundraising ─────────────────────────────

export interface ObjectionFigures {
  open: number;
  upheld: number;
  dismissed: number;
  /** each decided objection's ruling (public: ADR 009), by the proposal it was about */
  rulings: { proposal: string; upheld: boolean; resolution: string }[];
}

export function objectionFigures(objections: readonly { status: string; proposal: string; resolution: string | null }[]): ObjectionFigures {
  return {
    open: objections.filter((o) => o.status === "OPEN").length,
    upheld: objections.filter((o) => o.status === "UPHELD").length,
    dismissed: objections.filter((o) => o.status === "DISMISSED").length,
    rulings: objections
      .filter((o) => o.status !== "OPEN")
      .map((o) => ({ proposal: o.proposal, upheld: o.status === "UPHELD", resolution: o.resolution ?? "" }))
      .sort((a, b) => a.proposal.localeCompare(b.proposal)),
  };
}

export interface FundraisingFigures {
  /** 公开募捐备案编号, null when the foundation holds none */
  filingNo: string | null;
  entity: string | null;
  /** gifts received in the year (paid, whatever happened since) */
  gifts: number;
  /** matching campaigns that ran in the year */
  campaigns: { title: string; matchedFen: number }[];
}

/**
 * Partners (结对共建) and in-kind help in the report's area over its period. In-kind gifts are
 * valued, never booked: they stand beside the money, not in it (ADR 040).
 */
export interface PartnerFigures {
  /** units paired with a community of the area at some time in the period */
  unitsPaired: number;
  /** current gifts of the register (no withdrawals, corrections counted once) received in the period */
  inKindGifts: number;
  inKindValuedFen: number;
  /** gifts recorded without a value (services, or goods no one valued) */
  inKindUnvalued: number;
  /** small wishes (微心愿) partner units took in the period */
  wishesTaken: number;
  /** funded projects partner units adopted (认领) in the period */
  projectsAdopted: number;
}

/** Capacity building (能力培训, 培育孵化) in the report's area over its period. */
export interface CapacityFigures {
  /** trainings held (ended) in the period */
  trainings: number;
  /** attendances checked in or marked at them */
  attendances: number;
  /** organisations that sent someone */
  organizationsTrained: number;
  /** organisations in incubation at some time in the period and not graduated before it */
  incubating: number;
  /** organisations that graduated (出孵) in the period */
  graduated: number;
}

// ───────────────────────────── the figures ─────────────────────────────

export interface ReportFigures {
  figuresVersion: number;
  kind: ReportKind;
  /** the round's code, or the foundation's slug */
  ref: string;
  title: Named;
  /** 出具单位 */
  issuer: Named;
  /** what the report covers: the round's dates, or the calendar year (Asia/Shanghai days) */
  period: { from: string; to: string };
  /** the instant the facts were read up to */
  asOf: string;
  roundMoney: RoundMoney | null;
  annualMoney: AnnualMoney | null;
  fundraising: FundraisingFigures | null;
  projects: ProjectFigures;
  people: PeopleFigures;
  satisfaction: SatisfactionFigures;
  evaluations: EvaluationFigures;
  objections: ObjectionFigures;
  /** the rounds an annual report covers (code, title) */
  rounds: { code: string; title: Named }[];
  /** partners and in-kind help; absent from figures published before they were reported */
  partners?: PartnerFigures;
  /** trainings and incubation; absent from figures published before they were reported */
  capacity?: CapacityFigures;
}

// ───────────────────────────── sections ─────────────────────────────

/** A value in a section: the renderer formats it in its language. */
export type Value = { fen: number } | { count: number } | { perMille: number | null } | { tenths: number | null } | { text: string } | { named: Named } | { message: string };

export interface Row {
  /** a message key */
  label: string;
  value: Value;
}

export interface Bar {
  label: Named;
  value: number;
  /** how the value reads: as money or as a count */
  unit: "fen" | "count";
}

export interface Table {
  /** message keys */
  headers: string[];
  rows: Value[][];
}

export interface Section {
  key: string;
  /** a message key */
  heading: string;
  rows: Row[];
  bars: Bar[];
  table: Table | null;
  /** a message key said when the section has nothing to show */
  empty: string | null;
}

type Builder = (f: ReportFigures) => Section | null;

const section = (key: string, rows: Row[], extra: Partial<Pick<Section, "bars" | "table" | "empty">> = {}): Section => ({
  key,
  heading: `report.section.${key}`,
  rows,
  bars: extra.bars ?? [],
  table: extra.table ?? null,
  empty: extra.empty ?? null,
});
const fen = (label: string, n: number): Row => ({ label: `report.row.${label}`, value: { fen: n } });
const count = (label: string, n: number): Row => ({ label: `report.row.${label}`, value: { count: n } });

const roundMoneySection: Builder = (f) => {
  const m = f.roundMoney;
  if (!m) return null;
  return section("roundMoney", [fen("in", m.inFen), fen("committed", m.committedFen), fen("paid", m.paidFen), fen("returned", m.returnedFen), fen("held", m.heldFen), fen("out", m.outFen), fen("unspent", m.unspentFen)], {
    bars: [
      { label: { zh: "投入", en: "In" }, value: m.inFen, unit: "fen" },
      { label: { zh: "拨付", en: "Paid" }, value: m.paidFen, unit: "fen" },
      { label: { zh: "退回", en: "Returned" }, value: m.returnedFen, unit: "fen" },
      { label: { zh: "结存", en: "Held" }, value: m.heldFen, unit: "fen" },
    ],
  });
};

/** 一、捐赠收入情况 (receipts of gifts and other income). */
const receiptsSection: Builder = (f) => {
  const m = f.annualMoney;
  if (!m) return null;
  const x = m.flows;
  return section("receipts", [fen("opening", m.openingFen), fen("donations", x.donationsFen), fen("refunds", x.refundsFen), fen("matches", x.matchesFen + x.matchReturnsFen), fen("appropriations", x.appropriationsFen), fen("inflow", x.inflowFen)], {
    bars: [
      { label: { zh: "捐赠", en: "Gifts" }, value: x.donationsFen + x.refundsFen, unit: "fen" },
      { label: { zh: "配捐", en: "Matches" }, value: x.matchesFen + x.matchReturnsFen, unit: "fen" },
      { label: { zh: "财政拨款", en: "Appropriations" }, value: x.appropriationsFen, unit: "fen" },
    ],
  });
};

/** 二、捐赠使用情况 (uses). */
const usesSection: Builder = (f) => {
  const m = f.annualMoney;
  if (!m) return null;
  const x = m.flows;
  return section("uses", [
    fen("toRoundPools", x.roundPoolsFen - x.roundPoolReturnsFen),
    fen("paidToGrantees", m.paidToGranteesFen),
    fen("projectReturns", x.projectReturnsFen),
    fen("other", x.otherFen),
    fen("closing", m.closingFen),
  ]);
};

/** 三、公开募捐活动情况 (fundraising). */
const fundraisingSection: Builder = (f) => {
  const r = f.fundraising;
  if (!r) return null;
  return section(
    "fundraising",
    [
      { label: "report.row.filingNo", value: r.filingNo ? { text: r.filingNo } : { message: "report.noFiling" } },
      { label: "report.row.entity", value: r.entity ? { text: r.entity } : { message: "report.none" } },
      count("gifts", r.gifts),
      count("campaigns", r.campaigns.length),
    ],
    { table: r.campaigns.length ? { headers: ["report.col.campaign", "report.col.matched"], rows: r.campaigns.map((c) => [{ text: c.title }, { fen: c.matchedFen }]) } : null },
  );
};

const projectsSection: Builder = (f) => {
  const p = f.projects;
  const rows = [count("projects", p.total), fen("awarded", p.awardedFen), fen("released", p.releasedFen), fen("spent", p.spentFen)];
  if (!p.total) return section("projects", rows, { empty: "report.noProjects" });
  return section("projects", rows, {
    table: {
      headers: ["report.col.status", "report.col.projects", "report.col.awarded"],
      rows: p.byStatus.map((s) => [{ named: s.name }, { count: s.count }, { fen: s.fen }]),
    },
  });
};

const categoriesSection: Builder = (f) => {
  const p = f.projects;
  if (!p.total) return null;
  return section("categories", [], {
    bars: p.byCategory.map((c) => ({ label: c.name, value: c.count, unit: "count" as const })),
    table: { headers: ["report.col.category", "report.col.projects", "report.col.awarded"], rows: p.byCategory.map((c) => [{ named: c.name }, { count: c.count }, { fen: c.fen }]) },
  });
};

const peopleSection: Builder = (f) => section("people", [count("beneficiaries", f.people.beneficiaries), count("reportedServed", f.people.reportedServed), count("projectsReporting", f.people.projectsReporting)]);

const satisfactionSection: Builder = (f) => {
  const s = f.satisfaction;
  const rows = [count("satisfied", s.satisfied), count("partly", s.partly), count("notSatisfied", s.notSatisfied), count("unreached", s.unreached), { label: "report.row.satisfiedShare", value: { perMille: s.satisfiedPerMille } }];
  return section("satisfaction", rows, {
    bars: [
      { label: { zh: "满意", en: "Satisfied" }, value: s.satisfied, unit: "count" },
      { label: { zh: "基本满意", en: "Partly" }, value: s.partly, unit: "count" },
      { label: { zh: "不满意", en: "Not satisfied" }, value: s.notSatisfied, unit: "count" },
    ],
    empty: s.satisfied + s.partly + s.notSatisfied + s.unreached === 0 ? "report.noCalls" : null,
  });
};

const evaluationsSection: Builder = (f) =>
  section("evaluations", [count("passed", f.evaluations.passed), count("failed", f.evaluations.failed), { label: "report.row.averageScore", value: { tenths: f.evaluations.averageTenths } }]);

const objectionsSection: Builder = (f) => {
  const o = f.objections;
  return section("objections", [count("objectionsOpen", o.open), count("objectionsUpheld", o.upheld), count("objectionsDismissed", o.dismissed)], {
    table: o.rulings.length
      ? { headers: ["report.col.proposal", "report.col.ruling", "report.col.resolution"], rows: o.rulings.map((r) => [{ text: r.proposal }, { message: r.upheld ? "report.upheld" : "report.dismissed" }, { text: r.resolution }]) }
      : null,
  });
};

const partnersSection: Builder = (f) => {
  const p = f.partners;
  if (!p) return null;
  return section("partners", [
    count("unitsPaired", p.unitsPaired),
    count("inKindGifts", p.inKindGifts),
    fen("inKindValued", p.inKindValuedFen),
    count("inKindUnvalued", p.inKindUnvalued),
    count("wishesTaken", p.wishesTaken),
    count("projectsAdopted", p.projectsAdopted),
  ]);
};

const capacitySection: Builder = (f) => {
  const c = f.capacity;
  if (!c) return null;
  return section("capacity", [
    count("trainingsHeld", c.trainings),
    count("attendances", c.attendances),
    count("organizationsTrained", c.organizationsTrained),
    count("incubating", c.incubating),
    count("graduated", c.graduated),
  ]);
};

const roundsSection: Builder = (f) =>
  f.kind === "ANNUAL" ? section("rounds", [count("rounds", f.rounds.length)], { table: f.rounds.length ? { headers: ["report.col.round", "report.col.title"], rows: f.rounds.map((r) => [{ text: r.code }, { named: r.title }]) } : null }) : null;

/**
 * The sections of each kind of report, in order. The annual report follows what the Charity Law
 * asks a charity to disclose each year (慈善法 annual work report): receipts of gifts, their uses,
 * fundraising activities, the charitable projects — then what came of them.
 */
export const SECTION_BUILDERS: Record<ReportKind, readonly Builder[]> = {
  ROUND: [roundMoneySection, projectsSection, categoriesSection, peopleSection, satisfactionSection, evaluationsSection, objectionsSection, partnersSection, capacitySection],
  ANNUAL: [receiptsSection, usesSection, fundraisingSection, roundsSection, projectsSection, categoriesSection, peopleSection, satisfactionSection, evaluationsSection, objectionsSection, partnersSection, capacitySection],
};

export function reportSections(f: ReportFigures): Section[] {
  return SECTION_BUILDERS[f.kind].flatMap((b) => b(f) ?? []);
}

/** The subject a report's versions are counted in. */
export const reportSubject = (r: { kind: "ROUND"; roundId: string } | { kind: "ANNUAL"; foundationId: string; year: number }) =>
  r.kind === "ROUND" ? `round:${r.roundId}` : `annual:${r.foundationId}:${r.year}`;

/** A year an annual report may be published for: an ended calendar year (Asia/Shanghai), not before 2000. */
export function reportableYear(year: unknown, currentYear: number): number | null {
  const y = typeof year === "string" && /^\d{4}$/.test(year) ? Number(year) : typeof year === "number" ? year : NaN;
  return Number.isInteger(y) && y >= 2000 && y <= currentYear ? y : null;
}

/** Per mille as a percent with one decimal ("87.5%"); tenths as a number with one decimal. */
export const formatPerMille = (n: number | null) => (n === null ? "—" : `${(n / 10).toFixed(1)}%`);
export const formatTenths = (n: number | null) => (n === null ? "—" : (n / 10).toFixed(1));

/** A value as text in `locale`; `t` translates message keys. */
export function valueText(v: Value, locale: "zh-CN" | "en", t: (key: string) => string): string {
  if ("fen" in v) return formatFen(v.fen);
  if ("count" in v) return String(v.count);
  if ("perMille" in v) return formatPerMille(v.perMille);
  if ("tenths" in v) return formatTenths(v.tenths);
  if ("named" in v) return locale === "en" ? v.named.en : v.named.zh;
  if ("message" in v) return t(v.message);
  return v.text;
}

/** A bar's value as text. */
export const barText = (b: Bar) => (b.unit === "fen" ? formatFen(b.value) : String(b.value));

/** The report's title in `locale`. */
export const reportTitle = (f: Pick<ReportFigures, "title">, locale: "zh-CN" | "en") => (locale === "en" ? f.title.en : f.title.zh);
