import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountCodes, donationAccountCode, transfer } from "~/domain/ledger";
import { disconnectDb } from "~/lib/db.server";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { coreLedgerChecks, givingLedgerChecks, ledgerChecks, projectLedgerChecks, verifyLedger, type LedgerReport } from "~/services/books/ledger-verify.server";
import { requestRefund } from "~/services/giving/manage.server";
import { STRIPE_CLEARING } from "~/services/giving/fulfil.server";
import { db, receiptPrefix, uid } from "../support/db";
import { freshDatabase, type FreshDatabase } from "../support/fresh-database";
import {
  deliver,
  deliverInProcess,
  disputeEvent,
  foundationManager,
  givingCampaign,
  givingFoundation,
  mapLimit,
  paidEvents,
  refundEvent,
  seededShuffle,
  startGift,
  startMonthly,
  subscriptionEvents,
} from "../support/giving-fixture";
import { fundedProject } from "../support/project-fixture";
import { runScript } from "../support/run-script";

/**
 * `npm run ledger:verify` checks giving: each foundation's accounts never below zero,
 * each paid donation posted once for its amount (and no unpaid one), reversals equal to what the
 * donation says went back, matches equal to their postings, each campaign's pool equal to
 * funding − matches + returns. A database of its own (the checks run over every row): first all
 * the ways money moves, verified clean; then one corruption at a time, each found.
 */

let fresh: FreshDatabase;
let sharedUrl: string | undefined;
const post = (key: string, kind: string, entries: ReturnType<typeof transfer>) =>
  db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind, memo: "test", entries }));
/**
 * The whole report: the corruptions planted by the tests below add up, so a check may find more
 * than the default 100 problems, and the one a test planted must not fall past the cut.
 */
const verifyAll = () => verifyLedger(db(), { limit: 1_000_000 });
const find = (report: LedgerReport, check: string, kind: string, mention: string) =>
  report.problems.filter((p) => p.check === check && p.kind === kind && (p.detail.includes(mention) || p.accountId === mention));

/** What the corruptions below need to name. */
const world = {} as {
  f: Awaited<ReturnType<typeof givingFoundation>>;
  campaign: { id: string; slug: string };
  projectCampaign: { id: string; slug: string };
  paid: { id: string; amountFen: number; projectId: string | null; roundId: string | null; foundationId: string; status: string; refundedFen: number }[];
  matched: { id: string }[];
  pending: { id: string; amountFen: number; foundationId: string; checkoutSessionId: string | null }[];
  processing: { id: string }[];
  poor: Awaited<ReturnType<typeof givingFoundation>>;
};

beforeAll(async () => {
  fresh = await freshDatabase("givingverify");
  sharedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = fresh.url;
  deliverInProcess();

  // a foundation with a capped 1:1 campaign that runs out, 30 gifts in shuffled, repeated events
  const f = await givingFoundation();
  const campaign = await givingCampaign(f, { poolYuan: "500", capYuan: "80" });
  const started = await mapLimit(Array.from({ length: 40 }, (_, i) => String(20 + i * 3)), 8, (amount) => startGift(f.foundation.slug, { amount }));
  const gifts = started.map((s) => s.donation);
  const paid = gifts.slice(0, 30);
  const failed = gifts.slice(30, 34);
  const processing = gifts.slice(34, 37);
  const pending = gifts.slice(37);
  const intents = new Map<string, string>();
  const events = [
    ...paid.flatMap((d, i) => {
      const p = paidEvents(d, { async: i % 2 === 0 });
      intents.set(d.id, p.paymentIntentId);
      return p.events;
    }),
    ...failed.flatMap((d) => paidEvents(d, { fail: true }).events),
    ...processing.map((d) => paidEvents(d, { async: true }).events[0]!),
  ];
  await mapLimit(seededShuffle([...events, ...events.slice(0, 25)], 7), 8, (e) => deliver(e));

  // refunds: a manager's partial and full ones, one from the dashboard, one that overtook its payment
  const pi = (i: number) => intents.get(paid[i]!.id)!;
  const ref = async (i: number) => (await db().donation.findUniqueOrThrow({ where: { id: paid[i]!.id } })).ref;
  expect(await requestRefund(f.manager, f.foundation.slug, await ref(0), { amount: "7.77", reason: "部分退款" })).toEqual({ ok: true });
  expect(await requestRefund(f.manager, f.foundation.slug, await ref(1), { amount: "23", reason: "全额退款" })).toEqual({ ok: true });
  await deliver(refundEvent(pi(2), paid[2]!.amountFen, 1_001));
  const late = await startGift(f.foundation.slug, { amount: "100" });
  const latePaid = paidEvents(late.donation);
  await deliver(refundEvent(latePaid.paymentIntentId, 10_000, 2_500));
  for (const e of latePaid.events) await deliver(e);
  // disputes: lost (reversed with its match), won, still open
  await deliver(disputeEvent(pi(3), paid[3]!.amountFen, "needs_response"));
  await deliver(disputeEvent(pi(3), paid[3]!.amountFen, "lost"));
  await deliver(disputeEvent(pi(4), paid[4]!.amountFen, "needs_response"));
  await deliver(disputeEvent(pi(4), paid[4]!.amountFen, "won"));
  await deliver(disputeEvent(pi(5), paid[5]!.amountFen, "needs_response"));
  // a monthly gift: two months, then cancelled
  const { gift } = await startMonthly(f.foundation.slug, { amount: "15" });
  const sub = subscriptionEvents(gift);
  await deliver(sub.completed());
  await deliver(sub.invoicePaid().event);
  await deliver(sub.invoicePaid().event);
  await deliver(sub.deleted());

  // earmarked gifts: to a funded project (matched by a campaign for it) and to its round
  const p = await fundedProject({ count: 1 });
  await db().foundation.update({ where: { id: p.foundation.id }, data: { receiptPrefix: receiptPrefix("V") } });
  const manager = await foundationManager(p.foundation, p.root);
  const projectCampaign = await givingCampaign({ foundation: p.foundation, manager }, { poolYuan: "50", eligibleProjects: [p.project.referenceNo] });
  const toProject = await startGift(p.foundation.slug, { amount: "40", projectId: p.project.id });
  const toRound = await startGift(p.foundation.slug, { amount: "35", roundId: p.round.id });
  for (const g of [toProject, toRound]) for (const e of paidEvents(g.donation).events) await deliver(e);
  expect(await requestRefund(manager, p.foundation.slug, (await db().donation.findUniqueOrThrow({ where: { id: toProject.donation.id } })).ref, { amount: "10", reason: "部分退款" })).toEqual({
    ok: true,
  });

  // a foundation that holds only what one gift brought
  const poor = await givingFoundation({ availableFen: 0 });
  const poorGift = await startGift(poor.foundation.slug, { amount: "10" });
  for (const e of paidEvents(poorGift.donation).events) await deliver(e);

  // in the order they were started, so that `paid[i]` names the same gift in every run
  const ids = [...paid, toProject.donation, toRound.donation].map((d) => d.id);
  const rows = await db().donation.findMany({ where: { id: { in: ids } } });
  const all = ids.map((id) => rows.find((d) => d.id === id)!);
  Object.assign(world, {
    f,
    campaign,
    projectCampaign,
    paid: all,
    matched: all.filter((d) => d.matchedFen > 0),
    pending,
    processing,
    poor,
  });
}, 120_000);

afterAll(async () => {
  await disconnectDb();
  process.env.DATABASE_URL = sharedUrl;
  await fresh?.drop();
});

describe("ledger:verify — giving", () => {
  it("runs the giving checks by default, after the core ones (the projects' after them)", () => {
    expect(ledgerChecks.map((c) => c.name)).toEqual([...coreLedgerChecks, ...givingLedgerChecks, ...projectLedgerChecks].map((c) => c.name));
    expect(givingLedgerChecks.map((c) => c.name)).toEqual(["foundation-balances", "giving-postings-attributed", "donation-postings", "donation-reversals", "matching-pools", "gift-totals"]);
  });

  it("finds nothing wrong after gifts, repeats, failures, matches, refunds, disputes, monthly charges and earmarks", async () => {
    // the setup did exercise what the checks look at
    const statuses = new Set((await db().donation.findMany({ select: { status: true } })).map((d) => d.status));
    expect([...statuses].sort()).toEqual(["DISPUTED", "FAILED", "PARTIALLY_REFUNDED", "PENDING", "PROCESSING", "REFUNDED", "SUCCEEDED"]);
    expect(await db().donationMatch.count({ where: { partial: true } })).toBeGreaterThan(0);
    expect(await db().donationMatch.count({ where: { returnedFen: { gt: 0 } } })).toBeGreaterThan(0);
    expect(world.paid.some((d) => d.projectId) && world.paid.some((d) => d.roundId)).toBe(true);

    const report = await verifyAll();
    expect(report.problems).toEqual([]);
    expect(report.checks).toEqual(ledgerChecks.map((c) => c.name));
  });

  describe("each corruption is found", () => {
    it("a running total of gifts written behind the trigger's back, or lost", async () => {
      const foundationId = world.f.foundation.id;
      const before = await db().donationTotal.findUniqueOrThrow({ where: { scope_ownerId: { scope: "foundation", ownerId: foundationId } } });
      // after the setup's payments, refunds and disputes the total is what the gifts say
      expect(before.wallGifts).toBe(await db().donation.count({ where: { foundationId, status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED"] }, paidAt: { not: null } } }));
      await db().$executeRaw`UPDATE "DonationTotal" SET "wallGifts" = "wallGifts" + 1 WHERE scope = 'foundation' AND "ownerId" = ${foundationId}`;
      await db().$executeRaw`DELETE FROM "DonationTotal" WHERE scope = 'campaign' AND "ownerId" = ${world.campaign.id}`;
      const report = await verifyAll();
      expect(find(report, "gift-totals", "gift-total-mismatch", `foundation ${foundationId}:`)).toHaveLength(1);
      expect(find(report, "gift-totals", "gift-total-mismatch", `campaign ${world.campaign.id}:`)).toHaveLength(1);
      expect(find(report, "gift-totals", "gift-total-mismatch", `foundation ${foundationId}:`)[0]!.detail).toContain(`running totals ${before.wallGifts + 1} gifts on the wall`);
    });

    it("a donation's matchedFen changed behind the ledger's back", async () => {
      const d = world.matched[0]!;
      await db().$executeRaw`UPDATE "Donation" SET "matchedFen" = "matchedFen" + 1 WHERE id = ${d.id}`;
      const report = await verifyAll();
      expect(find(report, "matching-pools", "matched-fen-mismatch", d.id)).toHaveLength(1);
    });

    it("an extra reversal posted for a donation", async () => {
      // a gift nothing was refunded from: a refund's own posting is keyed by the total it brings
      // back (`reversed:<total>`), so on a gift refunded 7.77 this key would be that posting's and
      // the idempotent post would add nothing
      const d = world.paid.find((g) => g.status === "SUCCEEDED" && g.refundedFen === 0)!;
      const key = `donation:${d.id}:reversed:777`;
      expect(await db().ledgerTransaction.count({ where: { idempotencyKey: key } })).toBe(0);
      await post(key, "DONATION_REFUND", transfer(donationAccountCode(d), STRIPE_CLEARING, 777));
      const report = await verifyAll();
      expect(find(report, "donation-reversals", "reversal-mismatch", d.id)).toHaveLength(1);
    });

    it("a DONATION posting for a gift that was never paid", async () => {
      const d = world.pending[0]!;
      await post(`donation:${d.id}:paid`, "DONATION", transfer(STRIPE_CLEARING, donationAccountCode(d), d.amountFen));
      const report = await verifyAll();
      expect(find(report, "donation-postings", "unpaid-donation-posted", d.id)).toHaveLength(1);
    });

    it("a donation marked paid that was never posted", async () => {
      const d = world.processing[0]!;
      await db().$executeRaw`UPDATE "Donation" SET status = 'SUCCEEDED' WHERE id = ${d.id}`;
      const report = await verifyAll();
      expect(find(report, "donation-postings", "donation-not-posted", d.id)).toHaveLength(1);
    });

    it("a donation whose amount no longer matches what was posted", async () => {
      const d = world.paid[11]!;
      await db().$executeRaw`UPDATE "Donation" SET "amountFen" = "amountFen" + 100 WHERE id = ${d.id}`;
      const report = await verifyAll();
      expect(find(report, "donation-postings", "donation-amount-mismatch", d.id)).toHaveLength(1);
    });

    it("a match row that differs from what was drawn from, or given back to, the pool", async () => {
      const [a, b] = await db().donationMatch.findMany({ where: { campaignId: world.campaign.id, returnedFen: 0, donationId: { not: world.matched[0]!.id } }, take: 2 });
      await db().$executeRaw`UPDATE "DonationMatch" SET "matchedFen" = "matchedFen" - 1 WHERE id = ${a!.id}`;
      await db().$executeRaw`UPDATE "DonationMatch" SET "returnedFen" = 5 WHERE id = ${b!.id}`;
      const report = await verifyAll();
      expect(find(report, "matching-pools", "match-posting-mismatch", a!.donationId)).toHaveLength(1);
      expect(find(report, "matching-pools", "match-return-mismatch", b!.donationId)).toHaveLength(1);
      // and the donation's matchedFen no longer equals its match rows
      expect(find(report, "matching-pools", "matched-fen-mismatch", a!.donationId)).toHaveLength(1);
    });

    it("money taken out of a pool other than by a match, and a pool overdrawn", async () => {
      const pool = accountCodes.matchingPool(world.projectCampaign.id);
      const elsewhere = accountCodes.externalAppropriation(`verify-test:${uid()}`);
      await ensureAccount(db(), { code: elsewhere, kind: "EXTERNAL_APPROPRIATION", nameZh: "别处", nameEn: "Elsewhere" });
      // the pool held ¥50 − ¥40 matched + ¥10 returned = ¥20: take ¥25
      await post(`verify-test:${uid()}`, "ADJUSTMENT", transfer(pool, elsewhere, 2_500));
      const report = await verifyAll();
      expect(find(report, "matching-pools", "pool-mismatch", world.projectCampaign.id)).toHaveLength(1);
      expect(find(report, "matching-pools", "pool-negative", world.projectCampaign.id)).toHaveLength(1);
      expect(find(report, "matching-pools", "pool-negative", world.campaign.id)).toEqual([]);
    });

    it("giving postings that name no donation, or carry another kind than their key's", async () => {
      const stray = await post(`gift-without-donation:${uid()}`, "DONATION", transfer(STRIPE_CLEARING, accountCodes.foundationAvailable(world.f.foundation.id), 100));
      const d = world.pending[1]!;
      const wrongKind = await post(`donation:${d.id}:match`, "DONATION", transfer(STRIPE_CLEARING, donationAccountCode(d), 100));
      const report = await verifyAll();
      const unattributed = report.problems.filter((p) => p.check === "giving-postings-attributed").map((p) => p.transactionId);
      expect(unattributed).toContain(stray.transactionId);
      expect(unattributed).toContain(wrongKind.transactionId);
    });

    it("a foundation's account below zero", async () => {
      const available = accountCodes.foundationAvailable(world.poor.foundation.id);
      const out = accountCodes.externalAppropriation(`verify-test:${uid()}`);
      await ensureAccount(db(), { code: out, kind: "EXTERNAL_APPROPRIATION", nameZh: "支出", nameEn: "Out" });
      await post(`verify-test:${uid()}`, "APPROPRIATION", transfer(available, out, 1_500));
      const account = await db().ledgerAccount.findUniqueOrThrow({ where: { code: available } });
      const report = await verifyAll();
      expect(report.problems).toContainEqual(expect.objectContaining({ check: "foundation-balances", kind: "foundation-negative", accountId: account.id, detail: `${available} holds -500 fen, below zero` }));
      // the core checks still pass: every transaction balances, only the giving story is wrong
      expect(report.problems.filter((p) => coreLedgerChecks.some((c) => c.name === p.check))).toEqual([]);
    });

    it("`npm run ledger:verify` lists them and exits 1", async () => {
      const run = await runScript("scripts/ledger-verify.ts", fresh.url);
      expect(run.stdout).toMatch(/FAILED: \d+ problem/);
      expect(run.stdout).toMatch(/checks: .*donation-postings, donation-reversals, matching-pools/);
      expect(run.stdout).toContain(`[donation-postings] unpaid-donation-posted: donation`);
      expect(run.stdout).toContain(`[matching-pools] pool-negative: campaign ${world.projectCampaign.slug}`);
      expect(run.code).toBe(1);
    });
  });
});
