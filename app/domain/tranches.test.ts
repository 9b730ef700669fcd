import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitAward, splitProblem } from "./tranches";

/** Whole percentages summing to 100, 1–6 tranches. */
const percents = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 0, maxLength: 5 })
  .map((cuts) => {
    const points = [...cuts, 0, 100].sort((a, b) => a - b);
    return points.slice(1).map((p, i) => ({ percent: p - points[i]! }));
  });

describe("tranche split", () => {
  it("splits the default 50/30/20 schedule exactly", () => {
    expect(splitAward(1_200_000, [{ percent: 50 }, { percent: 30 }, { percent: 20 }])).toEqual([600_000, 360_000, 240_000]);
    // 1,000,001 fen: 500,000.5 / 300,000.3 / 200,000.2 → the one fen left goes to the largest remainder
    expect(splitAward(1_000_001, [{ percent: 50 }, { percent: 30 }, { percent: 20 }])).toEqual([500_001, 300_000, 200_000]);
    // equal remainders: the earlier tranche gets the fen
    expect(splitAward(100, [{ percent: 33 }, { percent: 33 }, { percent: 34 }])).toEqual([33, 33, 34]);
    expect(splitAward(1, [{ percent: 50 }, { percent: 50 }])).toEqual([1, 0]);
  });

  it("always sums exactly to the award, never goes negative, and each tranche is within one fen of its exact share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), percents, (award, shares) => {
        const parts = splitAward(award, shares);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(award);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          const exact = (award * shares[i]!.percent) / 100;
          expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6);
        });
        expect(splitAward(award, shares)).toEqual(parts);
      }),
    );
  });

  it("refuses what cannot be split", () => {
    expect(splitProblem(-1, [{ percent: 100 }])).toBe("invalidAward");
    expect(splitProblem(1.5, [{ percent: 100 }])).toBe("invalidAward");
    expect(splitProblem(100, [])).toBe("noTranches");
    expect(splitProblem(100, [{ percent: 50.5 }, { percent: 49.5 }])).toBe("invalidPercent");
    expect(splitProblem(100, [{ percent: 50 }, { percent: 40 }])).toBe("percentsNot100");
    expect(() => splitAward(100, [{ percent: 60 }])).toThrow(/percentsNot100/);
  });
});
