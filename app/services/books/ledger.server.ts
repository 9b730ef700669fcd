import { ledgerProblems, type EntryInput } from "~/domain/ledger";
import type { Db, Tx } from "~/lib/db.server";
import type { LedgerAccountKind } from "~/generated/prisma/client";

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
  entries: EntryInput[];
}

/**
 * Posts one balanced transaction inside the caller's database transaction (the state change
 * that causes it commits with it or not at all). A repeated idempotency key returns the first
 * transaction and posts nothing. The database re-checks the balance at commit.
 */
export async function postTransaction(tx: Tx, input: PostInput): Promise<{ transactionId: string; created: boolean }> {
  const problems = ledgerProblems(input.entries);
  if (problems.length) throw new LedgerError(problems);
  const existing = await tx.ledgerTransaction.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    select: { id: true },
  });
  if (existing) return { transactionId: existing.id, created: false };

  const codes = input.entries.map((e) => e.accountCode);
  const accounts = await tx.ledgerAccount.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
  const idByCode = new Map(accounts.map((a) => [a.code, a.id]));
  const missing = codes.filter((c) => !idByCode.has(c));
  if (missing.length) throw new LedgerError(missing.map((c) => `unknown-account:${c}`));

  // A concurrent request with the same key loses on the unique index; ON CONFLICT keeps its
  // own transaction usable (a failed INSERT would abort the whole PostgreSQL transaction).
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "actorId", "occurredAt", "createdAt")
    VALUES (gen_random_uuid()::text, ${input.idempotencyKey}, ${input.kind}, ${input.memo}, ${input.actorId ?? null}, now(), now())
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING id`;
  if (!inserted.length) {
    const winner = await tx.ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    return { transactionId: winner.id, created: false };
  }
  const transactionId = inserted[0]!.id;
  await tx.ledgerEntry.createMany({
    data: input.entries.map((e) => ({
      transactionId,
      accountId: idByCode.get(e.accountCode)!,
      amountFen: BigInt(e.amountFen),
    })),
  });
  return { transactionId, created: true };
}

/** Balance of one account in fen: the sum of its entries (never stored). */
export async function balanceFen(tx: Tx | Db, accountCode: string): Promise<number> {
  const rows = await tx.$queryRaw<{ sum: bigint | null }[]>`
    SELECT sum(e."amountFen")::bigint AS sum FROM "LedgerEntry" e
    JOIN "LedgerAccount" a ON a.id = e."accountId" WHERE a.code = ${accountCode}`;
  return Number(rows[0]?.sum ?? 0n);
}

