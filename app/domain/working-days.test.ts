import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { arrangementsFromPackage, type ChineseDaysData } from "./statutory-calendar";
import { calendarFrom, countWorkingDays, isWorkingDay, MissingCalendarYear, noticeEndsAt, shanghaiDay, workingDaysBetween, type WorkingCalendar, type YearArrangement } from "./working-days";

/** 2024 National Day (国庆): 1–7 October off, Sunday 29 September and Saturday 12 October worked instead. */
const NATIONAL_DAY = ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07"];
const MAKEUP = ["2024-09-29", "2024-10-12"];

/** A calendar that knows every year 1999–2062, with these days off and worked and no others. */
function cal(holidays: readonly string[] = [], makeup: readonly string[] = []): WorkingCalendar {
  const years = new Map<number, { holidays: string[]; makeupWorkdays: string[] }>();
  for (let y = 1999; y <= 2062; y++) years.set(y, { holidays: [], makeupWorkdays: [] });
  for (const d of holidays) years.get(Number(d.slice(0, 4)))?.holidays.push(d);
  for (const d of makeup) years.get(Number(d.slice(0, 4)))?.makeupWorkdays.push(d);
  return years;
}
const WEEKENDS_ONLY = cal();
const CAL_2024 = cal(NATIONAL_DAY, MAKEUP);

/** The State Council's arrangements as the chinese-days package ships them (2004–2026 in 1.5.7). */
const STATUTORY: WorkingCalendar = arrangementsFromPackage(createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as ChineseDaysData);

const at = (iso: string) => new Date(iso);

describe("noticeEndsAt", () => {
  it("skips the weekend: published Thursday, 5 working days end at midnight after the next Thursday", () => {
    expect(noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, WEEKENDS_ONLY)).toEqual(at("2024-03-15T00:00:00+08:00"));
  });

  it("counts from the next working day when published on a weekend", () => {
    expect(noticeEndsAt(at("2024-03-09T12:00:00+08:00"), 5, WEEKENDS_ONLY)).toEqual(at("2024-03-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-10T23:59:59+08:00"), 1, WEEKENDS_ONLY)).toEqual(at("2024-03-12T00:00:00+08:00"));
  });

  it("never counts the day of publication, even when published at its midnight", () => {
    expect(noticeEndsAt(at("2024-03-11T00:00:00+08:00"), 1, WEEKENDS_ONLY)).toEqual(at("2024-03-13T00:00:00+08:00"));
  });

  it("uses the Shanghai calendar day, not the UTC one", () => {
    // 17:00 UTC on Thursday 7 March is 01:00 on Friday 8 March in Shanghai.
    expect(noticeEndsAt(at("2024-03-07T17:00:00Z"), 5, WEEKENDS_ONLY)).toEqual(at("2024-03-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-07T15:59:59Z"), 5, WEEKENDS_ONLY)).toEqual(at("2024-03-15T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, WEEKENDS_ONLY).toISOString()).toBe("2024-03-14T16:00:00.000Z");
  });

  it("skips holidays and counts a make-up Sunday", () => {
    // Friday 27 Sept → Sun 29 (make-up), Mon 30, [1–7 Oct off], Tue 8, Wed 9, Thu 10.
    expect(noticeEndsAt(at("2024-09-27T15:00:00+08:00"), 5, CAL_2024)).toEqual(at("2024-10-11T00:00:00+08:00"));
    // Without the calendar: Mon 30 Sept … Fri 4 Oct.
    expect(noticeEndsAt(at("2024-09-27T15:00:00+08:00"), 5, WEEKENDS_ONLY)).toEqual(at("2024-10-05T00:00:00+08:00"));
  });

  it("counts a make-up Saturday", () => {
    // Wednesday 9 Oct → Thu 10, Fri 11, Sat 12 (make-up), Mon 14, Tue 15.
    expect(noticeEndsAt(at("2024-10-09T09:00:00+08:00"), 5, CAL_2024)).toEqual(at("2024-10-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-10-09T09:00:00+08:00"), 5, cal(NATIONAL_DAY))).toEqual(at("2024-10-17T00:00:00+08:00"));
  });

  it("a notice published during the holiday starts after it", () => {
    expect(noticeEndsAt(at("2024-10-03T10:00:00+08:00"), 1, CAL_2024)).toEqual(at("2024-10-09T00:00:00+08:00"));
  });

  it("refuses nonsense", () => {
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 0, WEEKENDS_ONLY)).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 2.5, WEEKENDS_ONLY)).toThrow(RangeError);
    expect(() => noticeEndsAt(new Date(Number.NaN), 5, WEEKENDS_ONLY)).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, calendarFrom({ 2024: { holidays: ["2024-02-30"], makeupWorkdays: [] } }))).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, calendarFrom({ 2024: { holidays: ["2024/03/08"], makeupWorkdays: [] } }))).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, calendarFrom({ 2024: { holidays: ["2024-03-09"], makeupWorkdays: ["2024-03-09"] } }))).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("counts the complete working days after the first day and before the second", () => {
    const start = at("2024-09-27T15:00:00+08:00");
    const end = at("2024-10-11T00:00:00+08:00");
    expect(workingDaysBetween(start, end, CAL_2024)).toBe(5);
    // on the morning of Tue 8 Oct, the notice still has Wed 9 and Thu 10 to run after today
    expect(workingDaysBetween(at("2024-10-08T09:00:00+08:00"), end, CAL_2024)).toBe(2);
    expect(workingDaysBetween(start, end, WEEKENDS_ONLY)).toBe(9);
  });

  it("is 0 for the same or adjacent days and when the second instant is earlier", () => {
    expect(workingDaysBetween(at("2024-03-11T09:00:00+08:00"), at("2024-03-11T18:00:00+08:00"), WEEKENDS_ONLY)).toBe(0);
    expect(workingDaysBetween(at("2024-03-11T09:00:00+08:00"), at("2024-03-12T18:00:00+08:00"), WEEKENDS_ONLY)).toBe(0);
    expect(workingDaysBetween(at("2024-03-15T09:00:00+08:00"), at("2024-03-11T09:00:00+08:00"), WEEKENDS_ONLY)).toBe(0);
  });

  it("counts whole years quickly", () => {
    expect(workingDaysBetween(at("2023-12-31T12:00:00+08:00"), at("2025-01-01T12:00:00+08:00"), WEEKENDS_ONLY)).toBe(262);
  });
});

describe("isWorkingDay and shanghaiDay", () => {
  it("knows weekdays, weekends, holidays and make-up days", () => {
    expect(isWorkingDay("2024-03-08", WEEKENDS_ONLY)).toBe(true);
    expect(isWorkingDay("2024-03-09", WEEKENDS_ONLY)).toBe(false);
    expect(isWorkingDay("2024-10-01", CAL_2024)).toBe(false);
    expect(isWorkingDay("2024-10-12", CAL_2024)).toBe(true);
  });

  it("gives the Shanghai calendar day of an instant", () => {
    expect(shanghaiDay(at("2024-03-07T15:59:59Z"))).toBe("2024-03-07");
    expect(shanghaiDay(at("2024-03-07T16:00:00Z"))).toBe("2024-03-08");
  });
});

describe("the statutory calendar (State Council arrangements, from the chinese-days package)", () => {
  it("National Day 2026: a 5-working-day notice published on 30 September skips 1–7 October and counts make-up Saturday 10 October", () => {
    // weekends only, it would end at 8 October 00:00 with every "working day" inside the holiday
    expect(noticeEndsAt(at("2026-09-30T10:00:00+08:00"), 5, WEEKENDS_ONLY)).toEqual(at("2026-10-08T00:00:00+08:00"));
    const count = countWorkingDays(at("2026-09-30T10:00:00+08:00"), 5, STATUTORY);
    expect(count).toEqual({
      ok: true,
      end: at("2026-10-14T00:00:00+08:00"),
      counted: ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"],
      holidays: ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
      makeupWorkdays: ["2026-10-10"],
      weekendDays: ["2026-10-11"],
      years: [2026],
    });
  });

  it("National Day 2026: make-up Sunday 20 September counts, and the Friday Mid-Autumn holiday (25 September) does not", () => {
    // published Friday 18 Sept → Sun 20 (make-up), Mon 21, Tue 22, Wed 23, Thu 24
    expect(noticeEndsAt(at("2026-09-18T16:00:00+08:00"), 5, STATUTORY)).toEqual(at("2026-09-25T00:00:00+08:00"));
    // published Thursday 24 Sept → [Fri 25 – Sun 27 off], Mon 28, Tue 29, Wed 30, [1–7 Oct off], Thu 8, Fri 9
    expect(noticeEndsAt(at("2026-09-24T09:00:00+08:00"), 5, STATUTORY)).toEqual(at("2026-10-10T00:00:00+08:00"));
    expect(isWorkingDay("2026-09-20", STATUTORY)).toBe(true);
    expect(isWorkingDay("2026-09-25", STATUTORY)).toBe(false);
  });

  it("a Friday Dragon Boat holiday (19 June 2026) is skipped with the weekend after it", () => {
    // published Thursday 18 June: Fri 19 – Sun 21 off, Monday 22 is the first working day
    expect(countWorkingDays(at("2026-06-18T10:00:00+08:00"), 1, STATUTORY)).toMatchObject({ ok: true, end: at("2026-06-23T00:00:00+08:00"), counted: ["2026-06-22"], holidays: ["2026-06-19", "2026-06-20", "2026-06-21"] });
    // published Wednesday 17 June: Thu 18, [Fri 19 – Sun 21], Mon 22 … Thu 25
    expect(noticeEndsAt(at("2026-06-17T10:00:00+08:00"), 5, STATUTORY)).toEqual(at("2026-06-26T00:00:00+08:00"));
    expect(noticeEndsAt(at("2026-06-17T10:00:00+08:00"), 5, WEEKENDS_ONLY)).toEqual(at("2026-06-25T00:00:00+08:00"));
  });

  it("Spring Festival 2026: nine days off (15–23 February) and make-up Saturdays 14 and 28 February", () => {
    // published Thursday 12 Feb → Fri 13, Sat 14 (make-up), [15–23 off], Tue 24, Wed 25, Thu 26
    const count = countWorkingDays(at("2026-02-12T10:00:00+08:00"), 5, STATUTORY);
    expect(count).toMatchObject({ ok: true, end: at("2026-02-27T00:00:00+08:00"), counted: ["2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"], makeupWorkdays: ["2026-02-14"] });
    // published Thursday 26 Feb → Fri 27, Sat 28 (make-up), Mon 2 Mar, Tue 3, Wed 4
    expect(noticeEndsAt(at("2026-02-26T10:00:00+08:00"), 5, STATUTORY)).toEqual(at("2026-03-05T00:00:00+08:00"));
  });

  it("Spring Festival 2025: make-up Sunday 26 January and make-up Saturday 8 February both count", () => {
    // published Friday 24 Jan → Sun 26 (make-up), Mon 27, [28 Jan – 4 Feb off], Wed 5, Thu 6, Fri 7
    expect(countWorkingDays(at("2025-01-24T10:00:00+08:00"), 5, STATUTORY)).toMatchObject({ ok: true, end: at("2025-02-08T00:00:00+08:00"), makeupWorkdays: ["2025-01-26"] });
    // published Thursday 6 Feb → Fri 7, Sat 8 (make-up), Mon 10, Tue 11, Wed 12
    expect(countWorkingDays(at("2025-02-06T10:00:00+08:00"), 5, STATUTORY)).toMatchObject({ ok: true, end: at("2025-02-13T00:00:00+08:00"), makeupWorkdays: ["2025-02-08"] });
  });

  it("Spring Festival 2027: the package has no 2027 arrangement yet, so every count that reaches 2027 is refused, naming the year", () => {
    expect(STATUTORY.has(2027)).toBe(false);
    expect(countWorkingDays(at("2027-02-01T10:00:00+08:00"), 5, STATUTORY)).toEqual({ ok: false, missingYear: 2027 });
    // published Monday 28 Dec 2026: 29, 30, 31 count, then 1 January 2027 is unknown
    expect(countWorkingDays(at("2026-12-28T10:00:00+08:00"), 5, STATUTORY)).toEqual({ ok: false, missingYear: 2027 });
    // but a notice that ends on 31 December needs nothing of 2027: published Thursday 24 Dec → 25, 28, 29, 30, 31
    expect(noticeEndsAt(at("2026-12-24T10:00:00+08:00"), 5, STATUTORY)).toEqual(at("2027-01-01T00:00:00+08:00"));
    expect(() => noticeEndsAt(at("2026-12-28T10:00:00+08:00"), 5, STATUTORY)).toThrow(MissingCalendarYear);
    expect(() => isWorkingDay("2027-02-08", STATUTORY)).toThrow(expect.objectContaining({ year: 2027 }));
    expect(() => workingDaysBetween(at("2026-12-20T10:00:00+08:00"), at("2027-01-10T10:00:00+08:00"), STATUTORY)).toThrow(MissingCalendarYear);
  });

  it("never counts weekends only for a year it lacks, however near", () => {
    const only2026: WorkingCalendar = new Map([[2026, STATUTORY.get(2026)!]]);
    // the day of publication (in 2025) is never counted, so 2025 is not needed: 1–3 Jan off, Sunday 4 Jan worked
    expect(countWorkingDays(at("2025-12-31T10:00:00+08:00"), 1, only2026)).toMatchObject({ ok: true, counted: ["2026-01-04"], holidays: ["2026-01-01", "2026-01-02", "2026-01-03"] });
    expect(countWorkingDays(at("2026-01-02T10:00:00+08:00"), 1, new Map<number, YearArrangement>([[2025, STATUTORY.get(2025)!]]))).toEqual({ ok: false, missingYear: 2026 });
    expect(countWorkingDays(at("2026-03-02T10:00:00+08:00"), 1, new Map())).toEqual({ ok: false, missingYear: 2026 });
  });

  it("refuses a calendar that lists a day under another year", () => {
    expect(() => noticeEndsAt(at("2026-03-02T10:00:00+08:00"), 1, calendarFrom({ 2026: { holidays: ["2025-12-31"], makeupWorkdays: [] } }))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, against a reference built on Intl's Asia/Shanghai calendar
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const shanghaiParts = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" });
function reference(instant: Date) {
  const parts = Object.fromEntries(shanghaiParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, weekend: parts.weekday === "Sat" || parts.weekday === "Sun" };
}
/** Plain weekend counting, one day at a time through Intl (Shanghai has no DST: a day is 24 h). */
function referenceEnd(start: Date, n: number): Date {
  let t = start.getTime();
  let counted = 0;
  while (counted < n) {
    t += DAY_MS;
    if (!reference(new Date(t)).weekend) counted += 1;
  }
  return new Date(`${reference(new Date(t + DAY_MS)).day}T00:00:00+08:00`);
}

const instant = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2060-12-31T00:00:00Z"), noInvalidDate: true });
const days = fc.integer({ min: 1, max: 40 });
/** Holidays and make-up days near the instant, never the same day in both lists. */
const calendarNear = (start: Date) =>
  fc.uniqueArray(fc.tuple(fc.integer({ min: -3, max: 60 }), fc.boolean()), { selector: ([d]) => d, maxLength: 20 }).map((list) => {
    const dayOf = (d: number) => shanghaiDay(new Date(start.getTime() + d * DAY_MS));
    return {
      holidays: list.filter(([, off]) => off).map(([d]) => dayOf(d)),
      makeup: list.filter(([, off]) => !off).map(([d]) => dayOf(d)),
    };
  });
const withCalendar = fc.tuple(instant, days).chain(([start, n]) => calendarNear(start).map((cal) => ({ start, n, ...cal })));

describe("working days: properties", () => {
  it("without holidays, equals plain weekend counting in the Shanghai calendar", () => {
    fc.assert(
      fc.property(instant, days, (start, n) => {
        expect(noticeEndsAt(start, n, WEEKENDS_ONLY)).toEqual(referenceEnd(start, n));
        expect(shanghaiDay(start)).toBe(reference(start).day);
      }),
    );
  });

  it("ends after the start, at a Shanghai midnight, at the end of a working day, after exactly n working days", () => {
    fc.assert(
      fc.property(withCalendar, ({ start, n, holidays, makeup }) => {
        const calendar = cal(holidays, makeup);
        const end = noticeEndsAt(start, n, calendar);
        expect(end.getTime()).toBeGreaterThan(start.getTime());
        expect((end.getTime() + 8 * 3_600_000) % DAY_MS).toBe(0);
        expect(isWorkingDay(shanghaiDay(new Date(end.getTime() - 1)), calendar)).toBe(true);
        expect(workingDaysBetween(start, end, calendar)).toBe(n);
        expect(workingDaysBetween(start, new Date(end.getTime() - 1), calendar)).toBe(n - 1);
        // one more working day ends strictly later
        expect(noticeEndsAt(start, n + 1, calendar).getTime()).toBeGreaterThan(end.getTime());
      }),
    );
  });

  it("holidays only delay the end, make-up days only bring it forward", () => {
    fc.assert(
      fc.property(withCalendar, ({ start, n, holidays, makeup }) => {
        const plain = noticeEndsAt(start, n, WEEKENDS_ONLY).getTime();
        expect(noticeEndsAt(start, n, cal(holidays)).getTime()).toBeGreaterThanOrEqual(plain);
        expect(noticeEndsAt(start, n, cal([], makeup)).getTime()).toBeLessThanOrEqual(plain);
      }),
    );
  });

  it("workingDaysBetween agrees with counting isWorkingDay day by day", () => {
    fc.assert(
      fc.property(withCalendar, fc.integer({ min: -5, max: 70 }), ({ start, holidays, makeup }, span) => {
        const calendar = cal(holidays, makeup);
        const end = new Date(start.getTime() + span * DAY_MS);
        let expected = 0;
        for (let d = 1; d < span; d++) if (isWorkingDay(shanghaiDay(new Date(start.getTime() + d * DAY_MS)), calendar)) expected += 1;
        expect(workingDaysBetween(start, end, calendar)).toBe(expected);
      }),
    );
  });
});
