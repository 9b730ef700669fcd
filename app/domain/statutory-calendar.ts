/**
 * The statutory calendar behind every working-day count (docs/decisions/016-statutory-working-days.md):
 * the State Council's yearly arrangement of holidays (放假) and make-up working days (调休上班) as the
 * chinese-days package carries it, and the officials' entries that add a year the package lacks or
 * correct one it has. Pure: reading the package and the database is services/areas/calendar.server.ts.
 *
 * An officials' entry replaces the package's arrangement of its year as a whole (the newest entry of a
 * year is in force). A year's entry lists days of that calendar year only: when a notice puts a make-up
 * day in late December for the next New Year, that day is entered (or corrected) under December's year.
 */
import { z } from "zod";
import { withParams } from "./messages";
import { isWeekendDay, parseDay, type WorkingCalendar, type WorkingDayCount, type YearArrangement } from "./working-days";

/** Years an entry may be for. */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;
/** More than any real year has (about 30 days off, 6 make-up days); bounds what a form can send. */
export const MAX_HOLIDAYS = 80;
export const MAX_MAKEUP_DAYS = 20;
/** A range longer than this is a typing mistake: the longest statutory break is 9 days. */
export const MAX_RANGE_DAYS = 31;

/** Where a year's arrangement comes from. */
export type YearOrigin =
  | { kind: "package"; version: string }
  | { kind: "officials"; entryId: string; source: string; enteredAt: string; enteredById: string };

// ───────────────────────────── the chinese-days package's data ─────────────────────────────

/** The shape of chinese-days' dist/chinese-days.json: day → "English name,中文名,days". */
export interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The package's days grouped by calendar year, sorted. A year is known when the package lists at least
 * one holiday in it (it lists every year it covers in full).
 */
export function arrangementsFromPackage(data: ChineseDaysData): Map<number, YearArrangement> {
  const years = new Map<number, { holidays: string[]; makeupWorkdays: string[] }>();
  const year = (day: string) => Number(day.slice(0, 4));
  for (const day of Object.keys(data.holidays)) {
    parseDay(day);
    const entry = years.get(year(day)) ?? { holidays: [], makeupWorkdays: [] };
    entry.holidays.push(day);
    years.set(year(day), entry);
  }
  for (const day of Object.keys(data.workdays)) {
    parseDay(day);
    // a make-up day in a year with no holiday listed would be a stray: its year stays unknown
    years.get(year(day))?.makeupWorkdays.push(day);
  }
  for (const entry of years.values()) {
    entry.holidays.sort();
    entry.makeupWorkdays.sort();
  }
  return new Map([...years].sort(([a], [b]) => a - b));
}

/** The package's names of holidays by day ("国庆节" / "National Day"), for showing a year to officials. */
export function holidayNamesFromPackage(data: ChineseDaysData): Map<string, { zh: string; en: string }> {
  const names = new Map<string, { zh: string; en: string }>();
  for (const [day, value] of [...Object.entries(data.holidays), ...Object.entries(data.workdays)]) {
    const [en = "", zh = ""] = value.split(",");
    names.set(day, { zh, en });
  }
  return names;
}

// ───────────────────────────── the calendar in force ─────────────────────────────

export interface OfficialsEntry {
  id: string;
  year: number;
  holidays: readonly string[];
  makeupWorkdays: readonly string[];
  source: string;
  enteredById: string;
  createdAt: Date;
}

/**
 * The calendar in force: the package's years, each replaced by the newest officials' entry of that year
 * when there is one, and the years only the officials entered. With the origin of every year.
 */
export function mergeCalendar(
  packageYears: ReadonlyMap<number, YearArrangement>,
  packageVersion: string,
  entries: readonly OfficialsEntry[],
): { calendar: WorkingCalendar; origins: ReadonlyMap<number, YearOrigin> } {
  const calendar = new Map<number, YearArrangement>();
  const origins = new Map<number, YearOrigin>();
  for (const [year, arrangement] of packageYears) {
    calendar.set(year, arrangement);
    origins.set(year, { kind: "package", version: packageVersion });
  }
  const newest = new Map<number, OfficialsEntry>();
  for (const e of entries) {
    const seen = newest.get(e.year);
    if (!seen || e.createdAt > seen.createdAt || (e.createdAt.getTime() === seen.createdAt.getTime() && e.id > seen.id)) newest.set(e.year, e);
  }
  for (const [year, e] of newest) {
    calendar.set(year, { holidays: [...e.holidays], makeupWorkdays: [...e.makeupWorkdays] });
    origins.set(year, { kind: "officials", entryId: e.id, source: e.source, enteredAt: e.createdAt.toISOString(), enteredById: e.enteredById });
  }
  return { calendar: new Map([...calendar].sort(([a], [b]) => a - b)), origins };
}

// ───────────────────────────── how a notice was counted ─────────────────────────────

/** What an Award keeps of how its notice's end was counted (Award.noticeBasis), shown on the notice. */
export const NoticeBasisSchema = z.object({
  workingDays: z.number().int().positive(),
  counted: z.array(z.string()),
  holidays: z.array(z.string()),
  makeupWorkdays: z.array(z.string()),
  weekendDays: z.array(z.string()),
  years: z.array(
    z.object({
      year: z.number().int(),
      origin: z.enum(["package", "officials"]),
      /** the package's version, or the source the officials noted */
      detail: z.string(),
    }),
  ),
});
export type NoticeBasis = z.infer<typeof NoticeBasisSchema>;

export function noticeBasis(count: WorkingDayCount, origins: ReadonlyMap<number, YearOrigin>): NoticeBasis {
  return {
    workingDays: count.counted.length,
    counted: count.counted,
    holidays: count.holidays,
    makeupWorkdays: count.makeupWorkdays,
    weekendDays: count.weekendDays,
    years: count.years.map((year) => {
      const o = origins.get(year);
      return o?.kind === "officials" ? { year, origin: "officials", detail: o.source } : { year, origin: "package", detail: o?.kind === "package" ? `chinese-days ${o.version}` : "" };
    }),
  };
}

/** A stored basis, or null when there is none (awards published before it was kept) or it is not one. */
export function readNoticeBasis(value: unknown): NoticeBasis | null {
  const parsed = NoticeBasisSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Days as runs of consecutive days ("2026-10-01" … "2026-10-07" → one range), for display and for the form. */
export function dayRanges(days: readonly string[]): { from: string; to: string }[] {
  const sorted = [...new Set(days)].sort();
  const ranges: { from: string; to: string }[] = [];
  let prev = Number.NaN;
  for (const day of sorted) {
    const n = parseDay(day);
    const last = ranges.at(-1);
    if (last && n === prev + 1) last.to = day;
    else ranges.push({ from: day, to: day });
    prev = n;
  }
  return ranges;
}

/** Days written the way the officials' form reads them: "2026-10-01~2026-10-07 2026-10-10". */
export const formatDayList = (days: readonly string[]) => dayRanges(days).map((r) => (r.from === r.to ? r.from : `${r.from}~${r.to}`)).join("\n");

// ───────────────────────────── the officials' form ─────────────────────────────

const text = (max: number) => z.string().trim().max(max, "calendar.tooLong");

/** The fields of a year's entry as the form sends them; the days are parsed by `validateYearEntry`. */
export const yearEntryFields = {
  year: z.number({ error: "calendar.year.invalid" }).int("calendar.year.invalid").min(CALENDAR_YEARS.min, "calendar.year.invalid").max(CALENDAR_YEARS.max, "calendar.year.invalid"),
  holidays: z.string({ error: "calendar.holidays.required" }).trim().min(1, "calendar.holidays.required").max(4_000, "calendar.tooLong"),
  makeupWorkdays: text(2_000).optional().default(""),
  source: z.string({ error: "calendar.source.required" }).trim().min(4, "calendar.source.required").max(300, "calendar.tooLong"),
};
export const YearEntrySchema = z.object(yearEntryFields);
export type YearEntryInput = z.input<typeof YearEntrySchema>;

export interface YearEntry {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
  source: string;
}

const RANGE = /^(.+?)(?:~|～|至|到|\.\.|–|—)(.+)$/;
const FULL = /^\d{4}-\d{1,2}-\d{1,2}$/;
const SHORT = /^\d{1,2}-\d{1,2}$/;

/** "2026-1-4", "1-4" (in `year`) → "2026-01-04"; null when it is not a day. */
function normalizeDay(token: string, year: number): string | null {
  const t = token.replace(/[/.]/g, "-");
  const parts = FULL.test(t) ? t.split("-") : SHORT.test(t) ? [String(year), ...t.split("-")] : null;
  if (!parts) return null;
  const day = `${parts[0]}-${parts[1]!.padStart(2, "0")}-${parts[2]!.padStart(2, "0")}`;
  try {
    parseDay(day);
    return day;
  } catch {
    return null;
  }
}

/**
 * Days and ranges as an official types them — separated by spaces, new lines, commas or 、; a range as
 * `2026-10-01~2026-10-07` (also 至, .., –); the year may be left out (`10-01~10-07`) — into sorted,
 * distinct days of `year`, or message keys with the token at fault.
 */
export function parseDayList(input: string, year: number): { days: string[]; errors: string[] } {
  const days = new Set<string>();
  const errors: string[] = [];
  for (const raw of input.split(/[\s,，、;；]+/)) {
    const token = raw.trim();
    if (!token) continue;
    const range = RANGE.exec(token);
    const from = normalizeDay(range ? range[1]!.trim() : token, year);
    const to = range ? normalizeDay(range[2]!.trim(), year) : from;
    if (!from || !to) {
      errors.push(withParams("calendar.days.malformed", { token }));
      continue;
    }
    const [a, b] = [parseDay(from), parseDay(to)];
    if (b < a) {
      errors.push(withParams("calendar.days.backwards", { token }));
      continue;
    }
    if (b - a + 1 > MAX_RANGE_DAYS) {
      errors.push(withParams("calendar.days.rangeTooLong", { token, max: MAX_RANGE_DAYS }));
      continue;
    }
    for (let n = a; n <= b; n++) {
      const day = new Date(n * 86_400_000).toISOString().slice(0, 10);
      if (Number(day.slice(0, 4)) !== year) {
        errors.push(withParams("calendar.days.otherYear", { day, year }));
        break;
      }
      days.add(day);
    }
  }
  return { days: [...days].sort(), errors };
}

/**
 * A year's entry from the form, checked: the days parse and lie in the year, there is at least one
 * holiday, make-up working days fall on a Saturday or Sunday (a weekday is a working day anyway) and
 * none is also a holiday, and the lists stay within bounds. Errors are message keys by field.
 */
export function validateYearEntry(input: z.output<typeof YearEntrySchema>): { ok: true; entry: YearEntry } | { ok: false; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  const add = (field: string, key: string) => (fieldErrors[field] ??= []).push(key);
  const holidays = parseDayList(input.holidays, input.year);
  const makeup = parseDayList(input.makeupWorkdays, input.year);
  for (const e of holidays.errors) add("holidays", e);
  for (const e of makeup.errors) add("makeupWorkdays", e);
  if (!holidays.errors.length && holidays.days.length === 0) add("holidays", "calendar.holidays.required");
  if (holidays.days.length > MAX_HOLIDAYS) add("holidays", withParams("calendar.days.tooMany", { max: MAX_HOLIDAYS }));
  if (makeup.days.length > MAX_MAKEUP_DAYS) add("makeupWorkdays", withParams("calendar.days.tooMany", { max: MAX_MAKEUP_DAYS }));
  const off = new Set(holidays.days);
  for (const day of makeup.days) {
    if (!isWeekendDay(day)) add("makeupWorkdays", withParams("calendar.makeup.notWeekend", { day }));
    if (off.has(day)) add("makeupWorkdays", withParams("calendar.makeup.alsoHoliday", { day }));
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: true, entry: { year: input.year, holidays: holidays.days, makeupWorkdays: makeup.days, source: input.source } };
}

/**
 * What an official confirms: the entry in one canonical line. The form carries the line it showed, and
 * saving refuses an entry that differs from it (the official changed something after checking).
 */
export const entryDigest = (e: YearEntry) => [e.year, e.holidays.join(","), e.makeupWorkdays.join(","), e.source].join("|");

/** The days an entry adds and removes compared with the arrangement in force for its year (none when the year is new). */
export function entryChanges(current: YearArrangement | undefined, next: YearEntry) {
  const diff = (a: readonly string[], b: readonly string[]) => a.filter((d) => !b.includes(d));
  const was = current ?? { holidays: [], makeupWorkdays: [] };
  return {
    holidaysAdded: diff(next.holidays, was.holidays),
    holidaysRemoved: diff(was.holidays, next.holidays),
    makeupAdded: diff(next.makeupWorkdays, was.makeupWorkdays),
    makeupRemoved: diff(was.makeupWorkdays, next.makeupWorkdays),
  };
}

// ───────────────────────────── what the law fixes by the Gregorian calendar ─────────────────────────────

/**
 * The holidays 《全国年节及纪念日放假办法》 puts on fixed Gregorian days: New Year's Day (1 January),
 * Labour Day (1–2 May) and National Day (1–3 October). The lunar holidays and the year's make-up
 * working days (调休) come only with the State Council's yearly notice, so a year built from these
 * alone is provisional: the demo and the test suites use it, labelled so, for years the package lacks.
 */
export function fixedDateHolidays(year: number): string[] {
  if (!Number.isSafeInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) throw new RangeError(`not a calendar year: ${year}`);
  return ["01-01", "05-01", "05-02", "10-01", "10-02", "10-03"].map((md) => `${year}-${md}`);
}

/** Who a provisional year is entered for: the demo story or a test suite's database. */
export type ProvisionalUse = "demo" | "test";

const PROVISIONAL_SOURCE: Record<ProvisionalUse, string> = {
  demo: "演示数据：仅法定公历节日（元旦、劳动节、国庆节），待按国务院办公厅放假安排通知更正 / Demo data: fixed-date statutory holidays only, to be corrected from the State Council's notice",
  test: "测试数据：仅法定公历节日（全国年节及纪念日放假办法） / Test data: fixed-date statutory holidays only",
};

/** A year entry built from the fixed-date holidays alone, labelled with what it is for (never for real rounds). */
export function provisionalYear(year: number, use: ProvisionalUse): { year: number; holidays: string[]; makeupWorkdays: string[]; source: string } {
  return { year, holidays: fixedDateHolidays(year), makeupWorkdays: [], source: PROVISIONAL_SOURCE[use] };
}
