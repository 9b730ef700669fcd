import { fenOf, OverrideSchema, type AllocationLine } from "~/domain/allocation";
import { awardChanges, canObject, finalizable, latestNoticeEnd, ObjectionSchema, ResolveObjectionSchema, resultOf, roadshowCenti } from "~/domain/awards";
import { accountCodes, transfer } from "~/domain/ledger";
import { withParams } from "~/domain/messages";
import { formatFen } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { readNoticeBasis } from "~/domain/statutory-calendar";
import { db, type Tx } from "~/lib/db.server";
import { lockRound } from "~/lib/locks.server";
import { appUrl } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, ok, Refusal, refusedOr, type Result } from "~/lib/result";
import { audit, auditMany } from "~/services/books/audit.server";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { roundResults } from "~/services/review/results.server";
import { createProjectsForRound } from "~/services/projects/projects.server";
import { reviewRoundByCode, type ReviewRound } from "~/services/review/access.server";
import { objectionForOfficial, officialIdsOver, publishedRound, roundForOfficial } from "./access.server";
import { roundPoolSpec } from "~/services/rounds/rounds.server";
import { readUpload, saveUpload, UploadError } from "~/lib/uploads.server";
import { hit, refund } from "~/lib/rate-limit.server";
import { countNotice } from "~/services/areas/calendar.server";

/**
 * From results to final awards: officials' overrides (with written reasons), publishing the
 * proposed awards (opens the 公示), objections and their resolution, and the job that makes the
 * awards final and commits their money in the ledger. See docs/decisions/009.
 */

export const FINALIZE_TASK = "finalize_awards";
const open = (round: Pick<ReviewRound, "phase" | "awardsPublishedAt">) => round.phase === "REVIEW" && !round.awardsPublishedAt;

/**
 * Moves a final award's money from the round pool to the award's committed account, once (the
 * posting's key is the award). Used by finalisation and by the demo seed, which finalises JN6.
 */
export async function commitAwardMoney(
  tx: Tx,
  round: { id: string; code: string; foundationId: string },
  award: { id: string; awardFen: number; proposal: { referenceNo: string | null } },
  /** when the award became final (the posting's effective date); default now */
  finalizedAt?: Date,
): Promise<void> {
  await ensureAccount(tx, {
    code: accountCodes.awardCommitted(award.id),
    kind: "AWARD_COMMITTED",
    nameZh: `资助 ${award.proposal.referenceNo} 已承诺资金`,
    nameEn: `Award ${award.proposal.referenceNo} — committed`,
    foundationId: round.foundationId,
    ownerId: award.id,
  });
  await postTransaction(tx, {
    idempotencyKey: `award:${award.id}:commit`,
    kind: "AWARD_COMMIT",
    memo: `${round.code} ${award.proposal.referenceNo} 资助确定 / award final`,
    occurredAt: finalizedAt ?? null,
    entries: transfer(accountCodes.roundPool(round.id), accountCodes.awardCommitted(award.id), award.awardFen),
  });
}

/** Adds (or moves) the round's finalisation job to `runAt`, in the caller's transaction. */
export async function scheduleFinalization(tx: Tx, roundId: string, runAt: Date) {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${FINALIZE_TASK}::text,
    json_build_object('roundId', ${roundId}::text),
    run_at => ${runAt}::timestamptz,
    max_attempts => 10,
    job_key => ${`finalize:${roundId}`}::text,
    job_key_mode => 'replace'
  )`;
}

/** Members (with accounts) of the organizations of these proposals. */
async function applicantsOf(tx: Tx, proposalIds: string[]) {
  return tx.organizationMember.findMany({
    where: { userId: { not: null }, organization: { proposals: { some: { id: { in: proposalIds } } } } },
    select: { organizationId: true, user: { select: { id: true, name: true, email: true, locale: true } } },
  });
}

// ───────────────────────────── the officials' results page ─────────────────────────────

/** Ranking with every step, allocation, overrides and (once published) the awards, for officials of the area. */
export async function resultsPage(actor: Pick<Actor, "grants">, code: string, now = new Date()) {
  const round = await roundForOfficial(actor, code);
  const results = await roundResults(db(), round);
  const [seats, awards, drafts, notice] = await Promise.all([
    db().roundJudge.findMany({ where: { roundId: round.id }, select: { id: true, name: true }, orderBy: { createdAt: "asc" } }),
    db().award.findMany({ where: { roundId: round.id }, select: { proposalId: true, status: true, outcome: true, awardFen: true, noticeEndsAt: true } }),
    db().scoreSheet.count({ where: { roundId: round.id, status: "DRAFT", assignment: { endedAt: null } } }),
    open(round) ? countNotice(db(), now, round.noticeDays) : null,
  ]);
  const judgeName = new Map(seats.map((s) => [s.id, s.name]));
  const byId = new Map(results.proposals.map((p) => [p.id, p]));
  const lineOf = new Map<string, AllocationLine>((results.allocation?.ok ? results.allocation.lines : []).map((l) => [l.id, l]));
  const overrideOf = new Map(results.overrides.map((o) => [o.proposalId, o]));
  const rows = results.ranking.ok
    ? results.ranking.ranking.rows.map((r) => {
        const p = byId.get(r.proposalId)!;
        return {
          ...r,
          referenceNo: p.referenceNo,
          title: p.title,
          organization: p.organization.name,
          community: p.community,
          category: p.category,
          requestedFen: p.requestedFen ?? 0,
          judgeTotals: r.judgeTotals.map((t) => ({ ...t, judge: judgeName.get(t.judgeId) ?? "?" })),
          line: lineOf.get(r.proposalId) ?? null,
          override: overrideOf.get(r.proposalId) ?? null,
        };
      })
    : [];
  return {
    round: {
      code: round.code,
      title: round.title,
      phase: round.phase,
      poolFen: Number(round.poolFen),
      minScore: round.minScore,
      weights: { review: round.weightReview, roadshow: round.weightRoadshow, publicVote: round.weightPublicVote },
      zScore: round.zScore,
      disagreementRange: round.disagreementRange,
      noticeDays: round.noticeDays,
      published: !!round.awardsPublishedAt,
      final: !!round.awardsFinalizedAt,
    },
    canEdit: open(round),
    rows,
    rankingProblems: results.ranking.ok ? [] : results.ranking.problems,
    allocationProblems: results.allocation && !results.allocation.ok ? results.allocation.problems : [],
    overrideProblems: results.allocation?.ok ? results.allocation.overrideProblems : [],
    totals: results.allocation?.ok ? results.allocation.totals : null,
    unscored: rows.filter((r) => r.judgeCount === 0).map((r) => r.referenceNo),
    drafts,
    zScore: results.ranking.ok ? results.ranking.ranking.zScore : null,
    awards: awards.map((a) => ({ ...a, noticeEndsAt: a.noticeEndsAt.toISOString() })),
    /** the notice if published now: its end and how it is counted, or the year the calendar lacks */
    noticePreview: notice ? (notice.ok ? { ok: true as const, end: notice.end.toISOString(), basis: notice.basis } : notice) : null,
  };
}

// ───────────────────────────── overrides ─────────────────────────────

/** Sets (or replaces) the override of one proposal, with the official's written reason. Audited. */
export async function setOverride(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const round = await roundForOfficial(actor, code);
  if (!open(round)) return fail(409, "allocation.closed");
  const parsed = OverrideSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  const amountFen = v.kind === "amount" ? fenOf(v.amountFen) : null;
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const proposal = await tx.proposal.findFirst({ where: { id: v.proposalId, roundId: round.id, status: "ELIGIBLE" }, select: { id: true, referenceNo: true } });
    if (!proposal) notFound();
    const previous = await tx.allocationOverride.findFirst({ where: { proposalId: proposal.id, revokedAt: null } });
    if (previous) await tx.allocationOverride.update({ where: { id: previous.id }, data: { revokedAt: new Date(), revokedById: actor.id } });
    const created = await tx.allocationOverride.create({
      data: { roundId: round.id, proposalId: proposal.id, kind: v.kind, amountFen, reason: v.reason, createdById: actor.id },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "allocation.override",
      objectType: "AllocationOverride",
      objectId: created.id,
      before: previous ? { kind: previous.kind, amountFen: previous.amountFen, reason: previous.reason } : null,
      after: { proposal: proposal.referenceNo, kind: v.kind, amountFen: created.amountFen, reason: v.reason },
    });
    return ok();
  });
}

export async function revokeOverride(actor: Actor, code: string, overrideId: string): Promise<Result> {
  const round = await roundForOfficial(actor, code);
  if (!open(round)) return fail(409, "allocation.closed");
  return db().$transaction(async (tx) => {
    const row = await tx.allocationOverride.findFirst({ where: { id: overrideId, roundId: round.id, revokedAt: null } });
    if (!row) notFound();
    await tx.allocationOverride.update({ where: { id: row.id }, data: { revokedAt: new Date(), revokedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "allocation.override.revoke", objectType: "AllocationOverride", objectId: row.id, before: { kind: row.kind, amountFen: row.amountFen, reason: row.reason }, after: { revoked: true } });
    return ok();
  });
}

// ───────────────────────────── publishing (opens the notice) ─────────────────────────────

/**
 * Publishes the proposed awards: one Award per eligible proposal as ranking and allocation give
 * them now, each with a notice of `noticeDays` working days; the round moves to NOTICE and its
 * finalisation is scheduled. Refused while proposals are unscored or sheets are drafts unless
 * `force` (the official ticked "publish anyway").
 */
export async function publishAwards(actor: Actor, code: string, options: { force?: boolean; now?: Date } = {}): Promise<Result<{ noticeEndsAt: string }>> {
  const round = await roundForOfficial(actor, code);
  if (!open(round)) return fail(409, "publish.closed");
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const fresh = await tx.round.findUniqueOrThrow({ where: { id: round.id }, select: { phase: true, awardsPublishedAt: true } });
    if (!open(fresh)) return fail(409, "publish.closed");
    const results = await roundResults(tx, round);
    if (!results.ranking.ok || !results.allocation?.ok) return fail(409, "publish.problems");
    if (results.proposals.length === 0) return fail(409, "publish.nothing");
    const unscored = results.ranking.ranking.rows.filter((r) => r.judgeCount === 0).length;
    const drafts = await tx.scoreSheet.count({ where: { roundId: round.id, status: "DRAFT", assignment: { endedAt: null } } });
    if ((unscored || drafts) && !options.force) return fail(409, withParams("publish.incomplete", { unscored, drafts }));

    // counted with the calendar in force; a year it lacks refuses publishing (never a weekends-only count)
    const notice = await countNotice(tx, now, round.noticeDays);
    if (!notice.ok) return fail(409, withParams("publish.calendarMissing", { year: notice.missingYear }));
    const ends = notice.end;
    const lines = new Map(results.allocation.lines.map((l) => [l.id, l]));
    const rows = results.ranking.ranking.rows.map((r) => {
      const line = lines.get(r.proposalId)!;
      return {
        roundId: round.id,
        proposalId: r.proposalId,
        rank: r.rank,
        composite: r.composite,
        review: r.review,
        outcome: line.outcome,
        awardFen: line.awardFen,
        reasonCodes: line.reasonCodes,
        noticeStartsAt: now,
        noticeEndsAt: ends,
        noticeBasis: notice.basis,
      };
    });
    await tx.award.createMany({ data: rows });
    await tx.round.update({ where: { id: round.id }, data: { awardsPublishedAt: now, phase: "NOTICE", phaseChangedAt: now } });
    await scheduleFinalization(tx, round.id, ends);
    await audit(tx, {
      actorId: actor.id,
      action: "awards.publish",
      objectType: "Round",
      objectId: round.id,
      before: { phase: round.phase },
      after: { phase: "NOTICE", noticeEndsAt: ends.toISOString(), noticeBasis: notice.basis, awarded: results.allocation.totals.awardedFen, items: rows.map((r) => ({ p: r.proposalId, rank: r.rank, outcome: r.outcome, fen: r.awardFen })) },
    });
    const members = await applicantsOf(tx, rows.map((r) => r.proposalId));
    for (const userId of new Set(members.map((m) => m.user!.id))) {
      await notify(tx, { userId, kind: "awards.published", params: { round: round.title }, link: `/rounds/${round.code}/notice` });
    }
    return ok({ noticeEndsAt: ends.toISOString() });
  });
}

// ───────────────────────────── the public notice ─────────────────────────────

/** The published award list with objections and resolutions; never an objector's identity. 404 before publishing. */
/**
 * What /rounds/:code/notice shows: the notice once the awards are published; before, the round and
 * when its notice is planned to open (the page says so rather than answering 404). Unknown codes
 * and rounds still in DRAFT (not public yet) are 404.
 */
export async function publicNoticePage(code: string) {
  const round = await db().round.findUnique({
    where: { code },
    select: { code: true, title: true, titleEn: true, phase: true, noticeStartsAt: true, awardsPublishedAt: true },
  });
  if (!round || round.phase === "DRAFT") notFound();
  if (!round.awardsPublishedAt) {
    return {
      pending: { code: round.code, title: round.title, titleEn: round.titleEn, phase: round.phase, noticeStartsAt: round.noticeStartsAt.toISOString(), planned: round.noticeStartsAt.getTime() > Date.now() },
      notice: null,
    };
  }
  return { pending: null, notice: await publicNotice(code) };
}

export async function publicNotice(code: string) {
  const round = await publishedRound(code);
  const awards = await db().award.findMany({
    where: { roundId: round.id },
    orderBy: { rank: "asc" },
    select: {
      id: true,
      rank: true,
      composite: true,
      outcome: true,
      awardFen: true,
      status: true,
      noticeStartsAt: true,
      noticeEndsAt: true,
      noticeBasis: true,
      version: true,
      proposal: {
        select: { id: true, referenceNo: true, title: true, requestedFen: true, organization: { select: { name: true } }, community: { select: { nameZh: true, nameEn: true } } },
      },
      objections: { select: { id: true, reason: true, status: true, resolution: true, createdAt: true, resolvedAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
  const now = new Date();
  return {
    round: { code: round.code, title: round.title, titleEn: round.titleEn, phase: round.phase, noticeDays: round.noticeDays, final: !!round.awardsFinalizedAt, publishedAt: round.awardsPublishedAt.toISOString() },
    awards: awards.map((a) => ({
      id: a.id,
      rank: a.rank,
      composite: a.composite,
      outcome: a.outcome,
      awardFen: a.awardFen,
      status: a.status,
      noticeStartsAt: a.noticeStartsAt.toISOString(),
      noticeEndsAt: a.noticeEndsAt.toISOString(),
      noticeBasis: readNoticeBasis(a.noticeBasis),
      restarted: a.version > 1,
      canObject: canObject(a, now),
      proposal: { id: a.proposal.id, referenceNo: a.proposal.referenceNo, title: a.proposal.title, requestedFen: a.proposal.requestedFen, organization: a.proposal.organization.name, community: a.proposal.community },
      objections: a.objections.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), resolvedAt: o.resolvedAt?.toISOString() ?? null })),
    })),
  };
}

// ───────────────────────────── objections ─────────────────────────────

export const OBJECTIONS_PER_HOUR = 10;

/** Anyone signed in files an objection to one item while its notice runs. The objector is told; officials see it. */
export async function fileObjection(actor: Pick<Actor, "id">, code: string, raw: unknown, file: File | null = null, now = new Date()): Promise<Result> {
  const round = await publishedRound(code);
  const parsed = ObjectionSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { proposalId, reason } = parsed.data;
  const limit = await hit(`objection:${actor.id}`, OBJECTIONS_PER_HOUR, 3600);
  if (!limit.allowed) return fail(409, "objection.tooMany");
  return db().$transaction(async (tx) => {
    const award = await tx.award.findFirst({ where: { roundId: round.id, proposalId }, include: { proposal: { select: { referenceNo: true } } } });
    if (!award) notFound();
    if (!canObject(award, now)) return fail(409, "objection.closed");
    const upload = file && file.size > 0 ? await saveUpload(tx, { file, kinds: ["image", "pdf"], uploaderId: actor.id }) : null;
    const objection = await tx.objection.create({
      data: { roundId: round.id, awardId: award.id, proposalId, userId: actor.id, reason, attachmentUploadId: upload?.id ?? null },
    });
    await audit(tx, { actorId: actor.id, action: "objection.file", objectType: "Objection", objectId: objection.id, after: { awardId: award.id, reason } });
    const user = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, name: true, email: true, locale: true } });
    await queueUserEmail(tx, user, "objection-update", { roundTitle: round.title, referenceNo: award.proposal.referenceNo ?? "", status: "RECEIVED", resolution: "", link: `${appUrl()}/rounds/${round.code}/notice` });
    await notify(tx, { userId: actor.id, kind: "objection.received", params: { referenceNo: award.proposal.referenceNo ?? "" }, link: `/rounds/${round.code}/notice` });
    for (const userId of await officialIdsOver(tx, round.area.path)) {
      await notify(tx, { userId, kind: "objection.new", params: { round: round.title, referenceNo: award.proposal.referenceNo ?? "" }, link: `/admin/rounds/${round.code}/objections` });
    }
    return ok();
  }).catch(async (error: unknown): Promise<Result> => {
    // a refused file writes nothing (the transaction rolled back) and does not count
    if (error instanceof UploadError) {
      await refund(`objection:${actor.id}`);
      return fail(400, [], { fieldErrors: { attachment: [withParams(error.messageKey, error.params as Record<string, string | number>)] } });
    }
    throw error;
  });
}

/** The attachment of an objection, for officials of the round's area only. */
export async function objectionAttachment(actor: Pick<Actor, "grants">, objectionId: string) {
  const objection = await objectionForOfficial(actor, objectionId);
  if (!objection.attachmentUploadId) notFound();
  const upload = await readUpload(objection.attachmentUploadId);
  if (!upload) notFound();
  return upload;
}

/** Every objection of a round, with the objector (officials only). */
export async function roundObjections(actor: Pick<Actor, "grants">, code: string) {
  const round = await roundForOfficial(actor, code);
  const rows = await db().objection.findMany({
    where: { roundId: round.id },
    orderBy: [{ status: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      reason: true,
      status: true,
      resolution: true,
      createdAt: true,
      resolvedAt: true,
      attachmentUploadId: true,
      user: { select: { name: true, email: true } },
      award: { select: { rank: true, outcome: true, awardFen: true, noticeEndsAt: true } },
      proposal: { select: { id: true, referenceNo: true, title: true, requestedFen: true } },
    },
  });
  return {
    round: { code: round.code, title: round.title, phase: round.phase, published: !!round.awardsPublishedAt, final: !!round.awardsFinalizedAt },
    objections: rows.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), resolvedAt: o.resolvedAt?.toISOString() ?? null, award: { ...o.award, noticeEndsAt: o.award.noticeEndsAt.toISOString() } })),
  };
}

/**
 * Dismisses (reason published) or upholds an objection. Upholding records the chosen change as an
 * override (its reason is the resolution), re-runs ranking and allocation, and restarts the
 * notice of exactly the items that changed. All in one transaction under the round's lock.
 */
export async function resolveObjection(actor: Actor, code: string, raw: unknown, now = new Date()): Promise<Result<{ changed: number }>> {
  const round = await roundForOfficial(actor, code);
  const parsed = ResolveObjectionSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  const objectionId = v.objectionId;
  const amountFen = v.action === "amount" ? fenOf(v.amountFen) : null;
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const objection = await tx.objection.findFirst({
      where: { id: objectionId, roundId: round.id },
      include: { user: { select: { id: true, name: true, email: true, locale: true } }, proposal: { select: { id: true, referenceNo: true } } },
    });
    if (!objection) notFound();
    if (objection.status !== "OPEN") return fail(409, "objection.alreadyResolved");
    let changed: string[] = [];
    if (v.decision === "uphold" && v.action !== "none") {
      const previous = await tx.allocationOverride.findFirst({ where: { proposalId: objection.proposalId, revokedAt: null } });
      if (previous) await tx.allocationOverride.update({ where: { id: previous.id }, data: { revokedAt: now, revokedById: actor.id } });
      await tx.allocationOverride.create({
        data: { roundId: round.id, proposalId: objection.proposalId, kind: v.action, amountFen, reason: v.resolution, createdById: actor.id },
      });
    }
    if (v.decision === "uphold") {
      const results = await roundResults(tx, round);
      if (!results.ranking.ok || !results.allocation?.ok) throw new Refusal(fail(409, "objection.rerunFailed"));
      if (results.allocation.overrideProblems.some((p) => p.proposalId === objection.proposalId)) throw new Refusal(fail(409, "objection.overrideRefused"));
      const current = await tx.award.findMany({ where: { roundId: round.id } });
      const lines = new Map(results.allocation.lines.map((l) => [l.id, l]));
      const next = results.ranking.ranking.rows.map((r) => ({ row: r, line: lines.get(r.proposalId)! }));
      changed = awardChanges(
        current.map((a) => ({ proposalId: a.proposalId, rank: a.rank, outcome: a.outcome, awardFen: a.awardFen })),
        next.map(({ row, line }) => ({ proposalId: row.proposalId, rank: row.rank, outcome: line.outcome, awardFen: line.awardFen })),
      );
      // the changed items' notice restarts, counted with the calendar in force; a year it lacks refuses the resolution
      const notice = changed.length ? await countNotice(tx, now, round.noticeDays) : null;
      if (notice && !notice.ok) throw new Refusal(fail(409, withParams("objection.calendarMissing", { year: notice.missingYear })));
      const entries = [];
      for (const { row, line } of next.filter((n) => changed.includes(n.row.proposalId))) {
        const before = current.find((a) => a.proposalId === row.proposalId);
        if (!before) continue;
        await tx.award.update({
          where: { id: before.id },
          data: { rank: row.rank, composite: row.composite, review: row.review, outcome: line.outcome, awardFen: line.awardFen, reasonCodes: line.reasonCodes, noticeStartsAt: now, noticeEndsAt: notice!.end, noticeBasis: notice!.basis, version: { increment: 1 } },
        });
        entries.push({
          actorId: actor.id,
          action: "award.change",
          objectType: "Award",
          objectId: before.id,
          before: { rank: before.rank, outcome: before.outcome, awardFen: before.awardFen, noticeEndsAt: before.noticeEndsAt.toISOString() },
          after: { rank: row.rank, outcome: line.outcome, awardFen: line.awardFen, noticeEndsAt: notice!.end.toISOString(), noticeBasis: notice!.basis, objectionId: objection.id },
        });
      }
      if (entries.length) await auditMany(tx, entries);
      const members = await applicantsOf(tx, changed);
      for (const userId of new Set(members.map((m) => m.user!.id))) {
        await notify(tx, { userId, kind: "awards.changed", params: { round: round.title }, link: `/rounds/${round.code}/notice` });
      }
    }
    const status = v.decision === "uphold" ? "UPHELD" : "DISMISSED";
    await tx.objection.update({ where: { id: objection.id }, data: { status, resolution: v.resolution, resolvedById: actor.id, resolvedAt: now } });
    await audit(tx, {
      actorId: actor.id,
      action: `objection.${v.decision}`,
      objectType: "Objection",
      objectId: objection.id,
      before: { status: "OPEN" },
      after: { status, resolution: v.resolution, action: v.action, amountFen, changed },
    });
    await queueUserEmail(tx, objection.user, "objection-update", { roundTitle: round.title, referenceNo: objection.proposal.referenceNo ?? "", status, resolution: v.resolution, link: `${appUrl()}/rounds/${round.code}/notice` });
    await notify(tx, { userId: objection.user.id, kind: `objection.${status}`, params: { referenceNo: objection.proposal.referenceNo ?? "" }, link: `/rounds/${round.code}/notice` });
    // finalisation is due at the latest end of notice (now, if every notice has ended)
    const awards = await tx.award.findMany({ where: { roundId: round.id }, select: { noticeEndsAt: true } });
    const due = latestNoticeEnd(awards);
    await scheduleFinalization(tx, round.id, due > now ? due : now);
    return ok({ changed: changed.length });
  }).catch(refusedOr);
}

// ───────────────────────────── finalisation (a job) ─────────────────────────────

/**
 * Makes final the awards of every round whose notice has ended with no objection open: each
 * award FINAL, the money of funded and partially funded ones moved from the round pool to the
 * award's committed account (once: idempotency key per award), the applicants told. Safe to run
 * any number of times from any number of instances (round row lock, re-checked inside).
 */
export async function finalizeDueAwards(now = new Date()): Promise<{ rounds: string[] }> {
  const candidates = await db().round.findMany({
    where: { phase: "NOTICE", awardsPublishedAt: { not: null }, awardsFinalizedAt: null },
    select: { id: true },
  });
  const done: string[] = [];
  for (const { id } of candidates) {
    const finalized = await db().$transaction(async (tx) => {
      await lockRound(tx, id);
      const round = await tx.round.findUniqueOrThrow({
        where: { id },
        select: { id: true, code: true, title: true, foundationId: true, awardsFinalizedAt: true, phase: true },
      });
      if (round.awardsFinalizedAt || round.phase !== "NOTICE") return false;
      const awards = await tx.award.findMany({
        where: { roundId: id },
        include: { proposal: { select: { id: true, referenceNo: true, title: true, requestedFen: true } } },
      });
      const openObjections = await tx.objection.count({ where: { roundId: id, status: "OPEN" } });
      if (!finalizable(awards, openObjections, now)) return false;
      await ensureAccount(tx, roundPoolSpec(round));
      for (const award of awards) {
        if (award.awardFen > 0 && (award.outcome === "FUNDED" || award.outcome === "PARTIAL")) {
          await commitAwardMoney(tx, round, award);
        }
      }
      await tx.award.updateMany({ where: { roundId: id, status: "PROPOSED" }, data: { status: "FINAL", finalizedAt: now } });
      await tx.round.update({ where: { id }, data: { awardsFinalizedAt: now } });
      // each funded award becomes a project, whose grant agreement then waits for the applicant
      await createProjectsForRound(tx, id, now);
      await audit(tx, {
        actorId: null,
        action: "awards.finalize",
        objectType: "Round",
        objectId: id,
        after: { awards: awards.length, committedFen: awards.filter((a) => a.outcome === "FUNDED" || a.outcome === "PARTIAL").reduce((s, a) => s + a.awardFen, 0) },
      });
      const members = await applicantsOf(tx, awards.map((a) => a.proposalId));
      const byOrg = new Map<string, typeof members>();
      for (const m of members) byOrg.set(m.organizationId, [...(byOrg.get(m.organizationId) ?? []), m]);
      const orgOf = new Map(
        (await tx.proposal.findMany({ where: { id: { in: awards.map((a) => a.proposalId) } }, select: { id: true, organizationId: true } })).map((p) => [p.id, p.organizationId]),
      );
      for (const award of awards) {
        const result = resultOf(award.outcome);
        for (const m of byOrg.get(orgOf.get(award.proposalId)!) ?? []) {
          const user = m.user!;
          await queueUserEmail(tx, user, "award-result", {
            roundTitle: round.title,
            referenceNo: award.proposal.referenceNo ?? "",
            title: award.proposal.title,
            result,
            amount: formatFen(award.awardFen),
            requested: formatFen(award.proposal.requestedFen ?? 0),
            link: `${appUrl()}/rounds/${round.code}/notice`,
          });
          await notify(tx, { userId: user.id, kind: `awards.final.${result}`, params: { referenceNo: award.proposal.referenceNo ?? "", amount: formatFen(award.awardFen) }, link: `/rounds/${round.code}/notice` });
        }
      }
      return true;
    });
    if (finalized) done.push(id);
  }
  return { rounds: done };
}

// ───────────────────────────── roadshow scores and public votes ─────────────────────────────

/** An official enters (or corrects) a proposal's roadshow score; audited before → after. */
export async function setRoadshowScore(actor: Actor, code: string, proposalId: string, raw: string): Promise<Result> {
  const round = await roundForOfficial(actor, code);
  if (!open(round)) return fail(409, "allocation.closed");
  if (round.weightRoadshow === 0) return fail(409, "roadshow.notWeighted");
  const centi = roadshowCenti(raw);
  if (centi === null) return fail(400, [], { fieldErrors: { score: ["roadshow.invalid"] } });
  return db().$transaction(async (tx) => {
    const proposal = await tx.proposal.findFirst({ where: { id: proposalId, roundId: round.id, status: "ELIGIBLE" }, select: { id: true, referenceNo: true } });
    if (!proposal) notFound();
    const before = await tx.roadshowScore.findUnique({ where: { proposalId } });
    await tx.roadshowScore.upsert({
      where: { proposalId },
      update: { scoreCenti: centi, enteredById: actor.id },
      create: { proposalId, roundId: round.id, scoreCenti: centi, enteredById: actor.id },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "roadshow.score",
      objectType: "Proposal",
      objectId: proposalId,
      before: before ? { score: before.scoreCenti / 100 } : null,
      after: { reference: proposal.referenceNo, score: centi / 100 },
    });
    return ok();
  });
}

/** Whether residents may vote on a round's proposals now: the round weighs public votes and is in review, unpublished. */
const votingOpen = (round: Pick<ReviewRound, "phase" | "awardsPublishedAt" | "weightPublicVote">) => round.weightPublicVote > 0 && open(round);

/** Vote counts of a round's eligible proposals (by reference) and which of them the viewer voted for. */
export async function publicVoteState(viewer: Pick<Actor, "id"> | null, codeOrRound: string | ReviewRound) {
  // the eligible list's page passes the round it already read
  const round = typeof codeOrRound === "string" ? await reviewRoundByCode(db(), codeOrRound) : codeOrRound;
  if (round.weightPublicVote === 0) return { enabled: false, open: false, counts: {} as Record<string, number>, mine: [] as string[] };
  const [counts, mine] = await Promise.all([
    db().publicVote.groupBy({ by: ["proposalId"], where: { roundId: round.id }, _count: { _all: true } }),
    viewer ? db().publicVote.findMany({ where: { roundId: round.id, userId: viewer.id }, select: { proposalId: true } }) : [],
  ]);
  const refs = new Map(
    (await db().proposal.findMany({ where: { roundId: round.id, status: "ELIGIBLE" }, select: { id: true, referenceNo: true } })).map((p) => [p.id, p.referenceNo ?? ""]),
  );
  return {
    enabled: true,
    open: votingOpen(round),
    counts: Object.fromEntries(counts.map((c) => [refs.get(c.proposalId) ?? "", c._count._all])),
    mine: mine.map((m) => refs.get(m.proposalId) ?? ""),
  };
}

/**
 * A signed-in resident votes for a proposal (one vote per account per proposal) or withdraws it.
 * Idempotent: voting twice keeps one vote (primary key), withdrawing twice removes nothing more.
 */
export async function setPublicVote(actor: Pick<Actor, "id">, code: string, referenceNo: string, on: boolean): Promise<Result> {
  const round = await reviewRoundByCode(db(), code);
  if (!votingOpen(round)) return fail(409, "publicVote.closed");
  const proposal = await db().proposal.findFirst({ where: { roundId: round.id, referenceNo, status: "ELIGIBLE" }, select: { id: true } });
  if (!proposal) notFound();
  if (on) {
    await db().publicVote.createMany({ data: [{ proposalId: proposal.id, userId: actor.id, roundId: round.id }], skipDuplicates: true });
  } else {
    await db().publicVote.deleteMany({ where: { proposalId: proposal.id, userId: actor.id } });
  }
  return ok();
}
