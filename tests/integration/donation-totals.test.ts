import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PrismaClient } from "~/generated/prisma/client";
import { ensureDatabase, migrate, MIGRATIONS_DIR, readMigrations, withDatabase } from "~/lib/migrate.server";
import { db, uid } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidEvents, startGift } from "../support/giving-fixture";

/**
 * Running totals of gifts per foundation and per campaign (DonationTotal; docs/decisions/023):
 * kept by Donation's statement triggers in the statement that changes gifts, whoever changes
 * them; equal at every moment to what the gifts add up to; backfilled by their migration.
 */

beforeAll(() => deliverInProcess());

interface Disagreement {
  scope: string;
  ownerId: string;
  stored: string;
  summed: string;
}

/** Every total of the owners that differs from what their gifts add up to (wall, public, raised). */
async function disagreements(client: PrismaClient, ownerIds: string[]): Promise<Disagreement[]> {
  return client.$queryRaw<Disagreement[]>`
    WITH summed AS (
      SELECT o.scope, o."ownerId",
             count(*) FILTER (WHERE d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND d."paidAt" IS NOT NULL) AS wall,
             count(*) FILTER (WHERE d.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'DISPUTED')) AS pub,
             coalesce(sum(d."amountFen" - d."refundedFen") FILTER (WHERE d."paidAt" IS NOT NULL), 0) AS raised
        FROM "Donation" d CROSS JOIN LATERAL (VALUES ('foundation', d."foundationId"), ('campaign', d."campaignId")) AS o(scope, "ownerId")
       WHERE o."ownerId" = ANY(${ownerIds}::text[])
       GROUP BY 1, 2
    ), stored AS (
      SELECT * FROM "DonationTotal" WHERE "ownerId" = ANY(${ownerIds}::text[])
    )
    SELECT coalesce(t.scope, s.scope) AS scope, coalesce(t."ownerId", s."ownerId") AS "ownerId",
           concat_ws('/', coalesce(t."wallGifts", 0), coalesce(t."publicGifts", 0), coalesce(t."raisedFen", 0)) AS stored,
           concat_ws('/', coalesce(s.wall, 0), coalesce(s.pub, 0), coalesce(s.raised, 0)) AS summed
      FROM stored t FULL JOIN summed s ON s.scope = t.scope AND s."ownerId" = t."ownerId"
     WHERE concat_ws('/', coalesce(t."wallGifts", 0), coalesce(t."publicGifts", 0), coalesce(t."raisedFen", 0))
        <> concat_ws('/', coalesce(s.wall, 0), coalesce(s.pub, 0), coalesce(s.raised, 0))`;
}

const totalsOf = async (ownerId: string) => {
  const rows = await db().donationTotal.findMany({ where: { ownerId }, select: { wallGifts: true, publicGifts: true, raisedFen: true } });
  return rows.map((r) => [r.wallGifts, r.publicGifts, Number(r.raisedFen)]);
};

describe("running totals of gifts", () => {
  it("fold in gifts a script writes by SQL, many in one statement: inserted, updated (paid, refunded, moved to another campaign) and deleted", async () => {
    const f = await givingFoundation();
    const c1 = await givingCampaign(f);
    const c2 = await givingCampaign(f);
    const k = uid();
    // 12 gifts in one statement: every third paid, every fourth partly refunded among those, the rest pending; half under c1
    await db().$executeRaw`
      INSERT INTO "Donation" (id, ref, token, "foundationId", "campaignId", "amountFen", method, email, status, payment, "refundedFen", "paidAt", "updatedAt")
      SELECT ${k} || '-' || i, 'G-' || upper(${k}) || i, ${k} || ':' || i, ${f.foundation.id}, CASE WHEN i % 2 = 0 THEN ${c1.id} END, 1000 * i, 'wechat_pay', 'x@example.org',
             (CASE WHEN i % 3 <> 0 THEN 'PENDING' WHEN i % 4 = 0 THEN 'PARTIALLY_REFUNDED' ELSE 'SUCCEEDED' END)::"DonationStatus", '{}'::jsonb,
             CASE WHEN i % 3 = 0 AND i % 4 = 0 THEN 100 ELSE 0 END, CASE WHEN i % 3 = 0 THEN now() END, now()
        FROM generate_series(1, 12) i`;
    const owners = [f.foundation.id, c1.id, c2.id];
    expect(await disagreements(db(), owners)).toEqual([]);
    // gifts 3, 6, 9, 12 paid (6 and 12 under c1); 12 partly refunded: ¥30,000 − ¥1 raised
    expect(await totalsOf(f.foundation.id)).toEqual([[4, 4, 30_000 - 100]]);
    expect(await totalsOf(c1.id)).toEqual([[2, 2, 18_000 - 100]]);

    // one statement: two pending ones paid, one paid one refunded in full, one moved to c2, one disputed
    await db().$executeRaw`
      UPDATE "Donation" SET
        status = (CASE id WHEN ${k} || '-1' THEN 'SUCCEEDED' WHEN ${k} || '-2' THEN 'SUCCEEDED' WHEN ${k} || '-3' THEN 'REFUNDED' WHEN ${k} || '-9' THEN 'DISPUTED' ELSE status::text END)::"DonationStatus",
        "paidAt" = CASE WHEN id IN (${k} || '-1', ${k} || '-2') THEN now() ELSE "paidAt" END,
        "refundedFen" = CASE WHEN id = ${k} || '-3' THEN "amountFen" ELSE "refundedFen" END,
        "campaignId" = CASE WHEN id = ${k} || '-6' THEN ${c2.id} ELSE "campaignId" END
      WHERE id LIKE ${k} || '-%'`;
    expect(await disagreements(db(), owners)).toEqual([]);
    expect(await totalsOf(c2.id)).toEqual([[1, 1, 6_000]]);

    // an update that changes no figure writes no total; a delete takes its gifts away
    const before = await db().donationTotal.findMany({ where: { ownerId: { in: owners } }, orderBy: [{ scope: "asc" }, { ownerId: "asc" }] });
    await db().$executeRaw`UPDATE "Donation" SET "donorName" = '改名', "updatedAt" = now() WHERE id LIKE ${k} || '-%'`;
    expect(await db().donationTotal.findMany({ where: { ownerId: { in: owners } }, orderBy: [{ scope: "asc" }, { ownerId: "asc" }] })).toEqual(before);
    await db().$executeRaw`DELETE FROM "Donation" WHERE id IN (${k} || '-6', ${k} || '-12')`;
    expect(await disagreements(db(), owners)).toEqual([]);
    expect(await totalsOf(c2.id)).toEqual([[0, 0, 0]]);
    // the rest were written without their ledger postings: taken out again, since the worker's
    // database is shared with files that verify the whole ledger
    await db().$executeRaw`DELETE FROM "Donation" WHERE id LIKE ${k} || '-%'`;
    expect(await disagreements(db(), owners)).toEqual([]);
  });

  it("20 gifts to one foundation and campaign paid at once: no deadlock, totals right", async () => {
    const f = await givingFoundation();
    const c = await givingCampaign(f, { poolYuan: "1000" });
    const gifts = [];
    for (let i = 0; i < 20; i++) gifts.push((await startGift(f.foundation.slug, { amount: String(10 + i) })).donation);
    const results = await Promise.all(gifts.map((d) => deliver(paidEvents(d).events[0]!)));
    expect(results.map((r) => r.status)).toEqual(gifts.map(() => 200));
    expect(await disagreements(db(), [f.foundation.id, c.id])).toEqual([]);
    expect(await totalsOf(c.id)).toEqual([[20, 20, (20 * 10 + 190) * 100]]);
  });
});

describe("the gift totals' migration", () => {
  const name = `cvp_gifttotalsmig_${inject("runId")}_${uid()}`;
  const url = withDatabase(inject("serverUrl"), name);
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  afterAll(async () => {
    fs.rmSync(before, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: withDatabase(inject("serverUrl"), "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("backfills the totals from the gifts there before it", async () => {
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith("_donation_totals"));
    expect(at).toBeGreaterThan(0);
    for (const m of all.slice(0, at)) fs.cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
    await ensureDatabase(withDatabase(inject("serverUrl"), "postgres"), name);
    await migrate(url, { dir: before });

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, path) VALUES ('a', 'a', '区', 'District', 'DISTRICT', '/a/')`);
      await c.query(`INSERT INTO "Foundation" (id, slug, "nameZh", "nameEn", "descriptionZh", "descriptionEn", "areaId") VALUES
        ('f', 'f', '基金', 'Fund', '', '', 'a'), ('quiet', 'quiet', '基金', 'Quiet', '', '', 'a')`);
      await c.query(`INSERT INTO "MatchingCampaign" (id, slug, "foundationId", "titleZh", "titleEn", "descriptionZh", "descriptionEn", "sponsorName", "sponsorKind",
                                                     "ratioSponsor", "ratioDonor", "startsAt", "endsAt", "eligibleProjectIds")
        VALUES ('c', 'c', 'f', '配捐', 'Match', '', '', '民政局', 'GOVERNMENT', 1, 1, now(), now() + interval '1 day', '{}')`);
      await c.query(`INSERT INTO "Donation" (id, ref, token, "foundationId", "campaignId", "amountFen", method, email, status, payment, "refundedFen", "paidAt", "updatedAt") VALUES
        ('d1', 'G-1', 't1', 'f', 'c', 1000, 'card', 'x@example.org', 'SUCCEEDED', '{}', 0, now(), now()),
        ('d2', 'G-2', 't2', 'f', 'c', 2000, 'card', 'x@example.org', 'PARTIALLY_REFUNDED', '{}', 500, now(), now()),
        ('d3', 'G-3', 't3', 'f', NULL, 4000, 'card', 'x@example.org', 'REFUNDED', '{}', 4000, now(), now()),
        ('d4', 'G-4', 't4', 'f', 'c', 8000, 'card', 'x@example.org', 'PENDING', '{}', 0, NULL, now()),
        ('d5', 'G-5', 't5', 'quiet', NULL, 8000, 'card', 'x@example.org', 'FAILED', '{}', 0, NULL, now())`);
      await migrate(url);
      const totals = await c.query(`SELECT scope, "ownerId", "wallGifts" AS wall, "publicGifts" AS pub, "raisedFen"::int AS raised FROM "DonationTotal" ORDER BY 1, 2`);
      expect(totals.rows).toEqual([
        { scope: "campaign", ownerId: "c", wall: 2, pub: 2, raised: 2500 },
        { scope: "foundation", ownerId: "f", wall: 2, pub: 3, raised: 2500 },
      ]);
      // and the trigger keeps them from there
      await c.query(`UPDATE "Donation" SET status = 'SUCCEEDED', "paidAt" = now() WHERE id = 'd4'`);
      const after = await c.query(`SELECT "wallGifts" AS wall, "raisedFen"::int AS raised FROM "DonationTotal" WHERE scope = 'campaign' AND "ownerId" = 'c'`);
      expect(after.rows).toEqual([{ wall: 3, raised: 10_500 }]);
    } finally {
      await c.end();
    }
  });
});
