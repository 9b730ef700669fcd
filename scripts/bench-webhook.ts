/**
 * `npm run bench -- webhook [--n 2000] [--concurrency 16] [--seed 1]` — Stripe webhook
 * throughput on PostgreSQL (goal: at least 1,000 events/s on the 2-core development machine).
 *
 * A foundation with a 1:1 matching campaign whose pool runs out part-way, N PENDING one-time
 * gifts, and their events as Stripe delivers them: about half paid at once
 * (checkout.session.completed, paid), half asynchronously (completed unpaid, then
 * async_payment_succeeded), one in ten partly refunded later (charge.refunded), and repeats of
 * those events (the same id and body) until there are 5 deliveries per payment — shuffled with a
 * seeded PRNG. Each delivery is signed as Stripe signs it and handed to receiveStripeWebhook:
 * signature check, event-id dedupe, the payment folded once, gift/match/refund posted to the
 * ledger, receipt number and email job — C at a time (one pg pool of DB_POOL_SIZE, default 10,
 * under Prisma and the hot path's prepared statements).
 *
 * Prints events/s, applied payments/s, p50/p95/p99 latency per event and totals, then checks the
 * outcome (every payment booked once, receipts gapless, pool never below zero, ledger:verify
 * clean) and exits 1 if anything is off. Embedded PostgreSQL in a temporary directory, or a
 * scratch database on the server of DATABASE_URL (dropped afterwards). `--profile` also counts
 * the SQL statements per event, through Prisma and prepared, with the slowest shapes and the waits
 * sampled from pg_stat_activity (slower; not for the throughput figure).
 */
import { reportFigure } from "./bench-summary.ts";
import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { dropDatabase, ensureDatabase, migrate, withDatabase } from "../app/lib/migrate.server.ts";
import { withTestServer } from "../tests/support/postgres.ts";

export interface WebhookBenchOptions {
  n?: number;
  concurrency?: number;
  seed?: number;
  profile?: boolean;
}

const POOL_SHARE = 0.3; // the matching pool covers about 30 % of the gifts' total at 1:1
const DELIVERIES_PER_PAYMENT = 5;
const REFUND_EVERY = 10;

function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** CPU time (user + system, ms) of the PostgreSQL backends serving this database, by pid (Linux /proc; empty elsewhere). */
async function backendCpu(c: pg.Client): Promise<Map<number, number>> {
  const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      /* not Linux, or gone */
    }
  }
  return out;
}
const CLOCK_TICKS = 100;

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function run(databaseUrl: string, o: Required<WebhookBenchOptions>): Promise<boolean> {
  // demo payments mode with a secret of this run: no Stripe API is ever called
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_API_BASE;
  process.env.STRIPE_WEBHOOK_SECRET = `whsec_bench_${crypto.randomBytes(16).toString("hex")}`;
  process.env.LOG_LEVEL ??= "warn";
  process.env.DATABASE_URL = databaseUrl;
  const { resetEnvCache } = await import("../app/lib/env.server.ts");
  resetEnvCache();
  const { migrateWorkerSchema } = await import("../app/lib/worker-schema.server.ts");
  await migrate(databaseUrl);
  await migrateWorkerSchema(databaseUrl);

  let statements = 0;
  /** per statement shape (profile): how often, and the time from sending to answer (lock waits included) */
  const byStatement = new Map<string, { n: number; ms: number }>();
  const { db, disconnectDb, observeStatements } = await import("../app/lib/db.server.ts");
  if (o.profile) {
    // every statement db() sends, through Prisma or as a prepared statement of the webhook's hot path
    observeStatements((sql, ms) => {
      statements++;
      const shape = sql.replace(/\s+/g, " ").replace(/\$\d+/g, "?").slice(0, 110);
      const s = byStatement.get(shape) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += ms;
      byStatement.set(shape, s);
    });
  }

  const { accountCodes, transfer } = await import("../app/domain/ledger.ts");
  const { ensureAccount, postTransaction, balanceFen } = await import("../app/services/books/ledger.server.ts");
  const { STRIPE_CLEARING } = await import("../app/services/giving/fulfil.server.ts");
  const { receiveStripeWebhook } = await import("../app/services/giving/webhook.server.ts");
  const { signEvent } = await import("../app/services/giving/demo.server.ts");
  const { checkoutSessionObject, chargeObject, stripeEvent } = await import("../app/services/giving/stripe-objects.server.ts");
  const { verifyLedger } = await import("../app/services/books/ledger-verify.server.ts");
  const { shanghaiYear } = await import("../app/domain/donations.ts");
  const random = seededRandom(o.seed);

  try {
    // ── a foundation, its campaign, N pending gifts (bulk) ──
    const started = performance.now();
    const suffix = crypto.randomBytes(3).toString("hex");
    const area = await db().area.create({ data: { code: `bench-wh-${suffix}`, nameZh: "基准街道", nameEn: "Bench subdistrict", level: "SUBDISTRICT", path: `/bench-wh-${suffix}/` } });
    const foundation = await db().foundation.create({
      data: { slug: `bench-wh-${suffix}`, nameZh: "基准基金", nameEn: "Bench fund", descriptionZh: "", descriptionEn: "", areaId: area.id, receiptPrefix: "BENCH" },
    });
    const available = accountCodes.foundationAvailable(foundation.id);
    await ensureAccount(db(), { code: STRIPE_CLEARING, kind: "EXTERNAL_CLEARING", nameZh: "Stripe 清算", nameEn: "Stripe clearing" });
    await ensureAccount(db(), { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "可用", nameEn: "Available", foundationId: foundation.id });
    const campaign = await db().matchingCampaign.create({
      data: {
        slug: `bench-wh-${suffix}`,
        foundationId: foundation.id,
        titleZh: "基准配捐",
        titleEn: "Bench match",
        descriptionZh: "",
        descriptionEn: "",
        sponsorName: "基准赞助方",
        sponsorKind: "COMPANY",
        ratioSponsor: 1,
        ratioDonor: 1,
        startsAt: new Date(Date.now() - 3_600_000),
        endsAt: new Date(Date.now() + 30 * 86_400_000),
        eligibleProjectIds: [],
      },
    });
    await db().$executeRaw`
      INSERT INTO "Donation" (id, ref, token, "foundationId", "campaignId", "amountFen", method, "donorName", email, "checkoutSessionId", payment, "updatedAt")
      SELECT gen_random_uuid()::text, 'B-' || ${suffix} || '-' || lpad(i::text, 7, '0'), md5(${suffix} || i::text || random()::text), ${foundation.id}, ${campaign.id},
             1000 + (i * 7919) % 9001, (ARRAY['wechat_pay', 'alipay', 'card'])[1 + i % 3], '基准捐赠人', 'bench-' || i || '@example.org',
             'cs_bench_' || ${suffix} || '_' || i, '{}'::jsonb, now()
      FROM generate_series(1, ${o.n}::int) i`;
    const gifts = await db().donation.findMany({ where: { foundationId: foundation.id }, select: { id: true, amountFen: true, checkoutSessionId: true } });
    const totalFen = gifts.reduce((s, g) => s + g.amountFen, 0);
    const poolFen = Math.round(totalFen * POOL_SHARE);
    const pool = accountCodes.matchingPool(campaign.id);
    const sponsor = accountCodes.externalSponsor(campaign.id);
    await ensureAccount(db(), { code: sponsor, kind: "EXTERNAL_SPONSOR", nameZh: "赞助方", nameEn: "Sponsor", ownerId: campaign.id });
    await ensureAccount(db(), { code: pool, kind: "MATCHING_POOL", nameZh: "配捐资金池", nameEn: "Matching pool", foundationId: foundation.id, ownerId: campaign.id });
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `campaign:${campaign.id}:fund:initial`, kind: "CAMPAIGN_FUNDING", memo: "bench", entries: transfer(sponsor, pool, poolFen) }),
    );
    await db().$executeRaw`ANALYZE`;

    // ── the events: immediate or async payments, some partial refunds, repeats; shuffled ──
    type Ev = ReturnType<typeof stripeEvent>;
    const distinct: Ev[] = [];
    const refunded = new Map<string, number>();
    for (const g of gifts) {
      const paymentIntentId = `pi_bench_${crypto.randomBytes(10).toString("hex")}`;
      const session = (paymentStatus: "paid" | "unpaid") =>
        checkoutSessionObject({ id: g.checkoutSessionId!, mode: "payment", amountFen: g.amountFen, paymentStatus, metadata: { donationId: g.id }, paymentIntentId });
      if (random() < 0.5) distinct.push(stripeEvent("checkout.session.completed", session("paid")));
      else distinct.push(stripeEvent("checkout.session.completed", session("unpaid")), stripeEvent("checkout.session.async_payment_succeeded", session("paid")));
      if (random() < 1 / REFUND_EVERY) {
        const fen = Math.floor(g.amountFen / 2);
        refunded.set(g.id, fen);
        distinct.push(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen: g.amountFen, amountRefundedFen: fen })));
      }
    }
    const deliveries = [...distinct];
    while (deliveries.length < o.n * DELIVERIES_PER_PAYMENT) deliveries.push(distinct[Math.floor(random() * distinct.length)]!);
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    console.log(
      `set up in ${((performance.now() - started) / 1000).toFixed(1)} s: ${o.n} pending gifts (¥${(totalFen / 100).toFixed(2)}), pool ¥${(poolFen / 100).toFixed(2)}; ` +
        `${deliveries.length} deliveries of ${distinct.length} distinct events (${refunded.size} refunds); concurrency ${o.concurrency}, DB_POOL_SIZE ${process.env.DB_POOL_SIZE ?? 10}`,
    );

    // ── deliver ──
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    let refusedDeliveries = 0;
    const statementsBefore = statements;
    // profile: what the busy sessions wait for, sampled every 10 ms
    const waits = new Map<string, number>();
    let sampling = o.profile;
    const sampler = o.profile
      ? (async () => {
          const c = new pg.Client({ connectionString: databaseUrl });
          await c.connect();
          while (sampling) {
            const { rows: busy } = await c.query<{ w: string }>(
              `SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') AS w FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
            );
            for (const r of busy) waits.set(r.w, (waits.get(r.w) ?? 0) + 1);
            await new Promise((r) => setTimeout(r, 10));
          }
          await c.end();
        })()
      : null;
    const observer = new pg.Client({ connectionString: databaseUrl });
    await observer.connect();
    const cpuBefore = await backendCpu(observer);
    const nodeBefore = process.cpuUsage();
    const t0 = performance.now();
    await mapLimit(deliveries, o.concurrency, async (event) => {
      // each attempt is signed afresh, as Stripe does (a new timestamp per delivery)
      const { payload, signature } = signEvent(event);
      const start = performance.now();
      const r = await receiveStripeWebhook(payload, signature);
      latencies.push(performance.now() - start);
      if (r.status !== 200) refusedDeliveries++;
      outcomes.set(r.body.outcome ?? `status ${r.status}`, (outcomes.get(r.body.outcome ?? `status ${r.status}`) ?? 0) + 1);
    });
    const seconds = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const cpuAfter = await backendCpu(observer);
    await observer.end();
    const pgCpuMs = [...cpuAfter.entries()].reduce((sum, [pid, ms]) => sum + ms - (cpuBefore.get(pid) ?? 0), 0);
    const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000;
    sampling = false;
    await sampler;
    latencies.sort((a, b) => a - b);

    console.log(`events/s:            ${(deliveries.length / seconds).toFixed(0)}  (${deliveries.length} events in ${seconds.toFixed(2)} s)`);
    console.log(`applied payments/s:  ${(o.n / seconds).toFixed(0)}`);
    reportFigure({ measure: `webhook events/s, verified and posted, concurrency ${o.concurrency}`, figure: `${(deliveries.length / seconds).toFixed(0)}/s`, goal: "≥ 1,000/s" });
    console.log(
      `latency per event:   p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
    console.log(
      `CPU per event:       ${(nodeCpuMs / deliveries.length).toFixed(2)} ms in this process (signing, SDK verification, Prisma) + ${(pgCpuMs / deliveries.length).toFixed(2)} ms in PostgreSQL backends` +
        ` (${((nodeCpuMs + pgCpuMs) / 1000 / seconds).toFixed(2)} cores busy on average)`,
    );
    console.log(`outcomes:            ${[...outcomes.entries()].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    if (o.profile) {
      console.log(`SQL statements:      ${((statements - statementsBefore) / deliveries.length).toFixed(1)} per event, ${(statements - statementsBefore).toLocaleString("en")} in all; the slowest in total:`);
      const top = [...byStatement.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
      for (const [shape, st] of top) console.log(`  ${String(st.n).padStart(6)} × ${(st.ms / st.n).toFixed(1).padStart(6)} ms = ${(st.ms / 1000).toFixed(1).padStart(6)} s  ${shape}`);
      console.log(`  waits sampled in pg_stat_activity: ${[...waits.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    }

    // ── check the outcome ──
    const problems: string[] = [];
    const expect = (what: string, actual: unknown, wanted: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
    };
    expect("refused deliveries", refusedDeliveries, 0);
    expect("duplicates", outcomes.get("duplicate") ?? 0, deliveries.length - distinct.length);
    const statuses = await db().donation.groupBy({ by: ["status"], where: { foundationId: foundation.id }, _count: true, orderBy: { status: "asc" } });
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s._count]));
    expect("donations by status", byStatus, { SUCCEEDED: o.n - refunded.size, ...(refunded.size ? { PARTIALLY_REFUNDED: refunded.size } : {}) });
    const rows = await db().donation.findMany({ where: { foundationId: foundation.id }, select: { id: true, receiptNo: true, refundedFen: true, matchedFen: true, amountFen: true, paidAt: true } });
    const wrongRefunds = rows.filter((d) => d.refundedFen !== (refunded.get(d.id) ?? 0));
    expect("donations with a wrong refunded amount", wrongRefunds.length, 0);
    const year = shanghaiYear(rows[0]!.paidAt ?? new Date());
    const seqs = rows.map((d) => Number(/^BENCH-\d{4}-(\d{6})$/.exec(d.receiptNo ?? "")?.[1] ?? NaN)).sort((a, b) => a - b);
    expect("receipt numbers gapless 1…N", seqs.every((s, i) => s === i + 1), true);
    const counter = await db().receiptCounter.findUnique({ where: { foundationId_year: { foundationId: foundation.id, year } } });
    expect("receipt counter", counter?.lastSeq, o.n);
    const kinds = await db().$queryRaw<{ kind: string; n: bigint }[]>`
      SELECT kind, count(*) AS n FROM "LedgerTransaction" WHERE "idempotencyKey" LIKE 'donation:%' GROUP BY kind ORDER BY kind`;
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    const matchedCount = rows.filter((d) => d.matchedFen > 0).length;
    expect("DONATION transactions", byKind.DONATION, o.n);
    expect("DONATION_REFUND transactions", byKind.DONATION_REFUND ?? 0, refunded.size);
    expect("MATCH transactions", byKind.MATCH ?? 0, matchedCount);
    expect("PaymentEvent rows", await db().paymentEvent.count({ where: { id: { in: distinct.map((e) => e.id) } } }), distinct.length);
    const jobs = await db().$queryRaw<{ n: bigint; replaced: bigint }[]>`
      SELECT count(*) AS n, count(*) FILTER (WHERE revision > 0) AS replaced FROM graphile_worker._private_jobs WHERE key LIKE 'receipt:%'`;
    expect("receipt jobs (added once each)", [Number(jobs[0]!.n), Number(jobs[0]!.replaced)], [o.n, 0]);
    const matched = rows.reduce((s, d) => s + d.matchedFen, 0);
    const returned = (await db().donationMatch.aggregate({ where: { campaignId: campaign.id }, _sum: { returnedFen: true } }))._sum.returnedFen ?? 0;
    const poolLeft = await balanceFen(db(), pool);
    expect("pool = funding − matches + returns", poolLeft, poolFen - matched + returned);
    if (poolLeft < 0) problems.push(`pool below zero: ${poolLeft}`);
    const gifted = rows.reduce((s, d) => s + d.amountFen - d.refundedFen, 0);
    expect("foundation balance = gifts − refunds + matches − returns", await balanceFen(db(), available), gifted + matched - returned);
    const report = await verifyLedger(db());
    for (const p of report.problems) problems.push(`ledger:verify [${p.check}] ${p.kind}: ${p.detail}`);

    console.log(
      `totals:              ${o.n} payments booked (${refunded.size} partly refunded), ${matchedCount} matched for ¥${(matched / 100).toFixed(2)} (pool left ¥${(poolLeft / 100).toFixed(2)}), ` +
        `receipts BENCH-${year}-000001…${String(o.n).padStart(6, "0")}, ${report.transactions} ledger transactions`,
    );
    if (problems.length) {
      console.log(`FAILED: ${problems.length} problem(s)`);
      for (const p of problems) console.log(`  ${p}`);
      return false;
    }
    console.log("verified: each payment booked once, receipts gapless, pool never below zero, ledger:verify clean");
    return true;
  } finally {
    await disconnectDb();
    observeStatements(undefined);
  }
}

export async function benchWebhook(options: WebhookBenchOptions = {}): Promise<boolean> {
  const o: Required<WebhookBenchOptions> = { n: options.n ?? 2_000, concurrency: options.concurrency ?? 16, seed: options.seed ?? 1, profile: options.profile ?? false };
  console.log(`\nStripe webhook: ${o.n} payments, concurrency ${o.concurrency}, seed ${o.seed}`);
  const external = process.env.DATABASE_URL;
  const saved = { DATABASE_URL: external, STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY, STRIPE_API_BASE: process.env.STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET };
  const inScratch = async (serverUrl: string) => {
    const name = `bench_webhook_${crypto.randomBytes(3).toString("hex")}`;
    await ensureDatabase(serverUrl, name);
    try {
      return await run(withDatabase(serverUrl, name), o);
    } finally {
      await dropDatabase(serverUrl, name);
    }
  };
  let ok: boolean;
  try {
    ok = external ? await inScratch(withDatabase(external, "postgres")) : await withTestServer(inScratch, { durable: true });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  if (!ok) process.exitCode = 1;
  return ok;
}

// `node --import tsx scripts/bench-webhook.ts [--n 2000] [--concurrency 16]` runs it alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  await benchWebhook({ n: arg("n"), concurrency: arg("concurrency"), seed: arg("seed"), profile: args.includes("--profile") });
}
