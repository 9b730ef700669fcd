import { withParams } from "~/domain/messages";
import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes, transfer } from "~/domain/ledger";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { requestRefund } from "~/services/giving/manage.server";
import { DONATION_REFUND_TASK } from "~/services/giving/fulfil.server";
import { rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidGift, plainViewer, refundEvent } from "../support/giving-fixture";

/**
 * Refunds: a foundation manager refunds all or part of a gift, with a reason; the
 * provider's charge.refunded event (demo mode signs and posts one, as Stripe would) reverses the
 * gift in the ledger, returns the match and queues the donor's email. A refund started in
 * Stripe's dashboard arrives the same way with no request of ours, and is recorded as one.
 */

beforeAll(() => deliverInProcess());

type Foundation = Awaited<ReturnType<typeof givingFoundation>>;

/** The refund facts of a donation: its requests, its reversal postings (amounts) and its refund jobs. */
async function refundsOf(donationId: string) {
  const requests = await db().refundRequest.findMany({ where: { donationId }, orderBy: { createdAt: "asc" } });
  const reversals = await db().ledgerTransaction.findMany({
    where: { idempotencyKey: { startsWith: `donation:${donationId}:reversed:` } },
    include: { entries: true },
    orderBy: { createdAt: "asc" },
  });
  const jobs = await db().$queryRaw<{ key: string; task: string }[]>`
    SELECT j.key, t.identifier AS task FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE j.key LIKE ${`refund:${donationId}:%`} ORDER BY j.key`;
  const audits = await db().auditLog.count({ where: { objectType: "Donation", objectId: donationId } });
  return {
    requests,
    reversals: reversals.map((t) => ({ kind: t.kind, fen: Number(t.entries.filter((e) => e.amountFen > 0n).reduce((s, e) => s + e.amountFen, 0n)) })),
    jobs,
    audits,
  };
}

describe("a manager refunds a gift", () => {
  let f: Foundation;
  let available: string;
  beforeAll(async () => {
    f = await givingFoundation();
    available = accountCodes.foundationAvailable(f.foundation.id);
  });

  it("in full: reversed in the ledger, the request recorded and audited, the donor's email queued", async () => {
    const { donation } = await paidGift(f.foundation.slug, { amount: "120" });
    const before = await balanceFen(db(), available);
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "120", reason: "捐赠人误操作" })).toEqual({ ok: true });

    const d = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(d).toMatchObject({ status: "REFUNDED", refundedFen: 12_000 });
    expect(await balanceFen(db(), available)).toBe(before - 12_000);
    const r = await refundsOf(donation.id);
    expect(r.requests).toMatchObject([{ amountFen: 12_000, origin: "MANAGER", reason: "捐赠人误操作", requestedById: f.manager.id }]);
    expect(r.reversals).toEqual([{ kind: "DONATION_REFUND", fen: 12_000 }]);
    expect(r.jobs).toEqual([{ key: `refund:${donation.id}:12000`, task: DONATION_REFUND_TASK }]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { objectType: "Donation", objectId: donation.id, action: "donation.refund.requested" } });
    expect(audit.actorId).toBe(f.manager.id);
    // nothing is left to refund
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "1", reason: "再退一次" })).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, formErrors: ["refund.error.status"] }) });
  });

  it("in parts: a partial refund, then another, then the rest", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "500" });
    const { donation } = await paidGift(f.foundation.slug, { amount: "100", campaignId: campaign.id });
    expect(donation.matchedFen).toBe(10_000);
    const pool = accountCodes.matchingPool(campaign.id);

    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "30", reason: "部分退款" })).toEqual({ ok: true });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 3_000 });
    expect(await balanceFen(db(), pool)).toBe(50_000 - 10_000 + 3_000);

    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "20.50", reason: "再退一部分" })).toEqual({ ok: true });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 5_050 });

    // more than is left (¥49.50): refused with what is left, and nothing written
    const before = await refundsOf(donation.id);
    const balance = await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id));
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "49.51", reason: "太多了" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, formErrors: [], fieldErrors: { amount: [withParams("refund.error.amount", { left: "¥49.50" })] } }),
    });
    expect(await refundsOf(donation.id)).toEqual(before);
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.foundation.id))).toBe(balance);
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 5_050 });

    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "49.50", reason: "退完" })).toEqual({ ok: true });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "REFUNDED", refundedFen: 10_000 });
    const r = await refundsOf(donation.id);
    expect(r.requests.map((q) => [q.amountFen, q.origin])).toEqual([
      [3_000, "MANAGER"],
      [2_050, "MANAGER"],
      [4_950, "MANAGER"],
    ]);
    expect(r.reversals).toEqual([
      { kind: "DONATION_REFUND", fen: 3_000 },
      { kind: "DONATION_REFUND", fen: 2_050 },
      { kind: "DONATION_REFUND", fen: 4_950 },
    ]);
    expect(r.jobs.map((j) => j.key)).toEqual([`refund:${donation.id}:10000`, `refund:${donation.id}:3000`, `refund:${donation.id}:5050`]);
    // the whole match is back in the pool
    expect(await balanceFen(db(), pool)).toBe(50_000);
  });

  it("refuses a refund of money the foundation no longer holds", async () => {
    const g = await givingFoundation({ availableFen: 0 });
    const { donation } = await paidGift(g.foundation.slug, { amount: "100" });
    // the gift has gone on (here: ¥90 paid out of the foundation's account)
    const out = accountCodes.externalAppropriation(`test-out:${uid()}`);
    await ensureAccount(db(), { code: out, kind: "EXTERNAL_APPROPRIATION", nameZh: "支出", nameEn: "Out" });
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `test:out:${uid()}`, kind: "APPROPRIATION", memo: "test", entries: transfer(accountCodes.foundationAvailable(g.foundation.id), out, 9_000) }),
    );
    const result = await requestRefund(g.manager, g.foundation.slug, donation.ref, { amount: "50", reason: "退款" });
    expect(result).toEqual({ ok: false, problem: expect.objectContaining({ status: 409, fieldErrors: { amount: [withParams("refund.error.balance", { balance: "¥10.00" })] } }) });
    expect((await refundsOf(donation.id)).requests).toEqual([]);
  });

  it("refuses a too-short reason and a zero amount", async () => {
    const { donation } = await paidGift(f.foundation.slug, { amount: "10" });
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "5", reason: " " })).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, fieldErrors: { reason: ["refund.error.reason"] } }) });
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "0", reason: "退款原因" })).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, fieldErrors: { amount: ["refund.amount.zero"] } }) });
    expect((await refundsOf(donation.id)).requests).toEqual([]);
  });
});

describe("who may refund", () => {
  it("only a manager of the gift's foundation: another foundation's manager and a plain user get 403", async () => {
    const f = await givingFoundation();
    const other = await givingFoundation();
    const { donation } = await paidGift(f.foundation.slug, { amount: "66" });
    const input = { amount: "66", reason: "无权退款" };
    await rejectsWithStatus(requestRefund(other.manager, f.foundation.slug, donation.ref, input), 403);
    await rejectsWithStatus(requestRefund(await plainViewer(), f.foundation.slug, donation.ref, input), 403);
    // the other manager through their own foundation: the gift is not theirs
    await rejectsWithStatus(requestRefund(other.manager, other.foundation.slug, donation.ref, input), 404);
    await rejectsWithStatus(requestRefund(f.manager, `no-such-fund-${uid()}`, donation.ref, input), 404);
    const r = await refundsOf(donation.id);
    expect(r.requests).toEqual([]);
    expect(r.reversals).toEqual([]);
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "SUCCEEDED", refundedFen: 0 });
  });
});

describe("a refund started in Stripe's dashboard", () => {
  let f: Foundation;
  beforeAll(async () => {
    f = await givingFoundation();
  });

  it("is recorded as the provider's, reversed in the ledger, and the donor's email queued", async () => {
    const campaign = await givingCampaign(f, { poolYuan: "500" });
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "80", campaignId: campaign.id });
    const available = accountCodes.foundationAvailable(f.foundation.id);
    const before = await balanceFen(db(), available);
    const r = await deliver(refundEvent(paymentIntentId, 8_000, 8_000));
    expect(r).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "REFUNDED", refundedFen: 8_000 });
    const facts = await refundsOf(donation.id);
    expect(facts.requests).toMatchObject([{ amountFen: 8_000, origin: "PROVIDER", requestedById: null }]);
    expect(facts.reversals).toEqual([{ kind: "DONATION_REFUND", fen: 8_000 }]);
    expect(facts.jobs).toEqual([{ key: `refund:${donation.id}:8000`, task: DONATION_REFUND_TASK }]);
    // gift and match both leave the foundation; the match goes back to its pool
    expect(await balanceFen(db(), available)).toBe(before - 8_000 - 8_000);
    expect(await balanceFen(db(), accountCodes.matchingPool(campaign.id))).toBe(50_000);
  });

  it("delivered twice (and re-sent under a new event id) reverses once", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "50" });
    const event = refundEvent(paymentIntentId, 5_000, 2_000);
    const [a, b] = await Promise.all([deliver(event), deliver(event)]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(["applied", "duplicate"]);
    expect((await deliver(event)).body.outcome).toBe("duplicate");
    // the same cumulative refund, told again by another event
    expect((await deliver(refundEvent(paymentIntentId, 5_000, 2_000))).body.outcome).toBe("applied");
    const facts = await refundsOf(donation.id);
    expect(facts.requests.map((q) => [q.amountFen, q.origin])).toEqual([[2_000, "PROVIDER"]]);
    expect(facts.reversals).toEqual([{ kind: "DONATION_REFUND", fen: 2_000 }]);
    expect(await db().paymentEvent.count({ where: { id: event.id } })).toBe(1);
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 2_000 });
  });

  it("after a manager's partial refund, only the part no request explains is the provider's", async () => {
    const { donation, paymentIntentId } = await paidGift(f.foundation.slug, { amount: "100" });
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "30", reason: "部分退款" })).toEqual({ ok: true });
    // ¥50 refunded in all, as Stripe reports it after a further ¥20 from its dashboard
    await deliver(refundEvent(paymentIntentId, 10_000, 5_000));
    const facts = await refundsOf(donation.id);
    expect(facts.requests.map((q) => [q.amountFen, q.origin])).toEqual([
      [3_000, "MANAGER"],
      [2_000, "PROVIDER"],
    ]);
    expect(facts.reversals).toEqual([
      { kind: "DONATION_REFUND", fen: 3_000 },
      { kind: "DONATION_REFUND", fen: 2_000 },
    ]);
    // what a manager may still refund counts the dashboard's refund too
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "50.01", reason: "太多了" })).toEqual({
      ok: false,
      problem: expect.objectContaining({ fieldErrors: { amount: [withParams("refund.error.amount", { left: "¥50.00" })] } }),
    });
  });
});
