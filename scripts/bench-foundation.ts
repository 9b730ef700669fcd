/**
 * `npm run bench -- foundation` — the public foundation page at scale, on this machine: a
 * foundation whose accounts hold 1,000,000 ledger entries beside one with 1,000, in the same
 * database, in the same run. Times the page's loader work for an anonymous visitor
 * (app/services/giving/foundation-pages.server.ts `foundationPage`: accounts and entry counts,
 * the ledger summary — balance, flows by kind, rounds, years —, the first page of the movement
 * list, the first page of the donor wall, the campaigns): p50 and p95 of 100 runs after a warm-up,
 * alternating between the two foundations so that both meet the same moments of the machine,
 * when the ledger has not moved since the last view and on the first view after a new gift (the
 * summary reads the accounts' running totals and the donor wall its foundation's running total of
 * gifts either way), then each part on its own (20 runs) — the movement list and the donor wall on their
 * first and last keyset pages —, and the campaign page, with the indexes the migrations make (the
 * lists' keyset indexes among them). Embedded PostgreSQL, or a scratch database on the server of DATABASE_URL. Figures only,
 * no thresholds.
 *
 * Data is bulk-inserted with generate_series, as in bench-dashboard.ts: balanced pairs of ledger
 * entries inserted by SQL (the deferred balance trigger checks every transaction at commit, and
 * the running-totals trigger folds each statement's entries into the totals), one
 * Donation row per gift transaction (so the donor wall has as many gifts as the ledger), spread
 * over the foundation's accounts — available, earmarked, a matching pool, a round pool and ten
 * awards' committed and paid accounts — in this mix per 100 transactions: 50 gifts, 3 refunds,
 * 25 matches, 2 match returns, 5 appropriations, 5 pool fundings, 4 round pools, 3 award
 * commitments, 3 tranches (137 entries on the foundation's accounts).
 */
import { reportFigure } from "./bench-summary.ts";
import crypto from "node:crypto";
import { ensureDatabase, migrate, withDatabase } from "../app/lib/migrate.server.ts";
import { withTestServer } from "../tests/support/postgres.ts";

export const FOUNDATIONS = [
  { code: "small", entries: 1_000 },
  { code: "large", entries: 1_000_000 },
];
/** entries on the foundation's accounts per 100 transactions of the mix above */
const ENTRIES_PER_100 = 137;
const AWARDS = 10;
const RUNS = 20;
/** the whole page's runs per foundation: a p95 of pages this fast needs more than 20 to be steady */
const WHOLE_RUNS = 100;
const BATCH = 50_000;

export type Sql = (query: string) => Promise<number>;

export async function seedFoundation(sql: Sql, c: string, entries: number, userId: string) {
  const day = `'2026-01-01T00:00:00+08'::timestamptz`;
  await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, "parentId", path)
             VALUES ('a-${c}', 'bench-${c}', '基准街道 ${c}', 'Bench ${c}', 'SUBDISTRICT', 'a-root', '/bench/${c}/'),
                    ('a-${c}-1', 'bench-${c}-1', '社区', 'Community', 'COMMUNITY', 'a-${c}', '/bench/${c}/c1/')`);
  await sql(`INSERT INTO "Foundation" (id, slug, "nameZh", "nameEn", "descriptionZh", "descriptionEn", "areaId", "fundraisingFilingNo", "fundraisingEntity")
             VALUES ('f-${c}', 'bench-${c}', '基准基金 ${c}', 'Bench fund ${c}', '基准测试', 'Benchmark', 'a-${c}', '53330000BENCH', '基准慈善总会')`);
  await sql(`INSERT INTO "Round" (id, code, "areaId", "foundationId", title, description, phase, "poolFen", categories, rubric, "trancheSchedule",
                                  "needsStartsAt", "proposalsStartsAt", "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt",
                                  "implementationStartsAt", "implementationEndsAt", "closesAt", "updatedAt")
             VALUES ('r-${c}', 'F${c.toUpperCase()}', 'a-${c}', 'f-${c}', '基准轮次 ${c}', '', 'IMPLEMENTATION', 0, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb,
                     ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, ${day}, now())`);
  await sql(`INSERT INTO "Organization" (id, kind, name, "areaId") VALUES ('o-${c}', 'RESIDENT_TEAM', '机构 ${c}', 'a-${c}-1')`);
  await sql(`INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, "communityId", category, "requestedFen", "submittedAt", "updatedAt")
             SELECT 'pr-${c}-' || k, 'r-${c}', 'o-${c}', '${userId}', 'ELIGIBLE', 'F${c.toUpperCase()}-' || lpad(k::text, 4, '0'), 'bench ' || k, 'a-${c}-1', 'PUBLIC_SERVICE', 1000000, now(), now()
             FROM generate_series(1, ${AWARDS}) k`);
  await sql(`INSERT INTO "Award" (id, "roundId", "proposalId", rank, outcome, "awardFen", status, "noticeStartsAt", "noticeEndsAt", "updatedAt")
             SELECT 'aw-${c}-' || k, 'r-${c}', 'pr-${c}-' || k, k, 'FUNDED', 1000000, 'FINAL', ${day}, ${day}, now() FROM generate_series(1, ${AWARDS}) k`);
  await sql(`INSERT INTO "MatchingCampaign" (id, slug, "foundationId", "titleZh", "titleEn", "descriptionZh", "descriptionEn", "sponsorName", "sponsorKind",
                                             "ratioSponsor", "ratioDonor", "startsAt", "endsAt", "eligibleProjectIds")
             VALUES ('c-${c}', 'bench-${c}', 'f-${c}', '基准配捐', 'Bench matching', '', '', '基准民政局', 'GOVERNMENT', 1, 1, now() - interval '1 year', now() + interval '1 year', '{}')`);
  // the foundation's accounts (codes as domain/ledger.ts accountCodes spells them) and its external counterparts
  await sql(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "foundationId", "ownerId") VALUES
               ('la-${c}-avail', 'foundation:f-${c}:available', 'FOUNDATION_AVAILABLE', '可用', 'Available', 'f-${c}', NULL),
               ('la-${c}-earmark', 'foundation:f-${c}:earmark:round:r-${c}', 'FOUNDATION_EARMARKED', '定向', 'Earmarked', 'f-${c}', 'r-${c}'),
               ('la-${c}-pool', 'campaign:c-${c}:matching', 'MATCHING_POOL', '配捐池', 'Matching pool', 'f-${c}', 'c-${c}'),
               ('la-${c}-round', 'round:r-${c}:pool', 'ROUND_POOL', '资金池', 'Round pool', 'f-${c}', 'r-${c}'),
               ('la-${c}-approp', 'external:appropriation:bench-${c}', 'EXTERNAL_APPROPRIATION', '财政', 'Government', NULL, NULL),
               ('la-${c}-sponsor', 'external:appropriation:campaign:c-${c}', 'EXTERNAL_APPROPRIATION', '配捐方', 'Sponsor', NULL, 'c-${c}')`);
  await sql(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "foundationId", "ownerId")
             SELECT 'la-${c}-committed-' || k, 'award:aw-${c}-' || k || ':committed', 'AWARD_COMMITTED'::"LedgerAccountKind", '承诺', 'Committed', 'f-${c}', 'aw-${c}-' || k FROM generate_series(1, ${AWARDS}) k
             UNION ALL
             SELECT 'la-${c}-paid-' || k, 'award:aw-${c}-' || k || ':paid', 'GRANTEE_PAID'::"LedgerAccountKind", '已拨付', 'Paid', 'f-${c}', 'aw-${c}-' || k FROM generate_series(1, ${AWARDS}) k`);

  const transactions = Math.round((entries * 100) / ENTRIES_PER_100);
  const a = (s: string) => `'la-${c}-${s}'`;
  const award = (s: "committed" | "paid") => `'la-${c}-${s}-' || (1 + i % ${AWARDS})`;
  for (let from = 1; from <= transactions; from += BATCH) {
    const to = Math.min(transactions, from + BATCH - 1);
    // one statement = one database transaction: the deferred balance check runs at its commit
    await sql(`WITH g AS (SELECT i, i % 100 AS b, '${c}-' || i AS tid, now() - make_interval(secs => i * 120) AS at FROM generate_series(${from}, ${to}) i),
               spec AS (
                 SELECT i, b, tid, at,
                   CASE WHEN b < 50 THEN 'DONATION' WHEN b < 53 THEN 'DONATION_REFUND' WHEN b < 78 THEN 'MATCH' WHEN b < 80 THEN 'MATCH_RETURN'
                        WHEN b < 85 THEN 'APPROPRIATION' WHEN b < 90 THEN 'CAMPAIGN_FUNDING' WHEN b < 94 THEN 'ROUND_POOL' WHEN b < 97 THEN 'AWARD_COMMIT'
                        ELSE 'TRANCHE_RELEASE' END AS kind,
                   CASE WHEN b < 50 THEN 'la-stripe' WHEN b < 53 THEN ${a("avail")} WHEN b < 78 THEN ${a("pool")} WHEN b < 80 THEN ${a("avail")}
                        WHEN b < 85 THEN ${a("approp")} WHEN b < 90 THEN ${a("sponsor")} WHEN b < 94 THEN ${a("avail")} WHEN b < 97 THEN ${a("round")}
                        ELSE ${award("committed")} END AS from_acc,
                   CASE WHEN b < 45 THEN ${a("avail")} WHEN b < 50 THEN ${a("earmark")} WHEN b < 53 THEN 'la-stripe' WHEN b < 78 THEN ${a("avail")}
                        WHEN b < 80 THEN ${a("pool")} WHEN b < 85 THEN ${a("avail")} WHEN b < 90 THEN ${a("pool")} WHEN b < 94 THEN ${a("round")}
                        WHEN b < 97 THEN ${award("committed")} ELSE ${award("paid")} END AS to_acc,
                   CASE WHEN b < 50 THEN 1000 + (i * 37) % 20000 WHEN b < 53 THEN 500 WHEN b < 78 THEN 1000 WHEN b < 80 THEN 300
                        WHEN b < 85 THEN 100000 WHEN b < 90 THEN 50000 WHEN b < 94 THEN 20000 WHEN b < 97 THEN 15000 ELSE 10000 END::bigint AS amount
                 FROM g),
               t AS (
                 INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "occurredAt", "createdAt")
                 SELECT 'lt-' || tid, CASE WHEN b < 50 THEN 'donation:d-' || tid || ':paid' ELSE 'bench:' || tid END, kind, '基准 ' || kind, at, at FROM spec
                 RETURNING id)
               INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen", "createdAt")
               SELECT t.id || side, t.id, CASE WHEN side = ':d' THEN s.to_acc ELSE s.from_acc END, CASE WHEN side = ':d' THEN s.amount ELSE -s.amount END, s.at
               FROM t JOIN spec s ON t.id = 'lt-' || s.tid, unnest(ARRAY[':d', ':c']) side`);
    // a Donation row for each gift, as the webhook leaves it: mostly paid, some refunded; every other one matched
    await sql(`INSERT INTO "Donation" (id, ref, token, "foundationId", "roundId", "campaignId", "amountFen", method, "donorName", anonymous, message, email,
                                       status, payment, "refundedFen", "matchedFen", "receiptNo", "paidAt", "createdAt", "updatedAt")
               SELECT 'd-${c}-' || i, 'G-${c.toUpperCase()}' || i, md5('${c}' || i), 'f-${c}', CASE WHEN i % 100 >= 45 THEN 'r-${c}' END,
                      CASE WHEN i % 2 = 0 THEN 'c-${c}' END, 1000 + (i * 37) % 20000, 'wechat_pay',
                      CASE WHEN i % 5 = 0 THEN NULL ELSE '捐赠人' || i END, i % 5 = 0, CASE WHEN i % 3 = 0 THEN '加油！' END, 'bench' || i || '@example.org',
                      (CASE WHEN i % 97 = 0 THEN 'REFUNDED' WHEN i % 89 = 0 THEN 'PARTIALLY_REFUNDED' ELSE 'SUCCEEDED' END)::"DonationStatus", '{}'::jsonb,
                      CASE WHEN i % 97 = 0 THEN 1000 + (i * 37) % 20000 WHEN i % 89 = 0 THEN 500 ELSE 0 END, CASE WHEN i % 2 = 0 THEN 1000 ELSE 0 END,
                      'B${c.toUpperCase()}-' || i, now() - make_interval(secs => i * 120), now() - make_interval(secs => i * 120), now()
               FROM generate_series(${from}, ${to}) i WHERE i % 100 < 50`);
  }
  await sql(`INSERT INTO "DonationMatch" (id, "donationId", "campaignId", "matchedFen", "returnedFen")
             SELECT 'm-' || d.id, d.id, 'c-${c}', 1000, CASE WHEN d.status = 'REFUNDED' THEN 1000 ELSE 0 END FROM "Donation" d WHERE d."foundationId" = 'f-${c}' AND d."campaignId" IS NOT NULL`);
}

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

type Timing = { p50: number; p95: number };

async function run(serverUrl: string) {
  const name = `bench_foundation_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const pages = await import("../app/services/giving/foundation-pages.server.ts");
  const { foundationAccounts, foundationDetail } = await import("../app/services/giving/foundations.server.ts");
  const sql: Sql = (q) => db().$executeRawUnsafe(q);
  let gifts = 0;
  /** one more balanced movement into the foundation's available funds, so the next view finds the ledger moved */
  const newGift = (c: string) =>
    sql(`WITH t AS (INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo) VALUES ('lt-new-${c}-${++gifts}', 'bench:new:${c}:${gifts}', 'DONATION', 'new') RETURNING id)
         INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") SELECT t.id || side, t.id, CASE WHEN side = ':d' THEN 'la-${c}-avail' ELSE 'la-stripe' END,
         CASE WHEN side = ':d' THEN 100 ELSE -100 END FROM t, unnest(ARRAY[':d', ':c']) side`);
  /** p50/p95 of `fn`, with `before` run untimed before each run */
  const timeEach = async (fn: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<Timing> => {
    if (!before) return timeRuns(fn);
    await before();
    await fn(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await before();
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  /**
   * p50/p95 of each foundation's whole page, the runs alternating between the foundations (each
   * after `before` for it, untimed), so that a slow moment of the machine falls on both alike
   */
  const wholePages = async (before?: (code: string) => Promise<unknown>): Promise<Record<string, Timing>> => {
    const times = new Map<string, number[]>(FOUNDATIONS.map((f) => [f.code, []]));
    for (let i = -1; i < WHOLE_RUNS; i++) {
      for (const f of FOUNDATIONS) {
        if (before) await before(f.code);
        const start = performance.now();
        await pages.foundationPage(`bench-${f.code}`, {}, null);
        if (i >= 0) times.get(f.code)!.push(performance.now() - start); // run -1: the warm-up
      }
    }
    return Object.fromEntries(
      [...times].map(([code, t]) => {
        t.sort((a, b) => a - b);
        return [code, { p50: percentile(t, 50), p95: percentile(t, 95) }];
      }),
    );
  };
  const line = (part: string, t: Timing) => console.log(`  ${part.padEnd(50)} p50 ${t.p50.toFixed(1).padStart(8)} ms   p95 ${t.p95.toFixed(1).padStart(8)} ms`);

  try {
    const started = performance.now();
    await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, path) VALUES ('a-root', 'bench', '基准区', 'Bench district', 'DISTRICT', '/bench/')`);
    await sql(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn") VALUES ('la-stripe', 'external:clearing:stripe', 'EXTERNAL_CLEARING', 'Stripe 清算', 'Stripe clearing')`);
    const user = await db().user.create({ data: { email: "bench-foundation@example.org", name: "bench", passwordHash: "x" } });
    for (const f of FOUNDATIONS) await seedFoundation(sql, f.code, f.entries, user.id);
    // as autovacuum leaves a steady-state database: statistics and the visibility map
    await sql(`VACUUM ANALYZE`);
    const total = await db().$queryRawUnsafe<{ entries: number; donations: number }[]>(
      `SELECT (SELECT count(*) FROM "LedgerEntry")::int AS entries, (SELECT count(*) FROM "Donation")::int AS donations`,
    );
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(total[0])} in the database`);

    const whole: Record<string, { kept: Timing; moved: Timing }> = {};
    const measure = async () => {
      const kept = await wholePages();
      const moved = await wholePages((code) => newGift(code));
      for (const f of FOUNDATIONS) {
        const id = `f-${f.code}`;
        const slug = `bench-${f.code}`;
        const page = await pages.foundationPage(slug, {}, null);
        if (!page) throw new Error(`no page for ${slug}`);
        // the page is the ledger: its balance is the sum of the funds accounts' entries
        const sum = await db().$queryRawUnsafe<{ s: bigint }[]>(
          `SELECT sum(e."amountFen")::bigint AS s FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId"
           WHERE a."foundationId" = '${id}' AND a.kind IN ('FOUNDATION_AVAILABLE', 'FOUNDATION_EARMARKED')`,
        );
        if (page.summary.balanceFen !== Number(sum[0]!.s)) throw new Error(`${slug}: balance ${page.summary.balanceFen} is not the ledger's ${sum[0]!.s}`);
        if (page.transactions.length !== 20 || page.donors.items.length !== 20) throw new Error(`${slug}: the first pages are not full`);
        const entries = (await foundationAccounts(id)).reduce((s, a) => s + a.entries, 0);
        console.log(`\n${f.code}: ${entries.toLocaleString("en")} ledger entries on its accounts, ${page.donors.total.toLocaleString("en")} gifts on the donor wall`);
        whole[f.code] = { kept: kept[f.code]!, moved: moved[f.code]! };
        line("whole page, ledger unchanged since the last view", whole[f.code]!.kept);
        line("whole page, first view after a new gift", whole[f.code]!.moved);
        line("  accounts and their entry counts", await timeEach(() => foundationAccounts(id)));
        line("  ledger summary, from the running totals", await timeEach(() => pages.foundationLedgerSummary(id)));
        // numbered pages: "next" carries a keyset cursor; the numbers the pager links (first and
        // last three, the current one's neighbours) are located from the nearer end
        const lastMovements = String(page.pager.pages);
        const lastGifts = String(page.donors.pager.pages);
        line("  movement list, page 1", await timeEach(() => foundationDetail(slug)));
        line("  movement list, page 2 (next: keyset cursor)", await timeEach(() => foundationDetail(slug, { page: "2", cursor: page.pager.next })));
        line("  movement list, page 3 (by number)", await timeEach(() => foundationDetail(slug, { page: "3" })));
        line(`  movement list, last page ${lastMovements} (by number)`, await timeEach(() => foundationDetail(slug, { page: lastMovements })));
        line(`  movement list, page ${Number(lastMovements) - 2} (by number)`, await timeEach(() => foundationDetail(slug, { page: String(Number(lastMovements) - 2) })));
        line("  donor wall, page 1", await timeEach(() => pages.donorWall({ foundationId: id })));
        line("  donor wall, page 2 (next: keyset cursor)", await timeEach(() => pages.donorWall({ foundationId: id }, page.donors.pager.next, "2")));
        line(`  donor wall, last page ${lastGifts} (by number)`, await timeEach(() => pages.donorWall({ foundationId: id }, null, lastGifts)));
        line(`  donor wall, page ${Number(lastGifts) - 2} (by number)`, await timeEach(() => pages.donorWall({ foundationId: id }, null, String(Number(lastGifts) - 2))));
        line("campaign page (its pool, gifts and donors)", await timeEach(() => pages.campaignPage(slug)));
      }
      const [small, large] = FOUNDATIONS.map((f) => whole[f.code]!);
      console.log(
        `  ratio p95 large / small: ${(large!.kept.p95 / small!.kept.p95).toFixed(1)}× unchanged, ${(large!.moved.p95 / small!.moved.p95).toFixed(1)}× after a gift, ` +
          `for ${Math.round(FOUNDATIONS[1]!.entries / FOUNDATIONS[0]!.entries)}× the entries`,
      );
      reportFigure({ measure: "foundation page after a gift p95, 1M vs 1k entries", figure: `${(large!.moved.p95 / small!.moved.p95).toFixed(2)}×`, goal: "≤ 1.5×" });
    };

    console.log(`\npublic foundation page (loader work for an anonymous visitor: app/services/giving/foundation-pages.server.ts foundationPage): the whole page ${WHOLE_RUNS} runs, the foundations in turn; each part ${RUNS} runs; after a warm-up`);
    await measure();
  } finally {
    await disconnectDb();
    delete process.env.DATABASE_URL;
  }
}

export async function benchFoundation() {
  console.log("\npublic foundation page");
  const external = process.env.DATABASE_URL;
  if (external) await run(withDatabase(external, "postgres"));
  else await withTestServer(run, { durable: true });
}

// `node --import tsx scripts/bench-foundation.ts` runs it alone
if (import.meta.url === `file://${process.argv[1]}`) await benchFoundation();
