import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  fixedDateHolidays,
  provisionalYear,
  arrangementsFromPackage,
  dayRanges,
  entryChanges,
  entryDigest,
  formatDayList,
  mergeCalendar,
  noticeBasis,
  parseDayList,
  readNoticeBasis,
  validateYearEntry,
  YearEntrySchema,
  type ChineseDaysData,
} from "./statutory-calendar";
import { countWorkingDays } from "./working-days";

const require = createRequire(import.meta.url);
const data = require("chinese-days/dist/chinese-days.json") as ChineseDaysData;
const packageYears = arrangementsFromPackage(data);

/** A notice's days as written in it ("10-01~10-07"), expanded; the test's own reading, checked against the package. */
const days = (year: number, text: string) => {
  const parsed = parseDayList(text, year);
  expect(parsed.errors).toEqual([]);
  return parsed.days;
};

/**
 * The State Council's notices, transcribed: 放假 periods (every day of each, weekends included) and the
 * weekend days worked (上班). The package must carry exactly these days.
 */
const PUBLISHED: Record<number, { notice: string; holidays: string; makeup: string }> = {
  // 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号, 2024-11-12),
  // https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm
  2025: {
    notice: "国办发明电〔2024〕12号",
    holidays: "01-01 01-28~02-04 04-04~04-06 05-01~05-05 05-31~06-02 10-01~10-08",
    makeup: "01-26 02-08 04-27 09-28 10-11",
  },
  // 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04),
  // https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm
  2026: {
    notice: "国务院办公厅关于2026年部分节假日安排的通知",
    holidays: "01-01~01-03 02-15~02-23 04-04~04-06 05-01~05-05 06-19~06-21 09-25~09-27 10-01~10-07",
    makeup: "01-04 02-14 02-28 05-09 09-20 10-10",
  },
};

describe("the chinese-days package against the published notices", () => {
  it.each([2025, 2026])("%i: the package's holidays and make-up working days are the notice's", (year) => {
    const p = PUBLISHED[year]!;
    expect(packageYears.get(year)).toEqual({ holidays: days(year, p.holidays), makeupWorkdays: days(year, p.makeup) });
    for (const d of days(year, p.makeup)) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });

  it("2027: not in the package (its notice was not published when 1.5.7 was) — when a version adds it, check it against the notice here", () => {
    expect(packageYears.has(2027)).toBe(false);
    expect(require("chinese-days/package.json").version).toBe("1.5.7");
  });

  it("knows every year from 2004 to 2026, each with holidays", () => {
    expect([...packageYears.keys()]).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    for (const a of packageYears.values()) expect(a.holidays.length).toBeGreaterThan(5);
  });
});

describe("the officials' entry of a year", () => {
  const entry = (v: Partial<Record<"year" | "holidays" | "makeupWorkdays" | "source", unknown>>) =>
    validateYearEntry(YearEntrySchema.parse({ year: 2026, holidays: "10-01~10-07", makeupWorkdays: "", source: "国务院办公厅通知", ...v }));

  it("reads days and ranges the way officials type them", () => {
    expect(parseDayList("2026-10-01~2026-10-03、10-05至10-06, 2026/1/4\n10.8..10.8", 2026)).toEqual({
      days: ["2026-01-04", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-05", "2026-10-06", "2026-10-08"],
      errors: [],
    });
    expect(parseDayList("  ", 2026)).toEqual({ days: [], errors: [] });
  });

  it("names the token at fault", () => {
    expect(parseDayList("10-32 2026-02-30 hello", 2026).errors).toEqual([
      'calendar.days.malformed|{"token":"10-32"}',
      'calendar.days.malformed|{"token":"2026-02-30"}',
      'calendar.days.malformed|{"token":"hello"}',
    ]);
    expect(parseDayList("10-07~10-01", 2026).errors).toEqual(['calendar.days.backwards|{"token":"10-07~10-01"}']);
    expect(parseDayList("01-01~03-01", 2026).errors).toEqual(['calendar.days.rangeTooLong|{"token":"01-01~03-01","max":31}']);
    expect(parseDayList("2025-12-31", 2026).errors).toEqual(['calendar.days.otherYear|{"day":"2025-12-31","year":2026}']);
  });

  it("accepts a year with holidays and weekend make-up days", () => {
    expect(entry({ makeupWorkdays: "09-20 10-10" })).toEqual({
      ok: true,
      entry: { year: 2026, holidays: days(2026, "10-01~10-07"), makeupWorkdays: ["2026-09-20", "2026-10-10"], source: "国务院办公厅通知" },
    });
  });

  it("refuses a make-up day on a weekday or on a holiday, a year without holidays, and days of another year", () => {
    expect(entry({ makeupWorkdays: "10-09" })).toEqual({ ok: false, fieldErrors: { makeupWorkdays: ['calendar.makeup.notWeekend|{"day":"2026-10-09"}'] } });
    expect(entry({ makeupWorkdays: "10-03" })).toEqual({ ok: false, fieldErrors: { makeupWorkdays: ['calendar.makeup.alsoHoliday|{"day":"2026-10-03"}'] } });
    expect(entry({ holidays: "、" })).toEqual({ ok: false, fieldErrors: { holidays: ["calendar.holidays.required"] } });
    expect(entry({ year: 2027, holidays: "2026-10-01" })).toEqual({ ok: false, fieldErrors: { holidays: ['calendar.days.otherYear|{"day":"2026-10-01","year":2027}'] } });
    expect(YearEntrySchema.safeParse({ year: 1999, holidays: "1-1", source: "通知原文" }).success).toBe(false);
    expect(YearEntrySchema.safeParse({ year: 2027, holidays: "1-1", source: "" }).success).toBe(false);
  });

  it("shows the days it adds and removes, and confirms exactly what was checked", () => {
    const checked = entry({ makeupWorkdays: "09-20" });
    if (!checked.ok) throw new Error("entry refused");
    expect(entryChanges(packageYears.get(2026), checked.entry)).toMatchObject({ holidaysAdded: [], makeupAdded: [], makeupRemoved: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-10-10"] });
    expect(entryChanges(undefined, checked.entry).holidaysAdded).toHaveLength(7);
    const changed = entry({ makeupWorkdays: "09-20 10-10" });
    if (!changed.ok) throw new Error("entry refused");
    expect(entryDigest(changed.entry)).not.toBe(entryDigest(checked.entry));
  });

  it("writes days back as ranges", () => {
    expect(formatDayList(days(2026, "10-01~10-07 10-10 02-14"))).toBe("2026-02-14\n2026-10-01~2026-10-07\n2026-10-10");
    expect(dayRanges(["2026-12-31", "2026-12-30"])).toEqual([{ from: "2026-12-30", to: "2026-12-31" }]);
  });
});

describe("the calendar in force", () => {
  const official = (id: string, year: number, createdAt: string, holidays: string[], makeupWorkdays: string[] = []) => ({ id, year, holidays, makeupWorkdays, source: `entry ${id}`, enteredById: "u1", createdAt: new Date(createdAt) });

  it("an officials' entry wins over the package for its year, the newest entry of a year wins, and it can add a year", () => {
    const { calendar, origins } = mergeCalendar(packageYears, "1.5.7", [
      official("b", 2026, "2026-12-02T00:00:00Z", ["2026-10-01"]),
      official("a", 2026, "2026-12-01T00:00:00Z", ["2026-10-02"]),
      official("c", 2027, "2026-12-03T00:00:00Z", ["2027-01-01"]),
    ]);
    expect(calendar.get(2026)).toEqual({ holidays: ["2026-10-01"], makeupWorkdays: [] });
    expect(calendar.get(2027)).toEqual({ holidays: ["2027-01-01"], makeupWorkdays: [] });
    expect(calendar.get(2025)).toEqual(packageYears.get(2025));
    expect(origins.get(2026)).toMatchObject({ kind: "officials", entryId: "b", source: "entry b" });
    expect(origins.get(2025)).toEqual({ kind: "package", version: "1.5.7" });
  });

  it("keeps how a notice was counted, with each year's source", () => {
    const { calendar, origins } = mergeCalendar(packageYears, "1.5.7", [official("c", 2027, "2026-12-03T00:00:00Z", ["2027-01-01"])]);
    const count = countWorkingDays(new Date("2026-12-28T10:00:00+08:00"), 5, calendar);
    if (!count.ok) throw new Error("count refused");
    const basis = noticeBasis(count, origins);
    expect(basis).toEqual({
      workingDays: 5,
      counted: ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"],
      holidays: ["2027-01-01"],
      makeupWorkdays: [],
      weekendDays: ["2027-01-02", "2027-01-03"],
      years: [
        { year: 2026, origin: "package", detail: "chinese-days 1.5.7" },
        { year: 2027, origin: "officials", detail: "entry c" },
      ],
    });
    expect(readNoticeBasis(JSON.parse(JSON.stringify(basis)))).toEqual(basis);
    expect(readNoticeBasis(null)).toBeNull();
    expect(readNoticeBasis({ workingDays: "five" })).toBeNull();
  });
});

describe("the holidays the law fixes on Gregorian days", () => {
  it("are New Year's Day, 1–2 May and 1–3 October of the year asked for, and nothing lunar", () => {
    expect(fixedDateHolidays(2027)).toEqual(["2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"]);
  });

  it("agree with the package's 2026, where those days are all holidays", () => {
    const year2026 = packageYears.get(2026)!;
    for (const day of fixedDateHolidays(2026)) expect(year2026.holidays).toContain(day);
  });

  it("refuse a year no entry may be for", () => {
    expect(() => fixedDateHolidays(1999)).toThrow(RangeError);
    expect(() => fixedDateHolidays(2026.5)).toThrow(RangeError);
  });
});

describe("provisional years", () => {
  it("hold the fixed-date holidays only, no make-up working days, and say whether they are demo or test data", () => {
    const demo = provisionalYear(2027, "demo");
    expect(demo.holidays).toEqual(fixedDateHolidays(2027));
    expect(demo.makeupWorkdays).toEqual([]);
    expect(demo.source).toMatch(/^演示数据/);
    expect(provisionalYear(2027, "test").source).toMatch(/^测试数据/);
  });
});
