import crypto from "node:crypto";
import pg from "pg";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shanghaiYear } from "~/domain/donations";
import { accountCodes } from "~/domain/ledger";
import { EMPTY_PAYMENT, statusOf, type PaymentState } from "~/domain/payment-facts";
import { balanceFen, ensureAccount } from "~/services/books/ledger.server";
import { DONATION_RECEIPT_TASK, DONATION_REFUND_TASK } from "~/services/giving/fulfil.server";
import type { StripeEventJson } from "~/services/giving/stripe-objects.server";
import { preparedQuery } from "~/lib/db.server";
import { waitingToSettle } from "~/services/giving/webhook-pay-together.server";
import { Prisma } from "~/generated/prisma/client";
import { db, uid } from "../support/db";
import { deliver, givingCampaign, givingFoundation, mapLimit, paidEvents, queuedJobs, refundEvent, seededRandom, seededShuffle, startGift } from "../support/giving-fixture";

/**
 * The webhook's one-statement path (services/giving/webhook-hot-path.server.ts, ADR 022): a
 * Checkout Session's payment event is read in one statement and applied by another that commits
 * on its own. What it read may change in between; these tests make it change, at the moment the
 * statement waits for a lock, and check that the statement then leaves nothing behind and the
 * long way applies the event, once.
 */

/** Another session, holding locks the webhook's statement will wait for. */
let blocker: pg.Client;
beforeEach(async () => {
  blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await blocker.connect();
});
afterEach(async () => {
  await blocker.end();
});

/** Waits until a statement tagged `tag` (its leading comment) is waiting for a lock. */
async function untilWaiting(tag: string) {
  for (let i = 0; i < 800; i++) {
    // (inside a transaction, pg_stat_activity keeps what it first showed unless cleared)
    await blocker.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await blocker.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
      [`%/* webhook: ${tag} */%`],
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no "${tag}" statement waited for a lock`);
}

/** Every ledger transaction whose idempotency key names the donation: kind and amount moved. */
async function postings(donationId: string) {
  const rows = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `donation:${donationId}:` } }, include: { entries: true } });
  return rows.map((t) => [t.kind, Number(t.entries.filter((e) => e.amountFen > 0n).reduce((s, e) => s + e.amountFen, 0n))] as const).sort();
}

describe("the one-statement path, when what it read changes before it runs", () => {
  let f: Awaited<ReturnType<typeof givingFoundation>>;
  beforeAll(async () => {
    f = await givingFoundation();
  });

  it("a refund parked while the statement waits for the PaymentIntent's lock is folded in with the payment, not left parked", async () => {
    const { donation } = await startGift(f.foundation.slug, { amount: "100" });
    const { events, paymentIntentId } = paidEvents(donation);
    // what the long way does with a refund that overtakes the checkout (webhook.server.ts, intentFact):
    // under the PaymentIntent's lock, no donation knows it yet, so the fact is parked
    await blocker.query("BEGIN");
    await blocker.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`pi:${paymentIntentId}`]);
    await blocker.query(`INSERT INTO "ParkedPaymentFact" (id, "paymentIntentId", "eventId", fact, "createdAt") VALUES ($1, $2, $3, $4::jsonb, now())`, [
      crypto.randomUUID(),
      paymentIntentId,
      `evt_parked_${uid()}`,
      JSON.stringify({ kind: "refunded", refundedFen: 4_000, chargeFen: 10_000, currency: "cny" }),
    ]);
    // the checkout's event reads no parked fact (not committed yet), then waits for the lock …
    const delivery = deliver(events[0]!);
    await untilWaiting("paid");
    // … which it gets once the refund is parked: it must see the parked fact now, although its snapshot is older
    await blocker.query("COMMIT");
    const r = await delivery;
    expect(r).toMatchObject({ status: 200, body: { outcome: "applied" } });

    expect(await db().parkedPaymentFact.count({ where: { paymentIntentId } })).toBe(0);
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 4_000, paymentIntentId });
    expect(await postings(donation.id)).toEqual([
      ["DONATION", 10_000],
      ["DONATION_REFUND", 4_000],
    ]);
    expect((await queuedJobs([`receipt:${donation.id}`, `refund:${donation.id}:4000`])).map((j) => [j.task, j.revision]).sort()).toEqual([
      [DONATION_RECEIPT_TASK, 0],
      [DONATION_REFUND_TASK, 0],
    ]);
    expect(await db().paymentEvent.count({ where: { id: events[0]!.id } })).toBe(1);
  });

  it("a donation changed while the statement waits for its row: the statement writes nothing (its receipt number is given back) and the long way applies the event", async () => {
    const fresh = await givingFoundation();
    const { donation } = await startGift(fresh.foundation.slug, { amount: "50" });
    const { events } = paidEvents(donation, { async: true });
    // what other deliveries did meanwhile: the session completed unpaid, and ¥20 of it refunded
    const changed: PaymentState = { ...EMPTY_PAYMENT, completed: true, amountFen: 5_000, refundedFen: 2_000 };
    await blocker.query("BEGIN");
    await blocker.query(`SELECT id FROM "Donation" WHERE id = $1 FOR UPDATE`, [donation.id]);
    // the async success reads the pending gift, decides to pay it, and waits for the row …
    const delivery = deliver(events[1]!);
    await untilWaiting("paid");
    await blocker.query(`UPDATE "Donation" SET payment = $2::jsonb, status = $3::"DonationStatus", "updatedAt" = now() WHERE id = $1`, [
      donation.id,
      JSON.stringify(changed),
      statusOf(changed),
    ]);
    await blocker.query("COMMIT");
    expect(await delivery).toMatchObject({ status: 200, body: { outcome: "applied" } });

    // paid with what it knows now: the refund known before the payment is reversed once paid
    const d = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(d).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 2_000 });
    expect(await postings(donation.id)).toEqual([
      ["DONATION", 5_000],
      ["DONATION_REFUND", 2_000],
    ]);
    // the first receipt number of the foundation: the one the refused statement took was given back
    expect(d.receiptNo).toBe(`${fresh.foundation.receiptPrefix}-${shanghaiYear(d.paidAt!)}-000001`);
    expect((await db().receiptCounter.findFirstOrThrow({ where: { foundationId: fresh.foundation.id } })).lastSeq).toBe(1);
    expect(await queuedJobs([`receipt:${donation.id}`])).toMatchObject([{ revision: 0 }]);
    expect(await db().paymentEvent.count({ where: { id: events[1]!.id } })).toBe(1);
  });
});

describe("payments of one foundation in flight together", () => {
  it("are settled by one statement: receipts numbered in turn, one notification for their receipt jobs, a changed donation and a repeated event left to the long way", async () => {
    const f = await givingFoundation();
    const gifts = [];
    for (let i = 0; i < 5; i++) gifts.push((await startGift(f.foundation.slug, { amount: String(10 + i) })).donation);
    const [a, b, c, d, e] = gifts.map((g) => paidEvents(g).events[0]!);
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const notified: number[] = [];
    listener.on("notification", (n) => notified.push((JSON.parse(n.payload ?? "{}") as { count: number }).count));
    await listener.query(`LISTEN "jobs:insert"`);
    try {
      // the foundation's running total held: the first payment's statement waits for it …
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId" WHERE a.code = $1 FOR UPDATE OF t`, [
        accountCodes.foundationAvailable(f.foundation.id),
      ]);
      const first = deliver(a!);
      await untilWaiting("paid");
      // … and the payments after it wait in the process for it to finish: b twice (a repeat), c, d, e
      const rest = [b, b, c, d, e].map((ev) => deliver(ev!));
      for (let i = 0; i < 400 && waitingToSettle() < 5; i++) await new Promise((r) => setTimeout(r, 25));
      expect(waitingToSettle()).toBe(5);
      // d's donation changes meanwhile (another delivery found it completed, unpaid): its statement leaves it out
      const changed: PaymentState = { ...EMPTY_PAYMENT, completed: true, amountFen: 1_300 };
      await blocker.query(`UPDATE "Donation" SET payment = $2::jsonb, status = $3::"DonationStatus" WHERE id = $1`, [gifts[3]!.id, JSON.stringify(changed), statusOf(changed)]);
      await blocker.query("COMMIT");
      expect((await first).body.outcome).toBe("applied");
      const outcomes = (await Promise.all(rest)).map((r) => r.body.outcome);
      // of b's two deliveries, whichever came first is applied and the other is its repeat
      expect([[outcomes[0], outcomes[1]].sort(), ...outcomes.slice(2)]).toEqual([["applied", "duplicate"], "applied", "applied", "applied"]);
      for (let i = 0; i < 400 && notified.length < 3; i++) await listener.query("SELECT 1");
    } finally {
      await listener.end();
    }
    // a alone; b, c and e together (one notification for their three receipt jobs); d the long way
    expect(notified.sort()).toEqual([1, 1, 3]);
    const rows = await db().donation.findMany({ where: { id: { in: gifts.map((g) => g.id) } }, select: { id: true, status: true, receiptNo: true, paidAt: true } });
    expect(rows.every((r) => r.status === "SUCCEEDED")).toBe(true);
    const year = shanghaiYear(rows[0]!.paidAt!);
    const seq = (g: { id: string }) => Number(rows.find((r) => r.id === g.id)!.receiptNo!.slice(`${f.foundation.receiptPrefix}-${year}-`.length));
    // numbered in the order they were settled: a, then b, c and e (in the order they came), then d
    const [sa, sb, sc, sd, se] = gifts.map(seq);
    expect([sa, sd, [sb, sc, se].sort()]).toEqual([1, 5, [2, 3, 4]]);
    expect((await queuedJobs(gifts.map((g) => `receipt:${g.id}`))).map((j) => j.revision)).toEqual([0, 0, 0, 0, 0]);
    for (const g of gifts) expect(await postings(g.id)).toEqual([["DONATION", g.amountFen]]);
  });
});

describe("prepared statements on Prisma's pool", () => {
  it("run beside Prisma, and again after the client was disconnected", async () => {
    const code = `external:appropriation:prepared-${uid()}`;
    await ensureAccount(db(), { code, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
    const read = () => preparedQuery<{ code: string }>(Prisma.sql`SELECT code FROM "LedgerAccount" WHERE code = ${code}::text`);
    expect(await read()).toEqual([{ code }]);
    // a disconnect ends the pool the two share; the next use builds both again
    await db().$disconnect();
    expect(await read()).toEqual([{ code }]);
    expect(await db().ledgerAccount.count({ where: { code } })).toBe(1);
  });
});

describe("running totals from the account's first moment", () => {
  it("a new ledger account has its running total at once: balance 0, no entries", async () => {
    const id = await ensureAccount(db(), { code: `external:appropriation:opened-${uid()}`, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
    // the statement that posts to it can lock its total before the first posting (settlementSql)
    expect(await db().ledgerAccountTotal.findUniqueOrThrow({ where: { accountId: id } })).toMatchObject({ balanceFen: 0n, entries: 0 });
  });
});

/**
 * Payments and refunds of one foundation and one campaign at once, each delivered more than once,
 * in a seeded random order (refunds often before their payment): the one-statement path and the
 * long way take the same locks in the same order, so every delivery is accepted (a deadlock would
 * answer 500), and each payment, refund, match and receipt number is booked once.
 */
const SEED = Number(process.env.BATTERY_SEED ?? crypto.randomInt(2 ** 31));
describe(`payments and refunds of one foundation at once (seed ${SEED})`, () => {
  const GIFTS = 40;
  let f: Awaited<ReturnType<typeof givingFoundation>>;
  let campaign: Awaited<ReturnType<typeof givingCampaign>>;
  let gifts: { id: string; amountFen: number; refundFen: number; paymentIntentId: string }[];
  let results: { status: number; outcome?: string }[];
  let distinct: number;

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`replay with BATTERY_SEED=${SEED}`)));

  beforeAll(async () => {
    const random = seededRandom(SEED);
    f = await givingFoundation();
    // the pool covers about half the gifts' total: it runs out part-way
    campaign = await givingCampaign(f, { poolYuan: "1000" });
    const started = await mapLimit(
      Array.from({ length: GIFTS }, () => (10 + Math.floor(random() * 7_000) / 100).toFixed(2)),
      8,
      (amount) => startGift(f.foundation.slug, { amount }),
    );
    const events: StripeEventJson[] = [];
    gifts = [];
    for (const { donation } of started) {
      const paid = paidEvents(donation, { async: random() < 0.5 });
      events.push(...paid.events);
      const refundFen = random() < 0.4 ? Math.floor(donation.amountFen / 2) : 0;
      if (refundFen) events.push(refundEvent(paid.paymentIntentId, donation.amountFen, refundFen));
      gifts.push({ id: donation.id, amountFen: donation.amountFen, refundFen, paymentIntentId: paid.paymentIntentId });
    }
    distinct = events.length;
    const order = seededShuffle([...events, ...events, ...events.filter(() => random() < 0.5)], SEED);
    results = await mapLimit(order, 8, async (e) => {
      const r = await deliver(e);
      return { status: r.status, outcome: r.body.outcome };
    });
  }, 120_000);

  it("accepts every delivery and applies each event once", () => {
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.outcome !== "duplicate")).toHaveLength(distinct);
  });

  it("books each gift, refund and match once, numbers the receipts without gaps, and leaves nothing parked", async () => {
    const rows = await db().donation.findMany({ where: { id: { in: gifts.map((g) => g.id) } }, select: { id: true, status: true, refundedFen: true, matchedFen: true, receiptNo: true, paidAt: true } });
    for (const g of gifts) {
      const d = rows.find((r) => r.id === g.id)!;
      expect(d).toMatchObject({ status: g.refundFen ? "PARTIALLY_REFUNDED" : "SUCCEEDED", refundedFen: g.refundFen });
      const kinds = (await postings(g.id)).map(([kind]) => kind);
      expect(kinds.filter((k) => k === "DONATION")).toHaveLength(1);
      expect(kinds.filter((k) => k === "DONATION_REFUND")).toHaveLength(g.refundFen ? 1 : 0);
      expect(kinds.filter((k) => k === "MATCH")).toHaveLength(d.matchedFen > 0 ? 1 : 0);
    }
    const year = shanghaiYear(rows[0]!.paidAt!);
    const seqs = rows.map((d) => Number(d.receiptNo!.slice(`${f.foundation.receiptPrefix}-${year}-`.length))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: GIFTS }, (_, i) => i + 1));
    expect(await db().parkedPaymentFact.count({ where: { paymentIntentId: { in: gifts.map((g) => g.paymentIntentId) } } })).toBe(0);
  });

  it("the foundation and the pool hold what the gifts, refunds, matches and returns add up to", async () => {
    const rows = await db().donation.findMany({ where: { id: { in: gifts.map((g) => g.id) } }, select: { amountFen: true, refundedFen: true, matchedFen: true } });
    const matches = await db().donationMatch.findMany({ where: { campaignId: campaign.id } });
    const matched = matches.reduce((s, m) => s + m.matchedFen, 0);
    const returned = matches.reduce((s, m) => s + m.returnedFen, 0);
    expect(matched).toBe(rows.reduce((s, d) => s + d.matchedFen, 0));
    const pool = await balanceFen(db(), accountCodes.matchingPool(campaign.id));
    expect(pool).toBe(100_000 - matched + returned);
    expect(pool).toBeGreaterThanOrEqual(0);
    const gifted = rows.reduce((s, d) => s + d.amountFen - d.refundedFen, 0);
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000 + gifted + matched - returned);
  });
});
