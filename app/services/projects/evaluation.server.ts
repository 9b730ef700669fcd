import { paidFen } from "~/domain/agreement";
import { closable, EVALUATION_ITEMS, evaluationOpen, gradeSheet, readScores, suggestedUnspentFen } from "~/domain/evaluation";
import { formatFen, parseMoney, moneyMessage } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
import { type Client, db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { forbidden } from "~/lib/permissions.server";
import { audit } from "~/services/books/audit.server";
import { fail, invalid, ok, type FieldErrors, type Result } from "~/lib/result";
import { lockProject, officialProjectsWhere, projectOfficials, requireProject } from "./access.server";
import { closeProject, evaluationDecided } from "./projects.server";

/**
 * The final evaluation (评估兑现, PRODUCT.md step 11). Once a project is ACTIVE with every
 * milestone approved, an official evaluates it on the 100-point sheet (domain/evaluation.ts) or
 * invites an evaluator (an existing account, by email). The first submitted sheet decides:
 * projects.server.ts `evaluationDecided` makes the last tranche releasable (pass) or holds it
 * (fail). When the final tranche is settled, an official closes the project and the unspent
 * money goes back (`closeProject`). Everything is audited.
 */

const evaluationLink = (ref: string) => `/projects/${encodeURIComponent(ref)}/evaluation`;

async function moneyState(client: Client, projectId: string) {
  // one after the other: `client` may be a transaction, whose one connection takes one query at a time
  const tranches = await client.tranche.findMany({ where: { projectId }, select: { id: true, position: true, trigger: true, status: true, amountFen: true, heldReason: true }, orderBy: { position: "asc" } });
  const spent = await client.expense.aggregate({ where: { projectId, status: "APPROVED" }, _sum: { amountFen: true } });
  const paid = paidFen(tranches);
  const approvedExpensesFen = spent._sum.amountFen ?? 0;
  return { tranches, paidFen: paid, approvedExpensesFen, suggestedUnspentFen: suggestedUnspentFen(paid, approvedExpensesFen) };
}

/**
 * The evaluation page. Officials and invited evaluators see everything; the grantee sees the
 * decision (total, pass, reasons) and nothing of the invitations.
 */
export async function evaluationPage(viewer: Actor, referenceNo: string) {
  const access = await requireProject(viewer, referenceNo, "involved");
  const project = access.project;
  const [milestones, money, evaluations, full] = await Promise.all([
    db().projectMilestone.findMany({ where: { projectId: project.id }, select: { position: true, title: true, status: true }, orderBy: { position: "asc" } }),
    moneyState(db(), project.id),
    db().evaluation.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "asc" } }),
    db().project.findUniqueOrThrow({ where: { id: project.id }, select: { unspentReturnedFen: true, closedAt: true } }),
  ]);
  const users = await db().user.findMany({ where: { id: { in: [...new Set(evaluations.map((e) => e.evaluatorId))] } }, select: { id: true, name: true, email: true } });
  const userOf = new Map(users.map((u) => [u.id, u]));
  const decided = evaluations.find((e) => e.status !== "INVITED") ?? null;
  const open = evaluationOpen(project.status, milestones);
  const myInvite = evaluations.find((e) => e.status === "INVITED" && e.evaluatorId === viewer.id) ?? null;
  const privileged = access.isOfficial || access.isEvaluator;
  const shaped = (e: (typeof evaluations)[number]) => ({
    id: e.id,
    status: e.status,
    evaluator: privileged ? (userOf.get(e.evaluatorId)?.name ?? "") : null,
    evaluatorEmail: access.isOfficial ? (userOf.get(e.evaluatorId)?.email ?? "") : null,
    scores: readScores(e.scores),
    total: e.total,
    reasons: e.reasons,
    unspentFen: e.unspentFen,
    submittedAt: e.submittedAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  });
  return {
    project: {
      referenceNo: project.referenceNo,
      title: project.title,
      status: project.status,
      organization: project.organization.name,
      awardFen: project.awardFen,
      unspentReturnedFen: full.unspentReturnedFen,
      closedAt: full.closedAt?.toISOString() ?? null,
    },
    role: { isOfficial: access.isOfficial, isEvaluator: access.isEvaluator, isGrantee: access.isGrantee },
    passScore: project.round.evaluationPassScore,
    items: EVALUATION_ITEMS.map((i) => ({ key: i.key, max: i.max })),
    milestones,
    open,
    decided: decided ? shaped(decided) : null,
    invitations: privileged ? evaluations.filter((e) => e.status === "INVITED").map(shaped) : [],
    canSubmit: open && !decided && (access.isOfficial || !!myInvite),
    canInvite: open && !decided && access.isOfficial,
    canClose: access.isOfficial && closable(project.status, !!decided, money.tranches),
    tranches: money.tranches.map((t) => ({ position: t.position, trigger: t.trigger, status: t.status, amountFen: t.amountFen, heldReason: access.isOfficial || access.isGrantee ? t.heldReason : null })),
    paidFen: money.paidFen,
    approvedExpensesFen: money.approvedExpensesFen,
    suggestedUnspentFen: decided?.unspentFen ?? money.suggestedUnspentFen,
  };
}

// ───────────────────────────── invitations ─────────────────────────────

/** Invites the holder of an existing account to evaluate the project: inbox + email. */
export async function inviteEvaluator(viewer: Actor, referenceNo: string, input: { email: string }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return invalid({ email: ["evaluation.error.email"] });
  const user = await db().user.findUnique({ where: { email }, select: { id: true, name: true, email: true, locale: true } });
  if (!user) return invalid({ email: ["evaluation.error.noAccount"] });
  const member = await db().organizationMember.findFirst({ where: { organizationId: project.organizationId, userId: user.id }, select: { id: true } });
  if (member) return fail(409, [], { fieldErrors: { email: ["evaluation.error.conflict"] } });
  const inviter = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { name: true } });
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const problem = await stateProblem(tx, project.id);
    if (problem) return fail(409, problem);
    if (await tx.evaluation.findFirst({ where: { projectId: project.id, evaluatorId: user.id, status: "INVITED" }, select: { id: true } })) {
      return fail(409, [], { fieldErrors: { email: ["evaluation.error.alreadyInvited"] } });
    }
    const evaluation = await tx.evaluation.create({ data: { projectId: project.id, evaluatorId: user.id, invitedById: viewer.id, status: "INVITED" }, select: { id: true } });
    const link = evaluationLink(project.referenceNo);
    await notify(tx, { userId: user.id, kind: "evaluation.invited", params: { referenceNo: project.referenceNo, title: project.title }, link });
    await queueUserEmail(tx, user, "evaluation-invitation", { inviterName: inviter.name, referenceNo: project.referenceNo, title: project.title, organization: project.organization.name, link: `${appUrl()}${link}` });
    await audit(tx, { actorId: viewer.id, action: "evaluation.invite", objectType: "Evaluation", objectId: evaluation.id, after: { project: project.referenceNo, evaluatorId: user.id } });
    return ok();
  });
}

/** Why the project cannot be evaluated now (message key), or null. */
async function stateProblem(tx: Tx, projectId: string): Promise<string | null> {
  const p = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { status: true, milestones: { select: { status: true } } } });
  if (await tx.evaluation.findFirst({ where: { projectId, status: { in: ["PASSED", "FAILED"] } }, select: { id: true } })) return "evaluation.error.decided";
  if (!evaluationOpen(p.status, p.milestones)) return "evaluation.error.notOpen";
  return null;
}

// ───────────────────────────── the sheet ─────────────────────────────

export interface SheetInput {
  scores: Partial<Record<string, string>>;
  reasons: string;
  unspent: string;
}

function parseUnspent(text: string, paidFen: number): { fen: number } | { error: string } {
  const parsed = parseMoney(text);
  if (!parsed.ok) return { error: moneyMessage(parsed.problem) };
  if (parsed.fen > paidFen) return { error: `evaluation.error.unspentTooHigh|${JSON.stringify({ paid: formatFen(paidFen) })}` };
  return { fen: parsed.fen };
}

/**
 * Submits the sheet (an official, or the invited evaluator): total, pass against the round's
 * pass score, reasons (required on a fail), unspent money found. The first decision wins; in the
 * same transaction `evaluationDecided` releases or holds the last tranche.
 */
export async function submitEvaluation(viewer: Actor, referenceNo: string, input: SheetInput): Promise<Result<{ passed: boolean; total: number }>> {
  const { project, isOfficial } = await requireProject(viewer, referenceNo, "evaluator");
  const graded = gradeSheet(input.scores, project.round.evaluationPassScore, input.reasons);
  const fieldErrors: FieldErrors = {};
  if (!graded.ok) for (const [field, key] of Object.entries(graded.fieldErrors)) if (key) fieldErrors[field] = [key];
  const money = await moneyState(db(), project.id);
  const unspent = parseUnspent(input.unspent, money.paidFen);
  if ("error" in unspent) fieldErrors.unspent = [unspent.error];
  if (!graded.ok || "error" in unspent) return invalid(fieldErrors);
  const reasons = input.reasons.trim();
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const problem = await stateProblem(tx, project.id);
    if (problem) return fail(409, problem);
    const invite = await tx.evaluation.findFirst({ where: { projectId: project.id, evaluatorId: viewer.id, status: "INVITED" }, select: { id: true, invitedById: true } });
    if (!invite && !isOfficial) forbidden();
    const data = {
      status: graded.passed ? ("PASSED" as const) : ("FAILED" as const),
      scores: graded.scores as Prisma.InputJsonValue,
      total: graded.total,
      reasons,
      unspentFen: unspent.fen,
      submittedAt: new Date(),
    };
    const evaluation = invite
      ? await tx.evaluation.update({ where: { id: invite.id }, data, select: { id: true } })
      : await tx.evaluation.create({ data: { ...data, projectId: project.id, evaluatorId: viewer.id }, select: { id: true } });
    await audit(tx, {
      actorId: viewer.id,
      action: "evaluation.submit",
      objectType: "Evaluation",
      objectId: evaluation.id,
      after: { project: project.referenceNo, scores: graded.scores, total: graded.total, passScore: project.round.evaluationPassScore, passed: graded.passed, reasons, unspentFen: unspent.fen },
    });
    await evaluationDecided(tx, { projectId: project.id, evaluationId: evaluation.id, passed: graded.passed, reasons, actorId: viewer.id });
    await withdrawOpenInvitations(tx, { projectId: project.id, referenceNo: project.referenceNo, title: project.title, decidedBy: evaluation.id, actorId: viewer.id });
    const kind = graded.passed ? "evaluation.passed" : "evaluation.failed";
    for (const official of await projectOfficials(tx, project.areaPath)) {
      if (official.id !== viewer.id) await notify(tx, { userId: official.id, kind, params: { referenceNo: project.referenceNo, total: graded.total }, link: evaluationLink(project.referenceNo) });
    }
    return ok({ passed: graded.passed, total: graded.total });
  });
}

/**
 * Once a sheet decides the project, the invitations still open are pointless: each is withdrawn
 * (WITHDRAWN, when), audited, and its invitee told in the inbox and by email, in the transaction
 * of the decision.
 */
async function withdrawOpenInvitations(tx: Tx, input: { projectId: string; referenceNo: string; title: string; decidedBy: string; actorId: string }) {
  const open = await tx.evaluation.findMany({ where: { projectId: input.projectId, status: "INVITED" }, select: { id: true, evaluatorId: true }, orderBy: { createdAt: "asc" } });
  if (!open.length) return;
  const now = new Date();
  const link = evaluationLink(input.referenceNo);
  for (const invite of open) {
    await tx.evaluation.update({ where: { id: invite.id }, data: { status: "WITHDRAWN", withdrawnAt: now } });
    await audit(tx, {
      actorId: input.actorId,
      action: "evaluation.withdraw",
      objectType: "Evaluation",
      objectId: invite.id,
      before: { status: "INVITED" },
      after: { project: input.referenceNo, evaluatorId: invite.evaluatorId, status: "WITHDRAWN", reason: "decided", decidedBy: input.decidedBy },
    });
    const user = await tx.user.findUnique({ where: { id: invite.evaluatorId }, select: { id: true, name: true, email: true, locale: true, deletedAt: true } });
    if (!user) continue;
    await notify(tx, { userId: user.id, kind: "evaluation.withdrawn", params: { referenceNo: input.referenceNo, title: input.title }, link });
    // an erased account has no address left to write to
    if (!user.deletedAt) await queueUserEmail(tx, user, "evaluation-withdrawn", { referenceNo: input.referenceNo, title: input.title, link: `${appUrl()}${link}` });
  }
}

// ───────────────────────────── closing ─────────────────────────────

/**
 * Closes the project (officials, after the final tranche is released or held): records the
 * unspent money returned; `closeProject` posts the ledger returns and sets CLOSED.
 */
export async function closeEvaluatedProject(viewer: Actor, referenceNo: string, input: { unspent: string; confirm: boolean }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  if (!input.confirm) return fail(400, "evaluation.error.confirmClose");
  const money = await moneyState(db(), project.id);
  const unspent = parseUnspent(input.unspent, money.paidFen);
  if ("error" in unspent) return invalid({ closeUnspent: [unspent.error] });
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const fresh = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { status: true, tranches: { select: { status: true, trigger: true } } } });
    const decided = await tx.evaluation.findFirst({ where: { projectId: project.id, status: { in: ["PASSED", "FAILED"] } }, select: { id: true } });
    if (!closable(fresh.status, !!decided, fresh.tranches)) return fail(409, fresh.status === "CLOSED" ? "evaluation.error.closed" : "evaluation.error.notClosable");
    return closeProject(tx, { projectId: project.id, unspentFen: unspent.fen, actorId: viewer.id });
  });
}

// ───────────────────────────── the evaluator's queue ─────────────────────────────

/**
 * /evaluations: the evaluations the viewer was invited to (open first), and for officials the
 * projects of their area that are ready to be evaluated.
 */
export async function evaluationQueue(viewer: Actor) {
  const mine = await db().evaluation.findMany({
    where: { evaluatorId: viewer.id },
    select: { id: true, status: true, total: true, createdAt: true, submittedAt: true, project: { select: { referenceNo: true, title: true, status: true, organization: { select: { name: true } } } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const scope = officialProjectsWhere(viewer);
  const isOfficial = scope !== null;
  const ready = scope
    ? await db().project.findMany({
        where: {
          status: "ACTIVE",
          ...scope,
          milestones: { every: { status: "APPROVED" } },
          evaluations: { none: { status: { in: ["PASSED", "FAILED"] } } },
        },
        select: { referenceNo: true, title: true, organization: { select: { name: true } }, _count: { select: { evaluations: { where: { status: "INVITED" } } } } },
        orderBy: { referenceNo: "asc" },
        take: 200,
      })
    : [];
  const order = { INVITED: 0, PASSED: 1, FAILED: 1, WITHDRAWN: 2 } as const;
  return {
    mine: mine
      .sort((a, b) => order[a.status] - order[b.status])
      .map((e) => ({
        id: e.id,
        status: e.status,
        total: e.total,
        invitedAt: e.createdAt.toISOString(),
        submittedAt: e.submittedAt?.toISOString() ?? null,
        referenceNo: e.project.referenceNo,
        title: e.project.title,
        organization: e.project.organization.name,
        projectStatus: e.project.status,
      })),
    isOfficial,
    ready: ready.map((p) => ({ referenceNo: p.referenceNo, title: p.title, organization: p.organization.name, invited: p._count.evaluations })),
  };
}
