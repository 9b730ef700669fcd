import crypto from "node:crypto";
import { accountCodes, transfer } from "~/domain/ledger";
import type { DonationFormInput } from "~/domain/donations";
import type { Viewer } from "~/lib/session.server";
import { ensureAccount, postTransaction } from "~/services/ledger.server";
import { startCheckout } from "~/services/giving/checkout.server";
import { setDemoDelivery, signEvent } from "~/services/giving/demo.server";
import { receiveStripeWebhook } from "~/services/giving/webhook.server";
import { checkoutSessionObject, chargeObject, stripeEvent, type StripeEventJson } from "~/services/giving/stripe-objects.server";
import { createCampaign } from "~/services/giving/manage.server";
import { db, makeAreaTree, makeUser, uid } from "./db";

/**
 * Giving (issue 7) for integration tests: a foundation with money, gifts started through the real
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
      receiptPrefix: `T${suffix.slice(0, 6).toUpperCase()}`.replace(/[^A-Z0-9]/g, "X"),
      fundraisingFilingNo: options.filing === false ? null : `5333${suffix}`,
      fundraisingEntity: options.filing === false ? null : "平湖市慈善总会",
    },
  });
  const available = accountCodes.foundationAvailable(foundation.id);
  await ensureAccount(db(), { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "可用", nameEn: "Available", foundationId: foundation.id });
  const appropriation = accountCodes.externalAppropriation(`test:${suffix}`);
  await ensureAccount(db(), { code: appropriation, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
  const amount = options.availableFen ?? 100_000_000;
  if (amount > 0) {
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `test:appropriation:${suffix}`, kind: "APPROPRIATION", memo: "test", entries: transfer(appropriation, available, amount) }),
    );
  }
  const user = await makeUser({ name: "基金管理人" });
  const grant = await db().roleGrant.create({ data: { userId: user.id, role: "FOUNDATION_MANAGER", areaId: root.id, foundationId: foundation.id } });
  const manager: Viewer = {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: "zh-CN",
    emailVerified: true,
    organizations: [],
    sessionId: "test",
    grants: [{ id: grant.id, role: "FOUNDATION_MANAGER", areaId: root.id, areaPath: root.path, areaNameZh: root.nameZh, areaNameEn: root.nameEn, areaLevel: root.level, foundationId: foundation.id }],
  };
  return { root, communities, foundation, manager };
}

/** A matching campaign of the foundation, open from an hour ago for `days` days, created by the real service. */
export async function givingCampaign(
  f: { foundation: { slug: string }; manager: Viewer },
  options: { poolYuan?: string; ratio?: [number, number]; capYuan?: string; sponsorKind?: "GOVERNMENT" | "COMPANY"; days?: number } = {},
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
  });
  if (!result.ok) throw new Error(`campaign not created: ${result.error}`);
  return db().matchingCampaign.findUniqueOrThrow({ where: { slug } });
}

/** Starts a gift through the real checkout service; returns the PENDING donation and its demo session id. */
export async function startGift(foundationSlug: string, input: Partial<DonationFormInput> & { amount: string }, viewer: Viewer | null = null) {
  const result = await startCheckout(
    viewer,
    foundationSlug,
    { frequency: "ONCE", method: "wechat_pay", email: `donor-${uid()}@example.com`, donorName: "王芳", consent: "on", ...input } as DonationFormInput,
    "zh-CN",
  );
  if (!result.ok) throw new Error(`checkout refused: ${result.error}`);
  const sessionId = result.redirectTo.split("/").pop()!;
  const donation = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
  return { donation, sessionId };
}

/** The events Stripe sends for a paid one-time gift (and the PaymentIntent id it used). */
export function paidEvents(d: { id: string; amountFen: number; checkoutSessionId: string | null }, options: { async?: boolean; fail?: boolean; paymentIntentId?: string } = {}) {
  const paymentIntentId = options.paymentIntentId ?? `pi_test_${crypto.randomBytes(10).toString("hex")}`;
  const session = (paymentStatus: "paid" | "unpaid") =>
    checkoutSessionObject({ id: d.checkoutSessionId!, mode: "payment", amountFen: d.amountFen, paymentStatus, metadata: { donationId: d.id }, paymentIntentId });
  const events: StripeEventJson[] = [];
  if (!options.async && !options.fail) events.push(stripeEvent("checkout.session.completed", session("paid")));
  else {
    events.push(stripeEvent("checkout.session.completed", session("unpaid")));
    events.push(stripeEvent(options.fail ? "checkout.session.async_payment_failed" : "checkout.session.async_payment_succeeded", session(options.fail ? "unpaid" : "paid")));
  }
  return { events, paymentIntentId };
}

/** A charge.refunded event with the charge's cumulative refunded amount (no donation metadata, as from Stripe's dashboard). */
export const refundEvent = (paymentIntentId: string, amountFen: number, refundedTotalFen: number) =>
  stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen, amountRefundedFen: refundedTotalFen }));

/** Signs with the webhook secret and hands the event to the webhook function, as the route does. */
export async function deliver(event: StripeEventJson) {
  const { payload, signature } = signEvent(event);
  return receiveStripeWebhook(payload, signature);
}

/** Starts and pays a gift; returns the donation as stored afterwards. */
export async function paidGift(foundationSlug: string, input: Partial<DonationFormInput> & { amount: string }, viewer: Viewer | null = null) {
  const { donation } = await startGift(foundationSlug, input, viewer);
  const { events, paymentIntentId } = paidEvents(donation);
  for (const e of events) await deliver(e);
  return { donation: await db().donation.findUniqueOrThrow({ where: { id: donation.id } }), paymentIntentId };
}
