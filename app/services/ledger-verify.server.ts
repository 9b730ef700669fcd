import { MAX_FEN } from "~/domain/ledger";
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
  const problems = rows.map(
    (r): LedgerVerifyProblem => ({ check: name, kind: "no-entries", transactionId: r.id, detail: `transaction of kind ${r.kind} has no entries` }),
  );
  return withOverflow(name, "no-entries", problems, firstMatches(rows), limit);
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
  const problems = rows.map(
    (r): LedgerVerifyProblem => ({
      check: name,
      kind: "out-of-range",
      entryId: r.id,
      transactionId: r.transactionId,
      detail: `entry of ${r.amount} fen exceeds ±${MAX_FEN}`,
    }),
  );
  return withOverflow(name, "out-of-range", problems, firstMatches(rows), limit);
});

/**
 * Balances are derived, never stored, so "balance = sum of entries" holds by construction;
 * what can be checked is that the derived balances add up: the per-kind totals (computed from
 * per-account balances) and the plain sum of all entries are both zero.
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

export const coreLedgerChecks: readonly LedgerCheck[] = [transactionBalance, transactionsWithoutEntries, danglingEntries, amountRange, totalsAddUp];

/** What `verifyLedger` runs by default. Features with their own money invariants add theirs here. */
export const ledgerChecks: readonly LedgerCheck[] = [...coreLedgerChecks];

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
