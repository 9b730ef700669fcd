import { publicDonor } from "~/domain/donations";
import { accountCodes } from "~/domain/ledger";
import { normalizeGiftLookup, shareEstimate, GIFT_REF, RECEIPT_NO } from "~/domain/transparency";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import { foundationLedgerSummary, publicGiftCounts } from "~/services/giving/foundation-pages.server";
import { approvedSpending, paidByAward } from "~/services/public/open-data.server";
import { publicDonation } from "./access.server";
import { publicProject } from "~/services/public/project-public.server";

/**
 * The transparency portal (PRODUCT.md "Transparency"): totals of the whole platform and
 * of each foundation, computed from the ledger, and the trace of one gift — gift → foundation →
 * round pool → award → tranches → expenses with receipts.
 *
 * Public without signing in: public fields only, as on the public project page (ADR 010) and
 * the donor wall — never a donor's e-mail or an anonymous donor's name, never a payee, a
 * beneficiary, a receipt image or a bank reference.
 */

/** Rounds listed per section of a general gift's trace. */
export const TRACE_ROUNDS_MAX = 20;

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

// ───────────────────────────── the portal ─────────────────────────────

export interface PortalTotals {
  /** paid gifts (DONATION postings) */
  giftsFen: number;
  /** number of paid gifts */
  gifts: number;
  /** gifts given back (DONATION_REFUND postings) */
  refundedFen: number;
  /** matches drawn from sponsors' pools, net of matches returned on refunds */
  matchedFen: number;
  /** government appropriations to the foundation */
  appropriationsFen: number;
  /** moved from the foundation's funds into round pools, net of what pools gave back */
  roundPoolsFen: number;
  /** committed from round pools to awards */
  committedFen: number;
  /** paid to grantees as tranches */
  paidFen: number;
  /** spent by the projects as approved expenses */
  spentFen: number;
  /** back to the foundation from closed projects: unspent money and commitments never paid */
  returnedFen: number;
  /** the foundation's available funds now */
  availableFen: number;
  /** its earmarked (restricted) funds now */
  earmarkedFen: number;
}

const zeroTotals = (): PortalTotals => ({
  giftsFen: 0,
  gifts: 0,
  refundedFen: 0,
  matchedFen: 0,
  appropriationsFen: 0,
  roundPoolsFen: 0,
  committedFen: 0,
  paidFen: 0,
  spentFen: 0,
  returnedFen: 0,
  availableFen: 0,
  earmarkedFen: 0,
});

/**
 * Every foundation's totals and the sum of them all. Money figures are the foundation page's
 * ledger summary (its running totals, the same numbers as its page); spending is
 * the projects' approved expenses (not a ledger movement: the grantee spends money already paid).
 */
export async function transparencyPortal() {
  const foundations = await db().foundation.findMany({
    select: { id: true, slug: true, nameZh: true, nameEn: true, area: { select: { code: true, nameZh: true, nameEn: true } } },
    orderBy: [{ nameZh: "asc" }, { slug: "asc" }],
  });
  const [spent, gifts, summaries] = await Promise.all([
    // the projects' running totals of approved spending (docs/decisions/021): a row per project, not per expense
    db().$queryRaw<{ foundationId: string; sum: bigint | null }[]>`
      SELECT r."foundationId", sum(t."spentFen")::bigint AS sum
      FROM "ProjectTotal" t JOIN "Project" p ON p.id = t."projectId" JOIN "Round" r ON r.id = p."roundId"
      GROUP BY r."foundationId"`,
    // the foundations' running totals of gifts (DonationTotal): no count of every gift per view
    publicGiftCounts(foundations.map((f) => f.id)),
    Promise.all(foundations.map((f) => foundationLedgerSummary(f.id))),
  ]);
  const spentBy = new Map(spent.map((s) => [s.foundationId, n(s.sum)]));
  const total = zeroTotals();
  const rows = foundations.map((f, i) => {
    const s = summaries[i]!;
    const totals: PortalTotals = {
      giftsFen: s.flows.donationsFen,
      gifts: gifts.get(f.id) ?? 0,
      refundedFen: -s.flows.refundsFen,
      matchedFen: s.flows.matchesFen + s.flows.matchReturnsFen,
      appropriationsFen: s.flows.appropriationsFen,
      roundPoolsFen: s.flows.roundPoolsFen - s.flows.roundPoolReturnsFen,
      committedFen: s.rounds.reduce((sum, r) => sum + r.committedFen, 0),
      paidFen: s.rounds.reduce((sum, r) => sum + r.paidFen, 0),
      spentFen: spentBy.get(f.id) ?? 0,
      returnedFen: s.flows.projectReturnsFen,
      availableFen: s.availableFen,
      earmarkedFen: s.earmarkedFen,
    };
    for (const k of Object.keys(total) as (keyof PortalTotals)[]) total[k] += totals[k];
    const { id: _id, ...shown } = f;
    return { ...shown, totals };
  });
  return { total, foundations: rows };
}

// ───────────────────────────── one gift ─────────────────────────────

const giftSelect = {
  id: true,
  ref: true,
  payment: true,
  amountFen: true,
  refundedFen: true,
  matchedFen: true,
  status: true,
  frequency: true,
  paidAt: true,
  createdAt: true,
  anonymous: true,
  donorName: true,
  foundationId: true,
  foundation: { select: { slug: true, nameZh: true, nameEn: true } },
  round: { select: { id: true, code: true, title: true, titleEn: true, phase: true } },
  project: { select: { id: true, referenceNo: true } },
  matches: {
    select: {
      matchedFen: true,
      returnedFen: true,
      campaign: { select: { slug: true, titleZh: true, titleEn: true, sponsorName: true, sponsorKind: true } },
    },
    orderBy: { createdAt: "asc" as const },
  },
} satisfies Prisma.DonationSelect;

/** The paid gift with this reference or receipt number (any case), else null. Pending and failed checkouts are not gifts. */
async function traceableGift(lookup: string) {
  const key = normalizeGiftLookup(lookup);
  if (!GIFT_REF.test(key) && !RECEIPT_NO.test(key)) return null;
  return db().donation.findFirst({
    where: { ...(GIFT_REF.test(key) ? { ref: key } : { receiptNo: key }), ...publicDonation },
    select: giftSelect,
  });
}

/** The public reference of the paid gift with this reference or receipt number (the lookup form); 404 next to the field when there is none. */
export async function findTraceableGift(lookup: string): Promise<Result<{ ref: string }>> {
  const gift = await traceableGift(lookup);
  return gift ? ok({ ref: gift.ref }) : fail(404, [], { fieldErrors: { ref: ["transparency.lookup.notFound"] } });
}

export interface ProjectMoney {
  referenceNo: string;
  title: string;
  organization: string;
  status: string;
  awardFen: number;
  /** paid to the grantee: TRANCHE_RELEASE postings from award:<id>:committed to award:<id>:paid */
  paidFen: number;
  /** approved expenses */
  spentFen: number;
  expenses: number;
}

/** Award, paid (ledger) and approved spending of the funded projects of the given rounds, by round id. */
async function projectsOfRounds(roundIds: string[]): Promise<Map<string, ProjectMoney[]>> {
  if (!roundIds.length) return new Map();
  const projects = await db().project.findMany({
    where: { roundId: { in: roundIds }, award: { status: "FINAL" } },
    select: { id: true, awardId: true, roundId: true, referenceNo: true, title: true, status: true, awardFen: true, organization: { select: { name: true } } },
    orderBy: { referenceNo: "asc" },
  });
  const [paid, spent] = await Promise.all([
    paidByAward(
      db(),
      projects.map((p) => p.awardId),
    ),
    approvedSpending(
      db(),
      projects.map((p) => p.id),
    ),
  ]);
  const byRound = new Map<string, ProjectMoney[]>();
  for (const p of projects) {
    const list = byRound.get(p.roundId) ?? [];
    list.push({
      referenceNo: p.referenceNo,
      title: p.title,
      organization: p.organization.name,
      status: p.status,
      awardFen: p.awardFen,
      paidFen: paid.get(p.awardId) ?? 0,
      spentFen: spent.get(p.id)?.spentFen ?? 0,
      expenses: spent.get(p.id)?.expenses ?? 0,
    });
    byRound.set(p.roundId, list);
  }
  return byRound;
}

/** Tranches paid for an award, from the ledger (with their instalment number where the tranche row names the posting). */
async function paidTranches(awardId: string) {
  const entries = await db().ledgerEntry.findMany({
    where: { account: { code: accountCodes.granteePaid(awardId) }, transaction: { kind: "TRANCHE_RELEASE" }, amountFen: { gt: 0 } },
    select: { amountFen: true, transaction: { select: { id: true, occurredAt: true } } },
    orderBy: [{ transaction: { occurredAt: "asc" } }, { id: "asc" }],
  });
  const positions = await db().tranche.findMany({
    where: { ledgerTransactionId: { in: entries.map((e) => e.transaction.id) } },
    select: { ledgerTransactionId: true, position: true, percent: true },
  });
  const byTx = new Map(positions.map((p) => [p.ledgerTransactionId, p]));
  return entries.map((e) => ({
    position: byTx.get(e.transaction.id)?.position ?? null,
    percent: byTx.get(e.transaction.id)?.percent ?? null,
    amountFen: n(e.amountFen),
    paidAt: e.transaction.occurredAt.toISOString(),
  }));
}

interface RoundFunding {
  roundId: string;
  movedSince: bigint;
  movedBefore: bigint;
  lastAt: Date;
}

/**
 * Where a gift to the general funds may have gone: the rounds funded from the foundation's
 * available account (ROUND_POOL postings, net of pool returns) since the gift arrived, each with
 * the gift's estimated share (domain/transparency.ts shareEstimate), and the rounds funded
 * before it (for context: they cannot hold this gift).
 */
async function generalTrace(gift: { id: string; foundationId: string; netFen: number; paidAt: Date }) {
  const available = accountCodes.foundationAvailable(gift.foundationId);
  // when the gift was paid (Stripe's time, in whole seconds) ...
  const posting = await db().ledgerTransaction.findUnique({ where: { idempotencyKey: `donation:${gift.id}:paid` }, select: { occurredAt: true, createdAt: true } });
  const arrivedAt = posting?.occurredAt ?? gift.paidAt;
  // ... and the pot as the books stood when it was booked, and what was booked after it: in the
  // order of booking, not of the postings' effective dates (a payment's time may come before
  // postings booked ahead of it; money leaves the pot only once booked)
  const bookedAt = posting?.createdAt ?? arrivedAt;
  const upToArrival = Prisma.sql`t."createdAt" <= ${bookedAt}`;
  const [pot] = await db().$queryRaw<{ atArrival: bigint | null; inflowsSince: bigint | null; balance: bigint | null }[]>`
    SELECT sum(e."amountFen") FILTER (WHERE ${upToArrival})::bigint AS "atArrival",
           sum(e."amountFen") FILTER (WHERE NOT ${upToArrival} AND e."amountFen" > 0)::bigint AS "inflowsSince",
           sum(e."amountFen")::bigint AS balance
    FROM "LedgerEntry" e
    JOIN "LedgerAccount" a ON a.id = e."accountId"
    JOIN "LedgerTransaction" t ON t.id = e."transactionId"
    WHERE a.code = ${available}`;
  const atArrivalFen = n(pot?.atArrival);
  const inflowsSinceFen = n(pot?.inflowsSince);
  const share = shareEstimate(gift.netFen, atArrivalFen + inflowsSinceFen);

  const funded = await db().$queryRaw<RoundFunding[]>`
    SELECT p."ownerId" AS "roundId",
           coalesce(-sum(ea."amountFen") FILTER (WHERE NOT ${upToArrival}), 0)::bigint AS "movedSince",
           coalesce(-sum(ea."amountFen") FILTER (WHERE ${upToArrival}), 0)::bigint AS "movedBefore",
           max(t."occurredAt") AS "lastAt"
    FROM "LedgerAccount" a
    JOIN "LedgerEntry" ea ON ea."accountId" = a.id
    JOIN "LedgerTransaction" t ON t.id = ea."transactionId"
    JOIN "LedgerEntry" ep ON ep."transactionId" = t.id
    JOIN "LedgerAccount" p ON p.id = ep."accountId"
    WHERE a.code = ${available} AND p.kind = 'ROUND_POOL' AND t.kind IN ('ROUND_POOL', 'ROUND_POOL_RETURN') AND p."ownerId" IS NOT NULL
    GROUP BY p."ownerId"
    ORDER BY max(t."occurredAt") DESC`;
  const since = funded.filter((r) => r.movedSince > 0n).slice(0, TRACE_ROUNDS_MAX);
  const earlier = funded.filter((r) => r.movedSince <= 0n && r.movedBefore > 0n).slice(0, TRACE_ROUNDS_MAX);
  const ids = [...since, ...earlier].map((r) => r.roundId);
  const [rounds, projects] = await Promise.all([
    db().round.findMany({ where: { id: { in: ids }, phase: { not: "DRAFT" } }, select: { id: true, code: true, title: true, titleEn: true, phase: true } }),
    projectsOfRounds(ids),
  ]);
  const roundById = new Map(rounds.map((r) => [r.id, r]));
  const shown = (list: RoundFunding[], estimate: boolean) =>
    list.flatMap((f) => {
      const r = roundById.get(f.roundId);
      if (!r) return [];
      const movedFen = n(estimate ? f.movedSince : f.movedBefore);
      return [{ code: r.code, title: r.title, phase: r.phase, movedFen, estimateFen: estimate ? share.of(movedFen) : null, projects: projects.get(r.id) ?? [] }];
    });
  const sinceRounds = shown(since, true);
  return {
    kind: "general" as const,
    arrivedAt: arrivedAt.toISOString(),
    atArrivalFen,
    inflowsSinceFen,
    potFen: share.potFen,
    sharePpm: share.ppm,
    availableNowFen: n(pot?.balance),
    estimatedTotalFen: sinceRounds.reduce((s, r) => s + (r.estimateFen ?? 0), 0),
    since: sinceRounds,
    earlier: shown(earlier, false),
  };
}

/**
 * The public trace of one paid gift, by its reference (G-XXXXXXXX) or its receipt number; 404
 * for anything else, and for checkouts never paid (pending, processing, failed). `expensePage`
 * pages a project's approved expenses, as on its public page.
 */
export async function traceGift(lookup: string, opts: { expensePage?: unknown } = {}) {
  const d = await traceableGift(lookup);
  if (!d) notFound();
  const netFen = Math.max(0, d.amountFen - d.refundedFen);
  const gift = {
    ref: d.ref,
    amountFen: d.amountFen,
    refundedFen: d.refundedFen,
    netFen,
    status: d.status,
    /** the payer's bank decided a dispute for the payer: the reversal is the bank's, not a refund */
    disputeLost: (d.payment as { dispute?: string } | null)?.dispute === "lost",
    frequency: d.frequency,
    paidAt: (d.paidAt ?? d.createdAt).toISOString(),
    anonymous: d.anonymous,
    // the name leaves the server only with the donor's consent to be named publicly
    donorName: publicDonor({ ...d, message: null }).name,
    matchedFen: d.matches.reduce((s, m) => s + m.matchedFen - m.returnedFen, 0),
    matches: d.matches.map((m) => ({ matchedFen: m.matchedFen - m.returnedFen, ...m.campaign })),
  };
  const foundation = d.foundation;

  // a gift wholly given back went nowhere
  if (netFen === 0) return { gift, foundation, target: { kind: "returned" as const } };

  if (d.project) {
    const project = await db().project.findUniqueOrThrow({
      where: { id: d.project.id },
      select: { awardId: true, referenceNo: true },
    });
    // the public project page's own queries: budget lines with approved spending, approved
    // expenses (newest first, paged) with receipt hash prefixes — never payees or receipt images
    const [page, tranches] = await Promise.all([publicProject(project.referenceNo, { expensePage: opts.expensePage }), paidTranches(project.awardId)]);
    const p = page.project;
    return {
      gift,
      foundation,
      target: {
        kind: "project" as const,
        project: {
          referenceNo: p.referenceNo,
          title: p.title,
          status: p.status,
          awardFen: p.awardFen,
          organization: p.organization.name,
          round: { code: p.round.code, title: p.round.title },
        },
        tranches,
        paidFen: tranches.reduce((s, t) => s + t.amountFen, 0),
        budget: page.budget,
        expenses: page.expenses,
      },
    };
  }

  if (d.round) {
    const projects = (await projectsOfRounds([d.round.id])).get(d.round.id) ?? [];
    return {
      gift,
      foundation,
      target: { kind: "round" as const, round: { code: d.round.code, title: d.round.title, phase: d.round.phase }, projects },
    };
  }

  return { gift, foundation, target: await generalTrace({ id: d.id, foundationId: d.foundationId, netFen, paidAt: d.paidAt ?? d.createdAt }) };
}

export type GiftTrace = Awaited<ReturnType<typeof traceGift>>;
