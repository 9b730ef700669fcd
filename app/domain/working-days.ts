/**
 * Working days of the public notice (公示, PRODUCT.md step 8), in the Asia/Shanghai calendar
 * (UTC+8, no daylight saving). Pure rules, free of I/O.
 *
 * A working day is a Monday–Friday that is not a listed holiday, or any listed make-up working day
 * (调休), even on a Saturday or Sunday. Days are `YYYY-MM-DD` strings of the Shanghai calendar; a day
 * may not be both a holiday and a make-up working day.
 *
 * Convention of `noticeEndsAt(start, n)`: the day of publication never counts, even when published
 * at midnight on a working day; the notice runs for the n full working days that follow it, and ends
 * at the instant the nth of them ends, i.e. at the next midnight Asia/Shanghai (16:00 UTC of the nth
 * day). The end is exclusive: the notice is open for every instant `t` with `start <= t < end`.
 */

const DAY_MS = 86_400_000;
import { shanghaiDay } from "~/lib/time";
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Shanghai calendar day holding an instant, as a count of days since 1970-01-01. */
const dayNumber = (instant: Date) => Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
/** The instant the Shanghai day `n` begins (its midnight). */
const midnightOf = (n: number) => new Date(n * DAY_MS - SHANGHAI_OFFSET_MS);
/** Day number → `YYYY-MM-DD`. */
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
const weekday = (n: number) => (((n + 4) % 7) + 7) % 7;
const isWeekend = (n: number) => weekday(n) === 0 || weekday(n) === 6;

/** `YYYY-MM-DD` → day number; RangeError when it is not a real calendar day. */
function parseDay(value: string): number {
  const m = DAY.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const utc = Date.UTC(y, mo - 1, d);
    const check = new Date(utc);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return utc / DAY_MS;
  }
  throw new RangeError(`not a YYYY-MM-DD day: ${value}`);
}

export { shanghaiDay };

function validInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError("not a valid Date");
  return instant;
}

/** A calendar of holidays and make-up working days, checked once. */
function calendar(holidays: readonly string[], makeupWorkdays: readonly string[]) {
  const off = new Set(holidays.map(parseDay));
  const on = new Set(makeupWorkdays.map(parseDay));
  for (const n of on) {
    if (off.has(n)) throw new RangeError(`a day cannot be both a holiday and a make-up working day: ${dayString(n)}`);
  }
  const isWorking = (n: number) => on.has(n) || (!off.has(n) && !isWeekend(n));
  return { off, on, isWorking };
}

/** Monday–Fridays among the day numbers lo…hi inclusive, in constant time. */
function weekdaysIn(lo: number, hi: number): number {
  if (hi < lo) return 0;
  const span = hi - lo + 1;
  let count = Math.floor(span / 7) * 5;
  for (let n = lo + span - (span % 7); n <= hi; n++) if (!isWeekend(n)) count += 1;
  return count;
}

/** Whether a `YYYY-MM-DD` day is a working day. RangeError on malformed days or a contradictory calendar. */
export function isWorkingDay(day: string, holidays: readonly string[] = [], makeupWorkdays: readonly string[] = []): boolean {
  return calendar(holidays, makeupWorkdays).isWorking(parseDay(day));
}

/**
 * The instant a notice published at `start` ends, after `workingDays` full working days (see the module
 * comment for the convention). RangeError when `workingDays` is not a positive integer, `start` is not a
 * valid Date, or the calendar is malformed or contradictory.
 */
export function noticeEndsAt(
  start: Date,
  workingDays: number,
  holidays: readonly string[] = [],
  makeupWorkdays: readonly string[] = [],
): Date {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) throw new RangeError(`not a positive whole number of working days: ${workingDays}`);
  const { isWorking } = calendar(holidays, makeupWorkdays);
  let n = dayNumber(validInstant(start));
  let counted = 0;
  while (counted < workingDays) {
    n += 1;
    if (isWorking(n)) counted += 1;
  }
  return midnightOf(n + 1);
}

/**
 * The number of working days strictly after the Shanghai day of `a` and strictly before the Shanghai day
 * of `b` — the complete working days between them, not counting the day of `a` (as the notice does not count
 * the day of publication). 0 when `b` is not later. So `workingDaysBetween(start, noticeEndsAt(start, n)) === n`,
 * and `workingDaysBetween(now, end)` is the number of full working days a notice has left after today.
 */
export function workingDaysBetween(a: Date, b: Date, holidays: readonly string[] = [], makeupWorkdays: readonly string[] = []): number {
  const { off, on } = calendar(holidays, makeupWorkdays);
  const lo = dayNumber(validInstant(a)) + 1;
  const hi = dayNumber(validInstant(b)) - 1;
  if (hi < lo) return 0;
  let count = weekdaysIn(lo, hi);
  for (const n of off) if (n >= lo && n <= hi && !isWeekend(n)) count -= 1;
  for (const n of on) if (n >= lo && n <= hi && isWeekend(n)) count += 1;
  return count;
}
