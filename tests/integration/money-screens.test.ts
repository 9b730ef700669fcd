import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import AdminRoute, * as adminRoute from "~/routes/admin.foundations.$slug";
import DetailRoute, * as detailRoute from "~/routes/admin.foundations.$slug.donations.$ref";
import NewCampaignRoute, * as newCampaignRoute from "~/routes/admin.foundations.$slug.campaigns.new";
import FoundationRoute, * as foundationRoute from "~/routes/foundations.$slug";
import ReleasesRoute from "~/routes/admin.releases";
import { campaignPage } from "~/services/giving/foundation-pages.server";
import { transparencyPortal } from "~/services/public/transparency.server";
import { balanceFen } from "~/services/books/ledger.server";
import { db, uid } from "../support/db";
import { deliverInProcess, givingCampaign, givingFoundation, paidGift, plainViewer, startGift } from "../support/giving-fixture";
import MyDonationsRoute, * as myDonationsRoute from "~/routes/me.donations";
import { renderRoute } from "../support/render-route";
import { form, outcome, signedInRequest } from "../support/requests";

beforeAll(() => deliverInProcess());

type Reply = { data: { intent?: string; result: { initialValue: Record<string, string>; error?: Record<string, string[]> } }; init: { status?: number } | null };
const reply = (value: unknown) => value as Reply;

/** Tags removed and entities decoded: what a reader sees of the rendered page. */
const textOf = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");

/** A campaign form as a manager fills it in, confirmed. */
const campaignFields = (over: Record<string, string> = {}) => ({
  intent: "create",
  slug: `c-${uid()}`,
  titleZh: "重阳敬老配捐",
  titleEn: "",
  descriptionZh: "",
  descriptionEn: "",
  sponsorName: "某某科技有限公司",
  sponsorKind: "COMPANY",
  ratioSponsor: "1",
  ratioDonor: "1",
  perDonationCap: "",
  pool: "20000",
  startsAt: "2030-10-01T09:00",
  endsAt: "2030-10-31T18:00",
  eligibleProjects: "",
  ...over,
});

async function managerPages() {
  const f = await givingFoundation();
  const slug = f.foundation.slug;
  const newUrl = `/admin/foundations/${slug}/campaigns/new`;
  const postCampaign = async (fields: Record<string, string>) =>
    outcome(async () => newCampaignRoute.action({ request: await signedInRequest(f.manager.id, newUrl, form(fields)), params: { slug }, context: {} } as never));
  const loadNew = async () => outcome(async () => newCampaignRoute.loader({ request: await signedInRequest(f.manager.id, newUrl), params: { slug }, context: {} } as never));
  const loadAdmin = async () =>
    outcome(async () => adminRoute.loader({ request: await signedInRequest(f.manager.id, `/admin/foundations/${slug}`), params: { slug }, context: {} } as never));
  return { f, slug, postCampaign, loadNew, loadAdmin };
}

describe("headline totals count paid gifts only", () => {
  it("an abandoned or failed checkout changes no headline: managers' totals, the campaign's raised, the transparency portal", async () => {
    const { f, loadAdmin } = await managerPages();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    await paidGift(f.foundation.slug, { amount: "80", campaignId: campaign.id });
    const headlines = async () => {
      const admin = (await loadAdmin()).value as { list: { totals: unknown; listed: number } };
      const portal = await transparencyPortal();
      const row = portal.foundations.find((x) => x.slug === f.foundation.slug)!;
      return { manager: admin.list.totals, campaign: (await campaignPage(campaign.slug))!.money.raisedFen, portal: { giftsFen: row.totals.giftsFen, gifts: row.totals.gifts } };
    };
    const before = await headlines();
    expect(before.manager).toEqual({ count: 1, amountFen: 8_000, refundedFen: 0, matchedFen: 8_000 });

    // a checkout started and left (PENDING), and one whose payment failed
    await startGift(f.foundation.slug, { amount: "5000", campaignId: campaign.id });
    const failed = await startGift(f.foundation.slug, { amount: "3000", campaignId: campaign.id });
    await db().donation.update({ where: { id: failed.donation.id }, data: { status: "FAILED" } });

    expect(await headlines()).toEqual(before);
    // both are still listed for the managers, and the page says so beside the totals
    const loaded = await loadAdmin();
    expect((loaded.value as { list: { listed: number } }).list.listed).toBe(3);
    const html = renderRoute(AdminRoute as never, loaded.value);
    const totals = textOf(/data-testid="donation-totals"[\s\S]*?<\/dl>/.exec(html)![0]);
    expect(totals).toContain("¥80.00");
    expect(totals).not.toContain("¥8,080.00");
    expect(textOf(html)).toContain("共 3 笔记录（含未支付）");
  });
});

describe("the donor's own page", () => {
  it("heads the list with paid gifts only: a failed payment is listed, not counted as given", async () => {
    const { f } = await managerPages();
    const donor = await plainViewer();
    await paidGift(f.foundation.slug, { amount: "50" }, donor);
    const load = async () => outcome(async () => myDonationsRoute.loader({ request: await signedInRequest(donor.id, "/me/donations"), params: {}, context: {} } as never));
    const before = (await load()).value as { paid: number; givenFen: number };
    expect(before).toMatchObject({ paid: 1, givenFen: 5_000 });
    const failed = await startGift(f.foundation.slug, { amount: "900" }, donor);
    await db().donation.update({ where: { id: failed.donation.id }, data: { status: "FAILED" } });
    const after = await load();
    expect(after.value).toMatchObject({ total: 2, paid: 1, givenFen: 5_000 });
    expect(textOf(renderRoute(MyDonationsRoute as never, after.value))).toContain("共 2 笔记录，已支付 1 笔，合计 ¥50.00（已扣除退款）");
  });
});

describe("the campaign form: every problem at once, bounded amounts, a confirmation", () => {
  it("shows every field's problem in one answer, and says 'abc' is not a number", async () => {
    const { postCampaign, loadNew } = await managerPages();
    const answer = reply(
      (await postCampaign(campaignFields({ titleZh: "", sponsorName: "", sponsorKind: "", pool: "abc", perDonationCap: "xyz", endsAt: "2030-09-01T09:00" }))).value,
    );
    expect(answer.init?.status).toBe(400);
    expect(answer.data.result.error).toMatchObject({
      titleZh: ["validation.required"],
      sponsorName: ["campaign.error.sponsor"],
      sponsorKind: ["campaign.error.sponsorKind"],
      pool: ["posting.amount.format"],
      perDonationCap: ["money.format"],
      endsAt: ["matching.error.window"],
    });
    // the English title is optional: no error for it
    expect(answer.data.result.error?.titleEn).toBeUndefined();
    const html = renderRoute(NewCampaignRoute as never, (await loadNew()).value, answer.data);
    expect(html).toContain("这不是一个数字");
    expect(html).not.toContain("须大于零");
    expect(html).toContain('value="abc"');
  });

  it("does not label the sponsor 政府 by default: the kind must be chosen", async () => {
    const { loadNew } = await managerPages();
    const loaded = await loadNew();
    expect((loaded.value as { defaults: Record<string, string> }).defaults.sponsorKind).toBeUndefined();
    const html = renderRoute(NewCampaignRoute as never, loaded.value);
    const select = /<select[^>]*name="sponsorKind"[\s\S]*?<\/select>/.exec(html)![0];
    expect(select).toContain('<option value="">请选择</option>');
    expect(select).not.toMatch(/selected/);
  });

  it("refuses a pool of ¥50,000,000 with a clear message, keeps what was typed and books nothing", async () => {
    const { f, postCampaign, loadNew } = await managerPages();
    const fields = campaignFields({ pool: "50000000" });
    const answer = reply((await postCampaign(fields)).value);
    expect(answer.init?.status).toBe(400);
    expect(answer.data.result.error).toEqual({ pool: ["posting.amount.aboveCap"] });
    expect(answer.data.result.initialValue).toMatchObject({ pool: "50000000", titleZh: "重阳敬老配捐", sponsorName: "某某科技有限公司" });
    expect(await db().matchingCampaign.count({ where: { foundationId: f.foundation.id } })).toBe(0);
    const html = renderRoute(NewCampaignRoute as never, (await loadNew()).value, answer.data);
    expect(html).toContain("单次注入上限 ¥5,000,000");
    expect(html).toContain('value="50000000"');
  });

  it("reviews first and asks to confirm the pool, writing nothing; only the confirmation's button books it", async () => {
    const { f, postCampaign, loadNew } = await managerPages();
    const fields = campaignFields({ intent: "review" });
    const reviewed = (await postCampaign(fields)).value as { intent: string; confirm: { poolFen: number } | null; result: { initialValue: Record<string, string> } };
    expect(reviewed.intent).toBe("review");
    expect(reviewed.confirm).toEqual({ poolFen: 2_000_000 });
    expect(await db().matchingCampaign.count({ where: { foundationId: f.foundation.id } })).toBe(0);
    const html = renderRoute(NewCampaignRoute as never, (await loadNew()).value, reviewed);
    // the question is open with the amount, the form keeps what was typed
    expect(html).toMatch(/<details[^>]*open=""/);
    expect(textOf(html)).toContain("将注入：¥20,000.00");
    expect(html).toContain('value="重阳敬老配捐"');
    // review's button comes first in the form: Enter in a field reviews, never books
    const review = html.search(/<button type="submit" value="review"/);
    const create = html.search(/<button type="submit" value="create"[^>]*name="intent">确认创建并注入<\/button>/);
    expect(review).toBeGreaterThan(0);
    expect(create).toBeGreaterThan(review);
    // before a review, no confirmation is offered
    expect(renderRoute(NewCampaignRoute as never, (await loadNew()).value)).not.toContain('value="create"');
    // a form with no step is refused and books nothing
    const { intent: _intent, ...noStep } = fields;
    expect(reply((await postCampaign(noStep)).value).init?.status).toBe(400);
    expect(await db().matchingCampaign.count({ where: { foundationId: f.foundation.id } })).toBe(0);

    // confirmed, with no English title: created, the Chinese title standing in
    expect(await postCampaign({ ...fields, intent: "create" })).toEqual({ status: 302, location: `/campaigns/${fields.slug}` });
    const created = await db().matchingCampaign.findUniqueOrThrow({ where: { slug: fields.slug } });
    expect(created).toMatchObject({ sponsorKind: "COMPANY", titleEn: "重阳敬老配捐" });
    expect(await balanceFen(db(), accountCodes.matchingPool(created.id))).toBe(2_000_000);
  });

  it("bounds a pool top-up the same way and asks for its confirmation", async () => {
    const { f, slug, loadAdmin } = await managerPages();
    const c = await givingCampaign(f, { poolYuan: "100" });
    const loaded = await loadAdmin();
    const { requestKey } = loaded.value as { requestKey: string };
    const post = async (fields: Record<string, string>) =>
      outcome(async () => adminRoute.action({ request: await signedInRequest(f.manager.id, `/admin/foundations/${slug}`, form(fields)), params: { slug }, context: {} } as never));
    for (const intent of ["topupReview", "topup"]) {
      const big = reply((await post({ intent, campaign: c.slug, amount: "50000000", requestKey })).value);
      expect(big.init?.status).toBe(400);
      expect(big.data.result.error).toEqual({ amount: ["posting.amount.aboveCap"] });
    }
    const reviewed = (await post({ intent: "topupReview", campaign: c.slug, amount: "300", requestKey })).value as { confirm: unknown };
    expect(reviewed.confirm).toEqual({ campaign: c.slug, amount: "300", amountFen: 30_000 });
    expect(await balanceFen(db(), accountCodes.matchingPool(c.id))).toBe(10_000);
    const html = renderRoute(AdminRoute as never, loaded.value, reviewed);
    expect(textOf(html)).toContain("追加的资金将立即记入配捐资金池，不能撤回。确认追加？");
    expect(textOf(html)).toContain("追加 ¥300.00");
    expect(html.search(/value="topupReview"/)).toBeLessThan(html.search(/value="topup"[^R]/));
    expect(await post({ intent: "topup", campaign: c.slug, amount: "300", requestKey })).toMatchObject({ status: 302 });
    expect(await balanceFen(db(), accountCodes.matchingPool(c.id))).toBe(40_000);
  });
});

describe("ledger rows in one language, accounts by name", () => {
  it("the public foundation ledger shows the kind and the memo's part in the page's language", async () => {
    const { f } = await managerPages();
    const gift = await paidGift(f.foundation.slug, { amount: "30" });
    const loaded = await outcome(async () => foundationRoute.loader({ request: new Request(`http://localhost:3000/foundations/${f.foundation.slug}`), params: { slug: f.foundation.slug }, context: {} } as never));
    const zh = textOf(renderRoute(FoundationRoute as never, loaded.value));
    expect(zh).toContain(`捐赠 捐赠 ${gift.donation.ref}+¥30.00`);
    expect(zh).not.toContain(`Gift ${gift.donation.ref}`);
    expect(zh).not.toContain("捐赠捐赠");
    const en = textOf(renderRoute(FoundationRoute as never, loaded.value, undefined, "en"));
    expect(en).toContain(`Gift ${gift.donation.ref}`);
    expect(en).not.toContain(`捐赠 ${gift.donation.ref}`);
  });

  it("a gift's postings for its managers: one language, and no raw account key", async () => {
    const { f, slug } = await managerPages();
    const gift = await paidGift(slug, { amount: "30" });
    const url = `/admin/foundations/${slug}/donations/${gift.donation.ref}`;
    const loaded = await outcome(async () => detailRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug, ref: gift.donation.ref }, context: {} } as never));
    const zh = renderRoute(DetailRoute as never, loaded.value);
    const postings = textOf(/data-testid="postings"[\s\S]*?<\/ul>/.exec(zh)![0]);
    expect(postings).toContain(`捐赠 ${gift.donation.ref}`);
    expect(postings).not.toContain(" / Gift");
    expect(postings).toContain("基金可用资金");
    expect(postings).toContain("支付清算（stripe）");
    expect(zh).not.toContain(accountCodes.foundationAvailable(f.foundation.id));
    expect(zh).not.toContain(`foundation:${f.foundation.id}`);
    const en = textOf(/data-testid="postings"[\s\S]*?<\/ul>/.exec(renderRoute(DetailRoute as never, loaded.value, undefined, "en"))![0]);
    expect(en).toContain(`Gift ${gift.donation.ref}`);
    expect(en).toContain("Foundation's available funds");
    expect(en).not.toContain("捐赠 G-");
  });
});

describe("labels and messages of money forms", () => {
  it("the refund form's empty amount has its own message, not the donation form's", async () => {
    const { f, slug } = await managerPages();
    const gift = await paidGift(slug, { amount: "30" });
    const url = `/admin/foundations/${slug}/donations/${gift.donation.ref}`;
    const answer = reply(
      (
        await outcome(async () =>
          detailRoute.action({ request: await signedInRequest(f.manager.id, url, form({ intent: "review", amount: "", reason: "重复捐赠" })), params: { slug, ref: gift.donation.ref }, context: {} } as never),
        )
      ).value,
    );
    expect(answer.data.result.error).toEqual({ amount: ["refund.amount.required"] });
    const loaded = await outcome(async () => detailRoute.loader({ request: await signedInRequest(f.manager.id, url), params: { slug, ref: gift.donation.ref }, context: {} } as never));
    const html = renderRoute(DetailRoute as never, loaded.value, answer.data);
    expect(html).toContain("请输入退款金额");
    expect(html).not.toContain("请输入捐赠金额");
  });

  it("the payments list calls a tranche's amount a tranche amount, not an award", () => {
    const row = {
      id: "t1",
      position: 2,
      amountFen: 300_000,
      status: "PREPARED",
      preparedAt: null,
      preparedByMe: false,
      project: { referenceNo: "JN6-0003", title: "长者助餐", organization: { name: "某某社工站" } },
    };
    const zh = textOf(renderRoute(ReleasesRoute as never, { rows: [row], total: 1, page: 1, pages: 1 }));
    expect(zh).toContain("本期金额");
    expect(zh).not.toContain("资助金额");
    expect(textOf(renderRoute(ReleasesRoute as never, { rows: [row], total: 1, page: 1, pages: 1 }, undefined, "en"))).toContain("Tranche amount");
  });
});
