/**
 * `npm run bench -- ranking` — ranking + allocation and judge assignment at scale, on this machine:
 *  - pure: rankRound + allocate for 1,000 and 10,000 proposals × 7 judges × 10 criteria (and the
 *    ratio, to show the growth is linear);
 *  - the same through the service (app/services/review/results.server.ts roundResults) on PostgreSQL:
 *    embedded, or the server of DATABASE_URL in a scratch database; and, to show where its time
 *    goes, the read alone (loadResultInputs: proposals, sheets, roadshow, votes, overrides);
 *  - assignJudges for 2,000 proposals × 60 judges (k = 5, with conflicts).
 * Median of 5 runs after a warm-up. Figures only, no thresholds.
 */
import { reportFigure } from "./bench-summary.ts";
import crypto from "node:crypto";
import { allocate } from "../app/domain/allocation.ts";
import { assignJudges, type JudgeForAssignment } from "../app/domain/assignment.ts";
import { rankRound, type ScoreSheet } from "../app/domain/ranking.ts";
import { dropDatabase, ensureDatabase, migrate, withDatabase } from "../app/lib/migrate.server.ts";
import { withTestServer } from "../tests/support/postgres.ts";

const JUDGES = 7;
const CRITERIA = 10;
const rubric = Array.from({ length: CRITERIA }, (_, i) => ({ key: `c${i}`, maxPoints: 10 }));

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function input(n: number) {
  const random = rng(n);
  const proposals = Array.from({ length: n }, (_, i) => ({ id: `p${String(i).padStart(6, "0")}`, submittedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000) }));
  const sheets: ScoreSheet[] = [];
  for (const p of proposals) {
    for (let j = 0; j < JUDGES; j++) {
      sheets.push({ proposalId: p.id, judgeId: `j${j}`, scores: Object.fromEntries(rubric.map((c) => [c.key, Math.floor(random() * 21) / 2])) });
    }
  }
  return { proposals, sheets };
}

function rankAndAllocate(n: number, data: ReturnType<typeof input>) {
  const ranking = rankRound({ rubric, weights: { review: 100, roadshow: 0, publicVote: 0 }, proposals: data.proposals, sheets: data.sheets });
  if (!ranking.ok) throw new Error("ranking refused the input");
  const result = allocate({
    proposals: ranking.ranking.rows.map((r, i) => ({ id: r.proposalId, rank: r.rank, composite: r.composite ?? 0, requestedFen: 500_000 + (i % 11) * 100_000, communityId: `c${i % 9}`, category: `k${i % 3}` })),
    round: { poolFen: n * 500_000, minAwardFen: 500_000, maxAwardFen: 1_500_000, minScore: 40 },
  });
  if (!result.ok) throw new Error("allocation refused the input");
  return result;
}

async function median(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function pure() {
  const results: Record<number, number> = {};
  for (const n of [1_000, 10_000]) {
    const data = input(n);
    results[n] = await median(5, () => rankAndAllocate(n, data));
    console.log(`pure rank + allocate   ${String(n).padStart(6)} proposals × ${JUDGES} judges × ${CRITERIA} criteria: ${results[n]!.toFixed(1).padStart(8)} ms`);
  }
  console.log(`  growth 1k → 10k: ${(results[10_000]! / results[1_000]!).toFixed(1)}× for 10× the input`);
}

function assignment() {
  const random = rng(42);
  const proposals = Array.from({ length: 2_000 }, (_, i) => ({ id: `p${i}`, organizationId: `o${i % 400}` }));
  const judges: JudgeForAssignment[] = Array.from({ length: 60 }, (_, j) => ({
    id: `j${String(j).padStart(2, "0")}`,
    memberOfOrganizationIds: random() < 0.3 ? [`o${Math.floor(random() * 400)}`] : [],
    declaredConflicts: Array.from({ length: Math.floor(random() * 4) }, () => ({ organizationId: `o${Math.floor(random() * 400)}`, kind: "RELATED" })),
  }));
  return median(5, () => {
    const result = assignJudges({ proposals, judges, k: 5 });
    if (!result.ok) throw new Error("assignment refused the input");
  });
}

async function service(serverUrl: string) {
  const name = `bench_ranking_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { loadResultInputs, roundResults } = await import("../app/services/review/results.server.ts");
  const { reviewRoundSelect } = await import("../app/services/review/access.server.ts");
  try {
    const area = await db().area.create({ data: { code: "bench", nameZh: "基准", nameEn: "Bench", level: "SUBDISTRICT", path: "/bench/" } });
    const foundation = await db().foundation.create({ data: { slug: "bench", nameZh: "基准", nameEn: "Bench", descriptionZh: "", descriptionEn: "", areaId: area.id } });
    const user = await db().user.create({ data: { email: "bench@example.org", name: "bench", passwordHash: "x" } });
    const day = new Date("2026-01-01T00:00:00+08:00");
    for (const n of [1_000, 10_000]) {
      const round = await db().round.create({
        data: {
          code: `B${n}`,
          areaId: area.id,
          foundationId: foundation.id,
          title: `bench ${n}`,
          description: "",
          phase: "REVIEW",
          poolFen: BigInt(n * 500_000),
          minScore: 40,
          categories: [{ key: "k0", nameZh: "类", nameEn: "K" }],
          rubric: rubric.map((c) => ({ ...c, nameZh: c.key, nameEn: c.key })),
          trancheSchedule: [{ percent: 100, trigger: "AGREEMENT" }],
          judgesPerProposal: JUDGES,
          ...Object.fromEntries(["needsStartsAt", "proposalsStartsAt", "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt", "implementationStartsAt", "implementationEndsAt", "closesAt"].map((f) => [f, day])),
        } as never,
      });
      const org = await db().organization.create({ data: { kind: "RESIDENT_TEAM", name: `bench ${n}`, areaId: area.id } });
      await db().$executeRaw`
        INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, "communityId", category, "requestedFen", snapshot, "snapshotSha256", "submittedAt", "updatedAt")
        SELECT 'p' || ${n}::text || '-' || i, ${round.id}, ${org.id}, ${user.id}, 'ELIGIBLE', ${`B${n}`} || '-' || lpad(i::text, 5, '0'), 'bench ' || i, ${area.id}, 'k0',
               500000 + (i % 11) * 100000, '{}'::jsonb, '', now() - make_interval(mins => i), now()
        FROM generate_series(1, ${n}::int) i`;
      await db().$executeRaw`
        INSERT INTO "RoundJudge" (id, "roundId", email, name, status, "tokenHash", "expiresAt", "invitedById")
        SELECT ${round.id} || '-j' || j, ${round.id}, 'j' || j || '@bench', 'judge ' || j, 'ACCEPTED', md5(${round.id} || j), now(), ${user.id}
        FROM generate_series(1, ${JUDGES}::int) j`;
      await db().$executeRaw`
        INSERT INTO "ReviewAssignment" (id, "roundId", "proposalId", "roundJudgeId", source)
        SELECT p.id || '-' || j, ${round.id}, p.id, ${round.id} || '-j' || j, 'AUTO' FROM "Proposal" p, generate_series(1, ${JUDGES}::int) j WHERE p."roundId" = ${round.id}`;
      await db().$executeRaw`
        INSERT INTO "ScoreSheet" (id, "assignmentId", "roundId", "proposalId", "roundJudgeId", status, scores, "submittedAt", "updatedAt")
        SELECT a.id, a.id, a."roundId", a."proposalId", a."roundJudgeId", 'SUBMITTED',
               (SELECT jsonb_object_agg('c' || c, (floor(random() * 21) / 2)::numeric) FROM generate_series(0, ${CRITERIA - 1}::int) c), now(), now()
        FROM "ReviewAssignment" a WHERE a."roundId" = ${round.id}`;
      await db().$executeRaw`ANALYZE`;
      const stored = await db().round.findUniqueOrThrow({ where: { id: round.id }, select: reviewRoundSelect });
      const ms = await median(5, async () => {
        const r = await roundResults(db(), stored);
        if (!r.allocation?.ok) throw new Error("results refused the input");
      });
      console.log(`service roundResults   ${String(n).padStart(6)} proposals × ${JUDGES} judges × ${CRITERIA} criteria: ${ms.toFixed(1).padStart(8)} ms (PostgreSQL, read + rank + allocate)`);
      if (n === 10_000) reportFigure({ measure: "round results via PostgreSQL, 10k proposals × 7 × 10", figure: `${(ms / 1000).toFixed(2)} s`, goal: "< 1 s" });
      const read = await median(5, () => loadResultInputs(db(), round.id));
      console.log(`  of which the read      (loadResultInputs, ${(n * JUDGES).toLocaleString("en")} sheets): ${read.toFixed(1).padStart(8)} ms`);
    }
  } finally {
    await disconnectDb();
    delete process.env.DATABASE_URL;
    await dropDatabase(serverUrl, name);
  }
}

export async function benchRanking() {
  console.log("\nranking, allocation and assignment");
  await pure();
  console.log(`assignJudges 2,000 proposals × 60 judges (k = 5): ${(await assignment()).toFixed(1)} ms`);
  const external = process.env.DATABASE_URL;
  if (external) await service(withDatabase(external, "postgres"));
  else await withTestServer(service, { durable: true });
}
