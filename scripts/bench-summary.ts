import fs from "node:fs";

/**
 * The scale table `npm run bench` ends with: each measure's figure from this run beside the goal
 * the project holds it to. Parts report into it as they finish; nothing here is a threshold — a
 * figure short of its goal is printed, never failed.
 */
export interface SummaryRow {
  /** what was measured, e.g. "foundation page after a gift, 1M vs 1k entries" */
  measure: string;
  /** this run's figure, formatted with its unit (e.g. "1.42×", "2.31 s", "612 events/s") */
  figure: string;
  /** the goal, in the same unit (e.g. "≤ 1.5×") */
  goal: string;
}

const rows: SummaryRow[] = [];

export function reportFigure(row: SummaryRow): void {
  rows.push(row);
}

/** The last `npm test` on this machine, as scripts/test-all.ts recorded it: the suite is not rerun here. */
function lastTestRun(): SummaryRow | null {
  try {
    const run = JSON.parse(fs.readFileSync("reports/test-phases.json", "utf8")) as { finishedAt: string; cores: number; seconds: number };
    const seconds = run.seconds;
    return { measure: `npm test, last run here (${run.cores} cores, ${run.finishedAt.slice(0, 16)}Z)`, figure: `${(seconds / 60).toFixed(1)} min`, goal: "< 10 min" };
  } catch {
    return null;
  }
}

export function printSummary(): void {
  const testRun = lastTestRun();
  if (testRun) rows.push(testRun);
  if (rows.length === 0) return;
  const width = Math.max(...rows.map((r) => r.measure.length), "measure".length);
  const figureWidth = Math.max(...rows.map((r) => r.figure.length), "this run".length);
  console.log(`\n━━━ scale: this run beside the goal ━━━`);
  console.log(`${"measure".padEnd(width)}  ${"this run".padStart(figureWidth)}   goal`);
  for (const r of rows) console.log(`${r.measure.padEnd(width)}  ${r.figure.padStart(figureWidth)}   ${r.goal}`);
}
