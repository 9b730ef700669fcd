/**
 * Publishing a quarterly ranking of implementing organizations (通报, as the Lishui rules do:
 * the bottom three named). Pure.
 *
 * Only a quarter that has ended is published, from a ranking whose facts were read up to the
 * quarter's end (a ranking computed while the quarter ran is not final), with at least one
 * organization ranked. The official's note is required: it is what the notice says besides the
 * table. What is published is fingerprinted (ranking-notice-hash.ts, server side: it hashes with
 * node:crypto, which the dashboard's browser bundle must not import through this module).
 */
import { isQuarter, quarterRange, type OrgRankingRow, type Quarter } from "./org-ranking";

export const NOTE_MAX = 2000;

export type PublishProblem = "rankingNotice.quarter" | "rankingNotice.running" | "rankingNotice.notFinal" | "rankingNotice.empty" | "rankingNotice.note" | "rankingNotice.noteLong";

/** Whether a notice of `quarter` may be asked for now with this note, and the note as it will be kept. */
export function checkNoticeRequest(input: { quarter: unknown; now: Date; note: string }): { ok: true; quarter: Quarter; note: string } | { ok: false; problem: PublishProblem } {
  const { quarter, now } = input;
  if (!isQuarter(quarter)) return { ok: false, problem: "rankingNotice.quarter" };
  if (now < quarterRange(quarter).end) return { ok: false, problem: "rankingNotice.running" };
  const note = input.note.replace(/\r\n/g, "\n").trim();
  if (!note) return { ok: false, problem: "rankingNotice.note" };
  if ([...note].length > NOTE_MAX) return { ok: false, problem: "rankingNotice.noteLong" };
  return { ok: true, quarter, note };
}

/** Why this ranking of `quarter` cannot be published, or null when it can: it must be final and rank someone. */
export function rankingProblem(quarter: Quarter, ranking: { rows: readonly Pick<OrgRankingRow, "rank">[]; asOf: Date } | null): PublishProblem | null {
  if (!ranking || ranking.asOf < quarterRange(quarter).end) return "rankingNotice.notFinal";
  if (!ranking.rows.some((r) => r.rank !== null)) return "rankingNotice.empty";
  return null;
}

/** The organizations a notice names at the bottom, in ranking order. */
export const bottomNamed = (rows: readonly Pick<OrgRankingRow, "name" | "flagged">[]): string[] => rows.filter((r) => r.flagged).map((r) => r.name);
