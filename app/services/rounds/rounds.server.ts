import { withParams } from "~/domain/messages";
import { accountCodes, transfer } from "~/domain/ledger";
import { formatFen, fenToInput, pageOf, perPageOf } from "~/domain/money";
import { isWithin } from "~/domain/permissions";
import { budgetLineSource } from "~/domain/funds";
import { budgetCapsOf } from "~/domain/proposals";
import { budgetCapFormRows } from "~/domain/rounds";
import { eligibilityOf } from "~/domain/eligibility";
import { budgetLineAuthority, drawPendingMoveProblem, drawRequestProblem } from "~/domain/pool-draws";
import type { Actor } from "~/services/accounts/actor.server";
import {
  categoriesOf,
  DATE_FIELDS,
  editableIn,
  frozenChanges,
  isPhase,
  nextPhase,
  phaseMoveProblem,
  rubricOf,
  toDateInput,
  trancheScheduleOf,
  type CreateRoundInput,
  type Phase,
  type PhaseMoveProblem,
  type RoundSettings,
  type SettingField,
} from "~/domain/rounds";
import { db, type Db, type Tx } from "~/lib/db.server";
import { lockRound as lockRoundRow, lockRoundByCode } from "~/lib/locks.server";
import { notify } from "~/lib/notify.server";
import { notFound } from "~/lib/permissions.server";
import { fail, invalid, ok, Refusal, refusedOr, type Result } from "~/lib/result";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/books/audit.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import {
  drawApprovers,
  drawAuthority,
  drawDecisionProblem,
  drawWithdrawProblem,
  mayManageRound,
  requireRoundOfficial,
  roundScope,
  roundsWithin,
} from "./access.server";

export const ROUND_LIST_PAGE_SIZE = 20;
export const TOPICS_PAGE_SIZE = 20;
export const TOPICS_PAGE_SIZES = [20, 50, 100] as const;

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

export const roundPoolSpec = (round: { id: string; code: string; foundationId: string }) => ({
  code: accountCodes.roundPool(round.id),
  kind: "ROUND_POOL" as const,
  nameZh: `创投轮次 ${round.code} 资金池`,
  nameEn: `Round ${round.code} pool`,
  foundationId: round.foundationId,
  ownerId: round.id,
});

const foundationAvailableSpec = (f: { id: string; nameZh: string; nameEn: string }) => ({
  code: accountCodes.foundationAvailable(f.id),
  kind: "FOUNDATION_AVAILABLE" as const,
  nameZh: `${f.nameZh} 可用资金`,
  nameEn: `${f.nameEn} — available funds`,
  foundationId: f.id,
});

/**
 * Locks the foundation row so that two rounds (or a round and a refund) cannot both spend the
 * same available money, then returns what is available.
 */
async function lockFoundationAvailable(tx: Tx, foundationId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string; nameZh: string; nameEn: string }[]>`
    SELECT id, "nameZh", "nameEn" FROM "Foundation" WHERE id = ${foundationId} FOR UPDATE`;
  const f = rows[0];
  if (!f) notFound();
  await ensureAccount(tx, foundationAvailableSpec(f));
  return balanceFen(tx, accountCodes.foundationAvailable(f.id));
}

/**
 * The EXTERNAL_APPROPRIATION account of a budget line (预算科目) of the round's fund's area, keyed by
 * the area and the line's document number: the same line funds every round that names it, and
 * its (negative) balance is what the area has drawn on it.
 */
async function budgetLineAccount(tx: Tx, foundationId: string, budgetLineNo: string): Promise<string> {
  const f = await tx.foundation.findUniqueOrThrow({ where: { id: foundationId }, select: { area: { select: { id: true, nameZh: true, nameEn: true } } } });
  const code = accountCodes.externalAppropriation(budgetLineSource(f.area.id, budgetLineNo));
  await ensureAccount(tx, {
    code,
    kind: "EXTERNAL_APPROPRIATION",
    nameZh: `${f.area.nameZh}预算科目 ${budgetLineNo}`,
    nameEn: `${f.area.nameEn} budget line ${budgetLineNo}`,
    ownerId: f.area.id,
  });
  return code;
}

/** The foundation has not that much available: a conflict with the money as it is now, shown at the pool field. */
const insufficient = (availableFen: number) =>
  fail(409, [], { fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: formatFen(availableFen) })] } });

/**
 * The one ledger path of a round's pool: moves `deltaFen` foundation-available → round pool (or
 * back, when negative) with the idempotency key `round:<id>:pool:<version>`, the version the
 * round has after the change. Used by a direct draw at creation, by an edit of the pool, and by
 * the approval of a requested draw. Locks the foundation's row first, so that two rounds cannot
 * both spend the same available money; refuses more than is available, and handing back money
 * the pool no longer holds. Throws a Refusal, which rolls the caller's transaction back.
 */
async function movePool(
  tx: Tx,
  round: { id: string; code: string; foundationId: string; budgetLineNo?: string | null },
  deltaFen: number,
  version: number,
  actorId: string,
  why: "create" | "change" | "approved",
): Promise<string | null> {
  // a budget line has no balance in the books to run out of: it is drawn on, never "available"
  if (!round.budgetLineNo) {
    const available = await lockFoundationAvailable(tx, round.foundationId);
    if (deltaFen > 0 && deltaFen > available) throw new Refusal(insufficient(available));
  }
  await ensureAccount(tx, roundPoolSpec(round));
  if (deltaFen === 0) return null;
  const poolCode = accountCodes.roundPool(round.id);
  // money already committed out of the pool (awards, later) cannot be handed back
  if (deltaFen < 0 && -deltaFen > (await balanceFen(tx, poolCode))) throw new Refusal(fail(409, [], { fieldErrors: { poolFen: ["rounds.pool.committed"] } }));
  const foundationCode = round.budgetLineNo ? await budgetLineAccount(tx, round.foundationId, round.budgetLineNo) : accountCodes.foundationAvailable(round.foundationId);
  const line = round.budgetLineNo ? `（预算科目 ${round.budgetLineNo}）` : "";
  const lineEn = round.budgetLineNo ? ` (budget line ${round.budgetLineNo})` : "";
  const memo =
    why === "create"
      ? `创投轮次 ${round.code} 资金池${line} / Pool of round ${round.code}${lineEn}`
      : why === "approved"
        ? `创投轮次 ${round.code} 资金池${line}（经基金所属地区批准）/ Pool of round ${round.code}${lineEn}, draw approved`
        : deltaFen > 0
          ? `创投轮次 ${round.code} 追加资金池${line} / Pool of round ${round.code} increased${lineEn}`
          : `创投轮次 ${round.code} 资金池退回${round.budgetLineNo ? "预算" : "基金"}${line} / Pool of round ${round.code} reduced${lineEn}`;
  const { transactionId } = await postTransaction(tx, {
    idempotencyKey: `round:${round.id}:pool:${version}`,
    kind: deltaFen > 0 ? "ROUND_POOL" : "ROUND_POOL_RETURN",
    memo,
    actorId,
    entries: deltaFen > 0 ? transfer(foundationCode, poolCode, deltaFen) : transfer(poolCode, foundationCode, -deltaFen),
  });
  return transactionId;
}

/**
 * Records a request to draw `amountFen` on the round's fund (nothing is posted) and tells the
 * officials who may decide it, in the caller's transaction. The amount must be available now (it
 * is checked again when approved; nothing is reserved).
 */
async function requestDraw(
  tx: Tx,
  actor: Pick<Actor, "id">,
  round: { id: string; code: string; title: string; foundationId: string; budgetLineNo?: string | null },
  amountFen: number,
): Promise<string> {
  if (!round.budgetLineNo) {
    const available = await lockFoundationAvailable(tx, round.foundationId);
    if (amountFen > available) throw new Refusal(insufficient(available));
  }
  const draw = await tx.poolDraw.create({
    data: { roundId: round.id, foundationId: round.foundationId, budgetLineNo: round.budgetLineNo ?? null, amountFen: BigInt(amountFen), requestedById: actor.id },
    select: { id: true, foundation: { select: { area: { select: { path: true } } } } },
  });
  await audit(tx, {
    actorId: actor.id,
    action: "round.draw.request",
    objectType: "PoolDraw",
    objectId: draw.id,
    after: { roundId: round.id, foundationId: round.foundationId, amountFen, ...(round.budgetLineNo ? { budgetLineNo: round.budgetLineNo } : {}) },
  });
  for (const userId of await drawApprovers(tx, draw.foundation.area.path, actor.id)) {
    await notify(tx, { userId, kind: "round.DRAW_REQUESTED", params: { round: round.title, code: round.code, amount: formatFen(amountFen) }, link: `/admin/rounds/${round.code}` });
  }
  return draw.id;
}

/** The JSON-safe settings of a round as stored (for audit records and comparisons). */
function storedSettings(r: RoundRow): RoundSettings {
  return {
    title: r.title,
    titleEn: r.titleEn,
    description: r.description,
    poolFen: Number(r.poolFen),
    minAwardFen: r.minAwardFen,
    maxAwardFen: r.maxAwardFen,
    categories: categoriesOf(r.categories),
    rubric: rubricOf(r.rubric),
    judgesPerProposal: r.judgesPerProposal,
    weightReview: r.weightReview,
    weightRoadshow: r.weightRoadshow,
    weightPublicVote: r.weightPublicVote,
    noticeDays: r.noticeDays,
    blindReview: r.blindReview,
    zScore: r.zScore,
    disagreementRange: r.disagreementRange,
    minScore: r.minScore,
    // BigInt columns; the form bounds them far below 2^53, so a number holds them exactly
    communityCapFen: r.communityCapFen == null ? null : Number(r.communityCapFen),
    categoryCapFen: r.categoryCapFen == null ? null : Number(r.categoryCapFen),
    trancheSchedule: trancheScheduleOf(r.trancheSchedule),
    labourCapPercent: r.labourCapPercent,
    budgetCaps: budgetCapsOf(r.budgetCaps),
    maxProposalsPerOrg: r.maxProposalsPerOrg,
    eligibleOrgKinds: eligibilityOf(r).kinds.slice(),
    orgInRoundArea: r.orgInRoundArea,
    maxOpenProjects: r.maxOpenProjects,
    refuseTroubledOrgs: r.refuseTroubledOrgs,
    requiresDeliberation: r.requiresDeliberation,
    needsStartsAt: r.needsStartsAt,
    proposalsStartsAt: r.proposalsStartsAt,
    proposalsDeadline: r.proposalsDeadline,
    screeningStartsAt: r.screeningStartsAt,
    reviewStartsAt: r.reviewStartsAt,
    noticeStartsAt: r.noticeStartsAt,
    implementationStartsAt: r.implementationStartsAt,
    implementationEndsAt: r.implementationEndsAt,
    closesAt: r.closesAt,
  };
}

/** Settings → the columns of Round. */
function settingsData(s: RoundSettings) {
  return {
    title: s.title,
    titleEn: s.titleEn,
    description: s.description,
    poolFen: BigInt(s.poolFen),
    minAwardFen: s.minAwardFen,
    maxAwardFen: s.maxAwardFen,
    categories: s.categories as unknown as Prisma.InputJsonValue,
    rubric: s.rubric as unknown as Prisma.InputJsonValue,
    judgesPerProposal: s.judgesPerProposal,
    weightReview: s.weightReview,
    weightRoadshow: s.weightRoadshow,
    weightPublicVote: s.weightPublicVote,
    noticeDays: s.noticeDays,
    blindReview: s.blindReview,
    zScore: s.zScore,
    disagreementRange: s.disagreementRange,
    minScore: s.minScore,
    communityCapFen: s.communityCapFen == null ? null : BigInt(s.communityCapFen),
    categoryCapFen: s.categoryCapFen == null ? null : BigInt(s.categoryCapFen),
    trancheSchedule: s.trancheSchedule as unknown as Prisma.InputJsonValue,
    labourCapPercent: s.labourCapPercent,
    budgetCaps: s.budgetCaps as unknown as Prisma.InputJsonValue,
    maxProposalsPerOrg: s.maxProposalsPerOrg,
    eligibleOrgKinds: s.eligibleOrgKinds,
    orgInRoundArea: s.orgInRoundArea,
    maxOpenProjects: s.maxOpenProjects,
    refuseTroubledOrgs: s.refuseTroubledOrgs,
    requiresDeliberation: s.requiresDeliberation,
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, s[f]])),
  } as Omit<Prisma.RoundUncheckedCreateInput, "code" | "areaId" | "foundationId">;
}

type RoundRow = Prisma.RoundGetPayload<{ include: { area: true } }>;

// ---------------------------------------------------------------------------------------------
// Set-up and edits
// ---------------------------------------------------------------------------------------------

/**
 * Creates a round for an area the actor is an official of, funded by a foundation of that area
 * (or above it), in one transaction: the round, its pool and the audit record exist together or
 * not at all. An official of the fund's area draws the pool through the ledger at once
 * (foundation-available → round-pool). A community official funding their round from a higher
 * area's fund only requests the pool: the round starts with no money and a pending draw that an
 * official of the fund's area approves (domain/pool-draws.ts).
 */
export async function createRound(actor: Actor, input: CreateRoundInput): Promise<Result<{ code: string; id: string; poolDrawId?: string }>> {
  const area = await db().area.findUnique({ where: { id: input.areaId }, select: { id: true, path: true } });
  if (!area) return invalid({ areaId: ["rounds.area.required"] });
  requireRoundOfficial(actor, area.path);
  const foundation = await db().foundation.findUnique({
    where: { id: input.foundationId },
    select: { id: true, area: { select: { path: true } } },
  });
  if (!foundation) return invalid({ foundationId: ["rounds.foundation.required"] });
  if (!isWithin(area.path, foundation.area.path)) return invalid({ foundationId: ["rounds.foundation.outside"] });
  // a pool from a budget line is always requested: another official of the fund's area approves it
  const authority = (input.budgetLineNo ? budgetLineAuthority : drawAuthority)(actor, { roundAreaPath: area.path, fundAreaPath: foundation.area.path });
  if (authority === "none") return fail(403, [], { fieldErrors: { foundationId: ["rounds.foundation.notYours"] } });
  const taken = fail(409, [], { fieldErrors: { code: ["rounds.code.taken"] } });
  if (await db().round.findUnique({ where: { code: input.code }, select: { id: true } })) return taken;

  const { code: _c, areaId: _a, foundationId: _f, budgetLineNo, ...settings } = input;
  // what the pool holds once created: all of it for a direct draw, nothing while a request waits
  const committedFen = authority === "direct" ? settings.poolFen : 0;
  try {
    const round = await db().$transaction(async (tx) => {
      const created = await tx.round.create({
        data: { code: input.code, areaId: area.id, foundationId: foundation.id, budgetLineNo, createdById: actor.id, ...settingsData({ ...settings, poolFen: committedFen }) },
        select: { id: true, code: true, title: true, foundationId: true, budgetLineNo: true, version: true },
      });
      const transactionId = await movePool(tx, created, committedFen, created.version, actor.id, "create");
      const poolDrawId = authority === "request" && settings.poolFen > 0 ? await requestDraw(tx, actor, created, settings.poolFen) : null;
      await audit(tx, {
        actorId: actor.id,
        action: "round.create",
        objectType: "Round",
        objectId: created.id,
        after: {
          code: created.code,
          areaId: area.id,
          foundationId: foundation.id,
          budgetLineNo,
          ...settings,
          poolFen: committedFen,
          ledgerTransactionId: transactionId,
          ...(poolDrawId ? { poolDrawId, requestedPoolFen: settings.poolFen } : {}),
        },
      });
      return { ...created, poolDrawId };
    });
    return ok({ code: round.code, id: round.id, ...(round.poolDrawId ? { poolDrawId: round.poolDrawId } : {}) });
  } catch (e) {
    // two officials choosing the same code at the same moment: the unique index decides
    if (isUniqueViolation(e)) return taken;
    return refusedOr(e);
  }
}

async function lockRound(tx: Tx, code: string): Promise<RoundRow> {
  const id = await lockRoundByCode(tx, code);
  if (!id) notFound();
  return tx.round.findUniqueOrThrow({ where: { id }, include: { area: true } });
}

/**
 * Saves edited settings. `expectedVersion` is the version the form was loaded with: if someone
 * saved in between, nothing is written and the form says so. Settings frozen in the current phase
 * are refused field by field. A changed pool moves the difference through the ledger, either way
 * — or, for an official who may only request a draw on the round's fund, records a request for
 * the increase and keeps the pool as it is until an official of the fund's area approves it.
 */
export async function updateRound(
  actor: Actor,
  code: string,
  input: RoundSettings,
  expectedVersion: number,
): Promise<Result<{ version: number; poolDrawId?: string }>> {
  try {
    return await db().$transaction(async (tx) => {
      const round = await lockRound(tx, code);
      requireRoundOfficial(actor, round.area.path);
      if (round.version !== expectedVersion) throw new Refusal(fail(409, "rounds.version.conflict"));
      const before = storedSettings(round);
      const frozen = frozenChanges(round.phase, before, input);
      if (frozen.length) throw new Refusal(fail(409, [], { fieldErrors: Object.fromEntries(frozen.map((f) => [f, ["rounds.frozen"]])) }));

      const version = round.version + 1;
      const delta = input.poolFen - before.poolFen;
      let saved = input;
      let transactionId: string | null = null;
      let poolDrawId: string | null = null;
      if (delta !== 0) {
        const fund = await tx.foundation.findUniqueOrThrow({ where: { id: round.foundationId }, select: { area: { select: { path: true } } } });
        const at = { roundAreaPath: round.area.path, fundAreaPath: fund.area.path };
        const authority = round.budgetLineNo ? budgetLineAuthority(actor, at) : drawAuthority(actor, at);
        // handing money back to a budget line needs no second official: only drawing on it does
        if (authority === "direct" || (round.budgetLineNo && authority === "request" && delta < 0)) {
          transactionId = await movePool(tx, round, delta, version, actor.id, "change");
        } else {
          const pending = authority === "request" && (await tx.poolDraw.count({ where: { roundId: round.id, status: "PENDING" } })) > 0;
          const problem = authority === "request" ? drawRequestProblem({ phase: round.phase, deltaFen: delta, pending }) : "rounds.foundation.notYours";
          if (problem) throw new Refusal(fail(problem === "rounds.foundation.notYours" ? 403 : 409, [], { fieldErrors: { poolFen: [problem] } }));
          poolDrawId = await requestDraw(tx, actor, round, delta);
          // the pool stays what it holds; the increase waits for approval
          saved = { ...input, poolFen: before.poolFen };
        }
      }
      const updated = await tx.round.updateMany({
        where: { id: round.id, version: expectedVersion },
        data: { ...settingsData(saved), version },
      });
      if (updated.count !== 1) throw new Refusal(fail(409, "rounds.version.conflict"));
      const changed = (Object.keys(before) as SettingField[]).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(saved[f]));
      await audit(tx, {
        actorId: actor.id,
        action: "round.update",
        objectType: "Round",
        objectId: round.id,
        before: { version: round.version, ...Object.fromEntries(changed.map((f) => [f, before[f]])) },
        after: {
          version,
          ...Object.fromEntries(changed.map((f) => [f, saved[f]])),
          ledgerTransactionId: transactionId,
          ...(poolDrawId ? { poolDrawId, requestedPoolFen: input.poolFen } : {}),
        },
      });
      return ok({ version, ...(poolDrawId ? { poolDrawId } : {}) });
    });
  } catch (e) {
    return refusedOr(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Pool draws on a higher area's fund: approve, reject, withdraw
// ---------------------------------------------------------------------------------------------

/**
 * Inside a transaction: the round (locked) and one of its draws, with the fund's area, that this
 * official may act on — else a `Refusal`: an unknown or already decided draw is a 409, a draw that is
 * not theirs to decide (`problemOf` names why) a 403.
 */
async function drawToDecide(tx: Tx, actor: Actor, code: string, drawId: string, problemOf: (draw: { requestedById: string; status: string; foundation: { area: { path: string } } }) => string | null) {
  const round = await lockRound(tx, code);
  requireRoundOfficial(actor, round.area.path);
  const draw = await tx.poolDraw.findFirst({
    where: { id: drawId, roundId: round.id },
    include: { foundation: { select: { nameZh: true, nameEn: true, area: { select: { path: true } } } } },
  });
  if (!draw) throw new Refusal(fail(409, "rounds.draw.unknown"));
  const problem = problemOf(draw);
  if (problem) throw new Refusal(fail(problem === "rounds.draw.decided" ? 409 : 403, problem));
  return { round, draw };
}

/**
 * Moves a waiting draw on, once: the update is conditional on PENDING, so a second decision finds
 * nothing to move and is refused, rolling back whatever its transaction wrote before.
 */
async function settleDraw(tx: Tx, drawId: string, data: Prisma.PoolDrawUpdateManyMutationInput) {
  const done = await tx.poolDraw.updateMany({ where: { id: drawId, status: "PENDING" }, data });
  if (done.count !== 1) throw new Refusal(fail(409, "rounds.draw.decided"));
}

const decisionProblem = (actor: Actor) => (draw: { requestedById: string; status: string; foundation: { area: { path: string } } }) =>
  drawDecisionProblem(actor, { fundAreaPath: draw.foundation.area.path, requestedById: draw.requestedById, status: draw.status });

/**
 * An official of the fund's area (not the one who asked) approves a requested draw: the money
 * moves foundation-available → round pool through the same posting as a direct draw, the round's
 * pool grows by it and its version moves on (a settings form loaded before must be reloaded, so
 * that it cannot hand the money back by accident), and the draw becomes APPROVED — all in one
 * transaction, so a crash leaves none of it. Concurrent approvals serialise on the round's row
 * lock; the update conditional on PENDING (and the posting's key) make a second one impossible
 * even without it: it rolls the whole decision back.
 */
export async function approveDraw(
  actor: Actor,
  code: string,
  input: { drawId: string; reason?: string },
  hooks: { afterLedger?: () => Promise<void> } = {},
): Promise<Result<{ poolFen: number }>> {
  try {
    return await db().$transaction(async (tx): Promise<Result<{ poolFen: number }>> => {
      const { round, draw } = await drawToDecide(tx, actor, code, input.drawId, decisionProblem(actor));
      // a waiting draw keeps its round a draft (movePhase); this only guards that promise
      if (round.phase !== "DRAFT") return fail(409, "rounds.draw.notDraft");
      const amountFen = Number(draw.amountFen);
      const version = round.version + 1;
      const transactionId = await movePool(tx, round, amountFen, version, actor.id, "approved");
      if (hooks.afterLedger) await hooks.afterLedger();
      const now = new Date();
      // a second approval is refused here, which rolls its posting back
      await settleDraw(tx, draw.id, { status: "APPROVED", decidedById: actor.id, decidedAt: now, reason: input.reason?.trim() || null, ledgerTransactionId: transactionId });
      const poolFen = Number(round.poolFen) + amountFen;
      const moved = await tx.round.updateMany({ where: { id: round.id, version: round.version }, data: { poolFen: BigInt(poolFen), version } });
      if (moved.count !== 1) throw new Refusal(fail(409, "rounds.version.conflict"));
      await audit(tx, {
        actorId: actor.id,
        action: "round.draw.approve",
        objectType: "PoolDraw",
        objectId: draw.id,
        before: { status: "PENDING", poolFen: Number(round.poolFen), version: round.version },
        after: { status: "APPROVED", amountFen, poolFen, version, requestedById: draw.requestedById, reason: input.reason?.trim() || null, ledgerTransactionId: transactionId },
      });
      await notify(tx, {
        userId: draw.requestedById,
        kind: "round.DRAW_APPROVED",
        params: { round: round.title, code: round.code, amount: formatFen(amountFen) },
        link: `/admin/rounds/${round.code}`,
      });
      return ok({ poolFen });
    });
  } catch (e) {
    return refusedOr(e);
  }
}

/**
 * An official of the fund's area (not the one who asked) rejects a requested draw, saying why:
 * nothing is posted, the round keeps the pool it had, and the person who asked is told the
 * reason in their inbox. Audited; decided once (the update is conditional on PENDING).
 */
export async function rejectDraw(actor: Actor, code: string, input: { drawId: string; reason: string }): Promise<Result> {
  const reason = input.reason.trim();
  if (reason.length < 2) return invalid({ reason: ["rounds.draw.reason.required"] });
  try {
    return await db().$transaction(async (tx): Promise<Result> => {
      const { round, draw } = await drawToDecide(tx, actor, code, input.drawId, decisionProblem(actor));
      await settleDraw(tx, draw.id, { status: "REJECTED", decidedById: actor.id, decidedAt: new Date(), reason });
      const amountFen = Number(draw.amountFen);
      await audit(tx, {
        actorId: actor.id,
        action: "round.draw.reject",
        objectType: "PoolDraw",
        objectId: draw.id,
        before: { status: "PENDING" },
        after: { status: "REJECTED", amountFen, requestedById: draw.requestedById, reason },
      });
      await notify(tx, {
        userId: draw.requestedById,
        kind: "round.DRAW_REJECTED",
        params: { round: round.title, code: round.code, amount: formatFen(amountFen), reason },
        link: `/admin/rounds/${round.code}`,
      });
      return ok();
    });
  } catch (e) {
    return refusedOr(e);
  }
}

/** The person who asked takes a waiting draw back (a wrong amount, say); audited, nothing posted. */
export async function withdrawDraw(actor: Actor, code: string, input: { drawId: string }): Promise<Result> {
  try {
    return await db().$transaction(async (tx): Promise<Result> => {
      const { draw } = await drawToDecide(tx, actor, code, input.drawId, (d) => drawWithdrawProblem(actor, d));
      await settleDraw(tx, draw.id, { status: "WITHDRAWN", decidedById: actor.id, decidedAt: new Date() });
      await audit(tx, {
        actorId: actor.id,
        action: "round.draw.withdraw",
        objectType: "PoolDraw",
        objectId: draw.id,
        before: { status: "PENDING" },
        after: { status: "WITHDRAWN", amountFen: Number(draw.amountFen) },
      });
      return ok();
    });
  } catch (e) {
    return refusedOr(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

/** Who is told that a round moved to `to` (user ids, the actor excluded). */
async function phaseRecipients(
  tx: Tx,
  round: { id: string; area: { path: string } },
  to: Phase,
  actorId: string,
): Promise<string[]> {
  const ids = new Set<string>();
  // officials of the round's area and of the communities in it
  const officials = await tx.roleGrant.findMany({
    where: { role: "OFFICIAL", revokedAt: null, area: { path: { startsWith: round.area.path } } },
    select: { userId: true },
  });
  officials.forEach((g) => ids.add(g.userId));
  if (to === "PROPOSALS") {
    const members = await tx.organizationMember.findMany({
      where: { userId: { not: null }, organization: { area: { path: { startsWith: round.area.path } } } },
      select: { userId: true },
    });
    members.forEach((m) => ids.add(m.userId!));
    const authors = await tx.need.findMany({
      where: { roundId: round.id, status: "PUBLISHED", authorId: { not: null } },
      select: { authorId: true },
    });
    authors.forEach((n) => ids.add(n.authorId!));
  } else if (to === "SCREENING") {
    const members = await tx.organizationMember.findMany({
      where: { userId: { not: null }, organization: { proposals: { some: { roundId: round.id, status: "SUBMITTED" } } } },
      select: { userId: true },
    });
    members.forEach((m) => ids.add(m.userId!));
    const drafts = await tx.proposal.findMany({ where: { roundId: round.id, status: "DRAFT" }, select: { createdById: true } });
    drafts.forEach((p) => ids.add(p.createdById));
  } else if (to !== "NEEDS") {
    const members = await tx.organizationMember.findMany({
      where: {
        userId: { not: null },
        organization: { proposals: { some: { roundId: round.id, status: { in: ["SUBMITTED", "ELIGIBLE", "INELIGIBLE"] } } } },
      },
      select: { userId: true },
    });
    members.forEach((m) => ids.add(m.userId!));
  }
  ids.delete(actorId);
  return [...ids];
}

/**
 * Moves a round to the next phase. Exactly one of any number of simultaneous identical requests
 * moves it (the update only matches a round still in `from`); the others are told it already
 * moved. A draft whose pool draw waits for approval stays a draft (domain/pool-draws.ts).
 * Audited; everyone concerned gets an inbox message in the same transaction.
 */
export async function movePhase(
  actor: Actor,
  code: string,
  to: string,
): Promise<Result<{ phase: Phase; notified: number }>> {
  const round = await db().round.findUnique({
    where: { code },
    select: { id: true, code: true, title: true, phase: true, awardsFinalizedAt: true, area: { select: { path: true } } },
  });
  if (!round) notFound();
  requireRoundOfficial(actor, round.area.path);
  const problem: PhaseMoveProblem | null = phaseMoveProblem(round.phase, to, { final: !!round.awardsFinalizedAt });
  if (problem) return fail(problem === "rounds.phase.unknown" ? 400 : 409, problem);
  const target = to as Phase;
  return db().$transaction(async (tx): Promise<Result<{ phase: Phase; notified: number }>> => {
    // under the round's lock, which a draw request also takes: no request can slip in between
    // this check and the move
    await lockRoundRow(tx, round.id);
    const pending = (await tx.poolDraw.count({ where: { roundId: round.id, status: "PENDING" } })) > 0;
    const waiting = drawPendingMoveProblem(round.phase, pending);
    if (waiting) return fail(409, waiting);
    const moved = await tx.round.updateMany({
      where: { id: round.id, phase: round.phase },
      data: { phase: target, phaseChangedAt: new Date() },
    });
    if (moved.count !== 1) return fail(409, "rounds.phase.alreadyMoved");
    await audit(tx, {
      actorId: actor.id,
      action: "round.phase",
      objectType: "Round",
      objectId: round.id,
      before: { phase: round.phase },
      after: { phase: target },
    });
    const recipients = await phaseRecipients(tx, round, target, actor.id);
    if (recipients.length) {
      await tx.notification.createMany({
        data: recipients.map((userId) => ({
          userId,
          kind: `roundPhase.${target}`,
          params: { round: round.title, code: round.code },
          link: `/rounds/${round.code}`,
        })),
      });
    }
    return ok({ phase: target, notified: recipients.length });
  });
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

const cardSelect = {
  code: true,
  title: true,
  titleEn: true,
  phase: true,
  poolFen: true,
  minAwardFen: true,
  maxAwardFen: true,
  needsStartsAt: true,
  proposalsStartsAt: true,
  proposalsDeadline: true,
  closesAt: true,
  area: { select: { code: true, nameZh: true, nameEn: true } },
} as const;

type CardRow = Prisma.RoundGetPayload<{ select: typeof cardSelect }>;

function card(r: CardRow) {
  return {
    code: r.code,
    title: r.title,
    titleEn: r.titleEn,
    phase: r.phase as Phase,
    poolFen: Number(r.poolFen),
    minAwardFen: r.minAwardFen,
    maxAwardFen: r.maxAwardFen,
    needsStartsAt: r.needsStartsAt.toISOString(),
    proposalsStartsAt: r.proposalsStartsAt.toISOString(),
    proposalsDeadline: r.proposalsDeadline.toISOString(),
    closesAt: r.closesAt.toISOString(),
    area: r.area,
  };
}

/** Public list: every round past its draft, newest first, one page. */
export async function listPublicRounds(requestedPage: unknown) {
  const where = { phase: { not: "DRAFT" as const } };
  const total = await db().round.count({ where });
  const page = pageOf(requestedPage, total, ROUND_LIST_PAGE_SIZE);
  const rows = await db().round.findMany({
    where,
    select: cardSelect,
    orderBy: [{ needsStartsAt: "desc" }, { code: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  return { rounds: rows.map(card), total, page: page.page, pages: page.pages };
}

/** Officials' list: the rounds of their areas, drafts included. 403 for anyone who is no official. */
export async function listOfficialRounds(actor: Actor, requestedPage: unknown, phaseFilter?: string | null) {
  const where: Prisma.RoundWhereInput = { ...roundsWithin(roundScope(actor)), ...(isPhase(phaseFilter) ? { phase: phaseFilter } : {}) };
  const total = await db().round.count({ where });
  const page = pageOf(requestedPage, total, ROUND_LIST_PAGE_SIZE);
  const rows = await db().round.findMany({
    where,
    select: { ...cardSelect, version: true, _count: { select: { proposals: { where: { status: { notIn: ["DRAFT", "WITHDRAWN"] } } } } } },
    orderBy: [{ createdAt: "desc" }, { code: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  return {
    rounds: rows.map((r) => ({ ...card(r), submitted: r._count.proposals })),
    total,
    page: page.page,
    pages: page.pages,
    phase: isPhase(phaseFilter) ? phaseFilter : null,
  };
}

/** The areas an official may create a round for, and the foundations each may draw on (or request a draw on). */
export async function roundFormOptions(actor: Actor) {
  const roots = roundScope(actor);
  const areas = await db().area.findMany({
    where: {
      level: { in: ["DISTRICT", "SUBDISTRICT", "COMMUNITY", "VILLAGE"] },
      ...(roots === null ? {} : { OR: roots.map((p) => ({ path: { startsWith: p } })) }),
    },
    select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true },
    orderBy: [{ path: "asc" }],
  });
  const foundations = await db().foundation.findMany({
    select: { id: true, slug: true, nameZh: true, nameEn: true, area: { select: { path: true } } },
    orderBy: { nameZh: "asc" },
  });
  // a fund is offered when it covers an area the official may set up a round for; one the
  // official may only request a draw on is marked so
  const authorityOf = (f: (typeof foundations)[number]) => {
    const area = areas.find((a) => isWithin(a.path, f.area.path));
    return area ? drawAuthority(actor, { roundAreaPath: area.path, fundAreaPath: f.area.path }) : "none";
  };
  const usable = foundations.map((f) => ({ ...f, authority: authorityOf(f) })).filter((f) => f.authority !== "none");
  const withBalance = await Promise.all(
    usable.map(async (f) => ({
      id: f.id,
      slug: f.slug,
      nameZh: f.nameZh,
      nameEn: f.nameEn,
      /** the pool is only requested: an official of the fund's area approves it */
      needsApproval: f.authority === "request",
      availableFen: await balanceFen(db(), accountCodes.foundationAvailable(f.id)),
      /** the area ids this foundation may fund */
      areaIds: areas.filter((a) => isWithin(a.path, f.area.path)).map((a) => a.id),
    })),
  );
  return {
    areas: areas.map((a) => ({ id: a.id, code: a.code, nameZh: a.nameZh, nameEn: a.nameEn, level: a.level, depth: a.path.split("/").length - 2 })),
    foundations: withBalance,
  };
}

function settingsDto(r: RoundRow) {
  const s = storedSettings(r);
  return {
    ...s,
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, s[f].toISOString()])),
  } as unknown as Omit<RoundSettings, (typeof DATE_FIELDS)[number]> & Record<(typeof DATE_FIELDS)[number], string>;
}

async function proposalCounts(client: Tx | Db, roundId: string) {
  const groups = await client.proposal.groupBy({ by: ["status"], where: { roundId }, _count: { _all: true } });
  const of = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return {
    submitted: of("SUBMITTED") + of("ELIGIBLE") + of("INELIGIBLE"),
    eligible: of("ELIGIBLE"),
  };
}

/**
 * The public page of a round: rules, timeline, call topics (one page) and counts. A round still
 * in DRAFT exists only for the officials of its area (404 for everyone else).
 */
export async function publicRoundPage(viewer: Actor | null, code: string, requestedTopicsPage?: unknown, requestedPer?: unknown) {
  const r = await db().round.findUnique({
    where: { code },
    include: { area: true, foundation: { select: { slug: true, nameZh: true, nameEn: true } } },
  });
  if (!r) notFound();
  const canManage = mayManageRound(viewer, r.area.path);
  if (r.phase === "DRAFT" && !canManage) notFound();
  const topicWhere = { roundId: r.id, status: "PUBLISHED" as const };
  const topicsTotal = await db().need.count({ where: topicWhere });
  const per = perPageOf(requestedPer, TOPICS_PAGE_SIZES, TOPICS_PAGE_SIZE);
  const page = pageOf(requestedTopicsPage, topicsTotal, per);
  const topics = await db().need.findMany({
    where: topicWhere,
    select: { number: true, title: true, category: true, voteCount: true, area: { select: { code: true, nameZh: true, nameEn: true } } },
    orderBy: [{ voteCount: "desc" }, { number: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  return {
    round: {
      code: r.code,
      phase: r.phase as Phase,
      phaseChangedAt: r.phaseChangedAt.toISOString(),
      area: { code: r.area.code, nameZh: r.area.nameZh, nameEn: r.area.nameEn },
      foundation: r.foundation,
      /** the pool's budget line (预算科目), when it comes from one rather than the foundation */
      budgetLineNo: r.budgetLineNo,
      ...settingsDto(r),
    },
    poolBalanceFen: await balanceFen(db(), accountCodes.roundPool(r.id)),
    topics: topics.map((n) => ({
      number: n.number,
      title: n.title,
      category: n.category,
      votes: n.voteCount,
      community: n.area,
      link: `/needs/${n.number}`,
    })),
    counts: { topics: topicsTotal, ...(await proposalCounts(db(), r.id)) },
    topicsPage: page.page,
    topicsPages: page.pages,
    per,
    perOptions: TOPICS_PAGE_SIZES,
    canManage,
  };
}

/** Text values for the edit form, exactly as its inputs show them. */
export function formValues(s: ReturnType<typeof settingsDto>) {
  return {
    title: s.title,
    titleEn: s.titleEn ?? "",
    description: s.description,
    poolFen: fenToInput(s.poolFen),
    minAwardFen: fenToInput(s.minAwardFen),
    maxAwardFen: fenToInput(s.maxAwardFen),
    categories: s.categories,
    rubric: s.rubric.map((c) => ({ ...c, maxPoints: String(c.maxPoints) })),
    judgesPerProposal: String(s.judgesPerProposal),
    weightReview: String(s.weightReview),
    weightRoadshow: String(s.weightRoadshow),
    weightPublicVote: String(s.weightPublicVote),
    noticeDays: String(s.noticeDays),
    blindReview: s.blindReview ? "on" : "",
    zScore: s.zScore ? "on" : "",
    disagreementRange: String(s.disagreementRange),
    minScore: String(s.minScore),
    communityCapFen: s.communityCapFen == null ? "" : fenToInput(s.communityCapFen),
    categoryCapFen: s.categoryCapFen == null ? "" : fenToInput(s.categoryCapFen),
    trancheSchedule: s.trancheSchedule.map((t) => ({ percent: String(t.percent), trigger: t.trigger })),
    labourCapPercent: String(s.labourCapPercent),
    budgetCaps: budgetCapFormRows(s.budgetCaps),
    maxProposalsPerOrg: String(s.maxProposalsPerOrg),
    eligibleOrgKinds: s.eligibleOrgKinds,
    orgInRoundArea: s.orgInRoundArea ? "on" : "",
    maxOpenProjects: s.maxOpenProjects == null ? "" : String(s.maxOpenProjects),
    refuseTroubledOrgs: s.refuseTroubledOrgs ? "on" : "",
    requiresDeliberation: s.requiresDeliberation ? "on" : "",
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, toDateInput(s[f])])),
  } as Record<string, unknown>;
}

/** The officials' page of one round: settings for the edit form, what may still change, the phase history, its pool draws. */
export async function adminRoundPage(actor: Actor, code: string) {
  const r = await db().round.findUnique({
    where: { code },
    include: { area: true, foundation: { select: { slug: true, nameZh: true, nameEn: true, area: { select: { path: true, nameZh: true, nameEn: true } } } } },
  });
  if (!r) notFound();
  requireRoundOfficial(actor, r.area.path);
  const moves = await db().auditLog.findMany({
    where: { objectType: "Round", objectId: r.id, action: { in: ["round.create", "round.phase"] } },
    select: { seq: true, at: true, actorId: true, action: true, after: true },
    orderBy: { seq: "asc" },
  });
  const actorIds = [...new Set(moves.map((m) => m.actorId).filter((x): x is string => !!x))];
  const actors = await db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } });
  const nameOf = new Map(actors.map((a) => [a.id, a.name]));
  const settings = settingsDto(r);
  return {
    draws: await roundDraws(actor, r),
    round: {
      code: r.code,
      phase: r.phase as Phase,
      version: r.version,
      area: { code: r.area.code, nameZh: r.area.nameZh, nameEn: r.area.nameEn },
      foundation: r.foundation,
      budgetLineNo: r.budgetLineNo,
      ...settings,
    },
    values: formValues(settings),
    editable: [...editableIn(r.phase)],
    next: nextPhase(r.phase),
    poolBalanceFen: await balanceFen(db(), accountCodes.roundPool(r.id)),
    counts: await proposalCounts(db(), r.id),
    history: moves.map((m) => ({
      id: String(m.seq),
      at: m.at.toISOString(),
      actor: m.actorId ? (nameOf.get(m.actorId) ?? null) : null,
      phase: m.action === "round.create" ? ("DRAFT" as Phase) : (((m.after as { phase?: string } | null)?.phase ?? "DRAFT") as Phase),
      created: m.action === "round.create",
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Pool draws: what officials see
// ---------------------------------------------------------------------------------------------

const drawSelect = {
  id: true,
  amountFen: true,
  status: true,
  requestedById: true,
  requestedAt: true,
  decidedById: true,
  decidedAt: true,
  reason: true,
  budgetLineNo: true,
} as const;

type DrawRow = Prisma.PoolDrawGetPayload<{ select: typeof drawSelect }>;

/** Names of the people who asked for and decided `rows`, by user id. */
async function drawPeople(rows: readonly DrawRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((d) => [d.requestedById, d.decidedById]).filter((x): x is string => !!x))];
  const users = ids.length ? await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return new Map(users.map((u) => [u.id, u.name]));
}

/** One draw as an official sees it, with what they may do about it. */
function drawView(actor: Actor, d: DrawRow, fundAreaPath: string, names: Map<string, string>) {
  return {
    id: d.id,
    amountFen: Number(d.amountFen),
    status: d.status,
    requestedBy: names.get(d.requestedById) ?? null,
    requestedByMe: d.requestedById === actor.id,
    requestedAt: d.requestedAt.toISOString(),
    decidedBy: d.decidedById ? (names.get(d.decidedById) ?? null) : null,
    decidedAt: d.decidedAt?.toISOString() ?? null,
    reason: d.reason,
    /** the draw is on this budget line (预算科目), not on the foundation's available funds */
    budgetLineNo: d.budgetLineNo,
    mayDecide: drawDecisionProblem(actor, { fundAreaPath, requestedById: d.requestedById, status: d.status }) === null,
    mayWithdraw: drawWithdrawProblem(actor, d) === null,
  };
}

/** The draws of one round, newest first, for its admin page. */
async function roundDraws(actor: Actor, r: { id: string; foundation: { nameZh: string; nameEn: string; area: { path: string; nameZh: string; nameEn: string } } }) {
  const rows = await db().poolDraw.findMany({ where: { roundId: r.id }, select: drawSelect, orderBy: { requestedAt: "desc" } });
  const names = await drawPeople(rows);
  return {
    fundArea: { nameZh: r.foundation.area.nameZh, nameEn: r.foundation.area.nameEn },
    pending: rows.some((d) => d.status === "PENDING"),
    rows: rows.map((d) => drawView(actor, d, r.foundation.area.path, names)),
  };
}

export const DRAWS_PAGE_SIZE = 20;

/**
 * The pool draws waiting for a decision in the official's areas (/admin/rounds/draws): those on
 * funds they may decide, and those asked for rounds of their areas (their own among them), oldest
 * first. 403 for anyone who is no official.
 */
export async function pendingDraws(actor: Actor, requestedPage: unknown) {
  const where: Prisma.PoolDrawWhereInput = { status: "PENDING", round: roundsWithin(roundScope(actor)) };
  const total = await db().poolDraw.count({ where });
  const page = pageOf(requestedPage, total, DRAWS_PAGE_SIZE);
  const rows = await db().poolDraw.findMany({
    where,
    select: {
      ...drawSelect,
      round: { select: { code: true, title: true, area: { select: { nameZh: true, nameEn: true } } } },
      foundation: { select: { nameZh: true, nameEn: true, area: { select: { path: true, nameZh: true, nameEn: true } } } },
    },
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  const names = await drawPeople(rows);
  return {
    rows: rows.map((d) => ({
      ...drawView(actor, d, d.foundation.area.path, names),
      round: { code: d.round.code, title: d.round.title, area: d.round.area },
      foundation: { nameZh: d.foundation.nameZh, nameEn: d.foundation.nameEn, area: { nameZh: d.foundation.area.nameZh, nameEn: d.foundation.area.nameEn } },
    })),
    total,
    page: page.page,
    pages: page.pages,
  };
}

/** How many draws wait for a decision the official may take (the link on the rounds list). */
export async function pendingDrawCount(actor: Actor): Promise<number> {
  const rows = await db().poolDraw.findMany({
    where: { status: "PENDING", round: roundsWithin(roundScope(actor)) },
    select: { requestedById: true, status: true, foundation: { select: { area: { select: { path: true } } } } },
  });
  return rows.filter((d) => decisionProblem(actor)(d) === null).length;
}
