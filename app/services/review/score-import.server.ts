import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { rubricOf } from "~/domain/rounds";
import { checkImport, type ImportResult } from "~/domain/score-import";
import { sheetTotal } from "~/domain/score-sheet";
import type { Actor } from "~/services/accounts/actor.server";
import { type Prisma } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import { lockRound } from "~/lib/locks.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { auditMany } from "~/services/books/audit.server";
import { roundForOfficial } from "./access.server";

/**
 * Importing paper score sheets: the file (CSV or XLSX) is read into rows, checked row by row
 * against the round (domain/score-import.ts), and — unless it is a dry run and only when no row
 * has a problem — written as SUBMITTED sheets (source IMPORT) in one transaction. All or nothing.
 */

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** What the page shows after a dry run or an import: every row with its problems, the sheets, how many were written. */
export type ImportReport = Omit<ImportResult, "ok"> & { imported: number; dryRun: boolean };

/** The rows of a CSV (UTF-8, BOM allowed) or the first worksheet of an XLSX file. */
export async function readTable(file: File): Promise<string[][] | null> {
  const bytes = Buffer.from(await file.arrayBuffer());
  const isXlsx = bytes.subarray(0, 2).toString("latin1") === "PK";
  if (isXlsx) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      return null;
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v === null || v === undefined ? "" : typeof v === "object" && v && "text" in v ? String((v as { text: unknown }).text) : typeof v === "object" && v && "result" in v ? String((v as { result: unknown }).result) : String(v))));
    });
    return rows;
  }
  try {
    return parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    return null;
  }
}

async function context(client: Client, roundId: string, rubric: ReturnType<typeof rubricOf>) {
  const [seats, proposals, live] = await Promise.all([
    client.roundJudge.findMany({ where: { roundId, status: "ACCEPTED" }, select: { id: true, email: true } }),
    client.proposal.findMany({ where: { roundId, status: "ELIGIBLE" }, select: { id: true, referenceNo: true } }),
    client.reviewAssignment.findMany({ where: { roundId, endedAt: null }, select: { id: true, proposalId: true, roundJudgeId: true, sheet: { select: { status: true } } } }),
  ]);
  return {
    ctx: {
      rubric,
      judges: new Map(seats.map((s) => [s.email.toLowerCase(), s.id])),
      proposals: new Map(proposals.map((p) => [(p.referenceNo ?? "").toUpperCase(), p.id])),
      assigned: new Set(live.map((a) => `${a.proposalId}|${a.roundJudgeId}`)),
      submitted: new Set(live.filter((a) => a.sheet?.status === "SUBMITTED").map((a) => `${a.proposalId}|${a.roundJudgeId}`)),
    },
    assignmentOf: new Map(live.map((a) => [`${a.proposalId}|${a.roundJudgeId}`, a.id])),
  };
}

/**
 * Checks (dry run) or imports a file of paper score sheets. A file that cannot be read is a 400
 * on the file field; a file with any bad row is a 400 whose detail is the report of every row;
 * outside review a 409.
 */
export async function importScores(actor: Actor, code: string, file: File | null, options: { dryRun: boolean }): Promise<Result<ImportReport, ImportReport | undefined>> {
  const round = await roundForOfficial(actor, code);
  if (round.phase !== "REVIEW" || round.awardsPublishedAt) return fail(409, "scoreImport.closed");
  if (!file || file.size === 0) return invalid({ file: ["scoreImport.noFile"] });
  if (file.size > IMPORT_MAX_BYTES) return invalid({ file: ["scoreImport.tooLarge"] });
  const table = await readTable(file);
  if (!table) return invalid({ file: ["scoreImport.unreadable"] });
  const rubric = rubricOf(round.rubric);
  const answer = (checked: ImportResult, imported: number, dryRun: boolean): Result<ImportReport, ImportReport | undefined> => {
    const { ok: clean, ...rest } = checked;
    const report = { ...rest, imported, dryRun };
    return clean ? ok(report) : fail(400, checked.fileProblems.map((p) => `scoreImport.problem.${p}`), { detail: report });
  };
  const first = await context(db(), round.id, rubric);
  const checked = checkImport(table, first.ctx);
  if (options.dryRun || !checked.ok) return answer(checked, 0, options.dryRun);

  // re-checked inside the transaction, under the round's lock: all or nothing
  return db().$transaction(async (tx) => {
    await lockRound(tx, round.id);
    const { ctx, assignmentOf } = await context(tx, round.id, rubric);
    const result = checkImport(table, ctx);
    if (!result.ok) return answer(result, 0, false);
    const now = new Date();
    const entries = [];
    for (const s of result.sheets) {
      const assignmentId = assignmentOf.get(`${s.proposalId}|${s.seatId}`)!;
      const data = {
        status: "SUBMITTED" as const,
        scores: s.scores as Prisma.InputJsonValue,
        comments: s.comments as Prisma.InputJsonValue,
        overallComment: s.overallComment,
        source: "IMPORT",
        submittedAt: now,
      };
      const sheet = await tx.scoreSheet.upsert({
        where: { assignmentId },
        update: { ...data, version: { increment: 1 } },
        create: { ...data, assignmentId, roundId: round.id, proposalId: s.proposalId, roundJudgeId: s.seatId },
      });
      entries.push({
        actorId: actor.id,
        action: "score.import",
        objectType: "ScoreSheet",
        objectId: sheet.id,
        after: { proposalId: s.proposalId, seatId: s.seatId, scores: s.scores, total: sheetTotal(s.scores), file: file.name, lines: s.lines },
      });
    }
    await auditMany(tx, entries);
    return answer(result, result.sheets.length, false);
  });
}
