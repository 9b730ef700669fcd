import { receiptNumber } from "~/domain/donations";
import { GIVING_KINDS } from "~/domain/ledger";
import { matchFor } from "~/domain/matching";
import { reversedFen, statusOf, type PaymentState } from "~/domain/payment-facts";
import { preparedQuery } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { Prisma } from "~/generated/prisma/client";
import { DONATION_RECEIPT_TASK, receiptNoSql, STRIPE_CLEARING, totalsOf, type MatchPlan } from "./fulfil.server";

/**
 * Payments of one foundation settled together (docs/decisions/022-webhook-hot-path.md). Every
 * payment of a foundation queues on the same rows — the running totals of its account and of the
 * clearing account, its receipt counter — from its settlement to its commit. One at a time, each
 * waits for the one before to be written, flushed to disk and to wake it. So the payment events
 * that reach this point while a settlement of their foundation is running wait here, in the
 * process, and the next statement settles all of them: one queue turn, one commit, one flush, one
 * `add_jobs` (one NOTIFY) for their receipts. A payment that finds none running goes at once.
 *
 * Each payment is still its own: its event row, its donation compared and set, its gift, match,
 * receipt number and receipt job, exactly as the single settlement writes them (settlementSql).
 * A payment whose donation changed since it was read is left out of the statement (the caller
 * applies it the long way); one whose event row another delivery stored meanwhile is a
 * duplicate. Anything else that is not as expected raises and rolls the whole statement back,
 * and every payment of it goes the long way.
 */

/** A payment the hot path has decided: its event, the donation as read, what the fold makes of it. */
export interface Payment {
  eventId: string;
  type: string;
  sessionId: string;
  paymentIntentId: string | null;
  /** when Stripe says it was paid */
  at: Date;
  donation: { id: string; ref: string; foundationId: string; campaignId: string | null; amountFen: number; receiptPrefix: string };
  /** the donation's folded state and PaymentIntent as read: it is written only if they are still so */
  before: string;
  beforeIntent: string | null;
  after: PaymentState;
  destination: string;
  plan: MatchPlan | null;
  year: number;
}

export type Settled = { outcome: "applied" } | { outcome: "duplicate" } | null;

interface Waiting {
  payment: Payment;
  done: (r: Settled) => void;
}

/** Payments waiting for their foundation's running settlement, by foundation and year. */
const queues = new Map<string, Waiting[]>();
/** At most this many payments in one statement. */
const BATCH = 32;

/** How many payments wait for a running settlement of their foundation, in this process (tests, diagnostics). */
export const waitingToSettle = () => [...queues.values()].reduce((n, q) => n + q.length, 0);

/** Settles a payment with the others of its foundation that are waiting; null: apply it the long way. */
export function payTogether(payment: Payment): Promise<Settled> {
  const key = `${payment.donation.foundationId}:${payment.year}`;
  return new Promise((done) => {
    const queue = queues.get(key);
    if (queue) {
      queue.push({ payment, done });
      return;
    }
    queues.set(key, [{ payment, done }]);
    void drain(key);
  });
}

async function drain(key: string) {
  const queue = queues.get(key)!;
  while (queue.length) {
    const batch = queue.splice(0, BATCH);
    // Two deliveries for one donation: the first is settled here; the other is answered once it
    // is — a repeat of the same event is then a duplicate, any other event goes the long way
    // (which finds the donation as the first left it).
    const first = new Map<string, Waiting>();
    const later: { w: Waiting; of: Waiting }[] = [];
    for (const w of batch) {
      const of = first.get(w.payment.donation.id);
      if (of) later.push({ w, of });
      else first.set(w.payment.donation.id, w);
    }
    const mine = [...first.values()];
    let results: Settled[];
    try {
      results = await settle(mine.map((w) => w.payment));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "WH409" && code !== "40P01" && code !== "40001") logger.warn({ err: error }, "payments settled together failed; each is applied the long way");
      results = mine.map(() => null);
    }
    mine.forEach((w, i) => w.done(results[i]!));
    for (const { w, of } of later) {
      const settled = results[mine.indexOf(of)];
      w.done(settled && w.payment.eventId === of.payment.eventId ? { outcome: "duplicate" } : null);
    }
  }
  queues.delete(key);
}

interface ItemResult {
  ord: number;
  locked: boolean;
  applied: boolean;
  seq: number | null;
  receiptNo: string | null;
  matchedFen: number | null;
  poolFen: number | string | null;
}

/** The payments (of one foundation and year) in one statement; a result for each, in order. */
async function settle(payments: Payment[]): Promise<Settled[]> {
  const first = payments[0]!;
  const col = <T>(f: (p: Payment, i: number) => T) => payments.map(f);
  const codes = [...new Set(payments.flatMap((p) => (p.plan ? totalsOf(p.donation, p.destination) : [STRIPE_CLEARING, p.destination])))];
  const [row] = await preparedQuery<{ ok: boolean; results: ItemResult[] }>(Prisma.sql`/* webhook: paid */
    WITH items AS MATERIALIZED (
      SELECT * FROM unnest(
        ${col((_, i) => i)}::int[], ${col((p) => p.eventId)}::text[], ${col((p) => p.type)}::text[], ${col((p) => p.sessionId)}::text[],
        ${col((p) => p.paymentIntentId)}::text[], ${col((p) => p.donation.id)}::text[], ${col((p) => p.before)}::text[], ${col((p) => p.beforeIntent)}::text[],
        ${col((p) => JSON.stringify(p.after))}::text[], ${col((p) => statusOf(p.after))}::text[], ${col((p) => reversedFen(p.after))}::int[],
        ${col((p) => p.at.toISOString())}::text[], ${col((p) => p.donation.amountFen)}::bigint[], ${col((p) => p.destination)}::text[],
        ${col((p) => p.plan?.pool ?? null)}::text[], ${col((p) => p.plan?.wanted ?? null)}::bigint[], ${col((p) => p.plan?.c.id ?? null)}::text[],
        ${col((p) => `donation:${p.donation.id}:paid`)}::text[], ${col((p) => `捐赠 ${p.donation.ref} / Gift ${p.donation.ref}`)}::text[],
        ${col((p) => `donation:${p.donation.id}:match`)}::text[], ${col((p) => `配捐 ${p.donation.ref} / Match for ${p.donation.ref}`)}::text[]
      ) AS x(ord, event, type, session, pi, donation, before, before_pi, after, status, refunded, at, amount, dest, pool, wanted, campaign,
             gift_key, gift_memo, match_key, match_memo)
    ), g AS MATERIALIZED (
      -- each PaymentIntent's lock, in one order, and a fresh look for facts parked for it (raises if any)
      SELECT s.pi, payment_intent_unparked(s.pi) AS ok FROM (SELECT DISTINCT pi FROM items WHERE pi IS NOT NULL ORDER BY pi) s
    ), dl AS MATERIALIZED (
      -- the donations still as read, locked in one order; the others are left out
      SELECT d.id, i.ord FROM "Donation" d JOIN items i ON i.donation = d.id
       WHERE d.payment = i.before::jsonb AND d."paymentIntentId" IS NOT DISTINCT FROM i.before_pi AND (SELECT count(*) FROM g) >= 0
       ORDER BY d.id FOR UPDATE OF d
    ), ev AS (
      INSERT INTO "PaymentEvent" (id, type, "objectId", "donationId", outcome, "stripeCreatedAt", "receivedAt")
      SELECT i.event, i.type, i.session, i.donation, 'applied', (i.at::timestamptz AT TIME ZONE 'UTC'), now() FROM items i JOIN dl ON dl.ord = i.ord ORDER BY i.ord
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), ok AS MATERIALIZED (
      SELECT i.*, row_number() OVER (ORDER BY i.ord) AS rank FROM items i JOIN ev ON ev.id = i.event
    ), gift_t AS (
      INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "actorId", "occurredAt", "createdAt")
      SELECT gen_random_uuid()::text, o.gift_key, ${GIVING_KINDS.donation}::text, o.gift_memo, NULL, (o.at::timestamptz AT TIME ZONE 'UTC'), now() FROM ok o ORDER BY o.ord
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id, "idempotencyKey"
    ), gift_e AS (
      INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen", "createdAt")
      SELECT gen_random_uuid()::text, t.id, a.id, v.fen, now()
        FROM gift_t t JOIN ok o ON o.gift_key = t."idempotencyKey"
        CROSS JOIN LATERAL (VALUES (${STRIPE_CLEARING}::text, -o.amount), (o.dest, o.amount)) AS v(code, fen)
        JOIN "LedgerAccount" a ON a.code = v.code
      RETURNING id
    ), jobs AS (
      -- the receipts' jobs, one each (job key receipt:<id>), in one add_jobs: one notification
      SELECT graphile_worker.add_jobs(s.specs) AS job FROM (
        SELECT array_agg(ROW(${DONATION_RECEIPT_TASK}::text, json_build_object('donationId', o.donation), NULL, NULL, 10::smallint, 'receipt:' || o.donation, NULL, NULL)::graphile_worker.job_spec ORDER BY o.ord) AS specs
          FROM ok o JOIN gift_t t ON t."idempotencyKey" = o.gift_key
      ) s WHERE s.specs IS NOT NULL
    ), lk AS MATERIALIZED (
      -- then the running totals, in account-id order, once everything else is written
      SELECT t."accountId", a.code, t."balanceFen" FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
       WHERE a.code = ANY(${codes}::text[]) AND EXISTS (SELECT 1 FROM ok) AND (SELECT count(*) FROM gift_e) + (SELECT count(*) FROM jobs) >= 0
       ORDER BY t."accountId" FOR UPDATE OF t
    ), draws AS MATERIALIZED (
      -- each match as if drawn one after the other, in the order above: what the pool held before it
      SELECT o.ord, o.donation, o.campaign, o.pool, o.dest, o.wanted, o.match_key, o.match_memo,
             GREATEST(0, coalesce(l."balanceFen", 0) - coalesce(sum(o.wanted) OVER (PARTITION BY o.pool ORDER BY o.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS pool_fen
        FROM ok o LEFT JOIN lk l ON l.code = o.pool WHERE o.pool IS NOT NULL
    ), drawn AS MATERIALIZED (
      SELECT x.*, LEAST(x.wanted, x.pool_fen) AS fen FROM draws x WHERE x.pool_fen > 0
    ), match_t AS (
      INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "actorId", "occurredAt", "createdAt")
      SELECT gen_random_uuid()::text, x.match_key, ${GIVING_KINDS.match}::text, x.match_memo, NULL, (o.at::timestamptz AT TIME ZONE 'UTC'), now() FROM drawn x JOIN ok o ON o.ord = x.ord ORDER BY x.ord
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id, "idempotencyKey"
    ), match_e AS (
      INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen", "createdAt")
      SELECT gen_random_uuid()::text, t.id, a.id, v.fen, now()
        FROM match_t t JOIN drawn x ON x.match_key = t."idempotencyKey"
        CROSS JOIN LATERAL (VALUES (x.pool, -x.fen), (x.dest, x.fen)) AS v(code, fen)
        JOIN "LedgerAccount" a ON a.code = v.code
      RETURNING id
    ), m AS (
      INSERT INTO "DonationMatch" (id, "donationId", "campaignId", "matchedFen", "returnedFen", partial, "createdAt")
      SELECT gen_random_uuid()::text, x.donation, x.campaign, x.fen::int, 0, x.fen < x.wanted, now() FROM drawn x JOIN match_t t ON t."idempotencyKey" = x.match_key
      RETURNING "donationId", "matchedFen"
    ), c AS (
      -- the receipt counter after the totals, moved on by as many as are paid here
      INSERT INTO "ReceiptCounter" ("foundationId", year, "lastSeq")
      SELECT ${first.donation.foundationId}::text, ${first.year}::int, k.n FROM (SELECT count(*)::int AS n FROM ok) k WHERE k.n > 0 AND (SELECT count(*) FROM lk) >= 0
      ON CONFLICT ("foundationId", year) DO UPDATE SET "lastSeq" = "ReceiptCounter"."lastSeq" + EXCLUDED."lastSeq"
      RETURNING "lastSeq"
    ), numbered AS MATERIALIZED (
      SELECT o.*, c."lastSeq" - (SELECT count(*) FROM ok) + o.rank AS seq FROM ok o CROSS JOIN c
    ), u AS (
      UPDATE "Donation" d SET "paymentIntentId" = coalesce(d."paymentIntentId", x.pi), payment = x.after::jsonb, status = x.status::"DonationStatus",
        "refundedFen" = x.refunded, "matchedFen" = coalesce(m."matchedFen", 0), "paidAt" = (x.at::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = now(),
        "receiptNo" = ${receiptNoSql(first.donation.receiptPrefix, first.year, Prisma.sql`x.seq`)}
        FROM numbered x LEFT JOIN m ON m."donationId" = x.donation
       WHERE d.id = x.donation
      RETURNING d.id, d."receiptNo", d."matchedFen"
    ), n AS (SELECT count(*) AS ok, (SELECT count(*) FROM drawn) AS drawn FROM ok)
    SELECT webhook_require(
        (SELECT count(*) FROM u) = n.ok AND (SELECT count(*) FROM gift_t) = n.ok AND (SELECT count(*) FROM gift_e) = 2 * n.ok
          AND (SELECT count(*) FROM jobs) = n.ok AND (n.ok = 0 OR (SELECT count(*) FROM lk) = ${codes.length}::int)
          AND (SELECT count(*) FROM match_t) = n.drawn AND (SELECT count(*) FROM match_e) = 2 * n.drawn AND (SELECT count(*) FROM m) = n.drawn,
        'a payment settled together is incomplete') AS ok,
      (SELECT json_agg(json_build_object('ord', i.ord, 'locked', dl.id IS NOT NULL, 'applied', o.event IS NOT NULL, 'seq', x.seq,
                                         'receiptNo', u."receiptNo", 'matchedFen', u."matchedFen", 'poolFen', dr.pool_fen) ORDER BY i.ord)
         FROM items i LEFT JOIN dl ON dl.ord = i.ord LEFT JOIN ok o ON o.ord = i.ord LEFT JOIN numbered x ON x.ord = i.ord
         LEFT JOIN u ON u.id = i.donation AND o.event IS NOT NULL LEFT JOIN draws dr ON dr.ord = i.ord) AS results
      FROM n`);
  if (!row) throw new Error("payments settled together: the statement returned no row");
  return row.results.map((r) => {
    const p = payments[r.ord]!;
    if (!r.applied) return r.locked ? { outcome: "duplicate" } : null;
    // Committed: the SQL spellings of the receipt number and the draw are tested against the domain
    // (receiptNumber, matchFor); a disagreement is a bug to see in the log, not a reason for Stripe
    // to send the event again.
    if (r.receiptNo !== receiptNumber(p.donation.receiptPrefix, p.year, Number(r.seq))) {
      logger.error({ donation: p.donation.ref, receiptNo: r.receiptNo, seq: r.seq }, "receipt number spelled in SQL does not agree with receiptNumber");
    }
    const expected = p.plan ? matchFor(p.plan.c, p.donation.amountFen, Number(r.poolFen ?? 0), p.at, p.plan.eligible).matchedFen : 0;
    if (r.matchedFen !== expected) logger.error({ donation: p.donation.ref, drawn: r.matchedFen, poolFen: r.poolFen }, "match drawn in SQL does not agree with matchFor");
    return { outcome: "applied" };
  });
}
