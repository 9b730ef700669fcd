import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import { stripe, STRIPE_API_VERSION } from "~/lib/stripe.server";
import DetailRoute, * as detailRoute from "~/routes/admin.foundations.$slug.donations.$ref";
import { balanceFen } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { completeDemoCheckout, demoChargeNextMonth } from "~/services/giving/demo.server";
import { keepDemoObject } from "~/services/giving/stripe-api.server";
import { db } from "../support/db";
import { deliverInProcess, givingFoundation, startGift, startMonthly } from "../support/giving-fixture";
import { renderRoute } from "../support/render-route";
import { outcome, signedInRequest } from "../support/requests";
import { postStripeEvent, stripeFixture, stripeFixtureEvent, stripeTestId, type Json } from "../support/stripe-fixtures";

/**
 * The webhook driven with objects shaped like Stripe's published fixtures for the pinned API
 * version (tests/fixtures/stripe/), signed by the SDK and POSTed to the route: invoices whose
 * payments are not in the payload, ids arriving as expanded objects, payments in another amount
 * or currency, an invoice of a subscription not known yet. What the webhook fetches it fetches
 * through the SDK from the demo stand-in of the Stripe API (no keys in tests).
 */

beforeAll(() => deliverInProcess());

const now = () => Math.floor(Date.now() / 1000);

type Foundation = Awaited<ReturnType<typeof givingFoundation>>;

/** checkout.session.completed (payment mode) for a one-time gift. */
function paymentSession(d: { id: string; checkoutSessionId: string | null }, o: { amount: number; currency?: string; paymentIntentId: string }) {
  return stripeFixtureEvent("checkout.session.completed.payment", {
    sessionId: d.checkoutSessionId,
    donationId: d.id,
    amount: o.amount,
    currency: o.currency ?? "cny",
    paymentIntentId: o.paymentIntentId,
    expiresAt: now() + 86_400,
  });
}

/** A charge (as the API answers GET /v1/charges/:id) of a PaymentIntent. */
function charge(o: { chargeId?: string; paymentIntentId: string; amount: number; refunded?: number; currency?: string }) {
  return stripeFixture("charge", {
    chargeId: o.chargeId ?? stripeTestId("ch"),
    paymentIntentId: o.paymentIntentId,
    amount: o.amount,
    amountRefunded: o.refunded ?? 0,
    refunded: (o.refunded ?? 0) >= o.amount,
    currency: o.currency ?? "cny",
    created: now(),
  });
}

const refundedEvent = (c: Json) => stripeFixtureEvent("charge.refunded", { charge: c });

function disputeEvent(kind: "created" | "closed", o: { chargeId: string; paymentIntentId: string | null; amount: number; status: string }) {
  const dispute = stripeFixture("dispute", {
    disputeId: stripeTestId("dp"),
    chargeId: o.chargeId,
    paymentIntentId: o.paymentIntentId,
    amount: o.amount,
    currency: "cny",
    status: o.status,
    created: now(),
    dueBy: now() + 7 * 86_400,
  });
  return stripeFixtureEvent(`charge.dispute.${kind}`, { dispute });
}

/** A monthly gift whose subscription checkout completed (the subscription and customer named). */
async function monthlyGift(f: Foundation, amount: string) {
  const { gift } = await startMonthly(f.foundation.slug, { amount });
  const subscriptionId = stripeTestId("sub");
  const customerId = stripeTestId("cus");
  const completed = stripeFixtureEvent("checkout.session.completed.subscription", {
    sessionId: gift.checkoutSessionId,
    recurringGiftId: gift.id,
    subscriptionId,
    customerId,
    invoiceId: stripeTestId("in"),
    amount: gift.amountFen,
    currency: "cny",
    expiresAt: now() + 86_400,
  });
  return { gift, subscriptionId, customerId, completed };
}

/**
 * A paid invoice of the subscription: kept by the Stripe API (the demo stand-in) in full, and
 * its invoice.paid event, which — as Stripe sends it — carries the invoice without `payments`.
 */
function paidInvoice(o: { subscriptionId: string; customerId: string; amount: number; currency?: string; metadata: Record<string, string> | null; kept?: boolean }) {
  const invoiceId = stripeTestId("in");
  const paymentIntentId = stripeTestId("pi");
  const invoice = stripeFixture("invoice", {
    invoiceId,
    invoicePaymentId: stripeTestId("inpay"),
    paymentIntentId,
    subscriptionId: o.subscriptionId,
    customerId: o.customerId,
    subscriptionMetadata: o.metadata,
    amount: o.amount,
    amountDecimal: String(o.amount),
    currency: o.currency ?? "cny",
    created: now(),
    periodEnd: now() + 30 * 86_400,
  });
  if (o.kept !== false) keepDemoObject(invoice);
  const { payments: _payments, ...delivered } = invoice;
  return { invoice, invoiceId, paymentIntentId, event: stripeFixtureEvent("invoice.paid", { invoice: delivered }) };
}

const donationOf = (where: { id: string } | { invoiceId: string }) => db().donation.findUniqueOrThrow({ where });
const heldAudits = (donationId: string) => db().auditLog.count({ where: { objectType: "Donation", objectId: donationId, action: "donation.payment.held" } });

async function ledgerBalances() {
  const report = await verifyLedger(db());
  expect(report.problems).toEqual([]);
}

describe("the pinned API version", () => {
  it("is the version the installed SDK is typed for, sent on every request, and the fixtures' version", () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
    expect(stripe().getApiField("version")).toBe(STRIPE_API_VERSION);
    for (const name of ["checkout.session.completed.payment", "invoice.paid", "charge.refunded", "charge.dispute.created", "charge.dispute.closed"]) {
      expect(stripeFixtureEvent(name, { sessionId: "", donationId: "", amount: 0, currency: "", paymentIntentId: "", expiresAt: 0, invoice: {}, charge: {}, dispute: {} }).api_version).toBe(STRIPE_API_VERSION);
    }
  });
});

describe("ids arriving as expanded objects", () => {
  it("a checkout whose payment_intent is an expanded PaymentIntent records it; a refund with an expanded payment_intent and a dispute with an expanded charge book", async () => {
    const f = await givingFoundation();
    const { donation } = await startGift(f.foundation.slug, { amount: "100" });
    const pi = stripeTestId("pi");
    const session = paymentSession(donation, { amount: 10_000, paymentIntentId: pi });
    session.data.object.payment_intent = { id: pi, object: "payment_intent", amount: 10_000, currency: "cny", status: "succeeded", latest_charge: stripeTestId("ch") };
    expect(await postStripeEvent(session)).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect(await donationOf({ id: donation.id })).toMatchObject({ status: "SUCCEEDED", paymentIntentId: pi });

    const c = charge({ paymentIntentId: pi, amount: 10_000, refunded: 4_000 });
    c.payment_intent = { id: pi, object: "payment_intent", amount: 10_000, currency: "cny", status: "succeeded" };
    c.customer = { id: stripeTestId("cus"), object: "customer" };
    c.balance_transaction = { id: stripeTestId("txn"), object: "balance_transaction" };
    expect(await postStripeEvent(refundedEvent(c))).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect(await donationOf({ id: donation.id })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 4_000 });

    // a dispute naming no PaymentIntent (as in Stripe's fixture) but its charge, expanded: lost, the rest of the gift reversed
    const opened = disputeEvent("created", { chargeId: c.id, paymentIntentId: null, amount: 10_000, status: "needs_response" });
    opened.data.object.charge = c;
    expect((await postStripeEvent(opened)).body.outcome).toBe("applied");
    expect((await donationOf({ id: donation.id })).status).toBe("DISPUTED");
    const lost = disputeEvent("closed", { chargeId: c.id, paymentIntentId: null, amount: 10_000, status: "lost" });
    lost.data.object.charge = c;
    expect((await postStripeEvent(lost)).body.outcome).toBe("applied");
    expect(await donationOf({ id: donation.id })).toMatchObject({ status: "DISPUTED", refundedFen: 10_000 });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000);
    await ledgerBalances();
  });
});

describe("monthly gifts as Stripe sends them: invoice.paid without its payments", () => {
  it("fetches the invoice with its payments, so the month's refund and a lost dispute find the donation and book", async () => {
    const f = await givingFoundation();
    const m = await monthlyGift(f, "30");
    expect((await postStripeEvent(m.completed)).status).toBe(200);
    const metadata = { recurringGiftId: m.gift.id };

    // month one: paid, then partly refunded from Stripe's dashboard
    const one = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 3_000, metadata });
    expect("payments" in one.event.data.object).toBe(false);
    expect(await postStripeEvent(one.event)).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    const paid = await donationOf({ invoiceId: one.invoiceId });
    expect(paid).toMatchObject({ status: "SUCCEEDED", paymentIntentId: one.paymentIntentId, amountFen: 3_000, recurringGiftId: m.gift.id });
    expect(paid.receiptNo).not.toBeNull();
    // the same event again: the fast path, nothing fetched or booked twice
    expect((await postStripeEvent(one.event)).body).toEqual({ received: true, outcome: "duplicate" });
    expect(await db().donation.count({ where: { invoiceId: one.invoiceId } })).toBe(1);

    const refund = refundedEvent(charge({ paymentIntentId: one.paymentIntentId, amount: 3_000, refunded: 1_000 }));
    expect((await postStripeEvent(refund)).body).toEqual({ received: true, outcome: "applied" });
    expect(await donationOf({ invoiceId: one.invoiceId })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 1_000 });
    expect(await db().parkedPaymentFact.count({ where: { paymentIntentId: one.paymentIntentId } })).toBe(0);

    // month two: paid, then disputed and lost — the dispute names only its charge, whose PaymentIntent is fetched
    const two = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 3_000, metadata });
    expect((await postStripeEvent(two.event)).body.outcome).toBe("applied");
    const c = charge({ paymentIntentId: two.paymentIntentId, amount: 3_000 });
    keepDemoObject(c);
    expect((await postStripeEvent(disputeEvent("created", { chargeId: c.id, paymentIntentId: null, amount: 3_000, status: "needs_response" }))).body.outcome).toBe("applied");
    expect((await donationOf({ invoiceId: two.invoiceId })).status).toBe("DISPUTED");
    expect((await postStripeEvent(disputeEvent("closed", { chargeId: c.id, paymentIntentId: two.paymentIntentId, amount: 3_000, status: "lost" }))).body.outcome).toBe("applied");
    expect(await donationOf({ invoiceId: two.invoiceId })).toMatchObject({ status: "DISPUTED", refundedFen: 3_000 });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: `donation:${(await donationOf({ invoiceId: two.invoiceId })).id}:reversed:3000` } })).toBe(1);

    // the books: two months in, ¥10 refunded, the second month taken back by the bank
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000 + 3_000 - 1_000);
    await ledgerBalances();
  });

  it("an invoice.paid for a subscription no gift knows yet is refused (409, nothing stored); once the checkout names it, the retry books the month once", async () => {
    const f = await givingFoundation();
    const m = await monthlyGift(f, "25");
    // as in Stripe's fixture: the invoice's subscription details carry no metadata, so only the subscription id links it
    const month = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 2_500, metadata: null });
    const refused = await postStripeEvent(month.event);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ received: false, error: expect.stringContaining(m.subscriptionId) });
    expect(await db().paymentEvent.count({ where: { id: month.event.id } })).toBe(0);
    expect(await db().donation.count({ where: { invoiceId: month.invoiceId } })).toBe(0);
    // Stripe retries: still unknown, still refused
    expect((await postStripeEvent(month.event)).status).toBe(409);

    expect((await postStripeEvent(m.completed)).body.outcome).toBe("applied");
    expect(await postStripeEvent(month.event)).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect(await postStripeEvent(month.event)).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });
    expect(await db().donation.findMany({ where: { invoiceId: month.invoiceId }, select: { status: true, paymentIntentId: true } })).toEqual([
      { status: "SUCCEEDED", paymentIntentId: month.paymentIntentId },
    ]);
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: `donation:${(await donationOf({ invoiceId: month.invoiceId })).id}:paid` } })).toBe(1);
    await ledgerBalances();
  });

  it("demo payments mode sends its invoices without payments too: the webhook reads them back from the local stand-in through the SDK", async () => {
    const f = await givingFoundation();
    const { gift, sessionId } = await startMonthly(f.foundation.slug, { amount: "12" });
    expect(await completeDemoCheckout(sessionId, "pay")).toBe(`/giving/monthly/${gift.token}`);
    expect(await demoChargeNextMonth(gift.token)).toBe(true);
    const months = await db().donation.findMany({ where: { recurringGiftId: gift.id }, select: { status: true, paymentIntentId: true, invoiceId: true } });
    expect(months).toHaveLength(2);
    for (const m of months) {
      expect(m.status).toBe("SUCCEEDED");
      expect(m.paymentIntentId).toMatch(/^pi_/);
      const event = await db().paymentEvent.findFirstOrThrow({ where: { objectId: m.invoiceId!, type: "invoice.paid" } });
      expect(event.outcome).toBe("applied");
    }
  });

  it("when the invoice cannot be fetched the event answers 500 and stores nothing; Stripe's retry books the month", async () => {
    const f = await givingFoundation();
    const m = await monthlyGift(f, "20");
    await postStripeEvent(m.completed);
    const month = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 2_000, metadata: { recurringGiftId: m.gift.id }, kept: false });
    expect(await postStripeEvent(month.event)).toEqual({ status: 500, body: { received: false, error: "not applied; retry later" } });
    expect(await db().paymentEvent.count({ where: { id: month.event.id } })).toBe(0);
    expect(await db().donation.count({ where: { invoiceId: month.invoiceId } })).toBe(0);
    keepDemoObject(month.invoice);
    expect((await postStripeEvent(month.event)).body.outcome).toBe("applied");
    expect(await donationOf({ invoiceId: month.invoiceId })).toMatchObject({ status: "SUCCEEDED", paymentIntentId: month.paymentIntentId });
  });
});

describe("a payment in another amount or currency than the gift's", () => {
  const cases = [
    { name: "in US dollars", amount: 10_000, currency: "usd", text: "100.00 USD" },
    { name: "in yen", amount: 10_000, currency: "jpy", text: "10,000 JPY" },
    { name: "of ¥1.00 for a ¥100 gift", amount: 100, currency: "cny", text: "1.00 CNY" },
  ];

  it.each(cases)("a checkout $name is held, not booked, recorded and audited once, and shown to the manager", async ({ amount, currency, text }) => {
    const f = await givingFoundation();
    const { donation } = await startGift(f.foundation.slug, { amount: "100" });
    const pi = stripeTestId("pi");
    const completed = paymentSession(donation, { amount, currency, paymentIntentId: pi });
    expect(await postStripeEvent(completed)).toEqual({ status: 200, body: { received: true, outcome: "held" } });
    const held = await donationOf({ id: donation.id });
    expect(held).toMatchObject({ status: "HELD", amountFen: 10_000, receivedAmount: amount, receivedCurrency: currency, paymentIntentId: pi, receiptNo: null, paidAt: null, matchedFen: 0 });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:` } } })).toBe(0);
    expect(await heldAudits(donation.id)).toBe(1);

    // redelivered, and the same payment's other notice: held once
    expect((await postStripeEvent(completed)).body.outcome).toBe("duplicate");
    const succeeded = paymentSession(donation, { amount, currency, paymentIntentId: pi });
    succeeded.type = "checkout.session.async_payment_succeeded";
    expect((await postStripeEvent(succeeded)).status).toBe(200);
    expect(await donationOf({ id: donation.id })).toMatchObject({ status: "HELD", receivedAmount: amount, receivedCurrency: currency });
    expect(await heldAudits(donation.id)).toBe(1);
    // refunded at Stripe by the manager: nothing was booked, nothing is reversed
    expect((await postStripeEvent(refundedEvent(charge({ paymentIntentId: pi, amount, currency, refunded: amount })))).status).toBe(200);
    expect(await donationOf({ id: donation.id })).toMatchObject({ status: "HELD", refundedFen: 0 });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:` } } })).toBe(0);
    expect(await db().refundRequest.count({ where: { donationId: donation.id } })).toBe(0);
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000);

    // the manager's page says so, in Chinese and in English
    const url = `/admin/foundations/${f.foundation.slug}/donations/${donation.ref}`;
    const loaded = await outcome(async () => detailRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug: f.foundation.slug, ref: donation.ref }, context: {} } as never));
    expect(loaded.status).toBe(200);
    const zh = renderRoute(DetailRoute as never, loaded.value);
    expect(zh).toContain("付款与捐赠不符");
    expect(zh).toContain("待核对");
    expect(zh).toContain(`报告的金额为 ${text}`);
    expect(zh).toContain("捐赠为 ¥100.00");
    const en = renderRoute(DetailRoute as never, loaded.value, undefined, "en");
    expect(en).toContain("A payment does not match this gift");
    expect(en).toContain(`the amount reported is ${text}`);
    await ledgerBalances();
  });

  it("a month paid for another amount is held; a month that agrees is booked", async () => {
    const f = await givingFoundation();
    const m = await monthlyGift(f, "30");
    await postStripeEvent(m.completed);
    const metadata = { recurringGiftId: m.gift.id };
    const short = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 100, metadata });
    expect(await postStripeEvent(short.event)).toEqual({ status: 200, body: { received: true, outcome: "held" } });
    const held = await donationOf({ invoiceId: short.invoiceId });
    expect(held).toMatchObject({ status: "HELD", amountFen: 3_000, receivedAmount: 100, receivedCurrency: "cny", paymentIntentId: short.paymentIntentId, receiptNo: null });
    expect(await heldAudits(held.id)).toBe(1);
    const usd = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 3_000, currency: "usd", metadata });
    expect((await postStripeEvent(usd.event)).body.outcome).toBe("held");
    expect(await donationOf({ invoiceId: usd.invoiceId })).toMatchObject({ status: "HELD", receivedAmount: 3_000, receivedCurrency: "usd" });
    const fine = paidInvoice({ subscriptionId: m.subscriptionId, customerId: m.customerId, amount: 3_000, metadata });
    expect((await postStripeEvent(fine.event)).body.outcome).toBe("applied");
    expect((await donationOf({ invoiceId: fine.invoiceId })).status).toBe("SUCCEEDED");
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000 + 3_000);
    await ledgerBalances();
  });
});
