import { z } from "zod";
import { sheetProblems, toHalfPoints, type RubricCriterion } from "./ranking";

/**
 * A judge's score sheet as typed: one score per rubric criterion (integers or halves within its
 * maximum), a comment per criterion and an overall comment. A draft may leave scores blank; a
 * submitted sheet must score every criterion. Pure: the service stores what this returns.
 */

export const COMMENT_MAX = 1000;
export const OVERALL_MAX = 2000;

export interface SheetInput {
  /** criterion key → the text typed ("" = blank) */
  scores: Record<string, string>;
  comments: Record<string, string>;
  overallComment: string;
}

export interface ParsedSheet {
  /** only the criteria with a valid score */
  scores: Record<string, number>;
  comments: Record<string, string>;
  overallComment: string;
  /** field name ("score.<key>", "comment.<key>", "overallComment") → message keys */
  fieldErrors: Record<string, string[]>;
}

/**
 * The sheet's form as Conform reads it: `score.<key>` and `comment.<key>` become the records
 * `score` and `comment`; `version` is the version the form was loaded with (0 = no sheet yet).
 * The rubric's rules are checked by `parseSheet`, which knows the criteria.
 */
const typed = z.record(z.string(), z.string().optional()).optional().default({});
export const sheetFields = {
  score: typed,
  comment: typed,
  overallComment: z.string().optional().default(""),
  version: z.number({ error: "scoring.error.stale" }).int().min(0).optional().default(0),
};
export const SheetFormSchema = z.object(sheetFields);

/** What the judge typed, per criterion of the rubric ("" = blank). */
export function sheetInputOf(form: z.output<typeof SheetFormSchema>, rubric: readonly { key: string }[]): SheetInput {
  return {
    scores: Object.fromEntries(rubric.map((c) => [c.key, (form.score[c.key] ?? "").trim()])),
    comments: Object.fromEntries(rubric.map((c) => [c.key, form.comment[c.key] ?? ""])),
    overallComment: form.overallComment,
  };
}

/** An official reopens a submitted sheet with a written reason of 2–500 characters. */
export const REOPEN_REASON_MAX = 500;
export const ReopenSheetSchema = z.object({
  sheetId: z.string().min(1),
  reason: z.string({ error: "scoring.reopen.reasonRequired" }).trim().min(2, "scoring.reopen.reasonRequired").max(REOPEN_REASON_MAX, "scoring.reopen.reasonRequired"),
});

/** Checks a sheet against the rubric; `submit` requires every criterion. */
export function parseSheet(rubric: readonly (RubricCriterion & { key: string })[], input: SheetInput, submit: boolean): ParsedSheet {
  const fieldErrors: Record<string, string[]> = {};
  const add = (field: string, key: string) => (fieldErrors[field] ??= []).push(key);
  const scores: Record<string, number> = {};
  for (const c of rubric) {
    const raw = (input.scores[c.key] ?? "").replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).trim();
    if (raw === "") {
      if (submit) add(`score.${c.key}`, "scoring.error.required");
      continue;
    }
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      add(`score.${c.key}`, "scoring.error.notANumber");
      continue;
    }
    const n = Number(raw);
    const problems = sheetProblems([c], { scores: { [c.key]: n } });
    if (problems.some((p) => p.code === "overMax")) add(`score.${c.key}`, `scoring.error.overMax|${JSON.stringify({ max: c.maxPoints })}`);
    else if (toHalfPoints(n) === null || problems.some((p) => p.code === "notHalfStep")) add(`score.${c.key}`, "scoring.error.notHalfStep");
    else scores[c.key] = n;
  }
  const comments: Record<string, string> = {};
  for (const c of rubric) {
    const text = (input.comments[c.key] ?? "").trim();
    if (text.length > COMMENT_MAX) add(`comment.${c.key}`, "scoring.error.commentTooLong");
    else if (text) comments[c.key] = text;
  }
  const overallComment = input.overallComment.trim();
  if (overallComment.length > OVERALL_MAX) add("overallComment", "scoring.error.commentTooLong");
  return { scores, comments, overallComment, fieldErrors };
}

/** The sum of a sheet's scores (points), added in half points so that no float error creeps in. */
export const sheetTotal = (scores: Record<string, number>) => Object.values(scores).reduce((s, n) => s + Math.round(n * 2), 0) / 2;

/**
 * A score or a sheet's total as the rules state it: in half points, so a whole number shows no
 * decimals and a half shows one ("15", "14.5" — never "14.50000", never rounded to "15"); a
 * value off the half-point grid is shown to its nearest half.
 */
export function formatPoints(points: number): string {
  if (!Number.isFinite(points)) return "—";
  const halves = Math.round(points * 2);
  const whole = Math.trunc(halves / 2);
  const sign = halves < 0 && whole === 0 ? "-" : "";
  return halves % 2 === 0 ? String(halves / 2) : `${sign}${whole}.5`;
}

/**
 * What a judge of a blind review may see of a proposal's frozen snapshot: no organization, no
 * submitter, no team member names, no attachment file names.
 */
export function blindSnapshot<S extends Record<string, unknown>>(snapshot: S): Omit<S, "organization" | "submittedBy"> {
  const { organization: _o, submittedBy: _s, ...rest } = snapshot as S & { organization?: unknown; submittedBy?: unknown };
  const team = Array.isArray(rest.team) ? (rest.team as { role?: string; experience?: string }[]).map((m, i) => ({ name: `#${i + 1}`, role: m.role ?? "", experience: m.experience ?? "" })) : rest.team;
  const attachments = Array.isArray(rest.attachments) ? (rest.attachments as unknown[]).map((_, i) => ({ label: `#${i + 1}` })) : rest.attachments;
  return { ...rest, team, attachments } as unknown as Omit<S, "organization" | "submittedBy">;
}
