import { describe, expect, it } from "vitest";
import { db, uid } from "../support/db";
import { ensureAccount, postTransaction, balanceFen } from "~/services/books/ledger.server";
import { transfer } from "~/domain/ledger";

async function twoAccounts() {
  const a = `test:${uid()}:a`;
  const b = `test:${uid()}:b`;
  await ensureAccount(db(), { code: a, kind: "EXTERNAL_APPROPRIATION", nameZh: "A", nameEn: "A" });
  await ensureAccount(db(), { code: b, kind: "FOUNDATION_AVAILABLE", nameZh: "B", nameEn: "B" });
  return { a, b };
}

describe("ledger core on PostgreSQL", () => {
  it("creates an account once when many requests ensure it at the same instant", async () => {
    const code = `test:race:${uid()}`;
    const ids = await Promise.all(Array.from({ length: 10 }, () => ensureAccount(db(), { code, kind: "EXTERNAL_CLEARING", nameZh: "清算", nameEn: "Clearing" })));
    expect(new Set(ids).size).toBe(1);
    expect(await db().ledgerAccount.count({ where: { code } })).toBe(1);
  });

  it("posts a balanced transaction once per idempotency key", async () => {
    const { a, b } = await twoAccounts();
    const key = `k-${uid()}`;
    const first = await db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries: transfer(a, b, 12_345) }));
    const again = await db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries: transfer(a, b, 12_345) }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ transactionId: first.transactionId, created: false });
    expect(await balanceFen(db(), b)).toBe(12_345);
    expect(await balanceFen(db(), a)).toBe(-12_345);
  });

  it("the database refuses UPDATE and DELETE of ledger rows", async () => {
    const { a, b } = await twoAccounts();
    await db().$transaction((tx) => postTransaction(tx, { idempotencyKey: `k-${uid()}`, kind: "TEST", memo: "m", entries: transfer(a, b, 100) }));
    await expect(db().$executeRawUnsafe(`UPDATE "LedgerEntry" SET "amountFen" = 1`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "LedgerTransaction"`)).rejects.toThrow(/append-only/);
  });

  it("the database refuses an unbalanced transaction at commit", async () => {
    const { a } = await twoAccounts();
    const acc = await db().ledgerAccount.findUniqueOrThrow({ where: { code: a } });
    await expect(
      db().$transaction(async (tx) => {
        const t = await tx.ledgerTransaction.create({ data: { idempotencyKey: `raw-${uid()}`, kind: "BAD", memo: "x" } });
        await tx.ledgerEntry.create({ data: { transactionId: t.id, accountId: acc.id, amountFen: 5n } });
      }),
    ).rejects.toThrow(/does not balance/);
  });
});
