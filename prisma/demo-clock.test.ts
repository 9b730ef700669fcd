import { afterEach, describe, expect, it } from "vitest";
import { shanghaiDay } from "../app/lib/time.ts";
import { DEMO_WRITTEN_ON, demoAt, demoDay, demoDayText, demoMonth, demoShiftDays, setDemoToday } from "./demo-clock.ts";

describe("the demo's calendar", () => {
  afterEach(() => setDemoToday(DEMO_WRITTEN_ON));

  it("moves by whole weeks: nothing in the week the story is written for, a week from the next Sunday on", () => {
    expect(demoShiftDays(DEMO_WRITTEN_ON)).toBe(0);
    expect(demoShiftDays("2026-12-12")).toBe(0);
    expect(demoShiftDays("2026-12-13")).toBe(7);
    expect(demoShiftDays("2027-12-06")).toBe(364);
    expect(demoShiftDays("2026-12-05")).toBe(-7);
  });

  it("keeps the open round's deadline ahead of any seeding day, and weekdays weekdays", () => {
    for (const today of ["2026-12-07", "2026-12-19", "2026-12-21", "2027-03-02", "2028-02-29"]) {
      setDemoToday(today);
      const deadline = demoDayText("2026-12-20");
      expect(deadline > today).toBe(true);
      expect(new Date(`${deadline}T00:00:00Z`).getUTCDay()).toBe(0); // 20 December 2026 is a Sunday
    }
  });

  it("gives days, hours and months of the story in Asia/Shanghai, shifted alike", () => {
    setDemoToday("2027-01-05"); // four weeks on
    expect(demoDayText("2026-12-20")).toBe("2027-01-17");
    expect(shanghaiDay(demoDay("2026-12-20"))).toBe("2027-01-17");
    expect(demoAt("2026-02-10", 9).toISOString()).toBe("2026-03-10T01:00:00.000Z");
    expect(demoMonth("2026-09")).toBe("2026-10");
  });

  it("refuses what is not a day", () => {
    expect(() => demoShiftDays("someday")).toThrow(RangeError);
    expect(() => demoDayText("2026-13-45")).toThrow(RangeError);
  });
});
