import { rubricOf } from "~/domain/rounds";
import { blindSnapshot, parseSheet, ReopenSheetSchema, sheetTotal, type SheetInput } from "~/domain/score-sheet";
import type { Actor } from "~/services/accounts/actor.server";
import { type Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { fromDbLocale } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { queueUserEmail } from "~/lib/outbox.server";
import { notify } from "~/lib/notify.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { requireReviewAccess, roundForOfficial } from "./access.server";

/**
 * Scoring (评分): a judge's queue, the score sheet of one assigned proposal (draft, submit — a
 * submitted sheet is locked by the database), and an official's reopening of a submitted sheet.
 * Every judge action goes through requireReviewAccess: a live assignment without conflict.
 */

const scoringOpen = (round: { phase: string; awardsPublishedAt: Date | null }) => round.phase === "REVIEW" && !round.awardsPublishedAt;

/** Every round where the viewer holds a seat, with their live assignments and sheet states. */
export async function judgeQueue(actor: Pick<Actor, "id">) {
  const seats = await db().roundJudge.findMany({
    where: { userId: actor.id, status: { in: ["ACCEPTED"] } },
    select: {
      id: true,
      round: { select: { code: true, title: true, phase: true, blindReview: true, noticeStartsAt: true, awardsPublishedAt: true } },
      assignments: {
        where: { endedAt: null },
        select: {
          proposal: { select: { id: true, referenceNo: true, title: true, organization: { select: { name: true } } } },
          sheet: { select: { status: true, scores: true, updatedAt: true } },
        },
        orderBy: { proposal: { referenceNo: "asc" } },
      },
    },
    orderBy: { createdAt: "desc" },
  });
  return seats.map((s) => ({
    round: { code: s.round.code, title: s.round.title, phase: s.round.phase, deadline: s.round.noticeStartsAt.toISOString(), open: scoringOpen(s.round) },
    submitted: s.assignments.filter((a) => a.sheet?.status === "SUBMITTED").length,
    items: s.assignments.map((a) => ({
      proposalId: a.proposal.id,
      referenceNo: a.proposal.referenceNo,
      title: a.proposal.title,
      organization: s.round.blindReview ? null : a.proposal.organization.name,
      status: a.sheet?.status ?? "NONE",
      total: a.sheet ? sheetTotal(a.sheet.scores as Record<string, number>) : null,
    })),
  }));
}

/** The score sheet page: the proposal (blind when the round says so), the rubric and the judge's sheet. */
export async function sheetFor(actor: Pick<Actor, "id">, proposalId: string) {
  const { seat, assignment, roundId } = await requireReviewAccess(actor, proposalId);
  const [round, proposal, sheet] = await Promise.all([
    db().round.findUniqueOrThrow({ where: { id: roundId }, select: { code: true, title: true, phase: true, rubric: true, blindReview: true, noticeStartsAt: true, awardsPublishedAt: true } }),
    db().proposal.findUniqueOrThrow({
      where: { id: proposalId },
      select: { id: true, referenceNo: true, title: true, requestedFen: true, snapshot: true, organization: { select: { name: true } } },
    }),
    db().scoreSheet.findUnique({ where: { assignmentId: assignment.id } }),
  ]);
  const snapshot = (proposal.snapshot ?? {}) as Record<string, unknown>;
  return {
    round: { code: round.code, title: round.title, phase: round.phase, blind: round.blindReview, deadline: round.noticeStartsAt.toISOString(), open: scoringOpen(round) },
    seatName: seat.name,
    proposal: {
      id: proposal.id,
      referenceNo: proposal.referenceNo,
      title: proposal.title,
      requestedFen: proposal.requestedFen,
      organization: round.blindReview ? null : proposal.organization.name,
      // identity is removed on the server: a blind judge's browser never receives it
      snapshot: round.blindReview ? blindSnapshot(snapshot) : snapshot,
    },
    rubric: rubricOf(round.rubric),
    sheet: sheet
      ? {
          status: sheet.status,
          version: sheet.version,
          scores: sheet.scores as Record<string, number>,
          comments: sheet.comments as Record<string, string>,
          overallComment: sheet.overallComment,
          submittedAt: sheet.submittedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/** What a judge saving a sheet that changed meanwhile is told: its version now, when and by whom it was saved. */
export interface StaleSheet {
  version: number;
  savedAt: string;
  savedBy: string;
}

/**
 * Saves the judge's sheet as a draft, or submits it (every criterion scored; then locked).
 * `version` is the version the form was loaded with (0 = no sheet yet): the write is conditional
 * on it (an update of exactly that version, or an insert when there is none), so of two tabs
 * saving the same sheet at once one wins and the other gets a 409 with the newer version.
 */
export async function saveSheet(
  actor: Pick<Actor, "id">,
  proposalId: string,
  input: SheetInput & { version: number; submit: boolean },
): Promise<Result<{ submitted: boolean }, StaleSheet | undefined>> {
  const { seat, assignment, roundId } = await requireReviewAccess(actor, proposalId);
  const round = await db().round.findUniqueOrThrow({ where: { id: roundId }, select: { rubric: true, phase: true, awardsPublishedAt: true } });
  if (!scoringOpen(round)) return fail(409, "scoring.error.closed");
  const parsed = parseSheet(rubricOf(round.rubric), input, input.submit);
  if (Object.keys(parsed.fieldErrors).length) return invalid(parsed.fieldErrors, ["scoring.error.fix"]);

  return db().$transaction(async (tx) => {
    const existing = await tx.scoreSheet.findUnique({ where: { assignmentId: assignment.id } });
    if (existing?.status === "SUBMITTED") return fail(409, "scoring.error.locked");
    const stale = async () => {
      const now = await tx.scoreSheet.findUniqueOrThrow({ where: { assignmentId: assignment.id }, select: { version: true, updatedAt: true, status: true } });
      if (now.status === "SUBMITTED") return fail(409, "scoring.error.locked");
      return fail<StaleSheet>(409, "scoring.error.stale", { detail: { version: now.version, savedAt: now.updatedAt.toISOString(), savedBy: seat.name } });
    };
    if ((existing?.version ?? 0) !== input.version) return stale();
    const data = {
      scores: parsed.scores as Prisma.InputJsonValue,
      comments: parsed.comments as Prisma.InputJsonValue,
      overallComment: parsed.overallComment,
      status: input.submit ? ("SUBMITTED" as const) : ("DRAFT" as const),
      submittedAt: input.submit ? new Date() : null,
    };
    // conditional writes: a concurrent save of the same version makes this one count 0
    const written = existing
      ? await tx.scoreSheet.updateMany({ where: { id: existing.id, version: input.version, status: "DRAFT" }, data: { ...data, version: { increment: 1 } } })
      : await tx.scoreSheet.createMany({ data: [{ ...data, assignmentId: assignment.id, roundId, proposalId, roundJudgeId: seat.id }], skipDuplicates: true });
    if (written.count === 0) return stale();
    if (input.submit) {
      const sheet = await tx.scoreSheet.findUniqueOrThrow({ where: { assignmentId: assignment.id }, select: { id: true } });
      await audit(tx, {
        actorId: actor.id,
        action: "score.submit",
        objectType: "ScoreSheet",
        objectId: sheet.id,
        before: existing ? { status: existing.status, scores: existing.scores } : null,
        after: { status: "SUBMITTED", scores: parsed.scores, total: sheetTotal(parsed.scores) },
      });
    }
    return ok({ submitted: input.submit });
  });
}

/** Submitted sheets of a round for its officials, with judge names, newest first. */
export async function roundSheets(actor: Pick<Actor, "grants">, code: string) {
  const round = await roundForOfficial(actor, code);
  const sheets = await db().scoreSheet.findMany({
    where: { roundId: round.id, assignment: { endedAt: null } },
    select: {
      id: true,
      status: true,
      scores: true,
      overallComment: true,
      submittedAt: true,
      source: true,
      roundJudge: { select: { name: true } },
      proposal: { select: { referenceNo: true, title: true } },
    },
    orderBy: [{ proposal: { referenceNo: "asc" } }, { createdAt: "asc" }],
  });
  const assigned = await db().reviewAssignment.count({ where: { roundId: round.id, endedAt: null } });
  return {
    round: { code: round.code, title: round.title, phase: round.phase, open: scoringOpen(round) },
    assigned,
    submitted: sheets.filter((s) => s.status === "SUBMITTED").length,
    sheets: sheets.map((s) => ({
      id: s.id,
      status: s.status,
      total: sheetTotal(s.scores as Record<string, number>),
      judge: s.roundJudge.name,
      referenceNo: s.proposal.referenceNo,
      title: s.proposal.title,
      submittedAt: s.submittedAt?.toISOString() ?? null,
      source: s.source,
    })),
  };
}

/** An official reopens a submitted sheet (back to DRAFT) with a written reason; audited; the judge is told. */
export async function reopenSheet(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const round = await roundForOfficial(actor, code);
  const parsed = ReopenSheetSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { sheetId, reason: text } = parsed.data;
  if (!scoringOpen(round)) return fail(409, "scoring.error.closed");
  return db().$transaction(async (tx) => {
    const sheet = await tx.scoreSheet.findFirst({ where: { id: sheetId, roundId: round.id }, include: { roundJudge: { select: { userId: true } }, proposal: { select: { id: true, referenceNo: true } } } });
    if (!sheet) notFound();
    if (sheet.status !== "SUBMITTED") return fail(409, "scoring.reopen.notSubmitted");
    await tx.scoreSheet.update({ where: { id: sheet.id }, data: { status: "DRAFT", submittedAt: null, version: { increment: 1 } } });
    await audit(tx, {
      actorId: actor.id,
      action: "score.reopen",
      objectType: "ScoreSheet",
      objectId: sheet.id,
      before: { status: "SUBMITTED", scores: sheet.scores },
      after: { status: "DRAFT", reason: text },
    });
    if (sheet.roundJudge.userId) {
      await notify(tx, {
        userId: sheet.roundJudge.userId,
        kind: "scoring.reopened",
        params: { referenceNo: sheet.proposal.referenceNo ?? "", reason: text },
        link: `/judging/sheets/${sheet.proposal.id}`,
      });
    }
    return ok();
  });
}

// ───────────────────────────── reminders (a daily job) ─────────────────────────────

export const REMINDER_DAYS_BEFORE = 3;
export const REMINDER_GAP_HOURS = 20;

/**
 * Reminds, by email and inbox, every judge with unfinished sheets in a round whose scoring
 * deadline (the planned start of the notice) is within REMINDER_DAYS_BEFORE days; at most once
 * per REMINDER_GAP_HOURS per seat (remindedAt, set in the same transaction).
 */
export async function sendScoringReminders(now = new Date()): Promise<{ reminded: number }> {
  const rounds = await db().round.findMany({
    where: { phase: "REVIEW", awardsPublishedAt: null, noticeStartsAt: { gt: now, lte: new Date(now.getTime() + REMINDER_DAYS_BEFORE * 86_400_000) } },
    select: { id: true, code: true, title: true, noticeStartsAt: true },
  });
  let reminded = 0;
  const cutoff = new Date(now.getTime() - REMINDER_GAP_HOURS * 3_600_000);
  for (const round of rounds) {
    const seats = await db().roundJudge.findMany({
      where: { roundId: round.id, status: "ACCEPTED", userId: { not: null }, OR: [{ remindedAt: null }, { remindedAt: { lt: cutoff } }] },
      select: {
        id: true,
        user: { select: { id: true, name: true, email: true, locale: true } },
        assignments: { where: { endedAt: null }, select: { sheet: { select: { status: true } } } },
      },
    });
    for (const seat of seats) {
      const unfinished = seat.assignments.filter((a) => a.sheet?.status !== "SUBMITTED").length;
      if (!unfinished || !seat.user) continue;
      const user = seat.user;
      await db().$transaction(async (tx) => {
        const claimed = await tx.roundJudge.updateMany({ where: { id: seat.id, OR: [{ remindedAt: null }, { remindedAt: { lt: cutoff } }] }, data: { remindedAt: now } });
        if (claimed.count === 0) return; // another instance reminded them
        const locale = fromDbLocale(user.locale);
        const deadline = formatDeadline(locale, round.noticeStartsAt);
        await queueUserEmail(tx, user, "scoring-reminder", { roundTitle: round.title, unfinished, deadline, link: `${appUrl()}/judging` });
        await notify(tx, { userId: user.id, kind: "scoring.reminder", params: { round: round.title, unfinished, deadline }, link: "/judging" });
        reminded++;
      });
    }
  }
  return { reminded };
}
