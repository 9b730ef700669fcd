import crypto from "node:crypto";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { paymentsMode, stripe, webhookSecret } from "~/lib/stripe.server";
import { decryptPii } from "~/lib/pii.server";
import { donatePath } from "./invitations.server";
import { keepDemoObject } from "./stripe-api.server";
import { checkoutSessionObject, chargeObject, deliveredInvoice, invoiceObject, newStripeId, stripeEvent, subscriptionObject, type StripeEventJson } from "./stripe-objects.server";

/**
 * Demo payments mode (no Stripe keys): what Stripe would send, made here, signed with the local
 * webhook secret exactly as Stripe signs (the SDK's generateTestHeaderString) and POSTed to the
 * app's own /webhooks/stripe. The webhook cannot tell the difference: no shortcut past the
 * signature check, the event log or the ledger. No money moves. What the webhook reads back
 * from the API (an invoice's payments) it reads from the local stand-in (stripe-api.server.ts),
 * which answers with the objects kept here.
 */

/** A month of a monthly gift paid: the invoice kept for the stand-in, the event carrying it as Stripe does (without its payments). */
async function deliverInvoicePaid(invoice: ReturnType<typeof invoiceObject>) {
  keepDemoObject(invoice);
  await deliverDemoEvent(stripeEvent("invoice.paid", deliveredInvoice(invoice)));
}

export type Deliver = (payload: string, signature: string) => Promise<{ status: number; body: unknown }>;

const httpDeliver: Deliver = async (payload, signature) => {
  const e = env();
  const url = e.DEMO_WEBHOOK_URL ?? `http://127.0.0.1:${e.PORT}/webhooks/stripe`;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
  return { status: response.status, body: await response.json().catch(() => null) };
};

let deliver: Deliver = httpDeliver;

/** Tests without a listening server hand events to the webhook function itself (same verification). */
export function setDemoDelivery(fn: Deliver | null) {
  deliver = fn ?? httpDeliver;
}

export function signEvent(event: StripeEventJson, secret = webhookSecret(), timestamp?: number) {
  const payload = JSON.stringify(event);
  return { payload, signature: stripe().webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

export async function deliverDemoEvent(event: StripeEventJson) {
  if (paymentsMode() !== "demo") throw new Error("demo events are only made in demo payments mode");
  const { payload, signature } = signEvent(event);
  const result = await deliver(payload, signature);
  if (result.status !== 200) {
    logger.error({ event: event.type, status: result.status }, "demo webhook delivery refused");
    throw new Error(`demo webhook delivery refused: ${result.status}`);
  }
  return result;
}

/** What the demo checkout page shows for a session, or null when it is unknown or not demo. */
export async function demoCheckout(sessionId: string) {
  if (paymentsMode() !== "demo" || !sessionId.startsWith("cs_demo_")) return null;
  const select = { amountFen: true, email: true, foundation: { select: { slug: true, nameZh: true, nameEn: true } }, invitation: { select: { codeEncrypted: true } } } as const;
  // "cancel" goes back to the donate page as Stripe's cancel_url does: with the gift's invitation, if any
  const cancelPath = (slug: string, inv: { codeEncrypted: string } | null) => donatePath(slug, inv ? decryptPii(inv.codeEncrypted) : null, { canceled: "1" });
  const donation = await db().donation.findUnique({ where: { checkoutSessionId: sessionId }, select: { ...select, method: true, token: true, status: true } });
  if (donation) {
    const { invitation, ...d } = donation;
    return { kind: "once" as const, ...d, cancelPath: cancelPath(d.foundation.slug, invitation), done: d.status !== "PENDING" };
  }
  const found = await db().recurringGift.findUnique({ where: { checkoutSessionId: sessionId }, select: { ...select, token: true, status: true } });
  if (found) {
    const { invitation, ...gift } = found;
    return { kind: "monthly" as const, ...gift, method: "card", cancelPath: cancelPath(gift.foundation.slug, invitation), done: gift.status !== "PENDING" };
  }
  return null;
}

export type DemoOutcome = "pay" | "delayed" | "fail";

/**
 * The donor pressed a button on the demo checkout page. "pay": completed and paid (cards,
 * Alipay and WeChat Pay confirm at once); "delayed": completed unpaid, then the asynchronous
 * success; "fail": completed unpaid, then the asynchronous failure. Returns where to go next.
 */
export async function completeDemoCheckout(sessionId: string, outcome: DemoOutcome): Promise<string | null> {
  const view = await demoCheckout(sessionId);
  if (!view) return null;
  if (view.kind === "monthly") {
    const gift = await db().recurringGift.findUniqueOrThrow({ where: { checkoutSessionId: sessionId }, select: { id: true, token: true, amountFen: true, email: true } });
    const subscriptionId = newStripeId("sub");
    const customerId = newStripeId("cus");
    const metadata = { recurringGiftId: gift.id };
    await deliverDemoEvent(
      stripeEvent("checkout.session.completed", checkoutSessionObject({ id: sessionId, mode: "subscription", amountFen: gift.amountFen, paymentStatus: "paid", metadata, subscriptionId, customerId, email: gift.email })),
    );
    await deliverInvoicePaid(invoiceObject({ subscriptionId, customerId, amountFen: gift.amountFen, metadata }));
    return `/giving/monthly/${gift.token}`;
  }
  const donation = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: sessionId }, select: { id: true, token: true, amountFen: true, method: true, email: true } });
  const paymentIntentId = `pi_demo_${crypto.randomBytes(12).toString("hex")}`;
  const metadata = { donationId: donation.id };
  const session = (paymentStatus: "paid" | "unpaid") =>
    checkoutSessionObject({ id: sessionId, mode: "payment", amountFen: donation.amountFen, paymentStatus, metadata, paymentIntentId, method: donation.method, email: donation.email });
  if (outcome === "pay") {
    await deliverDemoEvent(stripeEvent("checkout.session.completed", session("paid")));
  } else {
    await deliverDemoEvent(stripeEvent("checkout.session.completed", session("unpaid")));
    await deliverDemoEvent(stripeEvent(outcome === "delayed" ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed", session(outcome === "delayed" ? "paid" : "unpaid")));
  }
  return `/donations/${donation.token}`;
}

/** Demo only: the refund a manager asked for, as Stripe would report it (cumulative amount). */
export async function demoRefundEvent(paymentIntentId: string, amountFen: number, refundedTotalFen: number, donationId: string) {
  await deliverDemoEvent(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen, amountRefundedFen: refundedTotalFen, metadata: { donationId } })));
}

/** Demo only: next month's charge of a monthly gift (a labelled button on the gift's page). */
export async function demoChargeNextMonth(token: string) {
  const gift = await db().recurringGift.findUnique({ where: { token }, select: { id: true, amountFen: true, subscriptionId: true, customerId: true, status: true } });
  if (!gift || gift.status !== "ACTIVE" || !gift.subscriptionId) return false;
  await deliverInvoicePaid(invoiceObject({ subscriptionId: gift.subscriptionId, customerId: gift.customerId ?? newStripeId("cus"), amountFen: gift.amountFen, metadata: { recurringGiftId: gift.id } }));
  return true;
}

/** Demo only: the subscription's end, as Stripe reports a cancellation. */
export async function demoCancelSubscription(gift: { id: string; subscriptionId: string; customerId: string | null }) {
  await deliverDemoEvent(
    stripeEvent("customer.subscription.deleted", subscriptionObject({ id: gift.subscriptionId, customerId: gift.customerId ?? newStripeId("cus"), status: "canceled", metadata: { recurringGiftId: gift.id } })),
  );
}
