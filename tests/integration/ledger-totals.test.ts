import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accountCodes, transfer, type EntryInput } from "~/domain/ledger";
import type { PrismaClient } from "~/generated/prisma/client";
import { ensureDatabase, migrate, MIGRATIONS_DIR, readMigrations, withDatabase } from "~/lib/migrate.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { STRIPE_CLEARING } from "~/services/giving/fulfil.server";
import { foundationLedgerSummary } from "~/services/giving/foundation-pages.server";
import { requestRefund } from "~/services/giving/manage.server";
import { db, uid } from "../support/db";
import { freshDatabase, withTriggersOff } from "../support/fresh-database";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidEvents, paidGift, seededShuffle, startGift } from "../support/giving-fixture";

/**
 * Running totals of the ledger (LedgerAccountTotal, LedgerKindTotal; docs/decisions/019): kept by
 * a trigger in the statement that inserts entries, whoever inserts them; equal at every moment to
 * the sums of the entries; checked by ledger:verify; backfilled by their migration.
 */

beforeAll(() => deliverInProcess());

interface Disagreement {
  accountId: string;
  kind: string | null;
  year: number | null;
  stored: string;
  summed: string;
}

/** Every total of the accounts (per account, and per account × kind × Shanghai year) that differs from the sum or count of its entries. */
async function disagreements(client: PrismaClient, accountIds: string[]): Promise<Disagreement[]> {
  return client.$queryRaw<Disagreement[]>`
    WITH e AS (
      SELECT e."accountId", t.kind, extract(year FROM t."occurredAt" + interval '8 hours')::int AS year, e."amountFen"
        FROM "LedgerEntry" e JOIN "LedgerTransaction" t ON t.id = e."transactionId" WHERE e."accountId" = ANY(${accountIds}::text[])
    ), per_account AS (
      SELECT "accountId", sum("amountFen") AS fen, count(*) AS n FROM e GROUP BY 1
    ), per_kind AS (
      SELECT "accountId", kind, year, sum("amountFen") AS fen, count(*) AS n FROM e GROUP BY 1, 2, 3
    ), account_totals AS (
      SELECT * FROM "LedgerAccountTotal" WHERE "accountId" = ANY(${accountIds}::text[])
    ), kind_totals AS (
      SELECT * FROM "LedgerKindTotal" WHERE "accountId" = ANY(${accountIds}::text[])
    )
    SELECT coalesce(t."accountId", s."accountId") AS "accountId", NULL AS kind, NULL::int AS year,
           coalesce(t."balanceFen", 0) || '/' || coalesce(t.entries, 0) AS stored, coalesce(s.fen, 0) || '/' || coalesce(s.n, 0) AS summed
      FROM account_totals t FULL JOIN per_account s ON s."accountId" = t."accountId"
     WHERE coalesce(t."balanceFen", 0) <> coalesce(s.fen, 0) OR coalesce(t.entries, 0) <> coalesce(s.n, 0)
    UNION ALL
    SELECT coalesce(k."accountId", s."accountId"), coalesce(k.kind, s.kind), coalesce(k.year, s.year),
           coalesce(k."sumFen", 0) || '/' || coalesce(k.entries, 0), coalesce(s.fen, 0) || '/' || coalesce(s.n, 0)
      FROM kind_totals k FULL JOIN per_kind s ON s."accountId" = k."accountId" AND s.kind = k.kind AND s.year = k.year
     WHERE coalesce(k."sumFen", 0) <> coalesce(s.fen, 0) OR coalesce(k.entries, 0) <> coalesce(s.n, 0)`;
}

const idsOf = async (client: PrismaClient, codes: string[]) =>
  (await client.ledgerAccount.findMany({ where: { code: { in: codes } }, select: { id: true } })).map((a) => a.id);

/** Three accounts of a test's own: money comes from `source` into `a` and `b`. */
async function ownAccounts(client: PrismaClient = db()) {
  const s = uid();
  const codes = { source: `external:appropriation:totals-${s}`, a: `foundation:totals-${s}:available`, b: `round:totals-${s}:pool` };
  await ensureAccount(client, { code: codes.source, kind: "EXTERNAL_APPROPRIATION", nameZh: "财政", nameEn: "Government" });
  await ensureAccount(client, { code: codes.a, kind: "FOUNDATION_AVAILABLE", nameZh: "基金", nameEn: "Fund" });
  await ensureAccount(client, { code: codes.b, kind: "ROUND_POOL", nameZh: "资金池", nameEn: "Pool" });
  return codes;
}

const post = (client: PrismaClient, key: string, kind: string, entries: EntryInput[]) =>
  client.$transaction((tx) => postTransaction(tx, { idempotencyKey: key, kind, memo: key, entries }));

describe("running totals", () => {
  it("equal the sums of the entries after postings of several kinds; a repeated key adds nothing", async () => {
    const c = await ownAccounts();
    const k = uid();
    await post(db(), `totals:${k}:1`, "APPROPRIATION", transfer(c.source, c.a, 500_000));
    await post(db(), `totals:${k}:2`, "ROUND_POOL", transfer(c.a, c.b, 120_000));
    await post(db(), `totals:${k}:3`, "ROUND_POOL_RETURN", transfer(c.b, c.a, 20_000));
    await post(db(), `totals:${k}:4`, "MIXED", [
      { accountCode: c.source, amountFen: -7 },
      { accountCode: c.a, amountFen: 4 },
      { accountCode: c.b, amountFen: 3 },
    ]);
    // repeated: posts nothing, so adds nothing
    expect((await post(db(), `totals:${k}:2`, "ROUND_POOL", transfer(c.a, c.b, 120_000))).created).toBe(false);

    expect(await balanceFen(db(), c.a)).toBe(500_000 - 120_000 + 20_000 + 4);
    expect(await balanceFen(db(), c.b)).toBe(100_003);
    expect(await balanceFen(db(), c.source)).toBe(-500_007);
    const [a] = await idsOf(db(), [c.a]);
    const year = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()));
    const kinds = await db().ledgerKindTotal.findMany({ where: { accountId: a }, orderBy: { kind: "asc" } });
    expect(kinds.map((r) => [r.kind, r.year, Number(r.sumFen), r.entries])).toEqual([
      ["APPROPRIATION", year, 500_000, 1],
      ["MIXED", year, 4, 1],
      ["ROUND_POOL", year, -120_000, 1],
      ["ROUND_POOL_RETURN", year, 20_000, 1],
    ]);
    expect(await db().ledgerAccountTotal.findUniqueOrThrow({ where: { accountId: a } })).toMatchObject({ balanceFen: 400_004n, entries: 4 });
    expect(await disagreements(db(), await idsOf(db(), Object.values(c)))).toEqual([]);
  });

  it("fold in entries a script inserts by SQL, many transactions in one statement, by Shanghai year", async () => {
    const c = await ownAccounts();
    const idOf = async (code: string) => (await db().ledgerAccount.findUniqueOrThrow({ where: { code } })).id;
    const [source, a] = [await idOf(c.source), await idOf(c.a)];
    const k = uid();
    // 16:30 UTC on 31 December is already the new year in Shanghai
    await db().$executeRaw`
      WITH spec(n, at) AS (VALUES (1, timestamp '2024-12-31 15:59:00'), (2, timestamp '2024-12-31 16:30:00'), (3, timestamp '2025-06-01 00:00:00')),
      t AS (
        INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "occurredAt")
        SELECT ${k} || '-' || n, ${k} || '-' || n, 'APPROPRIATION', 'bulk', at FROM spec RETURNING id
      )
      INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen")
      SELECT t.id || side, t.id, CASE WHEN side = ':d' THEN ${a} ELSE ${source} END, CASE WHEN side = ':d' THEN 1000 ELSE -1000 END
        FROM t, unnest(ARRAY[':d', ':c']) side`;
    const kinds = await db().ledgerKindTotal.findMany({ where: { accountId: a }, orderBy: { year: "asc" } });
    expect(kinds.map((r) => [r.kind, r.year, Number(r.sumFen), r.entries])).toEqual([
      ["APPROPRIATION", 2024, 1000, 1],
      ["APPROPRIATION", 2025, 2000, 2],
    ]);
    expect(await balanceFen(db(), c.a)).toBe(3000);
    expect(await disagreements(db(), [source, a])).toEqual([]);
  });

  it("follow gifts, a matched gift and its refund (reversal and match return) through the webhook", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "100" });
    await paidGift(f.foundation.slug, { amount: "30" });
    const { donation } = await paidGift(f.foundation.slug, { amount: "50" });
    expect(donation.matchedFen).toBe(5_000);
    expect(await requestRefund(f.manager, f.foundation.slug, donation.ref, { amount: "20", reason: "部分退款" })).toEqual({ ok: true });
    expect(await db().donation.findUniqueOrThrow({ where: { id: donation.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedFen: 2_000 });

    const accounts = await db().ledgerAccount.findMany({ where: { OR: [{ foundationId: f.foundation.id }, { code: STRIPE_CLEARING }] }, select: { id: true } });
    expect(await disagreements(db(), accounts.map((a) => a.id))).toEqual([]);
    const pool = accountCodes.matchingPool(campaign.id);
    // ¥100 in, ¥30 + ¥50 matched, ¥20 of the ¥50 match given back
    expect(await balanceFen(db(), pool)).toBe(10_000 - 3_000 - 5_000 + 2_000);
    const summary = await foundationLedgerSummary(f.foundation.id);
    expect(summary.flows).toMatchObject({ donationsFen: 8_000, refundsFen: -2_000, matchesFen: 8_000, matchReturnsFen: -2_000 });
  });

  it("20 gifts to one foundation paid at once, and 20 postings over the same three accounts in shuffled orders: no deadlock, totals right", async () => {
    const f = await givingFoundation();
    const gifts = [];
    for (let i = 0; i < 20; i++) gifts.push((await startGift(f.foundation.slug, { amount: "10" })).donation);
    const available = accountCodes.foundationAvailable(f.foundation.id);
    const before = await balanceFen(db(), available);
    const results = await Promise.all(gifts.map((d) => deliver(paidEvents(d).events[0]!)));
    expect(results.map((r) => r.status)).toEqual(gifts.map(() => 200));
    expect(await balanceFen(db(), available)).toBe(before + 20 * 1_000);

    const c = await ownAccounts();
    const k = uid();
    const legs: EntryInput[] = [
      { accountCode: c.source, amountFen: -3 },
      { accountCode: c.a, amountFen: 2 },
      { accountCode: c.b, amountFen: 1 },
    ];
    await Promise.all(Array.from({ length: 20 }, (_, i) => post(db(), `totals:${k}:${i}`, "SHUFFLED", seededShuffle(legs, i + 1))));
    expect(await balanceFen(db(), c.a)).toBe(40);
    expect(await balanceFen(db(), c.b)).toBe(20);
    expect(await balanceFen(db(), c.source)).toBe(-60);
    const accounts = await db().ledgerAccount.findMany({ where: { OR: [{ foundationId: f.foundation.id }, { code: { in: [STRIPE_CLEARING, ...Object.values(c)] } }] }, select: { id: true } });
    expect(await disagreements(db(), accounts.map((a) => a.id))).toEqual([]);
  });
});

describe("ledger:verify and the running totals", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let ids: Record<string, string>;
  beforeAll(async () => {
    fresh = await freshDatabase("totals");
    const c = await ownAccounts(fresh.client);
    await post(fresh.client, "t1", "APPROPRIATION", transfer(c.source, c.a, 1_000));
    await post(fresh.client, "t2", "ROUND_POOL", transfer(c.a, c.b, 400));
    ids = Object.fromEntries((await fresh.client.ledgerAccount.findMany({ select: { code: true, id: true } })).map((a) => [a.code, a.id]));
    ids = { source: ids[c.source]!, a: ids[c.a]!, b: ids[c.b]! };
  });
  afterAll(() => fresh?.drop());

  it("finds nothing wrong with totals the trigger kept", async () => {
    expect((await verifyLedger(fresh.client)).problems).toEqual([]);
  });

  it("reports a total changed behind the ledger's back, and entries inserted with the triggers off", async () => {
    await fresh.client.$executeRaw`UPDATE "LedgerAccountTotal" SET "balanceFen" = "balanceFen" + 1 WHERE "accountId" = ${ids.a}`;
    await fresh.client.$executeRaw`UPDATE "LedgerKindTotal" SET entries = entries + 1 WHERE "accountId" = ${ids.b}`;
    await withTriggersOff(fresh.url, { LedgerEntry: "USER" }, async (c) => {
      await c.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo) VALUES ('t-hidden', 't-hidden', 'APPROPRIATION', 'x')`);
      await c.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES ('e-h1', 't-hidden', $1, -50), ('e-h2', 't-hidden', $2, 50)`, [ids.source, ids.b]);
    });
    const problems = (await verifyLedger(fresh.client)).problems.filter((p) => p.check === "running-totals");
    const of = (kind: string) => problems.filter((p) => p.kind === kind).map((p) => [p.accountId, p.detail]);
    expect(of("account-total-mismatch")).toEqual(
      [
        [ids.a, expect.stringMatching(/running total 601 fen over 2 entries; its entries sum to 600 fen over 2$/)],
        [ids.b, expect.stringMatching(/running total 400 fen over 1 entries; its entries sum to 450 fen over 2$/)],
        [ids.source, expect.stringMatching(/running total -1000 fen over 1 entries; its entries sum to -1050 fen over 2$/)],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(of("kind-total-mismatch")).toEqual(
      [
        [ids.b, expect.stringMatching(/APPROPRIATION in \d{4}: running total 0 fen over 0 entries; its entries sum to 50 fen over 1$/)],
        [ids.b, expect.stringMatching(/ROUND_POOL in \d{4}: running total 400 fen over 2 entries; its entries sum to 400 fen over 1$/)],
        [ids.source, expect.stringMatching(/APPROPRIATION in \d{4}: running total -1000 fen over 1 entries; its entries sum to -1050 fen over 2$/)],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });
});

describe("the running totals' migration", () => {
  const name = `cvp_totalsmig_${inject("runId")}_${uid()}`;
  const url = withDatabase(inject("serverUrl"), name);
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  afterAll(async () => {
    fs.rmSync(before, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: withDatabase(inject("serverUrl"), "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("backfills the totals from the entries posted before it", async () => {
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith("_ledger_running_totals"));
    expect(at).toBeGreaterThan(0);
    for (const m of all.slice(0, at)) fs.cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
    await ensureDatabase(withDatabase(inject("serverUrl"), "postgres"), name);
    await migrate(url, { dir: before });

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`INSERT INTO "LedgerAccount" (id, code, kind, "nameZh", "nameEn") VALUES
        ('s', 'external:appropriation:x', 'EXTERNAL_APPROPRIATION', '财政', 'Gov'), ('a', 'foundation:x:available', 'FOUNDATION_AVAILABLE', '基金', 'Fund'),
        ('idle', 'foundation:y:available', 'FOUNDATION_AVAILABLE', '基金', 'Idle')`);
      await c.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "occurredAt") VALUES
        ('t1', 't1', 'APPROPRIATION', 'x', '2025-03-01'), ('t2', 't2', 'APPROPRIATION', 'x', '2026-03-01'), ('t3', 't3', 'DONATION', 'x', '2026-03-02')`);
      await c.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES
        ('e1', 't1', 'a', 100), ('e2', 't1', 's', -100), ('e3', 't2', 'a', 20), ('e4', 't2', 's', -20), ('e5', 't3', 'a', 3), ('e6', 't3', 's', -3)`);
      await migrate(url);
      const accounts = await c.query(`SELECT "accountId", "balanceFen"::int AS fen, entries FROM "LedgerAccountTotal" ORDER BY 1`);
      expect(accounts.rows).toEqual([
        { accountId: "a", fen: 123, entries: 3 },
        { accountId: "s", fen: -123, entries: 3 },
      ]);
      const kinds = await c.query(`SELECT kind, year, "sumFen"::int AS fen, entries FROM "LedgerKindTotal" WHERE "accountId" = 'a' ORDER BY 1, 2`);
      expect(kinds.rows).toEqual([
        { kind: "APPROPRIATION", year: 2025, fen: 100, entries: 1 },
        { kind: "APPROPRIATION", year: 2026, fen: 20, entries: 1 },
        { kind: "DONATION", year: 2026, fen: 3, entries: 1 },
      ]);
      // and the trigger keeps them from then on
      await c.query(`BEGIN`);
      await c.query(`INSERT INTO "LedgerTransaction" (id, "idempotencyKey", kind, memo, "occurredAt") VALUES ('t4', 't4', 'DONATION', 'x', '2026-03-03')`);
      await c.query(`INSERT INTO "LedgerEntry" (id, "transactionId", "accountId", "amountFen") VALUES ('e7', 't4', 'a', 7), ('e8', 't4', 's', -7)`);
      await c.query(`COMMIT`);
      const after = await c.query(`SELECT "balanceFen"::int AS fen, entries FROM "LedgerAccountTotal" WHERE "accountId" = 'a'`);
      expect(after.rows).toEqual([{ fen: 130, entries: 4 }]);
    } finally {
      await c.end();
    }
  });
});
