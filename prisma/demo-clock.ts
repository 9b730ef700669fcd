/**
 * The demo's calendar. Its story is written as a visitor finds it on DEMO_WRITTEN_ON: JN7 open for
 * proposals until 20 December, WL26 in review, JN6's projects in implementation. Seeded on a later day,
 * every date of the story moves forward by whole weeks, so the story is the same whenever the database
 * is created: the open round's deadline is still ahead, weekdays stay weekdays, and what was "last
 * month" still is. Pure apart from the shift the seed sets once per run (setDemoToday).
 */
import { dayStart } from "../app/lib/time.ts";

/** The Asia/Shanghai day the demo's dates are written for (a Sunday). */
export const DEMO_WRITTEN_ON = "2026-12-06";

const DAY_MS = 86_400_000;

/** Whole days (a multiple of 7, possibly negative) from DEMO_WRITTEN_ON to the week `today` falls in. */
export function demoShiftDays(today: string): number {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${DEMO_WRITTEN_ON}T00:00:00Z`)) / DAY_MS);
  if (!Number.isFinite(days)) throw new RangeError(`not a YYYY-MM-DD day: ${today}`);
  return Math.floor(days / 7) * 7;
}

let shiftDays = 0;

/** Sets the day the demo is seeded on (an Asia/Shanghai YYYY-MM-DD); every date below follows it. */
export function setDemoToday(today: string): void {
  shiftDays = demoShiftDays(today);
}

/** A day of the story as the seeded day: `2026-12-20` seeded a week later is `2026-12-27`. */
export function demoDayText(day: string): string {
  const base = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(base)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return new Date(base + shiftDays * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai midnight that starts a day of the story. */
export function demoDay(day: string): Date {
  return dayStart(demoDayText(day));
}

/** An hour on a day of the story, Asia/Shanghai. */
export function demoAt(day: string, hour = 10): Date {
  return new Date(`${demoDayText(day)}T${String(hour).padStart(2, "0")}:00:00+08:00`);
}

/** A month of the story (YYYY-MM) as the month its fifth day falls in once shifted. */
export function demoMonth(month: string): string {
  return demoDayText(`${month}-05`).slice(0, 7);
}
