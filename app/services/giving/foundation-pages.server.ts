import { z } from "zod";
import { CURSOR_PARAM, decodeCursor, NO_NUMBERED_PAGES, numberedLinksOf, numberedPage, PAGE_PARAM, parsePageNumber } from "~/domain/keyset";
import { campaignPhase, fundraisingStatus } from "~/domain/campaigns";
import { accountCodes, GIVING_KINDS } from "~/domain/ledger";
import { addFlow, emptyFlows, type Flows } from "~/domain/ledger-flows";
export type { Flows } from "~/domain/ledger-flows";
import { perPageOf } from "~/domain/money";
import { normalizeSearch } from "~/domain/needs";
import { Prisma, type DonationStatus } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import type { Actor } from "~/services/accounts/actor.server";
import { reportsOf } from "~/services/reports/listing.server";
import { canManageFoundation, mayRefund } from "./access.server";
import { foundationAccounts, foundationDetail, type FoundationAccount } from "./foundations.server";

/**
 * What a community foundation shows the public (balance, flows, rounds, campaigns,
 * donor wall) and what its managers see (every gift, with filters, and one gift in full).
 *
 * Money is read from the ledger only: every figure is a sum of the foundation's accounts'
 * (LedgerAccount.foundationId) entries by account, kind of transaction and Shanghai year, read
 * from the running totals the database keeps as entries are posted (LedgerKindTotal, checked
 * against the entries by `npm run ledger:verify`), so a page costs the same at a million entries
 * as at a thousand.
 * Donor lists come from Donation rows, with public fields only: never an email, a user id, or
 * the name or message of a donor who did not consent to be named publicly (publicDonor).
 */

export const DONOR_WALL_PAGE_SIZE = 20;
export const MANAGER_PAGE_SIZE = 20;
export { DONATION_STATUSES, MANAGER_PAGE_SIZES, WALL_STATUSES } from "~/domain/donations";
import { DONATION_STATUSES, MANAGER_PAGE_SIZES, PAID_STATUSES, publicDonor, WALL_STATUSES } from "~/domain/donations";

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

/** A gift's reference, donor (as given), amounts and times: what the donor wall and the manager's pages both read. */
const GIFT = {
  ref: true,
  donorName: true,
  anonymous: true,
  amountFen: true,
  refundedFen: true,
  matchedFen: true,
  paidAt: true,
  createdAt: true,
} as const satisfies Prisma.DonationSelect;

// ───────────────────────────── ledger summary ─────────────────────────────

interface SumRow {
  accountId: string;
  kind: string;
  year: number;
  sum: bigint;
}

/**
 * The sums of the accounts' entries by account, transaction kind and Shanghai year (UTC+8, no
 * daylight saving since 1991): the running totals LedgerKindTotal, kept by the database in the
 * statement that posts, so reading them costs the same at a million entries as at a thousand and
 * is never stale.
 */
async function ledgerSums(accountIds: readonly string[]): Promise<SumRow[]> {
  if (!accountIds.length) return [];
  return db().$queryRaw<SumRow[]>`
    SELECT "accountId", kind, year, "sumFen" AS sum
    FROM "LedgerKindTotal" WHERE "accountId" = ANY(${accountIds}::text[])`;
}

export interface RoundMoney {
  id: string;
  code: string;
  title: string;
  titleEn: string | null;
  phase: string;
  /** moved into the pool, net of what it gave back (ROUND_POOL − ROUND_POOL_RETURN) */
  pooledFen: number;
  /** still in the pool, not committed to an award */
  poolBalanceFen: number;
  /** committed to awards (AWARD_COMMIT) */
  committedFen: number;
  /** paid to grantees as tranches (TRANCHE_RELEASE) */
  paidFen: number;
  /** committed but not yet paid */
  unpaidFen: number;
  /** back to the foundation from closed projects (unspent and never-paid money) */
  returnedFen: number;
}

export interface LedgerSummary {
  availableFen: number;
  earmarkedFen: number;
  /** available + earmarked: the foundation's own money (= inflowFen − outflowFen + projectReturnsFen + otherFen) */
  balanceFen: number;
  earmarks: { target: "round" | "project"; ownerId: string; code: string | null; title: string | null; balanceFen: number }[];
  /** matching pools the foundation hosts (sponsors' money, not the foundation's) */
  matchingPoolsFen: number;
  pools: { campaignId: string; balanceFen: number }[];
  /** round pools, awards committed and paid: downstream of the round pools */
  roundPoolsHeldFen: number;
  committedHeldFen: number;
  paidOutFen: number;
  /** every account of the foundation together (funds, pools, awards, paid) */
  allAccountsFen: number;
  flows: Flows;
  rounds: RoundMoney[];
  /** flows of the funds accounts by calendar year in Asia/Shanghai, newest first */
  years: { year: number; inflowFen: number; outflowFen: number; projectReturnsFen: number; otherFen: number; netFen: number }[];
}

/**
 * The foundation's money from the ledger, to the fen, from the running totals of its accounts'
 * entries by account, transaction kind and Shanghai year. `accounts` may be passed when already
 * read (foundationAccounts).
 */
export async function foundationLedgerSummary(foundationId: string, options: { accounts?: FoundationAccount[] } = {}): Promise<LedgerSummary> {
  const accountList = options.accounts ?? (await foundationAccounts(foundationId));
  const meta = new Map(accountList.map((a) => [a.id, a]));
  const rows = (await ledgerSums(accountList.filter((a) => a.entries > 0).map((a) => a.id))).map((r) => {
    const a = meta.get(r.accountId)!;
    return { accountId: r.accountId, accountKind: a.kind, code: a.code, ownerId: a.ownerId, kind: r.kind, year: r.year, sum: r.sum };
  });

  const flows = emptyFlows();
  const byYear = new Map<number, Flows>();
  const accountBalance = new Map<string, { kind: string; code: string; ownerId: string | null; fen: number }>();
  /** per account: signed sum per transaction kind */
  const accountKinds = new Map<string, Map<string, number>>();
  let available = 0;
  let earmarked = 0;
  let pools = 0;
  let roundPools = 0;
  let committed = 0;
  let paid = 0;
  let all = 0;
  for (const r of rows) {
    const fen = n(r.sum);
    all += fen;
    const acc = accountBalance.get(r.accountId) ?? { kind: r.accountKind, code: r.code, ownerId: r.ownerId, fen: 0 };
    acc.fen += fen;
    accountBalance.set(r.accountId, acc);
    const kinds = accountKinds.get(r.accountId) ?? new Map<string, number>();
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + fen);
    accountKinds.set(r.accountId, kinds);
    switch (r.accountKind) {
      case "FOUNDATION_AVAILABLE":
      case "FOUNDATION_EARMARKED": {
        if (r.accountKind === "FOUNDATION_AVAILABLE") available += fen;
        else earmarked += fen;
        addFlow(flows, r.kind, fen);
        const y = byYear.get(r.year) ?? emptyFlows();
        addFlow(y, r.kind, fen);
        byYear.set(r.year, y);
        break;
      }
      case "MATCHING_POOL":
        pools += fen;
        break;
      case "ROUND_POOL":
        roundPools += fen;
        break;
      case "AWARD_COMMITTED":
        committed += fen;
        break;
      case "GRANTEE_PAID":
        paid += fen;
        break;
    }
  }

  // rounds: the pool account's owner is the round; award accounts' owner is the award
  const accounts = [...accountBalance.entries()].map(([id, a]) => ({ id, ...a }));
  const awardIds = [...new Set(accounts.filter((a) => a.kind === "AWARD_COMMITTED" || a.kind === "GRANTEE_PAID").map((a) => a.ownerId!).filter(Boolean))];
  const earmarkAccounts = accounts.filter((a) => a.kind === "FOUNDATION_EARMARKED" && a.ownerId);
  const projectEarmarkIds = earmarkAccounts.filter((a) => a.code.includes(":earmark:project:")).map((a) => a.ownerId!);
  const [rounds, awards, projects] = await Promise.all([
    db().round.findMany({ where: { foundationId }, select: { id: true, code: true, title: true, titleEn: true, phase: true }, orderBy: [{ createdAt: "desc" }, { code: "asc" }] }),
    awardIds.length ? db().award.findMany({ where: { id: { in: awardIds } }, select: { id: true, roundId: true } }) : Promise.resolve([]),
    projectEarmarkIds.length ? db().project.findMany({ where: { id: { in: projectEarmarkIds } }, select: { id: true, referenceNo: true, title: true } }) : Promise.resolve([]),
  ]);
  const roundOfAward = new Map(awards.map((a) => [a.id, a.roundId]));
  const money = new Map<string, RoundMoney>(
    rounds.map((r) => [r.id, { ...r, phase: String(r.phase), pooledFen: 0, poolBalanceFen: 0, committedFen: 0, paidFen: 0, unpaidFen: 0, returnedFen: 0 }]),
  );
  for (const a of accounts) {
    const kinds = accountKinds.get(a.id)!;
    const k = (kind: string) => kinds.get(kind) ?? 0;
    if (a.kind === "ROUND_POOL") {
      const m = a.ownerId ? money.get(a.ownerId) : undefined;
      if (!m) continue;
      m.pooledFen += k("ROUND_POOL") + k("ROUND_POOL_RETURN");
      m.poolBalanceFen += a.fen;
    } else if (a.kind === "AWARD_COMMITTED" || a.kind === "GRANTEE_PAID") {
      const roundId = a.ownerId ? roundOfAward.get(a.ownerId) : undefined;
      const m = roundId ? money.get(roundId) : undefined;
      if (!m) continue;
      if (a.kind === "AWARD_COMMITTED") {
        m.committedFen += k("AWARD_COMMIT");
        m.unpaidFen += a.fen;
        m.returnedFen -= k("COMMITMENT_RELEASE");
      } else {
        m.paidFen += k("TRANCHE_RELEASE");
        m.returnedFen -= k("UNSPENT_RETURN");
      }
    }
  }
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const roundById = new Map(rounds.map((r) => [r.id, r]));
  return {
    availableFen: available,
    earmarkedFen: earmarked,
    balanceFen: available + earmarked,
    earmarks: earmarkAccounts
      .map((a) => {
        const project = a.code.includes(":earmark:project:");
        const p = project ? projectById.get(a.ownerId!) : undefined;
        const r = project ? undefined : roundById.get(a.ownerId!);
        return {
          target: project ? ("project" as const) : ("round" as const),
          ownerId: a.ownerId!,
          code: p?.referenceNo ?? r?.code ?? null,
          title: p?.title ?? r?.title ?? null,
          balanceFen: a.fen,
        };
      })
      .sort((x, y) => y.balanceFen - x.balanceFen),
    matchingPoolsFen: pools,
    pools: accounts.filter((a) => a.kind === "MATCHING_POOL" && a.ownerId).map((a) => ({ campaignId: a.ownerId!, balanceFen: a.fen })),
    roundPoolsHeldFen: roundPools,
    committedHeldFen: committed,
    paidOutFen: paid,
    allAccountsFen: all,
    flows,
    rounds: [...money.values()].filter((m) => m.pooledFen || m.poolBalanceFen || m.committedFen || m.paidFen || m.phase !== "DRAFT"),
    years: [...byYear.entries()]
      .sort(([a], [b]) => b - a)
      .map(([year, f]) => ({
        year,
        inflowFen: f.inflowFen,
        outflowFen: f.outflowFen,
        projectReturnsFen: f.projectReturnsFen,
        otherFen: f.otherFen,
        netFen: f.inflowFen - f.outflowFen + f.projectReturnsFen + f.otherFen,
      })),
  };
}

// ───────────────────────────── donor wall ─────────────────────────────

export type WallFilter = { foundationId: string } | { campaignId: string };

export interface WallGift {
  ref: string;
  /** null without the donor's consent to be named publicly, or blank: shown as 爱心人士 (publicDonorName) */
  name: string | null;
  anonymous: boolean;
  /** what the gift is now: amount less refunds */
  netFen: number;
  /** match drawn for it, less what went back to the pool */
  matchedFen: number;
  paidAt: string;
  /** null without the donor's consent to be named publicly */
  message: string | null;
  monthly: boolean;
  earmark: { kind: "round"; code: string; title: string } | { kind: "project"; referenceNo: string; title: string } | null;
}

/** A gift's place on a donor wall: [paidAt in ms, createdAt in ms, id]. */
const WallKey = z.tuple([z.number().int(), z.number().int(), z.string().min(1).max(64)]);
type WallKey = z.infer<typeof WallKey>;
interface WallRow {
  id: string;
  paidAt: Date;
  createdAt: Date;
}

/** The running totals (DonationTotal) of the foundations or campaigns `ownerIds`, by owner; none for an owner without paid gifts. */
async function giftTotals(scope: "foundation" | "campaign", ownerIds: readonly string[]) {
  if (!ownerIds.length) return new Map<string, { wallGifts: number; publicGifts: number; raisedFen: number }>();
  const rows = await db().donationTotal.findMany({ where: { scope, ownerId: { in: [...ownerIds] } }, select: { ownerId: true, wallGifts: true, publicGifts: true, raisedFen: true } });
  return new Map(rows.map((r) => [r.ownerId, { wallGifts: r.wallGifts, publicGifts: r.publicGifts, raisedFen: n(r.raisedFen) }]));
}

/** How many gifts each foundation has that the public sees (PUBLIC_DONATION_STATUSES), from the running totals. */
export async function publicGiftCounts(foundationIds: readonly string[]): Promise<Map<string, number>> {
  const totals = await giftTotals("foundation", foundationIds);
  return new Map([...totals].map(([id, t]) => [id, t.publicGifts]));
}

/**
 * Public list of paid gifts, last paid first (then last started, the id breaking ties), 20 a
 * page: public fields only. Numbered pages (`numberedPage` in `~/domain/keyset`; the page number
 * and keyset cursor in `?page=` / `?cursor=` or the page's own parameters): the gifts beyond the
 * cursor are found per status and merged (UNION ALL), so the indexes Donation(foundationId |
 * campaignId, status, paidAt, createdAt, id) serve previous / next from any page as a range, the
 * last as cheaply as the first; a page asked by its number is located from the nearer end over
 * the same indexes' keys only. The count is the owner's running total (DonationTotal, kept by the
 * database as gifts change), not a count of the gifts.
 */
export async function donorWall(filter: WallFilter, rawCursor?: string | null, rawPage?: string | null) {
  const [scope, ownerId] = "foundationId" in filter ? (["foundation", filter.foundationId] as const) : (["campaign", filter.campaignId] as const);
  const total = (await giftTotals(scope, [ownerId])).get(ownerId)?.wallGifts ?? 0;
  if (total <= 0) return { items: [] as WallGift[], total: 0, pager: NO_NUMBERED_PAGES };
  const owner = scope === "foundation" ? Prisma.sql`"foundationId" = ${ownerId}` : Prisma.sql`"campaignId" = ${ownerId}`;
  // a cursor belongs to this wall; one of another wall starts at the first page
  const listScope = JSON.stringify(["wall", scope, ownerId]);
  const page = await numberedPage<WallRow, WallKey>({
    scope: listScope,
    cursor: decodeCursor(rawCursor, listScope, WallKey),
    page: parsePageNumber(rawPage),
    per: DONOR_WALL_PAGE_SIZE,
    total,
    keyOf: (d) => [d.paidAt.getTime(), d.createdAt.getTime(), d.id],
    // paidAt comes from the provider in whole seconds: gifts of the same second by when they started
    fetch: ({ key, backward, take }) => {
      const dir = backward ? Prisma.sql`ASC` : Prisma.sql`DESC`;
      const bound = key
        ? Prisma.sql`AND ("paidAt", "createdAt", id) ${backward ? Prisma.sql`>` : Prisma.sql`<`} (${new Date(key[0]).toISOString()}::timestamp, ${new Date(key[1]).toISOString()}::timestamp, ${key[2]})`
        : Prisma.empty;
      return db().$queryRaw<WallRow[]>`
        SELECT id, "paidAt", "createdAt" FROM (${Prisma.join(
          WALL_STATUSES.map(
            (status) => Prisma.sql`(SELECT id, "paidAt", "createdAt" FROM "Donation" WHERE ${owner} AND status = ${status}::"DonationStatus" AND "paidAt" IS NOT NULL ${bound}
                                   ORDER BY "paidAt" ${dir}, "createdAt" ${dir}, id ${dir} LIMIT ${take})`,
          ),
          " UNION ALL ",
        )}) d
        ORDER BY "paidAt" ${dir}, "createdAt" ${dir}, id ${dir} LIMIT ${take}`;
    },
    // the key `skip` gifts from an end: each status's first keys, merged, read from the index alone
    keyAt: async (skip, backward) => {
      const dir = backward ? Prisma.sql`ASC` : Prisma.sql`DESC`;
      const rows = await db().$queryRaw<WallRow[]>`
        SELECT id, "paidAt", "createdAt" FROM (${Prisma.join(
          WALL_STATUSES.map(
            (status) => Prisma.sql`(SELECT id, "paidAt", "createdAt" FROM "Donation" WHERE ${owner} AND status = ${status}::"DonationStatus" AND "paidAt" IS NOT NULL
                                   ORDER BY "paidAt" ${dir}, "createdAt" ${dir}, id ${dir} LIMIT ${skip + 1})`,
          ),
          " UNION ALL ",
        )}) d
        ORDER BY "paidAt" ${dir}, "createdAt" ${dir}, id ${dir} OFFSET ${skip} LIMIT 1`;
      const r = rows[0];
      return r ? [r.paidAt.getTime(), r.createdAt.getTime(), r.id] : null;
    },
  });
  const order = new Map(page.items.map((r, i) => [r.id, i]));
  const found = await db().donation.findMany({
    where: { id: { in: page.items.map((r) => r.id) } },
    select: {
      id: true,
      ...GIFT,
      message: true,
      frequency: true,
      matches: { select: { returnedFen: true } },
      round: { select: { code: true, title: true } },
      project: { select: { referenceNo: true, title: true } },
    },
  });
  const rows = found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const items: WallGift[] = rows.map((d) => ({
    ref: d.ref,
    // name and message leave the server only with the donor's consent to be named publicly
    ...publicDonor(d),
    anonymous: d.anonymous,
    netFen: d.amountFen - d.refundedFen,
    matchedFen: d.matchedFen - d.matches.reduce((s, m) => s + m.returnedFen, 0),
    paidAt: (d.paidAt ?? d.createdAt).toISOString(),
    monthly: d.frequency === "MONTHLY",
    earmark: d.project
      ? { kind: "project", referenceNo: d.project.referenceNo, title: d.project.title }
      : d.round
        ? { kind: "round", code: d.round.code, title: d.round.title }
        : null,
  }));
  return { items, total, pager: numberedLinksOf(page) };
}

// ───────────────────────────── campaigns ─────────────────────────────

export interface CampaignMoney {
  /** paid gifts under the campaign, net of refunds */
  raisedFen: number;
  /** gifts shown on the donor list */
  donors: number;
  /** put into the pool by the sponsor (CAMPAIGN_FUNDING) */
  fundedFen: number;
  /** drawn as matches, net of matches returned on refunds */
  matchedFen: number;
  /** what is left in the pool: its ledger balance */
  remainingFen: number;
}

/**
 * Raised and donors (from the campaigns' running totals of gifts, DonationTotal), funded, matched
 * and remaining (from the pools' ledger accounts' running totals) of campaigns: as cheap with a
 * million gifts as with ten.
 */
export async function campaignMoney(campaignIds: string[]): Promise<Map<string, CampaignMoney>> {
  const result = new Map<string, CampaignMoney>(campaignIds.map((id) => [id, { raisedFen: 0, donors: 0, fundedFen: 0, matchedFen: 0, remainingFen: 0 }]));
  if (!campaignIds.length) return result;
  const codes = campaignIds.map((id) => accountCodes.matchingPool(id));
  const pools = await db().$queryRaw<{ id: string; ownerId: string | null }[]>`
    SELECT a.id, a."ownerId" FROM "LedgerAccount" a WHERE a.code = ANY(${codes}::text[]) ORDER BY a.id`;
  const owner = new Map(pools.map((p) => [p.id, p.ownerId]));
  const [gifts, ledger] = await Promise.all([giftTotals("campaign", campaignIds), ledgerSums(pools.map((p) => p.id))]);
  for (const [id, g] of gifts) {
    const m = result.get(id);
    if (!m) continue;
    m.raisedFen = g.raisedFen;
    m.donors = g.wallGifts;
  }
  for (const r of ledger) {
    const m = result.get(owner.get(r.accountId) ?? "");
    if (!m) continue;
    const fen = n(r.sum);
    m.remainingFen += fen;
    if (r.kind === GIVING_KINDS.campaignFunding) m.fundedFen += fen;
    // a match leaves the pool (negative), a match return comes back (positive)
    if (r.kind === GIVING_KINDS.match || r.kind === GIVING_KINDS.matchReturn) m.matchedFen -= fen;
  }
  return result;
}

const campaignSelect = {
  id: true,
  slug: true,
  titleZh: true,
  titleEn: true,
  descriptionZh: true,
  descriptionEn: true,
  sponsorName: true,
  sponsorKind: true,
  ratioSponsor: true,
  ratioDonor: true,
  perDonationCapFen: true,
  startsAt: true,
  endsAt: true,
  eligibleProjectIds: true,
  closedAt: true,
  returnedFen: true,
} satisfies Prisma.MatchingCampaignSelect;

type CampaignRow = Prisma.MatchingCampaignGetPayload<{ select: typeof campaignSelect }>;

function publicCampaign(c: CampaignRow, now: Date) {
  return {
    id: c.id,
    slug: c.slug,
    titleZh: c.titleZh,
    titleEn: c.titleEn,
    descriptionZh: c.descriptionZh,
    descriptionEn: c.descriptionEn,
    sponsorName: c.sponsorName,
    sponsorKind: c.sponsorKind,
    ratioSponsor: c.ratioSponsor,
    ratioDonor: c.ratioDonor,
    perDonationCapFen: c.perDonationCapFen,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    phase: campaignPhase(c, now),
    restricted: c.eligibleProjectIds.length > 0,
    /** closed out (campaign-close.server.ts): when, and the unused pool given back to the sponsor */
    closedAt: c.closedAt?.toISOString() ?? null,
    returnedFen: c.returnedFen,
  };
}

const PHASE_ORDER = { open: 0, upcoming: 1, ended: 2 } as const;

/** The foundation's campaigns, open first, then upcoming, then ended (newest first within each). */
export async function foundationCampaigns(foundationId: string, now = new Date()) {
  const rows = await db().matchingCampaign.findMany({ where: { foundationId }, select: campaignSelect, orderBy: [{ startsAt: "desc" }, { slug: "asc" }] });
  return rows.map((c) => publicCampaign(c, now)).sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase]);
}

/** The public campaign page: terms, phase, money, eligible projects, fundraising status and donors (`wall`: the donor wall's page number and cursor). Null when unknown. */
export async function campaignPage(slug: string, wall: { page?: string | null; cursor?: string | null } = {}, now = new Date()) {
  const c = await db().matchingCampaign.findUnique({
    where: { slug },
    select: {
      ...campaignSelect,
      foundation: { select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true } },
    },
  });
  if (!c) return null;
  const [money, donors, eligible] = await Promise.all([
    campaignMoney([c.id]),
    donorWall({ campaignId: c.id }, wall.cursor, wall.page),
    c.eligibleProjectIds.length
      ? db().project.findMany({ where: { id: { in: c.eligibleProjectIds } }, select: { referenceNo: true, title: true }, orderBy: { referenceNo: "asc" } })
      : Promise.resolve([]),
  ]);
  const { id: _id, ...foundation } = c.foundation;
  return {
    campaign: publicCampaign(c, now),
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    fundraising: fundraisingStatus(foundation),
    money: money.get(c.id)!,
    eligibleProjects: eligible,
    donors,
  };
}

// ───────────────────────────── manager pages ─────────────────────────────

export interface ManagerFilters {
  status: DonationStatus | null;
  /** Shanghai calendar days, inclusive, "YYYY-MM-DD" */
  from: string | null;
  to: string | null;
  q: string;
  /** the page's keyset cursor (`?cursor=`, on previous / next links), opaque */
  cursor: string | null;
  /** the page's number (`?page=`); null for the first page */
  page: number | null;
  per: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (s: string | null) => (s && DAY.test(s) && !Number.isNaN(new Date(`${s}T00:00:00+08:00`).getTime()) ? s : null);

/** The manager list's query string, with safe defaults for anything missing or malformed. */
export function parseManagerFilters(params: URLSearchParams): ManagerFilters {
  const status = params.get("status") ?? "";
  return {
    status: (DONATION_STATUSES as readonly string[]).includes(status) ? (status as DonationStatus) : null,
    from: validDay(params.get("from")),
    to: validDay(params.get("to")),
    q: normalizeSearch(params.get("q")).slice(0, 80),
    cursor: params.get(CURSOR_PARAM) || null,
    page: parsePageNumber(params.get(PAGE_PARAM)),
    per: perPageOf(params.get("per"), MANAGER_PAGE_SIZES, MANAGER_PAGE_SIZE),
  };
}

/** When a gift happened, for the date filter: when it was paid, or else when it was started. */
function dateWhere(from: string | null, to: string | null): Prisma.DonationWhereInput | null {
  if (!from && !to) return null;
  const range: Prisma.DateTimeFilter = {};
  if (from) range.gte = new Date(`${from}T00:00:00+08:00`);
  if (to) range.lt = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000);
  return { OR: [{ paidAt: range }, { paidAt: null, createdAt: range }] };
}

/** What a manager sees of every gift, in the list and on the gift's own page. */
const MANAGER_GIFT = { ...GIFT, status: true, method: true, frequency: true, receiptNo: true } as const satisfies Prisma.DonationSelect;

/** A gift as its managers see it, with `matchedFen` as the caller counts it (the list: net of matches returned). */
function managerGift(d: Prisma.DonationGetPayload<{ select: typeof MANAGER_GIFT }>, matchedFen: number) {
  return {
    ref: d.ref,
    donorName: d.donorName,
    anonymous: d.anonymous,
    amountFen: d.amountFen,
    refundedFen: d.refundedFen,
    matchedFen,
    status: d.status,
    method: d.method,
    monthly: d.frequency === "MONTHLY",
    receiptNo: d.receiptNo,
    paidAt: d.paidAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** A gift's place in the managers' list: [createdAt in ms, id]. */
const DonationKey = z.tuple([z.number().int(), z.string().min(1).max(64)]);
type DonationKey = z.infer<typeof DonationKey>;
const MANAGER_LIST_ROW = { ...MANAGER_GIFT, id: true, createdAt: true, matches: { select: { returnedFen: true } } } as const satisfies Prisma.DonationSelect;

/** The managers' list's filters as conditions on the foundation's gifts (the export reads the same). */
export function managerDonationConditions(foundationId: string, filters: Pick<ManagerFilters, "status" | "from" | "to" | "q">): Prisma.DonationWhereInput[] {
  const and: Prisma.DonationWhereInput[] = [{ foundationId }];
  if (filters.status) and.push({ status: filters.status });
  const dates = dateWhere(filters.from, filters.to);
  if (dates) and.push(dates);
  if (filters.q) {
    const q = filters.q;
    and.push({
      OR: [
        { ref: { equals: q.toUpperCase() } },
        { ref: { contains: q, mode: "insensitive" } },
        { receiptNo: { contains: q, mode: "insensitive" } },
        { donorName: { contains: q, mode: "insensitive" } },
        { email: { contains: q, mode: "insensitive" } },
      ],
    });
  }
  return and;
}

/** Every gift to the foundation for its managers, filtered and paged, with totals of the paid gifts the filter matches. */
export async function managerDonations(foundationId: string, filters: ManagerFilters) {
  const and = managerDonationConditions(foundationId, filters);
  const where: Prisma.DonationWhereInput = { AND: and };
  // the totals are of paid gifts only: a checkout never finished, failed or held is listed, never counted
  const paid: Prisma.DonationWhereInput = { AND: [...and, { status: { in: [...PAID_STATUSES] } }] };
  const [listed, agg, returned] = await Promise.all([
    db().donation.count({ where }),
    db().donation.aggregate({ where: paid, _count: { _all: true }, _sum: { amountFen: true, refundedFen: true, matchedFen: true } }),
    db().donationMatch.aggregate({ where: { donation: paid }, _sum: { returnedFen: true } }),
  ]);
  // newest first, the id breaking ties on the time; a cursor is bound to these filters. Numbered
  // pages: previous / next from the cursor's key, a page by number located from the nearer end
  const scope = JSON.stringify(["donations", foundationId, filters.status, filters.from, filters.to, filters.q]);
  const page = await numberedPage<Prisma.DonationGetPayload<{ select: typeof MANAGER_LIST_ROW }>, DonationKey>({
    scope,
    cursor: decodeCursor(filters.cursor, scope, DonationKey),
    page: filters.page,
    per: filters.per,
    total: listed,
    keyOf: (d): DonationKey => [d.createdAt.getTime(), d.id],
    fetch: ({ key, backward, take }) => {
      const at = key ? new Date(key[0]) : null;
      const before = (k: DonationKey, at: Date): Prisma.DonationWhereInput =>
        backward
          ? { createdAt: { gte: at }, OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: k[1] } }] }
          : { createdAt: { lte: at }, OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: k[1] } }] };
      const order = backward ? "asc" : "desc";
      return db().donation.findMany({
        where: key && at ? { AND: [where, before(key, at)] } : where,
        select: MANAGER_LIST_ROW,
        orderBy: [{ createdAt: order }, { id: order }],
        take,
      });
    },
    keyAt: async (skip, backward) => {
      const order = backward ? "asc" : "desc";
      const [d] = await db().donation.findMany({ where, select: { createdAt: true, id: true }, orderBy: [{ createdAt: order }, { id: order }], skip, take: 1 });
      return d ? [d.createdAt.getTime(), d.id] : null;
    },
  });
  const rows = page.items;
  return {
    items: rows.map((d) => managerGift(d, d.matchedFen - d.matches.reduce((s, m) => s + m.returnedFen, 0))),
    /** every gift the filter matches, paid or not: the list's length */
    listed,
    /** the paid gifts among them (PAID_STATUSES) */
    totals: {
      count: agg._count._all,
      amountFen: agg._sum.amountFen ?? 0,
      refundedFen: agg._sum.refundedFen ?? 0,
      matchedFen: (agg._sum.matchedFen ?? 0) - (returned._sum.returnedFen ?? 0),
    },
    pager: numberedLinksOf(page),
    per: filters.per,
  };
}

/** The campaigns of the foundation with their money, for its managers. */
export async function managerCampaigns(foundationId: string, now = new Date()) {
  const campaigns = await foundationCampaigns(foundationId, now);
  const money = await campaignMoney(campaigns.map((c) => c.id));
  return campaigns.map((c) => ({ ...c, money: money.get(c.id)! }));
}

/** Monthly gifts of the foundation: active subscriptions, and all ever started. */
export async function monthlyGiftCounts(foundationId: string) {
  const rows = await db().recurringGift.groupBy({ by: ["status"], where: { foundationId }, _count: { _all: true } });
  const of = (s: string) => rows.find((r) => r.status === s)?._count._all ?? 0;
  return { active: of("ACTIVE"), canceled: of("CANCELED"), pending: of("PENDING") };
}

/**
 * One gift in full for the foundation's managers: donor (with email), status history (Stripe
 * events), its ledger postings, matches and refund requests, and what is left to refund.
 * Null when the foundation has no gift with this reference.
 */
export async function managerDonationDetail(foundationId: string, ref: string) {
  const d = await db().donation.findFirst({
    where: { ref, foundationId },
    select: {
      ...MANAGER_GIFT,
      id: true,
      email: true,
      message: true,
      paymentIntentId: true,
      receivedAmount: true,
      receivedCurrency: true,
      round: { select: { code: true, title: true } },
      project: { select: { referenceNo: true, title: true } },
      campaign: { select: { slug: true, titleZh: true, titleEn: true } },
      matches: { select: { matchedFen: true, returnedFen: true, partial: true, createdAt: true, campaign: { select: { slug: true, titleZh: true, titleEn: true, sponsorName: true } } } },
      refunds: {
        select: { id: true, amountFen: true, reason: true, origin: true, requestedById: true, createdAt: true, status: true, failedAt: true, failureReason: true },
        orderBy: { createdAt: "asc" },
      },
      disputes: { select: { id: true, amountFen: true, reason: true, dueBy: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      payment: true,
    },
  });
  if (!d) return null;
  const [events, transactions, requesters] = await Promise.all([
    db().paymentEvent.findMany({ where: { donationId: d.id }, select: { id: true, type: true, outcome: true, stripeCreatedAt: true, receivedAt: true }, orderBy: [{ stripeCreatedAt: "asc" }, { receivedAt: "asc" }] }),
    db().ledgerTransaction.findMany({
      where: { idempotencyKey: { startsWith: `donation:${d.id}:` } },
      select: { id: true, kind: true, memo: true, occurredAt: true, entries: { select: { amountFen: true, account: { select: { code: true, nameZh: true, nameEn: true } } }, orderBy: { amountFen: "asc" } } },
      orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }],
    }),
    db().user.findMany({ where: { id: { in: d.refunds.map((r) => r.requestedById).filter((x): x is string => !!x) } }, select: { id: true, name: true } }),
  ]);
  // a refund that failed gave nothing back: its amount may be asked for again
  const requestedFen = d.refunds.reduce((s, r) => (r.status === "FAILED" ? s : s + r.amountFen), 0);
  const nameOf = new Map(requesters.map((u) => [u.id, u.name]));
  return {
    donation: {
      ...managerGift(d, d.matchedFen),
      email: d.email,
      message: d.message,
      round: d.round,
      project: d.project,
      campaign: d.campaign,
      /** what the provider reported when it did not agree with the gift (the payment is held; see fulfil.server.ts) */
      received: d.receivedAmount !== null && d.receivedCurrency ? { amount: d.receivedAmount, currency: d.receivedCurrency } : null,
      /** the payer's bank decided the dispute for the payer: the whole gift was reversed */
      disputeLost: (d.payment as { dispute?: string } | null)?.dispute === "lost",
    },
    disputes: d.disputes.map((x) => ({ id: x.id, amountFen: x.amountFen, reason: x.reason, dueBy: x.dueBy?.toISOString() ?? null, createdAt: x.createdAt.toISOString() })),
    /** what a new refund request may still take (what requestRefund checks) */
    leftFen: Math.max(0, d.amountFen - requestedFen),
    refundable: mayRefund(d) && d.amountFen - requestedFen > 0,
    events: events.map((e) => ({ id: e.id, type: e.type, outcome: e.outcome, stripeCreatedAt: e.stripeCreatedAt.toISOString(), receivedAt: e.receivedAt.toISOString() })),
    postings: transactions.map((t) => ({
      id: t.id,
      kind: t.kind,
      memo: t.memo,
      occurredAt: t.occurredAt.toISOString(),
      entries: t.entries.map((e) => ({ code: e.account.code, nameZh: e.account.nameZh, nameEn: e.account.nameEn, amountFen: Number(e.amountFen) })),
    })),
    matches: d.matches.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
    refunds: d.refunds.map((r) => ({
      id: r.id,
      amountFen: r.amountFen,
      reason: r.reason,
      origin: r.origin,
      by: r.requestedById ? (nameOf.get(r.requestedById) ?? null) : null,
      createdAt: r.createdAt.toISOString(),
      status: r.status,
      failedAt: r.failedAt?.toISOString() ?? null,
      failureReason: r.failureReason,
    })),
  };
}

// ───────────────────────────── the public foundation page ─────────────────────────────

/**
 * Everything the public page of a foundation shows (its loader's work): the paged movement list
 * (`?page=`, `?cursor=`, `?per=`), the ledger summary, the donor wall (its page in `?donorsPage=`, its cursor in `?donors=`), the campaigns with what is left in their
 * pools (none for a fund without a filing: docs/decisions/018), the fundraising status, and
 * whether the viewer manages it. Null when unknown.
 */
export async function foundationPage(
  slug: string,
  query: { page?: string | null; cursor?: string | null; per?: unknown; donors?: string | null; donorsPage?: string | null },
  viewer: Pick<Actor, "grants"> | null,
  now = new Date(),
) {
  const f = await db().foundation.findUnique({ where: { slug }, select: { id: true, area: { select: { path: true } } } });
  if (!f) return null;
  // the accounts and their entry counts once: the movement list's total and the summary's key
  const accounts = await foundationAccounts(f.id);
  const [detail, summary, donors, campaigns, reports] = await Promise.all([
    foundationDetail(slug, { page: query.page, cursor: query.cursor, per: query.per }, accounts),
    foundationLedgerSummary(f.id, { accounts }),
    donorWall({ foundationId: f.id }, query.donors, query.donorsPage),
    foundationCampaigns(f.id, now),
    // its published annual reports (年度工作报告, ADR 043), every version
    reportsOf({ foundationId: f.id, kind: "ANNUAL" }),
  ]);
  if (!detail) return null;
  // each campaign's progress (its pool's and gifts' running totals) for its chart
  const money = await campaignMoney(campaigns.map((c) => c.id));
  const { id: _id, areaPath: _path, ...shown } = detail;
  const pool = new Map(summary.pools.map((p) => [p.campaignId, p.balanceFen]));
  const fundraising = fundraisingStatus(detail.foundation);
  return {
    ...shown,
    fundraising,
    summary,
    donors,
    // a fund without a filing lists no campaigns: an appeal to match gifts is a solicitation (its pools stay in the summary)
    campaigns: fundraising.kind === "public" ? campaigns.map((c) => ({ ...c, remainingFen: pool.get(c.id) ?? 0, raisedFen: money.get(c.id)?.raisedFen ?? 0, fundedFen: money.get(c.id)?.fundedFen ?? 0, matchedFen: money.get(c.id)?.matchedFen ?? 0 })) : [],
    manages: canManageFoundation(viewer, { id: f.id, areaPath: f.area.path }),
    reports,
  };
}
