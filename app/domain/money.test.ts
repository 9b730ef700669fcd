import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatFen, pageOf, perPageOf } from "./money";

describe("formatFen", () => {
  it("formats fen as yuan with grouping", () => {
    expect(formatFen(0)).toBe("¥0.00");
    expect(formatFen(5)).toBe("¥0.05");
    expect(formatFen(123456)).toBe("¥1,234.56");
    expect(formatFen(500_000_000)).toBe("¥5,000,000.00");
    expect(formatFen(-1050)).toBe("-¥10.50");
    expect(formatFen(10_000_000_000)).toBe("¥100,000,000.00");
  });
  it("round-trips every amount up to ¥100,000,000", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        const digits = formatFen(fen).replace(/[¥,.]/g, "");
        expect(Number(digits)).toBe(fen);
      }),
    );
  });
  it("refuses fractions of a fen", () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
});

describe("pageOf", () => {
  it("clamps the page to what exists", () => {
    expect(pageOf("3", 45, 20)).toEqual({ page: 3, pages: 3, skip: 40, take: 20 });
    expect(pageOf("9", 45, 20).page).toBe(3);
    expect(pageOf("abc", 45, 20).page).toBe(1);
    expect(pageOf(undefined, 0, 20)).toEqual({ page: 1, pages: 1, skip: 0, take: 20 });
  });
});

describe("perPageOf", () => {
  it("accepts only the offered sizes", () => {
    expect(perPageOf("50", [20, 50, 100], 20)).toBe(50);
    expect(perPageOf("51", [20, 50, 100], 20)).toBe(20);
    expect(perPageOf("100000", [20, 50, 100], 20)).toBe(20);
    expect(perPageOf(null, [20, 50, 100], 20)).toBe(20);
  });
});
