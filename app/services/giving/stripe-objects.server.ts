import crypto from "node:crypto";
import type Stripe from "stripe";
import { STRIPE_API_VERSION } from "~/lib/stripe.server";

/**
 * Stripe-format objects and events, as Stripe would send them in the pinned API version
 * (STRIPE_API_VERSION; only the fields this app reads, plus the envelope). Demo payments mode
 * makes its events with these, and the tests and the benchmark make theirs: what reaches the
 * webhook route is the same shape either way. Tests also drive the webhook with fuller objects
 * shaped like Stripe's published fixtures (tests/fixtures/stripe/).
 */

/**
 * The part of a Stripe object these builders send: the SDK's own type, every field optional at
 * every depth (Stripe sends them all; the app reads few), so a misspelt field or a wrong type
 * does not compile.
 */
type Sent<T> = T extends readonly (infer U)[] ? Sent<U>[] : T extends object ? { [K in keyof T]?: Sent<T[K]> } : T;

const rid = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;
export const newStripeId = rid;

export interface StripeEventJson {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: Record<string, unknown> };
}

export function stripeEvent(type: string, object: Record<string, unknown>, at: Date = new Date(), id = rid("evt")): StripeEventJson {
  return {
    id,
    object: "event",
    api_version: STRIPE_API_VERSION,
    created: Math.floor(at.getTime() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export function checkoutSessionObject(s: {
  id: string;
  mode: "payment" | "subscription";
  amountFen: number;
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  metadata: Record<string, string>;
  paymentIntentId?: string | null;
  subscriptionId?: string | null;
  customerId?: string | null;
  method?: string;
  email?: string;
  currency?: string;
}) {
  return {
    id: s.id,
    object: "checkout.session",
    mode: s.mode,
    status: "complete",
    currency: s.currency ?? "cny",
    amount_total: s.amountFen,
    payment_status: s.paymentStatus,
    payment_intent: s.paymentIntentId ?? null,
    subscription: s.subscriptionId ?? null,
    customer: s.customerId ?? null,
    client_reference_id: s.metadata.donationId ?? s.metadata.recurringGiftId ?? null,
    customer_details: s.email ? { email: s.email } : null,
    payment_method_types: s.method ? [s.method] : ["card"],
    metadata: s.metadata,
    livemode: false,
  } satisfies Sent<Stripe.Checkout.Session>;
}

export function chargeObject(c: { paymentIntentId: string; amountFen: number; amountRefundedFen: number; metadata?: Record<string, string>; id?: string; currency?: string }) {
  return {
    id: c.id ?? rid("ch"),
    object: "charge",
    amount: c.amountFen,
    amount_refunded: c.amountRefundedFen,
    currency: c.currency ?? "cny",
    paid: true,
    refunded: c.amountRefundedFen >= c.amountFen,
    payment_intent: c.paymentIntentId,
    metadata: c.metadata ?? {},
    livemode: false,
  } satisfies Sent<Stripe.Charge>;
}

export function disputeObject(d: { paymentIntentId: string; amountFen: number; status: "needs_response" | "won" | "lost"; id?: string; dueBy?: Date; reason?: string }) {
  return {
    id: d.id ?? rid("dp"),
    object: "dispute",
    amount: d.amountFen,
    currency: "cny",
    charge: rid("ch"),
    payment_intent: d.paymentIntentId,
    status: d.status,
    reason: d.reason ?? "fraudulent",
    // the last moment to answer with evidence; Stripe gives about three weeks
    evidence_details: { due_by: Math.floor((d.dueBy ?? new Date(Date.now() + 21 * 86_400_000)).getTime() / 1000), has_evidence: false, past_due: false, submission_count: 0 },
    livemode: false,
  } satisfies Sent<Stripe.Dispute>;
}

/** A refund as refund.failed / refund.updated / charge.refund.updated carry it. */
export function refundObject(r: { id?: string; paymentIntentId: string; amountFen: number; status: "pending" | "succeeded" | "failed" | "canceled"; failureReason?: string; metadata?: Record<string, string> }) {
  return {
    id: r.id ?? rid("re"),
    object: "refund",
    amount: r.amountFen,
    currency: "cny",
    charge: rid("ch"),
    payment_intent: r.paymentIntentId,
    status: r.status,
    reason: "requested_by_customer",
    ...(r.status === "failed" ? { failure_reason: r.failureReason ?? "expired_or_canceled_card" } : {}),
    metadata: r.metadata ?? {},
  } satisfies Sent<Stripe.Refund>;
}

/**
 * A paid invoice of a subscription, with its `payments` (one InvoicePayment by PaymentIntent):
 * the invoice as the API answers when asked to expand `payments`. A webhook event carries it
 * without them — see deliveredInvoice.
 */
export function invoiceObject(i: { id?: string; subscriptionId: string; customerId: string; amountFen: number; metadata: Record<string, string>; paymentIntentId?: string; currency?: string }) {
  const paymentIntent = i.paymentIntentId ?? rid("pi");
  const id = i.id ?? rid("in");
  const currency = i.currency ?? "cny";
  return {
    id,
    object: "invoice",
    status: "paid",
    currency,
    amount_paid: i.amountFen,
    amount_due: i.amountFen,
    customer: i.customerId,
    billing_reason: "subscription_cycle",
    parent: { type: "subscription_details", subscription_details: { subscription: i.subscriptionId, metadata: i.metadata } },
    payments: {
      object: "list",
      has_more: false,
      url: `/v1/invoices/${id}/payments`,
      data: [
        {
          id: rid("inpay"),
          object: "invoice_payment",
          amount_paid: i.amountFen,
          amount_requested: i.amountFen,
          currency,
          invoice: id,
          is_default: true,
          status: "paid",
          payment: { type: "payment_intent", payment_intent: paymentIntent },
          livemode: false,
        },
      ],
    },
    livemode: false,
  } satisfies Sent<Stripe.Invoice>;
}

/** An invoice as a webhook event carries it: `payments` is an includable field, never in a payload. */
export function deliveredInvoice<T extends { payments?: unknown }>(invoice: T): Omit<T, "payments"> {
  const { payments: _omitted, ...rest } = invoice;
  return rest;
}

export function subscriptionObject(s: { id: string; customerId: string; status: "active" | "canceled"; metadata: Record<string, string> }) {
  return { id: s.id, object: "subscription", status: s.status, customer: s.customerId, metadata: s.metadata, livemode: false } satisfies Sent<Stripe.Subscription>;
}
