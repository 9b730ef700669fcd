import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes, transfer } from "~/domain/ledger";
import { formatFen } from "~/domain/money";
import CampaignRoute, * as campaignRoute from "~/routes/campaigns.$slug";
import FoundationRoute, * as foundationRoute from "~/routes/foundations.$slug";
import AdminRoute, * as adminRoute from "~/routes/admin.foundations.$slug";
import DetailRoute, * as detailRoute from "~/routes/admin.foundations.$slug.donations.$ref";
import NewCampaignRoute, * as newCampaignRoute from "~/routes/admin.foundations.$slug.campaigns.new";
import LayoutRoute, * as layoutRoute from "~/routes/admin.foundations.$slug.layout";
import * as invitationsRoute from "~/routes/admin.foundations.$slug.invitations";
import routeConfig from "~/routes";
import { campaignPage, donorWall, foundationLedgerSummary, foundationPage, managerDonations, parseManagerFilters } from "~/services/giving/foundation-pages.server";
import { requestRefund } from "~/services/giving/manage.server";
import { canManageFoundation, mayRefund } from "~/services/giving/access.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { postTrancheRelease } from "~/services/projects/projects.server";
import { db, makeUser, uid } from "../support/db";
import { person } from "../support/actors";
import { deliverInProcess, givingCampaign, givingFoundation, paidGift, startGift } from "../support/giving-fixture";
import { fundedProject } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { BAD_CURSORS, numberedPagerIn, walkNumbered } from "../support/keyset";
import { foundationDetail } from "~/services/giving/foundations.server";
import { form, outcome, signedInRequest } from "../support/requests";

beforeAll(() => deliverInProcess());

/** Sum of the entries of the foundation's accounts, by independent SQL (optionally only some account kinds). */
async function ledgerSum(foundationId: string, kinds?: string[]) {
  const rows = kinds
    ? await db().$queryRaw<{ sum: bigint | null }[]>`
        SELECT sum(e."amountFen")::bigint AS sum FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId"
        WHERE a."foundationId" = ${foundationId} AND a.kind::text = ANY(${kinds}::text[])`
    : await db().$queryRaw<{ sum: bigint | null }[]>`
        SELECT sum(e."amountFen")::bigint AS sum FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId"
        WHERE a."foundationId" = ${foundationId}`;
  return Number(rows[0]?.sum ?? 0n);
}
const FUNDS = ["FOUNDATION_AVAILABLE", "FOUNDATION_EARMARKED"];

type Returned = { data: Record<string, unknown>; init: { status?: number } | null };
const returned = (value: unknown) => value as Returned;

describe("public foundation page: money from the ledger", () => {
  it("shows a balance equal to the sum of the foundation's ledger entries, to the fen, after gifts, a match, a refund and an appropriation", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "150" });
    const g1 = await paidGift(f.foundation.slug, { amount: "200" });
    expect(g1.donation.matchedFen).toBe(15_000);
    await paidGift(f.foundation.slug, { amount: "33.33", donorName: undefined });
    expect(await requestRefund(f.manager, f.foundation.slug, g1.donation.ref, { amount: "50", reason: "部分退款" })).toEqual({ ok: true });
    // a second appropriation, from the government
    const source = accountCodes.externalAppropriation(`fp-${uid()}`);
    await ensureAccount(db(), { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `fp:${uid()}`, kind: "APPROPRIATION", memo: "追加拨款", entries: transfer(source, accountCodes.foundationAvailable(f.foundation.id), 1_234) }),
    );

    const s = await foundationLedgerSummary(f.foundation.id);
    const expected = 100_000_000 + 20_000 + 15_000 + 3_333 - 5_000 - 3_750 + 1_234;
    expect(s.balanceFen).toBe(expected);
    expect(s.balanceFen).toBe(await ledgerSum(f.foundation.id, FUNDS));
    expect(s.availableFen).toBe(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id)));
    expect(s.earmarkedFen).toBe(0);
    expect(s.flows).toMatchObject({
      donationsFen: 23_333,
      refundsFen: -5_000,
      matchesFen: 15_000,
      // a quarter of the gift went back, so a quarter of its ¥150 match: ¥37.50
      matchReturnsFen: -3_750,
      appropriationsFen: 100_001_234,
      outflowFen: 0,
    });
    expect(s.flows.inflowFen - s.flows.outflowFen + s.flows.projectReturnsFen + s.flows.otherFen).toBe(s.balanceFen);
    // the pool the foundation hosts is shown apart, and is its ledger balance
    expect(s.matchingPoolsFen).toBe(3_750);
    expect(s.matchingPoolsFen).toBe(await balanceFen(db(), accountCodes.matchingPool(campaign.id)));
    expect(s.allAccountsFen).toBe(await ledgerSum(f.foundation.id));
    expect(s.years.reduce((sum, y) => sum + y.netFen, 0)).toBe(s.balanceFen);

    // what the page shows is that number
    const page = (await foundationPage(f.foundation.slug, {}, null))!;
    const html = renderRoute(FoundationRoute as never, page);
    expect(html).toMatch(new RegExp(`data-testid="foundation-balance"[^>]*>${formatFen(expected).replace(/[$.]/g, "\\$&")}<`));
    expect(html).toContain(`data-testid="foundation-pools"`);
    expect(page.campaigns).toEqual([expect.objectContaining({ slug: campaign.slug, phase: "open", remainingFen: 3_750 })]);
    expect(html).toContain(`href="/campaigns/${campaign.slug}"`);
    expect(html).toContain(`href="/foundations/${f.foundation.slug}/donate"`);
  });

  it("separates earmarked money and follows round pools to awards and tranches", async () => {
    const fp = await fundedProject();
    const gift = await paidGift(fp.foundation.slug, { amount: "100", projectId: fp.project.id });
    expect(gift.donation.projectId).toBe(fp.project.id);
    const tranche = fp.project.tranches[0]!;
    await db().$transaction((tx) =>
      postTrancheRelease(tx, { referenceNo: fp.project.referenceNo, awardId: fp.project.awardId, foundationId: fp.foundation.id }, tranche, "BANK-1", fp.official.id),
    );

    const s = await foundationLedgerSummary(fp.foundation.id);
    expect(s.earmarkedFen).toBe(10_000);
    expect(s.earmarks).toEqual([{ target: "project", ownerId: fp.project.id, code: fp.project.referenceNo, title: fp.project.title, balanceFen: 10_000 }]);
    expect(s.availableFen).toBe(50_000_000 - 6_000_000);
    expect(s.balanceFen).toBe(await ledgerSum(fp.foundation.id, FUNDS));
    expect(s.flows).toMatchObject({ donationsFen: 10_000, appropriationsFen: 50_000_000, roundPoolsFen: 6_000_000, outflowFen: 6_000_000 });
    expect(s.rounds).toEqual([
      expect.objectContaining({
        code: fp.round.code,
        pooledFen: 6_000_000,
        poolBalanceFen: 5_000_000,
        committedFen: 1_000_000,
        paidFen: tranche.amountFen,
        unpaidFen: 1_000_000 - tranche.amountFen,
      }),
    ]);
    // funds + round pools + committed + paid = every account of the foundation
    expect(s.balanceFen + s.roundPoolsHeldFen + s.committedHeldFen + s.paidOutFen + s.matchingPoolsFen).toBe(s.allAccountsFen);
    expect(s.allAccountsFen).toBe(await ledgerSum(fp.foundation.id));

    const page = (await foundationPage(fp.foundation.slug, {}, null))!;
    const html = renderRoute(FoundationRoute as never, page);
    expect(html).toContain(`data-testid="rounds"`);
    expect(html).toContain(`href="/projects/${fp.project.referenceNo}"`);
    // the movement list covers the earmarked account too
    expect(page.transactions.some((t) => t.earmarked && t.kind === "DONATION" && t.amountFen === 10_000)).toBe(true);
  });

  it("follows every posting at once, and lists movements newest first", async () => {
    const f = await givingFoundation();
    const first = await foundationLedgerSummary(f.foundation.id);
    expect(await foundationLedgerSummary(f.foundation.id)).toEqual(first);
    const source = accountCodes.externalAppropriation(`fp-${uid()}`);
    await ensureAccount(db(), { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `fp:${uid()}`, kind: "APPROPRIATION", memo: "第二笔拨款", entries: transfer(source, accountCodes.foundationAvailable(f.foundation.id), 777) }),
    );
    const second = await foundationLedgerSummary(f.foundation.id);
    expect(second.balanceFen).toBe(first.balanceFen + 777);
    expect(second.balanceFen).toBe(await ledgerSum(f.foundation.id, FUNDS));
    // a gift lands in a new kind of movement
    await paidGift(f.foundation.slug, { amount: "1" });
    const third = await foundationLedgerSummary(f.foundation.id);
    expect(third.flows.donationsFen).toBe(100);
    expect(third.balanceFen).toBe(await ledgerSum(f.foundation.id, FUNDS));
    expect(third.allAccountsFen).toBe(await ledgerSum(f.foundation.id));

    const page = (await foundationPage(f.foundation.slug, {}, null))!;
    expect(page.total).toBe(3);
    expect(page.transactions.map((t) => [t.kind, t.amountFen])).toEqual([
      ["DONATION", 100],
      ["APPROPRIATION", 777],
      ["APPROPRIATION", 100_000_000],
    ]);
  });

  it("links the manager to the manager's page, and nobody else", async () => {
    const f = await givingFoundation();
    const other = await givingFoundation();
    expect((await foundationPage(f.foundation.slug, {}, f.manager))!.manages).toBe(true);
    expect((await foundationPage(f.foundation.slug, {}, other.manager))!.manages).toBe(false);
    expect((await foundationPage(f.foundation.slug, {}, null))!.manages).toBe(false);
    const viaLoader = await outcome(async () =>
      foundationRoute.loader({ request: await signedInRequest(f.manager.id, `/foundations/${f.foundation.slug}`), params: { slug: f.foundation.slug }, context: {} } as never),
    );
    const html = renderRoute(FoundationRoute as never, viaLoader.value);
    expect(html).toContain(`href="/admin/foundations/${f.foundation.slug}"`);
    expect(renderRoute(FoundationRoute as never, await foundationPage(f.foundation.slug, {}, null))).not.toContain(`/admin/foundations/`);
    expect(await outcome(() => foundationRoute.loader({ request: new Request(`http://localhost/foundations/none-${uid()}`), params: { slug: `none-${uid()}` }, context: {} } as never))).toMatchObject({ status: 404 });
  });
});

describe("donor wall", () => {
  it("shows name and message only with the consent to be named, else 爱心人士 without the message; never an email, net amounts and matches; refunded and unpaid gifts are not on it", async () => {
    const f = await givingFoundation();
    await givingCampaign(f, { poolYuan: "1000" });
    const named = await paidGift(f.foundation.slug, { amount: "80", donorName: "李雷", message: "祝社区越来越好", publicNaming: "on" });
    // a name and a message given for the receipt, without the consent to be named publicly
    const anonymous = await paidGift(f.foundation.slug, { amount: "20", donorName: "不想公开的名字", message: "不想公开的留言" });
    const refunded = await paidGift(f.foundation.slug, { amount: "30", donorName: "韩梅梅" });
    const pending = await startGift(f.foundation.slug, { amount: "40", donorName: "未付款的人" });
    expect(await requestRefund(f.manager, f.foundation.slug, refunded.donation.ref, { amount: "30", reason: "捐错了" })).toEqual({ ok: true });
    expect(await requestRefund(f.manager, f.foundation.slug, named.donation.ref, { amount: "20", reason: "部分退回" })).toEqual({ ok: true });

    const wall = await donorWall({ foundationId: f.foundation.id });
    expect(wall.items.map((i) => i.ref)).toEqual([anonymous.donation.ref, named.donation.ref]);
    expect(wall.total).toBe(2);
    expect(wall.items[0]).toMatchObject({ name: null, message: null, anonymous: true, netFen: 2_000, matchedFen: 2_000 });
    // ¥80 matched ¥80; a quarter refunded → a quarter of the match back
    expect(wall.items[1]).toMatchObject({ name: "李雷", netFen: 6_000, matchedFen: 6_000, message: "祝社区越来越好" });

    const page = (await foundationPage(f.foundation.slug, {}, null))!;
    const html = renderRoute(FoundationRoute as never, page);
    const sent = JSON.stringify(page);
    for (const d of [named, anonymous, refunded]) {
      expect(html).not.toContain(d.donation.email);
      expect(sent).not.toContain(d.donation.email);
    }
    expect(sent).not.toContain(pending.donation.email);
    expect(sent).not.toContain("不想公开的名字");
    expect(sent).not.toContain("不想公开的留言");
    expect(sent).not.toContain("韩梅梅");
    expect(sent).not.toContain("未付款的人");
    expect(sent).not.toContain(f.manager.id);
    expect(html).toContain("爱心人士");
    expect(html).toContain("李雷");
    expect(html).toContain("配捐 ¥60.00");
    expect(renderRoute(FoundationRoute as never, page, undefined, "en")).toContain("A kind donor");
  });

  it("counts gifts with running totals that payments and refunds move and checkouts do not: the wall's count, the campaign's raised and donors", async () => {
    const f = await givingFoundation();
    const c = await givingCampaign(f, { poolYuan: "1000" });
    const totals = async () =>
      Object.fromEntries(
        (await db().donationTotal.findMany({ where: { ownerId: { in: [f.foundation.id, c.id] } }, select: { scope: true, wallGifts: true, publicGifts: true, raisedFen: true } })).map((t) => [
          t.scope,
          { wall: t.wallGifts, public: t.publicGifts, raisedFen: Number(t.raisedFen) },
        ]),
      );
    await startGift(f.foundation.slug, { amount: "40" });
    expect(await totals()).toEqual({});
    const a = await paidGift(f.foundation.slug, { amount: "50" });
    const b = await paidGift(f.foundation.slug, { amount: "30" });
    expect(await totals()).toEqual({ foundation: { wall: 2, public: 2, raisedFen: 8_000 }, campaign: { wall: 2, public: 2, raisedFen: 8_000 } });
    expect(await requestRefund(f.manager, f.foundation.slug, a.donation.ref, { amount: "20", reason: "部分退回" })).toEqual({ ok: true });
    expect(await requestRefund(f.manager, f.foundation.slug, b.donation.ref, { amount: "30", reason: "捐错了" })).toEqual({ ok: true });
    // b refunded in full leaves the wall (a refunded gift is still public on its trace page)
    expect(await totals()).toEqual({ foundation: { wall: 1, public: 2, raisedFen: 3_000 }, campaign: { wall: 1, public: 2, raisedFen: 3_000 } });
    expect((await donorWall({ foundationId: f.foundation.id })).total).toBe(1);
    expect((await campaignPage(c.slug))!.money).toMatchObject({ raisedFen: 3_000, donors: 1 });
  });

  it("pages by number, 20 a page, last paid first: every gift exactly once, by number, forward and back, ties on the time included; a bad cursor is the first page", async () => {
    const f = await givingFoundation();
    const c = await givingCampaign(f, { poolYuan: "5000" });
    const gifts = [];
    for (let i = 0; i < 45; i++) gifts.push((await paidGift(f.foundation.slug, { amount: String(1 + i) })).donation);
    const refunded = await paidGift(f.foundation.slug, { amount: "5" });
    expect(await requestRefund(f.manager, f.foundation.slug, refunded.donation.ref, { amount: "5", reason: "捐错了" })).toEqual({ ok: true });
    // paid in the same second (the provider's times are whole seconds): by when they started; ten at one instant: by id
    const ids = gifts.map((d) => d.id);
    await db().donation.updateMany({ where: { id: { in: ids.slice(0, 20) } }, data: { paidAt: new Date("2026-05-01T01:00:00.000Z") } });
    await db().donation.updateMany({ where: { id: { in: ids.slice(5, 15) } }, data: { createdAt: new Date("2026-05-01T00:59:00.000Z") } });
    const expected = (
      await db().donation.findMany({ where: { id: { in: ids } }, orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }, { id: "desc" }], select: { ref: true } })
    ).map((d) => d.ref);

    for (const filter of [{ foundationId: f.foundation.id }, { campaignId: c.id }]) {
      const forward = await walkNumbered(async (qs) => {
        const q = new URLSearchParams(qs);
        return donorWall(filter, q.get("cursor"), q.get("page"));
      });
      expect(forward.map((p) => p.length)).toEqual([20, 20, 5]);
      expect(forward.flat().map((g) => g.ref)).toEqual(expected);
      const first = await donorWall(filter);
      expect(first.total).toBe(45);
      expect(first.pager).toMatchObject({ page: 1, pages: 3 });
      for (const bad of BAD_CURSORS) expect((await donorWall(filter, bad, "1")).items).toEqual(first.items);
    }
    // a cursor belongs to its wall: the foundation's does not page the campaign's (its page is read by number)
    const foundationFirst = await donorWall({ foundationId: f.foundation.id });
    expect((await donorWall({ campaignId: c.id }, foundationFirst.pager.next, "2")).items.map((g) => g.ref)).toEqual(expected.slice(20, 40));

    // the public page: the wall's number in ?donorsPage= and cursor in ?donors=, the movements' in ?page= / ?cursor=, plain links both
    const page = (await foundationPage(f.foundation.slug, {}, null))!;
    const html = renderRoute(FoundationRoute as never, page);
    expect(html).toContain(`href="/p?donorsPage=2&amp;donors=${page.donors.pager.next}"`);
    expect(html).toContain(`href="/p?donorsPage=3"`);
    expect(html).toContain(`href="/p?page=2&amp;cursor=${page.pager.next}#tx-h"`);
    const later = (await foundationPage(f.foundation.slug, { donorsPage: "2", donors: page.donors.pager.next, page: "2", cursor: page.pager.next }, null))!;
    expect(later.donors.items.map((g) => g.ref)).toEqual(expected.slice(20, 40));
    expect(later.transactions.map((t) => t.id)).toEqual((await foundationDetail(f.foundation.slug, { page: "2" }))!.transactions.map((t) => t.id));
    const laterHtml = renderRoute(FoundationRoute as never, later);
    const wall = numberedPagerIn(laterHtml, "捐赠名单翻页")!;
    expect(wall).toMatchObject({ current: "当前页： 2" });
    expect(wall.links.map((l) => l.href)).toEqual(["/p", "/p?donorsPage=3"]);
    expect(wall.prev).toBe(`/p?donors=${later.donors.pager.prev}`);
    const movements = numberedPagerIn(laterHtml, "收支明细翻页")!;
    expect(movements).toMatchObject({ current: "当前页： 2" });
    // the campaign page: its wall's number in ?page=, its cursor in ?cursor=
    const campaignPager = numberedPagerIn(renderRoute(CampaignRoute as never, (await campaignPage(c.slug, { page: "3" }))!, undefined, "en"))!;
    expect(campaignPager).toMatchObject({ current: "Current page: 3", next: null });
    expect(campaignPager.links.map((l) => [l.label, l.href])).toEqual([
      ["Page 1", "/p"],
      ["Page 2", "/p?page=2"],
    ]);
    expect((await campaignPage(c.slug, { page: "3" }))!.donors.items.map((g) => g.ref)).toEqual(expected.slice(40));
  });
});

describe("campaign page", () => {
  it("shows raised, matched and remaining after gifts and a refund", async () => {
    const f = await givingFoundation();
    const c = await givingCampaign(f, { poolYuan: "100", capYuan: "30" });
    await paidGift(f.foundation.slug, { amount: "50" }); // matched 30 (cap)
    const forty = await paidGift(f.foundation.slug, { amount: "40" }); // 30
    await paidGift(f.foundation.slug, { amount: "20" }); // 20
    const last = await paidGift(f.foundation.slug, { amount: "60" }); // 20 left in the pool: partial
    expect(last.donation.matchedFen).toBe(2_000);
    expect(await requestRefund(f.manager, f.foundation.slug, forty.donation.ref, { amount: "40", reason: "重复捐赠" })).toEqual({ ok: true });

    const page = (await campaignPage(c.slug))!;
    expect(page.money).toEqual({ raisedFen: 13_000, donors: 3, fundedFen: 10_000, matchedFen: 7_000, remainingFen: 3_000 });
    expect(page.money.remainingFen).toBe(await balanceFen(db(), accountCodes.matchingPool(c.id)));
    expect(page.donors.total).toBe(3);
    expect(page.campaign).toMatchObject({ phase: "open", ratioSponsor: 1, ratioDonor: 1, perDonationCapFen: 3_000, restricted: false });
    const html = renderRoute(CampaignRoute as never, page);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="70"');
    expect(html).toMatch(/data-testid="campaign-raised"[^>]*>¥130\.00</);
    expect(html).toMatch(/data-testid="campaign-matched"[^>]*>¥70\.00</);
    expect(html).toMatch(/data-testid="campaign-remaining"[^>]*>¥30\.00</);
    expect(html).toContain(`href="/foundations/${f.foundation.slug}/donate?campaign=${c.id}"`);
    expect(await outcome(() => campaignRoute.loader({ request: new Request("http://localhost/campaigns/x"), params: { slug: `none-${uid()}` }, context: {} } as never))).toMatchObject({ status: 404 });
  });

  it("shows the filing number and fundraising entity, or marks the campaign 定向 when the foundation has none", async () => {
    const filed = await givingFoundation();
    const directed = await givingFoundation({ filing: false });
    const c1 = await givingCampaign(filed);
    const c2 = await givingCampaign(directed);
    const p1 = (await campaignPage(c1.slug))!;
    const p2 = (await campaignPage(c2.slug))!;
    expect(p1.fundraising).toEqual({ kind: "public", filingNo: filed.foundation.fundraisingFilingNo, entity: "平湖市慈善总会" });
    expect(p2.fundraising).toEqual({ kind: "directed" });
    const h1 = renderRoute(CampaignRoute as never, p1);
    const h2 = renderRoute(CampaignRoute as never, p2);
    expect(h1).toContain(filed.foundation.fundraisingFilingNo!);
    expect(h1).toContain("平湖市慈善总会");
    expect(h1).toContain('data-kind="public"');
    expect(h1).not.toContain("定向募捐");
    expect(h2).toContain('data-kind="directed"');
    expect(h2).toContain("定向募捐");
    expect(h2).toContain("慈善法");
    expect(renderRoute(CampaignRoute as never, p2, undefined, "en")).toContain("Directed campaign");
    // the foundation page says the same
    expect(renderRoute(FoundationRoute as never, await foundationPage(directed.foundation.slug, {}, null))).toContain('data-kind="directed"');
  });
});

describe("manager pages", () => {
  const routes = (slug: string, ref: string) => [
    { name: "overview", mod: adminRoute, url: `/admin/foundations/${slug}`, params: { slug } },
    { name: "donation", mod: detailRoute, url: `/admin/foundations/${slug}/donations/${ref}`, params: { slug, ref } },
    { name: "new campaign", mod: newCampaignRoute, url: `/admin/foundations/${slug}/campaigns/new`, params: { slug } },
    { name: "directed invitations", mod: invitationsRoute, url: `/admin/foundations/${slug}/invitations`, params: { slug } },
  ];

  it("refuse a non-manager and a manager of another foundation (403), in loaders and actions", async () => {
    const f = await givingFoundation();
    const other = await givingFoundation();
    const gift = await paidGift(f.foundation.slug, { amount: "10" });
    const nobody = await makeUser();
    for (const r of routes(f.foundation.slug, gift.donation.ref)) {
      for (const userId of [nobody.id, other.manager.id]) {
        const get = await outcome(async () => r.mod.loader({ request: await signedInRequest(userId, r.url), params: r.params, context: {} } as never));
        expect(get.status, `${r.name} loader`).toBe(403);
        const post = await outcome(async () =>
          r.mod.action({ request: await signedInRequest(userId, r.url, form({ intent: "refund", amount: "10", reason: "试试" })), params: r.params, context: {} } as never),
        );
        expect(post.status, `${r.name} action`).toBe(403);
      }
      const anonymous = await outcome(() => r.mod.loader({ request: new Request(`http://localhost:3000${r.url}`), params: r.params, context: {} } as never));
      expect(anonymous.status).toBe(302);
      const own = await outcome(async () => r.mod.loader({ request: await signedInRequest(f.manager.id, r.url), params: r.params, context: {} } as never));
      expect(own.status, `${r.name} for the manager`).toBe(200);
    }
    // the other foundation's manager cannot reach this gift through their own foundation either
    const cross = `/admin/foundations/${other.foundation.slug}/donations/${gift.donation.ref}`;
    const viaOwn = await outcome(async () =>
      detailRoute.loader({ request: await signedInRequest(other.manager.id, cross), params: { slug: other.foundation.slug, ref: gift.donation.ref }, context: {} } as never),
    );
    expect(viaOwn.status).toBe(404);
    expect(await db().refundRequest.count({ where: { donationId: gift.donation.id } })).toBe(0);
  });

  it("access rules: a foundation is managed by its managers and by administrators of an area above it; paid gifts known to the provider may be refunded", () => {
    const f = { id: "f1", areaPath: "/sh/jn/" };
    const grant = (role: string, areaPath: string, foundationId: string | null = null) => ({ role, areaPath, areaLevel: "DISTRICT", foundationId }) as never;
    expect(canManageFoundation({ grants: [grant("FOUNDATION_MANAGER", "/sh/jn/", "f1")] }, f)).toBe(true);
    expect(canManageFoundation({ grants: [grant("FOUNDATION_MANAGER", "/sh/jn/", "f2")] }, f)).toBe(false);
    expect(canManageFoundation({ grants: [grant("ADMIN", "/sh/")] }, f)).toBe(true);
    expect(canManageFoundation({ grants: [grant("ADMIN", "/sh/pd/")] }, f)).toBe(false);
    expect(canManageFoundation({ grants: [grant("OFFICIAL", "/sh/")] }, f)).toBe(false);
    expect(canManageFoundation(null, f)).toBe(false);
    expect(mayRefund({ status: "SUCCEEDED", paymentIntentId: "pi_1" })).toBe(true);
    expect(mayRefund({ status: "PARTIALLY_REFUNDED", paymentIntentId: "pi_1" })).toBe(true);
    for (const status of ["PENDING", "PROCESSING", "FAILED", "REFUNDED", "DISPUTED"]) expect(mayRefund({ status, paymentIntentId: "pi_1" })).toBe(false);
    expect(mayRefund({ status: "SUCCEEDED", paymentIntentId: null })).toBe(false);
  });

  it("share one layout: its loader admits the foundation's managers and the officials who set up its money, it draws the header once, and the URLs stay as they were", async () => {
    const f = await givingFoundation();
    const other = await givingFoundation();
    const nobody = await makeUser();
    const url = `/admin/foundations/${f.foundation.slug}/campaigns/new`;
    const load = (request: Request) => outcome(() => layoutRoute.loader({ request, params: { slug: f.foundation.slug }, context: {} } as never));
    for (const userId of [nobody.id, other.manager.id]) expect((await load(await signedInRequest(userId, url))).status).toBe(403);
    expect((await load(new Request(`http://localhost:3000${url}`))).status).toBe(302);
    const own = await load(await signedInRequest(f.manager.id, url));
    expect(own.value).toEqual({ foundation: { slug: f.foundation.slug, nameZh: f.foundation.nameZh, nameEn: f.foundation.nameEn }, manages: true, funds: false });
    const html = renderRoute(LayoutRoute as never, own.value);
    expect(html).toContain('data-testid="foundation-admin-nav"');
    expect(html).toContain(`href="/foundations/${f.foundation.slug}"`);
    expect(html).toContain(`href="/admin/foundations/${f.foundation.slug}/campaigns/new"`);
    expect(html).toContain(`href="/admin/foundations/${f.foundation.slug}/invitations"`);
    expect(html).not.toContain(`href="/admin/foundations/${f.foundation.slug}/money"`);
    // an official of the foundation's subdistrict sets up its money: the money page's link only (ADR 025)
    const area = await db().area.findUniqueOrThrow({ where: { id: f.foundation.areaId } });
    const official = await person([{ role: "OFFICIAL", area }]);
    const theirs = await load(await signedInRequest(official.id, url));
    expect(theirs.value).toMatchObject({ manages: false, funds: true });
    const officialHtml = renderRoute(LayoutRoute as never, theirs.value);
    expect(officialHtml).toContain(`href="/admin/foundations/${f.foundation.slug}/money"`);
    expect(officialHtml).not.toContain(`href="/admin/foundations/${f.foundation.slug}/campaigns/new"`);
    // the pages no longer draw their own copy of the header
    const page = await outcome(async () => newCampaignRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug: f.foundation.slug }, context: {} } as never));
    expect(renderRoute(NewCampaignRoute as never, page.value)).not.toContain('aria-label="位置"');
    const layout = routeConfig.find((r) => r.path === "admin/foundations/:slug");
    expect(layout?.file).toBe("routes/admin.foundations.$slug.layout.tsx");
    expect(layout?.children?.map((c) => [c.index ?? false, c.path ?? "", c.file])).toEqual([
      [true, "", "routes/admin.foundations.$slug.tsx"],
      [false, "donations/:ref", "routes/admin.foundations.$slug.donations.$ref.tsx"],
      [false, "campaigns/new", "routes/admin.foundations.$slug.campaigns.new.tsx"],
      [false, "invitations", "routes/admin.foundations.$slug.invitations.tsx"],
      [false, "money", "routes/admin.foundations.$slug.money.tsx"],
      [false, "annual-report", "routes/admin.foundations.$slug.annual-report.tsx"],
    ]);
  });

  it("managerDonations filters by status, Shanghai dates and search, pages, lists every gift it matches and totals the paid ones", async () => {
    const f = await givingFoundation();
    const started = [];
    for (let i = 0; i < 22; i++) started.push(await startGift(f.foundation.slug, { amount: "5", donorName: `捐赠人${i}` }));
    const zhang = await paidGift(f.foundation.slug, { amount: "100", donorName: "张三丰", email: `zsf-${uid()}@example.com` });
    const wang = await paidGift(f.foundation.slug, { amount: "50", donorName: undefined });
    expect(await requestRefund(f.manager, f.foundation.slug, wang.donation.ref, { amount: "10", reason: "部分退款" })).toEqual({ ok: true });
    const q = (s: string) => managerDonations(f.foundation.id, parseManagerFilters(new URLSearchParams(s)));

    const all = await q("");
    expect(all.listed).toBe(24);
    // the 22 checkouts never paid are listed, not totalled
    expect(all.totals).toEqual({ count: 2, amountFen: 10_000 + 5_000, refundedFen: 1_000, matchedFen: 0 });
    expect(all.items).toHaveLength(20);
    expect(all.pager).toMatchObject({ page: 1, pages: 2, prev: null });
    expect((await q(`page=2&cursor=${all.pager.next}`)).items).toHaveLength(4);
    expect((await q("per=50")).items).toHaveLength(24);
    expect((await q("per=7")).per).toBe(20);

    expect((await q("status=SUCCEEDED")).items.map((d) => d.ref)).toEqual([zhang.donation.ref]);
    expect((await q("status=PARTIALLY_REFUNDED")).totals).toMatchObject({ count: 1, amountFen: 5_000, refundedFen: 1_000 });
    expect((await q("status=PENDING")).listed).toBe(22);
    expect((await q("status=PENDING")).totals).toEqual({ count: 0, amountFen: 0, refundedFen: 0, matchedFen: 0 });
    expect((await q("status=nonsense")).listed).toBe(24);

    expect((await q(`q=${encodeURIComponent(zhang.donation.email.slice(0, 10).toUpperCase())}`)).items.map((d) => d.ref)).toEqual([zhang.donation.ref]);
    expect((await q(`q=${zhang.donation.ref.toLowerCase()}`)).items.map((d) => d.ref)).toEqual([zhang.donation.ref]);
    expect((await q(`q=${encodeURIComponent(zhang.donation.receiptNo!)}`)).items.map((d) => d.ref)).toEqual([zhang.donation.ref]);
    expect((await q(`q=${encodeURIComponent("三丰")}`)).items.map((d) => d.ref)).toEqual([zhang.donation.ref]);
    expect((await q(`q=${encodeURIComponent("捐赠人1")}`)).listed).toBe(11); // 捐赠人1, 捐赠人10 … 捐赠人19

    const shanghaiDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    expect((await q(`from=${shanghaiDay(0)}&to=${shanghaiDay(0)}`)).listed).toBe(24);
    expect((await q(`from=${shanghaiDay(1)}`)).listed).toBe(0);
    expect((await q(`to=${shanghaiDay(-1)}`)).listed).toBe(0);
    expect((await q(`from=not-a-date`)).listed).toBe(24);

    // the list page does not show emails; the detail page does
    const listed = await outcome(async () =>
      adminRoute.loader({ request: await signedInRequest(f.manager.id, `/admin/foundations/${f.foundation.slug}?q=${zhang.donation.ref}`), params: { slug: f.foundation.slug }, context: {} } as never),
    );
    expect(renderRoute(AdminRoute as never, listed.value)).not.toContain(zhang.donation.email);
    const detail = await outcome(async () =>
      detailRoute.loader({
        request: await signedInRequest(f.manager.id, `/admin/foundations/${f.foundation.slug}/donations/${zhang.donation.ref}`),
        params: { slug: f.foundation.slug, ref: zhang.donation.ref },
        context: {},
      } as never),
    );
    const detailHtml = renderRoute(DetailRoute as never, detail.value);
    expect(detailHtml).toContain(zhang.donation.email);
    expect(detailHtml).toContain("checkout.session.completed");
    expect((detail.value as { postings: { kind: string }[] }).postings.map((p) => p.kind)).toEqual(["DONATION"]);
  });

  it("managerDonations pages by number: every gift exactly once, newest first, by number, forward and back, ties on the time included; a bad cursor is ignored", async () => {
    const f = await givingFoundation();
    for (let i = 0; i < 23; i++) await startGift(f.foundation.slug, { amount: "5", donorName: `翻页${i}` });
    // one time for all of them: only the id orders them
    await db().donation.updateMany({ where: { foundationId: f.foundation.id }, data: { createdAt: new Date("2026-06-01T02:00:00.123Z") } });
    const expected = (await db().donation.findMany({ where: { foundationId: f.foundation.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { ref: true } })).map((d) => d.ref);
    const q = (s: string) => managerDonations(f.foundation.id, parseManagerFilters(new URLSearchParams(s)));
    const forward = await walkNumbered(async (qs) => {
      const page = await q(`per=20&${qs}`);
      return { items: page.items.map((d) => d.ref), pager: page.pager };
    });
    expect(forward.map((p) => p.length)).toEqual([20, 3]);
    expect(forward.flat()).toEqual(expected);
    const first = await q("");
    expect((await q("page=2")).items.map((d) => d.ref)).toEqual(expected.slice(20));
    // bound to its filters (another filter reads the page by its number); malformed: ignored
    expect((await q(`status=PENDING&page=2&cursor=${first.pager.next}`)).items.map((d) => d.ref)).toEqual(expected.slice(20));
    for (const bad of ["%%%", "WzEsIngiLCJhIixbMSwyXV0", "x".repeat(3000)]) expect((await q(`page=1&cursor=${encodeURIComponent(bad)}`)).items).toEqual(first.items);

    // the page's pager: numbered plain links, previous / next carrying their cursor (no JavaScript needed)
    const load = async (qs: string) =>
      (await outcome(async () => adminRoute.loader({ request: await signedInRequest(f.manager.id, `/admin/foundations/${f.foundation.slug}?${qs}`), params: { slug: f.foundation.slug }, context: {} } as never))).value;
    const firstPager = numberedPagerIn(renderRoute(AdminRoute as never, await load("")))!;
    expect(firstPager).toMatchObject({ label: "翻页", current: "当前页： 1", prev: null, next: `/p?page=2&cursor=${first.pager.next}` });
    expect(firstPager.links.map((l) => [l.page, l.href])).toEqual([[2, "/p?page=2"]]);
    const lastPager = numberedPagerIn(renderRoute(AdminRoute as never, await load("page=2"), undefined, "en"))!;
    expect(lastPager).toMatchObject({ label: "Pages", current: "Current page: 2", next: null });
    expect(lastPager.links.map((l) => [l.label, l.href])).toEqual([["Page 1", "/p"]]);
    expect(lastPager.prev).toMatch(/^\/p\?cursor=\w+$/);
  });

  it("refunds in two steps (review, then confirm), with the error's values, and shows what happened", async () => {
    const f = await givingFoundation();
    await givingCampaign(f, { poolYuan: "1000" });
    const gift = await paidGift(f.foundation.slug, { amount: "100" });
    const slug = f.foundation.slug;
    const ref = gift.donation.ref;
    const url = `/admin/foundations/${slug}/donations/${ref}`;
    const post = async (fields: Record<string, string>) =>
      outcome(async () => detailRoute.action({ request: await signedInRequest(f.manager.id, url, form(fields)), params: { slug, ref }, context: {} } as never));

    // the first step sends nothing and asks for confirmation
    const review = await post({ intent: "review", amount: "40", reason: "捐赠人要求" });
    expect(review.status).toBe(200);
    expect((review.value as { confirm: unknown }).confirm).toEqual({ amount: "40", amountFen: 4_000, reason: "捐赠人要求" });
    expect(await db().refundRequest.count({ where: { donationId: gift.donation.id } })).toBe(0);
    const loaded = await outcome(async () => detailRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug, ref }, context: {} } as never));
    const confirmHtml = renderRoute(DetailRoute as never, loaded.value, review.value);
    expect(confirmHtml).toContain('data-testid="refund-confirm"');
    expect(confirmHtml).toContain('value="refund"');

    // too much: the message carries what is left
    const tooMuch = await post({ intent: "review", amount: "100.01", reason: "捐赠人要求" });
    const tooMuchResult = returned(tooMuch.value);
    expect(tooMuchResult.init?.status).toBe(400);
    expect(JSON.stringify(tooMuchResult.data)).toContain('refund.error.amount|{\\"left\\":\\"¥100.00\\"}');
    expect(renderRoute(DetailRoute as never, loaded.value, tooMuchResult.data)).toContain("不能超过尚未退还的金额 ¥100.00");

    // confirmed: the request goes out, and the page says so (demo mode: already booked)
    const done = await post({ intent: "refund", amount: "40", reason: "捐赠人要求" });
    expect(done).toEqual({ status: 302, location: `${url}?done=refund` });
    expect(await db().donation.findUniqueOrThrow({ where: { id: gift.donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 4_000 });
    const after = await outcome(async () => detailRoute.loader({ request: await signedInRequest(f.manager.id, `${url}?done=refund`), params: { slug, ref }, context: {} } as never));
    const afterValue = after.value as { leftFen: number; refunds: { origin: string; by: string | null; reason: string }[]; matches: { returnedFen: number }[] };
    expect(afterValue.leftFen).toBe(6_000);
    expect(afterValue.refunds).toEqual([expect.objectContaining({ origin: "MANAGER", by: "基金管理人", reason: "捐赠人要求" })]);
    expect(afterValue.matches[0]!.returnedFen).toBe(4_000);
    const afterHtml = renderRoute(DetailRoute as never, after.value);
    expect(afterHtml).toContain("退款已提交");
    expect(afterHtml).toContain("演示支付模式");
    expect(afterHtml).toContain('value="60"'); // the form now defaults to what is left

    // the service's own refusal (more than is left, counted from the requests) comes back with its values too
    const again = await post({ intent: "refund", amount: "70", reason: "再退一次" });
    expect(JSON.stringify(returned(again.value).data)).toContain('refund.error.amount|{\\"left\\":\\"¥60.00\\"}');
  });

  it("tops up a campaign once per form, whatever the resubmissions", async () => {
    const f = await givingFoundation();
    const c = await givingCampaign(f, { poolYuan: "100" });
    const slug = f.foundation.slug;
    const url = `/admin/foundations/${slug}`;
    const loaded = await outcome(async () => adminRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug }, context: {} } as never));
    const { requestKey, campaigns } = loaded.value as { requestKey: string; campaigns: { slug: string; money: { remainingFen: number } }[] };
    expect(campaigns.map((x) => x.slug)).toEqual([c.slug]);
    const html = renderRoute(AdminRoute as never, loaded.value);
    expect(html).toContain(`name="requestKey" value="${requestKey}"`);
    const post = async (fields: Record<string, string>) =>
      outcome(async () => adminRoute.action({ request: await signedInRequest(f.manager.id, url, form(fields)), params: { slug }, context: {} } as never));
    for (let i = 0; i < 3; i++) expect(await post({ intent: "topup", campaign: c.slug, amount: "25.5", requestKey })).toEqual({ status: 302, location: `${url}?done=topup` });
    expect(await balanceFen(db(), accountCodes.matchingPool(c.id))).toBe(12_550);
    // one decision, one audit record
    expect(await db().auditLog.count({ where: { action: "campaign.topped-up", objectId: c.id } })).toBe(1);
    const bad = await post({ intent: "topup", campaign: c.slug, amount: "abc", requestKey: crypto.randomUUID() });
    const badData = returned(bad.value).data as { intent: string; result: { initialValue: Record<string, string>; error: Record<string, string[]> } };
    expect(returned(bad.value).init?.status).toBe(400);
    expect(badData.intent).toBe("topup");
    expect(badData.result.initialValue).toMatchObject({ campaign: c.slug, amount: "abc" });
    // "abc" is said not to be a number, not to be too small
    expect(badData.result.error).toEqual({ amount: ["posting.amount.format"] });
    // the failed top-up keeps its amount and shows its error under its own campaign
    const badHtml = renderRoute(AdminRoute as never, loaded.value, badData);
    expect(badHtml).toContain('value="abc"');
    expect(badHtml).toContain("这不是一个数字");
    // a form that did not come from the page (no valid request key) is refused as input, and posts nothing
    expect(returned((await post({ intent: "topup", campaign: c.slug, amount: "1", requestKey: "not-a-key" })).value).init?.status).toBe(400);
    expect(await balanceFen(db(), accountCodes.matchingPool(c.id))).toBe(12_550);
  });

  it("creates a campaign through the form: keeps what was typed on error, goes to the campaign page on success", async () => {
    const f = await givingFoundation();
    const slug = f.foundation.slug;
    const url = `/admin/foundations/${slug}/campaigns/new`;
    const taken = await givingCampaign(f);
    const loaded = await outcome(async () => newCampaignRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug }, context: {} } as never));
    const typed = {
      intent: "create",
      slug: taken.slug,
      titleZh: "重阳敬老配捐",
      titleEn: "Double Ninth matching",
      descriptionZh: "为高龄老人助餐",
      descriptionEn: "",
      sponsorName: "某某科技有限公司",
      sponsorKind: "COMPANY",
      ratioSponsor: "1",
      ratioDonor: "2",
      perDonationCap: "500",
      pool: "20000",
      startsAt: "2030-10-01T09:00",
      endsAt: "2030-10-31T18:00",
      eligibleProjects: "",
    };
    const post = async (fields: Record<string, string>) =>
      outcome(async () => newCampaignRoute.action({ request: await signedInRequest(f.manager.id, url, form(fields)), params: { slug }, context: {} } as never));

    const slugTaken = returned((await post(typed)).value);
    expect(slugTaken.init?.status).toBe(409);
    const result = slugTaken.data.result as { initialValue: Record<string, string>; error: Record<string, string[]> };
    expect(result.error.slug).toEqual(["campaign.error.slugTaken"]);
    expect(result.initialValue).toMatchObject({ titleZh: "重阳敬老配捐", sponsorName: "某某科技有限公司", pool: "20000", startsAt: "2030-10-01T09:00" });
    const html = renderRoute(NewCampaignRoute as never, loaded.value, slugTaken.data);
    expect(html).toContain('value="重阳敬老配捐"');
    expect(html).toContain('value="2030-10-31T18:00"');
    expect(html).toContain("该网址名已被使用");

    const unknownProject = returned((await post({ ...typed, slug: `c-${uid()}`, eligibleProjects: "ZZ9-9999" })).value);
    const unknownResult = unknownProject.data.result as { initialValue: Record<string, string>; error: Record<string, string[]> };
    expect(unknownResult.error.eligibleProjects).toEqual(['campaign.error.projects|{"refs":"ZZ9-9999"}']);
    expect(unknownResult.initialValue.eligibleProjects).toBe("ZZ9-9999");

    const badWindow = returned((await post({ ...typed, slug: `c-${uid()}`, endsAt: "2030-09-01T09:00" })).value);
    expect((badWindow.data.result as { error: Record<string, string[]> }).error.endsAt).toEqual(["matching.error.window"]);

    const fresh = `c-${uid()}`;
    expect(await post({ ...typed, slug: fresh })).toEqual({ status: 302, location: `/campaigns/${fresh}` });
    const created = await db().matchingCampaign.findUniqueOrThrow({ where: { slug: fresh } });
    expect(created).toMatchObject({ foundationId: f.foundation.id, sponsorKind: "COMPANY", ratioSponsor: 1, ratioDonor: 2, perDonationCapFen: 50_000, startsAt: new Date("2030-10-01T01:00:00Z") });
    expect(await balanceFen(db(), accountCodes.matchingPool(created.id))).toBe(2_000_000);
    const page = (await campaignPage(fresh))!;
    expect(page.campaign.phase).toBe("upcoming");
  });
});
