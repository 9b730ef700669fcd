import type Stripe from "stripe";
import { EMPTY_PAYMENT, mergeFact, netRefundedFen, vetFact, type DisputeNotice, type PaymentFact } from "~/domain/payment-facts";
import { legacyField, stripeId } from "~/domain/stripe-ids";
import { db, preparedQuery, type Tx } from "~/lib/db.server";
import { Prisma } from "~/generated/prisma/client";
import { advisoryLock } from "~/lib/locks.server";
import { logger } from "~/lib/logger.server";
import { stripe, STRIPE_API_VERSION, webhookSecret, WEBHOOK_TOLERANCE_SECONDS } from "~/lib/stripe.server";
import { applyFacts, claimDonation, lockDonation, lockPaymentIntent, parkFact, recordProviderRefund, unparked, unparkFacts, type FinishPayment } from "./fulfil.server";
import { newDonationIdentity } from "./identity.server";
import { stripeApi } from "./stripe-api.server";
import { recordDispute, recordParkedDisputes, recordRefundFailure } from "./manager-notices.server";
import { applyCheckoutPayment, type CheckoutPayment } from "./webhook-hot-path.server";

/**
 * The Stripe webhook (POST /webhooks/stripe), the only place a payment is fulfilled: the
 * signature is checked over the raw body, each event id is stored once in the transaction that
 * applies it, and each payment is keyed by its Checkout Session / PaymentIntent / invoice id.
 * Demo payments mode posts its own signed events here too.
 *
 * Events are read as the pinned API version (STRIPE_API_VERSION) renders them: every id field
 * through stripeId (a string or an expanded object alike), and what a payload lacks — an
 * invoice's payments, a dispute's PaymentIntent — fetched through the SDK before the event's
 * transaction opens (stripe-api.server.ts: Stripe, or the local stand-in in demo mode).
 */

export interface WebhookResult {
  status: number;
  body: { received: boolean; outcome?: string; error?: string };
}

type Meta = Stripe.Metadata | null | undefined;

/**
 * An event that cannot be applied yet (an invoice of a subscription no monthly gift knows, e.g.
 * paid before its checkout's event arrived): nothing is stored, and the endpoint answers 409 so
 * Stripe delivers it again; a later delivery applies it, once.
 */
export class RetryLater extends Error {}

const warnedVersions = new Set<string>();

export async function receiveStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookResult> {
  if (!signature) return { status: 400, body: { received: false, error: "missing Stripe-Signature header" } };
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(rawBody, signature, webhookSecret(), WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    // forged, stale or altered: nothing is written, and Stripe is told so (it retries 4xx too, harmlessly)
    logger.warn({ reason: (error as Error).message }, "webhook signature refused");
    return { status: 400, body: { received: false, error: "invalid signature" } };
  }
  if (event.api_version && event.api_version !== STRIPE_API_VERSION && !warnedVersions.has(event.api_version)) {
    warnedVersions.add(event.api_version);
    logger.warn({ eventVersion: event.api_version, pinned: STRIPE_API_VERSION }, "webhook event rendered in another API version than the code is written for: set the endpoint's version in Stripe's dashboard");
  }
  try {
    const outcome = await applyStripeEvent(event);
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    if (error instanceof RetryLater) {
      logger.warn({ event: event.id, type: event.type, reason: error.message }, "webhook event not applied yet; answered 409 so Stripe retries");
      return { status: 409, body: { received: false, error: error.message } };
    }
    logger.error({ err: error, event: event.id, type: event.type }, "webhook event failed; answered 500 so Stripe retries");
    return { status: 500, body: { received: false, error: "not applied; retry later" } };
  }
}

/**
 * Applies one verified event exactly once. A duplicate (same id) finds its row and does nothing;
 * a concurrent duplicate is refused by the row's primary key and rolls back (see below). A crash
 * leaves neither the event row nor its effects, so Stripe's retry applies it afresh.
 */
export async function applyStripeEvent(event: Stripe.Event): Promise<string> {
  const object = event.data.object;
  const objectId = "id" in object && typeof object.id === "string" ? object.id : null;
  const at = new Date(event.created * 1000);
  // a Checkout Session's payment event — most of what Stripe sends — in one read and one
  // statement (webhook-hot-path.server.ts); what that path leaves (null) is applied below
  const checkout = checkoutPayment(event, at);
  if (checkout) {
    const hot = await applyCheckoutPayment(checkout);
    if (hot) return hot.outcome;
  }
  // most repeats arrive after the first delivery committed: one read, no transaction, no lock
  // (a row that exists is final; one not seen yet is looked for again under the lock below)
  const stored = async () => (await preparedQuery<{ id: string }>(Prisma.sql`SELECT id FROM "PaymentEvent" WHERE id = ${event.id}::text`)).length > 0;
  if (await stored()) return "duplicate";
  // what the payload lacks, read from the API before any transaction or lock is taken
  const found = await lookUp(event);
  try {
    return await db().$transaction(
      async (tx) => {
        const finish: FinishPayment[] = [];
        const { outcome, donationId } = await dispatch(tx, event, at, finish, found);
        // The event's row, in the transaction that applied it: its primary key admits each event
        // once. A concurrent delivery of the same event has queued behind this one on the
        // PaymentIntent's (or invoice's, or gift's) lock and found nothing left to do, or it
        // reaches this insert, waits for the first to commit, and fails — rolling back all it did.
        await tx.$executeRaw`
          INSERT INTO "PaymentEvent" (id, type, "objectId", "donationId", outcome, "stripeCreatedAt", "receivedAt")
          VALUES (${event.id}, ${event.type}, ${objectId}, ${donationId}, ${outcome}, ${at}, now())`;
        // last: the match and the receipt number take locks every payment of the campaign and of
        // the foundation queues on; they are held from here to the commit only
        for (const f of finish) await f();
        return outcome;
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
  } catch (error) {
    // the same event, delivered at the same time, was applied by the other delivery: this one
    // was a repeat (and rolled back); any other failure is Stripe's to retry
    if (await stored()) return "duplicate";
    throw error;
  }
}

type CheckoutEvent = Stripe.CheckoutSessionCompletedEvent | Stripe.CheckoutSessionAsyncPaymentSucceededEvent | Stripe.CheckoutSessionAsyncPaymentFailedEvent;

/** What an event's payload lacked, read from the API: the PaymentIntent of an invoice's payment or of a dispute's charge. */
interface Found {
  paymentIntentId: string | null;
}

async function lookUp(event: Stripe.Event): Promise<Found> {
  switch (event.type) {
    case "invoice.paid": {
      const i = event.data.object;
      if (!(i.amount_paid > 0) || !i.id) return { paymentIntentId: null };
      return { paymentIntentId: await invoiceIntent(i) };
    }
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.closed": {
      const dispute = event.data.object;
      return { paymentIntentId: stripeId(dispute.payment_intent) ?? (await chargeIntent(dispute.charge)) };
    }
    case "refund.failed":
    case "refund.updated":
    case "charge.refund.updated": {
      const refund = event.data.object;
      if (refund.status !== "failed") return { paymentIntentId: null };
      return { paymentIntentId: stripeId(refund.payment_intent) ?? (await chargeIntent(refund.charge)) };
    }
    default:
      return { paymentIntentId: null };
  }
}

/** The PaymentIntent of a charge: read from the charge when it came expanded, else fetched. */
async function chargeIntent(charge: string | Stripe.Charge | null | undefined): Promise<string | null> {
  if (charge && typeof charge === "object") return stripeId(charge.payment_intent);
  const id = stripeId(charge);
  if (!id) return null;
  return stripeId((await (await stripeApi()).charges.retrieve(id)).payment_intent);
}

/**
 * The PaymentIntent that paid an invoice. Since API version 2025-03-31 an invoice has no
 * `payment_intent` or `charge`: its payments are InvoicePayment objects in `invoice.payments`,
 * which a webhook payload does not include. So: the payments in the payload if it has them (it
 * was expanded), else the invoice fetched with `expand: ["payments"]` (and, past that list's
 * first page, the invoice's payments listed). An invoice of an older API version: its own
 * `payment_intent`.
 */
async function invoiceIntent(i: Stripe.Invoice): Promise<string | null> {
  const legacy = stripeId(legacyField(i, "payment_intent"));
  if (legacy) return legacy;
  if (i.payments) {
    const inPayload = await paidIntent(i.payments.data);
    if (inPayload) return inPayload;
  }
  const api = await stripeApi();
  const full = await api.invoices.retrieve(i.id!, { expand: ["payments"] });
  const fetched = await paidIntent(full.payments?.data ?? []);
  if (fetched || !full.payments?.has_more) return fetched;
  const all: Stripe.InvoicePayment[] = [];
  for await (const p of api.invoicePayments.list({ invoice: i.id!, limit: 100 })) all.push(p);
  return paidIntent(all);
}

/** Of an invoice's payments, the PaymentIntent of the one that paid it (the paid ones first, the default one before others). */
async function paidIntent(payments: readonly Stripe.InvoicePayment[]): Promise<string | null> {
  const rank = (p: Stripe.InvoicePayment) => (p.status === "paid" ? 0 : 2) + (p.is_default ? 0 : 1);
  for (const p of [...payments].filter((p) => p.status === "paid" || p.status === undefined).sort((a, b) => rank(a) - rank(b))) {
    if (p.payment.type === "payment_intent") {
      const id = stripeId(p.payment.payment_intent);
      if (id) return id;
    }
    if (p.payment.type === "charge") {
      const id = await chargeIntent(p.payment.charge);
      if (id) return id;
    }
  }
  return null;
}

async function dispatch(tx: Tx, event: Stripe.Event, at: Date, finish: FinishPayment[], found: Found): Promise<{ outcome: string; donationId: string | null }> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed": {
      const s = event.data.object;
      return s.mode === "subscription" ? subscriptionCheckout(tx, event.type, s) : paymentCheckout(tx, event.type, s, at, finish);
    }
    case "charge.refunded": {
      const charge = event.data.object;
      // the notice's time tells a refund that failed from one made after it (netRefundedFen)
      const fact: PaymentFact = { kind: "refunded", refundedFen: charge.amount_refunded, chargeFen: charge.amount, currency: charge.currency, at: at.getTime() };
      return intentFact(tx, event.id, stripeId(charge.payment_intent), charge.metadata, fact, at, finish);
    }
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.closed": {
      // every event of a dispute carries all of it: whichever comes first records it and tells the managers (once)
      const dispute = event.data.object;
      const notice: DisputeNotice = { id: dispute.id, amountFen: dispute.amount, reason: dispute.reason ?? null, dueBy: dispute.evidence_details?.due_by ?? null };
      const fact: PaymentFact = event.type === "charge.dispute.closed" ? { kind: "disputeClosed", won: dispute.status === "won", notice } : { kind: "disputeOpened", notice };
      const r = await intentFact(tx, event.id, found.paymentIntentId, null, fact, at, finish);
      // parked (no gift knows the PaymentIntent yet): the gift that claims it records and tells it
      if (r.donationId && r.outcome !== "parked") await recordDispute(tx, r.donationId, notice);
      return r;
    }
    case "refund.failed":
    case "refund.updated":
    case "charge.refund.updated": {
      // Stripe reports a failed refund by refund.failed, and by refund.updated and
      // charge.refund.updated with status "failed": the same fact (one refund id), applied once
      const refund = event.data.object;
      if (refund.status !== "failed") return { outcome: `ignored:refund-${refund.status ?? "unknown"}`, donationId: null };
      const fact: PaymentFact = { kind: "refundFailed", refundId: refund.id, fen: refund.amount, at: at.getTime() };
      const r = await intentFact(tx, event.id, found.paymentIntentId, refund.metadata, fact, at, finish);
      if (r.donationId && r.changed) await recordRefundFailure(tx, r.donationId, refund, at);
      return r;
    }
    case "invoice.paid":
      return invoicePaid(tx, event.data.object, at, finish, found.paymentIntentId);
    case "customer.subscription.deleted":
      return subscriptionEnded(tx, event.data.object);
    default:
      return { outcome: `ignored:${event.type}`, donationId: null };
  }
}

/** An event's outcome as stored: "held" when it held the payment for the manager, else "applied". */
const applied = (r: "changed" | "unchanged" | "held") => (r === "held" ? "held" : "applied");

/** A Checkout Session's event as a fact: what the session charged, in its currency (checked against the donation when folded: vetFact). */
function checkoutFact(type: CheckoutEvent["type"], s: Stripe.Checkout.Session): PaymentFact {
  const amountFen = Number(s.amount_total);
  const currency = s.currency ?? undefined;
  return type === "checkout.session.completed"
    ? { kind: "sessionCompleted", paid: s.payment_status === "paid" || s.payment_status === "no_payment_required", amountFen, currency }
    : type === "checkout.session.async_payment_succeeded"
      ? { kind: "paymentSucceeded", amountFen, currency }
      : { kind: "paymentFailed" };
}

/** A one-time gift's Checkout Session event, for the hot path; null for any other event. */
function checkoutPayment(event: Stripe.Event, at: Date): CheckoutPayment | null {
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded" && event.type !== "checkout.session.async_payment_failed") return null;
  const s = event.data.object;
  if (s.mode === "subscription") return null;
  return { eventId: event.id, type: event.type, sessionId: s.id, donationId: s.metadata?.donationId, paymentIntentId: stripeId(s.payment_intent), fact: checkoutFact(event.type, s), at };
}

async function paymentCheckout(tx: Tx, type: CheckoutEvent["type"], s: Stripe.Checkout.Session, at: Date, finish: FinishPayment[]) {
  const meta = s.metadata ?? {};
  const fact = checkoutFact(type, s);
  const intent = stripeId(s.payment_intent);
  // under the PaymentIntent's lock, the donation learns it and takes what was parked for it
  if (intent) await lockPaymentIntent(tx, intent);
  const claimed = await claimDonation(tx, { donationId: meta.donationId, sessionId: s.id }, intent, { mayPay: fact.kind !== "paymentFailed" && (fact.kind !== "sessionCompleted" || fact.paid) });
  if (!claimed) return { outcome: "ignored:unknown-session", donationId: null };
  const parked = await unparked(tx, claimed.donation, claimed.parked);
  const outcome = applied(await applyFacts(tx, claimed.donation, [fact, ...parked], at, finish));
  await recordParkedDisputes(tx, claimed.donation.id, parked);
  return { outcome, donationId: claimed.donation.id };
}

/** A refund or dispute: applied to the donation of its PaymentIntent, or parked until one claims it. */
async function intentFact(tx: Tx, eventId: string, intent: string | null, meta: Meta, fact: PaymentFact, at: Date, finish: FinishPayment[]) {
  if (!intent) return { outcome: "ignored:no-payment-intent", donationId: null, changed: false };
  await lockPaymentIntent(tx, intent);
  const donation = await lockDonation(tx, { paymentIntentId: intent });
  if (!donation) {
    await parkFact(tx, intent, eventId, fact);
    return { outcome: "parked", donationId: meta?.donationId ?? null, changed: false };
  }
  // a refund of a charge that agrees with the donation is recorded; one that does not is a hold (applyFacts)
  const vetted = vetFact(donation.amountFen, fact);
  // what the refunds gave back net of those that failed (a notice that arrives after its refund's failure explains nothing)
  if (vetted.kind === "refunded") await recordProviderRefund(tx, donation.id, netRefundedFen(mergeFact({ ...EMPTY_PAYMENT, ...(donation.payment ?? {}) }, vetted)));
  const r = await applyFacts(tx, donation, [fact], at, finish);
  return { outcome: applied(r), donationId: donation.id, changed: r !== "unchanged" };
}

async function subscriptionCheckout(tx: Tx, type: CheckoutEvent["type"], s: Stripe.Checkout.Session) {
  const meta = s.metadata ?? {};
  const gift = await tx.recurringGift.findFirst({
    where: meta.recurringGiftId ? { id: meta.recurringGiftId } : { checkoutSessionId: s.id },
    select: { id: true, status: true },
  });
  if (!gift) return { outcome: "ignored:unknown-session", donationId: null };
  if (type === "checkout.session.async_payment_failed") return { outcome: "ignored:subscription-payment-failed", donationId: null };
  await tx.recurringGift.update({
    where: { id: gift.id },
    data: {
      subscriptionId: stripeId(s.subscription) ?? undefined,
      customerId: stripeId(s.customer) ?? undefined,
      ...(gift.status === "PENDING" ? { status: "ACTIVE" } : {}),
    },
  });
  return { outcome: "applied", donationId: null };
}

const isMetadata = (x: unknown): x is Stripe.Metadata => !!x && typeof x === "object" && Object.values(x).every((v) => typeof v === "string");

/** An invoice's subscription and its metadata; older API versions put them at the top level of the invoice. */
function invoiceSubscription(i: Stripe.Invoice): { subscriptionId: string | null; meta: Stripe.Metadata } {
  const details = i.parent?.subscription_details;
  const legacy = legacyField(i, "subscription_details");
  const legacyMeta = legacyField(legacy, "metadata");
  return {
    subscriptionId: stripeId(details?.subscription) ?? stripeId(legacyField(i, "subscription")),
    meta: details?.metadata ?? (isMetadata(legacyMeta) ? legacyMeta : null) ?? {},
  };
}

/**
 * Each paid invoice of a monthly gift is a donation of its own, with its own receipt, for the
 * gift's amount; the invoice's amount and currency are what was received (a hold when they
 * disagree). `intent` is the PaymentIntent of its payment (lookUp), so refunds and disputes of
 * the month find it. An invoice of a subscription no gift knows yet is refused (RetryLater):
 * Stripe delivers it again once the checkout's event has named the subscription.
 */
async function invoicePaid(tx: Tx, i: Stripe.Invoice, at: Date, finish: FinishPayment[], intent: string | null) {
  if (!(i.amount_paid > 0) || !i.id) return { outcome: "ignored:zero-invoice", donationId: null };
  const { subscriptionId, meta } = invoiceSubscription(i);
  if (!subscriptionId && !meta.recurringGiftId) return { outcome: "ignored:not-a-subscription", donationId: null };
  const gift = await tx.recurringGift.findFirst({ where: meta.recurringGiftId ? { id: meta.recurringGiftId } : { subscriptionId: subscriptionId! } });
  if (!gift) throw new RetryLater(`invoice ${i.id}: no monthly gift knows subscription ${subscriptionId ?? "-"} (gift ${meta.recurringGiftId ?? "-"}) yet`);
  const invoiceId = i.id;
  if (!intent) logger.warn({ invoice: invoiceId, subscription: subscriptionId }, "paid invoice without a PaymentIntent: its refunds and disputes cannot be matched to the month's donation");
  await advisoryLock(tx, `inv:${invoiceId}`);
  if (intent) await lockPaymentIntent(tx, intent);
  let donation = await tx.donation.findUnique({ where: { invoiceId }, select: { id: true, amountFen: true, paymentIntentId: true } });
  if (!donation) {
    donation = await tx.donation.create({
      data: {
        ...newDonationIdentity(),
        foundationId: gift.foundationId,
        roundId: gift.roundId,
        projectId: gift.projectId,
        campaignId: gift.campaignId,
        recurringGiftId: gift.id,
        invitationId: gift.invitationId,
        frequency: "MONTHLY",
        amountFen: gift.amountFen,
        method: "card",
        donorName: gift.donorName,
        anonymous: gift.anonymous,
        message: gift.message,
        email: gift.email,
        userId: gift.userId,
        locale: gift.locale,
        invoiceId,
        paymentIntentId: intent,
        payment: {},
      },
      select: { id: true, amountFen: true, paymentIntentId: true },
    });
  } else if (!donation.paymentIntentId && intent) {
    await tx.donation.update({ where: { id: donation.id }, data: { paymentIntentId: intent } });
  }
  if (gift.status === "PENDING") await tx.recurringGift.update({ where: { id: gift.id }, data: { status: "ACTIVE", subscriptionId: subscriptionId ?? undefined } });
  const parked = intent ? await unparkFacts(tx, intent, donation) : [];
  const r = await applyFacts(tx, donation.id, [{ kind: "paymentSucceeded", amountFen: i.amount_paid, currency: i.currency }, ...parked], at, finish);
  await recordParkedDisputes(tx, donation.id, parked);
  return { outcome: applied(r), donationId: donation.id };
}

async function subscriptionEnded(tx: Tx, sub: Stripe.Subscription) {
  const meta = sub.metadata ?? {};
  const gift = await tx.recurringGift.findFirst({ where: meta.recurringGiftId ? { id: meta.recurringGiftId } : { subscriptionId: sub.id }, select: { id: true, status: true } });
  if (!gift) return { outcome: "ignored:unknown-subscription", donationId: null };
  if (gift.status !== "CANCELED") {
    await tx.recurringGift.update({ where: { id: gift.id }, data: { status: "CANCELED", canceledAt: new Date(), subscriptionId: sub.id } });
  }
  return { outcome: "applied", donationId: null };
}
