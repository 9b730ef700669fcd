import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callSampleSize, isMonthKey, isValidSeed, monthKey, previousMonth, satisfactionScore, tallyOutcomes } from "./callbacks";
import { drawSample } from "./sampling";

describe("satisfactionScore", () => {
  it("is (satisfied + ½ partly) / reached × 100", () => {
    expect(satisfactionScore({ satisfied: 3, partly: 1, notSatisfied: 0 })).toBe(87.5);
    expect(satisfactionScore({ satisfied: 1, partly: 1, notSatisfied: 1 })).toBe(50);
    expect(satisfactionScore({ satisfied: 5, partly: 0, notSatisfied: 0 })).toBe(100);
    expect(satisfactionScore({ satisfied: 0, partly: 0, notSatisfied: 4 })).toBe(0);
  });
  it("rounds to one decimal, half up", () => {
    expect(satisfactionScore({ satisfied: 2, partly: 0, notSatisfied: 1 })).toBe(66.7);
    expect(satisfactionScore({ satisfied: 1, partly: 0, notSatisfied: 2 })).toBe(33.3);
    // 1/16 = 6.25 → 6.3
    expect(satisfactionScore({ satisfied: 0, partly: 1, notSatisfied: 7 })).toBe(6.3);
  });
  it("is null when nobody was reached; the unreached do not count", () => {
    expect(satisfactionScore({ satisfied: 0, partly: 0, notSatisfied: 0 })).toBeNull();
    const c = tallyOutcomes(["SATISFIED", "UNREACHED", "UNREACHED", null]);
    expect(c).toEqual({ satisfied: 1, partly: 0, notSatisfied: 0, unreached: 2, pending: 1 });
    expect(satisfactionScore(c)).toBe(100);
  });
  it("refuses negative or fractional counts", () => {
    expect(() => satisfactionScore({ satisfied: -1, partly: 0, notSatisfied: 2 })).toThrow(RangeError);
    expect(() => satisfactionScore({ satisfied: 0.5, partly: 0, notSatisfied: 2 })).toThrow(RangeError);
  });
  it("always lies in 0..100 and grows with satisfied answers", () => {
    const n = fc.nat({ max: 10_000 });
    fc.assert(
      fc.property(n, n, n, (satisfied, partly, notSatisfied) => {
        const s = satisfactionScore({ satisfied, partly, notSatisfied });
        if (satisfied + partly + notSatisfied === 0) return expect(s).toBeNull();
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100);
        expect(satisfactionScore({ satisfied: satisfied + 1, partly, notSatisfied })!).toBeGreaterThanOrEqual(s!);
      }),
    );
  });
});

describe("monthKey", () => {
  it("uses the calendar of Asia/Shanghai", () => {
    expect(monthKey(new Date("2026-11-30T15:59:59Z"))).toBe("2026-11");
    expect(monthKey(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12");
    expect(monthKey(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01");
  });
  it("validates and steps back", () => {
    expect(isMonthKey("2026-11")).toBe(true);
    expect(isMonthKey("2026-13")).toBe(false);
    expect(isMonthKey("2026-1")).toBe(false);
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(previousMonth("2026-11")).toBe("2026-10");
  });
});

describe("callSampleSize", () => {
  it("defaults so that the area's active projects reach about 250 a month", () => {
    expect(callSampleSize({ configured: null, activeProjects: 25, beneficiaries: 100 })).toBe(10);
    expect(callSampleSize({ configured: null, activeProjects: 100, beneficiaries: 100 })).toBe(3);
    expect(callSampleSize({ configured: null, activeProjects: 0, beneficiaries: 1000 })).toBe(250);
  });
  it("takes the project's own setting and never exceeds the beneficiaries", () => {
    expect(callSampleSize({ configured: 5, activeProjects: 1, beneficiaries: 100 })).toBe(5);
    expect(callSampleSize({ configured: null, activeProjects: 1, beneficiaries: 12 })).toBe(12);
    expect(callSampleSize({ configured: 5, activeProjects: 1, beneficiaries: 0 })).toBe(0);
  });
  it("the draw of that size is reproducible from the seed", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `b${i}`);
    const size = callSampleSize({ configured: null, activeProjects: 25, beneficiaries: ids.length });
    expect(drawSample(ids, size, "abc")).toEqual(drawSample([...ids].reverse(), size, "abc"));
    expect(drawSample(ids, size, "abc")).toHaveLength(10);
  });
});

describe("isValidSeed", () => {
  it("accepts printable seeds and refuses blank, padded or long ones", () => {
    expect(isValidSeed("8f3a9c2e")).toBe(true);
    expect(isValidSeed("2026年11月抽样")).toBe(true);
    expect(isValidSeed("")).toBe(false);
    expect(isValidSeed(" x")).toBe(false);
    expect(isValidSeed("x".repeat(65))).toBe(false);
    expect(isValidSeed("a\nb")).toBe(false);
  });
});
