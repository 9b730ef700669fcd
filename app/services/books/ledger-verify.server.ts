import { WALL_STATUSES } from "~/domain/donations";
import { GIVING_KINDS, MAX_FEN } from "~/domain/ledger";
import { Prisma } from "~/generated/prisma/client";
import type { Db, Tx } from "~/lib/db.server";

/**
 * Proves, with SQL over the whole ledger, that the rules postTransaction and the database
 * triggers enforce one row at a time also hold for everything stored. Run by
 * `npm run ledger:verify` and by the tests; an admin page may show the same report.
 *
 * Later features add their own invariants (foundation balances never below zero, matching
 * pools never overdrawn, each donation posted exactly once …) as further LedgerChecks in
 * `ledgerChecks` below: they run in the same read-only snapshot and land in the same report.
 */

export interface LedgerVerifyProblem {
  /** name of the check that found it */
  check: string;
  /** what is wrong, e.g. "unbalanced"; stable, for programs */
  kind: string;
  /** for people: what was found, with the numbers */
  detail: string;
  transactionId?: string;
  accountId?: string;
  entryId?: string;
}

export interface LedgerKindTotal {
  kind: string;
  accounts: number;
  /** accounts of this kind with at least one entry */
  accountsWithEntries: number;
  /** sum of the balances of this kind's accounts, in fen */
  balanceFen: bigint;
}

export interface LedgerStats {
  transactions: number;
  entries: number;
  accounts: number;
  /** per-account balances derived from the entries (accounts that have entries) */
  balances: number;
  /** derived balances that are not zero */
  nonZeroBalances: number;
  /** sum of every entry, in fen; zero in a sound ledger */
  entriesTotalFen: bigint;
  totalsByKind: LedgerKindTotal[];
}

export interface LedgerReport extends LedgerStats {
  /** names of the checks that ran */
  checks: string[];
  problems: LedgerVerifyProblem[];
}

export interface LedgerCheckContext {
  /** a read-only, repeatable-read transaction: every check sees the same snapshot */
  tx: Tx;
  stats: LedgerStats;
  /** a check lists at most this many problems, then says how many more it found */
  limit: number;
}

export interface LedgerCheck {
  name: string;
  run(ctx: LedgerCheckContext): Promise<LedgerVerifyProblem[]>;
}

/** A check whose problems carry its name. */
export function defineCheck(name: string, run: (ctx: LedgerCheckContext, name: string) => Promise<LedgerVerifyProblem[]>): LedgerCheck {
  return { name, run: (ctx) => run(ctx, name) };
}

/** Rows of a problem query come with `matches`, the number of rows before LIMIT. */
function withOverflow(check: string, kind: string, problems: LedgerVerifyProblem[], matches: number, limit: number) {
  if (matches > limit) {
    problems.push({ check, kind, detail: `${matches - limit} more not listed (${matches} in all)` });
  }
  return problems;
}

const firstMatches = (rows: { matches: bigint }[]) => Number(rows[0]?.matches ?? 0n);

/** One problem of `kind` for each row of a problem query (with what `of` says of the row), then the overflow line. */
function rowProblems<R extends { matches: bigint }>(check: string, kind: string, rows: R[], limit: number, of: (r: R) => Omit<LedgerVerifyProblem, "check" | "kind">) {
  return withOverflow(check, kind, rows.map((r) => ({ check, kind, ...of(r) })), firstMatches(rows), limit);
}

/** Every transaction has ≥ 2 entries, none zero, on distinct accounts, summing to zero. */
const transactionBalance = defineCheck("transaction-balance", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<
    { transactionId: string; entries: bigint; total: string; zeros: bigint; accounts: bigint; matches: bigint }[]
  >`
    SELECT e."transactionId", count(*) AS entries, sum(e."amountFen")::text AS total,
           count(*) FILTER (WHERE e."amountFen" = 0) AS zeros,
           count(DISTINCT e."accountId") AS accounts,
           count(*) OVER () AS matches
      FROM "LedgerEntry" e
     GROUP BY e."transactionId"
    HAVING sum(e."amountFen") <> 0 OR count(*) < 2
        OR count(*) FILTER (WHERE e."amountFen" = 0) > 0
        OR count(DISTINCT e."accountId") < count(*)
     ORDER BY e."transactionId"
     LIMIT ${limit}`;
  const problems: LedgerVerifyProblem[] = [];
  for (const r of rows) {
    const base = { check: name, transactionId: r.transactionId };
    if (r.total !== "0") problems.push({ ...base, kind: "unbalanced", detail: `entries sum to ${r.total} fen, not 0` });
    if (r.entries < 2n) problems.push({ ...base, kind: "too-few-entries", detail: `${r.entries} entry; at least 2 needed` });
    if (r.zeros > 0n) problems.push({ ...base, kind: "zero-amount", detail: `${r.zeros} entries of 0 fen` });
    if (r.accounts < r.entries) {
      problems.push({ ...base, kind: "duplicate-account", detail: `${r.entries} entries on ${r.accounts} accounts` });
    }
  }
  return withOverflow(name, "transaction-balance", problems, firstMatches(rows), limit);
});

/** A transaction row without entries moves no money and cannot be explained. */
const transactionsWithoutEntries = defineCheck("transactions-without-entries", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<{ id: string; kind: string; matches: bigint }[]>`
    SELECT t.id, t.kind, count(*) OVER () AS matches
      FROM "LedgerTransaction" t
     WHERE NOT EXISTS (SELECT 1 FROM "LedgerEntry" e WHERE e."transactionId" = t.id)
     ORDER BY t.id
     LIMIT ${limit}`;
  return rowProblems(name, "no-entries", rows, limit, (r) => ({ transactionId: r.id, detail: `transaction of kind ${r.kind} has no entries` }));
});

/**
 * Entries whose account or transaction row is missing. Foreign keys prevent both; this proves
 * they held (a restore from a partial dump, a disabled constraint …).
 */
const danglingEntries = defineCheck("dangling-entries", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<
    { id: string; transactionId: string; accountId: string; noAccount: boolean; noTransaction: boolean; matches: bigint }[]
  >`
    SELECT e.id, e."transactionId", e."accountId",
           a.id IS NULL AS "noAccount", t.id IS NULL AS "noTransaction",
           count(*) OVER () AS matches
      FROM "LedgerEntry" e
      LEFT JOIN "LedgerAccount" a ON a.id = e."accountId"
      LEFT JOIN "LedgerTransaction" t ON t.id = e."transactionId"
     WHERE a.id IS NULL OR t.id IS NULL
     ORDER BY e.id
     LIMIT ${limit}`;
  const problems: LedgerVerifyProblem[] = [];
  for (const r of rows) {
    const base = { check: name, entryId: r.id, transactionId: r.transactionId, accountId: r.accountId };
    if (r.noAccount) problems.push({ ...base, kind: "missing-account", detail: `entry points to account ${r.accountId}, which does not exist` });
    if (r.noTransaction) {
      problems.push({ ...base, kind: "missing-transaction", detail: `entry points to transaction ${r.transactionId}, which does not exist` });
    }
  }
  return withOverflow(name, "dangling-entries", problems, firstMatches(rows), limit);
});

/** No single entry may exceed what the domain allows (ledgerProblems' "out-of-range"). */
const amountRange = defineCheck("amount-range", async ({ tx, limit }, name) => {
  const max = BigInt(MAX_FEN);
  const rows = await tx.$queryRaw<{ id: string; transactionId: string; amount: string; matches: bigint }[]>`
    SELECT e.id, e."transactionId", e."amountFen"::text AS amount, count(*) OVER () AS matches
      FROM "LedgerEntry" e
     WHERE e."amountFen" > ${max} OR e."amountFen" < ${-max}
     ORDER BY e.id
     LIMIT ${limit}`;
  return rowProblems(name, "out-of-range", rows, limit, (r) => ({ entryId: r.id, transactionId: r.transactionId, detail: `entry of ${r.amount} fen exceeds ±${MAX_FEN}` }));
});

/**
 * The running totals the database keeps as entries are inserted (LedgerAccountTotal per account,
 * LedgerKindTotal per account, transaction kind and Shanghai year; docs/decisions/019) equal the
 * sums and counts of the entries they stand for, and no total stands for entries that do not
 * exist. Pages read balances and flows from them, so a total out of step is a wrong figure shown.
 */
const runningTotals = defineCheck("running-totals", async ({ tx, limit }, name) => {
  const accounts = await tx.$queryRaw<{ accountId: string; code: string | null; stored: string; storedEntries: number; summed: string; entries: number; matches: bigint }[]>`
    WITH summed AS (
      SELECT "accountId", sum("amountFen") AS fen, count(*)::int AS entries FROM "LedgerEntry" GROUP BY "accountId"
    )
    SELECT coalesce(t."accountId", s."accountId") AS "accountId", a.code,
           coalesce(t."balanceFen", 0)::text AS stored, coalesce(t.entries, 0) AS "storedEntries",
           coalesce(s.fen, 0)::text AS summed, coalesce(s.entries, 0) AS entries, count(*) OVER () AS matches
      FROM "LedgerAccountTotal" t FULL JOIN summed s ON s."accountId" = t."accountId"
      LEFT JOIN "LedgerAccount" a ON a.id = coalesce(t."accountId", s."accountId")
     WHERE coalesce(t."balanceFen", 0) <> coalesce(s.fen, 0) OR coalesce(t.entries, 0) <> coalesce(s.entries, 0)
     ORDER BY 1
     LIMIT ${limit}`;
  const problems = rowProblems(name, "account-total-mismatch", accounts, limit, (r) => ({
    accountId: r.accountId,
    detail: `account ${r.code ?? r.accountId}: running total ${r.stored} fen over ${r.storedEntries} entries; its entries sum to ${r.summed} fen over ${r.entries}`,
  }));
  const kinds = await tx.$queryRaw<{ accountId: string; code: string | null; kind: string; year: number; stored: string; storedEntries: number; summed: string; entries: number; matches: bigint }[]>`
    WITH summed AS (
      SELECT e."accountId", t.kind, extract(year FROM t."occurredAt" + interval '8 hours')::int AS year,
             sum(e."amountFen") AS fen, count(*)::int AS entries
        FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
       GROUP BY 1, 2, 3
    )
    SELECT coalesce(k."accountId", s."accountId") AS "accountId", a.code, coalesce(k.kind, s.kind) AS kind, coalesce(k.year, s.year) AS year,
           coalesce(k."sumFen", 0)::text AS stored, coalesce(k.entries, 0) AS "storedEntries",
           coalesce(s.fen, 0)::text AS summed, coalesce(s.entries, 0) AS entries, count(*) OVER () AS matches
      FROM "LedgerKindTotal" k FULL JOIN summed s ON s."accountId" = k."accountId" AND s.kind = k.kind AND s.year = k.year
      LEFT JOIN "LedgerAccount" a ON a.id = coalesce(k."accountId", s."accountId")
     WHERE coalesce(k."sumFen", 0) <> coalesce(s.fen, 0) OR coalesce(k.entries, 0) <> coalesce(s.entries, 0)
     ORDER BY 1, 3, 4
     LIMIT ${limit}`;
  return [
    ...problems,
    ...rowProblems(name, "kind-total-mismatch", kinds, limit, (r) => ({
      accountId: r.accountId,
      detail: `account ${r.code ?? r.accountId}, ${r.kind} in ${r.year}: running total ${r.stored} fen over ${r.storedEntries} entries; its entries sum to ${r.summed} fen over ${r.entries}`,
    })),
  ];
});

/**
 * The per-account balances derived here from the entries add up: the per-kind totals (computed
 * from per-account balances) and the plain sum of all entries are both zero.
 */
const totalsAddUp = defineCheck("totals", async ({ stats }, name) => {
  const problems: LedgerVerifyProblem[] = [];
  if (stats.entriesTotalFen !== 0n) {
    problems.push({ check: name, kind: "ledger-total-nonzero", detail: `all entries sum to ${stats.entriesTotalFen} fen, not 0` });
  }
  const byKind = stats.totalsByKind.reduce((s, k) => s + k.balanceFen, 0n);
  if (byKind !== 0n) {
    const parts = stats.totalsByKind.map((k) => `${k.kind} ${k.balanceFen}`).join(", ");
    problems.push({ check: name, kind: "kind-totals-nonzero", detail: `account balances by kind sum to ${byKind} fen, not 0 (${parts})` });
  }
  return problems;
});

export const coreLedgerChecks: readonly LedgerCheck[] = [transactionBalance, transactionsWithoutEntries, danglingEntries, amountRange, totalsAddUp, runningTotals];

// ─────────────── giving: gifts, refunds, matches and the foundations' funds ───────────────
//
// The giving services (app/services/giving/fulfil.server.ts) post under idempotency keys that
// name the donation: `donation:<id>:paid` (DONATION), `donation:<id>:reversed:<total>[:f<failed>]`
// and, when a refund failed, `donation:<id>:refund-failed:<failed>` (DONATION_REFUND, booked
// back), `donation:<id>:match` (MATCH), `donation:<id>:match-return:<campaign>:<total>`
// (MATCH_RETURN). The checks below tie those postings back to the Donation, DonationMatch and
// MatchingCampaign rows and prove both sides tell the same story.

/** Statuses of a donation whose money arrived (and so was posted once). */
const PAID_STATUSES = ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED", "DISPUTED"];

/**
 * The account a gift lands in, as SQL over a "Donation" row `d`: mirrors donationAccountCode
 * (domain/ledger.ts) — the foundation's available funds, or its earmark for a project or round.
 */
const DESTINATION = Prisma.raw(`CASE
  WHEN d."projectId" IS NOT NULL THEN 'foundation:' || d."foundationId" || ':earmark:project:' || d."projectId"
  WHEN d."roundId" IS NOT NULL THEN 'foundation:' || d."foundationId" || ':earmark:round:' || d."roundId"
  ELSE 'foundation:' || d."foundationId" || ':available' END`);

/** A campaign's matching pool account code, as SQL over a "MatchingCampaign" id expression (mirrors accountCodes.matchingPool). */
const poolCode = (campaignIdSql: string) => Prisma.raw(`('campaign:' || ${campaignIdSql} || ':matching')`);

/** A foundation's own accounts (available, earmarked) are never below zero. */
const foundationBalances = defineCheck("foundation-balances", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<{ id: string; code: string; balance: string; matches: bigint }[]>`
    SELECT a.id, a.code, sum(e."amountFen")::text AS balance, count(*) OVER () AS matches
      FROM "LedgerAccount" a JOIN "LedgerEntry" e ON e."accountId" = a.id
     WHERE a.kind IN ('FOUNDATION_AVAILABLE', 'FOUNDATION_EARMARKED')
     GROUP BY a.id, a.code
    HAVING sum(e."amountFen") < 0
     ORDER BY a.code
     LIMIT ${limit}`;
  return rowProblems(name, "foundation-negative", rows, limit, (r) => ({ accountId: r.id, detail: `${r.code} holds ${r.balance} fen, below zero` }));
});

/**
 * Every giving posting belongs to a donation: its key names an existing donation in the shape
 * its kind uses, and a key in one of those shapes carries that kind.
 */
const givingPostingsAttributed = defineCheck("giving-postings-attributed", async ({ tx, limit }, name) => {
  const k = GIVING_KINDS;
  const rows = await tx.$queryRaw<{ id: string; kind: string; key: string; donation: boolean; matches: bigint }[]>`
    SELECT t.id, t.kind, t."idempotencyKey" AS key, d.id IS NOT NULL AS donation, count(*) OVER () AS matches
      FROM "LedgerTransaction" t
      LEFT JOIN "Donation" d ON d.id = substring(t."idempotencyKey" FROM '^donation:([^:]+):')
     WHERE (t.kind IN (${k.donation}, ${k.refund}, ${k.match}, ${k.matchReturn}) OR t."idempotencyKey" LIKE 'donation:%')
       AND (d.id IS NULL OR NOT CASE
             WHEN t."idempotencyKey" ~ '^donation:[^:]+:paid$' THEN t.kind = ${k.donation}
             WHEN t."idempotencyKey" ~ '^donation:[^:]+:reversed:[0-9]+(:f[0-9]+)?$' THEN t.kind = ${k.refund}
             WHEN t."idempotencyKey" ~ '^donation:[^:]+:refund-failed:[0-9]+$' THEN t.kind = ${k.refund}
             WHEN t."idempotencyKey" ~ '^donation:[^:]+:match$' THEN t.kind = ${k.match}
             WHEN t."idempotencyKey" ~ '^donation:[^:]+:match-return:[^:]+:[0-9]+$' THEN t.kind = ${k.matchReturn}
             ELSE false END)
     ORDER BY t.id
     LIMIT ${limit}`;
  return rowProblems(name, "unattributed-posting", rows, limit, (r) => ({
    transactionId: r.id,
    detail: r.donation ? `${r.kind} transaction under key ${r.key}: the key's shape belongs to another kind` : `${r.kind} transaction under key ${r.key} names no donation`,
  }));
});

/**
 * Each paid donation (SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED, DISPUTED) has its one DONATION
 * transaction `donation:<id>:paid`, which put exactly its amount into its foundation's (or
 * earmark's) account; a PENDING, PROCESSING or FAILED one has none.
 */
const donationPostings = defineCheck("donation-postings", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<{ id: string; ref: string; status: string; amountFen: number; posted: boolean; landed: string; destination: string; matches: bigint }[]>`
    WITH gift AS (
      SELECT d.id, d.ref, d.status::text AS status, d."amountFen", ${DESTINATION} AS destination,
             t.id AS "transactionId"
        FROM "Donation" d
        LEFT JOIN "LedgerTransaction" t ON t."idempotencyKey" = 'donation:' || d.id || ':paid'
    ), landed AS (
      SELECT g.id, coalesce(sum(e."amountFen") FILTER (WHERE a.code = g.destination), 0) AS landed
        FROM gift g JOIN "LedgerEntry" e ON e."transactionId" = g."transactionId" JOIN "LedgerAccount" a ON a.id = e."accountId"
       GROUP BY g.id
    )
    SELECT g.id, g.ref, g.status, g."amountFen", g."transactionId" IS NOT NULL AS posted, coalesce(l.landed, 0)::text AS landed, g.destination,
           count(*) OVER () AS matches
      FROM gift g LEFT JOIN landed l ON l.id = g.id
     WHERE (g.status = ANY(${PAID_STATUSES}::text[])) <> (g."transactionId" IS NOT NULL)
        OR (g."transactionId" IS NOT NULL AND coalesce(l.landed, 0) <> g."amountFen")
     ORDER BY g.id
     LIMIT ${limit}`;
  const problems = rows.map((r): LedgerVerifyProblem => {
    const base = { check: name, detail: "" };
    if (!r.posted) return { ...base, kind: "donation-not-posted", detail: `donation ${r.ref} (${r.id}) is ${r.status} but has no DONATION transaction` };
    if (!PAID_STATUSES.includes(r.status)) {
      return { ...base, kind: "unpaid-donation-posted", detail: `donation ${r.ref} (${r.id}) is ${r.status} but has a DONATION transaction` };
    }
    return { ...base, kind: "donation-amount-mismatch", detail: `donation ${r.ref} (${r.id}) of ${r.amountFen} fen put ${r.landed} fen into ${r.destination}` };
  });
  return withOverflow(name, "donation-postings", problems, firstMatches(rows), limit);
});

/**
 * What the reversals (DONATION_REFUND) of each donation took out of its account, net of what was
 * booked back when a refund failed (`donation:<id>:refund-failed:<n>`), equals its refundedFen.
 */
const donationReversals = defineCheck("donation-reversals", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<{ id: string; ref: string; refundedFen: number; reversed: string; matches: bigint }[]>`
    WITH r AS (
      SELECT substring(t."idempotencyKey" FROM '^donation:([^:]+):(reversed|refund-failed):') AS "donationId", t.id
        FROM "LedgerTransaction" t
       WHERE t."idempotencyKey" LIKE 'donation:%:reversed:%' OR t."idempotencyKey" LIKE 'donation:%:refund-failed:%'
    ), per AS (
      SELECT d.id, -sum(e."amountFen") AS reversed
        FROM r JOIN "Donation" d ON d.id = r."donationId"
        JOIN "LedgerEntry" e ON e."transactionId" = r.id
        JOIN "LedgerAccount" a ON a.id = e."accountId" AND a.code = ${DESTINATION}
       GROUP BY d.id
    )
    SELECT d.id, d.ref, d."refundedFen", coalesce(per.reversed, 0)::text AS reversed, count(*) OVER () AS matches
      FROM "Donation" d LEFT JOIN per ON per.id = d.id
     WHERE d."refundedFen" <> coalesce(per.reversed, 0)
     ORDER BY d.id
     LIMIT ${limit}`;
  return rowProblems(name, "reversal-mismatch", rows, limit, (r) => ({
    detail: `donation ${r.ref} (${r.id}) says ${r.refundedFen} fen went back; its reversals took ${r.reversed} fen out of its account`,
  }));
});

/**
 * Matches: each donation's matchedFen is the sum of its DonationMatch rows; each DonationMatch
 * was drawn out of its campaign's pool by the MATCH posting and given back by MATCH_RETURN
 * postings of exactly its returnedFen; each campaign's pool holds what was put in minus what
 * was matched plus what came back, less what went back to its source when the campaign was
 * closed out (CAMPAIGN_CLOSE_OUT, which the campaign's returnedFen records), and never less than zero.
 */
const matchingPools = defineCheck("matching-pools", async ({ tx, limit }, name) => {
  const k = GIVING_KINDS;
  const problems: LedgerVerifyProblem[] = [];

  const donations = await tx.$queryRaw<{ id: string; ref: string; matchedFen: number; rows: string; matches: bigint }[]>`
    SELECT d.id, d.ref, d."matchedFen", coalesce(m.sum, 0)::text AS rows, count(*) OVER () AS matches
      FROM "Donation" d LEFT JOIN (SELECT "donationId", sum("matchedFen") AS sum FROM "DonationMatch" GROUP BY "donationId") m ON m."donationId" = d.id
     WHERE d."matchedFen" <> coalesce(m.sum, 0)
     ORDER BY d.id
     LIMIT ${limit}`;
  for (const r of donations) {
    problems.push({ check: name, kind: "matched-fen-mismatch", detail: `donation ${r.ref} (${r.id}) says ${r.matchedFen} fen matched; its DonationMatch rows sum to ${r.rows}` });
  }
  withOverflow(name, "matched-fen-mismatch", problems, firstMatches(donations), limit);

  // per donation and campaign: drawn out of the pool (MATCH) and given back (MATCH_RETURN), beside the DonationMatch row
  const draws = await tx.$queryRaw<{ donationId: string; campaignId: string; matchedFen: string; drawn: string; returnedFen: string; returned: string; matches: bigint }[]>`
    WITH posted AS (
      SELECT substring(t."idempotencyKey" FROM '^donation:([^:]+):') AS "donationId", p."ownerId" AS "campaignId",
             -sum(e."amountFen") FILTER (WHERE t.kind = ${k.match}) AS drawn,
             sum(e."amountFen") FILTER (WHERE t.kind = ${k.matchReturn}) AS returned
        FROM "LedgerTransaction" t
        JOIN "LedgerEntry" e ON e."transactionId" = t.id
        JOIN "LedgerAccount" p ON p.id = e."accountId" AND p.kind = 'MATCHING_POOL'
       WHERE t.kind IN (${k.match}, ${k.matchReturn}) AND t."idempotencyKey" LIKE 'donation:%'
       GROUP BY 1, 2
    ), recorded AS (
      SELECT "donationId", "campaignId", sum("matchedFen") AS "matchedFen", sum("returnedFen") AS "returnedFen" FROM "DonationMatch" GROUP BY 1, 2
    )
    SELECT coalesce(r."donationId", p."donationId") AS "donationId", coalesce(r."campaignId", p."campaignId") AS "campaignId",
           coalesce(r."matchedFen", 0)::text AS "matchedFen", coalesce(p.drawn, 0)::text AS drawn,
           coalesce(r."returnedFen", 0)::text AS "returnedFen", coalesce(p.returned, 0)::text AS returned,
           count(*) OVER () AS matches
      FROM recorded r FULL JOIN posted p ON p."donationId" = r."donationId" AND p."campaignId" = r."campaignId"
     WHERE coalesce(r."matchedFen", 0) <> coalesce(p.drawn, 0) OR coalesce(r."returnedFen", 0) <> coalesce(p.returned, 0)
     ORDER BY 1, 2
     LIMIT ${limit}`;
  for (const r of draws) {
    const where = `donation ${r.donationId}, campaign ${r.campaignId ?? "?"}`;
    if (r.matchedFen !== r.drawn) problems.push({ check: name, kind: "match-posting-mismatch", detail: `${where}: matched ${r.matchedFen} fen, drawn from the pool ${r.drawn} fen` });
    if (r.returnedFen !== r.returned) problems.push({ check: name, kind: "match-return-mismatch", detail: `${where}: ${r.returnedFen} fen returned, given back to the pool ${r.returned} fen` });
  }
  withOverflow(name, "match-posting-mismatch", problems, firstMatches(draws), limit);

  const pools = await tx.$queryRaw<
    { id: string; slug: string; accountId: string | null; balance: string; funded: string; matched: string; returned: string; closedOut: string; recordedClosedOut: string; matches: bigint }[]
  >`
    WITH pool AS (
      SELECT c.id, c.slug, a.id AS "accountId",
             coalesce((SELECT sum(e."amountFen") FROM "LedgerEntry" e WHERE e."accountId" = a.id), 0) AS balance,
             coalesce((SELECT sum(e."amountFen") FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
                        WHERE e."accountId" = a.id AND t.kind = ${k.campaignFunding}), 0) AS funded,
             coalesce((SELECT sum(m."matchedFen") FROM "DonationMatch" m WHERE m."campaignId" = c.id), 0) AS matched,
             coalesce((SELECT sum(m."returnedFen") FROM "DonationMatch" m WHERE m."campaignId" = c.id), 0) AS returned,
             coalesce((SELECT -sum(e."amountFen") FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId"
                        WHERE e."accountId" = a.id AND t.kind = ${k.campaignCloseOut}), 0) AS "closedOut",
             coalesce(c."returnedFen", 0) AS "recordedClosedOut"
        FROM "MatchingCampaign" c LEFT JOIN "LedgerAccount" a ON a.code = ${poolCode("c.id")}
    )
    SELECT id, slug, "accountId", balance::text, funded::text, matched::text, returned::text, "closedOut"::text, "recordedClosedOut"::text, count(*) OVER () AS matches
      FROM pool
     WHERE balance < 0 OR balance <> funded - matched + returned - "closedOut" OR "closedOut" <> "recordedClosedOut"
     ORDER BY id
     LIMIT ${limit}`;
  for (const r of pools) {
    const base = { check: name, accountId: r.accountId ?? undefined };
    if (BigInt(r.balance) < 0n) problems.push({ ...base, kind: "pool-negative", detail: `campaign ${r.slug} (${r.id}): the pool holds ${r.balance} fen, below zero` });
    const expected = BigInt(r.funded) - BigInt(r.matched) + BigInt(r.returned) - BigInt(r.closedOut);
    if (BigInt(r.balance) !== expected) {
      problems.push({
        ...base,
        kind: "pool-mismatch",
        detail: `campaign ${r.slug} (${r.id}): the pool holds ${r.balance} fen, but funded ${r.funded} − matched ${r.matched} + returned ${r.returned} − given back at close-out ${r.closedOut} = ${expected}`,
      });
    }
    if (r.closedOut !== r.recordedClosedOut) {
      problems.push({ ...base, kind: "close-out-mismatch", detail: `campaign ${r.slug} (${r.id}): its close-out postings gave back ${r.closedOut} fen; the campaign records ${r.recordedClosedOut}` });
    }
  }
  return withOverflow(name, "pool-mismatch", problems, firstMatches(pools), limit);
});

/**
 * The running totals of gifts (DonationTotal per foundation and per campaign, kept by Donation's
 * trigger; docs/decisions/023) equal what the gifts themselves add up to — gifts on the donor wall
 * (WALL_STATUSES with a time of payment), gifts the public sees (the paid statuses), and what gifts
 * with a time of payment brought net of refunds — and no total stands for gifts that do not exist.
 * The donor walls, the campaign page and the transparency portal show these figures.
 */
const giftTotals = defineCheck("gift-totals", async ({ tx, limit }, name) => {
  const rows = await tx.$queryRaw<
    { scope: string; ownerId: string; wall: number; storedWall: number; pub: number; storedPub: number; raised: string; storedRaised: string; matches: bigint }[]
  >`
    WITH summed AS (
      SELECT o.scope, o."ownerId",
             count(*) FILTER (WHERE d.status::text = ANY(${[...WALL_STATUSES]}::text[]) AND d."paidAt" IS NOT NULL)::int AS wall,
             count(*) FILTER (WHERE d.status::text = ANY(${PAID_STATUSES}::text[]))::int AS pub,
             coalesce(sum(d."amountFen"::bigint - d."refundedFen") FILTER (WHERE d."paidAt" IS NOT NULL), 0) AS raised
        FROM "Donation" d
        CROSS JOIN LATERAL (VALUES ('foundation', d."foundationId"), ('campaign', d."campaignId")) AS o(scope, "ownerId")
       WHERE o."ownerId" IS NOT NULL
       GROUP BY 1, 2
    )
    SELECT coalesce(t.scope, s.scope) AS scope, coalesce(t."ownerId", s."ownerId") AS "ownerId",
           coalesce(s.wall, 0) AS wall, coalesce(t."wallGifts", 0) AS "storedWall",
           coalesce(s.pub, 0) AS pub, coalesce(t."publicGifts", 0) AS "storedPub",
           coalesce(s.raised, 0)::text AS raised, coalesce(t."raisedFen", 0)::text AS "storedRaised",
           count(*) OVER () AS matches
      FROM "DonationTotal" t FULL JOIN summed s ON s.scope = t.scope AND s."ownerId" = t."ownerId"
     WHERE coalesce(s.wall, 0) <> coalesce(t."wallGifts", 0) OR coalesce(s.pub, 0) <> coalesce(t."publicGifts", 0)
        OR coalesce(s.raised, 0) <> coalesce(t."raisedFen", 0)
     ORDER BY 1, 2
     LIMIT ${limit}`;
  return rowProblems(name, "gift-total-mismatch", rows, limit, (r) => ({
    detail:
      `${r.scope} ${r.ownerId}: running totals ${r.storedWall} gifts on the wall, ${r.storedPub} public, ${r.storedRaised} fen raised; ` +
      `its gifts add up to ${r.wall}, ${r.pub} and ${r.raised} fen`,
  }));
});

/** The giving invariants (gifts booked once, reversals, matching pools, funds never below zero, gift totals), run by `npm run ledger:verify` after the core ones. */
export const givingLedgerChecks: readonly LedgerCheck[] = [foundationBalances, givingPostingsAttributed, donationPostings, donationReversals, matchingPools, giftTotals];

// ─────────────── projects: the running totals of money released and spent ───────────────

/**
 * The projects' running totals (docs/decisions/021), kept by triggers on Tranche, Expense and
 * CallRecord as they move, equal the rows they stand for: per project, the sum and number of its
 * RELEASED tranches, of its APPROVED expenses and of those outside every budget line, and its calls
 * by outcome (ProjectTotal); per project and budget line, of its approved expenses on that line
 * (BudgetLineTotal). A missing total stands for zero. The dashboard, the public project pages and
 * the transparency portal show them, so a total out of step is a wrong figure shown
 * (`project-total-mismatch`, `line-total-mismatch`).
 */
/** What the figures of a project-total-mismatch stand for, in order. */
const PROJECT_TOTAL_FIELDS = "released fen/tranches, spent fen/expenses, off-budget fen/expenses, calls satisfied/partly/not satisfied/unreached/pending";

const projectTotals = defineCheck("project-totals", async ({ tx, limit }, name) => {
  const projects = await tx.$queryRaw<
    { projectId: string; referenceNo: string | null; stored: string; summed: string; matches: bigint }[]
  >`
    WITH released AS (
      SELECT "projectId", sum("amountFen") AS fen, count(*) AS n FROM "Tranche" WHERE status = 'RELEASED' GROUP BY 1
    ), spent AS (
      SELECT "projectId", sum("amountFen") AS fen, count(*) AS n,
             coalesce(sum("amountFen") FILTER (WHERE "budgetLineId" IS NULL), 0) AS off_fen, count(*) FILTER (WHERE "budgetLineId" IS NULL) AS off_n
        FROM "Expense" WHERE status = 'APPROVED' GROUP BY 1
    ), calls AS (
      SELECT s."projectId",
             count(*) FILTER (WHERE r.outcome = 'SATISFIED') AS satisfied, count(*) FILTER (WHERE r.outcome = 'PARTLY') AS partly,
             count(*) FILTER (WHERE r.outcome = 'NOT_SATISFIED') AS not_satisfied, count(*) FILTER (WHERE r.outcome = 'UNREACHED') AS unreached,
             count(*) FILTER (WHERE r.outcome IS NULL) AS pending
        FROM "CallRecord" r JOIN "CallSample" s ON s.id = r."sampleId" GROUP BY 1
    ), summed AS (
      SELECT coalesce(r."projectId", s."projectId", c."projectId") AS "projectId",
             coalesce(r.fen, 0) AS released_fen, coalesce(r.n, 0) AS released_n,
             coalesce(s.fen, 0) AS spent_fen, coalesce(s.n, 0) AS spent_n, coalesce(s.off_fen, 0) AS off_fen, coalesce(s.off_n, 0) AS off_n,
             coalesce(c.satisfied, 0) AS satisfied, coalesce(c.partly, 0) AS partly, coalesce(c.not_satisfied, 0) AS not_satisfied,
             coalesce(c.unreached, 0) AS unreached, coalesce(c.pending, 0) AS pending
        FROM released r
        FULL JOIN spent s ON s."projectId" = r."projectId"
        FULL JOIN calls c ON c."projectId" = coalesce(r."projectId", s."projectId")
    ), compared AS (
      SELECT coalesce(t."projectId", s."projectId") AS "projectId",
             ARRAY[coalesce(t."releasedFen", 0), coalesce(t."releasedTranches", 0), coalesce(t."spentFen", 0), coalesce(t."approvedExpenses", 0),
                   coalesce(t."offBudgetFen", 0), coalesce(t."offBudgetExpenses", 0),
                   coalesce(t."callsSatisfied", 0), coalesce(t."callsPartly", 0), coalesce(t."callsNotSatisfied", 0),
                   coalesce(t."callsUnreached", 0), coalesce(t."callsPending", 0)]::bigint[] AS stored,
             ARRAY[coalesce(s.released_fen, 0), coalesce(s.released_n, 0), coalesce(s.spent_fen, 0), coalesce(s.spent_n, 0),
                   coalesce(s.off_fen, 0), coalesce(s.off_n, 0),
                   coalesce(s.satisfied, 0), coalesce(s.partly, 0), coalesce(s.not_satisfied, 0), coalesce(s.unreached, 0), coalesce(s.pending, 0)]::bigint[] AS summed
        FROM "ProjectTotal" t FULL JOIN summed s ON s."projectId" = t."projectId"
    )
    SELECT c."projectId", p."referenceNo", array_to_string(c.stored, '/') AS stored, array_to_string(c.summed, '/') AS summed, count(*) OVER () AS matches
      FROM compared c LEFT JOIN "Project" p ON p.id = c."projectId"
     WHERE c.stored <> c.summed
     ORDER BY 1
     LIMIT ${limit}`;
  const lines = await tx.$queryRaw<{ projectId: string; budgetLineId: string; referenceNo: string | null; stored: string; summed: string; matches: bigint }[]>`
    WITH summed AS (
      SELECT "projectId", "budgetLineId", sum("amountFen") AS fen, count(*) AS n
        FROM "Expense" WHERE status = 'APPROVED' AND "budgetLineId" IS NOT NULL GROUP BY 1, 2
    )
    SELECT coalesce(t."projectId", s."projectId") AS "projectId", coalesce(t."budgetLineId", s."budgetLineId") AS "budgetLineId", p."referenceNo",
           coalesce(t."spentFen", 0) || '/' || coalesce(t."approvedExpenses", 0) AS stored, coalesce(s.fen, 0) || '/' || coalesce(s.n, 0) AS summed,
           count(*) OVER () AS matches
      FROM "BudgetLineTotal" t
      FULL JOIN summed s ON s."projectId" = t."projectId" AND s."budgetLineId" = t."budgetLineId"
      LEFT JOIN "Project" p ON p.id = coalesce(t."projectId", s."projectId")
     WHERE coalesce(t."spentFen", 0) <> coalesce(s.fen, 0) OR coalesce(t."approvedExpenses", 0) <> coalesce(s.n, 0)
     ORDER BY 1, 2
     LIMIT ${limit}`;
  const project = (r: { projectId: string; referenceNo: string | null }) => (r.referenceNo ? `project ${r.referenceNo} (${r.projectId})` : `project ${r.projectId}`);
  return [
    ...rowProblems(name, "project-total-mismatch", projects, limit, (r) => ({
      detail: `${project(r)}: running totals ${r.stored}; its tranches, expenses and calls give ${r.summed} (${PROJECT_TOTAL_FIELDS})`,
    })),
    ...rowProblems(name, "line-total-mismatch", lines, limit, (r) => ({
      detail: `${project(r)}, budget line ${r.budgetLineId}: running total ${r.stored}; its approved expenses give ${r.summed} (fen/expenses)`,
    })),
  ];
});

/** The projects' invariants, run by `npm run ledger:verify` after the giving ones. */
export const projectLedgerChecks: readonly LedgerCheck[] = [projectTotals];

/** What `verifyLedger` runs by default. Features with their own money invariants add theirs here. */
export const ledgerChecks: readonly LedgerCheck[] = [...coreLedgerChecks, ...givingLedgerChecks, ...projectLedgerChecks];

async function ledgerStats(tx: Tx): Promise<LedgerStats> {
  const [counts] = await tx.$queryRaw<{ transactions: bigint; entries: bigint; accounts: bigint; total: string }[]>`
    SELECT (SELECT count(*) FROM "LedgerTransaction") AS transactions,
           (SELECT count(*) FROM "LedgerEntry") AS entries,
           (SELECT count(*) FROM "LedgerAccount") AS accounts,
           (SELECT coalesce(sum("amountFen"), 0)::text FROM "LedgerEntry") AS total`;
  // per-account balances first, then grouped by kind: a second route to the total above
  const kinds = await tx.$queryRaw<{ kind: string; accounts: bigint; withEntries: bigint; nonZero: bigint; balance: string }[]>`
    WITH balances AS (
      SELECT "accountId", sum("amountFen") AS balance FROM "LedgerEntry" GROUP BY "accountId"
    )
    SELECT a.kind::text AS kind, count(*) AS accounts, count(b."accountId") AS "withEntries",
           count(*) FILTER (WHERE b.balance <> 0) AS "nonZero",
           coalesce(sum(b.balance), 0)::text AS balance
      FROM "LedgerAccount" a LEFT JOIN balances b ON b."accountId" = a.id
     GROUP BY a.kind
     ORDER BY a.kind`;
  return {
    transactions: Number(counts!.transactions),
    entries: Number(counts!.entries),
    accounts: Number(counts!.accounts),
    balances: kinds.reduce((s, k) => s + Number(k.withEntries), 0),
    nonZeroBalances: kinds.reduce((s, k) => s + Number(k.nonZero), 0),
    entriesTotalFen: BigInt(counts!.total),
    totalsByKind: kinds.map((k) => ({
      kind: k.kind,
      accounts: Number(k.accounts),
      accountsWithEntries: Number(k.withEntries),
      balanceFen: BigInt(k.balance),
    })),
  };
}

export interface VerifyLedgerOptions {
  checks?: readonly LedgerCheck[];
  /** problems listed per check (default 100) */
  limit?: number;
}

/** Runs the checks inside the caller's transaction (which should be read-only and repeatable-read). */
export async function verifyLedgerIn(tx: Tx, opts: VerifyLedgerOptions = {}): Promise<LedgerReport> {
  const checks = opts.checks ?? ledgerChecks;
  const limit = opts.limit ?? 100;
  const stats = await ledgerStats(tx);
  const problems: LedgerVerifyProblem[] = [];
  for (const check of checks) problems.push(...(await check.run({ tx, stats, limit })));
  return { ...stats, checks: checks.map((c) => c.name), problems };
}

/**
 * Verifies the whole ledger in one read-only snapshot, so postings committed while it runs
 * cannot make the counts and sums disagree with each other.
 */
export async function verifyLedger(client: Db, opts: VerifyLedgerOptions = {}): Promise<LedgerReport> {
  return client.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      return verifyLedgerIn(tx, opts);
    },
    // a large ledger takes a while to scan; the default 5 s would abort it
    { isolationLevel: "RepeatableRead", timeout: 30 * 60_000, maxWait: 60_000 },
  );
}
