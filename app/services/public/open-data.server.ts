import { stringify } from "csv-stringify/sync";
import { publicDonor, publicDonorName } from "~/domain/donations";
import { accountCodes } from "~/domain/ledger";
import { onlineVotingState } from "~/domain/deliberation";
import { wishAmountBand } from "~/domain/volunteers";
import {
  csvSafeText,
  OPEN_DATA_LICENCE,
  OPEN_DATA_VERSION,
  OPEN_DATASETS,
  parseDataFile,
  publicMemo,
  shanghaiDay,
  shanghaiIso,
  shortenText,
  type Cell,
  type DatasetName,
  type OpenDataset,
  type RowOf,
} from "~/domain/open-data";
import { Prisma } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { notFound } from "~/lib/permissions.server";
import { PUBLIC_MOVEMENT_ACCOUNT_KINDS } from "~/services/books/access.server";
import { campaignMoney } from "~/services/giving/foundation-pages.server";
import { EXPENSE_DESCRIPTION_MAX, RECEIPT_HASH_PREFIX } from "~/services/public/project-public.server";
import { approvedOnly, publicDonation, publicRound } from "./access.server";

/**
 * Open data: every public table as CSV and JSON, streamed batch by batch (keyset
 * pagination on a unique, indexed key — never OFFSET — so a large table is never held in memory
 * and late pages cost what early ones do). What each dataset contains is documented in
 * domain/open-data.ts; the row types come from there, so the output has exactly those columns.
 *
 * Public fields only, each read through an explicit `select`: no donor e-mail, user id or
 * anonymous donor's name, no payee, no beneficiary, no author of a need, no judge, no bank
 * transfer reference, no official who decided anything.
 */

/** Rows fetched per query. */
export const OPEN_DATA_BATCH = 500;

type Source<N extends DatasetName> = {
  /** rows the download has */
  count(client: Client): Promise<number>;
  /** the latest change recorded in the underlying tables (best effort), null when empty */
  lastUpdated(client: Client): Promise<Date | null>;
  /** the rows, batch by batch */
  batches(client: Client, size: number): AsyncGenerator<RowOf<N>[]>;
  /** a validator that changes whenever the output changes, only where that is exact and cheap */
  etag?(client: Client): Promise<string>;
};

const num = (v: bigint | number | null | undefined) => Number(v ?? 0);
const latest = (...dates: (Date | null | undefined)[]) =>
  dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);

/** Keyset pagination: `fetch(after, take)` returns rows after the key `after` in key order. */
async function* keyset<T, K>(fetch: (after: K | null, take: number) => Promise<T[]>, keyOf: (row: T) => K, size: number): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const rows = await fetch(after, size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** The findMany arguments of the page after `after` (null: the first) in the order of the unique key `key`, within `where`. */
function pageAfter<K extends string, V, W extends object = Record<never, never>>(key: K, after: V | null, take: number, where?: W) {
  const rest = after === null ? {} : { [key]: { gt: after } };
  return { where: { ...where, ...rest } as W & Partial<Record<K, { gt: V }>>, orderBy: { [key]: "asc" } as Record<K, "asc">, take };
}

async function* mapBatches<T, R>(source: AsyncGenerator<T[]>, map: (batch: T[]) => Promise<R[]> | R[]): AsyncGenerator<R[]> {
  for await (const batch of source) yield await map(batch);
}

async function ledgerLatest(client: Client): Promise<Date | null> {
  const r = await client.ledgerTransaction.aggregate({ _max: { createdAt: true } });
  return r._max.createdAt;
}

/** Fen paid to each award's grantee: the TRANCHE_RELEASE postings into `award:<id>:paid`, by award id. */
export async function paidByAward(client: Client, awardIds: string[]): Promise<Map<string, number>> {
  if (!awardIds.length) return new Map();
  const codes = awardIds.map((id) => accountCodes.granteePaid(id));
  const rows = await client.$queryRaw<{ ownerId: string; sum: bigint | null }[]>`
    SELECT a."ownerId", sum(e."amountFen")::bigint AS sum
    FROM "LedgerAccount" a
    JOIN "LedgerEntry" e ON e."accountId" = a.id
    JOIN "LedgerTransaction" t ON t.id = e."transactionId"
    WHERE a.code IN (${Prisma.join(codes)}) AND t.kind = 'TRANCHE_RELEASE' AND e."amountFen" > 0
    GROUP BY a."ownerId"`;
  return new Map(rows.map((r) => [r.ownerId, num(r.sum)]));
}

/**
 * Approved spending of each project (fen) and how many approved expenses, by project id: their
 * running totals (ProjectTotal; docs/decisions/021), one row per project.
 */
export async function approvedSpending(client: Client, projectIds: string[]): Promise<Map<string, { spentFen: number; expenses: number }>> {
  if (!projectIds.length) return new Map();
  const rows = await client.projectTotal.findMany({ where: { projectId: { in: projectIds } }, select: { projectId: true, spentFen: true, approvedExpenses: true } });
  return new Map(rows.map((r) => [r.projectId, { spentFen: Number(r.spentFen), expenses: r.approvedExpenses }]));
}

// ───────────────────────────── the datasets ─────────────────────────────

const foundations: Source<"foundations"> = {
  count: (c) => c.foundation.count(),
  lastUpdated: async (c) => latest((await c.foundation.aggregate({ _max: { createdAt: true } }))._max.createdAt, await ledgerLatest(c)),
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.foundation.findMany({
            ...pageAfter("slug", after, take),
            select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true, createdAt: true, area: { select: { code: true } } },
          }),
        (f) => f.slug,
        size,
      ),
      async (batch) => {
        const ids = batch.map((f) => f.id);
        const rows = await c.$queryRaw<{ foundationId: string; kind: string; sum: bigint | null }[]>`
          SELECT a."foundationId", a.kind::text AS kind, sum(t."balanceFen")::bigint AS sum
          FROM "LedgerAccount" a JOIN "LedgerAccountTotal" t ON t."accountId" = a.id
          WHERE a."foundationId" IN (${Prisma.join(ids)}) AND a.kind::text = ANY(${[...PUBLIC_MOVEMENT_ACCOUNT_KINDS]}::text[])
          GROUP BY a."foundationId", a.kind`;
        const sum = (id: string, kind: string) => num(rows.find((r) => r.foundationId === id && r.kind === kind)?.sum);
        return batch.map((f) => ({
          slug: f.slug,
          name_zh: f.nameZh,
          name_en: f.nameEn,
          area_code: f.area.code,
          fundraising_filing_no: f.fundraisingFilingNo,
          fundraising_entity: f.fundraisingEntity,
          balance_fen: sum(f.id, "FOUNDATION_AVAILABLE"),
          earmarked_fen: sum(f.id, "FOUNDATION_EARMARKED"),
          created_at: shanghaiIso(f.createdAt),
        }));
      },
    ),
};

const ledger: Source<"ledger-transactions"> = {
  count: (c) => c.ledgerEntry.count(),
  lastUpdated: ledgerLatest,
  // the ledger is append-only (triggers refuse UPDATE and DELETE; account names are never
  // changed): the number of entries identifies what the download holds
  etag: async (c) => `W/"ledger-transactions-v${OPEN_DATA_VERSION}-${await c.ledgerEntry.count()}"`,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.ledgerTransaction.findMany({
            ...pageAfter("id", after, take),
            select: {
              id: true,
              occurredAt: true,
              createdAt: true,
              kind: true,
              memo: true,
              // money leaving an account first, then where it went
              entries: { select: { amountFen: true, account: { select: { code: true, kind: true, nameZh: true, nameEn: true } } }, orderBy: [{ amountFen: "asc" }, { id: "asc" }] },
            },
          }),
        (t) => t.id,
        size,
      ),
      (batch) =>
        batch.flatMap((t) =>
          t.entries.map((e) => ({
            transaction_id: t.id,
            occurred_at: shanghaiIso(t.occurredAt),
            kind: t.kind,
            memo: publicMemo(t.kind, t.memo),
            account_code: e.account.code,
            account_kind: e.account.kind,
            account_name_zh: e.account.nameZh,
            account_name_en: e.account.nameEn,
            amount_fen: num(e.amountFen),
            created_at: shanghaiIso(t.createdAt),
          })),
        ),
    ),
};

const donations: Source<"donations"> = {
  count: (c) => c.donation.count({ where: publicDonation }),
  lastUpdated: async (c) => (await c.donation.aggregate({ where: publicDonation, _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.donation.findMany({
            ...pageAfter("ref", after, take, publicDonation),
            // public fields only: never email, userId, token, payment ids; name and message only as publicDonor allows
            select: {
              ref: true,
              paidAt: true,
              donorName: true,
              anonymous: true,
              amountFen: true,
              matchedFen: true,
              refundedFen: true,
              status: true,
              frequency: true,
              message: true,
              foundation: { select: { slug: true } },
              round: { select: { code: true } },
              project: { select: { referenceNo: true } },
              campaign: { select: { slug: true } },
              matches: { select: { returnedFen: true } },
            },
          }),
        (d) => d.ref,
        size,
      ),
      (batch) =>
        batch.map((d) => ({
          ref: d.ref,
          paid_at: shanghaiIso(d.paidAt),
          foundation_slug: d.foundation.slug,
          // name and message only with the donor's consent to be named publicly (CC BY 4.0); otherwise 爱心人士, always in Chinese
          donor_name: publicDonorName({ anonymous: d.anonymous, displayName: d.donorName }, "zh-CN"),
          amount_fen: d.amountFen,
          matched_fen: d.matchedFen - d.matches.reduce((s, m) => s + m.returnedFen, 0),
          refunded_fen: d.refundedFen,
          status: d.status,
          earmark_round_code: d.round?.code ?? null,
          earmark_project_ref: d.project?.referenceNo ?? null,
          campaign_slug: d.campaign?.slug ?? null,
          frequency: d.frequency,
          message: publicDonor(d).message,
        })),
    ),
};

const campaigns: Source<"campaigns"> = {
  count: (c) => c.matchingCampaign.count(),
  lastUpdated: async (c) => latest((await c.matchingCampaign.aggregate({ _max: { createdAt: true } }))._max.createdAt, (await c.donationMatch.aggregate({ _max: { createdAt: true } }))._max.createdAt),
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.matchingCampaign.findMany({
            ...pageAfter("slug", after, take),
            select: {
              id: true,
              slug: true,
              titleZh: true,
              titleEn: true,
              sponsorName: true,
              sponsorKind: true,
              ratioSponsor: true,
              ratioDonor: true,
              perDonationCapFen: true,
              startsAt: true,
              endsAt: true,
              foundation: { select: { slug: true } },
            },
          }),
        (x) => x.slug,
        size,
      ),
      async (batch) => {
        // the same figures as the campaign page: the pools' ledger accounts
        const money = await campaignMoney(batch.map((x) => x.id));
        return batch.map((x) => {
          const m = money.get(x.id);
          return {
            slug: x.slug,
            foundation_slug: x.foundation.slug,
            title_zh: x.titleZh,
            title_en: x.titleEn,
            sponsor_name: x.sponsorName,
            sponsor_kind: x.sponsorKind,
            ratio_sponsor: x.ratioSponsor,
            ratio_donor: x.ratioDonor,
            per_donation_cap_fen: x.perDonationCapFen,
            starts_at: shanghaiIso(x.startsAt),
            ends_at: shanghaiIso(x.endsAt),
            pool_funded_fen: m?.fundedFen ?? 0,
            matched_fen: m?.matchedFen ?? 0,
            remaining_fen: m?.remainingFen ?? 0,
          };
        });
      },
    ),
};

/** A round in DRAFT exists only for its officials (the public pages 404). */

const rounds: Source<"rounds"> = {
  count: (c) => c.round.count({ where: publicRound }),
  lastUpdated: async (c) => (await c.round.aggregate({ where: publicRound, _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.round.findMany({
            ...pageAfter("code", after, take, publicRound),
            select: {
              code: true,
              title: true,
              phase: true,
              poolFen: true,
              minAwardFen: true,
              maxAwardFen: true,
              proposalsStartsAt: true,
              proposalsDeadline: true,
              implementationStartsAt: true,
              closesAt: true,
              area: { select: { code: true } },
              foundation: { select: { slug: true } },
            },
          }),
        (r) => r.code,
        size,
      ),
      (batch) =>
        batch.map((r) => ({
          code: r.code,
          title: r.title,
          area_code: r.area.code,
          foundation_slug: r.foundation.slug,
          phase: r.phase,
          pool_fen: num(r.poolFen),
          min_award_fen: r.minAwardFen,
          max_award_fen: r.maxAwardFen,
          proposals_starts_at: shanghaiIso(r.proposalsStartsAt),
          proposals_deadline: shanghaiIso(r.proposalsDeadline),
          implementation_starts_at: shanghaiIso(r.implementationStartsAt),
          closes_at: shanghaiIso(r.closesAt),
        })),
    ),
};

const needs: Source<"needs"> = {
  count: (c) => c.need.count(),
  lastUpdated: async (c) =>
    latest((await c.need.aggregate({ _max: { updatedAt: true } }))._max.updatedAt, (await c.needVote.aggregate({ _max: { createdAt: true } }))._max.createdAt),
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: number | null, take) =>
          c.need.findMany({
            ...pageAfter("number", after, take),
            // what the public list shows; never the author
            select: {
              number: true,
              title: true,
              category: true,
              status: true,
              voteCount: true,
              createdAt: true,
              area: { select: { code: true } },
              round: { select: { code: true } },
              mergedInto: { select: { number: true } },
            },
          }),
        (n) => n.number,
        size,
      ),
      (batch) =>
        batch.map((n) => ({
          number: n.number,
          title: n.title,
          category: n.category,
          status: n.status,
          area_code: n.area.code,
          vote_count: n.voteCount,
          round_code: n.status === "PUBLISHED" ? (n.round?.code ?? null) : null,
          merged_into_number: n.status === "MERGED" ? (n.mergedInto?.number ?? null) : null,
          created_at: shanghaiIso(n.createdAt),
        })),
    ),
};

/** Awards of rounds whose results were published: what the public notice lists. */
const PUBLISHED_AWARD = { round: { awardsPublishedAt: { not: null } } };

const awards: Source<"awards"> = {
  count: (c) => c.award.count({ where: PUBLISHED_AWARD }),
  lastUpdated: async (c) => (await c.award.aggregate({ where: PUBLISHED_AWARD, _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.award.findMany({
            ...pageAfter("id", after, take, PUBLISHED_AWARD),
            select: {
              id: true,
              rank: true,
              composite: true,
              outcome: true,
              awardFen: true,
              status: true,
              noticeEndsAt: true,
              round: { select: { code: true } },
              proposal: { select: { referenceNo: true, title: true, organization: { select: { name: true } }, community: { select: { code: true } } } },
            },
          }),
        (a) => a.id,
        size,
      ),
      (batch) =>
        batch.map((a) => ({
          round_code: a.round.code,
          rank: a.rank,
          proposal_ref: a.proposal.referenceNo,
          title: a.proposal.title,
          organization: a.proposal.organization.name,
          community_code: a.proposal.community?.code ?? null,
          score: a.composite === null ? null : Math.round(a.composite * 100) / 100,
          outcome: a.outcome,
          award_fen: a.awardFen,
          status: a.status,
          notice_ends_at: shanghaiIso(a.noticeEndsAt),
        })),
    ),
};

const projects: Source<"projects"> = {
  count: (c) => c.project.count(),
  lastUpdated: async (c) => (await c.project.aggregate({ _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.project.findMany({
            ...pageAfter("referenceNo", after, take),
            select: {
              id: true,
              awardId: true,
              referenceNo: true,
              title: true,
              category: true,
              awardFen: true,
              status: true,
              unspentReturnedFen: true,
              round: { select: { code: true } },
              organization: { select: { name: true } },
              community: { select: { code: true } },
            },
          }),
        (p) => p.referenceNo,
        size,
      ),
      async (batch) => {
        const [paid, spent] = await Promise.all([
          paidByAward(
            c,
            batch.map((p) => p.awardId),
          ),
          approvedSpending(
            c,
            batch.map((p) => p.id),
          ),
        ]);
        return batch.map((p) => ({
          ref: p.referenceNo,
          round_code: p.round.code,
          title: p.title,
          organization: p.organization.name,
          community_code: p.community?.code ?? null,
          category: p.category,
          award_fen: p.awardFen,
          paid_fen: paid.get(p.awardId) ?? 0,
          spent_fen: spent.get(p.id)?.spentFen ?? 0,
          unspent_returned_fen: p.unspentReturnedFen,
          status: p.status,
        }));
      },
    ),
};

const tranches: Source<"tranches"> = {
  count: (c) => c.tranche.count(),
  lastUpdated: async (c) => {
    const r = await c.tranche.aggregate({ _max: { releasedAt: true, releasableAt: true } });
    return latest(r._max.releasedAt, r._max.releasableAt, (await c.project.aggregate({ _max: { updatedAt: true } }))._max.updatedAt);
  },
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: { projectId: string; position: number } | null, take) =>
          c.tranche.findMany({
            where: after === null ? {} : { OR: [{ projectId: { gt: after.projectId } }, { projectId: after.projectId, position: { gt: after.position } }] },
            orderBy: [{ projectId: "asc" }, { position: "asc" }],
            take,
            // never the transfer reference, who prepared or approved it, or a held reason
            select: { projectId: true, position: true, percent: true, amountFen: true, trigger: true, status: true, releasedAt: true, project: { select: { referenceNo: true } } },
          }),
        (t) => ({ projectId: t.projectId, position: t.position }),
        size,
      ),
      (batch) =>
        batch.map((t) => ({
          project_ref: t.project.referenceNo,
          position: t.position,
          percent: t.percent,
          amount_fen: t.amountFen,
          trigger: t.trigger,
          // as the public project page: preparation is internal
          status: t.status === "RELEASED" ? "RELEASED" : t.status === "HELD" ? "HELD" : "PENDING",
          released_at: t.status === "RELEASED" ? shanghaiIso(t.releasedAt) : null,
        })),
    ),
};


const expenses: Source<"expenses"> = {
  count: (c) => c.expense.count({ where: approvedOnly }),
  lastUpdated: async (c) => (await c.expense.aggregate({ where: approvedOnly, _max: { decidedAt: true } }))._max.decidedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.expense.findMany({
            ...pageAfter("id", after, take, approvedOnly),
            // never the payee, a comment, who decided, or the receipt files
            select: {
              id: true,
              spentOn: true,
              amountFen: true,
              description: true,
              project: { select: { referenceNo: true } },
              budgetLine: { select: { position: true, item: true, category: true } },
              receipts: { select: { sha256: true }, orderBy: { createdAt: "asc" } },
            },
          }),
        (e) => e.id,
        size,
      ),
      (batch) =>
        batch.map((e) => ({
          expense_id: e.id,
          project_ref: e.project.referenceNo,
          spent_on: shanghaiDay(e.spentOn),
          budget_line_position: e.budgetLine?.position ?? null,
          budget_line_item: e.budgetLine?.item ?? null,
          budget_line_category: e.budgetLine?.category ?? null,
          amount_fen: e.amountFen,
          description: shortenText(e.description, EXPENSE_DESCRIPTION_MAX) || null,
          receipt_count: e.receipts.length,
          receipt_hash_prefixes: e.receipts.map((r) => r.sha256.slice(0, RECEIPT_HASH_PREFIX)).join(" ") || null,
        })),
    ),
};

const SAMPLED = { callSamples: { some: {} } };

const callbacks: Source<"callback-summaries"> = {
  count: (c) => c.project.count({ where: SAMPLED }),
  lastUpdated: async (c) =>
    latest((await c.callRecord.aggregate({ _max: { calledAt: true } }))._max.calledAt, (await c.callSample.aggregate({ _max: { drawnAt: true } }))._max.drawnAt),
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.project.findMany({
            ...pageAfter("referenceNo", after, take, SAMPLED),
            select: { id: true, referenceNo: true, _count: { select: { callSamples: true } } },
          }),
        (p) => p.referenceNo,
        size,
      ),
      async (batch) => {
        // counts only: nothing of a beneficiary or of a call's note
        const rows = await c.$queryRaw<{ projectId: string; outcome: string | null; count: number }[]>`
          SELECT s."projectId", r.outcome::text AS outcome, count(*)::int AS count
          FROM "CallRecord" r JOIN "CallSample" s ON s.id = r."sampleId"
          WHERE s."projectId" IN (${Prisma.join(batch.map((p) => p.id))})
          GROUP BY s."projectId", r.outcome`;
        return batch.map((p) => {
          const of = (outcome: string | null) => rows.find((r) => r.projectId === p.id && r.outcome === outcome)?.count ?? 0;
          return {
            project_ref: p.referenceNo,
            samples: p._count.callSamples,
            calls: rows.filter((r) => r.projectId === p.id).reduce((s, r) => s + r.count, 0),
            satisfied: of("SATISFIED"),
            partly: of("PARTLY"),
            not_satisfied: of("NOT_SATISFIED"),
            unreached: of("UNREACHED"),
            pending: of(null),
          };
        });
      },
    ),
};

/** Rounds whose eligible proposals are public: screening is over (as the round's public list, domain/screening.ts eligibleListState). */
const LISTED_ROUND = { phase: { in: ["REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED"] as ("REVIEW" | "NOTICE" | "IMPLEMENTATION" | "CLOSED")[] } };
const ELIGIBLE_PROPOSAL = { status: "ELIGIBLE" as const, referenceNo: { not: null }, round: LISTED_ROUND };

const eligibleProposals: Source<"eligible-proposals"> = {
  count: (c) => c.proposal.count({ where: ELIGIBLE_PROPOSAL }),
  lastUpdated: async (c) => (await c.proposal.aggregate({ where: ELIGIBLE_PROPOSAL, _max: { screenedAt: true } }))._max.screenedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.proposal.findMany({
            ...pageAfter("referenceNo", after, take, ELIGIBLE_PROPOSAL),
            // what the round's public list shows, without the applicant (hidden there under blind review); never the writer or the team
            select: { referenceNo: true, title: true, category: true, requestedFen: true, screenedAt: true, round: { select: { code: true } }, community: { select: { code: true } } },
          }),
        (p) => p.referenceNo!,
        size,
      ),
      (batch) =>
        batch.map((p) => ({
          ref: p.referenceNo,
          round_code: p.round.code,
          title: p.title,
          community_code: p.community?.code ?? null,
          category: p.category,
          requested_fen: p.requestedFen,
          screened_at: p.screenedAt ? shanghaiIso(p.screenedAt) : null,
        })),
    ),
};

/** Objections to awards of published rounds: what the public notice lists. */
const PUBLIC_OBJECTION = { round: { awardsPublishedAt: { not: null } } };
/** characters of an objection's grounds published */
export const OBJECTION_GROUNDS_MAX = 500;

const objections: Source<"objections"> = {
  count: (c) => c.objection.count({ where: PUBLIC_OBJECTION }),
  lastUpdated: async (c) => {
    const r = await c.objection.aggregate({ where: PUBLIC_OBJECTION, _max: { createdAt: true, resolvedAt: true } });
    return latest(r._max.createdAt, r._max.resolvedAt);
  },
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.objection.findMany({
            ...pageAfter("id", after, take, PUBLIC_OBJECTION),
            // the reason and the ruling are public (the notice shows them); never the objector, the attachment or who ruled
            select: { id: true, reason: true, status: true, resolution: true, createdAt: true, resolvedAt: true, round: { select: { code: true } }, proposal: { select: { referenceNo: true } } },
          }),
        (o) => o.id,
        size,
      ),
      (batch) =>
        batch.map((o) => ({
          round_code: o.round.code,
          proposal_ref: o.proposal.referenceNo,
          grounds: shortenText(o.reason, OBJECTION_GROUNDS_MAX),
          status: o.status,
          ruling: o.status === "OPEN" ? null : (o.resolution ?? null),
          filed_at: shanghaiIso(o.createdAt),
          ruled_at: o.status === "OPEN" || !o.resolvedAt ? null : shanghaiIso(o.resolvedAt),
        })),
    ),
};

const milestoneReports: Source<"milestone-reports"> = {
  count: (c) => c.milestoneReport.count({ where: approvedOnly }),
  lastUpdated: async (c) => (await c.milestoneReport.aggregate({ where: approvedOnly, _max: { decidedAt: true } }))._max.decidedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.milestoneReport.findMany({
            ...pageAfter("id", after, take, approvedOnly),
            // as the public project page: never the writer, who decided, or the official's comment; photos as a count
            select: {
              id: true,
              narrative: true,
              beneficiariesServed: true,
              submittedAt: true,
              decidedAt: true,
              project: { select: { referenceNo: true } },
              milestone: { select: { position: true, title: true, dueOn: true } },
              _count: { select: { files: { where: { kind: "PHOTO" } } } },
            },
          }),
        (r) => r.id,
        size,
      ),
      (batch) =>
        batch.map((r) => ({
          project_ref: r.project.referenceNo,
          milestone_position: r.milestone.position,
          milestone_title: r.milestone.title,
          due_on: r.milestone.dueOn ? shanghaiDay(r.milestone.dueOn) : null,
          submitted_at: r.submittedAt ? shanghaiIso(r.submittedAt) : null,
          approved_at: r.decidedAt ? shanghaiIso(r.decidedAt) : null,
          report_text: r.narrative,
          people_served: r.beneficiariesServed,
          photo_count: r._count.files,
        })),
    ),
};

const areas: Source<"areas"> = {
  count: (c) => c.area.count(),
  lastUpdated: async (c) => (await c.area.aggregate({ _max: { createdAt: true } }))._max.createdAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.area.findMany({
            ...pageAfter("code", after, take),
            select: { code: true, nameZh: true, nameEn: true, level: true, residents: true, subunits: true, parent: { select: { code: true } } },
          }),
        (a) => a.code,
        size,
      ),
      (batch) =>
        batch.map((a) => ({
          code: a.code,
          name_zh: a.nameZh,
          name_en: a.nameEn,
          level: a.level,
          parent_code: a.parent?.code ?? null,
          residents: a.residents,
          subunits: a.subunits,
        })),
    ),
};

const budgetLines: Source<"budget-lines"> = {
  count: (c) => c.projectBudgetLine.count(),
  lastUpdated: async (c) => (await c.project.aggregate({ _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: { projectId: string; position: number } | null, take) =>
          c.projectBudgetLine.findMany({
            where: after === null ? {} : { OR: [{ projectId: { gt: after.projectId } }, { projectId: after.projectId, position: { gt: after.position } }] },
            orderBy: [{ projectId: "asc" }, { position: "asc" }],
            take,
            select: { projectId: true, position: true, category: true, item: true, agreedFen: true, budgetFen: true, project: { select: { referenceNo: true } } },
          }),
        (l) => ({ projectId: l.projectId, position: l.position }),
        size,
      ),
      (batch) =>
        batch.map((l) => ({
          project_ref: l.project.referenceNo,
          position: l.position,
          category: l.category,
          item: l.item,
          planned_fen: l.agreedFen,
          approved_fen: l.budgetFen,
        })),
    ),
};

const matters: Source<"deliberation-matters"> = {
  count: (c) => c.matter.count(),
  lastUpdated: async (c) =>
    latest((await c.matter.aggregate({ _max: { updatedAt: true } }))._max.updatedAt, (await c.matterRemark.aggregate({ _max: { createdAt: true } }))._max.createdAt),
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: number | null, take) =>
          c.matter.findMany({
            ...pageAfter("number", after, take),
            // what the matter's public page shows; never who recorded a step or remarked
            select: {
              number: true,
              title: true,
              status: true,
              proposedAt: true,
              area: { select: { code: true } },
              needs: { select: { need: { select: { number: true } } } },
              reviews: { select: { outcome: true }, orderBy: { createdAt: "asc" } },
              resolution: { select: { body: true, meetingOn: true, entitled: true, present: true, votesFor: true, votesAgainst: true, abstentions: true, passed: true } },
              _count: { select: { remarks: true } },
              id: true,
              onlineVotingOpenedAt: true,
              onlineVotingClosedAt: true,
            },
          }),
        (m) => m.number,
        size,
      ),
      async (batch) => {
        // the online counts only: never who voted how
        const votes = batch.length
          ? await c.matterOnlineVote.groupBy({ by: ["matterId", "choice"], where: { matterId: { in: batch.map((m) => m.id) } }, _count: { _all: true } })
          : [];
        const online = (id: string, choice?: string) => votes.filter((v) => v.matterId === id && (!choice || v.choice === choice)).reduce((n, v) => n + v._count._all, 0);
        return batch.map((m) => ({
          number: m.number,
          area_code: m.area.code,
          title: m.title,
          status: m.status,
          need_numbers: m.needs.map((n) => n.need.number).sort((a, b) => a - b).join(";"),
          proposed_at: shanghaiIso(m.proposedAt),
          reviews: m.reviews.length,
          last_review_outcome: m.reviews.at(-1)?.outcome ?? null,
          resolution_body: m.resolution?.body ?? null,
          resolved_on: m.resolution ? shanghaiDay(m.resolution.meetingOn) : null,
          entitled: m.resolution?.entitled ?? null,
          present: m.resolution?.present ?? null,
          votes_for: m.resolution?.votesFor ?? null,
          votes_against: m.resolution?.votesAgainst ?? null,
          abstentions: m.resolution?.abstentions ?? null,
          passed: m.resolution?.passed ?? null,
          remarks: m._count.remarks,
          online_voting: onlineVotingState(m),
          online_voted: online(m.id),
          online_for: online(m.id, "FOR"),
          online_against: online(m.id, "AGAINST"),
          online_abstentions: online(m.id, "ABSTAIN"),
        }));
      },
    ),
};

const wishes: Source<"wishes"> = {
  count: (c) => c.wish.count(),
  lastUpdated: async (c) => (await c.wish.aggregate({ _max: { updatedAt: true } }))._max.updatedAt,
  batches: (c, size) =>
    mapBatches(
      keyset(
        (after: string | null, take) =>
          c.wish.findMany({
            ...pageAfter("id", after, take),
            // what the community's volunteering page shows; never the resident, the taker or the notes
            select: {
              id: true,
              status: true,
              valueFen: true,
              createdAt: true,
              takenAt: true,
              fulfilledAt: true,
              takerVolunteerId: true,
              takerOrganizationId: true,
              need: { select: { number: true, category: true } },
              area: { select: { code: true } },
              hours: { select: { minutes: true } },
            },
          }),
        (w) => w.id,
        size,
      ),
      (batch) =>
        batch.map((w) => ({
          need_number: w.need.number,
          area_code: w.area.code,
          category: w.need.category,
          status: w.status,
          amount_band: wishAmountBand(w.valueFen),
          taker_kind: w.takerOrganizationId ? "ORGANIZATION" : w.takerVolunteerId ? "VOLUNTEER" : null,
          marked_on: shanghaiDay(w.createdAt),
          taken_on: shanghaiDay(w.takenAt),
          fulfilled_on: shanghaiDay(w.fulfilledAt),
          hours: w.hours ? w.hours.minutes / 60 : null,
        })),
    ),
};

/** Communities with volunteers or hours. */
const VOLUNTEERING = { OR: [{ volunteers: { some: {} } }, { volunteerHours: { some: {} } }] };

const volunteerHours: Source<"volunteer-hours"> = {
  count: (c) => c.area.count({ where: VOLUNTEERING }),
  lastUpdated: async (c) =>
    latest((await c.volunteerHours.aggregate({ _max: { createdAt: true } }))._max.createdAt, (await c.volunteer.aggregate({ _max: { updatedAt: true } }))._max.updatedAt),
  batches: (c, size) =>
    mapBatches(
      keyset((after: string | null, take) => c.area.findMany({ ...pageAfter("code", after, take, VOLUNTEERING), select: { id: true, code: true } }), (a) => a.code, size),
      async (batch) => {
        const ids = batch.map((a) => a.id);
        // sums and counts only; a reversal (negative minutes) cancels its shift in both
        const [volunteers, sums] = await Promise.all([
          c.volunteer.groupBy({ by: ["areaId"], where: { areaId: { in: ids }, status: "CONFIRMED" }, _count: { _all: true } }),
          c.$queryRaw<{ areaId: string; wishEntries: number; wishMinutes: number; shifts: number; shiftMinutes: number }[]>`
            SELECT "areaId",
                   count(*) FILTER (WHERE "wishId" IS NOT NULL)::int AS "wishEntries",
                   coalesce(sum(minutes) FILTER (WHERE "wishId" IS NOT NULL), 0)::int AS "wishMinutes",
                   (count(*) FILTER (WHERE "projectId" IS NOT NULL) - 2 * count(*) FILTER (WHERE "reversesId" IS NOT NULL))::int AS shifts,
                   coalesce(sum(minutes) FILTER (WHERE "projectId" IS NOT NULL), 0)::int AS "shiftMinutes"
            FROM "VolunteerHours" WHERE "areaId" IN (${Prisma.join(ids)}) GROUP BY "areaId"`,
        ]);
        return batch.map((a) => {
          const h = sums.find((r) => r.areaId === a.id);
          const wishMinutes = h?.wishMinutes ?? 0;
          const shiftMinutes = h?.shiftMinutes ?? 0;
          return {
            area_code: a.code,
            volunteers: volunteers.find((v) => v.areaId === a.id)?._count._all ?? 0,
            wish_entries: h?.wishEntries ?? 0,
            wish_hours: wishMinutes / 60,
            project_shifts: h?.shifts ?? 0,
            project_hours: shiftMinutes / 60,
            total_hours: (wishMinutes + shiftMinutes) / 60,
          };
        });
      },
    ),
};

const SOURCES: { [N in DatasetName]: Source<N> } = {
  foundations,
  "ledger-transactions": ledger,
  donations,
  campaigns,
  rounds,
  needs,
  "deliberation-matters": matters,
  wishes,
  "volunteer-hours": volunteerHours,
  awards,
  projects,
  tranches,
  expenses,
  "callback-summaries": callbacks,
  "eligible-proposals": eligibleProposals,
  objections,
  "milestone-reports": milestoneReports,
  areas,
  "budget-lines": budgetLines,
};

// ───────────────────────────── catalogue ─────────────────────────────

export interface CatalogueEntry extends OpenDataset {
  rows: number;
  /** ISO instant, null when the dataset is empty */
  lastUpdated: string | null;
}

/** Every dataset with its documentation, row count and latest change (the /open-data page). */
export async function openDataCatalogue(client: Client = db()): Promise<CatalogueEntry[]> {
  return Promise.all(
    (OPEN_DATASETS as readonly OpenDataset[]).map(async (d) => {
      const source = SOURCES[d.name as DatasetName] as Source<DatasetName>;
      const [rows, updated] = await Promise.all([source.count(client), source.lastUpdated(client)]);
      return { ...d, rows, lastUpdated: updated?.toISOString() ?? null };
    }),
  );
}

// ───────────────────────────── downloads ─────────────────────────────

/** Every row of a dataset, batch by batch, as objects with exactly the documented columns in order. */
export async function* datasetRows(name: DatasetName, options: { batchSize?: number; client?: Client } = {}): AsyncGenerator<Record<string, Cell>[]> {
  const dataset = OPEN_DATASETS.find((d) => d.name === name)! as OpenDataset;
  const source = SOURCES[name] as Source<DatasetName>;
  const size = Math.max(1, Math.floor(options.batchSize ?? OPEN_DATA_BATCH));
  for await (const batch of source.batches(options.client ?? db(), size)) {
    const rows = batch as Record<string, Cell>[];
    yield rows.map((r) => Object.fromEntries(dataset.columns.map((c) => [c.name, r[c.name] ?? null])));
  }
}

const CSV_OPTIONS = {
  // RFC 4180: CRLF between records, fields quoted when they hold a comma, quote or line break
  record_delimiter: "windows",
  cast: { boolean: (v: boolean) => (v ? "true" : "false") },
} as const;

function csvCell(dataset: OpenDataset, name: string, value: Cell): Cell {
  const column = dataset.columns.find((c) => c.name === name)!;
  return column.type === "string" && typeof value === "string" ? csvSafeText(value) : value;
}

async function* csvChunks(dataset: OpenDataset, rows: AsyncGenerator<Record<string, Cell>[]>): AsyncGenerator<string> {
  // the byte order mark makes Excel read the file as UTF-8 (Chinese text intact)
  yield "\uFEFF" + stringify([dataset.columns.map((c) => c.name)], CSV_OPTIONS);
  for await (const batch of rows) {
    yield stringify(
      batch.map((r) => dataset.columns.map((c) => csvCell(dataset, c.name, r[c.name] ?? null))),
      CSV_OPTIONS,
    );
  }
}

async function* jsonChunks(dataset: OpenDataset, rows: AsyncGenerator<Record<string, Cell>[]>): AsyncGenerator<string> {
  const head = {
    dataset: dataset.name,
    version: OPEN_DATA_VERSION,
    licence: OPEN_DATA_LICENCE,
    generatedAt: shanghaiIso(new Date()),
    columns: dataset.columns.map((c) => ({ name: c.name, type: c.type, descriptionZh: c.zh, descriptionEn: c.en })),
  };
  const open = JSON.stringify(head);
  yield `${open.slice(0, -1)},"rows":[`;
  let first = true;
  for await (const batch of rows) {
    if (!batch.length) continue;
    yield `${first ? "\n" : ",\n"}${batch.map((r) => JSON.stringify(r)).join(",\n")}`;
    first = false;
  }
  yield "\n]}\n";
}

/** A byte stream of the chunks, pulled as the client reads (a slow reader does not make the server buffer). */
function byteStream(chunks: AsyncGenerator<string>, name: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logger.error({ err: error, dataset: name }, "open data download failed while streaming");
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * The download of `file` ("donations.csv", "donations.json"); 404 for anything else. Streams
 * the rows in batches of `batchSize`. Cacheable by anyone for five minutes; the append-only
 * ledger also carries an ETag (a matching If-None-Match gets 304).
 */
export async function openDataResponse(file: string, options: { batchSize?: number; ifNoneMatch?: string | null; client?: Client } = {}): Promise<Response> {
  const parsed = parseDataFile(file);
  if (!parsed) notFound();
  const { dataset, format } = parsed;
  const name = dataset.name as DatasetName;
  const client = options.client ?? db();
  const headers = new Headers({
    "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    "Content-Disposition": `${format === "csv" ? "attachment" : "inline"}; filename="${dataset.name}.${format}"`,
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "X-Open-Data-Version": String(OPEN_DATA_VERSION),
    "Access-Control-Allow-Origin": "*",
  });
  const source = SOURCES[name] as Source<DatasetName>;
  if (source.etag) {
    const etag = `${(await source.etag(client)).slice(0, -1)}-${format}"`;
    headers.set("ETag", etag);
    const asked = options.ifNoneMatch?.split(",").map((s) => s.trim()) ?? [];
    if (asked.includes(etag) || asked.includes("*")) return new Response(null, { status: 304, headers });
  }
  const rows = datasetRows(name, { batchSize: options.batchSize, client });
  const chunks = format === "csv" ? csvChunks(dataset, rows) : jsonChunks(dataset, rows);
  return new Response(byteStream(chunks, dataset.name), { status: 200, headers });
}
