import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { paymentsMode } from "~/lib/stripe.server";
import { startCheckout } from "~/services/giving/checkout.server";
import { cancelMonthly, customerPortalUrl, requestRefund } from "~/services/giving/manage.server";
import { chargeObject, checkoutSessionObject, invoiceObject, stripeEvent, subscriptionObject, type StripeEventJson } from "~/services/giving/stripe-objects.server";
import { receiveStripeWebhook } from "~/services/giving/webhook.server";
import { db, uid } from "../support/db";
import { givingFoundation, TEST_ORIGIN } from "../support/giving-fixture";

/**
 * Stripe mode: with STRIPE_SECRET_KEY the app talks to Stripe's API — here a local
 * HTTP stub at STRIPE_API_BASE that records each request and answers as Stripe would — and
 * fulfils only from events signed with STRIPE_WEBHOOK_SECRET, signed here by the real SDK.
 */

const SECRET_KEY = "sk_test_local";
const WEBHOOK_SECRET = "whsec_test_local";

interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  form: URLSearchParams;
}

/** What the stub answers: Stripe's objects, or an error for the next calls to a path. */
class StripeStub {
  requests: Recorded[] = [];
  failing = new Map<string, number>();
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      this.requests.push({ method: req.method ?? "", path, headers: req.headers, form: new URLSearchParams(body) });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_${crypto.randomBytes(6).toString("hex")}` });
        res.end(JSON.stringify(json));
      };
      const failure = [...this.failing.entries()].find(([prefix]) => path.startsWith(prefix));
      if (failure) {
        const status = failure[1];
        return send(status, { error: { type: status >= 500 ? "api_error" : "invalid_request_error", message: "stubbed failure" } });
      }
      const id = (prefix: string) => `${prefix}_${crypto.randomBytes(8).toString("hex")}`;
      if (req.method === "POST" && path === "/v1/checkout/sessions") {
        const sessionId = id("cs_test");
        return send(200, { id: sessionId, object: "checkout.session", url: `https://checkout.stripe.com/c/pay/${sessionId}` });
      }
      if (req.method === "POST" && path === "/v1/refunds") return send(200, { id: id("re"), object: "refund", status: "succeeded" });
      if (req.method === "DELETE" && path.startsWith("/v1/subscriptions/")) {
        return send(200, { id: path.split("/").pop(), object: "subscription", status: "canceled" });
      }
      if (req.method === "POST" && path === "/v1/billing_portal/sessions") {
        return send(200, { id: id("bps"), object: "billing_portal.session", url: `https://billing.stripe.com/p/session/${id("test")}` });
      }
      return send(404, { error: { type: "invalid_request_error", message: `no stub for ${req.method} ${path}` } });
    });
  });

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  /** Requests to `path` made since the last `take`. */
  take(path: string) {
    const taken = this.requests.filter((r) => r.path === path || r.path.startsWith(`${path}/`));
    this.requests = this.requests.filter((r) => !taken.includes(r));
    return taken;
  }
}

const stub = new StripeStub();
/** The real SDK signs the events, with the endpoint's secret, as Stripe does. */
const sdk = new Stripe("sk_test_unused_for_signing");

function signed(event: StripeEventJson, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  return { payload, signature: sdk.webhooks.generateTestHeaderString({ payload, secret }) };
}
async function deliverSigned(event: StripeEventJson, secret = WEBHOOK_SECRET) {
  const { payload, signature } = signed(event, secret);
  return receiveStripeWebhook(payload, signature);
}

let f: Awaited<ReturnType<typeof givingFoundation>>;

beforeAll(async () => {
  const port = await stub.start();
  process.env.STRIPE_SECRET_KEY = SECRET_KEY;
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  process.env.STRIPE_API_BASE = `http://127.0.0.1:${port}`;
  resetEnvCache();
  f = await givingFoundation();
});

afterAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.STRIPE_API_BASE;
  resetEnvCache();
  await stub.stop();
});

beforeEach(() => {
  stub.failing.clear();
  stub.requests = [];
});

const form = (input: Record<string, string>) => ({ email: `donor-${uid()}@example.com`, donorName: "张伟", consent: "on" as const, frequency: "ONCE" as const, ...input });

/** Starts a one-time gift at the stub; returns the donation (with the stub's session id) and the request Stripe got. */
async function checkout(input: Record<string, string>) {
  const result = await startCheckout(null, f.foundation.slug, form(input) as never, "zh-CN", TEST_ORIGIN);
  expect(result.ok).toBe(true);
  const [request] = stub.take("/v1/checkout/sessions");
  const donation = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: (result as { redirectTo: string }).redirectTo.split("/").pop()! } });
  return { result, request: request!, donation };
}

/** The gift paid: its session completed (events signed with the endpoint's secret). */
async function pay(donation: { id: string; amountFen: number; checkoutSessionId: string | null }) {
  const paymentIntentId = `pi_${crypto.randomBytes(8).toString("hex")}`;
  const session = checkoutSessionObject({ id: donation.checkoutSessionId!, mode: "payment", amountFen: donation.amountFen, paymentStatus: "paid", metadata: { donationId: donation.id }, paymentIntentId });
  const r = await deliverSigned(stripeEvent("checkout.session.completed", session));
  expect(r).toMatchObject({ status: 200, body: { outcome: "applied" } });
  return paymentIntentId;
}

describe("Stripe mode against a local API stub", () => {
  it("is Stripe mode: the keys are set", () => {
    expect(paymentsMode()).toBe("stripe");
  });

  it("a WeChat Pay gift: a Checkout Session in CNY, for the web client, with the donation's id", async () => {
    const { result, request, donation } = await checkout({ amount: "200", method: "wechat_pay", message: "加油" });
    expect(result).toEqual({ ok: true, redirectTo: `https://checkout.stripe.com/c/pay/${donation.checkoutSessionId}` });
    expect(donation.checkoutSessionId).toMatch(/^cs_test_/);
    expect(request.method).toBe("POST");
    expect(request.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(request.headers["idempotency-key"]).toBe(`checkout:${donation.id}`);
    const p = request.form;
    expect(p.get("mode")).toBe("payment");
    expect(p.get("allowed_payment_method_types[0]")).toBe("wechat_pay");
    expect(p.has("allowed_payment_method_types[1]")).toBe(false);
    expect(p.get("payment_method_options[wechat_pay][client]")).toBe("web");
    expect(p.get("line_items[0][price_data][currency]")).toBe("cny");
    expect(p.get("line_items[0][price_data][unit_amount]")).toBe("20000");
    expect(p.get("line_items[0][quantity]")).toBe("1");
    expect(p.get("metadata[donationId]")).toBe(donation.id);
    expect(p.get("payment_intent_data[metadata][donationId]")).toBe(donation.id);
    expect(p.get("client_reference_id")).toBe(donation.id);
    expect(p.get("customer_email")).toBe(donation.email);
    expect(p.get("success_url")).toBe(`http://localhost:3000/donations/${donation.token}?from=checkout`);
    expect(p.get("cancel_url")).toBe(`http://localhost:3000/foundations/${f.foundation.slug}/donate?canceled=1`);
    expect(p.get("locale")).toBe("zh");
    // nothing is booked before the webhook says so
    expect(donation.status).toBe("PENDING");
  });

  it("Alipay and card gifts name their method and carry no WeChat options", async () => {
    for (const method of ["alipay", "card"]) {
      const { request } = await checkout({ amount: "50", method });
      expect(request.form.get("allowed_payment_method_types[0]")).toBe(method);
      expect([...request.form.keys()].some((k) => k.startsWith("payment_method_options"))).toBe(false);
    }
  });

  it("a monthly gift: a subscription, card only, recurring every month, the gift's id on the subscription", async () => {
    const result = await startCheckout(null, f.foundation.slug, form({ amount: "30", method: "card", frequency: "MONTHLY" }) as never, "en", TEST_ORIGIN);
    expect(result.ok).toBe(true);
    const [request] = stub.take("/v1/checkout/sessions");
    const gift = await db().recurringGift.findFirstOrThrow({ where: { checkoutSessionId: (result as { redirectTo: string }).redirectTo.split("/").pop()! } });
    const p = request!.form;
    expect(request!.headers["idempotency-key"]).toBe(`checkout:recurring:${gift.id}`);
    expect(p.get("mode")).toBe("subscription");
    expect(p.get("allowed_payment_method_types[0]")).toBe("card");
    expect(p.has("allowed_payment_method_types[1]")).toBe(false);
    expect(p.get("line_items[0][price_data][currency]")).toBe("cny");
    expect(p.get("line_items[0][price_data][unit_amount]")).toBe("3000");
    expect(p.get("line_items[0][price_data][recurring][interval]")).toBe("month");
    expect(p.get("subscription_data[metadata][recurringGiftId]")).toBe(gift.id);
    expect(p.get("metadata[recurringGiftId]")).toBe(gift.id);
    expect(p.get("success_url")).toBe(`http://localhost:3000/giving/monthly/${gift.token}?from=checkout`);
    expect(p.get("locale")).toBe("en");
    // and no monthly gift by WeChat Pay: refused before Stripe is asked
    const refused = await startCheckout(null, f.foundation.slug, form({ amount: "30", method: "wechat_pay", frequency: "MONTHLY" }) as never, "zh-CN", TEST_ORIGIN);
    expect(refused).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, fieldErrors: { method: ["donation.error.monthlyCardOnly"] } }) });
    expect(stub.take("/v1/checkout/sessions")).toEqual([]);
  });

  it("an API error at checkout → donation.error.provider", async () => {
    stub.failing.set("/v1/checkout/sessions", 402);
    const result = await startCheckout(null, f.foundation.slug, form({ amount: "10", method: "card" }) as never, "zh-CN", TEST_ORIGIN);
    expect(result).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["donation.error.provider"] }) });
    stub.failing.set("/v1/checkout/sessions", 500);
    const retried = await startCheckout(null, f.foundation.slug, form({ amount: "10", method: "alipay" }) as never, "zh-CN", TEST_ORIGIN);
    expect(retried).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["donation.error.provider"] }) });
    // a server error is retried by the SDK (same idempotency key), then given up
    const attempts = stub.take("/v1/checkout/sessions");
    expect(attempts.length).toBeGreaterThan(2);
    expect(new Set(attempts.slice(1).map((a) => a.headers["idempotency-key"])).size).toBe(1);
  });

  it("fulfils only from events signed with STRIPE_WEBHOOK_SECRET", async () => {
    const { donation } = await checkout({ amount: "200", method: "wechat_pay" });
    const session = checkoutSessionObject({ id: donation.checkoutSessionId!, mode: "payment", amountFen: 20_000, paymentStatus: "paid", metadata: { donationId: donation.id }, paymentIntentId: "pi_x" });
    const event = stripeEvent("checkout.session.completed", session);
    // signed with another secret (say, a demo one): refused, nothing stored
    expect((await deliverSigned(event, "whsec_demo_other")).status).toBe(400);
    expect(await db().paymentEvent.count({ where: { id: event.id } })).toBe(0);
    expect((await deliverSigned(event)).body).toEqual({ received: true, outcome: "applied" });
    const paid = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(paid).toMatchObject({ status: "SUCCEEDED", paymentIntentId: "pi_x" });
    expect(paid.receiptNo).not.toBeNull();
  });

  it("a manager's refund asks Stripe; the ledger follows Stripe's charge.refunded", async () => {
    const { donation } = await checkout({ amount: "100", method: "card" });
    const paymentIntentId = await pay(donation);
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "40", reason: "捐赠人要求" })).toEqual({ ok: true });
    const [request] = stub.take("/v1/refunds");
    const q = await db().refundRequest.findFirstOrThrow({ where: { donationId: donation.id } });
    expect(request!.form.get("payment_intent")).toBe(paymentIntentId);
    expect(request!.form.get("amount")).toBe("4000");
    expect(request!.form.get("reason")).toBe("requested_by_customer");
    expect(request!.form.get("metadata[refundRequestId]")).toBe(q.id);
    expect(request!.headers["idempotency-key"]).toBe(`refund:${q.id}`);
    expect(q).toMatchObject({ amountFen: 4_000, origin: "MANAGER" });
    expect(q.providerRefundId).toMatch(/^re_/);
    // asked, not yet done: nothing reversed until Stripe says so
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "SUCCEEDED", refundedFen: 0 });

    await deliverSigned(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen: 10_000, amountRefundedFen: 4_000 })));
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 4_000 });
    // the manager's request explains the refund: no provider row beside it
    expect(await db().refundRequest.count({ where: { donationId: donation.id } })).toBe(1);
  });

  it("a refund Stripe refuses → refund.error.provider, the request withdrawn, nothing reversed", async () => {
    const { donation } = await checkout({ amount: "100", method: "card" });
    await pay(donation);
    stub.failing.set("/v1/refunds", 402);
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "100", reason: "捐赠人要求" })).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["refund.error.provider"] }) });
    expect(stub.take("/v1/refunds")).toHaveLength(1);
    expect(await db().refundRequest.count({ where: { donationId: donation.id } })).toBe(0);
    const actions = await db().auditLog.findMany({ where: { objectType: "Donation", objectId: donation.id }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["donation.consents", "donation.refund.requested", "donation.refund.withdrawn"]);
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "SUCCEEDED", refundedFen: 0 });
    // the amount is free again: once Stripe answers, the same refund goes through
    stub.failing.clear();
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "100", reason: "捐赠人要求" })).toEqual({ ok: true });
  });

  it("a monthly gift: invoices paid, the customer portal, cancellation at Stripe then by its event", async () => {
    const result = await startCheckout(null, f.foundation.slug, form({ amount: "25", method: "card", frequency: "MONTHLY" }) as never, "zh-CN", TEST_ORIGIN);
    const sessionId = (result as { redirectTo: string }).redirectTo.split("/").pop()!;
    const gift = await db().recurringGift.findFirstOrThrow({ where: { checkoutSessionId: sessionId } });
    const subscriptionId = `sub_${uid()}`;
    const customerId = `cus_${uid()}`;
    const metadata = { recurringGiftId: gift.id };
    await deliverSigned(stripeEvent("checkout.session.completed", checkoutSessionObject({ id: sessionId, mode: "subscription", amountFen: 2_500, paymentStatus: "paid", metadata, subscriptionId, customerId })));
    await deliverSigned(stripeEvent("invoice.paid", invoiceObject({ subscriptionId, customerId, amountFen: 2_500, metadata })));
    expect(await db().recurringGift.findUniqueOrThrow({ where: { id: gift.id } })).toMatchObject({ status: "ACTIVE", subscriptionId, customerId });
    expect(await db().donation.count({ where: { recurringGiftId: gift.id, status: "SUCCEEDED" } })).toBe(1);

    const portal = await customerPortalUrl(gift.token);
    expect(portal).toMatch(/^https:\/\/billing\.stripe\.com\//);
    const [portalRequest] = stub.take("/v1/billing_portal/sessions");
    expect(portalRequest!.form.get("customer")).toBe(customerId);
    expect(portalRequest!.form.get("return_url")).toBe(`http://localhost:3000/giving/monthly/${gift.token}`);

    expect(await cancelMonthly(gift.token)).toEqual({ ok: true });
    const [cancel] = stub.take("/v1/subscriptions");
    expect(cancel).toMatchObject({ method: "DELETE", path: `/v1/subscriptions/${subscriptionId}` });
    // ended when Stripe says so
    expect((await db().recurringGift.findUniqueOrThrow({ where: { id: gift.id } })).status).toBe("ACTIVE");
    await deliverSigned(stripeEvent("customer.subscription.deleted", subscriptionObject({ id: subscriptionId, customerId, status: "canceled", metadata })));
    expect((await db().recurringGift.findUniqueOrThrow({ where: { id: gift.id } })).status).toBe("CANCELED");

    stub.failing.set("/v1/subscriptions", 500);
    const other = await startCheckout(null, f.foundation.slug, form({ amount: "25", method: "card", frequency: "MONTHLY" }) as never, "zh-CN", TEST_ORIGIN);
    const otherGift = await db().recurringGift.findFirstOrThrow({ where: { checkoutSessionId: (other as { redirectTo: string }).redirectTo.split("/").pop()! } });
    await db().recurringGift.update({ where: { id: otherGift.id }, data: { subscriptionId: `sub_${uid()}`, status: "ACTIVE" } });
    expect(await cancelMonthly(otherGift.token)).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["monthly.error.provider"] }) });
  });
});
