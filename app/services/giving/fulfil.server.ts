import { donationAccountCode, accountCodes, GIVING_KINDS, transfer } from "~/domain/ledger";
import { matchFor, matchReturnFen } from "~/domain/matching";
import { EMPTY_PAYMENT, mergeFact, reversalOf, reversedFen, statusOf, type PaymentFact, type PaymentState } from "~/domain/payment-facts";
import { receiptNumber, shanghaiYear } from "~/domain/donations";
import type { Tx } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { type Prisma } from "~/generated/prisma/client";
import { balanceFen, postTransaction } from "../ledger.server";

/** The clearing account of the payment provider: money Stripe holds for us on its way in or out. */
export const STRIPE_CLEARING = accountCodes.externalClearing("stripe");

/** Jobs that render and queue the donor's emails after the payment is recorded (see enqueue below). */
export const DONATION_RECEIPT_TASK = "donation_receipt";
export const DONATION_REFUND_TASK = "donation_refunded";

interface LockedDonation {
  id: string;
  ref: string;
  foundationId: string;
  roundId: string | null;
  projectId: string | null;
  campaignId: string | null;
  amountFen: number;
  payment: PaymentState | null;
  status: string;
  matchedFen: number;
  receiptNo: string | null;
  paidAt: Date | null;
}

const sameState = (a: PaymentState, b: PaymentState) =>
  a.completed === b.completed && a.paid === b.paid && a.failed === b.failed && a.amountFen === b.amountFen && a.refundedFen === b.refundedFen && a.dispute === b.dispute;

/** Adds a graphile-worker job in the caller's transaction (plain SQL: it exists iff the change commits). */
async function enqueue(tx: Tx, task: string, payload: Record<string, unknown>, jobKey: string) {
  await tx.$executeRaw`SELECT graphile_worker.add_job(${task}::text, ${JSON.stringify(payload)}::json, max_attempts => 10, job_key => ${jobKey}::text)`;
}

/**
 * Folds one fact into a donation, under a row lock, and applies what changed exactly once:
 *
 * - becoming paid: the gift is posted (clearing → foundation or earmark), its match is drawn from
 *   the campaign's pool (under the campaign's row lock, never beyond the pool), the next receipt
 *   number of the foundation and year is taken from its counter row, and the receipt email job
 *   is queued — all in the caller's transaction, with the event id that caused it;
 * - money going back (refund, lost dispute): a reversing transaction for the growth only, the
 *   same share of the match back to its pool, and the refund email job.
 *
 * `at` is when the provider says it happened (the event's `created`), so an event delivered days
 * late matches against the campaign window it was paid in.
 */
export async function applyFact(tx: Tx, donationId: string, fact: PaymentFact, at: Date): Promise<"changed" | "unchanged"> {
  const rows = await tx.$queryRaw<LockedDonation[]>`
    SELECT id, ref, "foundationId", "roundId", "projectId", "campaignId", "amountFen", payment, status::text AS status,
           "matchedFen", "receiptNo", "paidAt"
    FROM "Donation" WHERE id = ${donationId} FOR UPDATE`;
  const d = rows[0];
  if (!d) throw new Error(`donation ${donationId} not found`);
  const before: PaymentState = { ...EMPTY_PAYMENT, ...(d.payment ?? {}) };
  const after = mergeFact(before, fact);
  if (sameState(before, after)) return "unchanged";
  if (after.amountFen !== null && after.amountFen !== d.amountFen) {
    logger.warn({ donation: d.ref, expected: d.amountFen, reported: after.amountFen }, "payment amount differs from the donation; the donation's amount is booked");
  }
  // the donation's own amount is what was asked for and what the ledger books
  after.amountFen = d.amountFen;

  const destination = donationAccountCode(d);
  const becamePaid = !before.paid && after.paid;
  let matchedFen = d.matchedFen;
  let receiptNo = d.receiptNo;
  const paidAt = becamePaid ? at : d.paidAt;

  if (becamePaid) {
    await postTransaction(tx, {
      idempotencyKey: `donation:${d.id}:paid`,
      kind: GIVING_KINDS.donation,
      memo: `捐赠 ${d.ref} / Gift ${d.ref}`,
      entries: transfer(STRIPE_CLEARING, destination, d.amountFen),
    });
    matchedFen = await drawMatch(tx, d, destination, at);
  }

  const reversal = reversalOf(before, after);
  if (reversal > 0) {
    const reversedTotal = reversedFen(after);
    await postTransaction(tx, {
      idempotencyKey: `donation:${d.id}:reversed:${reversedTotal}`,
      kind: GIVING_KINDS.refund,
      memo: `退款 ${d.ref} / Refund ${d.ref}`,
      entries: transfer(destination, STRIPE_CLEARING, reversal),
    });
    await returnMatch(tx, d, destination, reversedTotal);
    await enqueue(tx, DONATION_REFUND_TASK, { donationId: d.id, reversedFen: reversedTotal, amountFen: reversal }, `refund:${d.id}:${reversedTotal}`);
  }

  if (becamePaid) {
    // last, so the foundation's counter row stays locked for as short a time as possible
    const year = shanghaiYear(at);
    const seq = await tx.$queryRaw<{ lastSeq: number; prefix: string }[]>`
      WITH c AS (
        INSERT INTO "ReceiptCounter" ("foundationId", year, "lastSeq") VALUES (${d.foundationId}, ${year}, 1)
        ON CONFLICT ("foundationId", year) DO UPDATE SET "lastSeq" = "ReceiptCounter"."lastSeq" + 1
        RETURNING "lastSeq")
      SELECT c."lastSeq", f."receiptPrefix" AS prefix FROM c, "Foundation" f WHERE f.id = ${d.foundationId}`;
    receiptNo = receiptNumber(seq[0]!.prefix, year, seq[0]!.lastSeq);
    await enqueue(tx, DONATION_RECEIPT_TASK, { donationId: d.id }, `receipt:${d.id}`);
  }

  await tx.$executeRaw`
    UPDATE "Donation" SET payment = ${JSON.stringify(after)}::jsonb, status = ${statusOf(after)}::"DonationStatus",
      "refundedFen" = ${reversedFen(after)}, "matchedFen" = ${matchedFen}, "receiptNo" = ${receiptNo}, "paidAt" = ${paidAt},
      "updatedAt" = now()
    WHERE id = ${d.id}`;
  return "changed";
}

/** Draws the gift's match from its campaign's pool, if it asked for one and the terms allow. */
async function drawMatch(tx: Tx, d: LockedDonation, destination: string, at: Date): Promise<number> {
  if (!d.campaignId) return 0;
  const campaigns = await tx.$queryRaw<
    { id: string; foundationId: string; ratioSponsor: number; ratioDonor: number; perDonationCapFen: number | null; startsAt: Date; endsAt: Date; eligibleProjectIds: string[] }[]
  >`SELECT id, "foundationId", "ratioSponsor", "ratioDonor", "perDonationCapFen", "startsAt", "endsAt", "eligibleProjectIds"
    FROM "MatchingCampaign" WHERE id = ${d.campaignId} FOR UPDATE`;
  const c = campaigns[0];
  if (!c) return 0;
  const eligible = c.foundationId === d.foundationId && (c.eligibleProjectIds.length === 0 || (!!d.projectId && c.eligibleProjectIds.includes(d.projectId)));
  const pool = accountCodes.matchingPool(c.id);
  // read under the campaign's lock: two gifts racing for the last yuan see each other's draw
  const poolFen = await balanceFen(tx, pool);
  const result = matchFor(c, d.amountFen, poolFen, at, eligible);
  if (result.matchedFen <= 0) return 0;
  await postTransaction(tx, {
    idempotencyKey: `donation:${d.id}:match`,
    kind: GIVING_KINDS.match,
    memo: `配捐 ${d.ref} / Match for ${d.ref}`,
    entries: transfer(pool, destination, result.matchedFen),
  });
  await tx.donationMatch.create({ data: { donationId: d.id, campaignId: c.id, matchedFen: result.matchedFen, partial: result.partial } });
  return result.matchedFen;
}

/** Gives the refunded share of the match back to its pool (once per growth of the refund). */
async function returnMatch(tx: Tx, d: LockedDonation, destination: string, reversedTotal: number) {
  const matches = await tx.donationMatch.findMany({ where: { donationId: d.id } });
  for (const m of matches) {
    const back = matchReturnFen(m.matchedFen, d.amountFen, reversedTotal, m.returnedFen);
    if (back <= 0) continue;
    await postTransaction(tx, {
      idempotencyKey: `donation:${d.id}:match-return:${m.campaignId}:${m.returnedFen + back}`,
      kind: GIVING_KINDS.matchReturn,
      memo: `配捐退回 ${d.ref} / Match returned for ${d.ref}`,
      entries: transfer(destination, accountCodes.matchingPool(m.campaignId), back),
    });
    await tx.donationMatch.update({ where: { id: m.id }, data: { returnedFen: { increment: back } } });
  }
}

/** Parks a fact about a PaymentIntent no donation claims yet (see ParkedPaymentFact). */
export async function parkFact(tx: Tx, paymentIntentId: string, eventId: string, fact: PaymentFact) {
  await tx.parkedPaymentFact.create({ data: { paymentIntentId, eventId, fact: fact as unknown as Prisma.InputJsonValue } });
}

/** Folds the facts parked for a PaymentIntent into the donation that now claims it. */
export async function unparkFacts(tx: Tx, paymentIntentId: string, donationId: string, at: Date) {
  const parked = await tx.parkedPaymentFact.findMany({ where: { paymentIntentId }, orderBy: { createdAt: "asc" } });
  for (const p of parked) await applyFact(tx, donationId, p.fact as unknown as PaymentFact, at);
  if (parked.length) await tx.parkedPaymentFact.deleteMany({ where: { id: { in: parked.map((p) => p.id) } } });
}

/** Serialises everything about one PaymentIntent (parking and claiming cannot miss each other). */
export async function lockPaymentIntent(tx: Tx, paymentIntentId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`pi:${paymentIntentId}`}))`;
}
