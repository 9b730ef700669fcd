import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PrismaClient } from "~/generated/prisma/client";
import { withDatabase } from "~/lib/migrate.server";
import { MAX_FEN, transfer } from "~/domain/ledger";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { coreLedgerChecks, defineCheck, ledgerChecks, verifyLedger, type LedgerReport } from "~/services/books/ledger-verify.server";
import { db, uid } from "../support/db";
import { freshDatabase as freshDb, withTriggersOff } from "../support/fresh-database";
import { runScript } from "../support/run-script";

const freshDatabase = () => freshDb("ledgerverify");

/**
 * Runs SQL with the append-only and balance triggers off, then restores them. ALL on entries:
 * a dangling account id needs the foreign-key triggers off too.
 */
const tamper = (url: string, fn: (c: pg.Client) => Promise<void>) =>
  withTriggersOff(url, { LedgerEntry: "ALL", LedgerTransaction: "USER" }, fn);


type Fresh = Awaited<ReturnType<typeof freshDatabase>>;

async function seedLedger(client: PrismaClient) {
  const codes = {
    gov: "external:appropriation:gov",
    stripe: "external:clearing:stripe",
    foundation: "foundation:f1:available",
    pool: "round:r1:pool",
    award: "award:a1:committed",
  };
  await ensureAccount(client, { code: codes.gov, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
  await ensureAccount(client, { code: codes.stripe, kind: "EXTERNAL_CLEARING", nameZh: "清算", nameEn: "Clearing" });
  await ensureAccount(client, { code: codes.foundation, kind: "FOUNDATION_AVAILABLE", nameZh: "基金", nameEn: "Foundation" });
  await ensureAccount(client, { code: codes.pool, kind: "ROUND_POOL", nameZh: "资金池", nameEn: "Pool" });
  await ensureAccount(client, { code: codes.award, kind: "AWARD_COMMITTED", nameZh: "资助", nameEn: "Award" });
  await ensureAccount(client, { code: "award:unused:paid", kind: "GRANTEE_PAID", nameZh: "未用", nameEn: "Unused" });
  const post = (key: string, entries: ReturnType<typeof transfer>) =>
    client.$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind: "TEST", memo: key, entries }));
  const t1 = await post("appropriation", transfer(codes.gov, codes.foundation, 5_000_000));
  await post("donation", transfer(codes.stripe, codes.foundation, 12_345));
  await post("fund-round", transfer(codes.foundation, codes.pool, 3_000_000));
  await post("award", [
    { accountCode: codes.pool, amountFen: -1_500_000 },
    { accountCode: codes.award, amountFen: 1_000_000 },
    { accountCode: codes.foundation, amountFen: 500_000 },
  ]);
  const ids = Object.fromEntries(
    (await client.ledgerAccount.findMany({ select: { code: true, id: true } })).map((a) => [a.code, a.id]),
  ) as Record<string, string>;
  return { codes, ids, firstTransactionId: t1.transactionId };
}

describe("verifyLedger", () => {
  let clean: Fresh;
  let bad: Fresh;
  let badReport: LedgerReport;
  const ghostAccount = "00000000-0000-4000-8000-00000000dead";
  let tampered: { unbalanced: string; empty: string; zeros: string; dup: string; dangling: string; huge: string; single: string };

  beforeAll(async () => {
    [clean, bad] = await Promise.all([freshDatabase(), freshDatabase()]);
    await seedLedger(clean.client);
    const { ids, codes, firstTransactionId } = await seedLedger(bad.client);
    const a = ids[codes.foundation]!;
    const b = ids[codes.pool]!;
    tampered = {
      unbalanced: firstTransactionId,
      empty: "tx-empty",
      zeros: "tx-zeros",
      dup: "tx-dup",
      dangling: "tx-dangling",
      huge: "tx-huge",
      single: "tx-single",
    };
    await tamper(bad.url, async (c) => {
      // an entry of a posted transaction edited after the fact
      await c.query(`UPDATE "LedgerEntry" SET "amountFen" = "amountFen" + 1 WHERE id = (SELECT id FROM "LedgerEntry" WHERE "transactionId" = $1 AND "amountFen" > 0)`, [firstTransactionId]);
      const tx = (id: string) => c.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo) VALUES ($1, $1, 'TAMPER', 'x')`, [id]);
      const entry = (id: string, t: string, acc: string, fen: bigint | number) =>
        c.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES ($1, $2, $3, $4)`, [id, t, acc, String(fen)]);
      await tx(tampered.empty);
      await tx(tampered.zeros);
      await entry("e-zero-1", tampered.zeros, a, 0);
      await entry("e-zero-2", tampered.zeros, b, 0);
      await tx(tampered.dup);
      await entry("e-dup-1", tampered.dup, a, 700);
      await entry("e-dup-2", tampered.dup, a, -700);
      await tx(tampered.dangling);
      await entry("e-dangling-1", tampered.dangling, ghostAccount, 500);
      await entry("e-dangling-2", tampered.dangling, b, -500);
      await tx(tampered.huge);
      await entry("e-huge-1", tampered.huge, a, BigInt(MAX_FEN) + 1n);
      await entry("e-huge-2", tampered.huge, b, -(BigInt(MAX_FEN) + 1n));
      await tx(tampered.single);
      await entry("e-single", tampered.single, b, 42);
    });
    badReport = await verifyLedger(bad.client);
  });

  afterAll(async () => {
    await Promise.all([clean?.drop(), bad?.drop()]);
  });

  it("proves a clean ledger sound and counts it", async () => {
    const report = await verifyLedger(clean.client);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ transactions: 4, entries: 9, accounts: 6, balances: 5, nonZeroBalances: 5, entriesTotalFen: 0n });
    expect(report.checks).toEqual(ledgerChecks.map((c) => c.name));
    const byKind = Object.fromEntries(report.totalsByKind.map((k) => [k.kind, k]));
    expect(byKind.FOUNDATION_AVAILABLE).toMatchObject({ accounts: 1, accountsWithEntries: 1, balanceFen: 5_000_000n + 12_345n - 3_000_000n + 500_000n });
    expect(byKind.ROUND_POOL?.balanceFen).toBe(1_500_000n);
    expect(byKind.AWARD_COMMITTED?.balanceFen).toBe(1_000_000n);
    expect(byKind.GRANTEE_PAID).toMatchObject({ accounts: 1, accountsWithEntries: 0, balanceFen: 0n });
    expect(byKind.EXTERNAL_APPROPRIATION?.balanceFen).toBe(-5_000_000n);
    expect(report.totalsByKind.reduce((s, k) => s + k.balanceFen, 0n)).toBe(0n);
  });

  it("the worker's shared database, written by every other test, verifies too", async () => {
    const report = await verifyLedger(db());
    expect(report.problems).toEqual([]);
  });

  it("reports an entry edited after posting as an unbalanced transaction", () => {
    expect(badReport.problems).toContainEqual(expect.objectContaining({ kind: "unbalanced", transactionId: tampered.unbalanced, detail: "entries sum to 1 fen, not 0" }));
  });

  it("reports a transaction without entries", () => {
    expect(badReport.problems).toContainEqual(expect.objectContaining({ check: "transactions-without-entries", kind: "no-entries", transactionId: tampered.empty }));
  });

  it("reports zero entries, a lone entry and a repeated account", () => {
    const of = (t: string) => badReport.problems.filter((p) => p.transactionId === t).map((p) => p.kind).sort();
    expect(of(tampered.zeros)).toEqual(["zero-amount"]);
    expect(of(tampered.single)).toEqual(["too-few-entries", "unbalanced"]);
    expect(of(tampered.dup)).toEqual(["duplicate-account"]);
  });

  it("reports an entry pointing to a missing account, and the totals it throws off", () => {
    expect(badReport.problems).toContainEqual(
      expect.objectContaining({ check: "dangling-entries", kind: "missing-account", entryId: "e-dangling-1", accountId: ghostAccount }),
    );
    // the orphan's 500 fen is in the sum of entries but in no account's balance
    expect(badReport.problems).toContainEqual(expect.objectContaining({ kind: "kind-totals-nonzero" }));
  });

  it("reports amounts out of range and the ledger-wide imbalance", () => {
    expect(badReport.problems.filter((p) => p.kind === "out-of-range").map((p) => p.entryId).sort()).toEqual(["e-huge-1", "e-huge-2"]);
    // +1 (edited entry) + 42 (lone entry)
    expect(badReport.entriesTotalFen).toBe(43n);
    expect(badReport.problems).toContainEqual(expect.objectContaining({ kind: "ledger-total-nonzero", detail: "all entries sum to 43 fen, not 0" }));
  });

  it("reports nothing more than what was tampered with", () => {
    const touched = new Set(Object.values(tampered));
    for (const p of badReport.problems) if (p.transactionId) expect(touched).toContain(p.transactionId);
  });

  it("the triggers are back on after tampering", async () => {
    await expect(bad.client.$executeRawUnsafe(`DELETE FROM "LedgerEntry" WHERE id = 'e-single'`)).rejects.toThrow(/append-only/);
  });

  it("lists at most `limit` problems per check and says how many more", async () => {
    const report = await verifyLedger(bad.client, { limit: 2 });
    const balance = report.problems.filter((p) => p.check === "transaction-balance");
    expect(balance.at(-1)).toMatchObject({ kind: "transaction-balance", detail: "2 more not listed (4 in all)" });
  });

  it("runs checks added by later features in the same report", async () => {
    const noNegativeFoundation = defineCheck("foundation-not-negative", async ({ tx }, name) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT a.id FROM "LedgerAccount" a JOIN "LedgerEntry" e ON e."accountId" = a.id
         WHERE a.kind = 'FOUNDATION_AVAILABLE' GROUP BY a.id HAVING sum(e."amountFen") < 0`;
      return rows.map((r) => ({ check: name, kind: "negative-balance", accountId: r.id, detail: "below zero" }));
    });
    const report = await verifyLedger(clean.client, { checks: [...coreLedgerChecks, noNegativeFoundation] });
    expect(report.checks.at(-1)).toBe("foundation-not-negative");
    expect(report.problems).toEqual([]);
  });

  it("reads in a read-only transaction", async () => {
    const writing = defineCheck("tries-to-write", async ({ tx }) => {
      await tx.$executeRawUnsafe(`INSERT INTO "RateLimitBucket" (key, count, "windowStart") VALUES ('x', 1, now())`);
      return [];
    });
    await expect(verifyLedger(clean.client, { checks: [writing] })).rejects.toThrow(/read-only/);
  });
});

describe("npm run ledger:verify", () => {
  let bad: Fresh;
  beforeAll(async () => {
    bad = await freshDatabase();
    const { ids, codes } = await seedLedger(bad.client);
    await tamper(bad.url, async (c) => {
      await c.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo) VALUES ('tx-bad', 'tx-bad', 'TAMPER', 'x')`);
      await c.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES ('e-bad', 'tx-bad', $1, 99)`, [ids[codes.pool]]);
    });
  });
  afterAll(() => bad?.drop());

  it("exits 0 and says OK on a sound ledger", async () => {
    const run = await runScript("scripts/ledger-verify.ts", process.env.DATABASE_URL!);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/OK: the ledger balances/);
    expect(run.code).toBe(0);
  });

  it("exits 1 and lists the problems of a tampered ledger", async () => {
    const run = await runScript("scripts/ledger-verify.ts", bad.url);
    expect(run.stdout).toMatch(/FAILED: \d+ problem/);
    expect(run.stdout).toMatch(/too-few-entries: .*transaction tx-bad/);
    expect(run.code).toBe(1);
  });

  it("prints the report as JSON with --json", async () => {
    const run = await runScript("scripts/ledger-verify.ts", bad.url, ["--json"]);
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { transactions: number; problems: { kind: string }[] };
    expect(report.transactions).toBe(5);
    expect(report.problems.map((p) => p.kind)).toContain("unbalanced");
    expect(run.code).toBe(1);
  });

  it("exits 2 when there is no database to verify", async () => {
    const url = withDatabase(inject("serverUrl"), `cvp_missing_${uid()}`);
    const run = await runScript("scripts/ledger-verify.ts", url);
    expect(run.code).toBe(2);
  });
});
