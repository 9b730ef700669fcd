import { ledgerProblems, type EntryInput } from "~/domain/ledger";
import type { Db, Tx } from "~/lib/db.server";
import { Prisma, type LedgerAccountKind } from "~/generated/prisma/client";

export class LedgerError extends Error {
  constructor(public problems: string[]) {
    super(`ledger transaction refused: ${problems.join(", ")}`);
  }
}

export interface AccountSpec {
  code: string;
  kind: LedgerAccountKind;
  nameZh: string;
  nameEn: string;
  foundationId?: string | null;
  ownerId?: string | null;
}

/**
 * Creates the account unless it exists; returns its id. Safe when two requests create the same
 * account at the same instant (INSERT … ON CONFLICT DO NOTHING, then read): Prisma's upsert is a
 * read then a write, and the loser of that race failed on the unique code.
 */
export async function ensureAccount(tx: Tx | Db, spec: AccountSpec): Promise<string> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn", "foundationId", "ownerId", "createdAt")
    VALUES (gen_random_uuid()::text, ${spec.code}, ${spec.kind}::"LedgerAccountKind", ${spec.nameZh}, ${spec.nameEn}, ${spec.foundationId ?? null}, ${spec.ownerId ?? null}, now())
    ON CONFLICT (code) DO NOTHING
    RETURNING id`;
  if (inserted.length) return inserted[0]!.id;
  const existing = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: spec.code }, select: { id: true } });
  return existing.id;
}

export interface PostInput {
  /** the same key posts once, however often the request is repeated */
  idempotencyKey: string;
  kind: string;
  memo: string;
  actorId?: string | null;
  /**
   * When the event the posting records happened (a tranche's payment, a gift's payment): the
   * transaction's effective date, which public pages and exports show. Default: now. `createdAt`
   * always records when the row was written.
   */
  occurredAt?: Date | null;
  entries: EntryInput[];
}

/** A job queued by the statement that posts, only when it posts (graphile-worker's add_job is SQL). */
export interface PostingJob {
  task: string;
  payload: Record<string, unknown>;
  key: string;
}

/** The effective date of a posting as SQL: the event's instant (stored as UTC, as every timestamp column), or now(). */
const occurredAtSql = (at: Date | null | undefined) => (at ? Prisma.sql`${at.toISOString()}::timestamp` : Prisma.sql`now()`);

/**
 * The one SQL that writes ledger entries, as common table expressions for one statement:
 * `posting_rows` (the entries: `code`, `fen`, from `rows`), `posting_t` (the transaction row —
 * none when `rows` is empty or the idempotency key was posted before: ON CONFLICT keeps the
 * caller's transaction usable where a failed INSERT would abort it) and `posting_e` (its entries,
 * one per row whose account exists). postTransaction uses it with entries it has checked; the
 * webhook's match draw with a drawn amount (`sign × fen`) computed in the same statement, under
 * the pool's lock. The database re-checks the balance of every transaction at commit. `name`
 * replaces `posting` in the three names, for a statement that posts twice (the webhook's gift and
 * match in one statement).
 */
export function postingSql(header: Omit<PostInput, "entries">, rows: Prisma.Sql, name = "posting"): Prisma.Sql {
  const [r, t, e] = postingNames(name);
  return Prisma.sql`${r} AS (${rows}), ${t} AS (
      INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "actorId", "occurredAt", "createdAt")
      SELECT gen_random_uuid()::text, ${header.idempotencyKey}::text, ${header.kind}::text, ${header.memo}::text, ${header.actorId ?? null}::text, ${occurredAtSql(header.occurredAt)}, now()
       WHERE EXISTS (SELECT 1 FROM ${r})
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id
    ), ${e} AS (
      INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen", "createdAt")
      SELECT gen_random_uuid()::text, ${t}.id, a.id, r.fen, now()
        FROM ${t} CROSS JOIN ${r} r JOIN "LedgerAccount" a ON a.code = r.code
      RETURNING id
    )`;
}

const postingNames = (name: string) => {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`posting name ${name} is not a plain SQL name`);
  return [Prisma.raw(`${name}_rows`), Prisma.raw(`${name}_t`), Prisma.raw(`${name}_e`)] as const;
};

/** What a statement built with postingSql reports: the new transaction's id (null: none) and how many entries it wrote. */
export const posted = (name = "posting") => {
  const [, t, e] = postingNames(name);
  return Prisma.sql`(SELECT id FROM ${t}) AS "postedId", (SELECT count(*) FROM ${e})::int AS "postedEntries"`;
};
export const POSTED = posted();

/**
 * graphile-worker's add_job for `job`, once per transaction the posting `name` wrote (none when
 * it posted nothing), as a query for a common table expression: a statement must read it (e.g.
 * `(SELECT count(*) FROM j)`) for it to run.
 */
export function postingJobSql(job: PostingJob, name = "posting"): Prisma.Sql {
  const [, t] = postingNames(name);
  return Prisma.sql`SELECT graphile_worker.add_job(${job.task}::text, ${JSON.stringify(job.payload)}::json, max_attempts => 10, job_key => ${job.key}::text) FROM ${t}`;
}

/** Refuses a posting that wrote fewer entries than it had: an account is unknown (the caller's transaction must roll back). */
export async function checkPosted(tx: Tx, posted: { postedId: string | null; postedEntries: number }, codes: readonly string[]) {
  if (!posted.postedId || posted.postedEntries === codes.length) return;
  const known = await tx.ledgerAccount.findMany({ where: { code: { in: [...codes] } }, select: { code: true } });
  const have = new Set(known.map((a) => a.code));
  throw new LedgerError(codes.filter((c) => !have.has(c)).map((c) => `unknown-account:${c}`));
}

/**
 * Posts one balanced transaction inside the caller's database transaction (the state change
 * that causes it commits with it or not at all), in one round trip: the entries are checked
 * first (balanced, integer, in range, distinct accounts); a repeated idempotency key returns the
 * first transaction and posts nothing; an unknown account refuses the whole transaction. `job`,
 * when given, is queued by the same statement when it posts (the donor's receipt, say).
 */
export async function postTransaction(tx: Tx, input: PostInput, job?: PostingJob): Promise<{ transactionId: string; created: boolean }> {
  const problems = ledgerProblems(input.entries);
  if (problems.length) throw new LedgerError(problems);
  const codes = input.entries.map((e) => e.accountCode);
  const fens = input.entries.map((e) => String(e.amountFen));
  const queue = job ? postingJobSql(job) : Prisma.sql`SELECT NULL`;
  const rows = await tx.$queryRaw<{ postedId: string | null; postedEntries: number; existingId: string | null; jobs: number }[]>`
    WITH ${postingSql(input, Prisma.sql`SELECT * FROM unnest(${codes}::text[], ${fens}::bigint[]) AS x(code, fen)`)}, j AS (${queue})
    SELECT ${POSTED}, (SELECT count(*) FROM j)::int AS jobs,
      coalesce((SELECT id FROM posting_t), (SELECT id FROM "LedgerTransaction" WHERE "idempotencyKey" = ${input.idempotencyKey})) AS "existingId"`;
  const r = rows[0]!;
  await checkPosted(tx, r, codes);
  if (r.postedId) return { transactionId: r.postedId, created: true };
  // posted before; or just now by a concurrent request this statement waited for (not in its snapshot)
  const transactionId =
    r.existingId ?? (await tx.ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } })).id;
  return { transactionId, created: false };
}

/**
 * Balance of one account in fen: its running total (LedgerAccountTotal), which the database
 * keeps equal to the sum of its entries in the statement that inserts them; 0 when it has none.
 * Read in the caller's transaction it sees what that transaction posted, and what others
 * committed, exactly as a sum of the entries would.
 */
export async function balanceFen(tx: Tx | Db, accountCode: string): Promise<number> {
  const rows = await tx.$queryRaw<{ sum: bigint | null }[]>`
    SELECT t."balanceFen" AS sum FROM "LedgerAccountTotal" t
    JOIN "LedgerAccount" a ON a.id = t."accountId" WHERE a.code = ${accountCode}`;
  return Number(rows[0]?.sum ?? 0n);
}
