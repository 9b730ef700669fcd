/**
 * Giving in the demo district: the Danghu fund takes public donations under a (demo)
 * public-fundraising filing; a community micro-fund without one raises only from defined groups
 * (定向), through two invitations its manager issued (residents; a pairing unit's staff);
 * a subdistrict matching campaign (配捐) is open; a dozen gifts have arrived — each through the
 * real path: checkout service → Stripe-format events signed with the local webhook secret → the
 * webhook function. Nothing here writes a donation or a ledger row by hand.
 */
import { db } from "../app/lib/db.server.ts";
import { viewerGrant, type Viewer } from "../app/lib/session.server.ts";
import { accountCodes, transfer } from "../app/domain/ledger.ts";
import type { DonationFormInput } from "../app/domain/donations.ts";
import { startCheckout } from "../app/services/giving/checkout.server.ts";
import { createCampaign } from "../app/services/giving/manage.server.ts";
import { issueInvitation } from "../app/services/giving/invitations.server.ts";
import { signEvent } from "../app/services/giving/demo.server.ts";
import { receiveStripeWebhook } from "../app/services/giving/webhook.server.ts";
import { chargeObject, checkoutSessionObject, invoiceObject, newStripeId, stripeEvent } from "../app/services/giving/stripe-objects.server.ts";
import { ensureAccount, postTransaction } from "../app/services/books/ledger.server.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";

export const DEMO_CAMPAIGN_SLUG = "danghu-winter-match";
export const DEMO_MICRO_FUND_SLUG = "donghu-neighbours-fund";

const DAY = 86_400_000;
/** datetime-local in Asia/Shanghai */
const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

async function deliver(event: ReturnType<typeof stripeEvent>) {
  const { payload, signature } = signEvent(event);
  const result = await receiveStripeWebhook(payload, signature);
  if (result.status !== 200) throw new Error(`demo gift refused by the webhook: ${JSON.stringify(result.body)}`);
}

const managerViewer = () => demoViewer(DEMO_ACCOUNTS.foundationManager.email);

/** A demo account as a signed-in viewer, with its grants (the seed acts through the use-cases as them). */
export async function demoViewer(email: string): Promise<Viewer> {
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  const grants = await db().roleGrant.findMany({ where: { userId: user.id, revokedAt: null }, include: { area: true } });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: "zh-CN",
    emailVerified: true,
    largeText: null,
    organizations: [],
    sessionId: "seed",
    grants: grants.map(viewerGrant),
  };
}

interface DemoGift {
  fund?: string;
  amount: string;
  name?: string;
  message?: string;
  method: "card" | "alipay" | "wechat_pay";
  daysAgo: number;
  project?: string;
  /** the signed-in demo donor gave it */
  donor?: boolean;
  /** the donor agreed to be named publicly (name and message on the wall and in open data) */
  named?: boolean;
  refundYuan?: number;
}

/** Demo gifts come from no browser: their consents are recorded without an address or user agent. */
const SEED_ORIGIN = { ip: null, userAgent: null };

const GIFTS: DemoGift[] = [
  { amount: "500", name: "陆晓燕", named: true, message: "愿社区的老人吃上热乎饭", method: "wechat_pay", daysAgo: 12 },
  { amount: "200", method: "alipay", daysAgo: 11 },
  { amount: "1000", name: "沈建华", named: true, message: "支持邻里互助", method: "card", daysAgo: 10, donor: false },
  { amount: "100", name: "褚志远", named: true, method: "wechat_pay", daysAgo: 9, donor: true },
  { amount: "50", method: "wechat_pay", daysAgo: 8 },
  { amount: "300", name: "顾美娟", named: true, message: "为松枫社区的孩子们加油", method: "alipay", daysAgo: 7, project: "JN6-0002" },
  { amount: "2000", name: "平湖某科技公司员工", named: true, method: "card", daysAgo: 6 },
  { amount: "88", method: "wechat_pay", daysAgo: 5, refundYuan: 88 },
  { amount: "600", name: "朱雪芳", method: "alipay", daysAgo: 4, refundYuan: 100 },
  { amount: "100", name: "东湖居民", method: "wechat_pay", daysAgo: 3, fund: DEMO_MICRO_FUND_SLUG },
  { amount: "20", method: "alipay", daysAgo: 2 },
];

export async function seedDemoGiving() {
  const danghu = await db().foundation.update({
    where: { slug: "danghu-community-fund" },
    data: { receiptPrefix: "DH", fundraisingFilingNo: "演示-330482-2026-0012", fundraisingEntity: "平湖市慈善总会（演示）" },
  });
  // a community micro-fund without a public-fundraising filing: directed (定向) giving only
  const micro = await db().foundation.create({
    data: {
      slug: DEMO_MICRO_FUND_SLUG,
      nameZh: "东湖社区邻里微基金",
      nameEn: "Donghu Neighbours' Micro-fund",
      descriptionZh: "东湖社区居民自筹、辖区企业结对设立的社区微基金，未取得公开募捐资格，仅在熟人范围内定向募捐。",
      descriptionEn: "A micro-fund raised by Donghu residents and a partner company. It holds no public-fundraising filing, so it only raises directed gifts among people who know it.",
      areaId: danghu.areaId,
      receiptPrefix: "DHWJ",
    },
  });
  const manager = await db().user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.foundationManager.email } });
  await db().roleGrant.create({ data: { userId: manager.id, role: "FOUNDATION_MANAGER", areaId: danghu.areaId, foundationId: micro.id } });
  const microAvailable = accountCodes.foundationAvailable(micro.id);
  await ensureAccount(db(), { code: microAvailable, kind: "FOUNDATION_AVAILABLE", nameZh: `${micro.nameZh} 可用资金`, nameEn: `${micro.nameEn} — available funds`, foundationId: micro.id });
  const pledge = accountCodes.externalSponsor(`micro:${micro.id}`);
  await ensureAccount(db(), { code: pledge, kind: "EXTERNAL_SPONSOR", nameZh: "结对企业捐赠", nameEn: "Partner company gift" });
  await db().$transaction((tx) =>
    postTransaction(tx, { idempotencyKey: `seed:micro:${micro.id}`, kind: "APPROPRIATION", memo: "结对企业首笔捐赠 / Partner company's first gift", entries: transfer(pledge, microAvailable, 3_000_000) }),
  );

  const viewer = await managerViewer();
  const now = Date.now();
  const created = await createCampaign(viewer, danghu.slug, {
    slug: DEMO_CAMPAIGN_SLUG,
    titleZh: "2026 冬季邻里配捐",
    titleEn: "Winter 2026 neighbourhood match",
    descriptionZh: "街道办事处从社区发展基金配套资金中拿出 2 万元，对每笔捐赠 1:1 配捐，单笔最多配捐 500 元，配完即止。",
    descriptionEn: "The subdistrict office matches every gift 1:1 from ¥20,000 of matching funds, up to ¥500 per gift, while the pool lasts.",
    sponsorName: "当湖街道办事处",
    sponsorKind: "GOVERNMENT",
    ratioSponsor: "1",
    ratioDonor: "1",
    perDonationCap: "500",
    pool: "20000",
    startsAt: local(new Date(now - 14 * DAY)),
    endsAt: local(new Date(now + 60 * DAY)),
  });
  if (!created.ok) throw new Error(`demo campaign: ${JSON.stringify(created.problem)}`);

  // the micro-fund asks two defined groups, each through its own code (shown on its managers' page)
  const residents = await issueInvitation(viewer, micro.slug, { audienceZh: "东湖社区常住居民", audienceEn: "Residents of Donghu community" });
  if (!residents.ok) throw new Error(`demo invitation: ${JSON.stringify(residents.problem)}`);
  const pairing = await issueInvitation(viewer, micro.slug, {
    audienceZh: "结对单位平湖某科技公司职工",
    audienceEn: "Staff of the fund's pairing unit (结对单位), a Pinghu technology company",
    expiresOn: local(new Date(now + 90 * DAY)).slice(0, 10),
    maxUses: 50,
  });
  if (!pairing.ok) throw new Error(`demo invitation: ${JSON.stringify(pairing.problem)}`);

  const donor = await db().user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.donor.email } });
  const donorViewer = { ...viewer, id: donor.id, email: donor.email, name: donor.name, grants: [] };
  const projects = new Map((await db().project.findMany({ select: { id: true, referenceNo: true } })).map((p) => [p.referenceNo, p.id]));

  for (const [i, g] of GIFTS.entries()) {
    const input = {
      amount: g.amount,
      frequency: "ONCE",
      method: g.method,
      donorName: g.name,
      publicNaming: g.named ? "on" : undefined,
      message: g.message,
      email: g.donor ? donor.email : `gift${i + 1}@donors.example`,
      projectId: g.project ? projects.get(g.project) : undefined,
      consent: "on",
    } as DonationFormInput;
    // a gift to the micro-fund comes through the residents' code, as its donate page requires
    const result = await startCheckout(g.donor ? donorViewer : null, g.fund ?? danghu.slug, input, "zh-CN", SEED_ORIGIN, g.fund === DEMO_MICRO_FUND_SLUG ? residents.code : null);
    if (!result.ok) throw new Error(`demo gift ${i + 1}: ${JSON.stringify(result.problem)}`);
    const sessionId = result.redirectTo.split("/").pop()!;
    const d = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    const paymentIntentId = newStripeId("pi");
    const at = new Date(now - g.daysAgo * DAY);
    await deliver(
      stripeEvent(
        "checkout.session.completed",
        checkoutSessionObject({ id: sessionId, mode: "payment", amountFen: d.amountFen, paymentStatus: "paid", metadata: { donationId: d.id }, paymentIntentId, method: g.method, email: d.email }),
        at,
      ),
    );
    if (g.refundYuan) {
      await db().refundRequest.create({ data: { donationId: d.id, amountFen: g.refundYuan * 100, reason: "捐赠人误操作重复付款，申请退回 / Paid twice by mistake", origin: "MANAGER", requestedById: manager.id, createdAt: new Date(at.getTime() + DAY / 2) } });
      await deliver(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen: d.amountFen, amountRefundedFen: g.refundYuan * 100 }), new Date(at.getTime() + DAY)));
    }
  }

  // a monthly gift by card: two months charged so far
  const monthly = await startCheckout(null, danghu.slug, { amount: "30", frequency: "MONTHLY", method: "card", donorName: "俞海林", email: "monthly@donors.example", consent: "on", publicNaming: "on" } as DonationFormInput, "zh-CN", SEED_ORIGIN);
  if (!monthly.ok) throw new Error(`demo monthly gift: ${JSON.stringify(monthly.problem)}`);
  const sessionId = monthly.redirectTo.split("/").pop()!;
  const gift = await db().recurringGift.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
  const subscriptionId = newStripeId("sub");
  const customerId = newStripeId("cus");
  const metadata = { recurringGiftId: gift.id };
  await deliver(stripeEvent("checkout.session.completed", checkoutSessionObject({ id: sessionId, mode: "subscription", amountFen: gift.amountFen, paymentStatus: "paid", metadata, subscriptionId, customerId }), new Date(now - 40 * DAY)));
  for (const daysAgo of [40, 10]) {
    await deliver(stripeEvent("invoice.paid", invoiceObject({ subscriptionId, customerId, amountFen: gift.amountFen, metadata }), new Date(now - daysAgo * DAY)));
  }

  // The checkouts above were started today and paid on their (earlier) demo days: each gift and
  // monthly gift is dated a few minutes before its first payment, as a donor's own would be.
  await db().$executeRaw`
    UPDATE "Donation" SET "createdAt" = "paidAt" - interval '5 minutes'
    WHERE "paidAt" IS NOT NULL AND "paidAt" < "createdAt"`;
  await db().$executeRaw`
    UPDATE "RecurringGift" g SET "createdAt" = first."paidAt" - interval '5 minutes'
    FROM (SELECT "recurringGiftId", min("paidAt") AS "paidAt" FROM "Donation" WHERE "recurringGiftId" IS NOT NULL GROUP BY "recurringGiftId") first
    WHERE first."recurringGiftId" = g.id AND first."paidAt" < g."createdAt"`;
}
