import { shanghaiYear } from "~/domain/donations";
import { donationAccountCode } from "~/domain/ledger";
import { effectsOf, EMPTY_PAYMENT, mergeFact, reversedFen, statusOf, vetFact, type PaymentFact, type PaymentState } from "~/domain/payment-facts";
import { preparedQuery } from "~/lib/db.server";
import { Prisma } from "~/generated/prisma/client";
import {
  CAMPAIGN_VIEW,
  campaignView,
  LOCKED,
  matchPlan,
  sameHeld,
  sameState,
  sqlTime,
  type CampaignJson,
  type LockedDonation,
} from "./fulfil.server";
import { payTogether } from "./webhook-pay-together.server";

/**
 * The webhook's hot path (docs/decisions/022-webhook-hot-path.md): a Checkout Session's payment
 * event — the bulk of what Stripe sends — applied in two round trips, each one statement outside
 * any transaction:
 *
 * 1. one read: is the event stored (a repeat: done), and the donation as it stands, the facts
 *    parked for its PaymentIntent and, when the event may pay it, its campaign's terms and pool;
 * 2. the fold (domain/payment-facts.ts) and its effects decided here, then one statement that
 *    writes them and commits on its own, the donation's new state only if it is still the state
 *    read (compare and set): for a step without money (completed unpaid, failed) the donation's
 *    row and the event's; for a payment, the settlement — the gift's posting and its receipt job,
 *    the match drawn from the pool (whose running total it locks, so it sees every earlier
 *    draw), the receipt number, the event's row — in one statement with the other payments of
 *    the foundation in flight (webhook-pay-together.server.ts). It checks what it wrote and
 *    raises when anything is not as expected, which rolls it all back.
 *
 * Anything unusual — facts parked for the PaymentIntent, a hold, a refund folded in, a donation
 * that changed in between, a deadlock — returns null, and the caller applies the event the long
 * way (webhook.server.ts, one transaction with its locks), which handles every case. The long way
 * and these statements take their locks in the same order: the PaymentIntent's, the donation's
 * row, the running totals of the accounts in account-id order, the receipt counter.
 */

export interface CheckoutPayment {
  eventId: string;
  type: string;
  /** the Checkout Session's id */
  sessionId: string;
  /** the donation the session's metadata names, if it does */
  donationId: string | undefined;
  paymentIntentId: string | null;
  fact: PaymentFact;
  /** when Stripe says it happened (the event's `created`) */
  at: Date;
}

export type HotPathResult = { outcome: "duplicate" } | { outcome: "applied"; donationId: string };

interface ReadRow extends Omit<LockedDonation, "campaign" | "paidAt"> {
  stored: boolean;
  paymentIntentId: string | null;
  parked: number;
  campaign: CampaignJson | null;
}

/** SQLSTATEs on which the long way takes over: our statement's refusal, a deadlock, a serialization failure. */
const LONG_WAY = new Set(["WH409", "40P01", "40001"]);

/** Applies a Checkout Session's payment event in one statement; null: apply it the long way. */
export async function applyCheckoutPayment(p: CheckoutPayment): Promise<HotPathResult | null> {
  try {
    return await apply(p);
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    // the same event, delivered at the same time, was stored by the other delivery
    if (e.code === "23505" && e.constraint === "PaymentEvent_pkey") return { outcome: "duplicate" };
    if (e.code && LONG_WAY.has(e.code)) return null;
    throw error;
  }
}

async function apply(p: CheckoutPayment): Promise<HotPathResult | null> {
  const mayPay = p.fact.kind !== "paymentFailed" && (p.fact.kind !== "sessionCompleted" || p.fact.paid);
  const which = p.donationId ? Prisma.sql`d.id = ${p.donationId}::text` : Prisma.sql`d."checkoutSessionId" = ${p.sessionId}::text`;
  // the donation as claimDonation finds it (by id, else by session; never one of another session)
  const [row] = await preparedQuery<ReadRow>(Prisma.sql`/* webhook: read */
    SELECT s.stored, ${LOCKED}, d."paymentIntentId",
      (SELECT count(*) FROM "ParkedPaymentFact" p WHERE p."paymentIntentId" = ${p.paymentIntentId}::text)::int AS parked,
      CASE WHEN ${mayPay}::boolean AND d.id IS NOT NULL THEN ${CAMPAIGN_VIEW} END AS campaign
      FROM (SELECT EXISTS (SELECT 1 FROM "PaymentEvent" e WHERE e.id = ${p.eventId}::text) AS stored) s
      LEFT JOIN ("Donation" d JOIN "Foundation" f ON f.id = d."foundationId")
        ON NOT s.stored AND ${which} AND (d."checkoutSessionId" IS NULL OR d."checkoutSessionId" = ${p.sessionId}::text)`);
  if (!row) throw new Error("webhook read returned no row");
  if (row.stored) return { outcome: "duplicate" };
  // no such donation, facts to fold in, a donation paid through another PaymentIntent: the long way
  if (!row.id || row.parked > 0) return null;
  if (row.paymentIntentId && p.paymentIntentId && row.paymentIntentId !== p.paymentIntentId) return null;

  const stored = row.payment ?? {};
  const before: PaymentState = { ...EMPTY_PAYMENT, ...stored };
  const after = mergeFact(before, vetFact(row.amountFen, p.fact));
  const learnsIntent = !!p.paymentIntentId && !row.paymentIntentId;
  const cas = { id: row.id, payment: JSON.stringify(stored), paymentIntentId: row.paymentIntentId };

  if (sameState(before, after)) {
    // the fold is a join: an event that changes nothing now changes nothing later either, so only
    // its row is stored (and the PaymentIntent learned, if the donation did not know it)
    if (learnsIntent) await changeState(p, cas, null);
    else await storeEvent(p, row.id);
    return { outcome: "applied", donationId: row.id };
  }
  after.amountFen = row.amountFen;
  // a hold is audited, and a refund folded in is reversed, the long way
  if (after.held && !sameHeld(before.held, after.held)) return null;
  const { postDonation, reversalFen, restoredFen } = effectsOf(before, after);
  if (reversalFen > 0 || restoredFen > 0) return null;
  if (!postDonation) {
    await changeState(p, cas, after);
    return { outcome: "applied", donationId: row.id };
  }
  // becoming paid: settled with the other payments of the foundation in flight (webhook-pay-together.server.ts)
  const destination = donationAccountCode(row);
  const settled = await payTogether({
    eventId: p.eventId,
    type: p.type,
    sessionId: p.sessionId,
    paymentIntentId: p.paymentIntentId,
    at: p.at,
    donation: row,
    before: cas.payment,
    beforeIntent: cas.paymentIntentId,
    after,
    destination,
    plan: matchPlan(campaignView(row.campaign), row, destination, p.at),
    year: shanghaiYear(p.at),
  });
  if (!settled) return null;
  return settled.outcome === "duplicate" ? settled : { outcome: "applied", donationId: row.id };
}

/** The donation's row as read: the statement changes it only if it is still so. */
interface Cas {
  id: string;
  payment: string;
  paymentIntentId: string | null;
}

/**
 * The PaymentIntent's lock and the check that nothing is parked for it, first (see the function
 * payment_intent_unparked); then the donation's row, locked only if it is as read.
 */
const claim = (p: CheckoutPayment, cas: Cas) => Prisma.sql`g AS MATERIALIZED (
      SELECT payment_intent_unparked(${p.paymentIntentId}::text) AS ok
    ), dl AS MATERIALIZED (
      SELECT d.id FROM "Donation" d
       WHERE d.id = ${cas.id}::text AND d.payment = ${cas.payment}::jsonb AND d."paymentIntentId" IS NOT DISTINCT FROM ${cas.paymentIntentId}::text
         AND (SELECT ok FROM g)
       FOR UPDATE
    )`;

const eventRow = (p: CheckoutPayment, from: Prisma.Sql) => Prisma.sql`INSERT INTO "PaymentEvent" (id, type, "objectId", "donationId", outcome, "stripeCreatedAt", "receivedAt")
      SELECT ${p.eventId}::text, ${p.type}::text, ${p.sessionId}::text, x.id, 'applied', ${sqlTime(p.at)}, now() FROM ${from} x
      RETURNING id`;

/** Only the event's row: an event that changes nothing. A concurrent delivery of it fails on the primary key. */
async function storeEvent(p: CheckoutPayment, donationId: string) {
  await preparedQuery(Prisma.sql`/* webhook: event */
    ${eventRow(p, Prisma.sql`(SELECT ${donationId}::text AS id)`)}`);
}

/** A state without money (completed unpaid, failed), or the PaymentIntent learned (`after` null: the state unchanged). */
async function changeState(p: CheckoutPayment, cas: Cas, after: PaymentState | null) {
  const state = after
    ? Prisma.sql`, payment = ${JSON.stringify(after)}::jsonb, status = ${statusOf(after)}::"DonationStatus", "refundedFen" = ${reversedFen(after)}::int`
    : Prisma.empty;
  await preparedQuery(Prisma.sql`/* webhook: state */
    WITH ${claim(p, cas)}, u AS (
      UPDATE "Donation" d SET "paymentIntentId" = coalesce(d."paymentIntentId", ${p.paymentIntentId}::text), "updatedAt" = now() ${state}
        FROM dl WHERE d.id = dl.id
      RETURNING d.id
    ), e AS (${eventRow(p, Prisma.sql`u`)})
    SELECT webhook_require((SELECT count(*) FROM e) = 1, 'the donation changed since it was read') AS ok`);
}
