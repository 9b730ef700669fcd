/**
 * JN6's review, as it happened last year: the five demo judges scored every eligible proposal
 * (one proposal drew widely different totals and was discussed by the panel), the awards were
 * publicly noticed from 2026-01-20, one objection was dismissed, and the awards became final —
 * their money moved from the round pool to each award's committed account. Results come from
 * the real rules (app/services/results.server.ts), not from hand-written numbers.
 */
import { assignJudges } from "../app/domain/assignment.ts";
import { rubricOf } from "../app/domain/rounds.ts";
import type { Prisma } from "../app/generated/prisma/client.ts";
import type { Tx } from "../app/lib/db.server.ts";
import { commitAwardMoney } from "../app/services/awards/awards.server.ts";
import { countNotice } from "../app/services/areas/calendar.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { provisionalYear } from "../app/domain/statutory-calendar.ts";
import { computeResults, loadResultInputs } from "../app/services/review/results.server.ts";
import { reviewRoundSelect } from "../app/services/review/access.server.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";
import { demoAt as at } from "./demo-clock.ts";


export async function seedJn6Review(tx: Tx, jn6Id: string, officialId: string) {
  const round = await tx.round.findUniqueOrThrow({ where: { id: jn6Id }, select: reviewRoundSelect });
  const judges = await tx.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.judges.map((j) => j.email) } }, orderBy: { email: "asc" } });
  const seats = [];
  for (const [i, judge] of judges.entries()) {
    seats.push(
      await tx.roundJudge.create({
        data: {
          roundId: jn6Id,
          email: judge.email!,
          name: judge.name,
          userId: judge.id,
          status: "ACCEPTED",
          tokenHash: `seed:jn6:${judge.email}`,
          expiresAt: at("2026-01-10"),
          invitedById: officialId,
          acceptedAt: at("2026-01-03", 9 + i),
        },
      }),
    );
  }
  const proposals = await tx.proposal.findMany({
    where: { roundId: jn6Id, status: "ELIGIBLE" },
    select: { id: true, organizationId: true },
    orderBy: { referenceNo: "asc" },
  });
  const result = assignJudges({
    proposals: proposals.map((p) => ({ id: p.id, organizationId: p.organizationId })),
    judges: seats.map((s) => ({ id: s.id, memberOfOrganizationIds: [], declaredConflicts: [] })),
    k: round.judgesPerProposal,
  });
  if (!result.ok) throw new Error("seed: JN6 assignment impossible");
  const rubric = rubricOf(round.rubric);
  const index = new Map(proposals.map((p, i) => [p.id, i]));
  const seatIndex = new Map(seats.map((s, j) => [s.id, j]));
  for (const a of result.assignments) {
    const i = index.get(a.proposalId)!;
    const j = seatIndex.get(a.judgeId)!;
    // totals around 60–94, judges a few points apart; proposal 5 splits the panel
    const share = i === 4 ? [0.45, 0.6, 0.72, 0.85, 0.93][j]! : (62 + ((i * 13) % 33) + (j - 2) * 3) / 100;
    const scores = Object.fromEntries(rubric.map((c) => [c.key, Math.min(c.maxPoints, Math.round(c.maxPoints * share * 2) / 2)]));
    const assignment = await tx.reviewAssignment.create({ data: { roundId: jn6Id, proposalId: a.proposalId, roundJudgeId: a.judgeId, source: "AUTO", createdById: officialId, createdAt: at("2026-01-05") } });
    await tx.scoreSheet.create({
      data: {
        assignmentId: assignment.id,
        roundId: jn6Id,
        proposalId: a.proposalId,
        roundJudgeId: a.judgeId,
        status: "SUBMITTED",
        scores: scores as Prisma.InputJsonValue,
        overallComment: share >= 0.8 ? "需求明确，设计扎实，建议资助。" : share >= 0.65 ? "方案可行，预算需进一步细化。" : "与社区需求契合度不高，执行力存疑。",
        submittedAt: at("2026-01-12", 9 + j),
      },
    });
  }

  // the results, by the rules, published on 2026-01-20 and final after the notice
  const results = computeResults(round, await loadResultInputs(tx, jn6Id));
  if (!results.ranking.ok || !results.allocation?.ok) throw new Error("seed: JN6 results could not be computed");
  const published = at("2026-01-20", 9);
  // counted like every notice, with the statutory calendar; seeded in a year the chinese-days package
  // does not carry yet, the demo official has entered that year as far as the law fixes it
  let notice = await countNotice(tx, published, round.noticeDays);
  for (let tries = 0; !notice.ok && tries < 2; tries++) {
    await enterProvisionalYear(tx, notice.missingYear, officialId, at("2026-01-19", 9));
    notice = await countNotice(tx, published, round.noticeDays);
  }
  if (!notice.ok) throw new Error(`seed: the working-day calendar lacks ${notice.missingYear}`);
  const ends = notice.end;
  const lines = new Map(results.allocation.lines.map((l) => [l.id, l]));
  const awards = [];
  for (const row of results.ranking.ranking.rows) {
    const line = lines.get(row.proposalId)!;
    awards.push(
      await tx.award.create({
        data: {
          roundId: jn6Id,
          proposalId: row.proposalId,
          rank: row.rank,
          composite: row.composite,
          review: row.review,
          outcome: line.outcome,
          awardFen: line.awardFen,
          reasonCodes: line.reasonCodes,
          status: "FINAL",
          noticeStartsAt: published,
          noticeEndsAt: ends,
          noticeBasis: notice.basis,
          finalizedAt: ends,
        },
        include: { proposal: { select: { referenceNo: true } } },
      }),
    );
  }
  const objector = await tx.user.findUniqueOrThrow({ where: { email: "resident01@danghu.example" } });
  const top = awards[0]!;
  await tx.objection.create({
    data: {
      roundId: jn6Id,
      awardId: top.id,
      proposalId: top.proposalId,
      userId: objector.id,
      reason: "听说该项目去年已经在同一小区开展过，是否属于重复资助？请核实。",
      status: "DISMISSED",
      resolution: "经核查，去年同类服务由其他组织承接，本项目服务对象与内容不同，不属重复资助。",
      resolvedById: officialId,
      resolvedAt: at("2026-01-23", 15),
      createdAt: at("2026-01-21", 20),
    },
  });
  for (const award of awards.filter((a) => a.awardFen > 0)) await commitAwardMoney(tx, { id: jn6Id, code: round.code, foundationId: round.foundationId }, award, ends);
  await tx.round.update({ where: { id: jn6Id }, data: { awardsPublishedAt: published, awardsFinalizedAt: ends } });
  return { awards: awards.length, committedFen: awards.reduce((s, a) => s + a.awardFen, 0), finalizedAt: ends };
}

/**
 * A round in REVIEW (WL26): the five demo judges hold seats and every eligible proposal is
 * assigned to them by the real rule, and they are part-way through — so that a visitor signed in
 * as a demo judge finds sheets to score. judge1@ has submitted two sheets, saved a third half
 * filled, and has two still to open; the others are further on or behind. Scores are in the
 * rubric's half points.
 */
export async function seedOpenReview(tx: Tx, roundId: string, officialId: string, proposals: readonly { id: string; organizationId: string; eligible: boolean }[]) {
  const round = await tx.round.findUniqueOrThrow({ where: { id: roundId }, select: reviewRoundSelect });
  const judges = await tx.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.judges.map((j) => j.email) } }, orderBy: { email: "asc" } });
  const seats = [];
  for (const [i, judge] of judges.entries()) {
    seats.push(
      await tx.roundJudge.create({
        data: {
          roundId,
          email: judge.email!,
          name: judge.name,
          userId: judge.id,
          status: "ACCEPTED",
          tokenHash: `seed:${round.code}:${judge.email}`,
          expiresAt: at("2026-11-25"),
          invitedById: officialId,
          acceptedAt: at("2026-11-18", 9 + i),
        },
      }),
    );
  }
  const eligible = proposals.filter((p) => p.eligible);
  const result = assignJudges({
    proposals: eligible.map((p) => ({ id: p.id, organizationId: p.organizationId })),
    judges: seats.map((s) => ({ id: s.id, memberOfOrganizationIds: [], declaredConflicts: [] })),
    k: Math.min(round.judgesPerProposal, seats.length),
  });
  if (!result.ok) throw new Error(`seed: ${round.code} assignment impossible`);
  const rubric = rubricOf(round.rubric);
  const index = new Map(eligible.map((p, i) => [p.id, i]));
  const seatIndex = new Map(seats.map((s, j) => [s.id, j]));
  // per judge (judge1 … judge5): how many of their sheets are submitted, and whether the next is a saved draft
  const progress = [
    { submitted: 2, draft: true },
    { submitted: 5, draft: false },
    { submitted: 3, draft: false },
    { submitted: 0, draft: false },
    { submitted: 0, draft: true },
  ];
  for (const a of [...result.assignments].sort((x, y) => index.get(x.proposalId)! - index.get(y.proposalId)!)) {
    const i = index.get(a.proposalId)!;
    const j = seatIndex.get(a.judgeId)!;
    const assignment = await tx.reviewAssignment.create({ data: { roundId, proposalId: a.proposalId, roundJudgeId: a.judgeId, source: "AUTO", createdById: officialId, createdAt: at("2026-11-20", 11) } });
    const mine = result.assignments.filter((b) => b.judgeId === a.judgeId).map((b) => index.get(b.proposalId)!).sort((x, y) => x - y);
    const nth = mine.indexOf(i);
    const { submitted, draft } = progress[j] ?? { submitted: 0, draft: false };
    if (nth >= submitted + (draft ? 1 : 0)) continue; // not opened yet
    // totals around 65–90 in half points; a draft has only its first two criteria
    const share = (66 + ((i * 11 + j * 7) % 24)) / 100;
    const all = rubric.map((c, k) => [c.key, Math.min(c.maxPoints, Math.round(c.maxPoints * share * 2 + (k % 2)) / 2)] as const);
    const isDraft = nth >= submitted;
    const scores = Object.fromEntries(isDraft ? all.slice(0, 2) : all);
    await tx.scoreSheet.create({
      data: {
        assignmentId: assignment.id,
        roundId,
        proposalId: a.proposalId,
        roundJudgeId: a.judgeId,
        status: isDraft ? "DRAFT" : "SUBMITTED",
        scores: scores as Prisma.InputJsonValue,
        overallComment: isDraft ? "" : share >= 0.8 ? "服务对象明确，方案扎实，建议资助。" : "方案可行，送餐和探访的频次需进一步说明。",
        submittedAt: isDraft ? null : at("2026-11-2" + String(3 + nth), 9 + j),
        createdAt: at("2026-11-21", 9 + j),
      },
    });
  }
}

/** A year the package lacks, entered by the demo official with the holidays the law fixes, labelled provisional, audited like the officials' page. */
async function enterProvisionalYear(tx: Tx, year: number, officialId: string, at: Date) {
  const entry = provisionalYear(year, "demo");
  const row = await tx.calendarYearEntry.create({ data: { ...entry, enteredById: officialId, createdAt: at } });
  await audit(tx, {
    actorId: officialId,
    action: "calendar.year.set",
    objectType: "CalendarYearEntry",
    objectId: row.id,
    before: null,
    after: { year, origin: "officials", source: entry.source, holidays: entry.holidays, makeupWorkdays: entry.makeupWorkdays },
    at,
  });
}
