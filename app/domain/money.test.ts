import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_MAX_MONEY_FEN, fenToInput, formatFen, formatYuanTick, pageOf, parseMoney, perPageOf } from "./money";
import { moneyFen } from "./money-schema";

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

describe("formatYuanTick", () => {
  it("writes an axis tick short, in yuan, with the currency sign, in the page's language", () => {
    expect([0, 5000, 12_000, 1_500_000].map((v) => formatYuanTick(v, "zh-CN"))).toEqual(["¥0", "¥5000", "¥1.2万", "¥150万"]);
    expect([0, 5000, 12_000, 1_500_000].map((v) => formatYuanTick(v, "en"))).toEqual(["¥0", "¥5K", "¥12K", "¥1.5M"]);
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

describe("parseMoney", () => {
  const ok = (s: string) => {
    const r = parseMoney(s);
    if (!r.ok) throw new Error(`${s}: ${r.problem}`);
    return r.fen;
  };
  const problem = (s: string, max?: number) => {
    const r = parseMoney(s, max);
    return r.ok ? `ok:${r.fen}` : r.problem;
  };
  it.each([
    ["12000", 1_200_000],
    ["12,000", 1_200_000],
    ["12000.5", 1_200_050],
    ["¥12,000.50", 1_200_050],
    ["￥12,000.50", 1_200_050],
    ["１２０００", 1_200_000],
    ["１２，０００．５", 1_200_050],
    [" 12000 元 ", 1_200_000],
    ["0.05", 5],
    [".5", 50],
    ["12000.", 1_200_000],
    ["1,234,567.89", 123_456_789],
  ])("accepts the ways people type amounts: %j → %i fen", (typed, fen) => {
    expect(ok(typed)).toBe(fen);
  });
  it("names what is wrong", () => {
    expect(problem("")).toBe("required");
    expect(problem("   ")).toBe("required");
    expect(problem("12000.505")).toBe("decimals");
    expect(problem("-5")).toBe("negative");
    expect(problem("¥-5")).toBe("negative");
    expect(problem("-¥5.00")).toBe("negative");
    expect(problem("abc")).toBe("format");
    expect(problem("1,20,00")).toBe("format");
    expect(problem("12.000,50")).toBe("format");
    expect(problem("1e5")).toBe("format");
    expect(problem("99999999999999999999")).toBe("tooLarge");
    expect(problem("15001", 1_500_000)).toBe("tooLarge");
    expect(problem("15000", 1_500_000)).toBe("ok:1500000");
  });
  it("reads back every formatted amount exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DEFAULT_MAX_MONEY_FEN }), (fen) => {
        expect(parseMoney(formatFen(fen))).toEqual({ ok: true, fen });
        expect(parseMoney(fenToInput(fen))).toEqual({ ok: true, fen });
      }),
    );
  });
  it("treats full-width input like half-width", () => {
    const toFull = (s: string) => s.replace(/[0-9.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (fen) => {
        const typed = fenToInput(fen);
        expect(parseMoney(toFull(typed))).toEqual(parseMoney(typed));
      }),
    );
  });
  it("never accepts three or more decimals, nor a negative", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.stringMatching(/^\d{3,6}$/), (yuan, decimals) => {
        expect(parseMoney(`${yuan}.${decimals}`)).toEqual({ ok: false, problem: "decimals" });
        expect(parseMoney(`-${yuan}.${decimals.slice(0, 2)}`)).toEqual({ ok: false, problem: "negative" });
      }),
    );
  });
});

describe("moneyFen schema", () => {
  it("turns typed text into fen and reports message keys", () => {
    const schema = moneyFen({ maxFen: 1_500_000 });
    expect(schema.parse("¥12,000")).toBe(1_200_000);
    const r = schema.safeParse("20000");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("money.tooLarge");
    expect(moneyFen({ minFen: 100 }).safeParse("0.5").error?.issues[0]?.message).toBe("money.tooSmall");
    expect(moneyFen({ optional: true }).parse(undefined)).toBeUndefined();
  });
});
