import type Stripe from "stripe";
import type { PaymentFact } from "~/domain/payment-facts";
import { db, type Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { logger } from "~/lib/logger.server";
import { stripe, webhookSecret, WEBHOOK_TOLERANCE_SECONDS } from "~/lib/stripe.server";
import { applyFacts, claimDonation, lockDonation, lockPaymentIntent, parkFact, recordProviderRefund, unparked, unparkFacts, type FinishPayment } from "./fulfil.server";
import { newDonationIdentity } from "./identity.server";

/**
 * The Stripe webhook (POST /webhooks/stripe), the only place a payment is fulfilled: the
 * signature is checked over the raw body, each event id is stored once in the transaction that
 * applies it, and each payment is keyed by its Checkout Session / PaymentIntent / invoice id.
 * Demo payments mode posts its own signed events here too.
 */

export interface WebhookResult {
  status: number;
  body: { received: boolean; outcome?: string; error?: string };
}

type Meta = Stripe.Metadata | null | undefined;

/** The id of an expandable field (Stripe sends the id unless asked to expand it). */
const idOf = (x: string | { id: string } | null | undefined): string | null => (typeof x === "string" ? x : (x?.id ?? null));

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
  const outcome = await applyStripeEvent(event);
  return { status: 200, body: { received: true, outcome } };
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
  // most repeats arrive after the first delivery committed: one read, no transaction, no lock
  // (a row that exists is final; one not seen yet is looked for again under the lock below)
  const stored = async () => (await db().$queryRaw<{ id: string }[]>`SELECT id FROM "PaymentEvent" WHERE id = ${event.id}`).length > 0;
  if (await stored()) return "duplicate";
  try {
    return await db().$transaction(
      async (tx) => {
        const finish: FinishPayment[] = [];
        const { outcome, donationId } = await dispatch(tx, event, at, finish);
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

async function dispatch(tx: Tx, event: Stripe.Event, at: Date, finish: FinishPayment[]): Promise<{ outcome: string; donationId: string | null }> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed": {
      const s = event.data.object;
      return s.mode === "subscription" ? subscriptionCheckout(tx, event.type, s) : paymentCheckout(tx, event.type, s, at, finish);
    }
    case "charge.refunded": {
      const charge = event.data.object;
      return intentFact(tx, event.id, idOf(charge.payment_intent), charge.metadata, { kind: "refunded", refundedFen: charge.amount_refunded }, at, finish);
    }
    case "charge.dispute.created":
      return intentFact(tx, event.id, idOf(event.data.object.payment_intent), null, { kind: "disputeOpened" }, at, finish);
    case "charge.dispute.closed":
      return intentFact(tx, event.id, idOf(event.data.object.payment_intent), null, { kind: "disputeClosed", won: event.data.object.status === "won" }, at, finish);
    case "invoice.paid":
      return invoicePaid(tx, event.data.object, at, finish);
    case "customer.subscription.deleted":
      return subscriptionEnded(tx, event.data.object);
    default:
      return { outcome: `ignored:${event.type}`, donationId: null };
  }
}

async function paymentCheckout(tx: Tx, type: CheckoutEvent["type"], s: Stripe.Checkout.Session, at: Date, finish: FinishPayment[]) {
  const meta = s.metadata ?? {};
  const amountFen = Number(s.amount_total);
  const fact: PaymentFact =
    type === "checkout.session.completed"
      ? { kind: "sessionCompleted", paid: s.payment_status === "paid" || s.payment_status === "no_payment_required", amountFen }
      : type === "checkout.session.async_payment_succeeded"
        ? { kind: "paymentSucceeded", amountFen }
        : { kind: "paymentFailed" };
  const intent = idOf(s.payment_intent);
  // under the PaymentIntent's lock, the donation learns it and takes what was parked for it
  if (intent) await lockPaymentIntent(tx, intent);
  const claimed = await claimDonation(tx, { donationId: meta.donationId, sessionId: s.id }, intent, { mayPay: fact.kind !== "paymentFailed" && (fact.kind !== "sessionCompleted" || fact.paid) });
  if (!claimed) return { outcome: "ignored:unknown-session", donationId: null };
  const parked = await unparked(tx, claimed.donation.id, claimed.parked);
  await applyFacts(tx, claimed.donation, [fact, ...parked], at, finish);
  return { outcome: "applied", donationId: claimed.donation.id };
}

/** A refund or dispute: applied to the donation of its PaymentIntent, or parked until one claims it. */
async function intentFact(tx: Tx, eventId: string, intent: string | null, meta: Meta, fact: PaymentFact, at: Date, finish: FinishPayment[]) {
  if (!intent) return { outcome: "ignored:no-payment-intent", donationId: null };
  await lockPaymentIntent(tx, intent);
  const donation = await lockDonation(tx, { paymentIntentId: intent });
  if (!donation) {
    await parkFact(tx, intent, eventId, fact);
    return { outcome: "parked", donationId: meta?.donationId ?? null };
  }
  if (fact.kind === "refunded") await recordProviderRefund(tx, donation.id, fact.refundedFen);
  await applyFacts(tx, donation, [fact], at, finish);
  return { outcome: "applied", donationId: donation.id };
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
      subscriptionId: idOf(s.subscription) ?? undefined,
      customerId: idOf(s.customer) ?? undefined,
      ...(gift.status === "PENDING" ? { status: "ACTIVE" } : {}),
    },
  });
  return { outcome: "applied", donationId: null };
}

const isMetadata = (x: unknown): x is Stripe.Metadata => !!x && typeof x === "object" && Object.values(x).every((v) => typeof v === "string");

/** An invoice's subscription and its metadata; older API versions put them at the top level of the invoice. */
function invoiceSubscription(i: Stripe.Invoice): { subscriptionId: string | null; meta: Stripe.Metadata } {
  const details = i.parent?.subscription_details;
  const legacyId = "subscription" in i && typeof i.subscription === "string" ? i.subscription : null;
  const legacy = "subscription_details" in i ? i.subscription_details : null;
  const legacyMeta = legacy && typeof legacy === "object" && "metadata" in legacy && isMetadata(legacy.metadata) ? legacy.metadata : null;
  return { subscriptionId: idOf(details?.subscription) ?? legacyId, meta: details?.metadata ?? legacyMeta ?? {} };
}

/** The PaymentIntent of an invoice's first payment (older API versions: the invoice's own payment_intent). */
function invoiceIntent(i: Stripe.Invoice): string | null {
  const legacy = "payment_intent" in i && typeof i.payment_intent === "string" ? i.payment_intent : null;
  return idOf(i.payments?.data[0]?.payment.payment_intent) ?? legacy;
}

/** Each paid invoice of a monthly gift is a donation of its own, with its own receipt. */
async function invoicePaid(tx: Tx, i: Stripe.Invoice, at: Date, finish: FinishPayment[]) {
  const { subscriptionId, meta } = invoiceSubscription(i);
  const gift = await tx.recurringGift.findFirst({
    where: meta.recurringGiftId ? { id: meta.recurringGiftId } : subscriptionId ? { subscriptionId } : { id: "-" },
  });
  if (!gift) return { outcome: "ignored:unknown-subscription", donationId: null };
  const amountFen = i.amount_paid;
  if (!(amountFen > 0) || !i.id) return { outcome: "ignored:zero-invoice", donationId: null };
  const invoiceId = i.id;
  const intent = invoiceIntent(i);
  await advisoryLock(tx, `inv:${invoiceId}`);
  if (intent) await lockPaymentIntent(tx, intent);
  let donation = await tx.donation.findUnique({ where: { invoiceId }, select: { id: true } });
  if (!donation) {
    donation = await tx.donation.create({
      data: {
        ...newDonationIdentity(),
        foundationId: gift.foundationId,
        roundId: gift.roundId,
        projectId: gift.projectId,
        campaignId: gift.campaignId,
        recurringGiftId: gift.id,
        frequency: "MONTHLY",
        amountFen,
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
      select: { id: true },
    });
  }
  if (gift.status === "PENDING") await tx.recurringGift.update({ where: { id: gift.id }, data: { status: "ACTIVE", subscriptionId: subscriptionId ?? undefined } });
  const parked = intent ? await unparkFacts(tx, intent, donation.id) : [];
  await applyFacts(tx, donation.id, [{ kind: "paymentSucceeded", amountFen }, ...parked], at, finish);
  return { outcome: "applied", donationId: donation.id };
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
