import crypto from "node:crypto";
import { accountCodes, transfer } from "~/domain/ledger";
import type { DonationFormInput } from "~/domain/donations";
import type { Viewer } from "~/lib/session.server";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { startCheckout } from "~/services/giving/checkout.server";
import { STRIPE_CLEARING } from "~/services/giving/fulfil.server";
import { setDemoDelivery, signEvent } from "~/services/giving/demo.server";
import { receiveStripeWebhook } from "~/services/giving/webhook.server";
import { keepDemoObject } from "~/services/giving/stripe-api.server";
import {
  checkoutSessionObject,
  chargeObject,
  deliveredInvoice,
  disputeObject,
  invoiceObject,
  newStripeId,
  stripeEvent,
  subscriptionObject,
  type StripeEventJson,
} from "~/services/giving/stripe-objects.server";
import { createCampaign } from "~/services/giving/manage.server";
import { issueInvitation } from "~/services/giving/invitations.server";
import { db, makeAreaTree, makeUser, receiptPrefix, uid } from "./db";

/**
 * Giving for integration tests: a foundation with money, gifts started through the real
 * checkout service (demo payments mode: no Stripe keys in tests), and Stripe-format events signed
 * with the real SDK and handed to the real webhook function.
 */

/** Demo-mode deliveries (refunds, demo checkout) go to the webhook function in-process, still signed and verified. */
export function deliverInProcess() {
  setDemoDelivery(async (payload, signature) => receiveStripeWebhook(payload, signature));
}

/** A subdistrict, a foundation (receipt prefix T<random>) with ¥1,000,000 available, and its manager as a Viewer. */
export async function givingFoundation(options: { filing?: boolean; availableFen?: number } = {}) {
  const { root, communities } = await makeAreaTree(2);
  const suffix = uid();
  const foundation = await db().foundation.create({
    data: {
      slug: `fund-${suffix}`,
      nameZh: `测试社区基金${suffix}`,
      nameEn: `Test fund ${suffix}`,
      descriptionZh: "测试",
      descriptionEn: "Test",
      areaId: root.id,
      receiptPrefix: receiptPrefix("T"),
      fundraisingFilingNo: options.filing === false ? null : `5333${suffix}`,
      fundraisingEntity: options.filing === false ? null : "平湖市慈善总会",
    },
  });
  const available = accountCodes.foundationAvailable(foundation.id);
  await ensureAccount(db(), { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "可用", nameEn: "Available", foundationId: foundation.id });
  // the provider's clearing account, which checkout creates on first use: made here, so tests that
  // start many gifts at once on a fresh database do not race to create it (ensureAccount's upsert
  // is not atomic: two first gifts at the same instant, one fails on the unique code)
  await ensureAccount(db(), { code: STRIPE_CLEARING, kind: "EXTERNAL_CLEARING", nameZh: "Stripe 清算", nameEn: "Stripe clearing" });
  const appropriation = accountCodes.externalAppropriation(`test:${suffix}`);
  await ensureAccount(db(), { code: appropriation, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
  const amount = options.availableFen ?? 100_000_000;
  if (amount > 0) {
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `test:appropriation:${suffix}`, kind: "APPROPRIATION", memo: "test", entries: transfer(appropriation, available, amount) }),
    );
  }
  const manager = await foundationManager(foundation, root);
  return { root, communities, foundation, manager };
}

type AreaForGrant = { id: string; path: string; nameZh: string; nameEn: string; level: string };

/** A new account that manages `foundation` (a FOUNDATION_MANAGER grant on `area`), as a Viewer. */
export async function foundationManager(foundation: { id: string }, area: AreaForGrant): Promise<Viewer> {
  const user = await makeUser({ name: "基金管理人" });
  const grant = await db().roleGrant.create({ data: { userId: user.id, role: "FOUNDATION_MANAGER", areaId: area.id, foundationId: foundation.id } });
  return {
    ...(await plainViewer(user)),
    grants: [{ id: grant.id, role: "FOUNDATION_MANAGER", areaId: area.id, areaPath: area.path, areaNameZh: area.nameZh, areaNameEn: area.nameEn, areaLevel: area.level, foundationId: foundation.id }],
  };
}

/** A signed-in account with no role at all, as a Viewer (a new account unless one is given). */
export async function plainViewer(user?: { id: string; email: string; name: string }): Promise<Viewer> {
  const u = user ?? (await makeUser({ name: "捐赠人" }));
  return { id: u.id, email: u.email, name: u.name, locale: "zh-CN", emailVerified: true, largeText: null, organizations: [], sessionId: "test", grants: [] };
}

/** A matching campaign of the foundation, open from an hour ago for `days` days, created by the real service. */
export async function givingCampaign(
  f: { foundation: { slug: string }; manager: Viewer },
  options: { poolYuan?: string; ratio?: [number, number]; capYuan?: string; sponsorKind?: "GOVERNMENT" | "COMPANY"; days?: number; eligibleProjects?: string[] } = {},
) {
  const slug = `c-${uid()}`;
  const fmt = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  const now = Date.now();
  const result = await createCampaign(f.manager, f.foundation.slug, {
    slug,
    titleZh: "配捐测试",
    titleEn: "Matching test",
    sponsorName: "平湖市民政局",
    sponsorKind: options.sponsorKind ?? "GOVERNMENT",
    ratioSponsor: String(options.ratio?.[0] ?? 1),
    ratioDonor: String(options.ratio?.[1] ?? 1),
    perDonationCap: options.capYuan ?? "",
    pool: options.poolYuan ?? "10000",
    startsAt: fmt(new Date(now - 3600_000)),
    endsAt: fmt(new Date(now + (options.days ?? 30) * 86_400_000)),
    eligibleProjects: options.eligibleProjects?.join(" ") ?? "",
  });
  if (!result.ok) throw new Error(`campaign not created: ${JSON.stringify(result.problem)}`);
  return db().matchingCampaign.findUniqueOrThrow({ where: { slug } });
}

/** A directed-fundraising invitation of a fund without a filing, issued by its manager through the real service; returns its id and code. */
export async function givingInvitation(
  f: { foundation: { slug: string }; manager: Viewer },
  input: { audienceZh?: string; audienceEn?: string; expiresOn?: string; maxUses?: number } = {},
) {
  const r = await issueInvitation(f.manager, f.foundation.slug, { audienceZh: "东湖社区常住居民", audienceEn: "Residents of Donghu community", ...input });
  if (!r.ok) throw new Error(`invitation not issued: ${JSON.stringify(r.problem)}`);
  return r;
}

/** Where the test's donation form was sent from, as consents record it. */
export const TEST_ORIGIN = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (test browser)" };

/** Starts a gift through the real checkout service (with an invitation's code for a fund without a filing); returns the PENDING donation and its demo session id. */
export async function startGift(foundationSlug: string, input: Partial<DonationFormInput> & { amount: string }, viewer: Viewer | null = null, code: string | null = null) {
  const result = await startCheckout(
    viewer,
    foundationSlug,
    { frequency: "ONCE", method: "wechat_pay", email: `donor-${uid()}@example.com`, donorName: "王芳", consent: "on", ...input } as DonationFormInput,
    "zh-CN",
    TEST_ORIGIN,
    code,
  );
  if (!result.ok) throw new Error(`checkout refused: ${JSON.stringify(result.problem)}`);
  const sessionId = result.redirectTo.split("/").pop()!;
  const donation = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
  return { donation, sessionId };
}

/**
 * The events Stripe sends for a paid one-time gift (and the PaymentIntent id it used). `at` is
 * when Stripe says they happened (the events' `created`; default now): the matching window is
 * judged by it.
 */
export function paidEvents(
  d: { id: string; amountFen: number; checkoutSessionId: string | null },
  options: { async?: boolean; fail?: boolean; paymentIntentId?: string; at?: Date } = {},
) {
  const paymentIntentId = options.paymentIntentId ?? `pi_test_${crypto.randomBytes(10).toString("hex")}`;
  const session = (paymentStatus: "paid" | "unpaid") =>
    checkoutSessionObject({ id: d.checkoutSessionId!, mode: "payment", amountFen: d.amountFen, paymentStatus, metadata: { donationId: d.id }, paymentIntentId });
  const events: StripeEventJson[] = [];
  if (!options.async && !options.fail) events.push(stripeEvent("checkout.session.completed", session("paid"), options.at));
  else {
    events.push(stripeEvent("checkout.session.completed", session("unpaid"), options.at));
    events.push(
      stripeEvent(options.fail ? "checkout.session.async_payment_failed" : "checkout.session.async_payment_succeeded", session(options.fail ? "unpaid" : "paid"), options.at),
    );
  }
  return { events, paymentIntentId };
}

/** A charge.refunded event with the charge's cumulative refunded amount (no donation metadata, as from Stripe's dashboard). */
export const refundEvent = (paymentIntentId: string, amountFen: number, refundedTotalFen: number) =>
  stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen, amountRefundedFen: refundedTotalFen }));

/** charge.dispute.created (status needs_response) or charge.dispute.closed (won / lost) for a PaymentIntent. */
export const disputeEvent = (paymentIntentId: string, amountFen: number, status: "needs_response" | "won" | "lost") =>
  stripeEvent(status === "needs_response" ? "charge.dispute.created" : "charge.dispute.closed", disputeObject({ paymentIntentId, amountFen, status }));

/** Starts a monthly gift (card) through the real checkout service; returns the PENDING RecurringGift and its demo session id. */
export async function startMonthly(foundationSlug: string, input: Partial<DonationFormInput> & { amount: string }, viewer: Viewer | null = null, code: string | null = null) {
  const result = await startCheckout(
    viewer,
    foundationSlug,
    { method: "card", email: `donor-${uid()}@example.com`, donorName: "李雷", consent: "on", ...input, frequency: "MONTHLY" } as DonationFormInput,
    "zh-CN",
    TEST_ORIGIN,
    code,
  );
  if (!result.ok) throw new Error(`checkout refused: ${JSON.stringify(result.problem)}`);
  const sessionId = result.redirectTo.split("/").pop()!;
  const gift = await db().recurringGift.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
  return { gift, sessionId };
}

/**
 * The events of a monthly gift's subscription: its Checkout Session completing, each month's
 * paid invoice (a fresh invoice and PaymentIntent each time), and its cancellation. An invoice
 * is kept by the demo stand-in of the Stripe API with its payments and delivered without them,
 * as Stripe delivers it: the webhook fetches them through the SDK.
 */
export function subscriptionEvents(gift: { id: string; amountFen: number; checkoutSessionId: string | null }) {
  const subscriptionId = newStripeId("sub");
  const customerId = newStripeId("cus");
  const metadata = { recurringGiftId: gift.id };
  return {
    subscriptionId,
    customerId,
    completed: () =>
      stripeEvent(
        "checkout.session.completed",
        checkoutSessionObject({ id: gift.checkoutSessionId!, mode: "subscription", amountFen: gift.amountFen, paymentStatus: "paid", metadata, subscriptionId, customerId }),
      ),
    invoicePaid: (at?: Date) => {
      const paymentIntentId = newStripeId("pi");
      const invoice = invoiceObject({ subscriptionId, customerId, amountFen: gift.amountFen, metadata, paymentIntentId });
      keepDemoObject(invoice);
      return { event: stripeEvent("invoice.paid", deliveredInvoice(invoice), at), invoiceId: invoice.id, paymentIntentId };
    },
    deleted: () => stripeEvent("customer.subscription.deleted", subscriptionObject({ id: subscriptionId, customerId, status: "canceled", metadata })),
  };
}

/** A deterministic PRNG (mulberry32): a failing shuffle is replayed from its printed seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a seeded PRNG; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** The queued graphile-worker jobs with these keys (e.g. `receipt:<donationId>`): key, task and revision (0 = added once). */
export async function queuedJobs(keys: readonly string[]) {
  return db().$queryRaw<{ key: string; task: string; revision: number; payload: Record<string, unknown> }[]>`
    SELECT j.key, t.identifier AS task, j.revision, j.payload
      FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE j.key = ANY(${[...keys]}::text[])`;
}

/** Signs with the webhook secret and hands the event to the webhook function, as the route does. */
export async function deliver(event: StripeEventJson) {
  const { payload, signature } = signEvent(event);
  return receiveStripeWebhook(payload, signature);
}

/** Starts and pays a gift; returns the donation as stored afterwards. */
export async function paidGift(foundationSlug: string, input: Partial<DonationFormInput> & { amount: string }, viewer: Viewer | null = null, code: string | null = null) {
  const { donation } = await startGift(foundationSlug, input, viewer, code);
  const { events, paymentIntentId } = paidEvents(donation);
  for (const e of events) await deliver(e);
  return { donation: await db().donation.findUniqueOrThrow({ where: { id: donation.id } }), paymentIntentId };
}
