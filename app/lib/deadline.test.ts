import { describe, expect, it } from "vitest";
import { deadlineParts, formatDeadline, formatTimeLeft, timeLeft } from "./deadline";

describe("deadlines: the last day and hour, Asia/Shanghai", () => {
  // proposals close at this instant: Shanghai midnight starting 20 December
  const midnight = new Date("2026-12-20T00:00:00+08:00");

  it("writes a Shanghai midnight as 24:00 of the day before", () => {
    expect(deadlineParts(midnight)).toEqual({ day: "2026-12-19", time: "24:00" });
    expect(formatDeadline("zh-CN", midnight)).toBe("2026-12-19 24:00（北京时间）");
    expect(formatDeadline("en", midnight)).toBe("19 Dec 2026, 24:00 (Beijing time)");
  });

  it("crosses months and years backwards", () => {
    expect(deadlineParts("2027-01-01T00:00:00+08:00")).toEqual({ day: "2026-12-31", time: "24:00" });
    expect(deadlineParts("2028-03-01T00:00:00+08:00")).toEqual({ day: "2028-02-29", time: "24:00" });
    expect(formatDeadline("en", "2026-03-01T00:00:00+08:00")).toBe("28 Feb 2026, 24:00 (Beijing time)");
  });

  it("writes any other instant as its own Shanghai day and minute, whatever the server's zone", () => {
    // 16:30 UTC is 00:30 the next day in Shanghai
    expect(deadlineParts(new Date("2026-11-23T16:30:00Z"))).toEqual({ day: "2026-11-24", time: "00:30" });
    expect(formatDeadline("zh-CN", "2026-06-01T09:05:59+08:00")).toBe("2026-06-01 09:05（北京时间）");
    expect(formatDeadline("en", "2026-06-01T17:00:00+08:00", { zone: false })).toBe("1 Jun 2026, 17:00");
  });

  it("refuses an invalid instant", () => {
    expect(() => deadlineParts("not a date")).toThrow(RangeError);
  });

  it("counts whole days, hours and minutes left, nothing once passed", () => {
    const now = new Date("2026-12-07T18:30:00+08:00");
    expect(timeLeft(midnight, now)).toEqual({ days: 12, hours: 5, minutes: 30, passed: false });
    expect(timeLeft(midnight, midnight)).toEqual({ days: 0, hours: 0, minutes: 0, passed: true });
    expect(formatTimeLeft("zh-CN", midnight, now)).toBe("还剩 12 天 5 小时");
    expect(formatTimeLeft("en", midnight, now)).toBe("12 days 5 h left");
    expect(formatTimeLeft("en", midnight, "2026-12-18T20:00:00+08:00")).toBe("1 day 4 h left");
    expect(formatTimeLeft("en", midnight, "2026-12-19T21:15:00+08:00")).toBe("2 h 45 min left");
    expect(formatTimeLeft("zh-CN", midnight, "2026-12-21T00:00:00+08:00")).toBe("已截止");
  });
});
