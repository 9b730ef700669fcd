import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "~/generated/prisma/client";
import { auditHash, GENESIS_HASH } from "~/domain/audit-chain";
import { audit } from "~/services/books/audit.server";
import { parseAnchor, verifyAudit } from "~/services/books/audit-verify.server";
import { db, uid } from "../support/db";
import { freshDatabase as freshDb, withTriggersOff } from "../support/fresh-database";
import { runScript } from "../support/run-script";

const freshDatabase = () => freshDb("audit");
type Fresh = Awaited<ReturnType<typeof freshDatabase>>;

/** Runs SQL with the AuditLog guard triggers off, then turns them back on. */
const tamper = (url: string, sql: string, params: unknown[] = []) =>
  withTriggersOff(url, { AuditLog: "USER" }, (c) => c.query(sql, params));

/** Writes n records the way the app does; returns them in seq order. */
async function writeRecords(client: PrismaClient, n: number) {
  for (let i = 1; i <= n; i++) {
    await client.$transaction((tx) =>
      audit(tx, {
        actorId: i % 2 ? null : `user-${i}`,
        action: "proposal.update",
        objectType: "Proposal",
        objectId: `p-${i}`,
        before: { status: "DRAFT", budgetFen: 1_000_000n, at: new Date("2026-01-02T03:04:05.678Z") },
        after: { status: "SUBMITTED", budgetFen: BigInt(1_000_000 + i), lines: [{ item: "场地", fen: 500 }], note: undefined },
      }),
    );
  }
  return client.auditLog.findMany({ orderBy: { seq: "asc" } });
}


describe("audit log on PostgreSQL", () => {
  it("20 concurrent transactions each append one record and the chain stays valid", async () => {
    const tag = `conc-${uid()}`;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db().$transaction((tx) => audit(tx, { actorId: null, action: "test.concurrent", objectType: "Test", objectId: `${tag}-${i}`, after: { i } }), {
          // 20 transactions queue for 10 pooled connections and for the chain lock
          maxWait: 20_000,
          timeout: 20_000,
        }),
      ),
    );
    const mine = await db().auditLog.findMany({ where: { objectId: { startsWith: tag } }, orderBy: { seq: "asc" } });
    expect(mine).toHaveLength(20);
    // no fork: every record names a different predecessor
    const allPrev = await db().auditLog.groupBy({ by: ["prevHash"], _count: true, having: { prevHash: { _count: { gt: 1 } } } });
    expect(allPrev).toEqual([]);

    const report = await verifyAudit(db());
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(await db().auditLog.count());
    const last = await db().auditLog.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(report).toMatchObject({ headSeq: last.seq.toString(), headHash: last.hash });
  });

  it("the same result streaming in small batches as in one", async () => {
    const whole = await verifyAudit(db(), { batchSize: 100_000 });
    const batched = await verifyAudit(db(), { batchSize: 3 });
    expect(batched).toEqual(whole);
  });

  it("records written by audit() re-hash to their stored hash, Dates and bigints included", async () => {
    const objectId = `rehash-${uid()}`;
    await db().$transaction((tx) =>
      audit(tx, { actorId: null, action: "t", objectType: "T", objectId, before: null, after: { fen: 12n, when: new Date("2026-05-06T07:08:09.010Z") } }),
    );
    const row = await db().auditLog.findFirstOrThrow({ where: { objectId } });
    expect(row.after).toEqual({ fen: "12", when: "2026-05-06T07:08:09.010Z" });
    const content = { at: row.at.toISOString(), actorId: null, action: "t", objectType: "T", objectId, before: null, after: row.after, requestId: null };
    expect(auditHash(row.prevHash, content)).toBe(row.hash);
  });
});

describe("audit log tampering", () => {
  let guarded: Fresh;
  let edited: Fresh;
  let removed: Fresh;
  let truncated: Fresh;
  let emptyReport: Awaited<ReturnType<typeof verifyAudit>>;

  beforeAll(async () => {
    [guarded, edited, removed, truncated] = await Promise.all([freshDatabase(), freshDatabase(), freshDatabase(), freshDatabase()]);
    emptyReport = await verifyAudit(guarded.client);
    await Promise.all([writeRecords(guarded.client, 3), writeRecords(edited.client, 5), writeRecords(removed.client, 5), writeRecords(truncated.client, 5)]);
  });
  afterAll(async () => {
    await Promise.all([guarded, edited, removed, truncated].map((f) => f?.drop()));
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE of the audit log", async () => {
    const c = guarded.client;
    await expect(c.$executeRawUnsafe(`UPDATE "AuditLog" SET action = 'x'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(c.$executeRawUnsafe(`DELETE FROM "AuditLog" WHERE seq = 2`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(c.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await c.auditLog.count()).toBe(3);
    expect((await verifyAudit(c)).problems).toEqual([]);
  });

  it("an empty log verifies, with the genesis hash as its head", () => {
    expect(emptyReport).toEqual({ records: 0, headHash: GENESIS_HASH, headSeq: null, problems: [], problemsNotListed: 0 });
  });

  it("detects a record whose `after` JSON was edited", async () => {
    const rows = await edited.client.auditLog.findMany({ orderBy: { seq: "asc" } });
    expect((await verifyAudit(edited.client)).problems).toEqual([]);
    await tamper(edited.url, `UPDATE "AuditLog" SET "after" = jsonb_set("after", '{status}', '"REJECTED"') WHERE seq = $1`, [rows[2]!.seq]);
    const report = await verifyAudit(edited.client, { batchSize: 2 });
    expect(report.problems).toEqual([{ seq: rows[2]!.seq.toString(), kind: "content-changed" }]);
    expect(report.records).toBe(5);
    // the guard is back on
    await expect(edited.client.$executeRawUnsafe(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
  });

  it("detects a deleted middle record", async () => {
    const rows = await removed.client.auditLog.findMany({ orderBy: { seq: "asc" } });
    await tamper(removed.url, `DELETE FROM "AuditLog" WHERE seq = $1`, [rows[2]!.seq]);
    const report = await verifyAudit(removed.client, { batchSize: 2 });
    expect(report.problems).toEqual([{ seq: rows[3]!.seq.toString(), kind: "broken-link", expectedPrev: rows[1]!.hash }]);
    expect(report.records).toBe(4);
  });

  it("a cut-off tail leaves a valid chain; only a published head (anchor) reveals it", async () => {
    const rows = await truncated.client.auditLog.findMany({ orderBy: { seq: "asc" } });
    const before = await verifyAudit(truncated.client);
    const published = parseAnchor(`${before.headSeq}:${before.headHash}`);
    expect(published).toEqual({ seq: rows[4]!.seq.toString(), hash: rows[4]!.hash });

    await tamper(truncated.url, `DELETE FROM "AuditLog" WHERE seq >= $1`, [rows[3]!.seq]);
    const plain = await verifyAudit(truncated.client);
    expect(plain.problems).toEqual([]);
    expect(plain.headHash).toBe(rows[2]!.hash);

    const anchored = await verifyAudit(truncated.client, { anchors: [published] });
    expect(anchored.problems).toEqual([{ seq: published.seq, kind: "anchor-missing", expectedHash: published.hash }]);
  });

  it("npm run audit:verify exits 0 and prints the head on an intact log, 1 on a tampered one", async () => {
    const ok = await runScript("scripts/audit-verify.ts", process.env.DATABASE_URL!, ["--batch", "7"]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/head hash: [0-9a-f]{64}/);
    expect(ok.stdout).toMatch(/OK: the audit chain is intact/);
    expect(ok.code).toBe(0);

    const bad = await runScript("scripts/audit-verify.ts", removed.url);
    expect(bad.stdout).toMatch(/FAILED: 1 problem/);
    expect(bad.stdout).toMatch(/broken-link/);
    expect(bad.code).toBe(1);
  });

  it("npm run audit:verify -- --anchor catches the truncation", async () => {
    const head = await truncated.client.auditLog.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const ok = await runScript("scripts/audit-verify.ts", truncated.url, ["--anchor", `${head.seq}:${head.hash}`]);
    expect(ok.code).toBe(0);
    const missing = await runScript("scripts/audit-verify.ts", truncated.url, ["--anchor", `${head.seq + 10n}:${"b".repeat(64)}`]);
    expect(missing.stdout).toMatch(/anchor-missing/);
    expect(missing.code).toBe(1);
  });
});
