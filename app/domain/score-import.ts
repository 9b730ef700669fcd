import { sheetProblems, type RubricCriterion } from "./ranking";

/**
 * Paper score sheets (纸质评分表) typed into a spreadsheet and imported by an official. Two
 * layouts are accepted, recognised by their header row:
 *
 * - long: one row per judge × proposal × criterion — judge_email, proposal_reference, criterion,
 *   score, comment (Chinese headers: 评委邮箱, 申报编号, 评分项, 分数, 评语);
 * - wide: one row per sheet — judge_email, proposal_reference, one column per criterion key, and
 *   comment (the overall comment).
 *
 * Every row is checked and every problem reported (a dry run); a file with any problem imports
 * nothing. Pure: the service parses the file and writes the sheets.
 */

export const IMPORT_MAX_ROWS = 20_000;

const HEADERS: Record<string, "judge" | "proposal" | "criterion" | "score" | "comment"> = {
  judge_email: "judge",
  评委邮箱: "judge",
  proposal_reference: "proposal",
  申报编号: "proposal",
  criterion: "criterion",
  评分项: "criterion",
  score: "score",
  分数: "score",
  comment: "comment",
  评语: "comment",
};

export type ImportProblem =
  | "empty"
  | "tooManyRows"
  | "badHeader"
  | "unknownJudge"
  | "unknownProposal"
  | "unknownCriterion"
  | "notANumber"
  | "negative"
  | "overMax"
  | "notHalfStep"
  | "unassigned"
  | "duplicate"
  | "missingCriterion"
  | "alreadySubmitted";

export interface ImportContext {
  rubric: readonly RubricCriterion[];
  /** lower-cased email → seat id (accepted judges of the round) */
  judges: ReadonlyMap<string, string>;
  /** reference number → proposal id (eligible proposals of the round) */
  proposals: ReadonlyMap<string, string>;
  /** `${proposalId}|${seatId}` of live assignments */
  assigned: ReadonlySet<string>;
  /** `${proposalId}|${seatId}` whose sheet is already SUBMITTED online */
  submitted: ReadonlySet<string>;
}

export interface ImportRow {
  /** 1-based line in the file, the header being line 1 */
  line: number;
  judge: string;
  proposal: string;
  criterion: string | null;
  problems: ImportProblem[];
}

export interface ImportedSheet {
  proposalId: string;
  seatId: string;
  scores: Record<string, number>;
  comments: Record<string, string>;
  overallComment: string;
  lines: number[];
}

export interface ImportResult {
  layout: "long" | "wide" | null;
  rows: ImportRow[];
  /** problems of the file itself (empty, header) */
  fileProblems: ImportProblem[];
  sheets: ImportedSheet[];
  ok: boolean;
}

const cell = (row: readonly unknown[], i: number | undefined) => (i === undefined ? "" : String(row[i] ?? "").trim());

function parseScore(raw: string, criterion: RubricCriterion): { value: number | null; problem: ImportProblem | null } {
  const text = raw.replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { value: null, problem: "notANumber" };
  const n = Number(text);
  const p = sheetProblems([criterion], { scores: { [criterion.key]: n } })[0];
  return p ? { value: null, problem: p.code === "overMax" || p.code === "negative" || p.code === "notHalfStep" ? p.code : "notANumber" } : { value: n, problem: null };
}

/** Checks every row of a parsed file (first row = header) against the round. */
export function checkImport(table: readonly (readonly unknown[])[], ctx: ImportContext): ImportResult {
  const empty = (r: readonly unknown[]) => r.every((c) => String(c ?? "").trim() === "");
  const lines = table.map((r, i) => ({ r, line: i + 1 })).filter(({ r }) => !empty(r));
  if (lines.length < 2) return { layout: null, rows: [], fileProblems: ["empty"], sheets: [], ok: false };
  if (lines.length - 1 > IMPORT_MAX_ROWS) return { layout: null, rows: [], fileProblems: ["tooManyRows"], sheets: [], ok: false };
  const header = lines[0]!.r.map((c) => String(c ?? "").trim());
  const col: Partial<Record<"judge" | "proposal" | "criterion" | "score" | "comment", number>> = {};
  header.forEach((h, i) => {
    const name = HEADERS[h.toLowerCase()] ?? HEADERS[h];
    if (name && col[name] === undefined) col[name] = i;
  });
  const criterionCols = new Map(ctx.rubric.map((c) => [c.key, header.findIndex((h) => h === c.key)]));
  const layout = col.criterion !== undefined && col.score !== undefined ? "long" : [...criterionCols.values()].some((i) => i >= 0) ? "wide" : null;
  if (col.judge === undefined || col.proposal === undefined || !layout) return { layout: null, rows: [], fileProblems: ["badHeader"], sheets: [], ok: false };

  const rows: ImportRow[] = [];
  const sheets = new Map<string, ImportedSheet>();
  const seen = new Set<string>();
  const byKey = new Map(ctx.rubric.map((c) => [c.key, c]));
  const sheetFor = (proposalId: string, seatId: string) => {
    const key = `${proposalId}|${seatId}`;
    let s = sheets.get(key);
    if (!s) sheets.set(key, (s = { proposalId, seatId, scores: {}, comments: {}, overallComment: "", lines: [] }));
    return s;
  };

  for (const { r, line } of lines.slice(1)) {
    const judge = cell(r, col.judge).toLowerCase();
    const proposal = cell(r, col.proposal).toUpperCase();
    const problems: ImportProblem[] = [];
    const seatId = ctx.judges.get(judge);
    const proposalId = ctx.proposals.get(proposal);
    if (!seatId) problems.push("unknownJudge");
    if (!proposalId) problems.push("unknownProposal");
    const pair = seatId && proposalId ? `${proposalId}|${seatId}` : null;
    if (pair && !ctx.assigned.has(pair)) problems.push("unassigned");
    if (pair && ctx.submitted.has(pair)) problems.push("alreadySubmitted");

    if (layout === "long") {
      const key = cell(r, col.criterion);
      const criterion = byKey.get(key);
      if (!criterion) problems.push("unknownCriterion");
      const dupKey = `${judge}|${proposal}|${key}`;
      if (seen.has(dupKey)) problems.push("duplicate");
      seen.add(dupKey);
      let value: number | null = null;
      if (criterion) {
        const parsed = parseScore(cell(r, col.score), criterion);
        if (parsed.problem) problems.push(parsed.problem);
        value = parsed.value;
      }
      rows.push({ line, judge, proposal, criterion: key, problems });
      if (pair && criterion && value !== null) {
        const s = sheetFor(proposalId!, seatId!);
        s.scores[criterion.key] = value;
        const comment = cell(r, col.comment);
        if (comment) s.comments[criterion.key] = comment.slice(0, 1000);
        s.lines.push(line);
      }
    } else {
      const dupKey = `${judge}|${proposal}`;
      if (seen.has(dupKey)) problems.push("duplicate");
      seen.add(dupKey);
      const scores: Record<string, number> = {};
      for (const c of ctx.rubric) {
        const i = criterionCols.get(c.key)!;
        const raw = i >= 0 ? cell(r, i) : "";
        if (raw === "") {
          problems.push("missingCriterion");
          continue;
        }
        const parsed = parseScore(raw, c);
        if (parsed.problem) problems.push(parsed.problem);
        else scores[c.key] = parsed.value!;
      }
      rows.push({ line, judge, proposal, criterion: null, problems: [...new Set(problems)] });
      if (pair) {
        const s = sheetFor(proposalId!, seatId!);
        Object.assign(s.scores, scores);
        s.overallComment = cell(r, col.comment).slice(0, 2000);
        s.lines.push(line);
      }
    }
  }
  // long layout: a sheet must score every criterion
  if (layout === "long") {
    for (const s of sheets.values()) {
      if (ctx.rubric.every((c) => s.scores[c.key] !== undefined)) continue;
      for (const row of rows) if (s.lines.includes(row.line) && !row.problems.includes("missingCriterion")) row.problems.push("missingCriterion");
    }
  }
  const ok = rows.every((r) => r.problems.length === 0);
  return { layout, rows, fileProblems: [], sheets: ok ? [...sheets.values()] : [], ok };
}

/** A CSV template for a round's rubric (wide layout), with one example row. */
export function importTemplate(rubric: readonly { key: string; maxPoints: number }[]): string[][] {
  return [
    ["judge_email", "proposal_reference", ...rubric.map((c) => c.key), "comment"],
    ["judge@example.org", "JN7-0001", ...rubric.map((c) => String(c.maxPoints * 0.8)), ""],
  ];
}
