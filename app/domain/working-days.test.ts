import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isWorkingDay, noticeEndsAt, shanghaiDay, workingDaysBetween } from "./working-days";

/** 2024 National Day (国庆): 1–7 October off, Sunday 29 September and Saturday 12 October worked instead. */
const NATIONAL_DAY = ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07"];
const MAKEUP = ["2024-09-29", "2024-10-12"];

const at = (iso: string) => new Date(iso);

describe("noticeEndsAt", () => {
  it("skips the weekend: published Thursday, 5 working days end at midnight after the next Thursday", () => {
    expect(noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5)).toEqual(at("2024-03-15T00:00:00+08:00"));
  });

  it("counts from the next working day when published on a weekend", () => {
    expect(noticeEndsAt(at("2024-03-09T12:00:00+08:00"), 5)).toEqual(at("2024-03-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-10T23:59:59+08:00"), 1)).toEqual(at("2024-03-12T00:00:00+08:00"));
  });

  it("never counts the day of publication, even when published at its midnight", () => {
    expect(noticeEndsAt(at("2024-03-11T00:00:00+08:00"), 1)).toEqual(at("2024-03-13T00:00:00+08:00"));
  });

  it("uses the Shanghai calendar day, not the UTC one", () => {
    // 17:00 UTC on Thursday 7 March is 01:00 on Friday 8 March in Shanghai.
    expect(noticeEndsAt(at("2024-03-07T17:00:00Z"), 5)).toEqual(at("2024-03-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-07T15:59:59Z"), 5)).toEqual(at("2024-03-15T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5).toISOString()).toBe("2024-03-14T16:00:00.000Z");
  });

  it("skips holidays and counts a make-up Sunday", () => {
    // Friday 27 Sept → Sun 29 (make-up), Mon 30, [1–7 Oct off], Tue 8, Wed 9, Thu 10.
    expect(noticeEndsAt(at("2024-09-27T15:00:00+08:00"), 5, NATIONAL_DAY, MAKEUP)).toEqual(at("2024-10-11T00:00:00+08:00"));
    // Without the calendar: Mon 30 Sept … Fri 4 Oct.
    expect(noticeEndsAt(at("2024-09-27T15:00:00+08:00"), 5)).toEqual(at("2024-10-05T00:00:00+08:00"));
  });

  it("counts a make-up Saturday", () => {
    // Wednesday 9 Oct → Thu 10, Fri 11, Sat 12 (make-up), Mon 14, Tue 15.
    expect(noticeEndsAt(at("2024-10-09T09:00:00+08:00"), 5, NATIONAL_DAY, MAKEUP)).toEqual(at("2024-10-16T00:00:00+08:00"));
    expect(noticeEndsAt(at("2024-10-09T09:00:00+08:00"), 5, NATIONAL_DAY)).toEqual(at("2024-10-17T00:00:00+08:00"));
  });

  it("a notice published during the holiday starts after it", () => {
    expect(noticeEndsAt(at("2024-10-03T10:00:00+08:00"), 1, NATIONAL_DAY, MAKEUP)).toEqual(at("2024-10-09T00:00:00+08:00"));
  });

  it("refuses nonsense", () => {
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 0)).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 2.5)).toThrow(RangeError);
    expect(() => noticeEndsAt(new Date(Number.NaN), 5)).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, ["2024-02-30"])).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, ["2024/03/08"])).toThrow(RangeError);
    expect(() => noticeEndsAt(at("2024-03-07T10:00:00+08:00"), 5, ["2024-03-09"], ["2024-03-09"])).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("counts the complete working days after the first day and before the second", () => {
    const start = at("2024-09-27T15:00:00+08:00");
    const end = at("2024-10-11T00:00:00+08:00");
    expect(workingDaysBetween(start, end, NATIONAL_DAY, MAKEUP)).toBe(5);
    // on the morning of Tue 8 Oct, the notice still has Wed 9 and Thu 10 to run after today
    expect(workingDaysBetween(at("2024-10-08T09:00:00+08:00"), end, NATIONAL_DAY, MAKEUP)).toBe(2);
    expect(workingDaysBetween(start, end)).toBe(9);
  });

  it("is 0 for the same or adjacent days and when the second instant is earlier", () => {
    expect(workingDaysBetween(at("2024-03-11T09:00:00+08:00"), at("2024-03-11T18:00:00+08:00"))).toBe(0);
    expect(workingDaysBetween(at("2024-03-11T09:00:00+08:00"), at("2024-03-12T18:00:00+08:00"))).toBe(0);
    expect(workingDaysBetween(at("2024-03-15T09:00:00+08:00"), at("2024-03-11T09:00:00+08:00"))).toBe(0);
  });

  it("counts whole years quickly", () => {
    expect(workingDaysBetween(at("2023-12-31T12:00:00+08:00"), at("2025-01-01T12:00:00+08:00"))).toBe(262);
  });
});

describe("isWorkingDay and shanghaiDay", () => {
  it("knows weekdays, weekends, holidays and make-up days", () => {
    expect(isWorkingDay("2024-03-08")).toBe(true);
    expect(isWorkingDay("2024-03-09")).toBe(false);
    expect(isWorkingDay("2024-10-01", NATIONAL_DAY, MAKEUP)).toBe(false);
    expect(isWorkingDay("2024-10-12", NATIONAL_DAY, MAKEUP)).toBe(true);
  });

  it("gives the Shanghai calendar day of an instant", () => {
    expect(shanghaiDay(at("2024-03-07T15:59:59Z"))).toBe("2024-03-07");
    expect(shanghaiDay(at("2024-03-07T16:00:00Z"))).toBe("2024-03-08");
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
        expect(noticeEndsAt(start, n)).toEqual(referenceEnd(start, n));
        expect(shanghaiDay(start)).toBe(reference(start).day);
      }),
    );
  });

  it("ends after the start, at a Shanghai midnight, at the end of a working day, after exactly n working days", () => {
    fc.assert(
      fc.property(withCalendar, ({ start, n, holidays, makeup }) => {
        const end = noticeEndsAt(start, n, holidays, makeup);
        expect(end.getTime()).toBeGreaterThan(start.getTime());
        expect((end.getTime() + 8 * 3_600_000) % DAY_MS).toBe(0);
        expect(isWorkingDay(shanghaiDay(new Date(end.getTime() - 1)), holidays, makeup)).toBe(true);
        expect(workingDaysBetween(start, end, holidays, makeup)).toBe(n);
        expect(workingDaysBetween(start, new Date(end.getTime() - 1), holidays, makeup)).toBe(n - 1);
        // one more working day ends strictly later
        expect(noticeEndsAt(start, n + 1, holidays, makeup).getTime()).toBeGreaterThan(end.getTime());
      }),
    );
  });

  it("holidays only delay the end, make-up days only bring it forward", () => {
    fc.assert(
      fc.property(withCalendar, ({ start, n, holidays, makeup }) => {
        const plain = noticeEndsAt(start, n).getTime();
        expect(noticeEndsAt(start, n, holidays).getTime()).toBeGreaterThanOrEqual(plain);
        expect(noticeEndsAt(start, n, [], makeup).getTime()).toBeLessThanOrEqual(plain);
      }),
    );
  });

  it("workingDaysBetween agrees with counting isWorkingDay day by day", () => {
    fc.assert(
      fc.property(withCalendar, fc.integer({ min: -5, max: 70 }), ({ start, holidays, makeup }, span) => {
        const end = new Date(start.getTime() + span * DAY_MS);
        let expected = 0;
        for (let d = 1; d < span; d++) if (isWorkingDay(shanghaiDay(new Date(start.getTime() + d * DAY_MS)), holidays, makeup)) expected += 1;
        expect(workingDaysBetween(start, end, holidays, makeup)).toBe(expected);
      }),
    );
  });
});
