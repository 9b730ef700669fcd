import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import { balanceFen } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { closeCampaign, closeEndedCampaigns, reviewCloseCampaign } from "~/services/giving/campaign-close.server";
import { campaignPage, managerDonationDetail } from "~/services/giving/foundation-pages.server";
import { requestRefund, reviewRefund } from "~/services/giving/manage.server";
import { chargeObject, disputeObject, refundObject, stripeEvent } from "~/services/giving/stripe-objects.server";
import { traceGift } from "~/services/public/transparency.server";
import { db } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidEvents, paidGift, startGift } from "../support/giving-fixture";

/**
 * The foundation managers' money events: a dispute told once however its events arrive; a refund
 * the provider could not make marked failed, told once, booked back once, and asked for again; a
 * matching campaign's unused pool given back once when it ends (the job) or when a manager ends
 * it early. The worker's database is shared with files that verify the whole ledger: every row
 * written here leaves it balanced and consistent.
 */

beforeAll(() => deliverInProcess());

type Foundation = Awaited<ReturnType<typeof givingFoundation>>;

/** What the manager was told of `kind`: inbox notices and outbox emails. */
async function told(managerId: string, kind: string) {
  const notices = await db().notification.findMany({ where: { userId: managerId, kind: `giving.${kind}` } });
  const emails = await db().emailMessage.findMany({ where: { userId: managerId, template: "foundation-money" } });
  return { notices, emails };
}

/** Problems the ledger's checks find that name any of `ids`. */
async function ledgerProblemsAbout(...ids: string[]) {
  const report = await verifyLedger(db(), { limit: 1_000_000 });
  return report.problems.filter((p) => ids.some((id) => p.detail.includes(id) || p.accountId === id));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a dispute", () => {
  let f: Foundation;
  beforeAll(async () => {
    f = await givingFoundation();
  });

  it("is told to the managers once, with the gift and the deadline, whatever the order and number of its events; a lost one is explained on the gift's pages", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "150" });
    const dueBy = new Date("2027-01-05T15:59:00Z");
    const id = `du_test_${donation.id.slice(0, 8)}`;
    const dispute = (status: "needs_response" | "lost") => disputeObject({ id, paymentIntentId, amountFen: 15_000, status, dueBy, reason: "fraudulent" });
    const created = stripeEvent("charge.dispute.created", dispute("needs_response"));
    // out of order and repeated: an update first, the creation twice (same event), the funds withdrawn, the creation again
    for (const e of [
      stripeEvent("charge.dispute.updated", dispute("needs_response")),
      created,
      created,
      stripeEvent("charge.dispute.funds_withdrawn", dispute("needs_response")),
      stripeEvent("charge.dispute.created", dispute("needs_response")),
    ]) {
      expect((await deliver(e)).status).toBe(200);
    }
    expect(await db().paymentDispute.findMany({ where: { donationId: donation.id } })).toMatchObject([{ id, amountFen: 15_000, dueBy, reason: "fraudulent" }]);
    const { notices, emails } = await told(f.manager.id, "DISPUTE_OPENED");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.params).toMatchObject({ ref: donation.ref, amount: "¥150.00" });
    expect(String((notices[0]!.params as Record<string, string>).detailZh)).toContain("2027");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toContain(donation.ref);
    expect(emails[0]!.text).toContain("¥150.00");
    expect(await db().auditLog.count({ where: { objectId: donation.id, action: "donation.dispute.opened" } })).toBe(1);
    let detail = (await managerDonationDetail(f.foundation.id, donation.ref))!;
    expect(detail.donation.status).toBe("DISPUTED");
    expect(detail.disputes).toMatchObject([{ id, dueBy: dueBy.toISOString() }]);

    // lost: the whole gift reversed; nothing told again; the pages say it was the bank's
    expect((await deliver(stripeEvent("charge.dispute.closed", dispute("lost")))).status).toBe(200);
    expect((await told(f.manager.id, "DISPUTE_OPENED")).notices).toHaveLength(1);
    detail = (await managerDonationDetail(f.foundation.id, donation.ref))!;
    expect(detail.donation).toMatchObject({ disputeLost: true, refundedFen: 15_000 });
    expect((await traceGift(donation.ref)).gift.disputeLost).toBe(true);
    expect(await ledgerProblemsAbout(donation.id)).toEqual([]);
  });

  it("closed before it was created (delivered out of order): recorded and told once", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "30" });
    const id = `du_won_${donation.id.slice(0, 8)}`;
    await deliver(stripeEvent("charge.dispute.closed", disputeObject({ id, paymentIntentId, amountFen: 3_000, status: "won" })));
    await deliver(stripeEvent("charge.dispute.created", disputeObject({ id, paymentIntentId, amountFen: 3_000, status: "needs_response" })));
    expect(await db().paymentDispute.count({ where: { donationId: donation.id } })).toBe(1);
    const notices = (await told(f.manager.id, "DISPUTE_OPENED")).notices.filter((n) => (n.params as { ref: string }).ref === donation.ref);
    expect(notices).toHaveLength(1);
    expect((await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).status).toBe("SUCCEEDED");
  });
});

describe("a dispute that overtakes its payment", () => {
  it("is parked, then recorded and told once when the payment's event claims it", async () => {
    const f = await givingFoundation();
    const { donation } = await startGift(f.foundation.slug, { amount: "25" });
    const { events, paymentIntentId } = paidEvents(donation);
    const id = `du_early_${donation.id.slice(0, 8)}`;
    const created = stripeEvent("charge.dispute.created", disputeObject({ id, paymentIntentId, amountFen: 2_500, status: "needs_response" }));
    expect((await deliver(created)).body.outcome).toBe("parked");
    expect((await told(f.manager.id, "DISPUTE_OPENED")).notices).toHaveLength(0);
    for (const e of events) await deliver(e);
    await deliver(stripeEvent("charge.dispute.updated", disputeObject({ id, paymentIntentId, amountFen: 2_500, status: "needs_response" })));
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "DISPUTED" });
    expect(await db().paymentDispute.count({ where: { id } })).toBe(1);
    expect((await told(f.manager.id, "DISPUTE_OPENED")).notices).toHaveLength(1);
    expect(await ledgerProblemsAbout(donation.id)).toEqual([]);
  });
});

describe("a refund that fails", () => {
  let f: Foundation;
  let available: string;
  beforeAll(async () => {
    f = await givingFoundation();
    available = accountCodes.foundationAvailable(f.foundation.id);
  });

  it("is marked failed, told once, booked back once (every report of it), and a new request refunds the gift", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "80" });
    const start = await balanceFen(db(), available);
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "80", reason: "捐赠人申请退款" })).toEqual({ ok: true });
    expect(await balanceFen(db(), available)).toBe(start - 8_000);
    const request = await db().refundRequest.findFirstOrThrow({ where: { donationId: donation.id } });
    expect(request.providerRefundId).toBeTruthy();

    const failed = refundObject({ id: request.providerRefundId!, paymentIntentId, amountFen: 8_000, status: "failed", failureReason: "expired_or_canceled_card" });
    const first = stripeEvent("refund.failed", failed);
    for (const e of [first, stripeEvent("refund.updated", failed), first, stripeEvent("charge.refund.updated", failed)]) {
      expect((await deliver(e)).status).toBe(200);
    }
    // an update of a refund that did not fail changes nothing
    expect((await deliver(stripeEvent("refund.updated", refundObject({ paymentIntentId, amountFen: 8_000, status: "succeeded" })))).body.outcome).toBe("ignored:refund-succeeded");

    expect(await db().refundRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "FAILED", failureReason: "expired_or_canceled_card" });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "SUCCEEDED", refundedFen: 0 });
    expect(await balanceFen(db(), available)).toBe(start);
    const restores = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:refund-failed:` } } });
    expect(restores).toHaveLength(1);
    const { notices, emails } = await told(f.manager.id, "REFUND_FAILED");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.params).toMatchObject({ ref: donation.ref, amount: "¥80.00" });
    expect(emails.filter((m) => m.subject.includes("退款失败") || m.subject.includes("failed"))).toHaveLength(1);

    // the gift's page offers the amount again
    const detail = (await managerDonationDetail(f.foundation.id, donation.ref))!;
    expect(detail).toMatchObject({ refundable: true, leftFen: 8_000 });
    expect(detail.refunds).toMatchObject([{ status: "FAILED", failureReason: "expired_or_canceled_card" }]);

    // the retry: reviewed (confirmation), then requested — a new notice of the charge, a second later
    await sleep(1_100);
    expect(await reviewRefund(f.manager, f.foundation.slug, donation.ref, { amount: "80" })).toEqual({ ok: true, amountFen: 8_000 });
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "80", reason: "捐赠人申请退款" })).toEqual({ ok: true });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "REFUNDED", refundedFen: 8_000 });
    expect(await balanceFen(db(), available)).toBe(start - 8_000);
    expect(await db().refundRequest.count({ where: { donationId: donation.id, status: "REQUESTED" } })).toBe(1);
    expect(await ledgerProblemsAbout(donation.id)).toEqual([]);
  });

  it("reported before the refund's own notice (delivered out of order): nothing is booked", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "40" });
    const start = await balanceFen(db(), available);
    const now = Date.now();
    const refundId = `re_test_${donation.id.slice(0, 8)}`;
    // the refund was made a minute before it failed; the failure is delivered first
    await deliver(stripeEvent("refund.failed", refundObject({ id: refundId, paymentIntentId, amountFen: 4_000, status: "failed" }), new Date(now - 60_000)));
    await deliver(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen: 4_000, amountRefundedFen: 4_000 }), new Date(now - 120_000)));
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "SUCCEEDED", refundedFen: 0 });
    expect(await balanceFen(db(), available)).toBe(start);
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:re` } } })).toBe(0);
    expect(await db().refundRequest.count({ where: { donationId: donation.id } })).toBe(0);
    expect((await told(f.manager.id, "REFUND_FAILED")).notices.filter((n) => (n.params as { ref: string }).ref === donation.ref)).toHaveLength(1);
    expect(await ledgerProblemsAbout(donation.id)).toEqual([]);
  });
});

describe("a matching campaign's close-out", () => {
  let f: Foundation;
  beforeAll(async () => {
    f = await givingFoundation();
  });

  it("when its end has passed: the job gives the unused pool back to the sponsor once, sweeps a match given back later, and the page says so", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "1000", sponsorKind: "COMPANY" });
    const { donation } = await paidGift(f.foundation.slug, { amount: "100", campaignId: campaign.id });
    expect(donation.matchedFen).toBe(10_000);
    const pool = accountCodes.matchingPool(campaign.id);
    const sponsor = accountCodes.externalSponsor(campaign.id);
    const sponsorBefore = await balanceFen(db(), sponsor);
    // its end passes
    await db().matchingCampaign.update({ where: { id: campaign.id }, data: { endsAt: new Date(Date.now() - 60_000) } });

    await closeEndedCampaigns();
    await closeEndedCampaigns();
    expect(await balanceFen(db(), pool)).toBe(0);
    expect(await balanceFen(db(), sponsor)).toBe(sponsorBefore + 90_000);
    const closeOuts = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `campaign:${campaign.id}:close-out` } } });
    expect(closeOuts.map((t) => [t.idempotencyKey, t.kind])).toEqual([[`campaign:${campaign.id}:close-out`, "CAMPAIGN_CLOSE_OUT"]]);
    const closed = await db().matchingCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(closed).toMatchObject({ returnedFen: 90_000, closedById: null });
    expect(closed.closedAt).toBeTruthy();
    expect(await db().auditLog.count({ where: { objectId: campaign.id, action: "campaign.closed" } })).toBe(1);
    expect((await db().notification.findMany({ where: { userId: f.manager.id, kind: "giving.CAMPAIGN_CLOSED" } })).length).toBe(1);
    const page = (await campaignPage(campaign.slug))!;
    expect(page.campaign).toMatchObject({ returnedFen: 90_000, phase: "ended" });
    expect(page.money.remainingFen).toBe(0);

    // the matched gift refunded after the close-out: its match comes back to the pool, and the job sends it on, once
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "100", reason: "捐赠人申请退款" })).toEqual({ ok: true });
    expect(await balanceFen(db(), pool)).toBe(10_000);
    await closeEndedCampaigns();
    await closeEndedCampaigns();
    expect(await balanceFen(db(), pool)).toBe(0);
    expect(await db().matchingCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ returnedFen: 100_000 });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: { startsWith: `campaign:${campaign.id}:close-out` } } })).toBe(2);
    expect(await ledgerProblemsAbout(campaign.id, campaign.slug, donation.id)).toEqual([]);
  });

  it("ended early by a manager (after the confirmation's review): the pool goes back once, later gifts are not matched, the job leaves it alone", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "500" });
    await paidGift(f.foundation.slug, { amount: "50", campaignId: campaign.id });
    const source = accountCodes.externalAppropriation(`campaign:${campaign.id}`);
    const sourceBefore = await balanceFen(db(), source);
    expect(await reviewCloseCampaign(f.manager, f.foundation.slug, campaign.slug)).toEqual({ ok: true, leftFen: 45_000 });
    // reviewing writes nothing
    expect((await db().matchingCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).closedAt).toBeNull();

    expect(await closeCampaign(f.manager, f.foundation.slug, campaign.slug)).toEqual({ ok: true, returnedFen: 45_000 });
    const again = await closeCampaign(f.manager, f.foundation.slug, campaign.slug);
    expect(again.ok).toBe(false);
    await closeEndedCampaigns();
    expect(await balanceFen(db(), source)).toBe(sourceBefore + 45_000);
    expect(await db().matchingCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ returnedFen: 45_000, closedById: f.manager.id });
    expect(await db().auditLog.findFirst({ where: { objectId: campaign.id, action: "campaign.closed" }, select: { actorId: true } })).toEqual({ actorId: f.manager.id });

    const later = await paidGift(f.foundation.slug, { amount: "20", campaignId: campaign.id });
    expect(later.donation.matchedFen).toBe(0);
    expect((await campaignPage(campaign.slug))!.campaign.phase).toBe("ended");
    expect(await ledgerProblemsAbout(campaign.id, campaign.slug)).toEqual([]);
  });
});

describe("a matching campaign ended before it started", () => {
  it("gives its whole pool back and shows as ended", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "300" });
    await db().matchingCampaign.update({ where: { id: campaign.id }, data: { startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 10 * 86_400_000) } });
    expect((await campaignPage(campaign.slug))!.campaign.phase).toBe("upcoming");
    expect(await closeCampaign(f.manager, f.foundation.slug, campaign.slug)).toEqual({ ok: true, returnedFen: 30_000 });
    expect((await campaignPage(campaign.slug))!.campaign).toMatchObject({ phase: "ended", returnedFen: 30_000 });
    expect(await ledgerProblemsAbout(campaign.id, campaign.slug)).toEqual([]);
  });
});

describe("the postings of a payment", () => {
  it("carry the time the provider says it happened, not the time the event arrived: the gift, its match, a refund", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    const { donation } = await startGift(f.foundation.slug, { amount: "10", campaignId: campaign.id });
    const paidAt = new Date(Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000);
    const { events, paymentIntentId } = paidEvents(donation, { at: paidAt });
    for (const e of events) await deliver(e);
    const postings = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { in: [`donation:${donation.id}:paid`, `donation:${donation.id}:match`] } } });
    expect(postings).toHaveLength(2);
    for (const p of postings) expect(p.occurredAt.toISOString()).toBe(paidAt.toISOString());

    const refundedAt = new Date(paidAt.getTime() + 60_000);
    await deliver(stripeEvent("charge.refunded", chargeObject({ paymentIntentId, amountFen: 1_000, amountRefundedFen: 1_000 }), refundedAt));
    const reversals = await db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `donation:${donation.id}:` }, kind: { in: ["DONATION_REFUND", "MATCH_RETURN"] } } });
    expect(reversals).toHaveLength(2);
    for (const p of reversals) expect(p.occurredAt.toISOString()).toBe(refundedAt.toISOString());
    expect(await ledgerProblemsAbout(donation.id)).toEqual([]);
  });
});
