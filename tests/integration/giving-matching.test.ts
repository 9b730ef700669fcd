import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import { balanceFen } from "~/services/books/ledger.server";
import { db, receiptPrefix } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import {
  deliver,
  foundationManager,
  givingCampaign,
  givingFoundation,
  paidEvents,
  refundEvent,
  startGift,
  startMonthly,
  subscriptionEvents,
} from "../support/giving-fixture";

/**
 * Matching campaigns (配捐): gifts racing for the last yuan of a pool never overdraw it;
 * the ratio, the per-donation cap, the window and the eligible projects are honoured; refunds give
 * the refunded share of the match back to the pool.
 */

const poolOf = (campaignId: string) => balanceFen(db(), accountCodes.matchingPool(campaignId));

/** Starts `n` gifts of `amount` yuan and pays them all at the same time (one Promise.all of deliveries). */
async function race(foundationSlug: string, n: number, amount: string) {
  const gifts = [];
  for (let i = 0; i < n; i++) gifts.push((await startGift(foundationSlug, { amount })).donation);
  const events = gifts.map((d) => paidEvents(d).events[0]!);
  const results = await Promise.all(events.map((e) => deliver(e)));
  expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
  return db().donation.findMany({ where: { id: { in: gifts.map((g) => g.id) } }, include: { matches: true } });
}

describe("gifts racing for the last ¥100 of a pool", () => {
  it.each([2, 10])("%i gifts of ¥100 paid at once: one full match, the rest none, the pool at zero", async (n) => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    expect(await poolOf(campaign.id)).toBe(10_000);
    const donations = await race(f.foundation.slug, n, "100");
    expect(donations.every((d) => d.status === "SUCCEEDED")).toBe(true);
    expect(donations.reduce((s, d) => s + d.matchedFen, 0)).toBe(10_000);
    expect(donations.map((d) => d.matchedFen).sort((a, b) => b - a)).toEqual([10_000, ...Array<number>(n - 1).fill(0)]);
    expect(donations.flatMap((d) => d.matches)).toMatchObject([{ matchedFen: 10_000, partial: false }]);
    expect(await poolOf(campaign.id)).toBe(0);
    // the foundation got every gift and exactly one match
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(100_000_000 + n * 10_000 + 10_000);
  });

  it("ten gifts of ¥30 at once: three full matches, one partial for the remainder, six none", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    const donations = await race(f.foundation.slug, 10, "30");
    const matches = donations.flatMap((d) => d.matches).sort((a, b) => b.matchedFen - a.matchedFen);
    expect(matches.map((m) => [m.matchedFen, m.partial])).toEqual([
      [3_000, false],
      [3_000, false],
      [3_000, false],
      [1_000, true],
    ]);
    expect(donations.filter((d) => d.matchedFen === 0)).toHaveLength(6);
    expect(await poolOf(campaign.id)).toBe(0);
  });

  it("ten monthly charges at once (each inserting its donation) draw from the pool without deadlock or overdraft", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    const invoices = [];
    for (let i = 0; i < 10; i++) {
      const { gift } = await startMonthly(f.foundation.slug, { amount: "30" });
      expect(gift.campaignId).toBe(campaign.id);
      invoices.push(subscriptionEvents(gift).invoicePaid());
    }
    const results = await Promise.all(invoices.map((m) => deliver(m.event)));
    expect(results.map((r) => r.status)).toEqual(invoices.map(() => 200));
    const donations = await db().donation.findMany({ where: { invoiceId: { in: invoices.map((m) => m.invoiceId) } } });
    expect(donations).toHaveLength(10);
    expect(donations.reduce((s, d) => s + d.matchedFen, 0)).toBe(10_000);
    expect(donations.map((d) => d.matchedFen).sort((a, b) => b - a)).toEqual([3_000, 3_000, 3_000, 1_000, 0, 0, 0, 0, 0, 0]);
    expect(await poolOf(campaign.id)).toBe(0);
  });
});

describe("the campaign's terms", () => {
  it("honours the per-donation cap and the ratio", async () => {
    const f = await givingFoundation();
    const capped = await givingCampaign(f, { poolYuan: "1000", capYuan: "50" });
    const big = await startGift(f.foundation.slug, { amount: "100" });
    expect(big.donation.campaignId).toBe(capped.id);
    for (const e of paidEvents(big.donation).events) await deliver(e);
    const d = await db().donation.findUniqueOrThrow({ where: { id: big.donation.id }, include: { matches: true } });
    expect(d.matchedFen).toBe(5_000);
    expect(d.matches).toMatchObject([{ matchedFen: 5_000, partial: false }]);
    expect(await poolOf(capped.id)).toBe(100_000 - 5_000);

    const g = await givingFoundation();
    const half = await givingCampaign(g, { poolYuan: "1000", ratio: [1, 2] });
    const odd = await startGift(g.foundation.slug, { amount: "99.99" });
    for (const e of paidEvents(odd.donation).events) await deliver(e);
    // 9,999 fen at 1:2 → 4,999 fen (rounded down, never a fraction of a fen)
    expect((await db().donation.findUniqueOrThrow({ where: { id: odd.donation.id } })).matchedFen).toBe(4_999);
    expect(await poolOf(half.id)).toBe(100_000 - 4_999);
  });

  it("a gift paid outside the window gets no match (the provider's time of payment counts)", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "1000", days: 1 });
    const early = await startGift(f.foundation.slug, { amount: "100" });
    const late = await startGift(f.foundation.slug, { amount: "100" });
    const inside = await startGift(f.foundation.slug, { amount: "100" });
    expect([early, late, inside].map((g) => g.donation.campaignId)).toEqual([campaign.id, campaign.id, campaign.id]);
    // before the window opened (an hour ago, to the minute), and after it closed
    for (const e of paidEvents(early.donation, { at: new Date(campaign.startsAt.getTime() - 60_000) }).events) await deliver(e);
    for (const e of paidEvents(late.donation, { at: new Date(campaign.endsAt.getTime() + 60_000) }).events) await deliver(e);
    for (const e of paidEvents(inside.donation).events) await deliver(e);
    const byId = new Map((await db().donation.findMany({ where: { foundationId: f.foundation.id }, include: { matches: true } })).map((d) => [d.id, d]));
    expect(byId.get(early.donation.id)).toMatchObject({ status: "SUCCEEDED", matchedFen: 0, matches: [] });
    expect(byId.get(late.donation.id)).toMatchObject({ status: "SUCCEEDED", matchedFen: 0, matches: [] });
    expect(byId.get(inside.donation.id)).toMatchObject({ status: "SUCCEEDED", matchedFen: 10_000 });
    expect(await poolOf(campaign.id)).toBe(100_000 - 10_000);
  });

  it("matches gifts to the eligible projects only", async () => {
    const p = await fundedProject({ count: 2 });
    // fundedProject's foundation has the default receipt prefix: give it its own (receipt numbers are unique)
    await db().foundation.update({ where: { id: p.foundation.id }, data: { receiptPrefix: receiptPrefix("M") } });
    const manager = await foundationManager(p.foundation, p.root);
    const [eligible, other] = p.projects;
    const campaign = await givingCampaign({ foundation: p.foundation, manager }, { poolYuan: "1000", eligibleProjects: [eligible!.referenceNo] });
    expect(campaign.eligibleProjectIds).toEqual([eligible!.id]);

    const toEligible = await startGift(p.foundation.slug, { amount: "100", projectId: eligible!.id });
    const toOther = await startGift(p.foundation.slug, { amount: "100", projectId: other!.id });
    const toFoundation = await startGift(p.foundation.slug, { amount: "100" });
    expect(toEligible.donation.campaignId).toBe(campaign.id);
    // checkout does not ask this campaign to match the others …
    expect(toOther.donation.campaignId).toBeNull();
    expect(toFoundation.donation.campaignId).toBeNull();
    // … and were one to claim it anyway, the draw itself checks eligibility
    const forced = await startGift(p.foundation.slug, { amount: "100", projectId: other!.id });
    await db().donation.update({ where: { id: forced.donation.id }, data: { campaignId: campaign.id } });

    for (const g of [toEligible, toOther, toFoundation, forced]) for (const e of paidEvents(g.donation).events) await deliver(e);
    const matched = await db().donation.findMany({
      where: { id: { in: [toEligible, toOther, toFoundation, forced].map((g) => g.donation.id) } },
      select: { id: true, status: true, matchedFen: true },
    });
    expect(matched.every((d) => d.status === "SUCCEEDED")).toBe(true);
    expect(Object.fromEntries(matched.map((d) => [d.id, d.matchedFen]))).toEqual({
      [toEligible.donation.id]: 10_000,
      [toOther.donation.id]: 0,
      [toFoundation.donation.id]: 0,
      [forced.donation.id]: 0,
    });
    expect(await poolOf(campaign.id)).toBe(100_000 - 10_000);
    // the gift and its match sit in the project's earmark
    const earmark = accountCodes.earmark(p.foundation.id, { projectId: eligible!.id });
    expect(await balanceFen(db(), earmark)).toBe(20_000);
  });
});

describe("refunds give the match back", () => {
  let f: Awaited<ReturnType<typeof givingFoundation>>;
  beforeAll(async () => {
    f = await givingFoundation();
  });

  it("a full refund returns the whole match to the pool", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "1000" });
    const { donation } = await startGift(f.foundation.slug, { amount: "100", campaignId: campaign.id });
    const { events, paymentIntentId } = paidEvents(donation);
    for (const e of events) await deliver(e);
    expect(await poolOf(campaign.id)).toBe(90_000);
    await deliver(refundEvent(paymentIntentId, 10_000, 10_000));
    const d = await db().donation.findUniqueOrThrow({ where: { id: donation.id }, include: { matches: true } });
    expect(d).toMatchObject({ status: "REFUNDED", refundedFen: 10_000, matchedFen: 10_000 });
    expect(d.matches).toMatchObject([{ matchedFen: 10_000, returnedFen: 10_000 }]);
    expect(await poolOf(campaign.id)).toBe(100_000);
  });

  it("partial refunds return the same share of the match, rounded down, growing to all of it", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "1000", ratio: [1, 2] });
    const { donation } = await startGift(f.foundation.slug, { amount: "100", campaignId: campaign.id });
    const { events, paymentIntentId } = paidEvents(donation);
    for (const e of events) await deliver(e);
    const returned = async () => (await db().donationMatch.findFirstOrThrow({ where: { donationId: donation.id } })).returnedFen;
    expect((await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).matchedFen).toBe(5_000);
    expect(await poolOf(campaign.id)).toBe(95_000);

    // ¥33.33 of ¥100 refunded: 5,000 × 3,333 / 10,000 = 1,666.5 → 1,666 back
    await deliver(refundEvent(paymentIntentId, 10_000, 3_333));
    expect(await returned()).toBe(1_666);
    expect(await poolOf(campaign.id)).toBe(95_000 + 1_666);
    // half in all: 2,500 back in all
    const half = refundEvent(paymentIntentId, 10_000, 5_000);
    await deliver(half);
    await deliver(half);
    expect(await returned()).toBe(2_500);
    expect(await poolOf(campaign.id)).toBe(97_500);
    // an older notice (a smaller cumulative total) arriving late changes nothing
    await deliver(refundEvent(paymentIntentId, 10_000, 3_333));
    expect(await returned()).toBe(2_500);
    // the rest: the whole match is back
    await deliver(refundEvent(paymentIntentId, 10_000, 10_000));
    expect(await returned()).toBe(5_000);
    expect(await poolOf(campaign.id)).toBe(100_000);
    const d = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(d).toMatchObject({ status: "REFUNDED", refundedFen: 10_000 });
    const returns = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:match-return:` } }, select: { kind: true } });
    expect(returns.map((t) => t.kind)).toEqual(["MATCH_RETURN", "MATCH_RETURN", "MATCH_RETURN"]);
  });
});
