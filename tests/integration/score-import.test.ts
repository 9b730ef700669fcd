import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { assignAll, reviewRound, submitSheet } from "../support/review-fixture";
import { publishAwards } from "~/services/awards/awards.server";
import { officialResultsExport, publicResultsExport } from "~/services/review/results-export.server";
import { importScores, type ImportReport } from "~/services/review/score-import.server";
import type { Result } from "~/lib/result";

/** The report of every row, whether the file passed (the answer) or not (the problem's detail). */
const reportOf = (r: Result<ImportReport, ImportReport | undefined>): ImportReport => (r.ok ? r : r.problem.detail!);

const csv = (rows: string[][], name = "scores.csv") => new File(["\uFEFF" + rows.map((r) => r.join(",")).join("\n")], name, { type: "text/csv" });
const HEADER = ["judge_email", "proposal_reference", "need", "design", "capacity", "budget", "sustainability", "comment"];
const full = (email: string, ref: string) => [email, ref, "20", "20", "16", "12", "12", "纸质评分"];

describe("paper score sheet import", () => {
  it("a dry run reports every bad row and writes nothing; a file with one bad row imports nothing; a good CSV imports every sheet", async () => {
    const f = await reviewRound({ proposals: 2, judges: 2 });
    await assignAll(f);
    const [a, b] = f.judges;
    const [p1, p2] = f.proposals;
    await rejectsWithStatus(importScores(f.stranger, f.round.code, csv([HEADER]), { dryRun: true }), 403);

    const bad = csv([HEADER, full(a!.email, p1!.referenceNo!), [b!.email, p1!.referenceNo!, "26", "20", "16", "12", "12", ""], ["x@nowhere.org", p2!.referenceNo!, "1", "1", "1", "1", "1", ""]]);
    const dry = await importScores(f.official, f.round.code, bad, { dryRun: true });
    expect(dry).toMatchObject({ ok: false, problem: { status: 400 } });
    expect(reportOf(dry).rows.map((r) => r.problems)).toEqual([[], ["overMax"], ["unknownJudge"]]);
    const refused = await importScores(f.official, f.round.code, bad, { dryRun: false });
    expect(refused).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, detail: expect.objectContaining({ imported: 0, dryRun: false }) }) });
    expect(await db().scoreSheet.count({ where: { roundId: f.round.id } })).toBe(0);

    const good = csv([HEADER, full(a!.email, p1!.referenceNo!), full(b!.email, p1!.referenceNo!), full(a!.email, p2!.referenceNo!)]);
    expect(await importScores(f.official, f.round.code, good, { dryRun: true })).toMatchObject({ ok: true, imported: 0 });
    expect(await db().scoreSheet.count({ where: { roundId: f.round.id } })).toBe(0);
    expect(await importScores(f.official, f.round.code, good, { dryRun: false })).toMatchObject({ ok: true, imported: 3 });
    const sheets = await db().scoreSheet.findMany({ where: { roundId: f.round.id } });
    expect(sheets.every((s) => s.status === "SUBMITTED" && s.source === "IMPORT")).toBe(true);
    expect(await db().auditLog.count({ where: { action: "score.import", objectId: { in: sheets.map((s) => s.id) } } })).toBe(3);
    // importing it again is refused: those sheets are submitted now
    expect(reportOf(await importScores(f.official, f.round.code, good, { dryRun: true })).rows.every((r) => r.problems.includes("alreadySubmitted"))).toBe(true);
    // a file that is not a table is refused on the file field
    expect(await importScores(f.official, f.round.code, new File([new Uint8Array([0x50, 0x4b, 1, 2])], "broken.xlsx"), { dryRun: true })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 400, fieldErrors: { file: ["scoreImport.unreadable"] } }),
    });
    expect(await importScores(f.official, f.round.code, null, { dryRun: true })).toEqual({ ok: false, problem: expect.objectContaining({ status: 400, fieldErrors: { file: ["scoreImport.noFile"] } }) });
  });

  it("reads XLSX (long layout) and never overwrites a sheet a judge submitted online", async () => {
    const f = await reviewRound({ proposals: 1, judges: 2 });
    await assignAll(f);
    const [a, b] = f.judges;
    const p = f.proposals[0]!;
    await submitSheet(f, p.id, a!.seat.id);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("评分");
    sheet.addRow(["评委邮箱", "申报编号", "评分项", "分数", "评语"]);
    for (const [key, points] of [["need", 20], ["design", 20.5], ["capacity", 16], ["budget", 12], ["sustainability", 12]] as const) sheet.addRow([b!.email, p.referenceNo, key, points, ""]);
    sheet.addRow([a!.email, p.referenceNo, "need", 10, ""]);
    const file = new File([new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer)], "scores.xlsx");
    const dry = reportOf(await importScores(f.official, f.round.code, file, { dryRun: true }));
    expect(dry.layout).toBe("long");
    expect(dry.rows.at(-1)!.problems).toContain("alreadySubmitted");
    expect(dry.rows.slice(0, 5).every((r) => r.problems.length === 0)).toBe(true);
  });
});

describe("result exports", () => {
  it("public CSV/JSON/XLSX only once published and with judges anonymised; officials' version names them", async () => {
    const f = await reviewRound({ proposals: 2, judges: 2 });
    await assignAll(f);
    for (const p of f.proposals) for (const j of f.judges) await submitSheet(f, p.id, j.seat.id);
    await rejectsWithStatus(publicResultsExport(f.round.code, "csv"), 404);
    await rejectsWithStatus(officialResultsExport(f.stranger, f.round.code, "csv"), 403);
    const named = await (await officialResultsExport(f.official, f.round.code, "json")).json();
    expect(named.judges).toEqual(f.judges.map((j) => j.name));

    // a fixed instant: the notice is counted with the statutory calendar, which refuses a year it lacks
    expect(await publishAwards(f.official, f.round.code, { now: new Date("2026-11-27T10:00:00+08:00") })).toMatchObject({ ok: true });
    const csvBytes = Buffer.from(await (await publicResultsExport(f.round.code, "csv")).arrayBuffer());
    // a UTF-8 byte-order mark first, so that Excel reads the Chinese text
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvBytes.toString("utf8");
    expect(csvText).toContain("rank,reference,project");
    expect(csvText).toContain("评委1:need");
    for (const j of f.judges) expect(csvText).not.toContain(j.name);
    const json = await (await publicResultsExport(f.round.code, "json")).json();
    expect(json).toMatchObject({ anonymised: true, judges: ["评委1", "评委2"] });
    expect(json.rows[0]).toMatchObject({ rank: 1, outcome: "FUNDED", status: "PROPOSED" });
    const xlsx = await publicResultsExport(f.round.code, "xlsx");
    expect(xlsx.headers.get("Content-Type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(1).getCell(1).value).toBe("rank");
    expect(book.worksheets[0]!.rowCount).toBe(3);
    await rejectsWithStatus(publicResultsExport(f.round.code, "pdf"), 404);
  });
});
