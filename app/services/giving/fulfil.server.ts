import { donationAccountCode, accountCodes, GIVING_KINDS, ledgerProblems, transfer } from "~/domain/ledger";
import { matchFor, matchReturnFen } from "~/domain/matching";
import { effectsOf, EMPTY_PAYMENT, failedRefundFen, mergeFact, reversedFen, statusOf, vetFact, type PaymentFact, type PaymentState, type Received } from "~/domain/payment-facts";
import { receiptNumber, shanghaiYear } from "~/domain/donations";
import type { Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { logger } from "~/lib/logger.server";
import { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/books/audit.server";
import { checkPosted, LedgerError, postingJobSql, postingSql, type PostInput } from "~/services/books/ledger.server";

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

export interface CampaignView {
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
export const CAMPAIGN_VIEW = Prisma.sql`(SELECT json_build_object(
    'id', c.id, 'foundationId', c."foundationId", 'ratioSponsor', c."ratioSponsor", 'ratioDonor', c."ratioDonor",
    'perDonationCapFen', c."perDonationCapFen", 'startsAt', (extract(epoch FROM c."startsAt") * 1000)::bigint,
    'endsAt', (extract(epoch FROM c."endsAt") * 1000)::bigint, 'eligibleProjectIds', c."eligibleProjectIds",
    'poolFen', (SELECT coalesce(sum(t."balanceFen"), 0) FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
                 WHERE a.code = 'campaign:' || c.id || ':matching'))
  FROM "MatchingCampaign" c WHERE c.id = d."campaignId")`;

if (accountCodes.matchingPool("ID") !== "campaign:ID:matching") throw new Error("CAMPAIGN_VIEW spells the pool's account code differently from accountCodes.matchingPool");

export type CampaignJson = Omit<CampaignView, "startsAt" | "endsAt" | "poolFen"> & { startsAt: number; endsAt: number; poolFen: number | string };
export const campaignView = (j: CampaignJson | null): CampaignView | null =>
  j && { ...j, startsAt: new Date(Number(j.startsAt)), endsAt: new Date(Number(j.endsAt)), poolFen: Number(j.poolFen) };

export const sameHeld = (a: Received | null, b: Received | null) => a === b || (!!a && !!b && a.amount === b.amount && a.currency === b.currency);
export const sameState = (a: PaymentState, b: PaymentState) =>
  a.completed === b.completed &&
  a.paid === b.paid &&
  a.failed === b.failed &&
  a.amountFen === b.amountFen &&
  a.refundedFen === b.refundedFen &&
  a.dispute === b.dispute &&
  sameHeld(a.held, b.held) &&
  JSON.stringify(a.refundNotices ?? []) === JSON.stringify(b.refundNotices ?? []) &&
  JSON.stringify(Object.entries(a.failedRefunds ?? {}).sort()) === JSON.stringify(Object.entries(b.failedRefunds ?? {}).sort());

/**
 * The idempotency key of the reversal that brings a donation's reversed total to `total`: the
 * total alone while no refund has failed (the key every reversal had before refunds could fail);
 * with failures, the failed total too, since the reversed total can then come back to a value it
 * had before (a refund failed, a new one was made) and must post again.
 */
export const reversalKey = (donationId: string, total: number, failedFen: number) =>
  failedFen > 0 ? `donation:${donationId}:reversed:${total}:f${failedFen}` : `donation:${donationId}:reversed:${total}`;

/** The idempotency key of the posting that books back a reversal whose refund failed: once per failed total. */
export const restoreKey = (donationId: string, failedFen: number) => `donation:${donationId}:refund-failed:${failedFen}`;

export const LOCKED = Prisma.sql`d.id, d.ref, d."foundationId", d."roundId", d."projectId", d."campaignId", d."amountFen", d.payment, d.status::text AS status,
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
 * The settlement (settlementSql): the one statement that takes the locks every payment and
 * refund of a foundation queues on — the running totals of the accounts it posts to, the receipt
 * counter. They are held until the transaction commits, so a caller that can runs this as the
 * very last statement of its transaction (the webhook: after storing the event), keeping the
 * queue short. It must run in the same transaction, and nothing may read or change the donation
 * between applyFacts and it.
 */
export type FinishPayment = () => Promise<void>;

/**
 * Folds facts into a donation, under its row lock, and applies what changed exactly once:
 *
 * - becoming paid: the gift is posted (clearing → foundation or earmark), its match is drawn from
 *   the campaign's pool (under the lock of the pool's running total, never beyond the pool), the next receipt
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
 * late matches against the campaign window it was paid in. With `finish`, the settlement — the
 * statement that takes the locks other payments of the foundation queue on (postings, match,
 * receipt number, the donation's row) — is handed to the caller to run last (see
 * FinishPayment); without it, it runs here.
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
  const { postDonation, reversalFen: reversal, restoredFen } = effectsOf(before, after);
  const reversedTotal = reversedFen(after);
  const failedFen = failedRefundFen(after);

  // Everything that takes a lock other payments of the foundation queue on — the running totals
  // of the clearing account, the gift's account and the pool, the receipt counter — is one
  // statement (settlementSql), the last of the transaction when the caller runs `finish` last;
  // what it needs is read before.
  if (!postDonation && restoredFen > 0) {
    // a refund failed after its reversal was booked: the money is back in the gift's account,
    // booked back once (the match given back to its pool stays there)
    const rest: FinishPayment = () => settle(tx, { d, destination, after, at, pay: null, reverse: null, restore: { fen: restoredFen, failedFen } });
    if (finish) finish.push(rest);
    else await rest();
    return held ? "held" : "changed";
  }
  if (!postDonation && reversal <= 0) {
    // no money moves: a dispute opened, a failure, a step on the way — the row only
    await tx.$executeRaw`
      UPDATE "Donation" SET payment = ${JSON.stringify(after)}::jsonb, status = ${statusOf(after)}::"DonationStatus",
        "refundedFen" = ${reversedTotal}, "updatedAt" = now()
      WHERE id = ${d.id}`;
    return held ? "held" : "changed";
  }
  if (!postDonation) {
    // money going back: a refund, a lost dispute
    const returns = await matchReturns(tx, d, reversedTotal);
    const rest: FinishPayment = () => settle(tx, { d, destination, after, at, pay: null, reverse: { reversal, reversedTotal, failedFen, returns } });
    if (finish) finish.push(rest);
    else await rest();
    return held ? "held" : "changed";
  }

  // becoming paid: the gift, its receipt job and number, its match — and, when a refund was known
  // before the payment (folded in with it), the reversal once the match is drawn
  const plan = await planMatch(tx, d, destination, at);
  const rest: FinishPayment = async () => {
    await settle(tx, { d, destination, after, at, pay: { at, plan }, reverse: null });
    if (reversal > 0) await settle(tx, { d, destination, after, at, pay: null, reverse: { reversal, reversedTotal, failedFen, returns: await matchReturns(tx, d, reversedTotal) } });
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

/**
 * The accounts whose running totals a payment or refund of `d` may change: the clearing account,
 * the gift's account and, for a gift a campaign may match, the campaign's pool.
 */
export const totalsOf = (d: Pick<LockedDonation, "campaignId">, destination: string) =>
  d.campaignId ? [STRIPE_CLEARING, destination, accountCodes.matchingPool(d.campaignId)] : [STRIPE_CLEARING, destination];

export interface MatchPlan {
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
  return matchPlan(c, d, destination, at);
}

/** planMatch with the campaign's terms and pool already read (null: the gift has no campaign). */
export function matchPlan(c: CampaignView | null, d: Pick<LockedDonation, "foundationId" | "projectId" | "amountFen">, destination: string, at: Date): MatchPlan | null {
  if (!c) return null;
  const eligible = c.foundationId === d.foundationId && (c.eligibleProjectIds.length === 0 || (!!d.projectId && c.eligibleProjectIds.includes(d.projectId)));
  if (matchFor(c, d.amountFen, c.poolFen, at, eligible).matchedFen <= 0) return null;
  const pool = accountCodes.matchingPool(c.id);
  const problems = ledgerProblems(transfer(pool, destination, 1));
  if (problems.length) throw new LedgerError(problems);
  return { c, pool, eligible, wanted: matchFor(c, d.amountFen, Number.MAX_SAFE_INTEGER, at, eligible).matchedFen };
}

/** A match's share to give back to its pool (matchReturnFen), decided from its row as read under the donation's lock. */
interface MatchReturn {
  id: string;
  campaignId: string;
  /** fen given back before */
  returnedFen: number;
  back: number;
}

/** The shares of the donation's matches to give back for a reversed total of `reversedTotal` (once per growth of the refund). */
async function matchReturns(tx: Tx, d: LockedDonation, reversedTotal: number): Promise<MatchReturn[]> {
  // only a gift a campaign was asked to match can have drawn one
  if (!d.campaignId) return [];
  const matches = await tx.donationMatch.findMany({ where: { donationId: d.id }, select: { id: true, campaignId: true, matchedFen: true, returnedFen: true } });
  return matches
    .map((m) => ({ id: m.id, campaignId: m.campaignId, returnedFen: m.returnedFen, back: matchReturnFen(m.matchedFen, d.amountFen, reversedTotal, m.returnedFen) }))
    .filter((m) => m.back > 0);
}

/** What one settlement statement writes for a donation, decided before it runs (applyFacts). */
interface Settlement {
  d: Pick<LockedDonation, "id" | "ref" | "foundationId" | "amountFen" | "campaignId" | "receiptPrefix">;
  /** the gift's account (donationAccountCode) */
  destination: string;
  /** the folded state the donation's row gets */
  after: PaymentState;
  /** when the event the postings record happened (the provider's time): their effective date */
  at: Date;
  /** becoming paid at `at`: the gift and its receipt job, the match (with a plan), the receipt number */
  pay: { at: Date; plan: MatchPlan | null } | null;
  /** money going back: the reversing transaction of `reversal` fen, its email job, the matches' shares back */
  reverse: { reversal: number; reversedTotal: number; failedFen: number; returns: MatchReturn[] } | null;
  /** a refund failed after its reversal was booked: `fen` booked back (clearing → the gift's account), once per failed total */
  restore?: { fen: number; failedFen: number } | null;
}

/** The accounts a settlement posts to, whose running totals it locks: the pool only when it draws a match or gives one back. */
const settlementAccounts = (s: Settlement) =>
  s.pay?.plan || s.reverse?.returns.length ? totalsOf(s.d, s.destination) : [STRIPE_CLEARING, s.destination];

/** What a settlement statement reports: each posting's transaction (null: none written) and entries, the receipt number, the draw. */
interface Settled {
  seq: number | null;
  receiptNo: string | null;
  matchedFen: number | null;
  poolFen: bigint | string | null;
  postings: { name: string; postedId: string | null; postedEntries: number }[];
  /** jobs queued */
  jobs: number;
}

/** The name of a settlement's i-th match return posting (postingSql's names take letters only). */
const returnName = (i: number) => `ret${"abcdefghij"[i]}`;

/** A moment as a timestamp(3) column holds it (UTC), from a value pg sends as text. */
export const sqlTime = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Runs a settlement in the caller's transaction, on the donation it has locked, and checks the
 * outcome before commit: every posting wrote all its entries (an unknown account refuses the
 * whole transaction), the receipt number is the one receiptNumber spells, the draw the one
 * matchFor gives for the pool's balance. A disagreement throws, which rolls everything back.
 */
async function settle(tx: Tx, s: Settlement): Promise<void> {
  const [r] = await tx.$queryRaw<Settled[]>(settlementSql(s));
  if (!r) throw new Error(`settlement of ${s.d.ref} returned no row`);
  const codes: Record<string, string[]> = { gift: [STRIPE_CLEARING, s.destination], rev: [s.destination, STRIPE_CLEARING], res: [STRIPE_CLEARING, s.destination] };
  if (s.pay?.plan) codes.match = [s.pay.plan.pool, s.destination];
  s.reverse?.returns.forEach((m, i) => (codes[returnName(i)] = [s.destination, accountCodes.matchingPool(m.campaignId)]));
  for (const p of r.postings) await checkPosted(tx, p, codes[p.name]!);
  if (!s.pay) return;
  const year = shanghaiYear(s.pay.at);
  // the number is spelled by receiptNumber (domain/donations.ts); the SQL must agree with it
  if (r.receiptNo !== receiptNumber(s.d.receiptPrefix, year, r.seq!)) {
    throw new Error(`receipt number ${r.receiptNo} is not receiptNumber(${s.d.receiptPrefix}, ${year}, ${r.seq})`);
  }
  const plan = s.pay.plan;
  if (plan) {
    const expected = matchFor(plan.c, s.d.amountFen, Number(r.poolFen), s.pay.at, plan.eligible).matchedFen;
    if (r.matchedFen !== expected) {
      throw new Error(`match draw for ${s.d.ref} does not agree with matchFor: drew ${r.matchedFen} fen from a pool of ${r.poolFen}, expected ${expected}`);
    }
  }
}

/**
 * A settlement as one statement, on the donation's row the caller has locked. Its parts run in this order
 * (each waits for the ones before it through what it reads), so the locks that other payments of
 * the foundation queue on are taken as late as they can be and held for as little as there is:
 *
 * 1. what takes no such lock: the postings of fixed amounts — becoming paid, the gift (clearing →
 *    the gift's account, idempotency key `donation:<id>:paid`) and its receipt job; money going
 *    back, the reversing transaction (`donation:<id>:reversed:<total>`) and its email job, and each
 *    match's share back to its pool (`donation:<id>:match-return:<campaign>:<total>`), its
 *    DonationMatch row counting it only if the row still counts what was read;
 * 2. the running totals of the accounts posted to, locked in account-id order (the order the
 *    totals trigger takes them in: settlements of the foundation queue, never deadlock), the
 *    pool's balance read from its locked row, so every earlier draw is counted;
 * 3. becoming paid: with a match plan, the draw — never beyond the pool — as its MATCH
 *    transaction (pool → the gift's account, `donation:<id>:match`) and the DonationMatch row;
 *    the next receipt number of the foundation and year from its counter row (no gaps, never
 *    taken twice);
 * 4. the donation's row: its folded state (and, when paid, match, receipt number, time of payment);
 *
 * then the figures (Settled). The totals trigger folds the entries into the totals the statement
 * holds; the database checks the balance of each transaction at commit. The webhook's payments
 * settled together (webhook-pay-together.server.ts) take the same locks in the same order.
 */
function settlementSql(s: Settlement): Prisma.Sql {
  const { d, destination, pay, reverse, restore } = s;
  if (!pay && !reverse && !restore) throw new Error("a settlement pays, reverses or books back");
  // every posting carries the moment of the event it records (the payment's, the refund's)
  const occurredAt = s.at;
  const plan = pay?.plan ?? null;
  const early: Prisma.Sql[] = [];
  /** what step 2 waits for: every expression of step 1 (a query in WITH runs only when something reads it) */
  const before: string[] = [];
  const postings: string[] = [];
  const jobs: string[] = [];
  const fixed = (name: string, header: Omit<PostInput, "entries" | "actorId">, from: string, to: string, fen: number) => {
    const problems = ledgerProblems(transfer(from, to, fen));
    if (problems.length) throw new LedgerError(problems);
    postings.push(name);
    before.push(`${name}_e`);
    early.push(postingSql(header, Prisma.sql`SELECT x.code, x.fen FROM dl CROSS JOIN (VALUES (${from}::text, ${-fen}::bigint), (${to}::text, ${fen}::bigint)) AS x(code, fen)`, name));
  };
  const job = (name: string, query: Prisma.Sql) => {
    jobs.push(name);
    before.push(name);
    early.push(Prisma.sql`${Prisma.raw(name)} AS (${query})`);
  };
  if (pay) {
    fixed("gift", { idempotencyKey: `donation:${d.id}:paid`, kind: GIVING_KINDS.donation, memo: `捐赠 ${d.ref} / Gift ${d.ref}`, occurredAt }, STRIPE_CLEARING, destination, d.amountFen);
    job("gift_j", postingJobSql({ task: DONATION_RECEIPT_TASK, payload: { donationId: d.id }, key: `receipt:${d.id}` }, "gift"));
  }
  if (reverse) {
    const key = reversalKey(d.id, reverse.reversedTotal, reverse.failedFen);
    fixed("rev", { idempotencyKey: key, kind: GIVING_KINDS.refund, memo: `退款 ${d.ref} / Refund ${d.ref}`, occurredAt }, destination, STRIPE_CLEARING, reverse.reversal);
    job(
      "rev_j",
      postingJobSql(
        { task: DONATION_REFUND_TASK, payload: { donationId: d.id, reversedFen: reverse.reversedTotal, amountFen: reverse.reversal }, key: reverse.failedFen > 0 ? `refund:${d.id}:${reverse.reversedTotal}:f${reverse.failedFen}` : `refund:${d.id}:${reverse.reversedTotal}` },
        "rev",
      ),
    );
    if (reverse.returns.length > 10) throw new Error("more than ten matches of one donation");
    reverse.returns.forEach((r, i) => {
      const name = returnName(i);
      const memo = `配捐退回 ${d.ref} / Match returned for ${d.ref}`;
      fixed(name, { idempotencyKey: `donation:${d.id}:match-return:${r.campaignId}:${r.returnedFen + r.back}`, kind: GIVING_KINDS.matchReturn, memo, occurredAt }, destination, accountCodes.matchingPool(r.campaignId), r.back);
      before.push(`${name}_m`);
      early.push(Prisma.sql`${Prisma.raw(`${name}_m`)} AS (
          UPDATE "DonationMatch" SET "returnedFen" = "returnedFen" + ${r.back}::int
           WHERE id = ${r.id}::text AND "returnedFen" = ${r.returnedFen}::int AND EXISTS (SELECT 1 FROM ${Prisma.raw(`${name}_t`)})
          RETURNING id
        )`);
    });
  }
  if (restore) {
    const memo = `退款失败，款项留在基金 ${d.ref} / Refund of ${d.ref} failed: the money stays with the fund`;
    fixed("res", { idempotencyKey: restoreKey(d.id, restore.failedFen), kind: GIVING_KINDS.refund, memo, occurredAt }, STRIPE_CLEARING, destination, restore.fen);
  }
  const waited = before.length ? Prisma.sql`AND ${Prisma.raw(before.map((n) => `(SELECT count(*) FROM ${n})`).join(" + "))} >= 0` : Prisma.empty;
  const late: Prisma.Sql[] = [
    Prisma.sql`lk AS MATERIALIZED (
      SELECT t."accountId", a.code, t."balanceFen" FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
       WHERE a.code = ANY(${settlementAccounts(s)}::text[]) AND EXISTS (SELECT 1 FROM dl) ${waited}
       ORDER BY t."accountId" FOR UPDATE OF t
    )`,
  ];
  const year = pay ? shanghaiYear(pay.at) : 0;
  if (plan) {
    postings.push("match");
    late.push(Prisma.sql`bal AS (
        SELECT coalesce((SELECT lk."balanceFen" FROM lk WHERE lk.code = ${plan.pool}::text), 0)::bigint AS fen
      ), draw AS (
        SELECT LEAST(${plan.wanted}::bigint, bal.fen) AS fen FROM bal WHERE bal.fen > 0
      ), ${postingSql(
        { idempotencyKey: `donation:${d.id}:match`, kind: GIVING_KINDS.match, memo: `配捐 ${d.ref} / Match for ${d.ref}`, occurredAt },
        Prisma.sql`SELECT x.code, x.sign * draw.fen AS fen FROM draw CROSS JOIN (VALUES (${plan.pool}::text, -1), (${destination}::text, 1)) AS x(code, sign)`,
        "match",
      )}, m AS (
        INSERT INTO "DonationMatch" (id, "donationId", "campaignId", "matchedFen", "returnedFen", partial, "createdAt")
        SELECT gen_random_uuid()::text, ${d.id}::text, ${plan.c.id}::text, draw.fen::int, 0, draw.fen < ${plan.wanted}::bigint, now() FROM match_t CROSS JOIN draw
        RETURNING "matchedFen"
      )`);
  }
  if (pay) {
    // the counter after the totals: every settlement takes them in that order
    late.push(Prisma.sql`c AS (
        INSERT INTO "ReceiptCounter" ("foundationId", year, "lastSeq")
        SELECT ${d.foundationId}::text, ${year}::int, 1 FROM dl WHERE (SELECT count(*) FROM lk) >= 0
        ON CONFLICT ("foundationId", year) DO UPDATE SET "lastSeq" = "ReceiptCounter"."lastSeq" + 1
        RETURNING "lastSeq"
      )`);
  }
  const a = s.after;
  const paid = pay
    ? Prisma.sql`, "matchedFen" = ${plan ? Prisma.sql`coalesce((SELECT "matchedFen" FROM m), 0)` : Prisma.sql`0`}, "paidAt" = ${sqlTime(pay.at)},
        "receiptNo" = ${receiptNoSql(d.receiptPrefix, year, Prisma.sql`c."lastSeq"`)}`
    : Prisma.empty;
  late.push(Prisma.sql`u AS (
      UPDATE "Donation" SET payment = ${JSON.stringify(a)}::jsonb, status = ${statusOf(a)}::"DonationStatus", "refundedFen" = ${reversedFen(a)}::int,
        "updatedAt" = now() ${paid}
      ${pay ? Prisma.sql`FROM c` : Prisma.empty} WHERE "Donation".id = (SELECT id FROM dl) AND (SELECT count(*) FROM lk) >= 0
      RETURNING "Donation".id, "Donation"."receiptNo", "Donation"."matchedFen"
    )`);
  const figures = postings.map(
    (name) => Prisma.sql`json_build_object('name', ${name}::text, 'postedId', (SELECT id FROM ${Prisma.raw(`${name}_t`)}), 'postedEntries', (SELECT count(*) FROM ${Prisma.raw(`${name}_e`)}))`,
  );
  return Prisma.sql`WITH dl AS (SELECT ${d.id}::text AS id), ${Prisma.join([...early, ...late], ", ")}
    SELECT ${pay ? Prisma.sql`(SELECT "lastSeq" FROM c)` : Prisma.sql`NULL::int`} AS seq, (SELECT "receiptNo" FROM u) AS "receiptNo",
      (SELECT "matchedFen" FROM u) AS "matchedFen", ${plan ? Prisma.sql`(SELECT fen FROM bal)` : Prisma.sql`NULL::bigint`} AS "poolFen",
      json_build_array(${figures.length ? Prisma.join(figures, ", ") : Prisma.empty}) AS postings,
      ${jobs.length ? Prisma.raw(jobs.map((j) => `(SELECT count(*) FROM ${j})`).join(" + ")) : Prisma.sql`0`}::int AS jobs`;
}

/**
 * receiptNumber (domain/donations.ts) spelled in SQL, for the statement that takes the number
 * from the counter row: the donation's row gets its number in the same round trip. Each use is
 * checked against receiptNumber (settle, and the webhook's hot path), and a test compares the
 * two over many numbers.
 */
export const receiptNoSql = (prefix: string, year: number, seq: Prisma.Sql) =>
  Prisma.sql`${prefix} || '-' || ${year}::int::text || '-' || lpad(${seq}::text, greatest(6, length(${seq}::text)), '0')`;

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
  // a request whose refund failed explains nothing the charge still counts
  const requested = await tx.refundRequest.aggregate({ where: { donationId, status: { not: "FAILED" } }, _sum: { amountFen: true } });
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
