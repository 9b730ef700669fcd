import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PRIVACY_NOTICE_VERSION } from "~/domain/privacy-notice";
import * as noticeModule from "~/domain/privacy-notice";
import { getViewer } from "~/lib/session.server";
import { signUp } from "~/services/accounts/auth.server";
import { donorWall } from "~/services/giving/foundation-pages.server";
import { receiptByToken } from "~/services/giving/donor-pages.server";
import * as accountRoute from "~/routes/account";
import * as logoutRoute from "~/routes/logout";
import * as privacyRoute from "~/routes/privacy";
import * as acceptRoute from "~/routes/privacy.accept";
import * as signupRoute from "~/routes/signup";
import { db, makeUser, TEST_PASSWORD, uid } from "../support/db";
import { deliver, deliverInProcess, givingFoundation, paidGift, startGift, startMonthly, subscriptionEvents, TEST_ORIGIN } from "../support/giving-fixture";
import { form, outcome, signedInRequest } from "../support/requests";
import { renderRoute } from "../support/render-route";
import type { ComponentType } from "react";

/**
 * Consent records: the privacy notice accepted at sign-up and asked for again when its version
 * changes; a gift's privacy and public-naming consents stored with it.
 */

// the version in force, as a test may bump it (every caller reads it through currentNoticeVersion;
// a spy on the module's export, not a module mock: files of a worker share their modules)
const notice = { version: null as string | null };
beforeAll(() => {
  vi.spyOn(noticeModule, "currentNoticeVersion").mockImplementation(() => notice.version ?? PRIVACY_NOTICE_VERSION);
});
afterAll(() => {
  vi.restoreAllMocks();
});
afterEach(() => {
  notice.version = null;
});
beforeAll(() => deliverInProcess());

const args = (request: Request) => ({ request, params: {}, context: {} }) as never;
const fromBrowser = { "x-client-ip": "198.51.100.23", "user-agent": "Mozilla/5.0 (consent test)" };

describe("the notice", () => {
  it("is a public page, in Chinese and in English, with the retention table and the rights on the account page", async () => {
    const data = privacyRoute.loader();
    expect(data).toEqual({ version: PRIVACY_NOTICE_VERSION });
    const zh = renderRoute(privacyRoute.default as ComponentType<never>, data);
    const en = renderRoute(privacyRoute.default as ComponentType<never>, data, undefined, "en");
    for (const period of ["180 天", "账户注销后 3 年，作为同意的证明", "30 年（《会计档案管理办法》：会计凭证）", "90 天", "7 天，之后删除", "手机号：账户存续期间", "微信标识：账户存续期间"]) expect(zh).toContain(period);
    for (const period of ["180 days", "3 years after the account ends, as proof of consent", "30 years (Measures on the Management of Accounting Archives: accounting vouchers)", "90 days", "7 days, then deleted", "the number while the account exists", "the identifiers while the account exists"]) expect(en).toContain(period);
    for (const html of [zh, en]) {
      expect(html).toContain(PRIVACY_NOTICE_VERSION);
      expect(html).toContain('href="/account"');
      expect(html).toContain("CC BY 4.0");
      expect(html).toContain("Stripe");
    }
  });

  it("is linked from the sign-up form, whose consent box starts unticked", () => {
    const html = renderRoute(signupRoute.default as ComponentType<never>, { locale: "zh-CN" });
    expect(html).toContain('href="/privacy"');
    expect(html).toMatch(/<input[^>]*name="privacy"[^>]*>/);
    expect(html).not.toMatch(/<input[^>]*name="privacy"[^>]*checked/);
  });
});

describe("sign-up", () => {
  it("records the notice version accepted, when, from which address and browser", async () => {
    const before = new Date();
    const request = new Request("http://localhost:3000/signup", { method: "POST", headers: fromBrowser });
    const r = await signUp(request, { name: "新居民", email: `consent-${uid()}@example.com`, password: TEST_PASSWORD, privacy: "on" });
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    const consents = await db().consent.findMany({ where: { userId: r.userId } });
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ kind: "PRIVACY_NOTICE", noticeVersion: PRIVACY_NOTICE_VERSION, ip: "198.51.100.23", userAgent: "Mozilla/5.0 (consent test)", donationId: null, withdrawnAt: null });
    expect(consents[0]!.acceptedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it("refuses a sign-up that does not accept the notice, keeping what was typed, and creates no account", async () => {
    const address = `no-consent-${uid()}@example.com`;
    const res = await outcome(() => signupRoute.action(args(new Request("http://localhost:3000/signup", { ...form({ name: "不同意", email: address, password: TEST_PASSWORD }), headers: { ...fromBrowser, "content-type": "application/x-www-form-urlencoded" } }))));
    expect(res.value).toMatchObject({ init: { status: 400 }, data: { result: { error: { privacy: ["auth.error.privacyRequired"] } } } });
    expect((res.value as { data: { result: { initialValue: Record<string, unknown> } } }).data.result.initialValue).toMatchObject({ name: "不同意", email: address });
    expect(await db().user.findUnique({ where: { email: address } })).toBeNull();
  });
});

describe("a new notice version", () => {
  it("asks a signed-in person again before any page, keeps sign-out and the notice open, and records the new version once accepted", async () => {
    const user = await makeUser();
    // under the version they accepted, pages open
    const page = await outcome(async () => accountRoute.loader(args(await signedInRequest(user.id, "/account"))));
    expect(page.status).toBe(200);

    notice.version = "2099-01-01";
    const asked = await outcome(async () => accountRoute.loader(args(await signedInRequest(user.id, "/account?tab=1"))));
    expect(asked).toMatchObject({ status: 302, location: `/privacy/accept?redirectTo=${encodeURIComponent("/account?tab=1")}` });
    // client navigation (.data) is asked too, and comes back to the page, not to its data
    const data = await outcome(async () => getViewer(await signedInRequest(user.id, "/account.data?_routes=routes%2Faccount")));
    expect(data).toMatchObject({ status: 302, location: `/privacy/accept?redirectTo=${encodeURIComponent("/account")}` });
    // a form posted meanwhile is not carried out: back to the page it came from afterwards
    const posted = await outcome(async () =>
      accountRoute.action(args(await signedInRequest(user.id, "/account", { ...form({ intent: "language", locale: "en" }), headers: { referer: "http://localhost:3000/account" } }))),
    );
    expect(posted).toMatchObject({ status: 302, location: `/privacy/accept?redirectTo=${encodeURIComponent("/account")}` });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("zh_CN");

    // the notice and the page asking for it stay open
    expect((await outcome(async () => privacyRoute.loader())).status).toBe(200);
    const ask = await outcome(async () => acceptRoute.loader(args(await signedInRequest(user.id, "/privacy/accept?redirectTo=%2Faccount"))));
    expect(ask).toMatchObject({ status: 200, value: { version: "2099-01-01", first: false } });
    const askHtml = renderRoute(acceptRoute.default as ComponentType<never>, ask.value);
    for (const text of ["2099-01-01", "隐私政策已更新", "我同意，继续", "不同意，退出登录", 'href="/privacy"']) expect(askHtml).toContain(text);
    expect(renderRoute(acceptRoute.default as ComponentType<never>, ask.value, undefined, "en")).toContain("The privacy notice has changed");

    const accepted = await outcome(async () =>
      acceptRoute.action(args(await signedInRequest(user.id, "/privacy/accept", { ...form({ intent: "accept", redirectTo: "/account" }), headers: fromBrowser }))),
    );
    expect(accepted).toMatchObject({ status: 302, location: "/account" });
    const rows = await db().consent.findMany({ where: { userId: user.id, kind: "PRIVACY_NOTICE" }, orderBy: { acceptedAt: "asc" } });
    expect(rows.map((c) => c.noticeVersion)).toEqual([PRIVACY_NOTICE_VERSION, "2099-01-01"]);
    expect(rows[1]).toMatchObject({ ip: "198.51.100.23", userAgent: "Mozilla/5.0 (consent test)" });
    expect((await outcome(async () => accountRoute.loader(args(await signedInRequest(user.id, "/account"))))).status).toBe(200);
    // accepting twice records nothing more; the page then just goes on
    await acceptRoute.action(args(await signedInRequest(user.id, "/privacy/accept", form({ intent: "accept" }))));
    expect(await db().consent.count({ where: { userId: user.id, kind: "PRIVACY_NOTICE" } })).toBe(2);
    expect(await outcome(async () => acceptRoute.loader(args(await signedInRequest(user.id, "/privacy/accept?redirectTo=%2Fme"))))).toMatchObject({ status: 302, location: "/me" });
  });

  it("asks someone who accepted no version, as a first acceptance rather than a change, and lets them sign out", async () => {
    const user = await makeUser({ noticeVersion: null });
    expect(await outcome(async () => getViewer(await signedInRequest(user.id, "/")))).toMatchObject({ status: 302, location: "/privacy/accept?redirectTo=%2F" });
    const ask = await outcome(async () => acceptRoute.loader(args(await signedInRequest(user.id, "/privacy/accept?redirectTo=%2F"))));
    expect(ask).toMatchObject({ status: 200, value: { version: PRIVACY_NOTICE_VERSION, first: true } });
    const zh = renderRoute(acceptRoute.default as ComponentType<never>, ask.value);
    const en = renderRoute(acceptRoute.default as ComponentType<never>, ask.value, undefined, "en");
    expect(zh).toContain("请阅读并同意隐私政策");
    expect(en).toContain("Please read and accept the privacy notice");
    for (const html of [zh, en]) expect(html).not.toMatch(/隐私政策已更新|has changed/);
    await db().session.deleteMany({ where: { userId: user.id } });
    const request = await signedInRequest(user.id, "/logout", form({}));
    const out = (await logoutRoute.action(args(request))) as Response;
    expect(out.status).toBe(302);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("declining signs the person out and records no consent", async () => {
    const user = await makeUser();
    notice.version = "2099-02-02";
    const declined = (await acceptRoute.action(args(await signedInRequest(user.id, "/privacy/accept", form({ intent: "decline" }))))) as Response;
    expect(declined.status).toBe(302);
    expect(declined.headers.get("set-cookie")).toMatch(/__session=;/);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().consent.count({ where: { userId: user.id, noticeVersion: "2099-02-02" } })).toBe(0);
  });
});

describe("gift consents", () => {
  it("stores the privacy consent with every gift, and the naming consent only when ticked, in the gift's transaction", async () => {
    const f = await givingFoundation();
    const plain = await startGift(f.foundation.slug, { amount: "10", donorName: "只写在收据上" });
    const named = await startGift(f.foundation.slug, { amount: "10", donorName: "公开的名字", publicNaming: "on" }, f.manager);
    const of = (donationId: string) => db().consent.findMany({ where: { donationId }, orderBy: { kind: "asc" } });

    expect(await of(plain.donation.id)).toEqual([
      expect.objectContaining({ kind: "DONATION_PRIVACY", noticeVersion: PRIVACY_NOTICE_VERSION, userId: null, ip: TEST_ORIGIN.ip, userAgent: TEST_ORIGIN.userAgent }),
    ]);
    expect(plain.donation).toMatchObject({ anonymous: true, donorName: "只写在收据上" });
    const namedConsents = await of(named.donation.id);
    expect(namedConsents.map((c) => c.kind)).toEqual(["DONATION_PRIVACY", "PUBLIC_NAMING"]);
    expect(namedConsents.every((c) => c.userId === f.manager.id && c.ip === TEST_ORIGIN.ip && c.noticeVersion === PRIVACY_NOTICE_VERSION)).toBe(true);
    expect(named.donation.anonymous).toBe(false);
  });

  it("a monthly gift's charges inherit the naming consent given when it was set up", async () => {
    const f = await givingFoundation();
    const named = await startMonthly(f.foundation.slug, { amount: "12", donorName: "每月署名", message: "每月一点心意", publicNaming: "on" });
    const unnamed = await startMonthly(f.foundation.slug, { amount: "13", donorName: "每月不署名", message: "不公开的月捐留言" });
    expect((await db().consent.findMany({ where: { recurringGiftId: named.gift.id } })).map((c) => c.kind).sort()).toEqual(["DONATION_PRIVACY", "PUBLIC_NAMING"]);
    expect((await db().consent.findMany({ where: { recurringGiftId: unnamed.gift.id } })).map((c) => c.kind)).toEqual(["DONATION_PRIVACY"]);
    for (const { gift } of [named, unnamed]) {
      const sub = subscriptionEvents(gift);
      expect((await deliver(sub.completed())).status).toBe(200);
      expect((await deliver(sub.invoicePaid().event)).status).toBe(200);
    }
    const wall = await donorWall({ foundationId: f.foundation.id });
    const byAmount = new Map(wall.items.map((i) => [i.netFen, i]));
    expect(byAmount.get(1_200)).toMatchObject({ name: "每月署名", message: "每月一点心意", monthly: true });
    expect(byAmount.get(1_300)).toMatchObject({ name: null, message: null, monthly: true });
  });

  it("the receipt carries the donor's name without the naming consent", async () => {
    const f = await givingFoundation();
    const { donation } = await paidGift(f.foundation.slug, { amount: "50", donorName: "收据上的名字" });
    const receipt = await receiptByToken(donation.token);
    expect(receipt).toMatchObject({ receiptNameZh: "收据上的名字", publicNameZh: "爱心人士", publicNameEn: "A kind donor" });
  });
});

describe("the Consent table", () => {
  it("is append-only: no deletion, no change to its facts; address and browser may be erased, a withdrawal set once", async () => {
    const user = await makeUser();
    const c = await db().consent.findFirstOrThrow({ where: { userId: user.id } });
    await expect(db().consent.delete({ where: { id: c.id } })).rejects.toThrow(/append-only/);
    await expect(db().consent.update({ where: { id: c.id }, data: { noticeVersion: "1999-01-01" } })).rejects.toThrow(/append-only/);
    await expect(db().consent.update({ where: { id: c.id }, data: { ip: "10.0.0.1" } })).rejects.toThrow(/append-only/);
    await db().consent.update({ where: { id: c.id }, data: { ip: null, userAgent: null } });
    const at = new Date();
    await db().consent.update({ where: { id: c.id }, data: { withdrawnAt: at } });
    await expect(db().consent.update({ where: { id: c.id }, data: { withdrawnAt: null } })).rejects.toThrow(/append-only/);
    // a notice consent is a person's; a gift consent belongs to exactly one gift
    await expect(db().consent.create({ data: { kind: "PRIVACY_NOTICE", noticeVersion: "x" } })).rejects.toThrow(/Consent_subject/);
    await expect(db().consent.create({ data: { kind: "PUBLIC_NAMING", noticeVersion: "x", userId: user.id } })).rejects.toThrow(/Consent_subject/);
  });
});
