import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as exportLoader } from "~/routes/admin.exports.$file";
import { exportDataset } from "~/services/exports/exports.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";
import { foundationManager, givingFoundation } from "../support/giving-fixture";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";
import { signedInRequest } from "../support/requests";

type Actor = Parameters<typeof exportDataset>[0];

/** The export as rows of text (the header row first): the CSV parsed, or the XLSX read back with exceljs. */
async function table(res: Response): Promise<string[][]> {
  if (res.headers.get("content-type")!.startsWith("text/csv")) {
    const bytes = Buffer.from(await res.arrayBuffer());
    // a UTF-8 byte-order mark first, so Excel reads the Chinese as UTF-8
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes.toString("utf8"), { bom: true }) as string[][];
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  const columns = sheet.columnCount;
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let i = 1; i <= columns; i++) {
      const v = row.getCell(i).value;
      cells.push(v === null || v === undefined ? "" : String(v));
    }
    rows.push(cells);
  });
  return rows;
}

const run = async (actor: Actor, file: string, query: Record<string, string> = {}, options: Parameters<typeof exportDataset>[4] = {}) =>
  table(await exportDataset(actor, file, new URLSearchParams(query), "zh-CN", options));

/** The rows without the header, column `i` of each. */
const column = (rows: string[][], i: number) => rows.slice(1).map((r) => r[i]!);

async function lastAudit(actorId: string, action: string) {
  return db().auditLog.findFirst({ where: { actorId, action }, orderBy: { seq: "desc" } });
}

let f: ProjectFixture;
/** a word in every need title of this file's fixture, so searches find only them */
let tag: string;

beforeAll(async () => {
  f = await fundedProject({ count: 2 });
  tag = `导出${uid()}`;
  const other = await makeAreaTree(1);
  const need = (areaId: string, title: string, status: "OPEN" | "REJECTED" = "OPEN") =>
    db().need.create({ data: { areaId, authorId: f.nobody.id, title: `${title} ${tag}`, description: "居民反映", category: "PUBLIC_SERVICE", status } });
  await need(f.community1.id, "=HYPERLINK(\"http://x\",\"路灯\")");
  await need(f.community1.id, "楼道照明");
  await need(f.community2.id, "加装电梯");
  await need(f.community2.id, "已驳回的需求", "REJECTED");
  await need(other.communities[0]!.id, "别处的需求");
}, 120_000);

describe("needs", () => {
  it("lists the official's open needs (the page's default), with bilingual headers, in both formats alike", async () => {
    const csv = await run(f.official, "needs.csv", { q: tag });
    const xlsx = await run(f.official, "needs.xlsx", { q: tag });
    expect(csv[0]![0]).toBe("需求编号 / Need no.");
    expect(csv[0]).toContain("标题 / Title");
    expect(column(csv, 1).sort()).toEqual([`'=HYPERLINK("http://x","路灯") ${tag}`, `加装电梯 ${tag}`, `楼道照明 ${tag}`].sort());
    // the XLSX holds the same rows; text there is never a formula, so it needs no apostrophe
    expect(xlsx[0]).toEqual(csv[0]);
    expect(column(xlsx, 1).sort()).toEqual([`=HYPERLINK("http://x","路灯") ${tag}`, `加装电梯 ${tag}`, `楼道照明 ${tag}`].sort());
    expect(column(xlsx, 0)).toEqual(column(csv, 0));
    expect(column(xlsx, 5)).toEqual(Array(3).fill(column(csv, 5)[0]));
  });

  it("keeps the page's filters: status and community", async () => {
    expect(column(await run(f.official, "needs.csv", { q: tag, status: "REJECTED" }), 1)).toEqual([`已驳回的需求 ${tag}`]);
    expect(column(await run(f.official, "needs.csv", { q: tag, community: f.community2.code }), 1)).toEqual([`加装电梯 ${tag}`]);
  });

  it("never holds another area's needs", async () => {
    expect(column(await run(f.communityOfficial, "needs.csv", { q: tag }), 1)).toHaveLength(2);
    expect(column(await run(f.otherCommunityOfficial, "needs.csv", { q: tag, community: f.community1.code }), 1)).toEqual([]);
    expect(column(await run(f.outsider, "needs.csv", { q: tag }), 1)).toEqual([]);
  });

  it("is refused to anyone who is no official", async () => {
    await rejectsWithStatus(exportDataset(f.nobody, "needs.csv", new URLSearchParams(), "zh-CN"), 403);
    await rejectsWithStatus(exportDataset(f.grantee, "needs.xlsx", new URLSearchParams(), "zh-CN"), 403);
  });

  it("is audited: who, which dataset, format, filters and rows", async () => {
    await run(f.communityOfficial, "needs.xlsx", { q: tag, status: "OPEN", per: "50" });
    const record = await lastAudit(f.communityOfficial.id, "export.needs");
    expect(record).toMatchObject({ objectType: "Export", objectId: "needs", after: { format: "xlsx", filters: { q: tag, status: "OPEN" }, rows: 2 } });
  });
});

describe("proposals (a round's screening queue)", () => {
  it("lists the round's proposals with the queue's filters", async () => {
    const all = await run(f.official, "proposals.csv", { round: f.round.code });
    expect(column(all, 0).sort()).toEqual(f.proposals.map((p) => p.referenceNo).sort());
    const one = await run(f.official, "proposals.xlsx", { round: f.round.code, community: f.community1.code });
    expect(column(one, 0)).toEqual([f.proposals[0]!.referenceNo]);
    expect(column(one, 6)).toEqual(["资格审查通过"]);
  });

  it("is refused outside the round's area, and without a round", async () => {
    await rejectsWithStatus(exportDataset(f.outsider, "proposals.csv", new URLSearchParams({ round: f.round.code }), "zh-CN"), 403);
    await rejectsWithStatus(exportDataset(f.official, "proposals.csv", new URLSearchParams(), "zh-CN"), 403);
    await rejectsWithStatus(exportDataset(f.official, "proposals.csv", new URLSearchParams({ round: "NOPE-NOPE" }), "zh-CN"), 404);
  });
});

describe("projects", () => {
  it("lists the projects of the official's areas with the project list's filters", async () => {
    const refs = f.projects.map((p) => p.referenceNo);
    expect(column(await run(f.official, "projects.csv", { round: f.round.code }), 0)).toEqual([...refs].sort());
    expect(column(await run(f.official, "projects.xlsx", { round: f.round.code, community: f.community2.code }), 0)).toEqual([f.projects[1]!.referenceNo]);
    expect(column(await run(f.official, "projects.csv", { round: f.round.code, status: "CLOSED" }), 0)).toEqual([]);
  });

  it("a community official gets their community's project only; an official elsewhere none", async () => {
    expect(column(await run(f.communityOfficial, "projects.csv", { round: f.round.code }), 0)).toEqual([f.project.referenceNo]);
    expect(column(await run(f.outsider, "projects.csv", { round: f.round.code }), 0)).toEqual([]);
    await rejectsWithStatus(exportDataset(f.grantee, "projects.csv", new URLSearchParams(), "zh-CN"), 403);
  });

  it("gives each project's award in yuan as a number", async () => {
    const rows = await run(f.official, "projects.xlsx", { round: f.round.code });
    expect(column(rows, 7)).toEqual(["10000", "10000"]);
  });
});

describe("expenses (area-wide)", () => {
  beforeAll(async () => {
    const expense = (projectId: string, spentOn: string, payee: string, amountFen: number, status: "SUBMITTED" | "APPROVED") =>
      db().expense.create({ data: { projectId, spentOn: new Date(`${spentOn}T00:00:00+08:00`), payee, amountFen, status, submittedById: f.grantee.id, description: "采购" } });
    await expense(f.projects[0]!.id, "2026-07-01", "平湖超市", 12_345, "APPROVED");
    await expense(f.projects[0]!.id, "2026-08-15", "+86 某商户", 5_000, "SUBMITTED");
    await expense(f.projects[1]!.id, "2026-07-20", "印刷厂", 20_000, "APPROVED");
  });

  it("lists the expenses of every project in the official's areas, filtered by round, status and days", async () => {
    const all = await run(f.official, "expenses.csv", { round: f.round.code });
    expect(column(all, 5).sort()).toEqual(["'+86 某商户", "印刷厂", "平湖超市"].sort());
    expect(column(await run(f.official, "expenses.csv", { round: f.round.code, status: "APPROVED" }), 5).sort()).toEqual(["印刷厂", "平湖超市"].sort());
    expect(column(await run(f.official, "expenses.xlsx", { round: f.round.code, from: "2026-07-15", to: "2026-08-15" }), 5).sort()).toEqual(["+86 某商户", "印刷厂"].sort());
    const one = await run(f.official, "expenses.xlsx", { round: f.round.code, community: f.community1.code, status: "APPROVED" });
    expect(one.slice(1).map((r) => [r[0], r[4], r[6]])).toEqual([[f.projects[0]!.referenceNo, "2026-07-01", "123.45"]]);
  });

  it("never holds another area's expenses", async () => {
    expect(column(await run(f.otherCommunityOfficial, "expenses.csv", { round: f.round.code }), 5)).toEqual(["印刷厂"]);
    expect(column(await run(f.outsider, "expenses.csv", { round: f.round.code }), 5)).toEqual([]);
    await rejectsWithStatus(exportDataset(f.nobody, "expenses.csv", new URLSearchParams(), "zh-CN"), 403);
  });
});

describe("donations (a foundation's gifts)", () => {
  let g: Awaited<ReturnType<typeof givingFoundation>>;
  const k = uid();
  // gifts written without their ledger postings: taken out again at the end, since the worker's
  // database is shared with files that verify the whole ledger
  afterAll(async () => {
    await db().donation.deleteMany({ where: { id: { in: [`${k}-1`, `${k}-2`, `${k}-3`] } } });
  });
  beforeAll(async () => {
    g = await givingFoundation({ availableFen: 0 });
    await db().$executeRaw`
      INSERT INTO "Donation" (id, ref, token, "foundationId", "amountFen", method, "donorName", anonymous, email, status, payment, "paidAt", "createdAt", "updatedAt")
      VALUES (${`${k}-1`}, ${`G-${k}A`}, ${`${k}:1`}, ${g.foundation.id}, 10000, 'card', '王芳', false, 'wang.fang@example.com', 'SUCCEEDED', '{}'::jsonb, now(), now() - interval '2 hours', now()),
             (${`${k}-2`}, ${`G-${k}B`}, ${`${k}:2`}, ${g.foundation.id}, 5000, 'wechat_pay', '=cmd', true, 'li.si@example.com', 'PENDING', '{}'::jsonb, NULL, now() - interval '1 hour', now())`;
    const other = await givingFoundation({ availableFen: 0 });
    await db().$executeRaw`
      INSERT INTO "Donation" (id, ref, token, "foundationId", "amountFen", method, email, status, payment, "updatedAt")
      VALUES (${`${k}-3`}, ${`G-${k}C`}, ${`${k}:3`}, ${other.foundation.id}, 7000, 'card', 'zhao@example.com', 'SUCCEEDED', '{}'::jsonb, now())`;
  });

  it("lists the foundation's gifts newest first, with the page's filters, the e-mail masked", async () => {
    const rows = await run(g.manager, "donations.csv", { foundation: g.foundation.slug });
    expect(rows.slice(1).map((r) => [r[2], r[4], r[7]])).toEqual([
      ["'=cmd", "li***@example.com", "50"],
      ["王芳", "wa***@example.com", "100"],
    ]);
    expect(rows.flat().join(" ")).not.toContain("wang.fang@");
    expect(column(await run(g.manager, "donations.xlsx", { foundation: g.foundation.slug, status: "SUCCEEDED" }), 2)).toEqual(["王芳"]);
    expect(column(await run(g.manager, "donations.csv", { foundation: g.foundation.slug, q: "li.si" }), 2)).toEqual(["'=cmd"]);
  });

  it("is for the foundation's managers only: not another foundation's, nor an official of its area", async () => {
    const stranger = await foundationManager({ id: (await givingFoundation({ availableFen: 0 })).foundation.id }, g.root);
    await rejectsWithStatus(exportDataset(stranger, "donations.csv", new URLSearchParams({ foundation: g.foundation.slug }), "zh-CN"), 403);
    await rejectsWithStatus(exportDataset(f.official, "donations.csv", new URLSearchParams({ foundation: g.foundation.slug }), "zh-CN"), 403);
    await rejectsWithStatus(exportDataset(g.manager, "donations.csv", new URLSearchParams({ foundation: "no-such-fund" }), "zh-CN"), 404);
  });

  it("is audited with the foundation among its filters", async () => {
    await run(g.manager, "donations.csv", { foundation: g.foundation.slug, status: "PENDING" });
    expect(await lastAudit(g.manager.id, "export.donations")).toMatchObject({ after: { format: "csv", filters: { foundation: g.foundation.slug, status: "PENDING" }, rows: 1 } });
  });
});

describe("a large export", () => {
  const n = 2_345;
  let official: Actor;
  beforeAll(async () => {
    const { root, communities } = await makeAreaTree(1);
    official = await person([{ role: "OFFICIAL", area: root }]);
    await db().$executeRaw`
      INSERT INTO "Need" (id, "areaId", title, description, category, "updatedAt")
      SELECT gen_random_uuid()::text, ${communities[0]!.id}, '需求 ' || i, '说明', 'PUBLIC_SERVICE', now() FROM generate_series(1, ${n}::int) i`;
  });

  it("reads thousands of rows in keyset batches of the given size and streams them all, in both formats", async () => {
    for (const file of ["needs.csv", "needs.xlsx"]) {
      const reads: number[] = [];
      const rows = await run(official, file, {}, { batchSize: 500, onBatch: (r) => reads.push(r) });
      expect(rows).toHaveLength(n + 1);
      expect(new Set(column(rows, 0)).size).toBe(n);
      // five full reads and a short one: never more than a batch at a time
      expect(reads).toEqual([500, 500, 500, 500, 345]);
    }
    expect(await lastAudit(official.id, "export.needs")).toMatchObject({ after: { rows: n } });
  });

  it("reads the next batch only when the reader asks for more, and stops when the reader goes away", async () => {
    const reads: number[] = [];
    const res = await exportDataset(official, "needs.csv", new URLSearchParams(), "zh-CN", { batchSize: 500, onBatch: (r) => reads.push(r) });
    const reader = res.body!.getReader();
    await reader.read(); // the header
    await reader.read(); // the first batch
    // at most one batch read ahead of the reader (the stream's queue holds one chunk)
    expect(reads.length).toBeLessThanOrEqual(2);
    await reader.cancel();
    // a read already under way may finish; none starts after the cancel
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads.length).toBeLessThanOrEqual(2);
  });
});

describe("the route", () => {
  it("answers /admin/exports/<dataset>.<format> as a private download named after the dataset", async () => {
    const request = await signedInRequest(f.official.id, `/admin/exports/needs.xlsx?q=${encodeURIComponent(tag)}`);
    const res = (await exportLoader({ request, params: { file: "needs.xlsx" }, context: {} } as never)) as Response;
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="needs-open-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await table(res)).toHaveLength(4);
  });

  it("answers 404 for an unknown dataset or format", async () => {
    await rejectsWithStatus(exportDataset(f.official, "users.csv", new URLSearchParams(), "zh-CN"), 404);
    await rejectsWithStatus(exportDataset(f.official, "needs.pdf", new URLSearchParams(), "zh-CN"), 404);
  });
});
