import type { ComponentType } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { formatCode } from "~/domain/directed-giving";
import type { DonationFormInput } from "~/domain/donations";
import CampaignRoute from "~/routes/campaigns.$slug";
import FoundationRoute, * as foundationRoute from "~/routes/foundations.$slug";
import FoundationsRoute, * as foundationsRoute from "~/routes/foundations";
import * as donateRoute from "~/routes/foundations.$slug.donate";
import * as donationRoute from "~/routes/donations.$token";
import * as demoCheckoutRoute from "~/routes/checkout.demo.$sessionId";
import InvitationsRoute, * as invitationsRoute from "~/routes/admin.foundations.$slug.invitations";
import { startCheckout } from "~/services/giving/checkout.server";
import { completeDemoCheckout } from "~/services/giving/demo.server";
import { campaignPage, foundationPage } from "~/services/giving/foundation-pages.server";
import { INVITATIONS_PAGE_SIZE, issueInvitation, managerInvitations, revokeInvitation } from "~/services/giving/invitations.server";
import { person } from "../support/actors";
import { db, makeUser, uid } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, givingInvitation, paidGift, startGift, startMonthly, subscriptionEvents, TEST_ORIGIN } from "../support/giving-fixture";
import { renderRoute } from "../support/render-route";
import { answer, form, outcome, signedInRequest } from "../support/requests";

/**
 * 定向募捐 (docs/decisions/018): a fund without a public-fundraising filing takes gifts only
 * through an invitation its manager issued to a defined group; a fund with a filing keeps the
 * public flow.
 */

beforeAll(() => deliverInProcess());

const args = (request: Request, params: Record<string, string>) => ({ request, params, context: {} }) as never;
const get = (path: string) => new Request(new URL(path, "http://localhost:3000"));
const post = (path: string, fields: Record<string, string>) => new Request(new URL(path, "http://localhost:3000"), form(fields));
const typed = () => ({ amount: "50", frequency: "ONCE", method: "wechat_pay", donorName: "陆晓燕", email: `d-${uid()}@example.com`, consent: "on" });
const render = (C: unknown, data: unknown, action?: unknown, locale?: "zh-CN" | "en") => renderRoute(C as ComponentType<never>, data, action, locale);

/** A directed fund, its manager, and one invitation (the residents of its community). */
async function directedFund(input: Parameters<typeof givingInvitation>[1] = {}) {
  const f = await givingFoundation({ filing: false });
  const invitation = await givingInvitation(f, input);
  return { ...f, invitation, slug: f.foundation.slug, donate: `/foundations/${f.foundation.slug}/donate` };
}

describe("the donate page of a fund without a filing", () => {
  it("answers 404 without a valid code, and with one states for whom the solicitation is", async () => {
    const f = await directedFund();
    const other = await directedFund();
    for (const path of [f.donate, `${f.donate}?code=`, `${f.donate}?code=NOT-A-CODE`, `${f.donate}?code=${formatCode(other.invitation.code)}`, `${f.donate}?code=22222222222Z`]) {
      expect((await outcome(() => donateRoute.loader(args(get(path), { slug: f.slug })))).status, path).toBe(404);
    }
    // the link as handed out, and the code as a person types it
    for (const code of [formatCode(f.invitation.code), f.invitation.code.toLowerCase()]) {
      const loaded = await donateRoute.loader(args(get(`${f.donate}?code=${encodeURIComponent(code)}`), { slug: f.slug }));
      expect(loaded.directedTo).toMatchObject({ audienceZh: "东湖社区常住居民", audienceEn: "Residents of Donghu community" });
      const zh = render(donateRoute.default, loaded);
      expect(zh).toContain("本次定向募捐仅面向：东湖社区常住居民");
      expect(zh).toContain('data-testid="directed-audience"');
      expect(render(donateRoute.default, loaded, undefined, "en")).toContain("This directed appeal is only for: Residents of Donghu community");
    }
  });

  it("refuses checkout without a code (the action and the service), and records the invitation of a gift made with one", async () => {
    const f = await directedFund();
    const without = await outcome(() => donateRoute.action(args(post(f.donate, typed()), { slug: f.slug })));
    expect(without.status).toBe(404);
    const service = await startCheckout(null, f.slug, typed() as DonationFormInput, "zh-CN", TEST_ORIGIN);
    expect(service).toMatchObject({ ok: false, problem: { status: 404 } });
    expect(await db().donation.count({ where: { foundationId: f.foundation.id } })).toBe(0);

    const withCode = `${f.donate}?code=${formatCode(f.invitation.code)}`;
    const started = await outcome(() => donateRoute.action(args(post(withCode, typed()), { slug: f.slug })));
    expect(started.status).toBe(302);
    const donation = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: started.location!.split("/").pop()! } });
    expect(donation.invitationId).toBe(f.invitation.id);
    expect((await db().directedInvitation.findUniqueOrThrow({ where: { id: f.invitation.id } })).uses).toBe(1);
    // cancelling the (demo) checkout goes back to the donate page with the code, not to a 404
    const demo = await demoCheckoutRoute.loader(args(get(started.location!), { sessionId: donation.checkoutSessionId! }));
    expect(demo.cancelPath).toBe(`${f.donate}?canceled=1&code=${formatCode(f.invitation.code)}`);
  });

  it("a monthly gift needs the code too, and every month's donation carries its invitation", async () => {
    const f = await directedFund();
    expect(await startCheckout(null, f.slug, { ...typed(), method: "card", frequency: "MONTHLY" } as DonationFormInput, "zh-CN", TEST_ORIGIN)).toMatchObject({ ok: false, problem: { status: 404 } });
    const { gift } = await startMonthly(f.slug, { amount: "30" }, null, f.invitation.code);
    expect(gift.invitationId).toBe(f.invitation.id);
    const sub = subscriptionEvents(gift);
    expect((await deliver(sub.completed())).status).toBe(200);
    expect((await deliver(sub.invoicePaid().event)).status).toBe(200);
    const months = await db().donation.findMany({ where: { recurringGiftId: gift.id } });
    expect(months).toHaveLength(1);
    expect(months[0]!.invitationId).toBe(f.invitation.id);
  });

  it("refuses a revoked, an expired and a used-up invitation", async () => {
    const f = await directedFund({ maxUses: 1 });
    const link = `${f.donate}?code=${f.invitation.code}`;
    expect((await outcome(() => donateRoute.loader(args(get(link), { slug: f.slug })))).status).toBe(200);
    await paidGift(f.slug, { amount: "10" }, null, f.invitation.code);
    // used up: the one gift it allowed was started
    expect((await outcome(() => donateRoute.loader(args(get(link), { slug: f.slug })))).status).toBe(404);
    expect((await outcome(() => donateRoute.action(args(post(link, typed()), { slug: f.slug })))).status).toBe(404);

    const expiring = await givingInvitation(f);
    await db().directedInvitation.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expiredLink = `${f.donate}?code=${expiring.code}`;
    expect((await outcome(() => donateRoute.loader(args(get(expiredLink), { slug: f.slug })))).status).toBe(404);
    expect(await startCheckout(null, f.slug, typed() as DonationFormInput, "zh-CN", TEST_ORIGIN, expiring.code)).toMatchObject({ ok: false, problem: { status: 404 } });

    const revoked = await givingInvitation(f);
    const revokedLink = `${f.donate}?code=${revoked.code}`;
    expect((await outcome(() => donateRoute.loader(args(get(revokedLink), { slug: f.slug })))).status).toBe(200);
    expect(await revokeInvitation(f.manager, f.slug, revoked.id)).toEqual({ ok: true });
    expect((await outcome(() => donateRoute.loader(args(get(revokedLink), { slug: f.slug })))).status).toBe(404);
    expect((await outcome(() => donateRoute.action(args(post(revokedLink, typed()), { slug: f.slug })))).status).toBe(404);
    expect(await db().donation.count({ where: { invitationId: { in: [expiring.id, revoked.id] } } })).toBe(0);
  });

  it("lets no more gifts start than the limit allows, even at the same instant", async () => {
    const f = await directedFund({ maxUses: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => startCheckout(null, f.slug, typed() as DonationFormInput, "zh-CN", TEST_ORIGIN, f.invitation.code)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(await db().donation.count({ where: { invitationId: f.invitation.id } })).toBe(2);
    expect((await db().directedInvitation.findUniqueOrThrow({ where: { id: f.invitation.id } })).uses).toBe(2);
  });

  it("a failed gift's retry link carries its code while the code is valid, and is withdrawn once it is not", async () => {
    const f = await directedFund();
    const { donation, sessionId } = await startGift(f.slug, { amount: "20" }, null, f.invitation.code);
    await completeDemoCheckout(sessionId, "fail");
    const page = () => donationRoute.loader(args(get(`/donations/${donation.token}`), { token: donation.token }));
    const before = await page();
    expect(before.donation.donatePath).toBe(`${f.donate}?code=${formatCode(f.invitation.code)}`);
    // the page carries no encrypted code
    expect(JSON.stringify(before)).not.toContain("v1:");
    await revokeInvitation(f.manager, f.slug, f.invitation.id);
    const after = await page();
    expect(after.donation.donatePath).toBeNull();
    const html = render(donationRoute.default, after);
    expect(html).not.toContain(`href="${f.donate}`);
    expect(html).toContain("募捐码已失效");
  });
});

describe("public pages of a fund without a filing", () => {
  it("the foundation page shows its ledger and says it raises only from a defined group, with no donate link and no campaign listing", async () => {
    const f = await directedFund();
    const campaign = await givingCampaign(f, { poolYuan: "500" });
    await paidGift(f.slug, { amount: "100" }, null, f.invitation.code);
    const page = (await foundationPage(f.slug, {}, null))!;
    expect(page.summary.flows.donationsFen).toBe(10_000);
    expect(page.transactions.length).toBeGreaterThan(0);
    expect(page.campaigns).toEqual([]);
    const html = render(FoundationRoute, page);
    expect(html).not.toContain("/donate");
    expect(html).not.toContain('data-testid="give-button"');
    expect(html).not.toContain(`href="/campaigns/${campaign.slug}"`);
    expect(html).toContain('data-testid="foundation-balance"');
    expect(html).toContain('data-testid="donor-wall"');
    expect(html).toContain('data-testid="directed-only"');
    expect(html).toContain("我有定向募捐码");
    expect(render(FoundationRoute, page, undefined, "en")).toContain("raises only from a defined group");

    // the campaign page stays (what the sponsor's pool did is public) but asks for nothing
    const cp = (await campaignPage(campaign.slug))!;
    const campaignHtml = render(CampaignRoute, cp);
    expect(campaignHtml).not.toContain("/donate");
    expect(campaignHtml).not.toContain('data-testid="give-button"');
    expect(campaignHtml).toContain('data-testid="directed-only"');

    // the list of foundations offers no give button for it
    const list = await foundationsRoute.loader();
    const listHtml = render(FoundationsRoute, list);
    expect(listHtml).not.toContain(`href="${f.donate}"`);
  });

  it("a typed code opens the donate page; a wrong or revoked one is said next to the field", async () => {
    const f = await directedFund();
    const path = `/foundations/${f.slug}`;
    const opened = await outcome(() => foundationRoute.action(args(post(path, { code: ` ${f.invitation.code.toLowerCase()} ` }), { slug: f.slug })));
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`${f.donate}?code=${formatCode(f.invitation.code)}`);

    const wrong = await answer(() => foundationRoute.action(args(post(path, { code: "ABCD-EFGH-JKMN" }), { slug: f.slug })));
    expect(wrong.status).toBe(400);
    const page = (await foundationPage(f.slug, {}, null))!;
    const html = render(FoundationRoute, page, wrong.data);
    expect(html).toContain("没有找到这个募捐码");
    expect(html).toContain('value="ABCD-EFGH-JKMN"');

    await revokeInvitation(f.manager, f.slug, f.invitation.id);
    const revoked = await answer(() => foundationRoute.action(args(post(path, { code: f.invitation.code }), { slug: f.slug })));
    expect(revoked.status).toBe(400);
    expect(render(FoundationRoute, page, revoked.data)).toContain("该定向募捐码已失效");
  });
});

describe("a fund with a filing", () => {
  it("keeps the public flow and shows its filing number and fundraising entity on the donate and foundation pages", async () => {
    const f = await givingFoundation();
    const path = `/foundations/${f.foundation.slug}/donate`;
    const loaded = await donateRoute.loader(args(get(path), { slug: f.foundation.slug }));
    expect(loaded.directedTo).toBeNull();
    const donate = render(donateRoute.default, loaded);
    expect(donate).toContain(f.foundation.fundraisingFilingNo!);
    expect(donate).toContain("平湖市慈善总会");
    expect(donate).not.toContain('data-testid="directed-audience"');
    const started = await outcome(() => donateRoute.action(args(post(path, typed()), { slug: f.foundation.slug })));
    expect(started.status).toBe(302);
    const gift = await db().donation.findUniqueOrThrow({ where: { checkoutSessionId: started.location!.split("/").pop()! } });
    expect(gift.invitationId).toBeNull();

    const html = render(FoundationRoute, (await foundationPage(f.foundation.slug, {}, null))!);
    expect(html).toContain(`href="${path}"`);
    expect(html).toContain(f.foundation.fundraisingFilingNo!);
    expect(html).toContain("平湖市慈善总会");
    expect(html).not.toContain('data-testid="directed-only"');
    // it issues no codes
    expect(await issueInvitation(f.manager, f.foundation.slug, { audienceZh: "居民", audienceEn: "Residents" })).toMatchObject({ ok: false, problem: { status: 409 } });
  });
});

describe("the managers' invitations page", () => {
  const url = (slug: string) => `/admin/foundations/${slug}/invitations`;
  const issueForm = { intent: "issue", audienceZh: "结对单位职工", audienceEn: "Staff of the pairing unit", maxUses: "30" };

  it("is for the fund's managers and the administrators above it only, in the loader and the action", async () => {
    const f = await directedFund();
    const other = await directedFund();
    const nobody = await makeUser();
    for (const userId of [nobody.id, other.manager.id]) {
      expect((await outcome(async () => invitationsRoute.loader(args(await signedInRequest(userId, url(f.slug)), { slug: f.slug })))).status).toBe(403);
      expect((await outcome(async () => invitationsRoute.action(args(await signedInRequest(userId, url(f.slug), form(issueForm)), { slug: f.slug })))).status).toBe(403);
      expect(
        (await outcome(async () => invitationsRoute.action(args(await signedInRequest(userId, url(f.slug), form({ intent: "revoke", invitationId: f.invitation.id })), { slug: f.slug })))).status,
      ).toBe(403);
    }
    expect((await outcome(() => invitationsRoute.loader(args(get(url(f.slug)), { slug: f.slug })))).status).toBe(302);
    // the other fund's manager cannot revoke this invitation through their own fund either
    const cross = await outcome(async () =>
      invitationsRoute.action(args(await signedInRequest(other.manager.id, url(other.slug), form({ intent: "revoke", invitationId: f.invitation.id })), { slug: other.slug })),
    );
    expect(cross.status).toBe(404);
    expect((await db().directedInvitation.findUniqueOrThrow({ where: { id: f.invitation.id } })).revokedAt).toBeNull();

    const admin = await person([{ role: "ADMIN", area: f.root }]);
    const viaAdmin = await outcome(async () => invitationsRoute.loader(args(await signedInRequest(admin.id, url(f.slug)), { slug: f.slug })));
    expect(viaAdmin.status).toBe(200);
    const own = await invitationsRoute.loader(args(await signedInRequest(f.manager.id, url(f.slug)), { slug: f.slug }));
    expect(own.list.items.map((i) => i.code)).toEqual([formatCode(f.invitation.code)]);
  });

  it("issues (audited, without the code), shows the code again, lists a page at a time with uses, and revokes after a question (audited)", async () => {
    const f = await directedFund();
    const issued = await answer(async () => invitationsRoute.action(args(await signedInRequest(f.manager.id, url(f.slug), form(issueForm)), { slug: f.slug })));
    expect(issued.status).toBe(200);
    const data = issued.data as { issued: { code: string; path: string } };
    const row = await db().directedInvitation.findFirstOrThrow({ where: { foundationId: f.foundation.id, audienceZh: "结对单位职工" } });
    expect(row.maxUses).toBe(30);
    // stored as a hash and a ciphertext, never in the clear
    expect(JSON.stringify(row)).not.toContain(data.issued.code);
    const issuedAudit = await db().auditLog.findFirstOrThrow({ where: { objectId: row.id, action: "invitation.issued" } });
    expect(issuedAudit.actorId).toBe(f.manager.id);
    expect(JSON.stringify(issuedAudit.after)).toContain("结对单位职工");
    expect(JSON.stringify(issuedAudit.after)).not.toContain(data.issued.code);

    await paidGift(f.slug, { amount: "66" }, null, data.issued.code);
    const loaded = await invitationsRoute.loader(args(await signedInRequest(f.manager.id, url(f.slug)), { slug: f.slug }));
    const shown = loaded.list.items.find((i) => i.id === row.id)!;
    expect(shown).toMatchObject({ code: formatCode(data.issued.code), uses: 1, maxUses: 30, paidGifts: 1, paidFen: 6_600, state: "valid" });
    const html = render(InvitationsRoute, loaded, issued.data);
    expect(html).toContain(formatCode(data.issued.code));
    expect(html).toContain(`/foundations/${f.slug}/donate?code=${formatCode(data.issued.code)}`);
    expect(html).toContain("已使用 1 / 30 次");
    // revoking is behind a question
    expect(html).toMatch(/<details[^>]*>\s*<summary[^>]*>撤销<\/summary>[\s\S]*?确定撤销募捐码/);

    const bad = await answer(async () => invitationsRoute.action(args(await signedInRequest(f.manager.id, url(f.slug), form({ ...issueForm, audienceZh: "", maxUses: "0" })), { slug: f.slug })));
    expect(bad.status).toBe(400);
    const badHtml = render(InvitationsRoute, loaded, bad.data);
    expect(badHtml).toContain("请写明募捐对象");
    expect(badHtml).toContain('value="Staff of the pairing unit"');

    const revoked = await answer(async () => invitationsRoute.action(args(await signedInRequest(f.manager.id, url(f.slug), form({ intent: "revoke", invitationId: row.id })), { slug: f.slug })));
    expect(revoked.status).toBe(200);
    expect((await db().directedInvitation.findUniqueOrThrow({ where: { id: row.id } })).revokedById).toBe(f.manager.id);
    expect(await db().auditLog.count({ where: { objectId: row.id, action: "invitation.revoked" } })).toBe(1);
    // revoking again changes nothing and audits nothing more
    await revokeInvitation(f.manager, f.slug, row.id);
    expect(await db().auditLog.count({ where: { objectId: row.id, action: "invitation.revoked" } })).toBe(1);

    for (let i = 0; i < INVITATIONS_PAGE_SIZE; i++) await givingInvitation(f, { audienceZh: `第${i}组` });
    const first = await managerInvitations(f.foundation, 1);
    const second = await managerInvitations(f.foundation, 2);
    expect(first.total).toBe(INVITATIONS_PAGE_SIZE + 2);
    expect(first.items).toHaveLength(INVITATIONS_PAGE_SIZE);
    expect(second.items).toHaveLength(2);
    expect(second.items.map((i) => i.state).sort()).toEqual(["revoked", "valid"]);
  });

  it("refuses an expiry in the past and a day that does not exist", async () => {
    const f = await directedFund();
    expect(await issueInvitation(f.manager, f.slug, { audienceZh: "居民", audienceEn: "Residents", expiresOn: "2020-01-01" })).toMatchObject({
      ok: false,
      problem: { status: 400, fieldErrors: { expiresOn: ["directed.error.expiryPast"] } },
    });
    expect(await issueInvitation(f.manager, f.slug, { audienceZh: "居民", audienceEn: "Residents", expiresOn: "2030-02-30" })).toMatchObject({
      ok: false,
      problem: { status: 400, fieldErrors: { expiresOn: ["directed.error.expiry"] } },
    });
  });
});
