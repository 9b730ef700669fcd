import { allocate, type AllocationOverride, type AllocationResult } from "~/domain/allocation";
import { rankRound, type RankingResult } from "~/domain/ranking";
import { categoriesOf, rubricOf } from "~/domain/rounds";
import { type Prisma } from "~/generated/prisma/client";
import type { Client } from "~/lib/db.server";
import { type ReviewRound } from "./access.server";

/**
 * The results of a round, recomputed from what is stored every time (never stored by hand):
 * the eligible proposals, the SUBMITTED score sheets of live assignments, roadshow scores,
 * public votes and the officials' live overrides go through the pure ranking
 * (`domain/ranking.ts`) and allocation (`domain/allocation.ts`).
 *
 * Used by the ranking and allocation pages, by publishing the awards (公示), by re-running them
 * after an upheld objection, by the exports and by the benchmark.
 */

export const resultProposalSelect = {
  id: true,
  referenceNo: true,
  title: true,
  submittedAt: true,
  requestedFen: true,
  communityId: true,
  category: true,
  organizationId: true,
  organization: { select: { name: true } },
  community: { select: { code: true, nameZh: true, nameEn: true } },
} satisfies Prisma.ProposalSelect;

export type ResultProposal = Prisma.ProposalGetPayload<{ select: typeof resultProposalSelect }>;

/**
 * A SUBMITTED score sheet of a live assignment, as the ranking and the exports read it: who scored
 * which proposal, and the scores exactly as stored (unvalidated: the ranking checks them against the
 * rubric and refuses a sheet with a missing, unknown or invalid criterion).
 */
export interface StoredSheet {
  proposalId: string;
  /** the round seat (RoundJudge id) */
  judgeId: string;
  scores: Record<string, number>;
}

export interface RoundResults {
  proposals: ResultProposal[];
  sheets: StoredSheet[];
  overrides: (AllocationOverride & { id: string; createdAt: Date; createdById: string })[];
  ranking: RankingResult;
  /** null when the ranking could not be computed */
  allocation: AllocationResult | null;
}

type ResultsRound = Pick<
  ReviewRound,
  | "id"
  | "rubric"
  | "categories"
  | "weightReview"
  | "weightRoadshow"
  | "weightPublicVote"
  | "zScore"
  | "disagreementRange"
  | "poolFen"
  | "minAwardFen"
  | "maxAwardFen"
  | "minScore"
  | "communityCapFen"
  | "categoryCapFen"
>;

/** `readSheets`' document: every counted sheet as [proposal, judge seat, scores]. */
type SheetTriple = [proposalId: string, judgeId: string, scores: Record<string, number>];

/**
 * The SUBMITTED sheets of live (not ended) assignments on ELIGIBLE proposals of the round, in one
 * query whose answer is one JSON document, sent as text: the client parses one string for a
 * 10,000-proposal round instead of taking 70,000 rows (or 10,000 JSON values) through the driver
 * and the ORM one by one. The document is concatenated text (`string_agg`), each sheet's scores
 * written as PostgreSQL prints the stored jsonb: building it with `json_agg` made PostgreSQL
 * convert every jsonb value to json first, twice the time for the same text. Only what the ranking
 * and the exports use is read (not comments). The filters are those of the ranking's definition of
 * a counted sheet; a sheet whose assignment ended (conflict declared, judge swapped or removed) or
 * that is a draft does not count. Sheets come in no particular order, as before: the ranking does
 * not depend on it.
 */
async function readSheets(client: Client, roundId: string): Promise<StoredSheet[]> {
  const [row] = await client.$queryRaw<{ sheets: string }[]>`
    SELECT '[' || coalesce(string_agg('[' || to_json(s."proposalId")::text || ',' || to_json(s."roundJudgeId")::text || ',' || s.scores::text || ']', ','), '') || ']' AS sheets
    FROM "ScoreSheet" s
    JOIN "ReviewAssignment" a ON a.id = s."assignmentId"
    JOIN "Proposal" p ON p.id = s."proposalId"
    WHERE s."roundId" = ${roundId}
      AND s.status = 'SUBMITTED'::"ScoreSheetStatus"
      AND a."endedAt" IS NULL
      AND p.status = 'ELIGIBLE'::"ProposalStatus"`;
  return (JSON.parse(row?.sheets ?? "[]") as SheetTriple[]).map(([proposalId, judgeId, scores]) => ({ proposalId, judgeId, scores }));
}

/**
 * The round's ELIGIBLE proposals by reference number, as `resultProposalSelect` reads them (the
 * same keys in the same order, `submittedAt` a Date), in one query answered as one JSON text: the
 * ORM took a 10,000-proposal round row by row, with its organization and community, in twice the
 * time. An integration test holds the two equal.
 */
async function readProposals(client: Client, roundId: string): Promise<ResultProposal[]> {
  const [row] = await client.$queryRaw<{ proposals: string }[]>`
    SELECT coalesce(json_agg(json_build_object(
             'id', p.id, 'referenceNo', p."referenceNo", 'title', p.title,
             'submittedAt', to_char(p."submittedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'requestedFen', p."requestedFen", 'communityId', p."communityId", 'category', p.category, 'organizationId', p."organizationId",
             'organization', json_build_object('name', o.name),
             'community', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('code', a.code, 'nameZh', a."nameZh", 'nameEn', a."nameEn") END
           ) ORDER BY p."referenceNo"), '[]')::text AS proposals
    FROM "Proposal" p
    JOIN "Organization" o ON o.id = p."organizationId"
    LEFT JOIN "Area" a ON a.id = p."communityId"
    WHERE p."roundId" = ${roundId} AND p.status = 'ELIGIBLE'::"ProposalStatus"`;
  const proposals = JSON.parse(row?.proposals ?? "[]") as (Omit<ResultProposal, "submittedAt"> & { submittedAt: string | null })[];
  return proposals.map((p) => ({ ...p, submittedAt: p.submittedAt === null ? null : new Date(p.submittedAt) }));
}

/** Everything stored that the results depend on, read in one consistent snapshot when `client` is a transaction. */
export async function loadResultInputs(client: Client, roundId: string) {
  const [proposals, sheets, roadshow, votes, overrideRows] = await Promise.all([
    readProposals(client, roundId),
    readSheets(client, roundId),
    client.roadshowScore.findMany({ where: { roundId }, select: { proposalId: true, scoreCenti: true } }),
    client.publicVote.groupBy({ by: ["proposalId"], where: { roundId }, _count: { _all: true } }),
    client.allocationOverride.findMany({
      where: { roundId, revokedAt: null },
      select: { id: true, proposalId: true, kind: true, amountFen: true, reason: true, createdAt: true, createdById: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const eligible = new Set(proposals.map((p) => p.id));
  const overrides = overrideRows
    .filter((o) => eligible.has(o.proposalId))
    .map((o) => ({
      id: o.id,
      proposalId: o.proposalId,
      kind: o.kind as AllocationOverride["kind"],
      ...(o.amountFen != null ? { amountFen: o.amountFen } : {}),
      reason: o.reason,
      createdAt: o.createdAt,
      createdById: o.createdById,
    }));
  return {
    proposals,
    sheets,
    roadshow: new Map(roadshow.map((r) => [r.proposalId, r.scoreCenti / 100])),
    votes: new Map(votes.map((v) => [v.proposalId, v._count._all])),
    overrides,
  };
}

/** Ranking and allocation of a round from its stored inputs. */
export async function roundResults(client: Client, round: ResultsRound): Promise<RoundResults> {
  const inputs = await loadResultInputs(client, round.id);
  return computeResults(round, inputs);
}

/** The pure part of `roundResults`: inputs already loaded. */
export function computeResults(round: ResultsRound, inputs: Awaited<ReturnType<typeof loadResultInputs>>): RoundResults {
  const { proposals, sheets, roadshow, votes, overrides } = inputs;
  const ranking = rankRound({
    rubric: rubricOf(round.rubric),
    weights: { review: round.weightReview, roadshow: round.weightRoadshow, publicVote: round.weightPublicVote },
    options: { zScore: round.zScore, disagreementRange: round.disagreementRange },
    proposals: proposals.map((p) => ({
      id: p.id,
      submittedAt: p.submittedAt ?? new Date(0),
      roadshowScore: roadshow.get(p.id) ?? null,
      publicVotes: votes.get(p.id) ?? 0,
    })),
    sheets,
  });
  if (!ranking.ok) return { proposals, sheets, overrides, ranking, allocation: null };

  const byId = new Map(proposals.map((p) => [p.id, p]));
  // the caps are BigInt columns; the settings form bounds them far below 2^53
  const categoryCap =
    round.categoryCapFen != null ? Object.fromEntries(categoriesOf(round.categories).map((c) => [c.key, Number(round.categoryCapFen)])) : null;
  const allocation = allocate({
    proposals: ranking.ranking.rows.map((row) => {
      const p = byId.get(row.proposalId)!;
      return {
        id: p.id,
        rank: row.rank,
        // a proposal nobody scored has no composite: it cannot reach the minimum score
        composite: row.composite ?? 0,
        requestedFen: p.requestedFen ?? 0,
        communityId: p.communityId ?? "",
        category: p.category ?? "",
      };
    }),
    round: {
      poolFen: Number(round.poolFen),
      minAwardFen: round.minAwardFen,
      maxAwardFen: round.maxAwardFen,
      minScore: round.minScore,
      communityCapFen: round.communityCapFen == null ? null : Number(round.communityCapFen),
      categoryCapFen: categoryCap,
    },
    overrides: overrides.map(({ proposalId, kind, amountFen, reason }) => ({ proposalId, kind, ...(amountFen != null ? { amountFen } : {}), reason })),
  });
  return { proposals, sheets, overrides, ranking, allocation };
}
