/**
 * `npm run bench -- dashboard` — the officials' dashboard at scale, on this machine:
 * a subdistrict with 2,000 projects, 50,000 expenses and (in the database as a whole) 1,000,000
 * ledger entries, beside a subdistrict with 100 projects (and expenses, reports, call-backs and
 * alerts at the same density) in the same database. Times the dashboard service
 * (app/services/areas/dashboard.server.ts `dashboard`: every aggregate of the page, the first page
 * of alerts and the quarterly ranking) for a subdistrict official: p50 and p95 of 40 runs each
 * after a warm-up, the runs of the two subdistricts interleaved (so both meet the same load on a
 * shared machine), and the ratio large / small, twice: with nothing moving between views, and with
 * a new posting just before each view (an expense approved, or a tranche released through the
 * ledger, in turn), checking that the view shows it. The first view of each, which computes and
 * stores the quarter's ranking, is printed apart. Embedded PostgreSQL, or a scratch database on the
 * server of DATABASE_URL, dropped at the end. Figures only, no thresholds.
 *
 * Data is bulk-inserted with generate_series. Ledger entries go in directly by SQL, in balanced
 * pairs: the append-only triggers do not object to inserts, and the deferred balance trigger
 * checks every transaction at commit (it stays on, so the figures include a realistic ledger).
 */
import { reportFigure } from "./bench-summary.ts";
import crypto from "node:crypto";
import { dropDatabase, ensureDatabase, migrate, withDatabase } from "../app/lib/migrate.server.ts";
import { withTestServer } from "../tests/support/postgres.ts";

const LARGE = { code: "big", projects: 2_000 };
const SMALL = { code: "small", projects: 100 };
const EXPENSES_PER_PROJECT = 25; // 50,000 for the large subdistrict
const LEDGER_ENTRIES = 1_000_000;
const COMMUNITIES = 10;
const RUNS = 40;

export type Sql = (query: string) => Promise<number>;

/** One subdistrict with `projects` funded projects and everything the dashboard reads. */
export async function seedSubdistrict(sql: Sql, s: { code: string; projects: number }, userId: string) {
  const c = s.code;
  const n = s.projects;
  await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, "parentId", path)
             SELECT 'a-${c}', 'bench-${c}', '基准街道 ${c}', 'Bench ${c}', 'SUBDISTRICT', 'a-root', '/bench/${c}/'`);
  await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, "parentId", path, "sortOrder")
             SELECT 'a-${c}-' || i, 'bench-${c}-' || i, '社区 ' || i, 'Community ' || i, 'COMMUNITY', 'a-${c}', '/bench/${c}/c' || i || '/', i
             FROM generate_series(1, ${COMMUNITIES}) i`);
  await sql(`INSERT INTO "Foundation" (id, slug, "nameZh", "nameEn", "descriptionZh", "descriptionEn", "areaId")
             VALUES ('f-${c}', 'bench-${c}', '基金', 'Fund', '', '', 'a-${c}')`);
  const day = `'2026-01-01T00:00:00+08'::timestamptz`;
  await sql(`INSERT INTO "Round" (id, code, "areaId", "foundationId", title, description, phase, "poolFen", categories, rubric, "trancheSchedule",
                                  "needsStartsAt", "proposalsStartsAt", "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt",
                                  "implementationStartsAt", "implementationEndsAt", "closesAt", "updatedAt")
             VALUES ('r-${c}', 'B${c.toUpperCase()}', 'a-${c}', 'f-${c}', 'bench', '', 'IMPLEMENTATION', ${n} * 1000000::bigint,
                     '[{"key":"SELF_GOVERNANCE","nameZh":"居民自治类","nameEn":"Self-governance"},{"key":"PUBLIC_SERVICE","nameZh":"公益服务类","nameEn":"Public services"},{"key":"CULTURE_SPORTS","nameZh":"文体康乐类","nameEn":"Culture and sports"}]'::jsonb,
                     '[]'::jsonb, '[]'::jsonb, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, now())`);
  // one organization per 5 projects
  await sql(`INSERT INTO "Organization" (id, kind, name, "areaId")
             SELECT 'o-${c}-' || i, 'RESIDENT_TEAM', '机构 ${c} ' || i, 'a-${c}-' || (1 + i % ${COMMUNITIES})
             FROM generate_series(1, ${Math.ceil(n / 5)}) i`);
  await sql(`INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, "communityId", category, "requestedFen", "submittedAt", "updatedAt")
             SELECT 'pr-${c}-' || i, 'r-${c}', 'o-${c}-' || (1 + i % ${Math.ceil(n / 5)}), '${userId}', 'ELIGIBLE', 'B${c.toUpperCase()}-' || lpad(i::text, 5, '0'),
                    'bench ' || i, 'a-${c}-' || (1 + i % ${COMMUNITIES}), (ARRAY['SELF_GOVERNANCE','PUBLIC_SERVICE','CULTURE_SPORTS'])[1 + i % 3], 1000000, now(), now()
             FROM generate_series(1, ${n}) i`);
  await sql(`INSERT INTO "Award" (id, "roundId", "proposalId", rank, outcome, "awardFen", status, "noticeStartsAt", "noticeEndsAt", "updatedAt")
             SELECT 'aw-${c}-' || i, 'r-${c}', 'pr-${c}-' || i, i, 'FUNDED', 1000000, 'FINAL', ${day}, ${day}, now()
             FROM generate_series(1, ${n}) i`);
  // statuses: 80 % active, 10 % closed, 5 % evaluation failed, 5 % waiting for signatures
  await sql(`INSERT INTO "Project" (id, "awardId", "proposalId", "roundId", "organizationId", "communityId", "areaPath", "referenceNo", title, category,
                                    "awardFen", status, terms, "termsSha256", "countersignedAt", "updatedAt")
             SELECT 'pj-${c}-' || i, 'aw-${c}-' || i, 'pr-${c}-' || i, 'r-${c}', 'o-${c}-' || (1 + i % ${Math.ceil(n / 5)}), 'a-${c}-' || (1 + i % ${COMMUNITIES}),
                    '/bench/${c}/c' || (1 + i % ${COMMUNITIES}) || '/', 'B${c.toUpperCase()}-' || lpad(i::text, 5, '0'), 'bench ' || i,
                    (ARRAY['SELF_GOVERNANCE','PUBLIC_SERVICE','CULTURE_SPORTS'])[1 + i % 3], 1000000,
                    (CASE WHEN i % 20 < 16 THEN 'ACTIVE' WHEN i % 20 < 18 THEN 'CLOSED' WHEN i % 20 = 18 THEN 'EVALUATION_FAILED' ELSE 'AWAITING_COUNTERSIGN' END)::"ProjectStatus",
                    '{}'::jsonb, '', '2026-06-01T00:00:00+08'::timestamptz, now()
             FROM generate_series(1, ${n}) i`);
  await sql(`INSERT INTO "ProjectMilestone" (id, "projectId", position, title, "dueOn", status)
             SELECT p.id || '-m' || k, p.id, k, 'milestone ' || k, ('2026-06-15T00:00:00+08'::timestamptz + make_interval(days => 75 * k + (hashtext(p.id) & 15))),
                    (CASE WHEN k = 1 THEN 'APPROVED' ELSE 'PENDING' END)::"MilestoneStatus"
             FROM "Project" p, generate_series(1, 3) k WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "Tranche" (id, "projectId", position, percent, "amountFen", trigger, status, "releasedAt")
             SELECT p.id || '-t' || k, p.id, k, (ARRAY[40, 40, 20])[k], (ARRAY[400000, 400000, 200000])[k], (ARRAY['AGREEMENT','MIDTERM','FINAL'])[k]::"TrancheTrigger",
                    (CASE WHEN k = 1 OR (k = 2 AND hashtext(p.id) % 2 = 0) THEN 'RELEASED' ELSE 'LOCKED' END)::"TrancheStatus", now()
             FROM "Project" p, generate_series(1, 3) k WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "ProjectBudgetLine" (id, "projectId", position, category, item, "agreedFen", "budgetFen")
             SELECT p.id || '-b' || k, p.id, k, 'MATERIALS', 'line ' || k, (ARRAY[500000, 300000, 200000])[k], (ARRAY[500000, 300000, 200000])[k]
             FROM "Project" p, generate_series(1, 3) k WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  // expenses: mostly approved, in a line; some returned, pending, off-budget, duplicates
  await sql(`INSERT INTO "Expense" (id, "projectId", "spentOn", payee, "amountFen", "budgetLineId", status, "submittedById", "decidedAt", "duplicateReceipt", "updatedAt")
             SELECT p.id || '-e' || k, p.id, '2026-07-01T00:00:00+08'::timestamptz + make_interval(days => k * 4), 'payee', 1000 + (k * 37) % 5000,
                    CASE WHEN k % 50 = 0 THEN NULL ELSE p.id || '-b' || (1 + k % 3) END,
                    (CASE WHEN k % 10 < 7 THEN 'APPROVED' WHEN k % 10 < 9 THEN 'SUBMITTED' ELSE 'RETURNED' END)::"ExpenseStatus", '${userId}',
                    CASE WHEN k % 10 < 7 OR k % 10 = 9 THEN '2026-07-02T00:00:00+08'::timestamptz + make_interval(days => k * 4) END, k % 97 = 0, now()
             FROM "Project" p, generate_series(1, ${EXPENSES_PER_PROJECT}) k WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "MilestoneReport" (id, "projectId", "milestoneId", status, "authorId", "submittedAt", "updatedAt")
             SELECT m.id || '-r', m."projectId", m.id, (CASE WHEN m.position = 1 THEN 'APPROVED' ELSE 'SUBMITTED' END)::"ReportStatus", '${userId}',
                    m."dueOn" + make_interval(days => (hashtext(m.id) & 7) - 3), now()
             FROM "ProjectMilestone" m JOIN "Project" p ON p.id = m."projectId" WHERE p."areaPath" LIKE '/bench/${c}/%' AND m.position <= 2`);
  await sql(`INSERT INTO "Beneficiary" (id, "projectId", "nameEnc", "phoneEnc", "phoneHmac", "consentAt", "registeredById")
             SELECT p.id || '-p' || k, p.id, 'x', 'x', md5(p.id || k), now(), '${userId}'
             FROM "Project" p, generate_series(1, 5) k WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "CallSample" (id, "projectId", month, seed, size, "drawnById")
             SELECT p.id || '-s', p.id, '2026-08', p.id, 5, '${userId}' FROM "Project" p WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "CallRecord" (id, "sampleId", "beneficiaryId", outcome, "calledById", "calledAt")
             SELECT b.id || '-c', b."projectId" || '-s', b.id, (ARRAY['SATISFIED','SATISFIED','PARTLY','NOT_SATISFIED','UNREACHED'])[1 + (hashtext(b.id) & 3)]::"CallOutcome",
                    '${userId}', '2026-08-20T00:00:00+08'::timestamptz
             FROM "Beneficiary" b JOIN "Project" p ON p.id = b."projectId" WHERE p."areaPath" LIKE '/bench/${c}/%'`);
  await sql(`INSERT INTO "Evaluation" (id, "projectId", "evaluatorId", status, total, "submittedAt")
             SELECT p.id || '-v', p.id, '${userId}', (CASE WHEN p.status = 'CLOSED' THEN 'PASSED' ELSE 'FAILED' END)::"EvaluationStatus", 50 + (hashtext(p.id) & 49), '2026-09-15T00:00:00+08'::timestamptz
             FROM "Project" p WHERE p."areaPath" LIKE '/bench/${c}/%' AND p.status IN ('CLOSED', 'EVALUATION_FAILED')`);
  // open alerts on one project in five, and resolved history beside them
  await sql(`INSERT INTO "ProjectAlert" (id, "projectId", kind, key, "subjectId", params, "openedAt", "resolvedAt")
             SELECT p.id || '-al' || k, p.id, (ARRAY['OVERDUE','OVER_BUDGET','NO_REPORT'])[k]::"AlertKind", (ARRAY['OVERDUE','OVER_BUDGET','NO_REPORT'])[k] || ':' || p.id,
                    NULL, '{"position":2,"title":"milestone 2","dueOn":"2026-09-01"}'::jsonb, now() - make_interval(days => k),
                    CASE WHEN (hashtext(p.id) & 4) = 0 THEN NULL ELSE now() END
             FROM "Project" p, generate_series(1, 3) k WHERE p."areaPath" LIKE '/bench/${c}/%' AND hashtext(p.id) % 5 = 0`);
}

/** 1,000,000 ledger entries: balanced pairs between the award and grantee accounts of the projects. */
export async function seedLedger(sql: Sql) {
  await sql(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "ownerId")
             SELECT 'la-' || a.id, 'award:' || a.id || ':committed', 'AWARD_COMMITTED', '承诺', 'Committed', a.id FROM "Award" a`);
  await sql(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "ownerId")
             SELECT 'lg-' || a.id, 'award:' || a.id || ':paid', 'GRANTEE_PAID', '已拨付', 'Paid', a.id FROM "Award" a`);
  const pairs = LEDGER_ENTRIES / 2;
  const batch = 50_000;
  for (let from = 1; from <= pairs; from += batch) {
    const to = Math.min(pairs, from + batch - 1);
    // one statement = one database transaction: the deferred balance check runs at its commit
    await sql(`WITH accounts AS (SELECT array_agg(id ORDER BY id) AS ids FROM "Award"),
                    t AS (
                      INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo)
                      SELECT 'lt-' || i, 'bench:' || i, 'BENCH', 'bench' FROM generate_series(${from}, ${to}) i
                      RETURNING id
                    )
               INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen")
               SELECT t.id || side, t.id,
                      (CASE WHEN side = ':d' THEN 'lg-' ELSE 'la-' END) || accounts.ids[1 + (hashtext(t.id) & 2147483647) % array_length(accounts.ids, 1)],
                      CASE WHEN side = ':d' THEN 100 ELSE -100 END
               FROM t, accounts, unnest(ARRAY[':d', ':c']) side`);
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * p50 and p95 of RUNS timed calls of each of `fns` after a warm-up, the calls of the different
 * functions interleaved (in turn, the order swapped every round) so that each meets the same load
 * on a shared machine. `before` runs untimed ahead of each call and returns a check of its result.
 */
async function timeInterleaved<T>(fns: Record<string, () => Promise<T>>, before?: (key: string, i: number) => Promise<(result: T) => void>) {
  const once = async (key: string, i: number) => {
    const check = before ? await before(key, i) : null;
    const start = performance.now();
    const result = await fns[key]!();
    const ms = performance.now() - start;
    check?.(result);
    return ms;
  };
  const keys = Object.keys(fns);
  for (const key of keys) await once(key, -1); // warm-up
  const times: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const key of i % 2 ? [...keys].reverse() : keys) times[key]!.push(await once(key, i));
  }
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = times[k]!.sort((x, y) => x - y);
      return [k, { p50: percentile(sorted, 50), p95: percentile(sorted, 95) }];
    }),
  ) as Record<string, Timing>;
}

type Timing = { p50: number; p95: number };
const ms = (t: Timing) => `p50 ${t.p50.toFixed(1).padStart(7)} ms   p95 ${t.p95.toFixed(1).padStart(7)} ms`;

async function run(serverUrl: string) {
  const name = `bench_dashboard_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { dashboard } = await import("../app/services/areas/dashboard.server.ts");
  const { postTrancheRelease } = await import("../app/services/projects/projects.server.ts");
  const sql: Sql = (q) => db().$executeRawUnsafe(q);

  /**
   * A new posting in the subdistrict, as its services make them: even runs approve a submitted
   * expense, odd runs release a locked tranche through the ledger (award-committed → grantee-paid)
   * in one transaction with the tranche's new status. Returns what the next view must add.
   */
  const postIn = async (code: string, i: number, userId: string): Promise<{ spentFen: number; releasedFen: number }> => {
    const prefix = `/bench/${code}/%`;
    if (i % 2 === 0) {
      const [e] = await db().$queryRawUnsafe<{ amountFen: number }[]>(
        `UPDATE "Expense" SET status = 'APPROVED', "decidedAt" = now(), "decidedById" = $2, version = version + 1, "updatedAt" = now()
          WHERE id = (SELECT e.id FROM "Expense" e JOIN "Project" p ON p.id = e."projectId"
                       WHERE p."areaPath" LIKE $1 AND e.status = 'SUBMITTED' ORDER BY e.id LIMIT 1)
          RETURNING "amountFen"`,
        prefix,
        userId,
      );
      return { spentFen: e!.amountFen, releasedFen: 0 };
    }
    const [t] = await db().$queryRawUnsafe<{ id: string; position: number; amountFen: number; referenceNo: string; awardId: string; foundationId: string }[]>(
      `SELECT t.id, t.position, t."amountFen", p."referenceNo", p."awardId", r."foundationId"
         FROM "Tranche" t JOIN "Project" p ON p.id = t."projectId" JOIN "Round" r ON r.id = p."roundId"
        WHERE p."areaPath" LIKE $1 AND t.status = 'LOCKED' ORDER BY t.id LIMIT 1`,
      prefix,
    );
    await db().$transaction(async (tx) => {
      const posted = await postTrancheRelease(tx, t!, t!, "bench", userId);
      await tx.tranche.update({ where: { id: t!.id }, data: { status: "RELEASED", releasedAt: new Date(), approvedById: userId, ledgerTransactionId: posted.transactionId } });
    });
    return { spentFen: 0, releasedFen: t!.amountFen };
  };

  try {
    const started = performance.now();
    await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, path) VALUES ('a-root', 'bench', '基准区', 'Bench district', 'DISTRICT', '/bench/')`);
    const user = await db().user.create({ data: { email: "bench-dashboard@example.org", name: "bench", passwordHash: "x" } });
    for (const s of [LARGE, SMALL]) await seedSubdistrict(sql, s, user.id);
    await seedLedger(sql);
    // as autovacuum leaves a steady-state database: statistics and the visibility map (index-only scans)
    await sql(`VACUUM ANALYZE`);
    const counts = await db().$queryRawUnsafe<{ projects: number; expenses: number; entries: number }[]>(
      `SELECT (SELECT count(*) FROM "Project")::int AS projects, (SELECT count(*) FROM "Expense")::int AS expenses, (SELECT count(*) FROM "LedgerEntry")::int AS entries`,
    );
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts[0])}`);

    const now = new Date("2026-11-30T10:00:00+08:00");
    const official = (code: string) => ({ id: user.id, grants: [{ role: "OFFICIAL" as const, areaPath: `/bench/${code}/`, areaLevel: "SUBDISTRICT" }] });
    const show: Record<string, () => ReturnType<typeof dashboard>> = Object.fromEntries(
      [LARGE, SMALL].map((s) => [s.code, () => dashboard(official(s.code), { quarter: "2026-Q3" }, now)]),
    );
    // the first view of each: what it computes once (the quarter's ranking, when none is stored)
    const shown: Record<string, { spentFen: number; releasedFen: number }> = {};
    const first: Record<string, number> = {};
    for (const s of [LARGE, SMALL]) {
      const start = performance.now();
      const view = await show[s.code]!();
      first[s.code] = performance.now() - start;
      if (view.total.projects !== s.projects || view.communities.length !== COMMUNITIES) throw new Error(`the dashboard of ${s.code} shows ${view.total.projects} projects`);
      shown[s.code] = { spentFen: view.total.spentFen, releasedFen: view.total.releasedFen };
    }
    const steady = await timeInterleaved(show);
    // each view must show the posting made just before it: the figures are never stale
    const posted = await timeInterleaved(show, async (code, i) => {
      const moved = await postIn(code, i, user.id);
      const expected = { spentFen: shown[code]!.spentFen + moved.spentFen, releasedFen: shown[code]!.releasedFen + moved.releasedFen };
      return (v) => {
        shown[code] = { spentFen: v.total.spentFen, releasedFen: v.total.releasedFen };
        if (shown[code].spentFen !== expected.spentFen || shown[code].releasedFen !== expected.releasedFen) {
          throw new Error(`the dashboard of ${code} shows ${JSON.stringify(shown[code])} after a posting, not ${JSON.stringify(expected)}`);
        }
      };
    });
    for (const s of [LARGE, SMALL]) {
      const expenses = await db().expense.count({ where: { project: { areaPath: { startsWith: `/bench/${s.code}/` } } } });
      console.log(`dashboard ${String(s.projects).padStart(5)} projects, ${String(expenses).padStart(6)} expenses: first view ${first[s.code]!.toFixed(1)} ms`);
      console.log(`  nothing moved between views:    ${ms(steady[s.code]!)}`);
      console.log(`  a new posting before each view: ${ms(posted[s.code]!)}`);
    }
    const ratio = steady[LARGE.code]!.p95 / steady[SMALL.code]!.p95;
    const ratioPosted = posted[LARGE.code]!.p95 / posted[SMALL.code]!.p95;
    console.log(`  ratio p95 ${LARGE.projects} / ${SMALL.projects} projects: ${ratio.toFixed(2)}× for ${LARGE.projects / SMALL.projects}× the projects (1,000,000 ledger entries in the database)`);
    console.log(`  ratio p95 ${LARGE.projects} / ${SMALL.projects} projects, a new posting before each view: ${ratioPosted.toFixed(2)}×`);
    reportFigure({ measure: `officials' dashboard p95, ${LARGE.projects.toLocaleString("en")} vs ${SMALL.projects} projects`, figure: `${ratio.toFixed(2)}×`, goal: "≤ 1.5×" });
    reportFigure({ measure: `officials' dashboard p95 after a new posting, ${LARGE.projects.toLocaleString("en")} vs ${SMALL.projects} projects`, figure: `${ratioPosted.toFixed(2)}×`, goal: "≤ 1.5×" });
  } finally {
    await disconnectDb();
    delete process.env.DATABASE_URL;
    await dropDatabase(serverUrl, name);
  }
}


export async function benchDashboard() {
  console.log("\nofficials' dashboard");
  const external = process.env.DATABASE_URL;
  if (external) await run(withDatabase(external, "postgres"));
  else await withTestServer(run, { durable: true });
}

// `node --import tsx scripts/bench-dashboard.ts` runs it alone
if (import.meta.url === `file://${process.argv[1]}`) await benchDashboard();
