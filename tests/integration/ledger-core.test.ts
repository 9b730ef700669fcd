import { describe, expect, it } from "vitest";
import { db, uid } from "../support/db";
import { ensureAccount, LedgerError, postTransaction, balanceFen } from "~/services/books/ledger.server";
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

  it("refuses a transaction to an unknown account, naming it, and writes nothing", async () => {
    const { a } = await twoAccounts();
    const missing = `test:${uid()}:missing`;
    const key = `k-${uid()}`;
    const refused = db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries: transfer(a, missing, 100) }));
    await expect(refused).rejects.toBeInstanceOf(LedgerError);
    await expect(refused).rejects.toMatchObject({ problems: [`unknown-account:${missing}`] });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: key } })).toBe(0);
    expect(await balanceFen(db(), a)).toBe(0);
  });

  it("refuses unbalanced entries before writing anything", async () => {
    const { a, b } = await twoAccounts();
    const key = `k-${uid()}`;
    const entries = [{ accountCode: a, amountFen: -100 }, { accountCode: b, amountFen: 99 }];
    await expect(db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries }))).rejects.toMatchObject({ problems: ["unbalanced"] });
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: key } })).toBe(0);
  });

  it("the same key posted at the same instant by many requests: one transaction, every caller told its id", async () => {
    const { a, b } = await twoAccounts();
    const key = `k-${uid()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => db().$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries: transfer(a, b, 7) }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.transactionId)).size).toBe(1);
    expect(await balanceFen(db(), b)).toBe(7);
  });

  it("queues the job it is given only when it posts", async () => {
    const { a, b } = await twoAccounts();
    const key = `k-${uid()}`;
    const jobKey = `test-job:${uid()}`;
    const post = () =>
      db().$transaction((tx) =>
        postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: "m", entries: transfer(a, b, 5) }, { task: "test_task", payload: { x: 1 }, key: jobKey }),
      );
    await post();
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1 WHERE key = ${jobKey}`;
    await post();
    const jobs = await db().$queryRaw<{ attempts: number }[]>`SELECT attempts FROM graphile_worker._private_jobs WHERE key = ${jobKey}`;
    // the repeat did not queue it again (a re-added job key would be reset to 0 attempts)
    expect(jobs).toEqual([{ attempts: 1 }]);
  });
});
