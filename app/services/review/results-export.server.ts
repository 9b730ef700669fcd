import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { fenToInput } from "~/domain/money";
import { rubricOf } from "~/domain/rounds";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { roundResults } from "./results.server";
import { roundForOfficial, type ReviewRound } from "./access.server";
import { publishedRound } from "~/services/awards/access.server";
import type { Actor } from "~/services/accounts/actor.server";

/**
 * The results of a round as open data: CSV, JSON and XLSX. The public version (once the awards are
 * published) names no judge — judges are 评委1…n, numbered by when they joined the round — and the
 * officials' version names them. Scores are those of the submitted sheets of live assignments.
 */

export const EXPORT_FORMATS = ["csv", "json", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (f: unknown): f is ExportFormat => (EXPORT_FORMATS as readonly unknown[]).includes(f);

interface ExportRow {
  rank: number;
  referenceNo: string;
  title: string;
  organization: string;
  community: string;
  category: string;
  composite: number | null;
  review: number | null;
  outcome: string;
  awardFen: number;
  status: string;
  /** judge label → criterion key → points */
  scores: Record<string, Record<string, number>>;
}

async function exportRows(round: ReviewRound, named: boolean) {
  const results = await roundResults(db(), round);
  const seats = await db().roundJudge.findMany({ where: { roundId: round.id }, select: { id: true, name: true }, orderBy: { createdAt: "asc" } });
  const label = new Map(seats.map((s, i) => [s.id, named ? s.name : `评委${i + 1}`]));
  const awards = new Map((await db().award.findMany({ where: { roundId: round.id } })).map((a) => [a.proposalId, a]));
  const lines = new Map((results.allocation?.ok ? results.allocation.lines : []).map((l) => [l.id, l]));
  const byId = new Map(results.proposals.map((p) => [p.id, p]));
  const ranked = results.ranking.ok ? results.ranking.ranking.rows : [];
  const rows: ExportRow[] = ranked.map((r) => {
    const p = byId.get(r.proposalId)!;
    const award = awards.get(r.proposalId);
    const scores: ExportRow["scores"] = {};
    for (const s of results.sheets.filter((s) => s.proposalId === r.proposalId)) scores[label.get(s.judgeId) ?? "?"] = s.scores;
    return {
      rank: award?.rank ?? r.rank,
      referenceNo: p.referenceNo ?? "",
      title: p.title,
      organization: p.organization.name,
      community: p.community?.nameZh ?? "",
      category: p.category ?? "",
      composite: award ? award.composite : r.composite,
      review: award ? award.review : r.review,
      outcome: award?.outcome ?? lines.get(r.proposalId)?.outcome ?? "",
      awardFen: award?.awardFen ?? lines.get(r.proposalId)?.awardFen ?? 0,
      status: award?.status ?? "UNPUBLISHED",
      scores,
    };
  });
  rows.sort((a, b) => a.rank - b.rank);
  const judges = [...new Set(seats.map((s) => label.get(s.id)!))].filter((j) => rows.some((r) => r.scores[j]));
  return { rows, judges, criteria: rubricOf(round.rubric).map((c) => c.key) };
}

const round2 = (n: number | null) => (n === null ? "" : n.toFixed(2));

function table(data: Awaited<ReturnType<typeof exportRows>>) {
  const head = ["rank", "reference", "project", "organization", "community", "category", "composite", "review", "outcome", "award_yuan", "award_fen", "status"];
  const scoreHeads = data.judges.flatMap((j) => data.criteria.map((c) => `${j}:${c}`));
  const body = data.rows.map((r) => [
    r.rank,
    r.referenceNo,
    r.title,
    r.organization,
    r.community,
    r.category,
    round2(r.composite),
    round2(r.review),
    r.outcome,
    fenToInput(r.awardFen),
    r.awardFen,
    r.status,
    ...data.judges.flatMap((j) => data.criteria.map((c) => r.scores[j]?.[c] ?? "")),
  ]);
  return [[...head, ...scoreHeads], ...body];
}

async function render(round: ReviewRound, named: boolean, format: ExportFormat): Promise<Response> {
  const data = await exportRows(round, named);
  const name = `${round.code}-results${named ? "-officials" : ""}`;
  const disposition = (ext: string) => `attachment; filename="${name}.${ext}"`;
  if (format === "json") {
    const body = JSON.stringify({ round: { code: round.code, title: round.title }, anonymised: !named, generatedAt: new Date().toISOString(), judges: data.judges, criteria: data.criteria, rows: data.rows }, null, 2);
    return new Response(body, { headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": disposition("json") } });
  }
  if (format === "csv") {
    // BOM: Excel then reads the Chinese text as UTF-8
    const body = "\uFEFF" + stringify(table(data));
    return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition("csv") } });
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("results");
  for (const row of table(data)) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  const buffer = await workbook.xlsx.writeBuffer();
  return new Response(new Uint8Array(buffer as ArrayBuffer), {
    headers: { "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Content-Disposition": disposition("xlsx") },
  });
}

/** Public, anonymised; only once the awards are published. */
export async function publicResultsExport(code: string, format: unknown): Promise<Response> {
  if (!isExportFormat(format)) notFound();
  return render(await publishedRound(code), false, format);
}

/** For officials of the area, with judge names; live results before publishing. */
export async function officialResultsExport(actor: Pick<Actor, "grants">, code: string, format: unknown): Promise<Response> {
  if (!isExportFormat(format)) notFound();
  const round = await roundForOfficial(actor, code);
  return render(round, true, format);
}
