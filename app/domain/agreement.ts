/**
 * The grant agreement (合同管理, PRODUCT.md step 9): what the applicant accepts and the official
 * countersigns, generated from the proposal's frozen snapshot and the final award. Pure.
 */
import { largestRemainder, splitAward, type TrancheShare } from "./tranches";

export type TrancheTrigger = "AGREEMENT" | "MIDTERM" | "FINAL";

export interface AgreementBudgetLine {
  position: number;
  category: string;
  item: string;
  /** the line as requested in the proposal */
  requestedFen: number;
  /** the line as funded: requested lines scaled to the award (partial awards), summing exactly */
  agreedFen: number;
}

export interface AgreementMilestone {
  position: number;
  title: string;
  dueOn: string | null;
  deliverable: string;
}

export interface AgreementTranche {
  position: number;
  percent: number;
  amountFen: number;
  trigger: TrancheTrigger;
  /** position of the milestone whose approval releases it; null for the agreement tranche */
  milestonePosition: number | null;
}

export interface AgreementTerms {
  version: 1;
  referenceNo: string;
  title: string;
  summary: string;
  round: { code: string; title: string };
  /** 甲方: the area's office that runs the round, and the foundation paying */
  funder: { areaNameZh: string; areaNameEn: string; foundationNameZh: string; foundationNameEn: string };
  /** 乙方: the implementing organization */
  grantee: { name: string; kind: string };
  community: { nameZh: string; nameEn: string } | null;
  category: string | null;
  awardFen: number;
  requestedFen: number;
  coFundingFen: number;
  beneficiaryCount: number | null;
  budget: AgreementBudgetLine[];
  milestones: AgreementMilestone[];
  tranches: AgreementTranche[];
  evaluationPassScore: number;
  /** the obligations, in both languages, frozen with the rest */
  obligations: { zh: string; en: string }[];
  generatedAt: string;
}

/** What both parties undertake (after the 003/004 contract-management clauses). */
export const OBLIGATIONS: readonly { zh: string; en: string }[] = [
  { zh: "乙方按协议所列里程碑实施项目，按期提交里程碑报告，如实填报服务人数并附照片等佐证材料。", en: "The grantee carries out the project by the milestones listed, reports on each on time, states the number of people served truthfully and attaches photos and other evidence." },
  { zh: "资金专款专用：每笔支出须有票据，计入对应预算科目；预算科目之间调整须事先申请并经甲方批准。", en: "The money is spent only on this project: every expense has a receipt and is booked to its budget line; moving money between lines needs the funder's prior approval." },
  { zh: "乙方登记服务对象并取得其同意，配合甲方按月随机抽样回访；服务对象个人信息加密保存，仅用于回访。", en: "The grantee registers beneficiaries with their consent and supports the funder's monthly random call-backs; their personal data is stored encrypted and used only for call-backs." },
  { zh: "资金分期拨付：首期于协议签订后拨付，其后各期于所系里程碑经审核通过后拨付，尾款于终期评估合格后拨付。", en: "The award is paid in tranches: the first after signing, each later one when the milestone it is tied to is approved, the last after the final evaluation passes." },
  { zh: "终期评估不合格的，尾款暂停拨付；项目结束时未使用的资金如数退回社区基金。", en: "If the final evaluation fails, the last tranche is held; money unspent at the end goes back to the community foundation." },
  { zh: "项目名称、资助金额、拨付、里程碑报告、支出（按预算科目）和回访满意度向社会公开（两公开），服务对象姓名和电话不公开。", en: "The project's name, award, tranches paid, milestone reports, spending by budget line and call-back satisfaction are public (两公开); beneficiaries' names and phone numbers never are." },
];

/**
 * Scales requested budget lines to the award, by largest remainder so the lines sum exactly to
 * the award (a partially funded proposal keeps its proportions). Lines above the award never grow.
 */
export function scaleBudget(requested: readonly number[], awardFen: number): number[] {
  const total = requested.reduce((s, n) => s + n, 0);
  if (!Number.isSafeInteger(awardFen) || awardFen < 0) throw new RangeError("invalid award");
  if (requested.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new RangeError("invalid budget line");
  if (total === 0) return requested.map(() => 0);
  if (awardFen >= total) return [...requested];
  return largestRemainder(awardFen, requested);
}

/**
 * Which milestone (1-based position) each tranche waits for. The agreement tranche: none. FINAL
 * tranches: the last milestone (and, on top, the final evaluation). MIDTERM tranches are spread
 * over the milestones before the last: the k-th of m waits for milestone ⌈k·(n−1)/m⌉ — with the
 * default 50/30/20 schedule and three milestones, the mid-term tranche waits for milestone 2.
 * With one milestone every later tranche waits for it; with none, for the final evaluation alone.
 */
export function trancheMilestones(triggers: readonly TrancheTrigger[], milestoneCount: number): (number | null)[] {
  const midterms = triggers.filter((t) => t === "MIDTERM").length;
  let k = 0;
  return triggers.map((t) => {
    if (t === "AGREEMENT" || milestoneCount === 0) return null;
    if (t === "FINAL") return milestoneCount;
    k++;
    if (milestoneCount === 1) return 1;
    // spread over 1 … n-1: the last milestone belongs to the final tranche
    return Math.max(1, Math.min(milestoneCount - 1, Math.ceil((k * (milestoneCount - 1)) / midterms)));
  });
}

export interface TermsInput {
  snapshot: {
    referenceNo: string;
    title: string;
    summary: string;
    organization: { name: string; kind: string };
    community: { nameZh: string; nameEn: string } | null;
    category: string | null;
    beneficiaryCount: number | null;
    coFundingFen: number;
    milestones: readonly { title: string; dueOn: string | null; deliverable: string }[];
    budgetLines: readonly { category: string; item: string; totalFen: number }[];
  };
  round: { code: string; title: string; trancheSchedule: readonly { percent: number; trigger: TrancheTrigger }[]; evaluationPassScore: number };
  area: { nameZh: string; nameEn: string };
  foundation: { nameZh: string; nameEn: string };
  awardFen: number;
  generatedAt: Date;
}

/** The agreement as both parties will see and sign it. */
export function agreementTerms(input: TermsInput): AgreementTerms {
  const { snapshot, round } = input;
  const requested = snapshot.budgetLines.map((l) => l.totalFen);
  const agreed = scaleBudget(requested, input.awardFen);
  const shares: TrancheShare[] = round.trancheSchedule.map((s) => ({ percent: s.percent }));
  const amounts = splitAward(input.awardFen, shares);
  const tied = trancheMilestones(
    round.trancheSchedule.map((s) => s.trigger),
    snapshot.milestones.length,
  );
  return {
    version: 1,
    referenceNo: snapshot.referenceNo,
    title: snapshot.title,
    summary: snapshot.summary,
    round: { code: round.code, title: round.title },
    funder: { areaNameZh: input.area.nameZh, areaNameEn: input.area.nameEn, foundationNameZh: input.foundation.nameZh, foundationNameEn: input.foundation.nameEn },
    grantee: { name: snapshot.organization.name, kind: snapshot.organization.kind },
    community: snapshot.community ? { nameZh: snapshot.community.nameZh, nameEn: snapshot.community.nameEn } : null,
    category: snapshot.category,
    awardFen: input.awardFen,
    requestedFen: requested.reduce((s, n) => s + n, 0),
    coFundingFen: snapshot.coFundingFen,
    beneficiaryCount: snapshot.beneficiaryCount,
    budget: snapshot.budgetLines.map((l, i) => ({ position: i + 1, category: l.category, item: l.item, requestedFen: l.totalFen, agreedFen: agreed[i]! })),
    milestones: snapshot.milestones.map((m, i) => ({ position: i + 1, title: m.title, dueOn: m.dueOn, deliverable: m.deliverable })),
    tranches: round.trancheSchedule.map((s, i) => ({ position: i + 1, percent: s.percent, amountFen: amounts[i]!, trigger: s.trigger, milestonePosition: tied[i]! })),
    evaluationPassScore: round.evaluationPassScore,
    obligations: OBLIGATIONS.map((o) => ({ ...o })),
    generatedAt: input.generatedAt.toISOString(),
  };
}

// ───────────────────────────── tranche release: who may do what ─────────────────────────────

export type TrancheState = "LOCKED" | "RELEASABLE" | "PREPARED" | "RELEASED" | "HELD";

export type ReleaseProblem =
  | "tranche.problem.notReleasable"
  | "tranche.problem.notPrepared"
  | "tranche.problem.sameOfficial"
  | "tranche.problem.alreadyReleased"
  | "tranche.problem.projectNotActive"
  | "tranche.problem.earlierUnpaid";

export interface ReleaseCheck {
  status: TrancheState;
  preparedById: string | null;
  /** statuses of the tranches before this one */
  earlier: readonly TrancheState[];
  projectStatus: string;
}

/** Why `actorId` may not prepare this tranche's release; null when they may. */
export function prepareProblem(t: ReleaseCheck): ReleaseProblem | null {
  if (t.status === "RELEASED") return "tranche.problem.alreadyReleased";
  if (t.projectStatus !== "ACTIVE" && t.projectStatus !== "CLOSED") return "tranche.problem.projectNotActive";
  if (t.status !== "RELEASABLE") return "tranche.problem.notReleasable";
  if (t.earlier.some((s) => s !== "RELEASED")) return "tranche.problem.earlierUnpaid";
  return null;
}

/** Why `actorId` may not approve (the second step); null when they may. Four eyes: never the preparer. */
export function approveProblem(t: ReleaseCheck, actorId: string): ReleaseProblem | null {
  if (t.status === "RELEASED") return "tranche.problem.alreadyReleased";
  if (t.status !== "PREPARED") return "tranche.problem.notPrepared";
  if (t.preparedById === actorId) return "tranche.problem.sameOfficial";
  return null;
}

/** A bank transfer reference as written on the bank's slip: 4–64 letters, digits, "-", "_", "/". */
export function transferRefProblem(ref: string): string | null {
  const v = ref.trim();
  if (!v) return "tranche.error.refRequired";
  if (!/^[A-Za-z0-9][A-Za-z0-9_\-/]{3,63}$/.test(v)) return "tranche.error.refFormat";
  return null;
}

/** Money paid so far: the sum of the RELEASED tranches, fen. */
export function paidFen(tranches: readonly { status: string; amountFen: number }[]): number {
  return tranches.filter((t) => t.status === "RELEASED").reduce((sum, t) => sum + t.amountFen, 0);
}
