import { withParams } from "~/domain/messages";
import { accountCodes, transfer } from "~/domain/ledger";
import { formatFen, fenToInput, pageOf, perPageOf } from "~/domain/money";
import { isWithin } from "~/domain/permissions";
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
import { lockRoundByCode } from "~/lib/locks.server";
import { notFound } from "~/lib/permissions.server";
import { fail, invalid, ok, type Failed, type Result } from "~/lib/result";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/books/audit.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { mayDrawFrom, mayManageRound, requireRoundOfficial, roundScope, roundsWithin } from "./access.server";

export const ROUND_LIST_PAGE_SIZE = 20;
export const TOPICS_PAGE_SIZE = 20;
export const TOPICS_PAGE_SIZES = [20, 50, 100] as const;

/** Thrown inside a transaction to roll it back and answer the form with the failure it carries. */
class Refusal extends Error {
  constructor(public failure: Failed) {
    super("refused");
  }
}

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

/** The foundation has not that much available: a conflict with the money as it is now, shown at the pool field. */
const insufficient = (availableFen: number) =>
  fail(409, [], { fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: formatFen(availableFen) })] } });

/** The JSON-safe settings of a round as stored (for audit records and comparisons). */
function storedSettings(r: RoundRow): RoundSettings {
  return {
    title: r.title,
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
    communityCapFen: r.communityCapFen,
    categoryCapFen: r.categoryCapFen,
    trancheSchedule: trancheScheduleOf(r.trancheSchedule),
    labourCapPercent: r.labourCapPercent,
    maxProposalsPerOrg: r.maxProposalsPerOrg,
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
    communityCapFen: s.communityCapFen,
    categoryCapFen: s.categoryCapFen,
    trancheSchedule: s.trancheSchedule as unknown as Prisma.InputJsonValue,
    labourCapPercent: s.labourCapPercent,
    maxProposalsPerOrg: s.maxProposalsPerOrg,
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, s[f]])),
  } as Omit<Prisma.RoundUncheckedCreateInput, "code" | "areaId" | "foundationId">;
}

type RoundRow = Prisma.RoundGetPayload<{ include: { area: true } }>;

// ---------------------------------------------------------------------------------------------
// Set-up and edits
// ---------------------------------------------------------------------------------------------

/**
 * Creates a round for an area the actor is an official of, drawing its pool from a foundation of
 * that area (or above it) through the ledger, in one transaction: the round, the movement
 * foundation-available → round-pool, and the audit record exist together or not at all.
 */
export async function createRound(actor: Actor, input: CreateRoundInput): Promise<Result<{ code: string; id: string }>> {
  const area = await db().area.findUnique({ where: { id: input.areaId }, select: { id: true, path: true } });
  if (!area) return invalid({ areaId: ["rounds.area.required"] });
  requireRoundOfficial(actor, area.path);
  const foundation = await db().foundation.findUnique({
    where: { id: input.foundationId },
    select: { id: true, area: { select: { path: true } } },
  });
  if (!foundation) return invalid({ foundationId: ["rounds.foundation.required"] });
  if (!isWithin(area.path, foundation.area.path)) return invalid({ foundationId: ["rounds.foundation.outside"] });
  if (!mayDrawFrom(actor, foundation.area.path)) return fail(403, [], { fieldErrors: { foundationId: ["rounds.foundation.notYours"] } });
  const taken = fail(409, [], { fieldErrors: { code: ["rounds.code.taken"] } });
  if (await db().round.findUnique({ where: { code: input.code }, select: { id: true } })) return taken;

  const { code: _c, areaId: _a, foundationId: _f, ...settings } = input;
  try {
    const round = await db().$transaction(async (tx) => {
      const created = await tx.round.create({
        data: { code: input.code, areaId: area.id, foundationId: foundation.id, createdById: actor.id, ...settingsData(settings) },
        select: { id: true, code: true, foundationId: true, version: true },
      });
      const available = await lockFoundationAvailable(tx, foundation.id);
      if (settings.poolFen > available) throw new Refusal(insufficient(available));
      await ensureAccount(tx, roundPoolSpec(created));
      let transactionId: string | null = null;
      if (settings.poolFen > 0) {
        ({ transactionId } = await postTransaction(tx, {
          idempotencyKey: `round:${created.id}:pool:${created.version}`,
          kind: "ROUND_POOL",
          memo: `创投轮次 ${created.code} 资金池 / Pool of round ${created.code}`,
          actorId: actor.id,
          entries: transfer(accountCodes.foundationAvailable(foundation.id), accountCodes.roundPool(created.id), settings.poolFen),
        }));
      }
      await audit(tx, {
        actorId: actor.id,
        action: "round.create",
        objectType: "Round",
        objectId: created.id,
        after: { code: created.code, areaId: area.id, foundationId: foundation.id, ...settings, ledgerTransactionId: transactionId },
      });
      return created;
    });
    return ok({ code: round.code, id: round.id });
  } catch (e) {
    if (e instanceof Refusal) return e.failure;
    // two officials choosing the same code at the same moment: the unique index decides
    if (isUniqueViolation(e)) return taken;
    throw e;
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
 * are refused field by field. A changed pool moves the difference through the ledger, either way.
 */
export async function updateRound(
  actor: Actor,
  code: string,
  input: RoundSettings,
  expectedVersion: number,
): Promise<Result<{ version: number }>> {
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
      let transactionId: string | null = null;
      if (delta !== 0) {
        const fund = await tx.foundation.findUniqueOrThrow({ where: { id: round.foundationId }, select: { area: { select: { path: true } } } });
        if (!mayDrawFrom(actor, fund.area.path)) throw new Refusal(fail(403, [], { fieldErrors: { poolFen: ["rounds.foundation.notYours"] } }));
        const available = await lockFoundationAvailable(tx, round.foundationId);
        if (delta > 0 && delta > available) throw new Refusal(insufficient(available));
        await ensureAccount(tx, roundPoolSpec(round));
        const poolCode = accountCodes.roundPool(round.id);
        // money already committed out of the pool (awards, later) cannot be handed back
        if (delta < 0 && -delta > (await balanceFen(tx, poolCode))) throw new Refusal(fail(409, [], { fieldErrors: { poolFen: ["rounds.pool.committed"] } }));
        const foundationCode = accountCodes.foundationAvailable(round.foundationId);
        ({ transactionId } = await postTransaction(tx, {
          idempotencyKey: `round:${round.id}:pool:${version}`,
          kind: delta > 0 ? "ROUND_POOL" : "ROUND_POOL_RETURN",
          memo:
            delta > 0
              ? `创投轮次 ${round.code} 追加资金池 / Pool of round ${round.code} increased`
              : `创投轮次 ${round.code} 资金池退回基金 / Pool of round ${round.code} reduced`,
          actorId: actor.id,
          entries: delta > 0 ? transfer(foundationCode, poolCode, delta) : transfer(poolCode, foundationCode, -delta),
        }));
      }
      const updated = await tx.round.updateMany({
        where: { id: round.id, version: expectedVersion },
        data: { ...settingsData(input), version },
      });
      if (updated.count !== 1) throw new Refusal(fail(409, "rounds.version.conflict"));
      const changed = (Object.keys(before) as SettingField[]).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(input[f]));
      await audit(tx, {
        actorId: actor.id,
        action: "round.update",
        objectType: "Round",
        objectId: round.id,
        before: { version: round.version, ...Object.fromEntries(changed.map((f) => [f, before[f]])) },
        after: { version, ...Object.fromEntries(changed.map((f) => [f, input[f]])), ledgerTransactionId: transactionId },
      });
      return ok({ version });
    });
  } catch (e) {
    if (e instanceof Refusal) return e.failure;
    throw e;
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
 * moved. Audited; everyone concerned gets an inbox message in the same transaction.
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

/** The areas an official may create a round for, and the foundations each may draw on. */
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
  const usable = foundations.filter((f) => mayDrawFrom(actor, f.area.path) && areas.some((a) => isWithin(a.path, f.area.path)));
  const withBalance = await Promise.all(
    usable.map(async (f) => ({
      id: f.id,
      slug: f.slug,
      nameZh: f.nameZh,
      nameEn: f.nameEn,
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
    maxProposalsPerOrg: String(s.maxProposalsPerOrg),
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, toDateInput(s[f])])),
  } as Record<string, unknown>;
}

/** The officials' page of one round: settings for the edit form, what may still change, the phase history. */
export async function adminRoundPage(actor: Actor, code: string) {
  const r = await db().round.findUnique({
    where: { code },
    include: { area: true, foundation: { select: { slug: true, nameZh: true, nameEn: true } } },
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
    round: {
      code: r.code,
      phase: r.phase as Phase,
      version: r.version,
      area: { code: r.area.code, nameZh: r.area.nameZh, nameEn: r.area.nameEn },
      foundation: r.foundation,
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
