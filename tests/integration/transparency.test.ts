import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes, transfer } from "~/domain/ledger";
import { httpStatusOf } from "~/lib/permissions.server";
import TransparencyPage, { action as lookupAction, loader as portalLoader } from "~/routes/transparency";
import GiftTracePage, { loader as traceLoader } from "~/routes/transparency.gifts.$ref";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { approveRelease, prepareRelease } from "~/services/projects/projects.server";
import { findTraceableGift, traceGift, transparencyPortal, type GiftTrace } from "~/services/public/transparency.server";
import { db, uid } from "../support/db";
import { deliver, deliverInProcess, disputeEvent, givingCampaign, givingFoundation, paidEvents, paidGift, refundEvent, startGift } from "../support/giving-fixture";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { form } from "../support/requests";

beforeAll(() => deliverInProcess());

/** A funded project (round of the fixture's foundation), the foundation with its own receipt prefix. */
async function world() {
  const f = await fundedProject();
  // fixture foundations share the default receipt prefix; receipt numbers are unique across foundations
  await db().foundation.update({ where: { id: f.foundation.id }, data: { receiptPrefix: `X${uid().slice(0, 6).toUpperCase()}` } });
  return f;
}

/** Pays the first tranche (prepared by one official, approved by another) with a bank reference that must stay private. */
async function payFirstTranche(f: ProjectFixture, bankRef: string) {
  const t = f.project.tranches[0]!;
  expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: t.id, transferRef: bankRef })).toEqual({ ok: true });
  expect(await approveRelease(f.official2, f.project.referenceNo, { trancheId: t.id })).toEqual({ ok: true });
  return t;
}

async function approvedExpense(f: ProjectFixture, payee: string) {
  const sha = crypto.randomBytes(32).toString("hex");
  const upload = await db().upload.create({ data: { storageKey: `test/${uid()}`, originalName: "r.jpg", mimeType: "image/jpeg", sizeBytes: 1, sha256: sha } });
  const e = await db().expense.create({
    data: { projectId: f.project.id, spentOn: new Date("2026-08-01T10:00:00+08:00"), payee, amountFen: 88_800, budgetLineId: f.project.budgetLines[1]!.id, description: "社工劳务", status: "APPROVED", submittedById: f.grantee.id },
  });
  await db().expenseReceipt.create({ data: { expenseId: e.id, uploadId: upload.id, sha256: sha } });
  await db().expense.create({
    data: { projectId: f.project.id, spentOn: new Date(), payee, amountFen: 55_500, description: "SUBMITTED-EXPENSE-SECRET", status: "SUBMITTED", submittedById: f.grantee.id },
  });
  return sha;
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => httpStatusOf(e),
  );

/** The lookup form posted: a redirect (status, location) or the form's answer (status, data). */
async function lookup(ref: string) {
  const r = (await lookupAction({ request: new Request("http://localhost/transparency", form({ ref })), params: {}, context: {} } as never)) as unknown;
  if (r instanceof Response) return { status: r.status, location: r.headers.get("location"), data: null };
  const d = r as { data: { result: { initialValue: Record<string, unknown>; error: Record<string, string[]> } }; init: { status: number } };
  return { status: d.init.status, location: null, data: d.data };
}

const targetOf = <K extends GiftTrace["target"]["kind"]>(trace: GiftTrace, kind: K) => {
  expect(trace.target.kind).toBe(kind);
  return trace.target as Extract<GiftTrace["target"], { kind: K }>;
};

describe("trace of one gift", () => {
  it("follows a gift earmarked to a project to that project's paid tranches and approved expenses with receipt hashes", async () => {
    const f = await world();
    const bankRef = `BANK${uid()}`.toUpperCase();
    const payee = `PAYEE-SECRET-${uid()}`;
    const { donation } = await paidGift(f.foundation.slug, { amount: "300", projectId: f.project.id, donorName: "李华", publicNaming: "on" });
    expect(donation.projectId).toBe(f.project.id);
    const t = await payFirstTranche(f, bankRef);
    const sha = await approvedExpense(f, payee);

    const trace = await traceGift(donation.ref);
    expect(trace.gift).toMatchObject({ ref: donation.ref, amountFen: 30_000, netFen: 30_000, status: "SUCCEEDED", donorName: "李华", anonymous: false });
    expect(trace.foundation.slug).toBe(f.foundation.slug);
    const target = targetOf(trace, "project");
    expect(target.project).toMatchObject({ referenceNo: f.project.referenceNo, awardFen: 1_000_000, round: { code: f.round.code } });
    expect(target.tranches).toEqual([{ position: 1, percent: t.percent, amountFen: t.amountFen, paidAt: expect.any(String) }]);
    expect(target.paidFen).toBe(t.amountFen);
    // paid as the ledger says: committed → paid postings of this award
    expect(target.paidFen).toBe(await balanceFen(db(), accountCodes.granteePaid(f.project.awardId)));
    expect(target.expenses.total).toBe(1);
    expect(target.expenses.items[0]).toMatchObject({ amountFen: 88_800, receiptCount: 1, receiptHashes: [sha.slice(0, 12)], budgetLine: { position: 2 } });
    expect(target.budget.lines.find((l) => l.position === 2)!.spentFen).toBe(88_800);

    const json = JSON.stringify(trace);
    for (const secret of [bankRef, payee, "SUBMITTED-EXPENSE-SECRET", donation.email, donation.token, sha]) expect(json).not.toContain(secret);

    const html = renderRoute(GiftTracePage as never, await traceLoader({ request: new Request(`http://localhost/transparency/gifts/${donation.ref}`), params: { ref: donation.ref }, context: {} } as never));
    expect(html).toContain(f.project.referenceNo);
    expect(html).toContain(sha.slice(0, 12));
    expect(html).toContain(`href="/projects/${f.project.referenceNo}"`);
    expect(html).toContain(`href="/foundations/${f.foundation.slug}"`);
    expect(html).toContain("¥888.00");
    for (const secret of [bankRef, payee, donation.email]) expect(html).not.toContain(secret);
  });

  it("follows a gift earmarked to a round to that round's funded projects", async () => {
    const f = await world();
    const { donation } = await paidGift(f.foundation.slug, { amount: "50", roundId: f.round.id });
    await payFirstTranche(f, `BANK${uid()}`.toUpperCase());
    const target = targetOf(await traceGift(donation.ref), "round");
    expect(target.round.code).toBe(f.round.code);
    expect(target.projects).toEqual([
      expect.objectContaining({ referenceNo: f.project.referenceNo, awardFen: 1_000_000, paidFen: f.project.tranches[0]!.amountFen, spentFen: 0, organization: f.organizations[0]!.name }),
    ]);
  });

  it("traces a gift to the general funds to the rounds funded since, with a proportional estimate, and earlier rounds apart", async () => {
    const f = await world();
    const available = accountCodes.foundationAvailable(f.foundation.id);
    // the fixture: ¥500,000 appropriated, ¥60,000 into the round's pool → ¥440,000 available
    expect(await balanceFen(db(), available)).toBe(44_000_000);
    const { donation } = await paidGift(f.foundation.slug, { amount: "200" });

    // before anything moves out: the round was funded before the gift, so it is "earlier"
    let target = targetOf(await traceGift(donation.ref), "general");
    expect(target.since).toEqual([]);
    expect(target.earlier.map((r) => r.code)).toEqual([f.round.code]);
    expect(target.earlier[0]!.projects.map((p) => p.referenceNo)).toEqual([f.project.referenceNo]);
    expect(target.earlier[0]!.estimateFen).toBeNull();
    expect(target).toMatchObject({ atArrivalFen: 44_020_000, inflowsSinceFen: 0, availableNowFen: 44_020_000 });

    // the officials increase the round's pool from the general funds: the gift is part of it
    await db().$transaction((tx) =>
      postTransaction(tx, {
        idempotencyKey: `test:pool-increase:${f.round.id}`,
        kind: "ROUND_POOL",
        memo: `创投轮次 ${f.round.code} 追加资金池`,
        entries: transfer(available, accountCodes.roundPool(f.round.id), 1_000_000),
      }),
    );
    // money booked after it adds to the pot, even when dated the gift's own instant (a payment's
    // time is in whole seconds): the trace follows the order of booking
    const arrival = await db().ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: `donation:${donation.id}:paid` } });
    const source = accountCodes.externalAppropriation(`test:same-instant:${donation.id}`);
    await db().$transaction(async (tx) => {
      await ensureAccount(tx, { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
      await postTransaction(tx, {
        idempotencyKey: `test:same-instant:${donation.id}`,
        kind: "APPROPRIATION",
        memo: "test",
        occurredAt: arrival.occurredAt,
        entries: transfer(source, available, 10_000),
      });
    });
    target = targetOf(await traceGift(donation.ref), "general");
    expect(target).toMatchObject({ atArrivalFen: 44_020_000, inflowsSinceFen: 10_000, potFen: 44_030_000 });
    expect(target.sharePpm).toBeCloseTo((20_000 * 1e6) / 44_030_000, 6);
    expect(target.since).toHaveLength(1);
    expect(target.since[0]).toMatchObject({ code: f.round.code, movedFen: 1_000_000, estimateFen: Math.floor((1_000_000 * 20_000) / 44_030_000) });
    expect(target.since[0]!.projects.map((p) => p.referenceNo)).toEqual([f.project.referenceNo]);
    expect(target.earlier).toEqual([]);
    expect(target.estimatedTotalFen).toBeLessThanOrEqual(20_000);

    const html = renderRoute(GiftTracePage as never, await traceGift(donation.ref), undefined, "en");
    expect(html).toContain("Your gift is part of these");
    expect(html).toContain("estimate");
    expect(html).toContain(`href="/rounds/${f.round.code}"`);
    expect(html).toContain(`href="/projects/${f.project.referenceNo}"`);
  });

  it("shows a donor who gave a name but did not consent to be named publicly as 爱心人士", async () => {
    const f = await world();
    const secretName = `真名${uid()}`;
    const { donation } = await startGift(f.foundation.slug, { amount: "20", donorName: secretName });
    for (const e of paidEvents(donation).events) await deliver(e);
    const trace = await traceGift(donation.ref);
    expect(trace.gift.anonymous).toBe(true);
    expect(trace.gift.donorName).toBeNull();
    expect(JSON.stringify(trace)).not.toContain(secretName);
    const zh = renderRoute(GiftTracePage as never, trace);
    expect(zh).toContain("爱心人士");
    expect(zh).not.toContain(secretName);
    expect(renderRoute(GiftTracePage as never, trace, undefined, "en")).toContain("A kind donor");
  });

  it("finds a gift by its receipt number (any case) and by its reference; the lookup form redirects to the gift's page", async () => {
    const f = await world();
    const { donation } = await paidGift(f.foundation.slug, { amount: "10" });
    expect(donation.receiptNo).toMatch(/^X[A-Z0-9]+-\d{4}-000001$/);
    expect((await traceGift(donation.receiptNo!)).gift.ref).toBe(donation.ref);
    expect((await traceGift(donation.receiptNo!.toLowerCase())).gift.ref).toBe(donation.ref);
    expect((await traceGift(` ${donation.ref.toLowerCase()} `)).gift.ref).toBe(donation.ref);
    expect(await findTraceableGift(donation.receiptNo!)).toEqual({ ok: true, ref: donation.ref });

    expect(await lookup(donation.receiptNo!)).toMatchObject({ status: 302, location: `/transparency/gifts/${donation.ref}` });
    expect(await lookup(donation.ref.toLowerCase())).toMatchObject({ status: 302, location: `/transparency/gifts/${donation.ref}` });
    // not a reference, or no such paid gift: the form answers, nothing is redirected
    expect((await lookup("hello")).status).toBe(400);
    const unknown = await lookup("G-22222222");
    expect(unknown.status).toBe(404);
    expect(unknown.data!.result.error.ref).toEqual(["transparency.lookup.notFound"]);
    expect((await traceLoader({ request: new Request(`http://localhost/transparency/gifts/x`), params: { ref: donation.receiptNo! }, context: {} } as never)).gift.ref).toBe(donation.ref);
  });

  it("is 404 for checkouts never paid (pending, failed) and unknown references", async () => {
    const f = await world();
    const { donation: pending } = await startGift(f.foundation.slug, { amount: "10" });
    const { donation: failed } = await startGift(f.foundation.slug, { amount: "11" });
    for (const e of paidEvents(failed, { fail: true }).events) await deliver(e);
    expect((await db().donation.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("FAILED");
    for (const ref of [pending.ref, failed.ref, "G-22222222", "nonsense", "DH-2026-999999"]) {
      expect(await statusOf(traceGift(ref)), ref).toBe(404);
      expect(await statusOf(traceLoader({ request: new Request("http://localhost/x"), params: { ref }, context: {} } as never)), ref).toBe(404);
      expect(await findTraceableGift(ref)).toEqual({ ok: false, problem: expect.objectContaining({ status: 404, fieldErrors: { ref: ["transparency.lookup.notFound"] } }) });
    }
    expect(await lookup(pending.ref)).toMatchObject({ status: 404, location: null });
  });

  it("shows a refunded gift as refunded, and one given back in full as having gone nowhere", async () => {
    const f = await world();
    const partly = await paidGift(f.foundation.slug, { amount: "100" });
    await deliver(refundEvent(partly.paymentIntentId, 10_000, 4_000));
    const p = await traceGift(partly.donation.ref);
    expect(p.gift).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 4_000, netFen: 6_000 });
    expect(p.target.kind).toBe("general");

    const whole = await paidGift(f.foundation.slug, { amount: "100" });
    await deliver(refundEvent(whole.paymentIntentId, 10_000, 10_000));
    const w = await traceGift(whole.donation.ref);
    expect(w.gift.status).toBe("REFUNDED");
    expect(w.target).toEqual({ kind: "returned" });
    const html = renderRoute(GiftTracePage as never, w);
    expect(html).toContain("已全额退款");
    expect(html).toContain('data-testid="gift-returned"');

    // a disputed payment is shown, held; a dispute lost took the money back
    const disputed = await paidGift(f.foundation.slug, { amount: "100" });
    await deliver(disputeEvent(disputed.paymentIntentId, 10_000, "needs_response"));
    const d = await traceGift(disputed.donation.ref);
    expect(d.gift.status).toBe("DISPUTED");
    expect(d.target.kind).toBe("general");
    expect(renderRoute(GiftTracePage as never, d)).toContain('data-testid="gift-held"');
    await deliver(disputeEvent(disputed.paymentIntentId, 10_000, "lost"));
    expect((await traceGift(disputed.donation.ref)).target).toEqual({ kind: "returned" });
  });

  it("shows the match a gift drew and its sponsor", async () => {
    const g = await givingFoundation();
    const campaign = await givingCampaign(g, { poolYuan: "1000" });
    const { donation } = await paidGift(g.foundation.slug, { amount: "30" });
    const trace = await traceGift(donation.ref);
    expect(trace.gift.matchedFen).toBe(3_000);
    expect(trace.gift.matches).toEqual([expect.objectContaining({ matchedFen: 3_000, sponsorName: "平湖市民政局", slug: campaign.slug })]);
    expect(renderRoute(GiftTracePage as never, trace)).toContain("平湖市民政局");
  });
});

describe("the portal", () => {
  it("totals each foundation from the ledger and sums them all", async () => {
    const g = await givingFoundation();
    await givingCampaign(g, { poolYuan: "1000" });
    const a = await paidGift(g.foundation.slug, { amount: "200" });
    await paidGift(g.foundation.slug, { amount: "50", donorName: undefined });
    await deliver(refundEvent(a.paymentIntentId, 20_000, 5_000));

    const f = await world();
    await payFirstTranche(f, `BANK${uid()}`.toUpperCase());
    await approvedExpense(f, "PAYEE-X");

    const portal = await transparencyPortal();
    const row = portal.foundations.find((x) => x.slug === g.foundation.slug)!;
    expect(row.totals).toEqual({
      giftsFen: 25_000,
      gifts: 2,
      refundedFen: 5_000,
      // 1:1 match of 200 and 50, a quarter of the first returned with its refund
      matchedFen: 20_000 + 5_000 - 5_000,
      appropriationsFen: 100_000_000,
      roundPoolsFen: 0,
      committedFen: 0,
      paidFen: 0,
      spentFen: 0,
      returnedFen: 0,
      availableFen: 100_000_000 + 25_000 - 5_000 + 20_000,
      earmarkedFen: 0,
    });
    const fixture = portal.foundations.find((x) => x.slug === f.foundation.slug)!;
    expect(fixture.totals).toMatchObject({
      appropriationsFen: 50_000_000,
      roundPoolsFen: 6_000_000,
      committedFen: 1_000_000,
      paidFen: f.project.tranches[0]!.amountFen,
      spentFen: 88_800,
      availableFen: 44_000_000,
    });
    for (const k of Object.keys(portal.total) as (keyof typeof portal.total)[]) {
      expect(portal.total[k], k).toBe(portal.foundations.reduce((s, x) => s + x.totals[k], 0));
    }

    const data = await portalLoader();
    for (const locale of ["zh-CN", "en"] as const) {
      const html = renderRoute(TransparencyPage as never, data, undefined, locale);
      expect(html).toContain(`href="/foundations/${g.foundation.slug}"`);
      expect(html).toContain('href="/open-data"');
      expect(html).toContain('name="ref"');
      expect(html).toContain('data-testid="money-flow"');
      for (const to of ["/rounds", "/projects", "/foundations"]) expect(html).toContain(`href="${to}"`);
    }
  });

  it("keeps what was typed and says why when the lookup is refused", async () => {
    const refused = await lookup("G-1234");
    expect(refused.status).toBe(400);
    expect(refused.data!.result.initialValue).toMatchObject({ ref: "G-1234" });
    expect(refused.data!.result.error.ref).toEqual(["transparency.lookup.format"]);
    const html = renderRoute(TransparencyPage as never, await portalLoader(), refused.data);
    expect(html).toContain('value="G-1234"');
    expect(html).toContain("格式不正确");
  });
});
