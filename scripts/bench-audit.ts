/**
 * `npm run bench -- audit` — the officials' audit log viewer at scale, on this machine: a log of
 * 100,000 records (written by the app's own auditMany, so the chain is real) over one subdistrict
 * with 20 communities — 45 % about the subdistrict's round, 45 % about its communities (Area
 * records), 10 % with no area (accounts). Prints the time of the chain's verification
 * (services/books/audit-log.server.ts verifyAuditChain, which the page runs in the request) and
 * records per second, and p50/p95 of the list's first and last keyset page
 * (listAuditLog) for an administrator, the subdistrict official, a community official (2 % of the
 * log is theirs), that community official filtering by a rare action (1 in 1,000 records), and
 * the worst case: an official of a community no record is about (the walk reads the whole log). A
 * scratch database on the server of DATABASE_URL, or embedded PostgreSQL; dropped at the end.
 * Figures only, no thresholds.
 */
import crypto from "node:crypto";
import { reportFigure } from "./bench-summary.ts";
import { dropDatabase, ensureDatabase, migrate, withDatabase } from "../app/lib/migrate.server.ts";
import { withTestServer } from "../tests/support/postgres.ts";

const RECORDS = 100_000;
const COMMUNITIES = 20;
const BATCH = 5_000;
const RUNS = 10;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeRuns(fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function run(serverUrl: string) {
  const name = `bench_audit_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { auditMany } = await import("../app/services/books/audit.server.ts");
  const { listAuditLog, verifyAuditChain } = await import("../app/services/books/audit-log.server.ts");
  const sql = (q: string) => db().$executeRawUnsafe(q);
  try {
    const started = performance.now();
    await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, path) VALUES ('a-root', 'bench', '基准区', 'Bench district', 'DISTRICT', '/bench/')`);
    await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, "parentId", path) VALUES ('a-sub', 'bench-sub', '基准街道', 'Bench subdistrict', 'SUBDISTRICT', 'a-root', '/bench/sub/')`);
    await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, "parentId", path)
               SELECT 'a-c' || k, 'bench-c' || k, '社区' || k, 'Community ' || k, 'COMMUNITY', 'a-sub', '/bench/sub/c' || k || '/' FROM generate_series(1, ${COMMUNITIES}) k`);
    await sql(`INSERT INTO "Foundation" (id, slug, "nameZh", "nameEn", "descriptionZh", "descriptionEn", "areaId") VALUES ('f-1', 'bench-f', '基准基金', 'Bench fund', '', '', 'a-sub')`);
    const day = `'2026-01-01T00:00:00+08'::timestamptz`;
    await sql(`INSERT INTO "Round" (id, code, "areaId", "foundationId", title, description, phase, "poolFen", categories, rubric, "trancheSchedule",
                                    "needsStartsAt", "proposalsStartsAt", "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt",
                                    "implementationStartsAt", "implementationEndsAt", "closesAt", "updatedAt")
               VALUES ('r-1', 'BA1', 'a-sub', 'f-1', '基准轮次', '', 'IMPLEMENTATION', 0, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb,
                       ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, now())`);
    for (let from = 0; from < RECORDS; from += BATCH) {
      const inputs = Array.from({ length: Math.min(BATCH, RECORDS - from) }, (_, j) => {
        const i = from + j;
        const kind = i % 20;
        const action = i % 1000 === 0 ? "rare.event" : kind < 9 ? "round.update" : kind < 18 ? "area.rankingWeights" : "user.signin";
        const [objectType, objectId] = kind < 9 ? ["Round", "r-1"] : kind < 18 ? ["Area", `a-c${(i % COMMUNITIES) + 1}`] : ["User", `u-${i}`];
        return { actorId: null, action, objectType, objectId, before: { phase: "NEEDS", i }, after: { phase: "PROPOSALS", i, note: "基准记录" } };
      });
      await db().$transaction((tx) => auditMany(tx, inputs), { timeout: 120_000 });
    }
    await sql(`VACUUM ANALYZE "AuditLog"`);
    console.log(`seeded ${RECORDS.toLocaleString("en")} audit records in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const admin = { id: "bench-admin", grants: [{ role: "ADMIN" as const, areaPath: "/bench/", areaLevel: "DISTRICT" }] };
    const official = { id: "bench-official", grants: [{ role: "OFFICIAL" as const, areaPath: "/bench/sub/", areaLevel: "SUBDISTRICT" }] };
    const idle = { id: "bench-idle", grants: [{ role: "OFFICIAL" as const, areaPath: "/bench/sub/quiet/", areaLevel: "COMMUNITY" }] };
    const community = { id: "bench-community", grants: [{ role: "OFFICIAL" as const, areaPath: "/bench/sub/c7/", areaLevel: "COMMUNITY" }] };

    const v0 = performance.now();
    const verified = await verifyAuditChain(admin);
    const seconds = (performance.now() - v0) / 1000;
    if (!verified.ok || !verified.check.intact) throw new Error("the bench chain does not verify");
    const perSecond = Math.round(verified.check.records / seconds);
    console.log(`  verify the chain, ${verified.check.records.toLocaleString("en")} records: ${seconds.toFixed(2)} s (${perSecond.toLocaleString("en")} records/s)`);
    reportFigure({ measure: `audit chain verification in the request, ${(RECORDS / 1000).toFixed(0)}k records`, figure: `${seconds.toFixed(2)} s`, goal: "figure only" });

    const line = (part: string, t: { p50: number; p95: number }) => console.log(`  ${part.padEnd(58)} p50 ${t.p50.toFixed(1).padStart(8)} ms   p95 ${t.p95.toFixed(1).padStart(8)} ms`);
    const cases = [
      ["administrator", admin, {}],
      ["subdistrict official", official, {}],
      ["community official (2 % of the log)", community, {}],
      ["community official, rare action (0.1 %)", community, { action: "rare." }],
      ["official of a community with no record (walks the whole log)", idle, {}],
    ] as const;
    for (const [label, actor, filters] of cases) {
      const first = await listAuditLog(actor, filters, null);
      const t = await timeRuns(() => listAuditLog(actor, filters, null));
      line(`${label}, first page`, t);
      if (actor === official || actor === idle) reportFigure({ measure: `audit log first page p95, ${label}, 100k records`, figure: `${t.p95.toFixed(0)} ms`, goal: "figure only" });
      if (first.pager.last) line(`${label}, last page`, await timeRuns(() => listAuditLog(actor, filters, first.pager.last)));
    }
  } finally {
    await disconnectDb();
    delete process.env.DATABASE_URL;
    await dropDatabase(serverUrl, name);
  }
}

export async function benchAudit() {
  console.log("\naudit log viewer");
  const external = process.env.DATABASE_URL;
  if (external) await run(withDatabase(external, "postgres"));
  else await withTestServer(run, { durable: true });
}

// `node --import tsx scripts/bench-audit.ts` runs it alone
if (import.meta.url === `file://${process.argv[1]}`) await benchAudit();
