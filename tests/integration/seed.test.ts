import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PARTNER_CAMPAIGN_SLUG, DEMO_PARTNER_PHONES } from "../../prisma/demo-partners";
import { accountCodes } from "~/domain/ledger";
import { PRIVACY_NOTICE_VERSION } from "~/domain/privacy-notice";
import { labourWithinCap, proposalTotals, shanghaiDay, type ProposalSnapshot } from "~/domain/proposals";
import { isValidUscc } from "~/domain/uscc";
import { canonicalJson } from "~/domain/audit-chain";
import { db } from "~/lib/db.server";
import { verifyAudit } from "~/services/books/audit-verify.server";
import { balanceFen } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { homeStats } from "~/services/areas/areas.server";
import crypto from "node:crypto";
import { DEMO_ACCOUNTS, DEMO_RESIDENTS, ROUND_JN6, ROUND_JN7, ROUND_WL26 } from "../../prisma/demo-data";
import { DEMO_BENEFICIARY_NAMES, DEMO_PAYEES, demoBeneficiaryPhone, PLAN } from "../../prisma/demo-projects";
import { DEMO_ROUND_FACTS } from "../../prisma/demo-rounds";
import { demoDayText } from "../../prisma/demo-clock";
import { seedDemoIfEmpty } from "../../prisma/seed";
import { freshDatabase, type FreshDatabase } from "../support/fresh-database";
import { runScript } from "../support/run-script";

/**
 * The demo seed on a database of its own (it seeds only an empty database): the rounds JN7 and
 * JN6 with their needs, votes, proposals and money, consistent with every rule the app enforces.
 */
describe("the demo seed", () => {
  let fresh: FreshDatabase;
  let workerUrl: string | undefined;
  let firstSeed: boolean;
  let secondSeed: boolean;
  let counts: Record<string, number>;
  let seedMs: number;

  const tableCounts = async () => {
    const c = fresh.client;
    return {
      users: await c.user.count(),
      organizations: await c.organization.count(),
      rounds: await c.round.count(),
      needs: await c.need.count(),
      votes: await c.needVote.count(),
      proposals: await c.proposal.count(),
      decisions: await c.screeningDecision.count(),
      ledger: await c.ledgerTransaction.count(),
      audit: await c.auditLog.count(),
    };
  };

  beforeAll(async () => {
    fresh = await freshDatabase("seed");
    workerUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = fresh.url; // db() follows DATABASE_URL
    const t = Date.now();
    firstSeed = await seedDemoIfEmpty();
    seedMs = Date.now() - t;
    counts = await tableCounts();
    secondSeed = await seedDemoIfEmpty();
    await db().$disconnect();
    process.env.DATABASE_URL = workerUrl;
  }, 120_000);

  afterAll(async () => {
    process.env.DATABASE_URL = workerUrl;
    await fresh?.drop();
  });

  it("seeds once; seeding again adds nothing", async () => {
    expect(firstSeed).toBe(true);
    expect(secondSeed).toBe(false);
    expect(await tableCounts()).toEqual(counts);
    // figures only (the bench measures start-up); logged to spot a slow seed
    console.info(`demo seed took ${seedMs} ms`, counts);
  });

  it("the home page's figures, read in one statement, are the district's and the foundations' available balances", async () => {
    process.env.DATABASE_URL = fresh.url;
    try {
      const stats = await homeStats();
      const foundations = await fresh.client.foundation.findMany({ select: { id: true } });
      let funds = 0;
      for (const f of foundations) funds += await balanceFen(fresh.client, accountCodes.foundationAvailable(f.id));
      expect(funds).toBeGreaterThan(0);
      expect(stats).toEqual({
        communities: await fresh.client.area.count({ where: { level: "COMMUNITY" } }),
        villages: await fresh.client.area.count({ where: { level: "VILLAGE" } }),
        residents: 174_368,
        foundations: foundations.length,
        organizations: await fresh.client.organization.count(),
        fundsFen: funds,
      });
      expect(stats.communities).toBe(18);
    } finally {
      await db().$disconnect();
      process.env.DATABASE_URL = workerUrl;
    }
  });

  it("JN7: in PROPOSALS over 当湖街道 with about a hundred needs; every vote count is the number of its votes", async () => {
    const c = fresh.client;
    const jn7 = await c.round.findUniqueOrThrow({ where: { code: "JN7" }, include: { area: true, foundation: true } });
    expect(jn7).toMatchObject({ title: ROUND_JN7.title, phase: "PROPOSALS", minAwardFen: 500_000, maxAwardFen: 1_500_000 });
    expect(jn7.area.code).toBe("danghu");
    expect(jn7.foundation.slug).toBe("danghu-community-fund");
    // the story's dates, moved by whole weeks to the week it is seeded in (prisma/demo-clock.ts)
    expect(shanghaiDay(jn7.needsStartsAt)).toBe(demoDayText("2026-10-08"));
    expect(shanghaiDay(jn7.proposalsDeadline)).toBe(demoDayText("2026-12-20"));
    expect(shanghaiDay(jn7.proposalsDeadline) > shanghaiDay(new Date())).toBe(true);
    expect(shanghaiDay(jn7.implementationEndsAt)).toBe(demoDayText("2027-11-30"));
    expect(shanghaiDay(jn7.closesAt)).toBe(demoDayText("2027-12-31"));

    // (the small wishes of 松枫社区 are needs of their own, taken by volunteers outside the round)
    const jn7Needs = await c.need.findMany({
      where: { createdAt: { gte: jn7.needsStartsAt }, wish: null },
      select: { id: true, status: true, roundId: true, rejectionReason: true, mergedIntoId: true, voteCount: true, category: true, area: { select: { level: true, path: true } } },
    });
    expect(jn7Needs.length).toBeGreaterThanOrEqual(100);
    expect(jn7Needs).toHaveLength(DEMO_ROUND_FACTS.jn7Needs);
    const by = (s: string) => jn7Needs.filter((n) => n.status === s);
    expect(by("PUBLISHED")).toHaveLength(40);
    expect(by("PUBLISHED").every((n) => n.roundId === jn7.id)).toBe(true);
    expect(by("OPEN").length).toBeGreaterThanOrEqual(45);
    expect(by("REJECTED").length).toBeGreaterThan(0);
    expect(by("REJECTED").every((n) => (n.rejectionReason ?? "").length >= 5)).toBe(true);
    expect(by("MERGED").length).toBeGreaterThan(0);
    for (const m of by("MERGED")) expect(jn7Needs.find((n) => n.id === m.mergedIntoId)?.status).toMatch(/OPEN|PUBLISHED/);
    // spread over every community and village of 当湖街道, in the three categories
    const places = new Set(jn7Needs.map((n) => n.area.path));
    expect(places.size).toBe(26);
    expect(jn7Needs.every((n) => ["COMMUNITY", "VILLAGE"].includes(n.area.level))).toBe(true);
    expect(new Set(jn7Needs.map((n) => n.category))).toEqual(new Set(["SELF_GOVERNANCE", "PUBLIC_SERVICE", "CULTURE_SPORTS"]));

    const mismatched = await c.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Need" n
      WHERE n."voteCount" <> (SELECT count(*) FROM "NeedVote" v WHERE v."needId" = n.id)`;
    expect(mismatched[0]!.n).toBe(0);
    expect(await c.needVote.count()).toBeGreaterThan(500);
    // a merged need's voters were carried over to the need it was merged into
    const notCarried = await c.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "NeedVote" v JOIN "Need" s ON s.id = v."needId"
      WHERE s.status = 'MERGED' AND NOT EXISTS (SELECT 1 FROM "NeedVote" t WHERE t."needId" = s."mergedIntoId" AND t."userId" = v."userId")`;
    expect(notCarried[0]!.n).toBe(0);
  });

  it("JN7: applicant@'s organization has a partly filled draft; applicant@ and team@ have nothing submitted there", async () => {
    const c = fresh.client;
    const jn7 = await c.round.findUniqueOrThrow({ where: { code: "JN7" } });
    const proposals = await c.proposal.findMany({ where: { roundId: jn7.id }, include: { organization: { include: { members: { include: { user: true } } } } } });
    expect(proposals).toHaveLength(1);
    expect(proposals[0]!.status).toBe("DRAFT");
    expect(proposals[0]!.title).not.toBe("");
    expect(proposals[0]!.activityPlan).toBe("");
    expect(proposals[0]!.organization.members.map((m) => m.user?.email)).toContain("applicant@danghu.example");
    expect(jn7.nextProposalSeq).toBe(1);
  });

  it("JN6: last year's round, in implementation, 14 frozen proposals within the rules, screened (2 ineligible with reasons)", async () => {
    const c = fresh.client;
    const jn6 = await c.round.findUniqueOrThrow({ where: { code: "JN6" } });
    expect(jn6).toMatchObject({ title: ROUND_JN6.title, phase: "IMPLEMENTATION", nextProposalSeq: 15 });
    expect(await c.need.count({ where: { roundId: jn6.id, status: "PUBLISHED" } })).toBe(DEMO_ROUND_FACTS.jn6Needs);
    const proposals = await c.proposal.findMany({
      where: { roundId: jn6.id },
      include: { budgetLines: true, milestones: true, team: true, screening: true, organization: { include: { members: true } } },
      orderBy: { referenceNo: "asc" },
    });
    expect(proposals.map((p) => p.referenceNo)).toEqual(Array.from({ length: 14 }, (_, i) => `JN6-${String(i + 1).padStart(4, "0")}`));
    expect(proposals.filter((p) => p.status === "ELIGIBLE")).toHaveLength(12);
    const ineligible = proposals.filter((p) => p.status === "INELIGIBLE");
    expect(ineligible).toHaveLength(2);
    for (const p of proposals) {
      const totals = proposalTotals(p.budgetLines);
      expect(p.requestedFen).toBe(totals.totalFen);
      expect(totals.totalFen).toBeGreaterThanOrEqual(jn6.minAwardFen);
      expect(totals.totalFen).toBeLessThanOrEqual(jn6.maxAwardFen);
      expect(labourWithinCap(totals.labourFen, totals.totalFen, jn6.labourCapPercent)).toBe(true);
      for (const m of p.milestones) {
        expect(m.dueOn!.getTime()).toBeGreaterThanOrEqual(jn6.implementationStartsAt.getTime());
        expect(m.dueOn!.getTime()).toBeLessThanOrEqual(jn6.implementationEndsAt.getTime());
      }
      expect(p.team.length).toBeGreaterThan(0);
      const snapshot = p.snapshot as unknown as ProposalSnapshot;
      expect(snapshot.referenceNo).toBe(p.referenceNo);
      expect(snapshot.totals.totalFen).toBe(p.requestedFen);
      expect(crypto.createHash("sha256").update(canonicalJson(snapshot)).digest("hex")).toBe(p.snapshotSha256);
      expect(p.screening).toHaveLength(1);
      expect(p.screening[0]!.outcome).toBe(p.status);
      expect(p.screening[0]!.reason.length).toBeGreaterThan(4);
      expect(p.screeningReason).toBe(p.screening[0]!.reason);
    }
    // the database keeps them frozen
    await expect(c.proposal.update({ where: { id: proposals[0]!.id }, data: { title: "改" } })).rejects.toThrow();
    // one proposal per organization, each from a demo organization that follows the rules
    expect(new Set(proposals.map((p) => p.organizationId)).size).toBe(14);
    for (const { organization: o } of proposals) {
      if (o.kind === "SOCIAL_ORGANIZATION") expect(isValidUscc(o.uscc ?? "")).toBe(true);
      if (o.kind === "COMMUNITY_ORGANIZATION") expect(o.filingNo).toBeTruthy();
      if (o.kind === "RESIDENT_TEAM") expect(o.members.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("JN6: reviewed by the five demo judges, ranked and allocated by the rules, noticed with one dismissed objection, final", async () => {
    const c = fresh.client;
    const jn6 = await c.round.findUniqueOrThrow({ where: { code: "JN6" } });
    expect(jn6.awardsPublishedAt).not.toBeNull();
    expect(jn6.awardsFinalizedAt).not.toBeNull();
    expect(await c.roundJudge.count({ where: { roundId: jn6.id, status: "ACCEPTED" } })).toBe(5);
    expect(await c.scoreSheet.count({ where: { roundId: jn6.id, status: "SUBMITTED" } })).toBe(12 * 5);
    const awards = await c.award.findMany({ where: { roundId: jn6.id }, orderBy: { rank: "asc" } });
    expect(awards).toHaveLength(12);
    expect(awards.map((a) => a.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(awards.every((a) => a.status === "FINAL")).toBe(true);
    expect(awards.some((a) => a.outcome === "FUNDED")).toBe(true);
    expect(awards.reduce((s, a) => s + a.awardFen, 0)).toBeLessThanOrEqual(Number(jn6.poolFen));
    for (const a of awards) expect(a.awardFen === 0 || (a.awardFen >= jn6.minAwardFen && a.awardFen <= jn6.maxAwardFen)).toBe(true);
    expect(await c.objection.findMany({ where: { roundId: jn6.id } })).toEqual([expect.objectContaining({ status: "DISMISSED" })]);
  });

  it("the round pools came through the ledger, which balances; the audit chain verifies", async () => {
    const c = fresh.client;
    const foundation = await c.foundation.findUniqueOrThrow({ where: { slug: "danghu-community-fund" } });
    const rounds = await c.round.findMany({ where: { code: { in: ["JN6", "JN7", ROUND_WL26.code] } } });
    expect(rounds).toHaveLength(3);
    // JN6's final awards moved their money on to each award's committed account
    for (const r of rounds) {
      const committed = (await c.award.findMany({ where: { roundId: r.id, status: "FINAL" } })).reduce((sum, a) => sum + a.awardFen, 0);
      expect(await balanceFen(c, accountCodes.roundPool(r.id))).toBe(Number(r.poolFen) - committed);
    }
    expect(rounds.map((r) => Number(r.poolFen)).sort()).toEqual([ROUND_JN6.poolFen, ROUND_JN7.poolFen, ROUND_WL26.poolFen].sort());
    // closed projects gave back what they did not spend (and any commitment never paid)
    const returned = (await c.project.findMany({ where: { status: "CLOSED" } })).reduce((sum, p) => sum + (p.unspentReturnedFen ?? 0), 0);
    expect(returned).toBeGreaterThan(0);
    // plus the demo gifts to the fund's general funds, their matches, less refunds
    const giving = await c.$queryRaw<{ sum: bigint | null }[]>`
      SELECT sum(e."amountFen")::bigint AS sum FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
      JOIN "LedgerAccount" a ON a.id = e."accountId"
      WHERE a.code = ${accountCodes.foundationAvailable(foundation.id)} AND t.kind IN ('DONATION', 'DONATION_REFUND', 'MATCH', 'MATCH_RETURN')`;
    expect(Number(giving[0]!.sum)).toBeGreaterThan(0);
    expect(await balanceFen(c, accountCodes.foundationAvailable(foundation.id))).toBe(5_000_000_00 - ROUND_JN6.poolFen - ROUND_JN7.poolFen - ROUND_WL26.poolFen + returned + Number(giving[0]!.sum));
    const report = await verifyLedger(c);
    expect(report.problems).toEqual([]);
    expect((await verifyAudit(c)).problems).toEqual([]);
    const run = await runScript("scripts/ledger-verify.ts", fresh.url);
    expect(run.code).toBe(0);
  });

  it("giving: an open 1:1 campaign, gifts fulfilled through the signed webhook, gapless receipts, a directed micro-fund", async () => {
    const c = fresh.client;
    const fund = await c.foundation.findUniqueOrThrow({ where: { slug: "danghu-community-fund" } });
    expect(fund.fundraisingFilingNo).toBeTruthy();
    const micro = await c.foundation.findUniqueOrThrow({ where: { slug: "donghu-neighbours-fund" } });
    expect(micro.fundraisingFilingNo).toBeNull();
    // the partner company's ¥30,000 and one ¥100 directed gift
    expect(await balanceFen(c, accountCodes.foundationAvailable(micro.id))).toBe(3_000_000 + 10_000);
    // it raises only through its managers' invitations (定向), and its gift came through one of them
    const invitations = await c.directedInvitation.findMany({ where: { foundationId: micro.id, revokedAt: null }, orderBy: { createdAt: "asc" } });
    expect(invitations.map((i) => i.audienceZh)).toEqual(["东湖社区常住居民", "结对单位平湖某科技公司职工"]);
    const microGifts = await c.donation.findMany({ where: { foundationId: micro.id } });
    expect(microGifts.length).toBeGreaterThan(0);
    expect(microGifts.every((g) => g.invitationId === invitations[0]!.id)).toBe(true);
    expect(invitations[0]!.uses).toBe(microGifts.length);
    const campaign = await c.matchingCampaign.findUniqueOrThrow({ where: { slug: "danghu-winter-match" } });
    expect(campaign.startsAt.getTime()).toBeLessThan(Date.now());
    expect(campaign.endsAt.getTime()).toBeGreaterThan(Date.now());
    const gifts = await c.donation.findMany({ where: { foundationId: fund.id }, orderBy: { receiptNo: "asc" } });
    expect(gifts.length).toBeGreaterThanOrEqual(10);
    expect(gifts.every((g) => g.status !== "PENDING" && g.receiptNo)).toBe(true);
    const seqs = gifts.map((g) => Number(g.receiptNo!.split("-")[2])).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(gifts.some((g) => g.status === "REFUNDED")).toBe(true);
    expect(gifts.some((g) => g.status === "PARTIALLY_REFUNDED")).toBe(true);
    expect(gifts.some((g) => g.frequency === "MONTHLY")).toBe(true);
    expect(gifts.some((g) => g.matchedFen > 0)).toBe(true);
    expect(gifts.some((g) => g.projectId)).toBe(true);
    expect(await c.paymentEvent.count({ where: { outcome: { not: "applied" } } })).toBe(0);
    const matched = gifts.reduce((s, g) => s + g.matchedFen, 0);
    const returnedMatch = (await c.donationMatch.findMany({ where: { campaignId: campaign.id } })).reduce((s, m) => s + m.returnedFen, 0);
    expect(await balanceFen(c, accountCodes.matchingPool(campaign.id))).toBe(2_000_000 - matched + returnedMatch);
  });

  it("giving: some demo donors consented to be named publicly (the wall is not all 爱心人士), each gift with its privacy consent", async () => {
    const c = fresh.client;
    const gifts = await c.donation.findMany({ select: { id: true, anonymous: true, recurringGiftId: true, consents: { select: { kind: true } } } });
    const named = gifts.filter((g) => !g.anonymous);
    expect(named.length).toBeGreaterThanOrEqual(4);
    expect(gifts.some((g) => g.anonymous)).toBe(true);
    const monthly = await c.recurringGift.findFirstOrThrow({ select: { id: true, anonymous: true, consents: { select: { kind: true } } } });
    const kindsOf = (g: (typeof gifts)[number]) => (g.recurringGiftId === monthly.id ? monthly.consents : g.consents).map((x) => x.kind).sort();
    for (const g of gifts) expect(kindsOf(g)).toEqual(g.anonymous ? ["DONATION_PRIVACY"] : ["DONATION_PRIVACY", "PUBLIC_NAMING"]);
  });

  it("every demo account has accepted the current privacy notice", async () => {
    const c = fresh.client;
    const without = await c.user.count({ where: { consents: { none: { kind: "PRIVACY_NOTICE", noticeVersion: PRIVACY_NOTICE_VERSION } } } });
    expect(without).toBe(0);
  });

  it("JN6's funded projects are in every state, reached by the rules: money, reports, call-backs and PII as the app keeps them", async () => {
    const c = fresh.client;
    const projects = await c.project.findMany({
      where: { round: { code: "JN6" } },
      orderBy: { referenceNo: "asc" },
      include: { tranches: { orderBy: { position: "asc" } }, milestones: true, reports: true, expenses: true, beneficiaries: true, evaluations: true },
    });
    expect(projects.map((p) => p.referenceNo)).toEqual(Object.keys(PLAN).sort());
    const status = Object.fromEntries(projects.map((p) => [p.referenceNo, p.status]));
    expect(status).toMatchObject({ "JN6-0001": "AWAITING_ACCEPTANCE", "JN6-0003": "AWAITING_COUNTERSIGN", "JN6-0002": "ACTIVE", "JN6-0006": "ACTIVE", "JN6-0011": "CLOSED", "JN6-0014": "EVALUATION_FAILED" });
    for (const p of projects) {
      // tranches sum to the award; paid ones are in the ledger under their idempotency key
      expect(p.tranches.reduce((s, t) => s + t.amountFen, 0)).toBe(p.awardFen);
      const paid = p.tranches.filter((t) => t.status === "RELEASED");
      for (const t of paid) {
        expect(t.preparedById).not.toBe(t.approvedById);
        expect(await c.ledgerTransaction.count({ where: { idempotencyKey: `tranche:${t.id}:release` } })).toBe(1);
      }
      const paidFen = paid.reduce((s, t) => s + t.amountFen, 0);
      const returnedPaid = p.status === "CLOSED" ? (p.unspentReturnedFen ?? 0) - p.tranches.filter((t) => t.status !== "RELEASED").reduce((s, t) => s + t.amountFen, 0) : 0;
      expect(await balanceFen(c, accountCodes.granteePaid(p.awardId))).toBe(paidFen - returnedPaid);
      // an approved milestone has an approved report; spending never exceeds what was paid
      for (const m of p.milestones.filter((m) => m.status === "APPROVED")) expect(p.reports.some((r) => r.milestoneId === m.id && r.status === "APPROVED")).toBe(true);
      expect(p.expenses.filter((e) => e.status === "APPROVED").reduce((s, e) => s + e.amountFen, 0)).toBeLessThanOrEqual(paidFen);
    }
    expect(projects.find((p) => p.referenceNo === "JN6-0014")!.tranches.at(-1)!.status).toBe("HELD");
    expect(projects.find((p) => p.referenceNo === "JN6-0008")!.tranches.at(-1)!.status).toBe("RELEASABLE");
    expect(projects.find((p) => p.referenceNo === "JN6-0002")!.expenses.some((e) => e.duplicateReceipt)).toBe(true);
    // beneficiaries: encrypted at rest (no seeded name or phone in the table's text)
    const raw = await c.$queryRaw<{ t: string }[]>`SELECT string_agg("nameEnc" || "phoneEnc", '|') AS t FROM "Beneficiary"`;
    expect(raw[0]!.t.length).toBeGreaterThan(100);
    for (const name of DEMO_BENEFICIARY_NAMES) expect(raw[0]!.t).not.toContain(name);
    expect(raw[0]!.t).not.toContain(demoBeneficiaryPhone(2, 1));
    expect(await c.callRecord.count({ where: { outcome: { not: null } } })).toBeGreaterThan(30);
    // the daily alert check ran once after seeding: the overdue project shows its alerts
    const alerts = await c.projectAlert.findMany({ where: { resolvedAt: null, project: { referenceNo: "JN6-0006" } } });
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(["OVERDUE", "OFF_BUDGET", "OVER_BUDGET"]));
    // each funded award of JN6 became exactly one project
    expect(await c.award.count({ where: { round: { code: "JN6" }, outcome: { in: ["FUNDED", "PARTIAL"] }, awardFen: { gt: 0 } } })).toBe(projects.length);
  });

  it("dates each JN6 posting by the event it records: the first tranches paid on the story's 10 February, the awards committed at their finalisation", async () => {
    const c = fresh.client;
    const tranches = await c.tranche.findMany({ where: { status: "RELEASED", project: { round: { code: "JN6" } } }, select: { id: true, position: true, releasedAt: true, ledgerTransactionId: true, project: { select: { referenceNo: true } } } });
    expect(tranches.length).toBeGreaterThan(0);
    for (const t of tranches) {
      const posting = await c.ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: `tranche:${t.id}:release` }, select: { id: true, occurredAt: true, createdAt: true } });
      expect(posting.id).toBe(t.ledgerTransactionId);
      expect(posting.occurredAt.toISOString(), `${t.project.referenceNo} tranche ${t.position}`).toBe(t.releasedAt!.toISOString());
    }
    const first = tranches.filter((t) => t.position === 1);
    expect(first.length).toBeGreaterThan(0);
    for (const t of first) {
      const posting = await c.ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: `tranche:${t.id}:release` }, select: { occurredAt: true } });
      expect(shanghaiDay(posting.occurredAt)).toBe(demoDayText("2026-02-10"));
    }
    // every posting of last year's round happened before the seeding day, in the order of events
    const round = await c.round.findUniqueOrThrow({ where: { code: "JN6" }, select: { id: true, awardsFinalizedAt: true } });
    const pool = await c.ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: "seed:round:JN6:pool" }, select: { occurredAt: true } });
    const commits = await c.ledgerTransaction.findMany({ where: { kind: "AWARD_COMMIT", entries: { some: { account: { code: accountCodes.roundPool(round.id) } } } }, select: { occurredAt: true } });
    expect(commits.length).toBeGreaterThan(0);
    for (const commit of commits) {
      expect(commit.occurredAt.toISOString()).toBe(round.awardsFinalizedAt!.toISOString());
      expect(pool.occurredAt.getTime()).toBeLessThan(commit.occurredAt.getTime());
    }
  });

  it("adds twenty resident accounts with the demo password", async () => {
    const c = fresh.client;
    const found = await c.user.findMany({ where: { email: { in: DEMO_RESIDENTS.map((r) => r.email) } }, select: { passwordHash: true } });
    expect(found).toHaveLength(20);
    const resident = await c.user.findUniqueOrThrow({ where: { email: "resident@danghu.example" } });
    expect(new Set(found.map((f) => f.passwordHash))).toEqual(new Set([resident.passwordHash]));
  });

  it("communities deliberated open JN7 needs: 松枫社区's passed its resolution (the representatives' online vote beside it), one elsewhere waits with the online vote open, one was dropped at review", async () => {
    const c = fresh.client;
    const matters = await c.matter.findMany({
      select: {
        status: true,
        area: { select: { code: true } },
        needs: { select: { need: { select: { status: true } } } },
        reviews: { select: { outcome: true } },
        resolution: { select: { passed: true, present: true, votesFor: true } },
        onlineVotingOpenedAt: true,
        onlineVotingClosedAt: true,
        _count: { select: { onlineVotes: true } },
      },
      orderBy: { number: "asc" },
    });
    expect(matters.map((m) => m.status)).toEqual(["PASSED", "FORWARDED", "DROPPED"]);
    expect(matters[0]).toMatchObject({ area: { code: "songfeng" }, reviews: [{ outcome: "FORWARD" }], resolution: { passed: true }, _count: { onlineVotes: 5 } });
    expect(matters[0]!.onlineVotingClosedAt).not.toBeNull();
    expect(matters[1]).toMatchObject({ reviews: [{ outcome: "FORWARD" }], resolution: null, onlineVotingClosedAt: null, _count: { onlineVotes: 2 } });
    expect(matters[1]!.onlineVotingOpenedAt).not.toBeNull();
    for (const code of new Set([matters[0]!.area.code, matters[1]!.area.code])) expect(await c.communityRoleGrant.count({ where: { role: "RESIDENT_REPRESENTATIVE", area: { code } } })).toBe(5);
    expect(await c.matterAttachment.count()).toBe(1);
    expect(matters[2]!.area.code).not.toBe("songfeng");
    expect(matters[2]).toMatchObject({ reviews: [{ outcome: "DROP" }], resolution: null });
    for (const m of matters) expect(m.needs.map((n) => n.need.status)).toEqual(["OPEN"]);
  });

  it("松枫社区 has a dozen volunteers (two waiting for confirmation) and ten small wishes in every state, the hours of the fulfilled ones summed", async () => {
    const c = fresh.client;
    const volunteers = await c.volunteer.groupBy({ by: ["status"], where: { area: { code: "songfeng" } }, _count: { _all: true } });
    expect(Object.fromEntries(volunteers.map((v) => [v.status, v._count._all]))).toEqual({ CONFIRMED: 10, PENDING: 2 });
    const wishes = await c.wish.findMany({ where: { area: { code: "songfeng" } }, select: { status: true, takenById: true, need: { select: { authorId: true } }, hours: { select: { minutes: true } } } });
    expect(wishes).toHaveLength(10);
    expect(new Set(wishes.map((w) => w.status))).toEqual(new Set(["OPEN", "TAKEN", "FULFILLED", "CONFIRMED", "DISPUTED", "RESOLVED"]));
    for (const w of wishes) expect(w.takenById).not.toBe(w.need.authorId);
    const hours = await c.volunteerHours.aggregate({ where: { area: { code: "songfeng" }, wishId: { not: null } }, _sum: { minutes: true } });
    expect(hours._sum.minutes).toBe(wishes.reduce((s, w) => s + (w.hours?.minutes ?? 0), 0));
    expect(hours._sum.minutes).toBe(45 + 60 + 75);
  });

  it("JN6-0002 logged its community's volunteers' shifts, one reversed and logged again, counted in the community's hours", async () => {
    const c = fresh.client;
    const project = await c.project.findUniqueOrThrow({ where: { referenceNo: "JN6-0002" }, select: { id: true, communityId: true } });
    const entries = await c.volunteerHours.findMany({ where: { projectId: project.id }, select: { minutes: true, reversesId: true, areaId: true, volunteer: { select: { status: true, areaId: true } } } });
    expect(entries).toHaveLength(7);
    expect(entries.filter((e) => e.reversesId).map((e) => e.minutes)).toEqual([-90]);
    expect(entries.reduce((s, e) => s + e.minutes, 0)).toBe(180 + 150 + 240 + 120 + 90);
    for (const e of entries) expect(e).toMatchObject({ areaId: project.communityId, volunteer: { status: "CONFIRMED", areaId: project.communityId } });
    const today = new Date().toISOString().slice(0, 10);
    expect((await c.volunteerHours.findMany({ where: { projectId: project.id }, select: { servedOn: true } })).every((e) => e.servedOn.toISOString().slice(0, 10) <= today)).toBe(true);
  });

  it("two partner units paired with Danghu communities: one funds a matching pool it is linked to, one stocks 松枫社区's charity shop in kind and took a wish; the books hold no in-kind gift", async () => {
    const c = fresh.client;
    const units = await c.partnerUnit.findMany({ select: { id: true, name: true, contactPhoneEnc: true, pairings: { select: { area: { select: { code: true } }, endedOn: true } }, matchingCampaigns: { select: { slug: true, sponsorName: true } }, wishesTaken: { select: { status: true } } }, orderBy: { name: "asc" } });
    expect(units).toHaveLength(2);
    for (const u of units) for (const phone of DEMO_PARTNER_PHONES) expect(u.contactPhoneEnc).not.toContain(phone);
    const sponsor = units.find((u) => u.matchingCampaigns.length)!;
    expect(sponsor.matchingCampaigns).toEqual([{ slug: DEMO_PARTNER_CAMPAIGN_SLUG, sponsorName: sponsor.name }]);
    expect(sponsor.pairings.map((p) => p.area.code)).toEqual(["donghu"]);
    const shop = units.find((u) => u !== sponsor)!;
    expect(shop.pairings.map((p) => p.area.code).sort()).toEqual(["fenghuang", "songfeng"]);
    expect(shop.wishesTaken).toEqual([{ status: "TAKEN" }]);
    const shopGifts = await c.inKindGift.findMany({ where: { unitId: shop.id, forCharityShop: true }, select: { kind: true, valueFen: true } });
    expect(shopGifts.length).toBeGreaterThanOrEqual(2);
    expect(shopGifts.every((g) => g.kind === "GOODS" && g.valueFen! > 0)).toBe(true);
    // in-kind gifts never reach the books: no ledger account or posting mentions them
    expect(await c.ledgerTransaction.count({ where: { memo: { contains: "大米" } } })).toBe(0);
  });

  it("has a past training with attendance, an upcoming one, and three incubated organizations with mentor logs, on the demo clock", async () => {
    const c = fresh.client;
    const now = new Date();
    const trainings = await c.training.findMany({ select: { endsAt: true, startsAt: true, signups: { select: { attendedAt: true } } }, orderBy: { startsAt: "asc" } });
    expect(trainings).toHaveLength(2);
    expect(trainings[0]!.endsAt < now).toBe(true);
    expect(trainings[0]!.signups.filter((s) => s.attendedAt).length).toBe(1);
    expect(trainings[1]!.startsAt > now).toBe(true);
    const incubations = await c.incubation.findMany({ select: { stage: true, mentor: { select: { email: true } }, _count: { select: { logs: true } } } });
    expect(new Set(incubations.map((i) => i.stage))).toEqual(new Set(["ENTERED", "NURTURING", "GRADUATED"]));
    for (const i of incubations) {
      expect(i.mentor?.email).toBe("mentor@danghu.example");
      expect(i._count.logs).toBeGreaterThan(0);
    }
    expect(await c.roleGrant.count({ where: { role: "MENTOR", user: { email: "mentor@danghu.example" } } })).toBe(1);
  });

  it("has the subdistrict's last closed quarter's ranking published (通报) by the demo official, the bottom three named, audited", async () => {
    const notices = await fresh.client.rankingNotice.findMany({ select: { id: true, quarter: true, version: true, rows: true, publishedAt: true, publishedBy: { select: { email: true } }, area: { select: { code: true } } } });
    expect(notices).toHaveLength(1);
    const [n] = notices;
    expect(n!.area.code).toBe("danghu");
    expect(n!.version).toBe(1);
    expect(n!.publishedBy.email).toBe(DEMO_ACCOUNTS.official.email);
    const rows = n!.rows as { rank: number | null; flagged: boolean }[];
    expect(rows.filter((r) => r.rank !== null).length).toBeGreaterThanOrEqual(4);
    expect(rows.filter((r) => r.flagged)).toHaveLength(3);
    expect(await fresh.client.auditLog.count({ where: { action: "area.rankingNoticePublish", objectId: n!.id } })).toBe(1);
  });

  it("has JN6's closing report and the foundation's annual report published, and JN6's two closed projects as showcase cases, audited", async () => {
    const c = fresh.client;
    const reports = await c.publishedReport.findMany({ orderBy: { number: "asc" }, select: { id: true, kind: true, version: true, contentHash: true, pdfSha256: true, round: { select: { code: true } }, publishedBy: { select: { email: true } } } });
    expect(reports.map((r) => [r.kind, r.round?.code ?? null, r.version, r.publishedBy.email])).toEqual([
      ["ROUND", ROUND_JN6.code, 1, DEMO_ACCOUNTS.official.email],
      ["ANNUAL", null, 1, DEMO_ACCOUNTS.foundationManager.email],
    ]);
    for (const r of reports) {
      expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await c.auditLog.count({ where: { action: "report.publish", objectId: r.id } })).toBe(1);
    }
    const cases = await c.showcaseCase.findMany({ where: { withdrawnAt: null }, select: { id: true, photoIds: true, project: { select: { referenceNo: true, status: true } } }, orderBy: { project: { referenceNo: "asc" } } });
    expect(cases.map((x) => x.project.referenceNo)).toEqual(["JN6-0011", "JN6-0012"]);
    for (const x of cases) {
      expect(x.project.status).toBe("CLOSED");
      expect(await c.auditLog.count({ where: { action: "showcase.mark", objectId: x.id } })).toBe(1);
    }
  });

  describe("consistency of the demo's story", () => {
    it("every expense is paid to a payee of its budget line's kind (no pharmacy receipt on a teacher's fee)", async () => {
      const expenses = await fresh.client.expense.findMany({ where: { budgetLineId: { not: null } }, select: { payee: true, status: true, budgetLine: { select: { category: true } } } });
      const approved = expenses.filter((e) => e.status === "APPROVED");
      expect(approved.length).toBeGreaterThan(0);
      for (const e of expenses) expect({ category: e.budgetLine!.category, payee: e.payee }).toEqual({ category: e.budgetLine!.category, payee: DEMO_PAYEES[e.budgetLine!.category] });
    });

    it("every gift was started before it was paid, and every refund was asked for before it was made", async () => {
      const gifts = await fresh.client.donation.findMany({ where: { paidAt: { not: null } }, select: { ref: true, createdAt: true, paidAt: true } });
      expect(gifts.length).toBeGreaterThan(0);
      for (const g of gifts) expect(g.paidAt!.getTime(), g.ref).toBeGreaterThanOrEqual(g.createdAt.getTime());
      const monthly = await fresh.client.recurringGift.findMany({ select: { createdAt: true, donations: { select: { paidAt: true } } } });
      for (const m of monthly) for (const d of m.donations) if (d.paidAt) expect(d.paidAt.getTime()).toBeGreaterThanOrEqual(m.createdAt.getTime());
    });

    it("every demo round has its phase history: created, then each phase up to its own, in order and on its dates", async () => {
      const rounds = await fresh.client.round.findMany({ select: { id: true, code: true, phase: true, phaseChangedAt: true } });
      expect(rounds.length).toBe(3);
      for (const r of rounds) {
        const moves = await fresh.client.auditLog.findMany({ where: { objectType: "Round", objectId: r.id, action: { in: ["round.create", "round.phase"] } }, orderBy: { seq: "asc" } });
        expect(moves[0]?.action, r.code).toBe("round.create");
        const phases = moves.slice(1).map((m) => (m.after as { phase: string }).phase);
        expect(phases.length, r.code).toBeGreaterThan(1);
        expect(phases.at(-1), r.code).toBe(r.phase);
        const times = moves.map((m) => m.at.getTime());
        expect([...times].sort((a, b) => a - b), r.code).toEqual(times);
        expect(moves.at(-1)!.at.getTime(), r.code).toBe(r.phaseChangedAt.getTime());
      }
    });

    it("a round is in REVIEW with open score sheets for the demo judges, some submitted, every score in half points", async () => {
      const c = fresh.client;
      const wl26 = await c.round.findUniqueOrThrow({ where: { code: ROUND_WL26.code } });
      expect(wl26.phase).toBe("REVIEW");
      const judge = await c.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.judges[0].email } });
      const assignments = await c.reviewAssignment.findMany({ where: { roundId: wl26.id, roundJudge: { userId: judge.id }, endedAt: null }, include: { sheet: true, proposal: true } });
      expect(assignments.length).toBeGreaterThan(2);
      for (const a of assignments) expect(a.proposal.status).toBe("ELIGIBLE");
      const open = assignments.filter((a) => a.sheet?.status !== "SUBMITTED");
      expect(open.length).toBeGreaterThan(0);
      expect(assignments.some((a) => a.sheet?.status === "SUBMITTED")).toBe(true);
      // every demo judge holds a seat and sheets to score or scored
      expect(await c.roundJudge.count({ where: { roundId: wl26.id, status: "ACCEPTED", userId: { not: null } } })).toBe(DEMO_ACCOUNTS.judges.length);
      for (const sheet of await c.scoreSheet.findMany({ where: { roundId: wl26.id } })) {
        for (const v of Object.values(sheet.scores as Record<string, number>)) expect(Number.isInteger(v * 2)).toBe(true);
        if (sheet.status === "SUBMITTED") expect(sheet.submittedAt!.getTime()).toBeGreaterThanOrEqual(sheet.createdAt.getTime());
      }
    });
  });
});

/**
 * The same story seeded a year and more after it was written, when the chinese-days package carries
 * no arrangement for the year JN6's notice now falls in: the dates move by whole weeks, the open round's
 * deadline is still ahead, and the demo official has entered that year as far as the law fixes it.
 */
describe("the demo seed, a year on", () => {
  const today = "2027-12-21";
  let fresh: FreshDatabase;
  let workerUrl: string | undefined;

  beforeAll(async () => {
    fresh = await freshDatabase("seedlater");
    workerUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = fresh.url;
    try {
      expect(await seedDemoIfEmpty({ today })).toBe(true);
    } finally {
      await db().$disconnect();
      process.env.DATABASE_URL = workerUrl;
    }
  }, 120_000);

  afterAll(async () => {
    process.env.DATABASE_URL = workerUrl;
    await fresh?.drop();
  });

  it("keeps the story: JN7 open for proposals with its deadline ahead, JN6 noticed on a provisional year the demo official entered", async () => {
    const c = fresh.client;
    const jn7 = await c.round.findUniqueOrThrow({ where: { code: ROUND_JN7.code } });
    expect(jn7.phase).toBe("PROPOSALS");
    expect(shanghaiDay(jn7.proposalsDeadline)).toBe("2028-01-02"); // 20 December 2026 + 54 weeks
    expect(shanghaiDay(jn7.proposalsDeadline) > today).toBe(true);
    const jn6 = await c.round.findUniqueOrThrow({ where: { code: ROUND_JN6.code }, select: { awardsFinalizedAt: true } });
    expect(jn6.awardsFinalizedAt!.getTime()).toBeLessThan(Date.parse(`${today}T00:00:00+08:00`));
    const entries = await c.calendarYearEntry.findMany();
    expect(entries.map((e) => e.year)).toEqual([2027]);
    expect(entries[0]!.holidays).toEqual(["2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"]);
    expect(entries[0]!.source).toMatch(/^演示数据/);
    expect(await c.auditLog.count({ where: { action: "calendar.year.set", objectId: entries[0]!.id } })).toBe(1);
    expect((await verifyLedger(c)).problems).toEqual([]);
    expect((await verifyAudit(c)).problems).toEqual([]);
  });
});
