import { donationAccountCode, accountCodes, GIVING_KINDS, ledgerProblems, transfer } from "~/domain/ledger";
import { matchFor, matchReturnFen } from "~/domain/matching";
import { effectsOf, EMPTY_PAYMENT, mergeFact, reversedFen, statusOf, vetFact, type PaymentFact, type PaymentState, type Received } from "~/domain/payment-facts";
import { receiptNumber, shanghaiYear } from "~/domain/donations";
import type { Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { logger } from "~/lib/logger.server";
import { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/books/audit.server";
import { checkPosted, LedgerError, POSTED, postingSql, postTransaction } from "~/services/books/ledger.server";

/** The clearing account of the payment provider: money Stripe holds for us on its way in or out. */
export const STRIPE_CLEARING = accountCodes.externalClearing("stripe");

/** Jobs that render and queue the donor's emails after the payment is recorded (queued by the statement that posts the gift or its refund). */
export const DONATION_RECEIPT_TASK = "donation_receipt";
export const DONATION_REFUND_TASK = "donation_refunded";

export interface LockedDonation {
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
  receiptPrefix: string;
  /** the campaign's terms and its pool's balance, read (unlocked) with the row when the caller already did */
  campaign?: CampaignView | null;
}

interface CampaignView {
  id: string;
  foundationId: string;
  ratioSponsor: number;
  ratioDonor: number;
  perDonationCapFen: number | null;
  startsAt: Date;
  endsAt: Date;
  eligibleProjectIds: string[];
  poolFen: number;
}

/**
 * A campaign's terms and its pool's balance as one JSON value, in SQL over a "Donation" row `d`
 * (times in epoch ms; the pool's code as accountCodes.matchingPool spells it — checked below).
 */
const CAMPAIGN_VIEW = Prisma.sql`(SELECT json_build_object(
    'id', c.id, 'foundationId', c."foundationId", 'ratioSponsor', c."ratioSponsor", 'ratioDonor', c."ratioDonor",
    'perDonationCapFen', c."perDonationCapFen", 'startsAt', (extract(epoch FROM c."startsAt") * 1000)::bigint,
    'endsAt', (extract(epoch FROM c."endsAt") * 1000)::bigint, 'eligibleProjectIds', c."eligibleProjectIds",
    'poolFen', (SELECT coalesce(sum(t."balanceFen"), 0) FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
                 WHERE a.code = 'campaign:' || c.id || ':matching'))
  FROM "MatchingCampaign" c WHERE c.id = d."campaignId")`;

if (accountCodes.matchingPool("ID") !== "campaign:ID:matching") throw new Error("CAMPAIGN_VIEW spells the pool's account code differently from accountCodes.matchingPool");

type CampaignJson = Omit<CampaignView, "startsAt" | "endsAt" | "poolFen"> & { startsAt: number; endsAt: number; poolFen: number | string };
const campaignView = (j: CampaignJson | null): CampaignView | null =>
  j && { ...j, startsAt: new Date(Number(j.startsAt)), endsAt: new Date(Number(j.endsAt)), poolFen: Number(j.poolFen) };

const sameHeld = (a: Received | null, b: Received | null) => a === b || (!!a && !!b && a.amount === b.amount && a.currency === b.currency);
const sameState = (a: PaymentState, b: PaymentState) =>
  a.completed === b.completed &&
  a.paid === b.paid &&
  a.failed === b.failed &&
  a.amountFen === b.amountFen &&
  a.refundedFen === b.refundedFen &&
  a.dispute === b.dispute &&
  sameHeld(a.held, b.held);

const LOCKED = Prisma.sql`d.id, d.ref, d."foundationId", d."roundId", d."projectId", d."campaignId", d."amountFen", d.payment, d.status::text AS status,
  d."matchedFen", d."receiptNo", d."paidAt", f."receiptPrefix"`;

/** Locks a donation's row (FOR UPDATE) and reads what applyFacts needs; null when there is none. */
export async function lockDonation(tx: Tx, where: { id: string } | { paymentIntentId: string }): Promise<LockedDonation | null> {
  const condition = "id" in where ? Prisma.sql`d.id = ${where.id}` : Prisma.sql`d."paymentIntentId" = ${where.paymentIntentId}`;
  const rows = await tx.$queryRaw<LockedDonation[]>`
    SELECT ${LOCKED} FROM "Donation" d JOIN "Foundation" f ON f.id = d."foundationId" WHERE ${condition} FOR UPDATE OF d`;
  return rows[0] ?? null;
}

/**
 * A Checkout Session's event claims its donation, in one statement run under the PaymentIntent's
 * lock: the donation (by id, else by session; never one of another session) learns its
 * PaymentIntent if it did not know it, its row is locked (the UPDATE), and the facts parked for
 * that PaymentIntent come back with it, to be folded in with the event's own (see unparked).
 */
export async function claimDonation(tx: Tx, where: { donationId?: string; sessionId: string }, paymentIntentId: string | null, options: { mayPay: boolean }) {
  const which = where.donationId ? Prisma.sql`d.id = ${where.donationId}` : Prisma.sql`d."checkoutSessionId" = ${where.sessionId}`;
  // an event that may make the gift paid reads its campaign's terms and pool with it (what planMatch reads next)
  const campaign = options.mayPay ? CAMPAIGN_VIEW : Prisma.sql`NULL::json`;
  const rows = await tx.$queryRaw<(Omit<LockedDonation, "campaign"> & { parked: { id: string; fact: PaymentFact }[]; campaign: CampaignJson | null })[]>`
    UPDATE "Donation" d
       SET "paymentIntentId" = coalesce(d."paymentIntentId", ${paymentIntentId}),
           "updatedAt" = CASE WHEN d."paymentIntentId" IS NULL AND ${paymentIntentId}::text IS NOT NULL THEN now() ELSE d."updatedAt" END
      FROM "Foundation" f
     WHERE f.id = d."foundationId" AND ${which} AND (d."checkoutSessionId" IS NULL OR d."checkoutSessionId" = ${where.sessionId})
    RETURNING ${LOCKED},
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'fact', p.fact) ORDER BY p."createdAt", p.id), '[]'::json)
         FROM "ParkedPaymentFact" p WHERE p."paymentIntentId" = ${paymentIntentId}) AS parked,
      ${campaign} AS campaign`;
  const row = rows[0];
  if (!row) return null;
  const { parked, campaign: view, ...donation } = row;
  return { donation: { ...donation, ...(options.mayPay ? { campaign: campaignView(view) } : {}) } as LockedDonation, parked };
}

/**
 * Work that takes the locks every payment of a foundation (its receipt counter) or of a campaign
 * (its pool) queues on. Those locks are held until the transaction commits, so a caller that can
 * runs this as the very last statements of its transaction (the webhook: after storing the
 * event), keeping the queue short. It must run in the same transaction, and nothing may read or
 * change the donation between applyFacts and it.
 */
export type FinishPayment = () => Promise<void>;

/**
 * Folds facts into a donation, under its row lock, and applies what changed exactly once:
 *
 * - becoming paid: the gift is posted (clearing → foundation or earmark), its match is drawn from
 *   the campaign's pool (under the campaign's row lock, never beyond the pool), the next receipt
 *   number of the foundation and year is taken from its counter row, and the receipt email job
 *   is queued — all in the caller's transaction, with the event id that caused it;
 * - money going back (refund, lost dispute): a reversing transaction for the growth only, the
 *   same share of the match back to its pool, and the refund email job.
 *
 * Several facts (an event's, and those parked for its PaymentIntent) fold in one go: the fold is
 * a join, so the state and its ledger effects are those of folding them one by one, in any order.
 *
 * Each fact is first checked against the donation (vetFact): a payment or a charge in another
 * currency or amount becomes a hold — nothing is booked, the donation is HELD with what was
 * received recorded, and the hold is audited once (when it first appears or what was received
 * changes; a redelivery changes nothing). Returns "held" when this call held it.
 *
 * `at` is when the provider says it happened (the event's `created`), so an event delivered days
 * late matches against the campaign window it was paid in. With `finish`, the part that takes the
 * foundation's and the campaign's locks (match, receipt number, the donation's row update) is
 * handed to the caller to run last (see FinishPayment); without it, it runs here.
 */
export async function applyFacts(
  tx: Tx,
  donation: string | LockedDonation,
  facts: readonly PaymentFact[],
  at: Date,
  finish?: FinishPayment[],
): Promise<"changed" | "unchanged" | "held"> {
  // a donation row the caller has locked in this transaction (lockDonation, claimDonation), or its id
  const d = typeof donation === "string" ? await lockDonation(tx, { id: donation }) : donation;
  if (!d) throw new Error(`donation ${donation as string} not found`);
  const before: PaymentState = { ...EMPTY_PAYMENT, ...(d.payment ?? {}) };
  const after = facts.map((f) => vetFact(d.amountFen, f)).reduce(mergeFact, before);
  if (sameState(before, after)) return "unchanged";
  // the donation's own amount is what was asked for and what the ledger books (a payment that
  // reported another amount was held above, not booked)
  after.amountFen = d.amountFen;
  const held = !!after.held && !sameHeld(before.held, after.held);
  if (after.held && held) await hold(tx, d, after.held);

  const destination = donationAccountCode(d);
  const { postDonation, reversalFen: reversal } = effectsOf(before, after);
  const reversedTotal = reversedFen(after);

  if (!postDonation) {
    // no new payment: a refund, a dispute, a failure or a step on the way — no contended lock
    if (reversal > 0) await reverse(tx, d, destination, reversal, reversedTotal);
    await tx.$executeRaw`
      UPDATE "Donation" SET payment = ${JSON.stringify(after)}::jsonb, status = ${statusOf(after)}::"DonationStatus",
        "refundedFen" = ${reversedTotal}, "updatedAt" = now()
      WHERE id = ${d.id}`;
    return held ? "held" : "changed";
  }

  // becoming paid: what needs no contended lock first — the gift posted and its receipt email queued …
  await postTransaction(
    tx,
    { idempotencyKey: `donation:${d.id}:paid`, kind: GIVING_KINDS.donation, memo: `捐赠 ${d.ref} / Gift ${d.ref}`, entries: transfer(STRIPE_CLEARING, destination, d.amountFen) },
    { task: DONATION_RECEIPT_TASK, payload: { donationId: d.id }, key: `receipt:${d.id}` },
  );
  // … then the campaign's pool and the foundation's receipt counter, each locked until commit:
  // the campaign's lock (when a match is possible), then one statement — match, receipt number, row
  const rest: FinishPayment = async () => {
    const plan = await planMatch(tx, d, destination, at);
    // NO KEY UPDATE: serialises the draws on this campaign, yet does not wait for (or deadlock
    // with) transactions that only reference the row — a monthly invoice inserting its Donation
    // (campaignId foreign key → KEY SHARE) before it draws, or a checkout starting a gift
    if (plan) await tx.$executeRaw`SELECT 1 FROM "MatchingCampaign" WHERE id = ${plan.c.id} FOR NO KEY UPDATE`;
    await settlePayment(tx, d, after, destination, at, plan);
    // a refund that was known before the payment (folded in with it): reversed once the match is drawn
    if (reversal > 0) await reverse(tx, d, destination, reversal, reversedTotal);
  };
  if (finish) finish.push(rest);
  else await rest();
  return held ? "held" : "changed";
}

/** Records what was received on a held donation, and audits the hold (the manager sees both on the gift's page). */
async function hold(tx: Tx, d: LockedDonation, received: Received) {
  logger.warn({ donation: d.ref, expectedFen: d.amountFen, received }, "payment held: the provider reported another amount or currency than the donation's; nothing booked");
  await tx.$executeRaw`UPDATE "Donation" SET "receivedAmount" = ${received.amount}, "receivedCurrency" = ${received.currency}, "updatedAt" = now() WHERE id = ${d.id}`;
  await audit(tx, {
    actorId: null,
    action: "donation.payment.held",
    objectType: "Donation",
    objectId: d.id,
    after: { ref: d.ref, amountFen: d.amountFen, currency: "cny", receivedAmount: received.amount, receivedCurrency: received.currency },
  });
}

/** A reversing transaction for `reversal` fen (the growth of the reversed total), the match's share back, the donor's email. */
async function reverse(tx: Tx, d: LockedDonation, destination: string, reversal: number, reversedTotal: number) {
  await postTransaction(
    tx,
    { idempotencyKey: `donation:${d.id}:reversed:${reversedTotal}`, kind: GIVING_KINDS.refund, memo: `退款 ${d.ref} / Refund ${d.ref}`, entries: transfer(destination, STRIPE_CLEARING, reversal) },
    { task: DONATION_REFUND_TASK, payload: { donationId: d.id, reversedFen: reversedTotal, amountFen: reversal }, key: `refund:${d.id}:${reversedTotal}` },
  );
  // only a gift a campaign was asked to match can have drawn one
  if (d.campaignId) await returnMatch(tx, d, destination, reversedTotal);
}

interface MatchPlan {
  c: CampaignView;
  pool: string;
  eligible: boolean;
  /** what the terms give this gift, the pool aside (ratio, cap): the draw is that or what is left */
  wanted: number;
}

/**
 * Whether the gift may draw a match, decided without a lock: the terms never change after a
 * campaign is created, so eligibility, the window and the ratio need none; and a pool seen empty
 * (a committed state) is a consistent answer — the gift gets nothing, as if paid at that moment
 * — and overdraws nothing. So a gift that gets no match does not queue behind those that do.
 */
async function planMatch(tx: Tx, d: LockedDonation, destination: string, at: Date): Promise<MatchPlan | null> {
  if (!d.campaignId) return null;
  const c =
    d.campaign !== undefined
      ? d.campaign
      : campaignView((await tx.$queryRaw<{ campaign: CampaignJson | null }[]>`SELECT ${CAMPAIGN_VIEW} AS campaign FROM "Donation" d WHERE d.id = ${d.id}`)[0]?.campaign ?? null);
  if (!c) return null;
  const eligible = c.foundationId === d.foundationId && (c.eligibleProjectIds.length === 0 || (!!d.projectId && c.eligibleProjectIds.includes(d.projectId)));
  if (matchFor(c, d.amountFen, c.poolFen, at, eligible).matchedFen <= 0) return null;
  const pool = accountCodes.matchingPool(c.id);
  const problems = ledgerProblems(transfer(pool, destination, 1));
  if (problems.length) throw new LedgerError(problems);
  return { c, pool, eligible, wanted: matchFor(c, d.amountFen, Number.MAX_SAFE_INTEGER, at, eligible).matchedFen };
}

/**
 * A payment settled in one statement, the last before commit when the webhook runs it:
 *
 * - with a match plan (the campaign's lock held, taken by the statement before, so this one's
 *   snapshot sees every earlier draw: two gifts racing for the last yuan see each other's): the
 *   pool's balance, the draw — never beyond it —, its MATCH transaction (pool → the gift's
 *   account, idempotency key `donation:<id>:match`, written by the ledger's postingSql, the SQL
 *   postTransaction runs) and the DonationMatch row;
 * - the next receipt number of the foundation and year from its counter row (locked until
 *   commit: numbers have no gaps and are never taken twice);
 * - the donation's row: its folded state, match, receipt number, time of payment.
 *
 * Both locks are what every payment of the campaign, and of the foundation, queues on, so they
 * are held for one round trip and the commit. The outcome is checked against the domain
 * (matchFor, receiptNumber) before commit, and the database checks the balance of the
 * transaction at commit; a disagreement rolls everything back.
 */
async function settlePayment(tx: Tx, d: LockedDonation, after: PaymentState, destination: string, at: Date, plan: MatchPlan | null) {
  const year = shanghaiYear(at);
  const memo = `配捐 ${d.ref} / Match for ${d.ref}`;
  const draw = plan
    ? Prisma.sql`bal AS (
        SELECT coalesce(sum(t."balanceFen"), 0)::bigint AS fen
          FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId" WHERE a.code = ${plan.pool}
      ), draw AS (
        SELECT LEAST(${plan.wanted}::bigint, bal.fen) AS fen FROM bal WHERE bal.fen > 0
      ), ${postingSql(
        { idempotencyKey: `donation:${d.id}:match`, kind: GIVING_KINDS.match, memo },
        Prisma.sql`SELECT x.code, x.sign * draw.fen AS fen FROM draw CROSS JOIN (VALUES (${plan.pool}::text, -1), (${destination}::text, 1)) AS x(code, sign)`,
      )}, m AS (
        INSERT INTO "DonationMatch" (id, "donationId", "campaignId", "matchedFen", "returnedFen", partial, "createdAt")
        SELECT gen_random_uuid()::text, ${d.id}, ${plan.c.id}, draw.fen::int, 0, draw.fen < ${plan.wanted}::bigint, now() FROM posting_t CROSS JOIN draw
        RETURNING "matchedFen"
      ),`
    : Prisma.empty;
  const matched = plan ? Prisma.sql`coalesce((SELECT "matchedFen" FROM m), 0)` : Prisma.sql`0`;
  const drawn = plan ? Prisma.sql`(SELECT fen FROM bal) AS "poolFen", ${POSTED}` : Prisma.sql`NULL::bigint AS "poolFen", NULL AS "postedId", 0 AS "postedEntries"`;
  const rows = await tx.$queryRaw<{ poolFen: bigint | null; postedId: string | null; postedEntries: number; seq: number; receiptNo: string; matchedFen: number }[]>`
    WITH ${draw} c AS (
      INSERT INTO "ReceiptCounter" ("foundationId", year, "lastSeq") VALUES (${d.foundationId}, ${year}, 1)
      ON CONFLICT ("foundationId", year) DO UPDATE SET "lastSeq" = "ReceiptCounter"."lastSeq" + 1
      RETURNING "lastSeq"
    ), u AS (
      UPDATE "Donation" SET payment = ${JSON.stringify(after)}::jsonb, status = ${statusOf(after)}::"DonationStatus",
        "refundedFen" = ${reversedFen(after)}, "matchedFen" = ${matched}, "paidAt" = ${at}, "updatedAt" = now(),
        "receiptNo" = ${receiptNoSql(d.receiptPrefix, year, Prisma.sql`c."lastSeq"`)}
      FROM c WHERE "Donation".id = ${d.id}
      RETURNING "Donation"."receiptNo", "Donation"."matchedFen"
    )
    SELECT ${drawn}, (SELECT "lastSeq" FROM c) AS seq, (SELECT "receiptNo" FROM u) AS "receiptNo", (SELECT "matchedFen" FROM u) AS "matchedFen"`;
  const r = rows[0]!;
  // the number is spelled by receiptNumber (domain/donations.ts); the SQL above must agree with it
  if (r.receiptNo !== receiptNumber(d.receiptPrefix, year, r.seq)) {
    throw new Error(`receipt number ${r.receiptNo} is not receiptNumber(${d.receiptPrefix}, ${year}, ${r.seq})`);
  }
  if (plan) {
    const expected = matchFor(plan.c, d.amountFen, Number(r.poolFen), at, plan.eligible).matchedFen;
    await checkPosted(tx, r, [plan.pool, destination]);
    if (r.matchedFen !== expected) {
      throw new Error(`match draw for ${d.ref} does not agree with matchFor: drew ${r.matchedFen} fen from a pool of ${r.poolFen}, expected ${expected}`);
    }
  }
  return r.matchedFen;
}

/**
 * receiptNumber (domain/donations.ts) spelled in SQL, for the statement that takes the number
 * from the counter row: the donation's row gets its number in the same round trip. Each use is
 * checked against receiptNumber (settlePayment), and a test compares the two over many numbers.
 */
export const receiptNoSql = (prefix: string, year: number, seq: Prisma.Sql) =>
  Prisma.sql`${prefix} || '-' || ${year}::int::text || '-' || lpad(${seq}::text, greatest(6, length(${seq}::text)), '0')`;

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

/**
 * Takes the facts parked for a PaymentIntent for the donation that now claims it (they are
 * folded in with the event's own fact, under the PaymentIntent's lock).
 */
export async function unparkFacts(tx: Tx, paymentIntentId: string, donation: { id: string; amountFen: number }): Promise<PaymentFact[]> {
  const parked = await tx.parkedPaymentFact.findMany({ where: { paymentIntentId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return unparked(tx, donation, parked.map((p) => ({ id: p.id, fact: p.fact as unknown as PaymentFact })));
}

/** Removes parked facts a donation has claimed (recording the provider's refunds among them); returns the facts. */
export async function unparked(tx: Tx, donation: { id: string; amountFen: number }, parked: readonly { id: string; fact: PaymentFact }[]): Promise<PaymentFact[]> {
  if (!parked.length) return [];
  const facts = parked.map((p) => p.fact);
  for (const fact of facts) {
    // a refund that overtook the payment was started at the provider: recorded as such, like one
    // that did not (unless its charge does not agree with the donation: then it is a hold, not a refund)
    const vetted = vetFact(donation.amountFen, fact);
    if (vetted.kind === "refunded") await recordProviderRefund(tx, donation.id, vetted.refundedFen);
  }
  await tx.parkedPaymentFact.deleteMany({ where: { id: { in: parked.map((p) => p.id) } } });
  return facts;
}

/**
 * A refund started in Stripe's dashboard has no request of ours: the part of the refunded total
 * that no request explains is recorded as one, so every refund has a row saying where it came from.
 */
export async function recordProviderRefund(tx: Tx, donationId: string, refundedTotalFen: number) {
  const requested = await tx.refundRequest.aggregate({ where: { donationId }, _sum: { amountFen: true } });
  const unexplained = refundedTotalFen - (requested._sum.amountFen ?? 0);
  if (unexplained > 0) {
    await tx.refundRequest.create({
      data: { donationId, amountFen: unexplained, reason: "在支付服务商后台发起的退款 / Refunded from the payment provider's dashboard", origin: "PROVIDER" },
    });
  }
}

/** Serialises everything about one PaymentIntent (parking and claiming cannot miss each other). */
export async function lockPaymentIntent(tx: Tx, paymentIntentId: string) {
  await advisoryLock(tx, `pi:${paymentIntentId}`);
}
