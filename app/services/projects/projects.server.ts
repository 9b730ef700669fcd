import { sha256Json } from "~/lib/crypto.server";
import { agreementTerms, approveProblem, paidFen, prepareProblem, transferRefProblem, type AgreementTerms, type TrancheState, type TrancheTrigger } from "~/domain/agreement";
import { accountCodes, transfer } from "~/domain/ledger";
import { formatFen } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { forbidden } from "~/lib/permissions.server";
import { audit } from "~/services/books/audit.server";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { tellNeedsFunded } from "~/services/needs/conversation.server";
import { fail, ok, type Result } from "~/lib/result";
import { granteeUsers, lockProject, officialProjectsWhere, projectOfficials, requireProject, type ProjectAccess, type ProjectRow } from "./access.server";

/**
 * Funded projects (PRODUCT.md steps 9–11): the grant agreement, its acceptance and
 * countersignature, and the tranches — prepared by one official, approved by another, each paid
 * exactly once. Milestone approvals and the final evaluation (other modules) unlock tranches
 * through `milestoneApproved` and `evaluationDecided`; `closeProject` returns unspent money.
 */

const appUrl = () => env().APP_URL;
const projectLink = (ref: string, page = "agreement") => `/projects/${encodeURIComponent(ref)}/${page}`;

// ───────────────────────────── creation (when awards become final) ─────────────────────────────

/**
 * Creates the project of a FINAL award that carries money — agreement terms from the proposal
 * snapshot, milestones, budget lines, tranches (all LOCKED until the agreement is signed) — and
 * tells the applicant. Idempotent: a second call returns the existing project.
 */
export async function createProjectForAward(tx: Tx, awardId: string, now = new Date()): Promise<string | null> {
  const existing = await tx.project.findUnique({ where: { awardId }, select: { id: true } });
  if (existing) return existing.id;
  const award = await tx.award.findUniqueOrThrow({
    where: { id: awardId },
    select: {
      id: true,
      outcome: true,
      awardFen: true,
      status: true,
      proposal: {
        select: {
          id: true,
          referenceNo: true,
          title: true,
          category: true,
          organizationId: true,
          summary: true,
          snapshot: true,
          organization: { select: { name: true, kind: true } },
          community: { select: { id: true, path: true, nameZh: true, nameEn: true } },
        },
      },
      round: {
        select: {
          id: true,
          code: true,
          title: true,
          trancheSchedule: true,
          evaluationPassScore: true,
          area: { select: { nameZh: true, nameEn: true, path: true } },
          foundation: { select: { nameZh: true, nameEn: true } },
        },
      },
    },
  });
  if (award.status !== "FINAL" || award.awardFen <= 0 || (award.outcome !== "FUNDED" && award.outcome !== "PARTIAL")) return null;
  const { proposal, round } = award;
  const snapshot = proposal.snapshot as unknown as AgreementSnapshot;
  const terms = agreementTerms({
    // the frozen snapshot is the source; the live rows only fill what an older snapshot lacks
    snapshot: {
      referenceNo: proposal.referenceNo ?? snapshot.referenceNo,
      title: snapshot.title ?? proposal.title,
      summary: snapshot.summary ?? proposal.summary,
      organization: snapshot.organization ?? proposal.organization,
      community: snapshot.community !== undefined ? snapshot.community : proposal.community,
      category: snapshot.category ?? null,
      beneficiaryCount: snapshot.beneficiaryCount ?? null,
      coFundingFen: snapshot.coFundingFen ?? 0,
      milestones: snapshot.milestones ?? [],
      budgetLines: (snapshot.budgetLines ?? []).map((l) => ({ category: l.category, item: l.item, totalFen: l.totalFen })),
    },
    round: {
      code: round.code,
      title: round.title,
      trancheSchedule: round.trancheSchedule as { percent: number; trigger: TrancheTrigger }[],
      evaluationPassScore: round.evaluationPassScore,
    },
    area: round.area,
    foundation: round.foundation,
    awardFen: award.awardFen,
    generatedAt: now,
  });
  const project = await tx.project.create({
    data: {
      awardId: award.id,
      proposalId: proposal.id,
      roundId: round.id,
      organizationId: proposal.organizationId,
      communityId: proposal.community?.id ?? null,
      areaPath: proposal.community?.path ?? round.area.path,
      referenceNo: terms.referenceNo,
      title: terms.title,
      category: proposal.category,
      awardFen: award.awardFen,
      terms: terms as unknown as Prisma.InputJsonValue,
      termsSha256: sha256Json(terms),
      milestones: {
        create: terms.milestones.map((m) => ({
          position: m.position,
          title: m.title,
          deliverable: m.deliverable,
          dueOn: m.dueOn ? new Date(`${m.dueOn}T00:00:00+08:00`) : null,
        })),
      },
      budgetLines: {
        create: terms.budget.map((l) => ({ position: l.position, category: l.category, item: l.item, agreedFen: l.agreedFen, budgetFen: l.agreedFen })),
      },
    },
    select: { id: true, milestones: { select: { id: true, position: true } } },
  });
  const milestoneByPosition = new Map(project.milestones.map((m) => [m.position, m.id]));
  await tx.tranche.createMany({
    data: terms.tranches.map((t) => ({
      projectId: project.id,
      position: t.position,
      percent: t.percent,
      amountFen: t.amountFen,
      trigger: t.trigger,
      milestoneId: t.milestonePosition ? milestoneByPosition.get(t.milestonePosition)! : null,
    })),
  });
  await audit(tx, { actorId: null, action: "project.create", objectType: "Project", objectId: project.id, after: { referenceNo: terms.referenceNo, awardFen: award.awardFen, termsSha256: sha256Json(terms) } });
  await tellGrantee(tx, proposal.organizationId, { referenceNo: terms.referenceNo, title: terms.title, kind: "AGREEMENT_READY", amount: formatFen(award.awardFen), detail: "" });
  // the residents following the needs this project answers hear that it is funded
  await tellNeedsFunded(tx, proposal.id, { referenceNo: terms.referenceNo, title: terms.title });
  return project.id;
}

/** The parts of a proposal snapshot (domain/proposals.ts snapshotOf) the agreement reads. */
interface AgreementSnapshot {
  referenceNo: string;
  title?: string;
  summary?: string;
  organization?: { name: string; kind: string };
  community?: { nameZh: string; nameEn: string } | null;
  category?: string | null;
  beneficiaryCount?: number | null;
  coFundingFen?: number;
  milestones?: { title: string; dueOn: string | null; deliverable: string }[];
  budgetLines?: { category: string; item: string; totalFen: number }[];
}

/** Creates the projects of every final funded award of a round (idempotent). */
export async function createProjectsForRound(tx: Tx, roundId: string, now = new Date()): Promise<number> {
  const awards = await tx.award.findMany({
    where: { roundId, status: "FINAL", outcome: { in: ["FUNDED", "PARTIAL"] }, awardFen: { gt: 0 }, project: null },
    select: { id: true },
    orderBy: { rank: "asc" },
  });
  for (const a of awards) await createProjectForAward(tx, a.id, now);
  return awards.length;
}

type Update = { referenceNo: string; title: string; kind: "AGREEMENT_READY" | "AGREEMENT_COUNTERSIGNED" | "TRANCHE_RELEASED" | "TRANCHE_HELD" | "PROJECT_CLOSED"; amount: string; detail: string };

/** Inbox notice and email to every member (with an account) of the implementing organization. */
async function tellGrantee(tx: Tx, organizationId: string, u: Update) {
  const page = u.kind === "PROJECT_CLOSED" ? "" : "agreement";
  const link = page ? projectLink(u.referenceNo, page) : `/projects/${encodeURIComponent(u.referenceNo)}`;
  for (const user of await granteeUsers(tx, organizationId)) {
    await notify(tx, { userId: user.id, kind: `project.${u.kind}`, params: { referenceNo: u.referenceNo, title: u.title, amount: u.amount, detail: u.detail }, link });
    await queueUserEmail(tx, user, "project-update", { referenceNo: u.referenceNo, title: u.title, kind: u.kind, amount: u.amount, detail: u.detail, link: `${appUrl()}${link}` });
  }
}

// ───────────────────────────── the agreement page ─────────────────────────────

export interface AgreementView {
  access: Omit<ProjectAccess, "project">;
  project: {
    id: string;
    referenceNo: string;
    title: string;
    status: string;
    awardFen: number;
    version: number;
    acceptedAt: Date | null;
    acceptedBy: string | null;
    countersignedAt: Date | null;
    countersignedBy: string | null;
    termsSha256: string;
    closedAt: Date | null;
    unspentReturnedFen: number | null;
  };
  terms: AgreementTerms;
  tranches: {
    id: string;
    position: number;
    percent: number;
    amountFen: number;
    trigger: TrancheTrigger;
    status: TrancheState;
    milestone: { position: number; title: string; status: string } | null;
    preparedBy: string | null;
    preparedAt: Date | null;
    /** shown to the grantee and officials only */
    transferRef: string | null;
    approvedBy: string | null;
    releasedAt: Date | null;
    heldReason: string | null;
    /** why the viewer may not prepare / approve now (null = they may) */
    prepareProblem: string | null;
    approveProblem: string | null;
  }[];
  paidFen: number;
}

/** The agreement and the tranches as the grantee or an official sees them. */
export async function agreementView(viewer: Actor, referenceNo: string): Promise<AgreementView> {
  const { project, ...access } = await requireProject(viewer, referenceNo, "member");
  const row = await db().project.findUniqueOrThrow({
    where: { id: project.id },
    select: {
      terms: true,
      termsSha256: true,
      acceptedById: true,
      acceptedAt: true,
      countersignedById: true,
      countersignedAt: true,
      unspentReturnedFen: true,
      tranches: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          percent: true,
          amountFen: true,
          trigger: true,
          status: true,
          preparedById: true,
          preparedAt: true,
          transferRef: true,
          approvedById: true,
          releasedAt: true,
          heldReason: true,
          milestone: { select: { position: true, title: true, status: true } },
        },
      },
    },
  });
  const userIds = [row.acceptedById, row.countersignedById, ...row.tranches.flatMap((t) => [t.preparedById, t.approvedById])].filter((x): x is string => !!x);
  const names = new Map((await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? "—") : null);
  const states = row.tranches.map((t) => t.status as TrancheState);
  return {
    access,
    project: {
      id: project.id,
      referenceNo: project.referenceNo,
      title: project.title,
      status: project.status,
      awardFen: project.awardFen,
      version: project.version,
      acceptedAt: row.acceptedAt,
      acceptedBy: nameOf(row.acceptedById),
      countersignedAt: row.countersignedAt,
      countersignedBy: nameOf(row.countersignedById),
      termsSha256: row.termsSha256,
      closedAt: project.closedAt,
      unspentReturnedFen: row.unspentReturnedFen,
    },
    terms: row.terms as unknown as AgreementTerms,
    tranches: row.tranches.map((t, i) => {
      const check = { status: t.status as TrancheState, preparedById: t.preparedById, earlier: states.slice(0, i), projectStatus: project.status };
      return {
        id: t.id,
        position: t.position,
        percent: t.percent,
        amountFen: t.amountFen,
        trigger: t.trigger,
        status: t.status as TrancheState,
        milestone: t.milestone,
        preparedBy: nameOf(t.preparedById),
        preparedAt: t.preparedAt,
        transferRef: t.transferRef,
        approvedBy: nameOf(t.approvedById),
        releasedAt: t.releasedAt,
        heldReason: t.heldReason,
        prepareProblem: access.isOfficial ? prepareProblem(check) : "tranche.problem.officialsOnly",
        approveProblem: access.isOfficial ? approveProblem(check, viewer.id) : "tranche.problem.officialsOnly",
      };
    }),
    paidFen: paidFen(row.tranches),
  };
}

/**
 * What both signatures share: the confirmation box, the state the project must be waiting in,
 * and the hash of the terms the signer saw (a stale page — terms changed since — is refused).
 * `change` records the signature, `tell` lets the other side know; both in the one transaction,
 * around the audit record.
 */
async function sign(
  viewer: Actor,
  referenceNo: string,
  input: { termsSha256: string; confirm: boolean },
  side: "accept" | "countersign",
  steps: { change: (tx: Tx, project: ProjectRow, now: Date) => Promise<void>; tell: (tx: Tx, project: ProjectRow) => Promise<void> },
): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, side === "accept" ? "grantee" : "official");
  if (!input.confirm) return fail(400, "agreement.error.confirm");
  const waiting = side === "accept" ? "AWAITING_ACCEPTANCE" : "AWAITING_COUNTERSIGN";
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const row = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { status: true, termsSha256: true } });
    if (row.status !== waiting) return fail(409, side === "accept" ? "agreement.error.notAwaitingAcceptance" : "agreement.error.notAwaitingCountersign");
    if (row.termsSha256 !== input.termsSha256) return fail(409, "agreement.error.stale");
    const now = new Date();
    await steps.change(tx, project, now);
    await audit(tx, { actorId: viewer.id, action: `agreement.${side}`, objectType: "Project", objectId: project.id, after: { termsSha256: row.termsSha256, at: now.toISOString() } });
    await steps.tell(tx, project);
    return ok();
  });
}

/** The applicant accepts the agreement: who and when recorded, with the hash of the terms they saw. */
export async function acceptAgreement(viewer: Actor, referenceNo: string, input: { termsSha256: string; confirm: boolean }): Promise<Result> {
  return sign(viewer, referenceNo, input, "accept", {
    change: async (tx, project, now) => {
      await tx.project.update({ where: { id: project.id }, data: { status: "AWAITING_COUNTERSIGN", acceptedById: viewer.id, acceptedAt: now, version: { increment: 1 } } });
    },
    tell: async (tx, project) => {
      for (const official of await projectOfficials(tx, project.areaPath)) {
        await notify(tx, { userId: official.id, kind: "project.AGREEMENT_ACCEPTED", params: { referenceNo: project.referenceNo, title: project.title }, link: projectLink(project.referenceNo) });
      }
    },
  });
}

/**
 * An official countersigns: the project becomes ACTIVE and the agreement tranche releasable.
 */
export async function countersignAgreement(viewer: Actor, referenceNo: string, input: { termsSha256: string; confirm: boolean }): Promise<Result> {
  return sign(viewer, referenceNo, input, "countersign", {
    change: async (tx, project, now) => {
      await tx.project.update({ where: { id: project.id }, data: { status: "ACTIVE", countersignedById: viewer.id, countersignedAt: now, version: { increment: 1 } } });
      await tx.tranche.updateMany({ where: { projectId: project.id, trigger: "AGREEMENT", status: "LOCKED" }, data: { status: "RELEASABLE", releasableAt: now } });
    },
    tell: (tx, project) =>
      tellGrantee(tx, project.organizationId, { referenceNo: project.referenceNo, title: project.title, kind: "AGREEMENT_COUNTERSIGNED", amount: formatFen(project.awardFen), detail: "" }),
  });
}

// ───────────────────────────── tranche release: prepare, approve ─────────────────────────────

async function trancheCheck(tx: Tx, projectId: string, trancheId: string) {
  const tranches = await tx.tranche.findMany({ where: { projectId }, orderBy: { position: "asc" } });
  const index = tranches.findIndex((t) => t.id === trancheId);
  if (index < 0) return null;
  const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { status: true } });
  const t = tranches[index]!;
  return { tranche: t, check: { status: t.status as TrancheState, preparedById: t.preparedById, earlier: tranches.slice(0, index).map((x) => x.status as TrancheState), projectStatus: project.status } };
}

/** Step one: an official records the bank transfer they are about to make. */
export async function prepareRelease(viewer: Actor, referenceNo: string, input: { trancheId: string; transferRef: string }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  const refProblem = transferRefProblem(input.transferRef);
  if (refProblem) return fail(400, refProblem);
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const found = await trancheCheck(tx, project.id, input.trancheId);
    if (!found) return fail(409, "tranche.problem.unknown");
    const problem = prepareProblem(found.check);
    if (problem) return fail(409, problem);
    const now = new Date();
    await tx.tranche.update({ where: { id: found.tranche.id }, data: { status: "PREPARED", preparedById: viewer.id, preparedAt: now, transferRef: input.transferRef.trim() } });
    await audit(tx, { actorId: viewer.id, action: "tranche.prepare", objectType: "Tranche", objectId: found.tranche.id, after: { transferRef: input.transferRef.trim(), amountFen: found.tranche.amountFen } });
    for (const official of await projectOfficials(tx, project.areaPath)) {
      if (official.id === viewer.id) continue;
      await notify(tx, { userId: official.id, kind: "project.TRANCHE_PREPARED", params: { referenceNo: project.referenceNo, position: found.tranche.position, amount: formatFen(found.tranche.amountFen) }, link: projectLink(project.referenceNo) });
    }
    return ok();
  });
}

/** An official withdraws a prepared release (wrong reference): back to RELEASABLE. */
export async function cancelPreparedRelease(viewer: Actor, referenceNo: string, input: { trancheId: string }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const t = await tx.tranche.findFirst({ where: { id: input.trancheId, projectId: project.id } });
    if (!t) return fail(409, "tranche.problem.unknown");
    if (t.status !== "PREPARED") return fail(409, "tranche.problem.notPrepared");
    await tx.tranche.update({ where: { id: t.id }, data: { status: "RELEASABLE", preparedById: null, preparedAt: null, transferRef: null } });
    await audit(tx, { actorId: viewer.id, action: "tranche.cancelPrepared", objectType: "Tranche", objectId: t.id, before: { transferRef: t.transferRef, preparedById: t.preparedById } });
    return ok();
  });
}

/**
 * Step two: a different official approves; the money moves award-committed → grantee-paid with
 * the idempotency key `tranche:<id>:release`, and the tranche becomes RELEASED — both in one
 * transaction, so a crash leaves neither. Concurrent approvals of one tranche serialise on the
 * project row lock; the conditional update (status = PREPARED) and the ledger key each make a
 * second payment impossible even without it.
 */
export async function approveRelease(viewer: Actor, referenceNo: string, input: { trancheId: string }, hooks: { afterLedger?: () => Promise<void> } = {}): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const found = await trancheCheck(tx, project.id, input.trancheId);
    if (!found) return fail(409, "tranche.problem.unknown");
    const problem = approveProblem(found.check, viewer.id);
    if (problem) return fail(409, problem);
    const t = found.tranche;
    // the posting is dated by the payment it records: the same instant as the tranche's releasedAt
    const now = new Date();
    const posted = await postTrancheRelease(tx, { ...project, foundationId: project.round.foundationId }, t, t.transferRef ?? "", viewer.id, now);
    if (hooks.afterLedger) await hooks.afterLedger();
    const updated = await tx.tranche.updateMany({
      where: { id: t.id, status: "PREPARED" },
      data: { status: "RELEASED", approvedById: viewer.id, releasedAt: now, ledgerTransactionId: posted.transactionId },
    });
    if (updated.count !== 1 || !posted.created) throw new Error(`tranche ${t.id}: released twice`); // rolls back the whole decision
    await audit(tx, { actorId: viewer.id, action: "tranche.release", objectType: "Tranche", objectId: t.id, after: { amountFen: t.amountFen, transferRef: t.transferRef, ledgerTransactionId: posted.transactionId, preparedById: t.preparedById } });
    await tellGrantee(tx, project.organizationId, { referenceNo: project.referenceNo, title: project.title, kind: "TRANCHE_RELEASED", amount: formatFen(t.amountFen), detail: t.transferRef ?? "" });
    return ok();
  });
}

/**
 * The ledger side of paying a tranche: award-committed → grantee-paid, once per tranche (key
 * `tranche:<id>:release`). Used by `approveRelease` and by the demo seed. `paidAt` dates the
 * posting (the tranche's releasedAt); default now.
 */
export async function postTrancheRelease(
  tx: Tx,
  project: { referenceNo: string; awardId: string; foundationId: string },
  tranche: { id: string; position: number; amountFen: number },
  transferRef: string,
  actorId: string,
  paidAt?: Date,
) {
  await ensureAccount(tx, {
    code: accountCodes.granteePaid(project.awardId),
    kind: "GRANTEE_PAID",
    nameZh: `资助 ${project.referenceNo} 已拨付`,
    nameEn: `Award ${project.referenceNo} — paid to the grantee`,
    foundationId: project.foundationId,
    ownerId: project.awardId,
  });
  return postTransaction(tx, {
    idempotencyKey: `tranche:${tranche.id}:release`,
    kind: "TRANCHE_RELEASE",
    memo: `${project.referenceNo} 第${tranche.position}期拨付 / tranche ${tranche.position} paid · ${transferRef}`,
    actorId,
    occurredAt: paidAt ?? null,
    entries: transfer(accountCodes.awardCommitted(project.awardId), accountCodes.granteePaid(project.awardId), tranche.amountFen),
  });
}

// ───────────────────────────── hooks for monitoring and evaluation ─────────────────────────────

/**
 * A milestone's report was approved (call inside that transaction): the milestone is APPROVED
 * and the MIDTERM tranches tied to it become releasable. FINAL tranches wait for the evaluation.
 */
export async function milestoneApproved(tx: Tx, milestoneId: string, actorId: string): Promise<void> {
  const now = new Date();
  const m = await tx.projectMilestone.update({ where: { id: milestoneId }, data: { status: "APPROVED", approvedAt: now }, select: { id: true, projectId: true, position: true } });
  const opened = await tx.tranche.updateMany({ where: { milestoneId, trigger: "MIDTERM", status: "LOCKED" }, data: { status: "RELEASABLE", releasableAt: now } });
  await audit(tx, { actorId, action: "milestone.approve", objectType: "ProjectMilestone", objectId: m.id, after: { projectId: m.projectId, position: m.position, tranchesReleasable: opened.count } });
}

/**
 * The final evaluation was decided (call inside that transaction): pass makes the FINAL tranches
 * releasable; fail holds them with the reasons and marks the project EVALUATION_FAILED.
 */
export async function evaluationDecided(tx: Tx, input: { projectId: string; evaluationId: string; passed: boolean; reasons: string; actorId: string }): Promise<void> {
  await lockProject(tx, input.projectId);
  const now = new Date();
  const project = await tx.project.findUniqueOrThrow({ where: { id: input.projectId }, select: { referenceNo: true, title: true, organizationId: true } });
  if (input.passed) {
    await tx.tranche.updateMany({ where: { projectId: input.projectId, trigger: "FINAL", status: { in: ["LOCKED", "HELD"] } }, data: { status: "RELEASABLE", releasableAt: now, heldReason: null } });
    await tx.project.update({ where: { id: input.projectId }, data: { status: "ACTIVE", version: { increment: 1 } } });
  } else {
    await tx.tranche.updateMany({ where: { projectId: input.projectId, trigger: "FINAL", status: { in: ["LOCKED", "RELEASABLE"] } }, data: { status: "HELD", heldReason: input.reasons } });
    await tx.project.update({ where: { id: input.projectId }, data: { status: "EVALUATION_FAILED", version: { increment: 1 } } });
    await tellGrantee(tx, project.organizationId, { referenceNo: project.referenceNo, title: project.title, kind: "TRANCHE_HELD", amount: "", detail: input.reasons });
  }
  await audit(tx, { actorId: input.actorId, action: input.passed ? "evaluation.pass" : "evaluation.fail", objectType: "Project", objectId: input.projectId, after: { evaluationId: input.evaluationId, reasons: input.reasons } });
}

/**
 * Closes the project: money paid but unspent (`unspentFen`, as reported and checked) goes back
 * grantee-paid → foundation-available, and money committed but never paid (held or unreleased
 * tranches) goes back award-committed → foundation-available. Refused while a tranche is
 * prepared (a transfer in flight) or while the evaluation has not been decided.
 */
export async function closeProject(tx: Tx, input: { projectId: string; unspentFen: number; actorId: string; at?: Date }): Promise<Result> {
  // when the project closed: its closedAt and the date of the money going back (default now)
  const now = input.at ?? new Date();
  await lockProject(tx, input.projectId);
  const project = await tx.project.findUniqueOrThrow({
    where: { id: input.projectId },
    select: { id: true, status: true, awardId: true, referenceNo: true, title: true, organizationId: true, round: { select: { foundationId: true } }, tranches: { select: { status: true, amountFen: true, trigger: true } } },
  });
  if (project.status === "CLOSED") return fail(409, "project.error.closed");
  if (project.tranches.some((t) => t.status === "PREPARED")) return fail(409, "project.error.transferInFlight");
  const finalOpen = project.tranches.some((t) => t.trigger === "FINAL" && (t.status === "LOCKED" || t.status === "RELEASABLE"));
  if (finalOpen && project.status !== "EVALUATION_FAILED") return fail(409, "project.error.finalTrancheOpen");
  const paid = paidFen(project.tranches);
  const unpaid = project.tranches.filter((t) => t.status !== "RELEASED").reduce((s, t) => s + t.amountFen, 0);
  if (!Number.isSafeInteger(input.unspentFen) || input.unspentFen < 0 || input.unspentFen > paid) return fail(400, "project.error.unspentRange");
  const available = accountCodes.foundationAvailable(project.round.foundationId);
  if (input.unspentFen > 0) {
    await postTransaction(tx, {
      idempotencyKey: `project:${project.id}:unspent-return`,
      kind: "UNSPENT_RETURN",
      memo: `${project.referenceNo} 结余退回 / unspent money returned`,
      actorId: input.actorId,
      occurredAt: now,
      entries: transfer(accountCodes.granteePaid(project.awardId), available, input.unspentFen),
    });
  }
  if (unpaid > 0) {
    await postTransaction(tx, {
      idempotencyKey: `project:${project.id}:uncommit`,
      kind: "COMMITMENT_RELEASE",
      memo: `${project.referenceNo} 未拨付资金退回 / unpaid commitment released`,
      actorId: input.actorId,
      occurredAt: now,
      entries: transfer(accountCodes.awardCommitted(project.awardId), available, unpaid),
    });
  }
  await tx.project.update({ where: { id: project.id }, data: { status: "CLOSED", closedAt: now, unspentReturnedFen: input.unspentFen + unpaid, version: { increment: 1 } } });
  await audit(tx, { actorId: input.actorId, action: "project.close", objectType: "Project", objectId: project.id, after: { unspentFen: input.unspentFen, unpaidFen: unpaid, paidFen: paid } });
  await tellGrantee(tx, project.organizationId, { referenceNo: project.referenceNo, title: project.title, kind: "PROJECT_CLOSED", amount: formatFen(input.unspentFen + unpaid), detail: "" });
  return ok();
}

// ───────────────────────────── lists ─────────────────────────────

/** The projects of the viewer's organizations (their workspace list on /me). */
export async function myProjects(viewer: Actor) {
  const orgIds = viewer.organizations.map((o) => o.id);
  if (!orgIds.length) return [];
  return db().project.findMany({
    where: { organizationId: { in: orgIds } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { referenceNo: true, title: true, status: true, awardFen: true, round: { select: { code: true, title: true } } },
  });
}

/** Tranches waiting for an official's step, in the viewer's areas (/admin/releases). */
export async function pendingReleases(viewer: Actor, page = 1, perPage = 20) {
  const scope = officialProjectsWhere(viewer);
  if (!scope) forbidden();
  const where: Prisma.TrancheWhereInput = {
    status: { in: ["RELEASABLE", "PREPARED"] },
    project: { status: { in: ["ACTIVE", "EVALUATION_FAILED"] }, ...scope },
  };
  const [total, rows] = await Promise.all([
    db().tranche.count({ where }),
    db().tranche.findMany({
      where,
      orderBy: [{ status: "desc" }, { releasableAt: "asc" }],
      skip: (page - 1) * perPage,
      take: perPage,
      select: {
        id: true,
        position: true,
        amountFen: true,
        status: true,
        preparedById: true,
        preparedAt: true,
        releasableAt: true,
        project: { select: { referenceNo: true, title: true, organization: { select: { name: true } } } },
      },
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, preparedByMe: r.preparedById === viewer.id })) };
}
