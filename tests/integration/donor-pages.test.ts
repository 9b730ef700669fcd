import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DonationFormInput } from "~/domain/donations";
import { resetEnvCache } from "~/lib/env.server";
import type { Viewer } from "~/lib/session.server";
import { startCheckout } from "~/services/giving/checkout.server";
import { completeDemoCheckout } from "~/services/giving/demo.server";
import { donatePage, donationByToken, maskEmail, monthlyPage, myDonations, receiptByToken } from "~/services/giving/donor-pages.server";
import * as demoCheckoutRoute from "~/routes/checkout.demo.$sessionId";
import * as donateRoute from "~/routes/foundations.$slug.donate";
import * as donationRoute from "~/routes/donations.$token";
import * as receiptRoute from "~/routes/donations.$token.receipt";
import * as monthlyRoute from "~/routes/giving.monthly.$token";
import * as mineRoute from "~/routes/me.donations";
import { db, makeUser, uid } from "../support/db";
import { checkoutSessionObject, invoiceObject, stripeEvent } from "~/services/giving/stripe-objects.server";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, givingInvitation, paidGift, startGift, TEST_ORIGIN } from "../support/giving-fixture";
import { fundedProject } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { form, outcome, signedInRequest } from "../support/requests";
import { numberedPagerIn } from "../support/keyset";

beforeAll(() => deliverInProcess());

const args = (request: Request, params: Record<string, string>) => ({ request, params, context: {} }) as never;
const get = (path: string) => new Request(new URL(path, "http://localhost:3000"));
const post = (path: string, fields: Record<string, string>) => new Request(new URL(path, "http://localhost:3000"), form(fields));

/** Status, Location and data of what a loader/action returned or threw (`data(value, { status })` included). */
async function run(fn: () => Promise<unknown>) {
  const r = await outcome(fn);
  const returned = r.value as { init?: { status?: number } | null; data?: unknown } | undefined;
  return { status: returned?.init?.status ?? r.status, location: r.location, data: returned && "data" in returned ? returned.data : r.value };
}

/** A signed-up donor as the services see the session's viewer. */
async function donor(): Promise<Viewer> {
  const user = await makeUser({ name: "王芳" });
  return { id: user.id, email: user.email, name: user.name, locale: "zh-CN", emailVerified: true, largeText: null, grants: [], organizations: [], sessionId: "test" };
}

describe("donate page", () => {
  it("names the earmark it was linked with, and explains a bad one instead of failing", async () => {
    const f = await fundedProject();
    const project = await donatePage(f.foundation.slug, { project: f.project.id }, null);
    expect(project?.earmark).toMatchObject({ kind: "project", referenceNo: f.project.referenceNo, title: f.project.title });
    expect(project?.carry.projectId).toBe(f.project.id);
    expect(project?.earmarkError).toBeNull();
    const round = await donatePage(f.foundation.slug, { round: f.round.id }, null);
    expect(round?.earmark).toMatchObject({ kind: "round", code: f.round.code, title: f.round.title });

    const unknownProject = await donatePage(f.foundation.slug, { project: "no-such-project" }, null);
    expect(unknownProject?.earmarkError).toBe("donor.earmark.unknownProject");
    expect(unknownProject?.earmark).toBeNull();
    expect(unknownProject?.carry).toMatchObject({ projectId: "", roundId: "" });
    // a round of another foundation is refused like an unknown one
    const other = await givingFoundation();
    const foreign = await donatePage(other.foundation.slug, { round: f.round.id }, null);
    expect(foreign?.earmarkError).toBe("donor.earmark.unknownRound");

    const loaded = await donateRoute.loader(args(get(`/foundations/${f.foundation.slug}/donate?project=nope&canceled=1`), { slug: f.foundation.slug }));
    expect(loaded.earmarkError).toBe("donor.earmark.unknownProject");
    expect(loaded.canceled).toBe(true);
    const html = renderRoute(donateRoute.default as ComponentType<never>, loaded);
    expect(html).toContain("找不到链接中的项目");
    expect(html).toContain("支付已取消，未产生任何扣款");
    expect(html).not.toContain('name="projectId"');

    expect((await run(() => donateRoute.loader(args(get("/foundations/no-such-fund/donate"), { slug: "no-such-fund" })))).status).toBe(404);
  });

  it("shows the open matching campaign with what is left in its pool, the filing, and the demo banner; prefills the viewer's email", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "150" });
    const viewer = await donor();
    const page = (await donatePage(f.foundation.slug, {}, viewer))!;
    expect(page.campaign).toMatchObject({ id: campaign.id, sponsorName: "平湖市民政局", remainingFen: 15_000, ratioSponsor: 1, ratioDonor: 1 });
    expect(page.fundraising).toEqual({ kind: "public", filingNo: f.foundation.fundraisingFilingNo, entity: "平湖市慈善总会" });
    expect(page.demo).toBe(true);
    expect(page.viewerEmail).toBe(viewer.email);
    const html = renderRoute(donateRoute.default as ComponentType<never>, { ...page, canceled: false });
    expect(html).toContain("您的捐赠将由平湖市民政局按 1:1 配捐，直至配捐资金用完（尚余 ¥150.00）");
    expect(html).toContain(f.foundation.fundraisingFilingNo!);
    expect(html).toContain("演示支付模式：不会产生真实扣款");
    expect(html).toContain(`value="${viewer.email}"`);

    const bad = (await donatePage(f.foundation.slug, { campaign: "not-a-campaign" }, null))!;
    expect(bad.campaignError).toBe(true);
    expect(bad.carry.campaignId).toBe("");
    expect(bad.campaign?.id).toBe(campaign.id);

    const directed = await givingFoundation({ filing: false });
    const d = (await donatePage(directed.foundation.slug, {}, null))!;
    expect(d.fundraising).toEqual({ kind: "directed" });
    expect(d.campaign).toBeNull();
    expect(renderRoute(donateRoute.default as ComponentType<never>, { ...d, canceled: false })).toContain("定向募捐");
  });

  it("renders the three methods, the Stripe-outside-mainland notice and the monthly card-only rule in Chinese and English", async () => {
    const f = await givingFoundation();
    const loaded = await donateRoute.loader(args(get(`/foundations/${f.foundation.slug}/donate`), { slug: f.foundation.slug }));
    const zh = renderRoute(donateRoute.default as ComponentType<never>, loaded, undefined, "zh-CN");
    for (const label of ["银行卡", "支付宝", "微信支付"]) expect(zh).toMatch(new RegExp(`<label for="donate-method-[a-z]+"[^>]*>${label}</label>`));
    expect(zh).toContain("由 Stripe 在中国大陆境外处理");
    expect(zh).toContain("个人信息保护法");
    expect(zh).toContain("每月捐赠仅支持银行卡");
    expect(zh).toContain('name="consent"');
    const en = renderRoute(donateRoute.default as ComponentType<never>, loaded, undefined, "en");
    for (const label of ["Card", "Alipay", "WeChat Pay"]) expect(en).toMatch(new RegExp(`<label for="donate-method-[a-z]+"[^>]*>${label}</label>`));
    expect(en).toContain("processed by Stripe outside mainland China");
    expect(en).toContain("PIPL");
    expect(en).toContain("Monthly giving is by card only");
    expect(en).toContain("Demo payments mode: no real money moves");
  });

  it("sends a valid gift to checkout, and keeps what was typed when the server refuses (monthly by WeChat Pay, too small)", async () => {
    const f = await givingFoundation();
    const path = `/foundations/${f.foundation.slug}/donate`;
    const typed = { amount: "200", frequency: "ONCE", method: "wechat_pay", donorName: "李雷", email: `li-${uid()}@example.com`, message: "加油", consent: "on" };
    const ok = await run(() => donateRoute.action(args(post(path, typed), { slug: f.foundation.slug })));
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(/^\/checkout\/demo\/cs_demo_[0-9a-f]+$/);
    const started = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: ok.location!.split("/").pop()! } });
    expect(started).toMatchObject({ amountFen: 20_000, method: "wechat_pay", status: "PENDING", donorName: "李雷" });

    const monthlyWechat = await run(() => donateRoute.action(args(post(path, { ...typed, frequency: "MONTHLY" }), { slug: f.foundation.slug })));
    expect(monthlyWechat.status).toBe(400);
    const before = await db().recurringGift.count({ where: { foundationId: f.foundation.id } });
    expect(before).toBe(0);
    const refused = monthlyWechat.data;
    const loaded = await donateRoute.loader(args(get(path), { slug: f.foundation.slug }));
    const html = renderRoute(donateRoute.default as ComponentType<never>, loaded, refused);
    expect(html).toContain("每月捐赠仅支持银行卡（支付宝、微信支付只能一次性付款）");
    expect(html).toContain('value="李雷"');
    expect(html).toContain(typed.email);

    const small = await run(() => donateRoute.action(args(post(path, { ...typed, amount: "0.5" }), { slug: f.foundation.slug })));
    expect(small.status).toBe(400);
    const smallHtml = renderRoute(donateRoute.default as ComponentType<never>, loaded, small.data);
    expect(smallHtml).toContain("单笔捐赠至少 ¥1");
    expect(smallHtml).toContain('value="0.5"');
  });
});

describe("demo checkout", () => {
  it("pay, delayed and fail end SUCCEEDED, SUCCEEDED and FAILED through the signed webhook", async () => {
    const f = await givingFoundation();
    const results: Record<string, string> = {};
    for (const o of ["pay", "delayed", "fail"] as const) {
      const { donation, sessionId } = await startGift(f.foundation.slug, { amount: "200" });
      const next = await completeDemoCheckout(sessionId, o);
      expect(next).toBe(`/donations/${donation.token}`);
      results[o] = (await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).status;
    }
    expect(results).toEqual({ pay: "SUCCEEDED", delayed: "SUCCEEDED", fail: "FAILED" });
  });

  it("the page shows the demo banner, amount and WeChat QR stand-in; its buttons pay once; unknown sessions are 404", async () => {
    const f = await givingFoundation();
    const { donation, sessionId } = await startGift(f.foundation.slug, { amount: "200", method: "wechat_pay" });
    const params = { sessionId };
    const loaded = await demoCheckoutRoute.loader(args(get(`/checkout/demo/${sessionId}`), params));
    expect(loaded).toMatchObject({ kind: "once", amountFen: 20_000, method: "wechat_pay", done: false, next: null });
    expect(JSON.stringify(loaded)).not.toContain(donation.email);
    const html = renderRoute(demoCheckoutRoute.default as ComponentType<never>, loaded);
    expect(html).toContain("Stripe Checkout 的本地替身");
    expect(html).toContain("支付 ¥200.00");
    expect(html).toContain("模拟延迟到账");
    expect(html).toContain("模拟支付失败");
    expect(html).toContain("演示二维码");
    expect(html).toContain(`/foundations/${f.foundation.slug}/donate?canceled=1`);
    expect(renderRoute(demoCheckoutRoute.default as ComponentType<never>, loaded, undefined, "en")).toContain("Pay ¥200.00");

    const paid = await run(() => demoCheckoutRoute.action(args(post(`/checkout/demo/${sessionId}`, { outcome: "pay" }), params)));
    expect(paid).toMatchObject({ status: 302, location: `/donations/${donation.token}` });
    const after = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(after.status).toBe("SUCCEEDED");
    // pressing again (or "fail" after paying) changes nothing and goes to the gift
    const again = await run(() => demoCheckoutRoute.action(args(post(`/checkout/demo/${sessionId}`, { outcome: "fail" }), params)));
    expect(again).toMatchObject({ status: 302, location: `/donations/${donation.token}` });
    expect((await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).status).toBe("SUCCEEDED");
    const done = await demoCheckoutRoute.loader(args(get(`/checkout/demo/${sessionId}`), params));
    expect(done).toMatchObject({ done: true, next: `/donations/${donation.token}` });
    expect(renderRoute(demoCheckoutRoute.default as ComponentType<never>, done)).toContain("这笔支付已经完成");

    expect((await run(() => demoCheckoutRoute.loader(args(get("/checkout/demo/cs_demo_nope"), { sessionId: "cs_demo_nope" })))).status).toBe(404);
    expect((await run(() => demoCheckoutRoute.action(args(post("/checkout/demo/cs_demo_nope", { outcome: "pay" }), { sessionId: "cs_demo_nope" })))).status).toBe(404);
  });
});

describe("the donor's own page and receipt", () => {
  it("shows the status and a masked email, never the raw one", async () => {
    expect(maskEmail("wang.fang@example.com")).toBe("wa***@example.com");
    expect(maskEmail("w@example.com")).toBe("w***@example.com");
    const f = await givingFoundation();
    const email = `donor-${uid()}@example.com`;
    const { donation, sessionId } = await startGift(f.foundation.slug, { amount: "200", email, message: "祝好" });
    const pending = (await donationByToken(donation.token))!;
    expect(pending.status).toBe("PENDING");
    expect(pending.maskedEmail).toBe("do***@example.com");
    expect(JSON.stringify(pending)).not.toContain(email);
    const pendingHtml = renderRoute(donationRoute.default as ComponentType<never>, { donation: pending, demo: true });
    expect(pendingHtml).toContain("支付正在确认中");
    expect(pendingHtml).not.toContain(email);
    expect(pendingHtml).not.toContain("/receipt");

    await completeDemoCheckout(sessionId, "pay");
    const loaded = await donationRoute.loader(args(get(`/donations/${donation.token}`), { token: donation.token }));
    expect(loaded.donation.status).toBe("SUCCEEDED");
    expect(loaded.donation.receiptNo).toMatch(/-000001$/);
    expect(JSON.stringify(loaded)).not.toContain(email);
    const html = renderRoute(donationRoute.default as ComponentType<never>, loaded);
    expect(html).toContain(loaded.donation.receiptNo!);
    expect(html).toContain(`/donations/${donation.token}/receipt`);
    expect(html).toContain(`/transparency/gifts/${donation.ref}`);
    expect(html).toContain("do***@example.com");
    expect(html).not.toContain(email);

    expect((await run(() => donationRoute.loader(args(get("/donations/nope"), { token: "nope" })))).status).toBe(404);
  });

  it("shows the match, a failed payment's retry link, and refunds", async () => {
    const f = await givingFoundation();
    await givingCampaign(f, { poolYuan: "1000" });
    const { donation } = await paidGift(f.foundation.slug, { amount: "200" });
    const view = (await donationByToken(donation.token))!;
    expect(view.matchedFen).toBe(20_000);
    expect(view.matches).toEqual([expect.objectContaining({ matchedFen: 20_000, sponsorName: "平湖市民政局" })]);
    expect(renderRoute(donationRoute.default as ComponentType<never>, { donation: view, demo: true })).toContain("平湖市民政局 为您的捐赠配捐 ¥200.00");

    const { donation: failed, sessionId } = await startGift(f.foundation.slug, { amount: "50" });
    await completeDemoCheckout(sessionId, "fail");
    const failedHtml = renderRoute(donationRoute.default as ComponentType<never>, { donation: (await donationByToken(failed.token))!, demo: true });
    expect(failedHtml).toContain("支付没有成功");
    expect(failedHtml).toContain(`/foundations/${f.foundation.slug}/donate`);

    const { requestRefund } = await import("~/services/giving/manage.server");
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "50", reason: "捐赠人要求" })).toEqual({ ok: true });
    const partly = (await donationByToken(donation.token))!;
    expect(partly.status).toBe("PARTIALLY_REFUNDED");
    const refundHtml = renderRoute(donationRoute.default as ComponentType<never>, { donation: partly, demo: true });
    expect(refundHtml).toContain("已退还 ¥50.00（原捐赠 ¥200.00）");
    expect(refundHtml).toContain("捐赠人要求");
  });

  it("has no receipt until the gift is paid, then a printable one with the amount in capitals", async () => {
    const f = await givingFoundation({ filing: false });
    const email = `donor-${uid()}@example.com`;
    const { code } = await givingInvitation(f);
    const { donation, sessionId } = await startGift(f.foundation.slug, { amount: "200", email, donorName: undefined }, null, code);
    expect(await receiptByToken(donation.token)).toBeNull();
    expect((await run(() => receiptRoute.loader(args(get(`/donations/${donation.token}/receipt`), { token: donation.token })))).status).toBe(404);

    await completeDemoCheckout(sessionId, "pay");
    const loaded = await receiptRoute.loader(args(get(`/donations/${donation.token}/receipt`), { token: donation.token }));
    expect(loaded.receipt.receiptNo).toMatch(new RegExp(`^${f.foundation.receiptPrefix}-\\d{4}-000001$`));
    const html = renderRoute(receiptRoute.default as ComponentType<never>, loaded);
    expect(html).toContain(loaded.receipt.receiptNo!);
    expect(html).toContain("贰佰元整");
    expect(html).toContain("¥200.00");
    expect(html).toContain("爱心人士");
    expect(html).toContain(f.foundation.nameZh);
    expect(html).toContain("微信支付");
    expect(html).toContain("定向募捐");
    expect(html).toContain("不是税务发票");
    expect(html).toContain("print:hidden");
    expect(html).not.toContain(email);
    const en = renderRoute(receiptRoute.default as ComponentType<never>, loaded, undefined, "en");
    expect(en).toContain("not a tax invoice");
  });
});

describe("monthly gifts", () => {
  async function monthlyGift(slug: string, viewer: Viewer | null = null) {
    const started = await startCheckout(
      viewer,
      slug,
      { amount: "100", frequency: "MONTHLY", method: "card", email: `m-${uid()}@example.com`, donorName: "张伟", consent: "on" } as DonationFormInput,
      "zh-CN",
      TEST_ORIGIN,
    );
    if (!started.ok) throw new Error(JSON.stringify(started.problem));
    const sessionId = started.redirectTo.split("/").pop()!;
    const gift = await db().recurringGift.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    return { gift, sessionId };
  }

  it("is charged from the demo checkout, simulates a next charge, and cancels only after confirmation", async () => {
    const f = await givingFoundation();
    const { gift, sessionId } = await monthlyGift(f.foundation.slug);
    const checkout = await demoCheckoutRoute.loader(args(get(`/checkout/demo/${sessionId}`), { sessionId }));
    expect(checkout).toMatchObject({ kind: "monthly", method: "card" });
    // a monthly gift's first charge can only be simulated as paid
    expect((await run(() => demoCheckoutRoute.action(args(post(`/checkout/demo/${sessionId}`, { outcome: "fail" }), { sessionId })))).status).toBe(400);
    const paid = await run(() => demoCheckoutRoute.action(args(post(`/checkout/demo/${sessionId}`, { outcome: "pay" }), { sessionId })));
    expect(paid).toMatchObject({ status: 302, location: `/giving/monthly/${gift.token}` });

    const params = { token: gift.token };
    const url = `/giving/monthly/${gift.token}`;
    const loaded = await monthlyRoute.loader(args(get(url), params));
    expect(loaded.gift).toMatchObject({ status: "ACTIVE", started: true, demo: true, portal: false });
    expect(loaded.gift.donations).toHaveLength(1);
    expect(loaded.gift.maskedEmail).toMatch(/^m-\*\*\*@example\.com$/);
    expect(JSON.stringify(loaded)).not.toContain(gift.email);
    const html = renderRoute(monthlyRoute.default as ComponentType<never>, loaded);
    expect(html).toContain("模拟下月扣款");
    expect(html).toContain("取消每月捐赠");
    expect(html).toContain("确认取消每月捐赠");
    expect(html).toContain(`/donations/${loaded.gift.donations[0]!.token}/receipt`);

    const simulated = await run(() => monthlyRoute.action(args(post(url, { intent: "simulate" }), params)));
    expect(simulated.status).toBe(200);
    expect((await monthlyPage(gift.token))!.donations.filter((d) => d.status === "SUCCEEDED")).toHaveLength(2);

    const canceled = await run(() => monthlyRoute.action(args(post(url, { intent: "cancel" }), params)));
    expect(canceled.status).toBe(200);
    expect(canceled.data).toMatchObject({ intent: "cancel", notice: "donor.monthly.cancel.done" });
    const after = await db().recurringGift.findUniqueOrThrow({ where: { id: gift.id } });
    expect(after.status).toBe("CANCELED");
    const canceledHtml = renderRoute(monthlyRoute.default as ComponentType<never>, await monthlyRoute.loader(args(get(url), params)));
    expect(canceledHtml).toContain("已取消");
    expect(canceledHtml).not.toContain("模拟下月扣款");
    // no more simulated charges once cancelled; no portal in demo mode
    const refused = await run(() => monthlyRoute.action(args(post(url, { intent: "simulate" }), params)));
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.data)).toContain("donor.monthly.simulate.error");
    // an intent the page does not have is refused as input
    expect((await run(() => monthlyRoute.action(args(post(url, { intent: "nope" }), params)))).status).toBe(400);
    expect((await run(() => monthlyRoute.action(args(post(url, { intent: "portal" }), params)))).status).toBe(400);
    expect((await run(() => monthlyRoute.loader(args(get("/giving/monthly/nope"), { token: "nope" })))).status).toBe(404);
  });
});

describe("my donations", () => {
  it("lists only the viewer's own gifts, newest first, 20 a page, with their monthly gifts", async () => {
    const f = await givingFoundation();
    const me = await donor();
    const someoneElse = await donor();
    const mine: string[] = [];
    for (let i = 0; i < 21; i++) mine.push((await paidGift(f.foundation.slug, { amount: String(10 + i) }, me)).donation.ref);
    const theirs = (await paidGift(f.foundation.slug, { amount: "99" }, someoneElse)).donation.ref;
    const anonymousGift = (await paidGift(f.foundation.slug, { amount: "98" }, null)).donation.ref;
    await startGift(f.foundation.slug, { amount: "97" }, me); // never paid: not a gift

    const first = await myDonations(me, "1");
    expect(first.total).toBe(21);
    expect(first.pages).toBe(2);
    expect(first.donations).toHaveLength(20);
    expect(first.donations[0]!.ref).toBe(mine[20]);
    const second = await myDonations(me, "2");
    expect(second.donations.map((d) => d.ref)).toEqual([mine[0]]);
    const all = [...first.donations, ...second.donations].map((d) => d.ref);
    expect(new Set(all)).toEqual(new Set(mine));
    expect(all).not.toContain(theirs);
    expect(all).not.toContain(anonymousGift);
    expect(JSON.stringify(first)).not.toContain("@example.com");

    const request = await signedInRequest(me.id, "/me/donations?page=2");
    const loaded = await mineRoute.loader(args(request, {}));
    expect(loaded.donations.map((d) => d.ref)).toEqual([mine[0]]);
    const html = renderRoute(mineRoute.default as ComponentType<never>, await myDonations(me, "1"));
    expect(html).toContain(`/donations/${first.donations[0]!.token}/receipt`);
    // numbered pages: the first current, the second a plain link
    expect(numberedPagerIn(html)).toMatchObject({ label: "翻页", current: "当前页： 1", prev: null, next: "/p?page=2", links: [{ page: 2, href: "/p?page=2", label: "第 2 页" }] });

    const anonymous = await run(() => mineRoute.loader(args(get("/me/donations"), {})));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toContain("/login");
  });

  it("shows an empty state with a link to the foundations, and monthly gifts with a manage link", async () => {
    const me = await donor();
    const empty = await myDonations(me, null);
    expect(empty).toMatchObject({ total: 0, donations: [], monthly: [] });
    const html = renderRoute(mineRoute.default as ComponentType<never>, empty);
    expect(html).toContain("您还没有捐赠记录");
    expect(html).toContain('href="/foundations"');

    const f = await givingFoundation();
    const started = await startCheckout(me, f.foundation.slug, { amount: "30", frequency: "MONTHLY", method: "card", email: me.email, consent: "on" } as DonationFormInput, "zh-CN", TEST_ORIGIN);
    if (!started.ok) throw new Error(JSON.stringify(started.problem));
    const sessionId = started.redirectTo.split("/").pop()!;
    await completeDemoCheckout(sessionId, "pay");
    const withMonthly = await myDonations(me, null);
    expect(withMonthly.monthly).toHaveLength(1);
    expect(withMonthly.total).toBe(1);
    const gift = await db().recurringGift.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(renderRoute(mineRoute.default as ComponentType<never>, withMonthly)).toContain(`/giving/monthly/${gift.token}`);
  });
});

describe("in Stripe mode", () => {
  // a local stand-in for Stripe's API: Checkout Sessions, the customer portal and cancellations
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      seen.push(`${req.method} ${path}`);
      const send = (json: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method === "POST" && path === "/v1/checkout/sessions") return send({ id: `cs_test_${uid()}`, object: "checkout.session", url: `https://checkout.stripe.com/c/pay/cs_test_${uid()}` });
      if (req.method === "POST" && path === "/v1/billing_portal/sessions") return send({ id: `bps_${uid()}`, object: "billing_portal.session", url: `https://billing.stripe.com/p/session/test_${uid()}` });
      if (req.method === "DELETE" && path.startsWith("/v1/subscriptions/")) return send({ id: path.split("/").pop(), object: "subscription", status: "canceled" });
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "no stub" } }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.STRIPE_SECRET_KEY = "sk_test_donor_pages";
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_donor_pages";
    process.env.STRIPE_API_BASE = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    delete process.env.STRIPE_API_BASE;
    resetEnvCache();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("the donate form goes to Stripe Checkout without a demo banner; a monthly gift opens the customer portal", async () => {
    const f = await givingFoundation();
    const path = `/foundations/${f.foundation.slug}/donate`;
    const loaded = await donateRoute.loader(args(get(path), { slug: f.foundation.slug }));
    expect(loaded.demo).toBe(false);
    expect(renderRoute(donateRoute.default as ComponentType<never>, loaded)).not.toContain("演示支付模式");
    const typed = { amount: "200", frequency: "ONCE", method: "alipay", donorName: "李雷", email: `li-${uid()}@example.com`, consent: "on" };
    const toStripe = await run(() => donateRoute.action(args(post(path, typed), { slug: f.foundation.slug })));
    expect(toStripe.status).toBe(302);
    expect(toStripe.location).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);

    const monthly = await run(() => donateRoute.action(args(post(path, { ...typed, method: "card", frequency: "MONTHLY" }), { slug: f.foundation.slug })));
    expect(monthly.location).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const gift = await db().recurringGift.findFirstOrThrow({ where: { foundationId: f.foundation.id } });
    const metadata = { recurringGiftId: gift.id };
    const subscriptionId = `sub_${uid()}`;
    const customerId = `cus_${uid()}`;
    await deliver(stripeEvent("checkout.session.completed", checkoutSessionObject({ id: gift.checkoutSessionId!, mode: "subscription", amountFen: 20_000, paymentStatus: "paid", metadata, subscriptionId, customerId, email: gift.email })));
    await deliver(stripeEvent("invoice.paid", invoiceObject({ subscriptionId, customerId, amountFen: 20_000, metadata })));

    const url = `/giving/monthly/${gift.token}`;
    const params = { token: gift.token };
    const page = await monthlyRoute.loader(args(get(url), params));
    expect(page.gift).toMatchObject({ status: "ACTIVE", portal: true, demo: false });
    const html = renderRoute(monthlyRoute.default as ComponentType<never>, page);
    expect(html).toContain("在 Stripe 管理银行卡和账单");
    expect(html).not.toContain("模拟下月扣款");
    const portal = await run(() => monthlyRoute.action(args(post(url, { intent: "portal" }), params)));
    expect(portal.status).toBe(302);
    expect(portal.location).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    expect((await run(() => monthlyRoute.action(args(post(url, { intent: "simulate" }), params)))).status).toBe(404);
    // cancelling asks Stripe; the gift is CANCELED when Stripe's event arrives
    const canceled = await run(() => monthlyRoute.action(args(post(url, { intent: "cancel" }), params)));
    expect(canceled.data).toMatchObject({ intent: "cancel", notice: "donor.monthly.cancel.requested" });
    expect(seen).toContain(`DELETE /v1/subscriptions/${subscriptionId}`);
    expect((await run(() => demoCheckoutRoute.loader(args(get("/checkout/demo/cs_demo_x"), { sessionId: "cs_demo_x" })))).status).toBe(404);
  });
});
