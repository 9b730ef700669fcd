/**
 * Working days of the public notice (公示, docs/product.md step 8), in the Asia/Shanghai calendar
 * (UTC+8, no daylight saving). Pure rules, free of I/O.
 *
 * A working day is a Monday–Friday that is not a statutory holiday (放假), or a make-up working day
 * (调休上班) even on a Saturday or Sunday. The holidays and make-up days come from a
 * `WorkingCalendar`: the State Council's arrangement of each year it knows (built by
 * services/areas/calendar.server.ts from the chinese-days package and the officials' entries, see
 * docs/decisions/016-statutory-working-days.md). A year the calendar does not list is unknown, and a
 * count that reaches one of its days stops there: `countWorkingDays` answers `{ ok: false, missingYear }`
 * and the other functions throw `MissingCalendarYear`. Nothing here falls back to counting weekends only.
 *
 * Days are `YYYY-MM-DD` strings of the Shanghai calendar; a year's arrangement lists days of that
 * year only, and a day may not be both a holiday and a make-up working day.
 *
 * Convention of a notice of n working days published at `start`: the day of publication never counts,
 * even when published at midnight on a working day; the notice runs for the n working days that follow
 * it, and ends at the instant the nth of them ends, i.e. at the next midnight Asia/Shanghai (16:00 UTC
 * of the nth day). The end is exclusive: the notice is open for every instant `t` with `start <= t < end`.
 */
import { shanghaiDay } from "~/lib/time";

export { shanghaiDay };

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One year's arrangement: the days off (放假, weekends within a holiday included or not) and the weekend days worked (调休上班). */
export interface YearArrangement {
  readonly holidays: readonly string[];
  readonly makeupWorkdays: readonly string[];
}

/** The arrangement of every year the calendar knows, by year. */
export type WorkingCalendar = ReadonlyMap<number, YearArrangement>;

/** A computation needed a day of a year whose arrangement the calendar does not have. */
export class MissingCalendarYear extends Error {
  constructor(readonly year: number) {
    super(`the working-day calendar has no arrangement for ${year}`);
    this.name = "MissingCalendarYear";
  }
}

/** The Shanghai calendar day holding an instant, as a count of days since 1970-01-01. */
const dayNumber = (instant: Date) => Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
/** The instant the Shanghai day `n` begins (its midnight). */
const midnightOf = (n: number) => new Date(n * DAY_MS - SHANGHAI_OFFSET_MS);
/** Day number → `YYYY-MM-DD`. */
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Day number → its year. */
const yearOf = (n: number) => new Date(n * DAY_MS).getUTCFullYear();
/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
const weekday = (n: number) => (((n + 4) % 7) + 7) % 7;
const isWeekend = (n: number) => weekday(n) === 0 || weekday(n) === 6;

/** `YYYY-MM-DD` → day number; RangeError when it is not a real calendar day. */
export function parseDay(value: string): number {
  const m = DAY.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const utc = Date.UTC(y, mo - 1, d);
    const check = new Date(utc);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return utc / DAY_MS;
  }
  throw new RangeError(`not a YYYY-MM-DD day: ${value}`);
}

/** Whether a `YYYY-MM-DD` day falls on a Saturday or Sunday. RangeError on a malformed day. */
export const isWeekendDay = (day: string) => isWeekend(parseDay(day));

function validInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError("not a valid Date");
  return instant;
}

interface Compiled {
  years: ReadonlySet<number>;
  off: ReadonlySet<number>;
  on: ReadonlySet<number>;
}

const compiledCache = new WeakMap<WorkingCalendar, Compiled>();

/** The calendar as sets of day numbers, checked once per calendar object. */
function compile(calendar: WorkingCalendar): Compiled {
  const cached = compiledCache.get(calendar);
  if (cached) return cached;
  const off = new Set<number>();
  const on = new Set<number>();
  for (const [year, arrangement] of calendar) {
    if (!Number.isSafeInteger(year)) throw new RangeError(`not a year: ${year}`);
    for (const [list, set] of [[arrangement.holidays, off], [arrangement.makeupWorkdays, on]] as const) {
      for (const day of list) {
        const n = parseDay(day);
        if (yearOf(n) !== year) throw new RangeError(`${day} is listed under ${year}`);
        set.add(n);
      }
    }
  }
  for (const n of on) {
    if (off.has(n)) throw new RangeError(`a day cannot be both a holiday and a make-up working day: ${dayString(n)}`);
  }
  const compiled = { years: new Set(calendar.keys()), off, on };
  compiledCache.set(calendar, compiled);
  return compiled;
}

/** A calendar from a plain record of years (tests, fixtures). */
export function calendarFrom(years: Readonly<Record<number, YearArrangement>>): WorkingCalendar {
  return new Map(Object.entries(years).map(([y, a]) => [Number(y), a]));
}

/** Throws MissingCalendarYear for the first year in `from…to` (inclusive) the calendar lacks. */
function requireYears(c: Compiled, from: number, to: number) {
  for (let y = from; y <= to; y++) if (!c.years.has(y)) throw new MissingCalendarYear(y);
}

const isWorking = (c: Compiled, n: number) => c.on.has(n) || (!c.off.has(n) && !isWeekend(n));

/**
 * Whether a `YYYY-MM-DD` day is a working day. MissingCalendarYear when the calendar lacks its year;
 * RangeError on a malformed day or a contradictory calendar.
 */
export function isWorkingDay(day: string, calendar: WorkingCalendar): boolean {
  const c = compile(calendar);
  const n = parseDay(day);
  requireYears(c, yearOf(n), yearOf(n));
  return isWorking(c, n);
}

/** How a notice of n working days was counted: the end, and every day between publication and the end by kind. */
export interface WorkingDayCount {
  ok: true;
  /** exclusive end: midnight Asia/Shanghai after the last counted day */
  end: Date;
  /** the n working days counted, in order (make-up days included) */
  counted: string[];
  /** statutory holidays passed over (weekend days within a holiday included) */
  holidays: string[];
  /** make-up working days (调休上班) among `counted`: Saturdays or Sundays that counted */
  makeupWorkdays: string[];
  /** ordinary Saturdays and Sundays passed over */
  weekendDays: string[];
  /** the calendar years whose arrangement the count used */
  years: number[];
}

/**
 * Counts a notice of `workingDays` working days published at `start` (see the module comment for the
 * convention): the end and the days it passed over, or the first year the calendar lacks. RangeError when
 * `workingDays` is not a positive integer, `start` is not a valid Date, or the calendar is malformed.
 */
export function countWorkingDays(start: Date, workingDays: number, calendar: WorkingCalendar): WorkingDayCount | { ok: false; missingYear: number } {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) throw new RangeError(`not a positive whole number of working days: ${workingDays}`);
  const c = compile(calendar);
  let n = dayNumber(validInstant(start));
  const counted: string[] = [];
  const holidays: string[] = [];
  const makeupWorkdays: string[] = [];
  const weekendDays: string[] = [];
  const years = new Set<number>();
  while (counted.length < workingDays) {
    n += 1;
    const year = yearOf(n);
    if (!c.years.has(year)) return { ok: false, missingYear: year };
    years.add(year);
    const day = dayString(n);
    if (c.on.has(n)) {
      counted.push(day);
      if (isWeekend(n)) makeupWorkdays.push(day);
    } else if (c.off.has(n)) holidays.push(day);
    else if (isWeekend(n)) weekendDays.push(day);
    else counted.push(day);
  }
  return { ok: true, end: midnightOf(n + 1), counted, holidays, makeupWorkdays, weekendDays, years: [...years] };
}

/**
 * The instant a notice published at `start` ends, after `workingDays` working days. MissingCalendarYear
 * when the count reaches a year the calendar lacks; RangeError as for `countWorkingDays`.
 */
export function noticeEndsAt(start: Date, workingDays: number, calendar: WorkingCalendar): Date {
  const count = countWorkingDays(start, workingDays, calendar);
  if (!count.ok) throw new MissingCalendarYear(count.missingYear);
  return count.end;
}

/** Monday–Fridays among the day numbers lo…hi inclusive, in constant time. */
function weekdaysIn(lo: number, hi: number): number {
  if (hi < lo) return 0;
  const span = hi - lo + 1;
  let count = Math.floor(span / 7) * 5;
  for (let n = lo + span - (span % 7); n <= hi; n++) if (!isWeekend(n)) count += 1;
  return count;
}

/**
 * The number of working days strictly after the Shanghai day of `a` and strictly before the Shanghai day
 * of `b` — the complete working days between them, not counting the day of `a` (as the notice does not count
 * the day of publication). 0 when `b` is not later. So `workingDaysBetween(start, noticeEndsAt(start, n, c), c) === n`,
 * and `workingDaysBetween(now, end, c)` is the number of full working days a notice has left after today.
 * MissingCalendarYear when a day between them is in a year the calendar lacks.
 */
export function workingDaysBetween(a: Date, b: Date, calendar: WorkingCalendar): number {
  const c = compile(calendar);
  const lo = dayNumber(validInstant(a)) + 1;
  const hi = dayNumber(validInstant(b)) - 1;
  if (hi < lo) return 0;
  requireYears(c, yearOf(lo), yearOf(hi));
  let count = weekdaysIn(lo, hi);
  for (const n of c.off) if (n >= lo && n <= hi && !isWeekend(n)) count -= 1;
  for (const n of c.on) if (n >= lo && n <= hi && isWeekend(n)) count += 1;
  return count;
}
