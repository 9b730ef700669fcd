import { describe, expect, it } from "vitest";
import { chineseCapitalAmount, MAX_CAPITAL_FEN } from "./chinese-amount";

describe("chineseCapitalAmount (大写金额)", () => {
  it.each([
    [20_000, "贰佰元整"],
    [100, "壹元整"],
    [0, "零元整"],
    [123_456, "壹仟贰佰叁拾肆元伍角陆分"],
    [1_000, "壹拾元整"],
    [1_600, "壹拾陆元整"],
    [10_100, "壹佰零壹元整"],
    [101_000, "壹仟零壹拾元整"],
    [100_100, "壹仟零壹元整"],
    [10_000_000, "壹拾万元整"],
    [100_500_000, "壹佰万零伍仟元整"],
    [1_005_000, "壹万零伍拾元整"],
    [110_500_000, "壹佰壹拾万零伍仟元整"],
    [2_000_500_000, "贰仟万零伍仟元整"],
    [150_000_000, "壹佰伍拾万元整"],
    [100_050_000, "壹佰万零伍佰元整"],
    [10_000_000_000, "壹亿元整"],
    [10_000_000_500, "壹亿零伍元整"],
    [10_001_000_000, "壹亿零壹万元整"],
    [10_010_000_000, "壹亿零壹拾万元整"],
    [12_345_678_900, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"],
    // 角 and 分, with 零 where 角 is missing after 元
    [32_504, "叁佰贰拾伍元零肆分"],
    [10_050, "壹佰元伍角"],
    [168_032, "壹仟陆佰捌拾元叁角贰分"],
    [50, "伍角"],
    [5, "伍分"],
    [15, "壹角伍分"],
  ])("%i fen → %s", (fen, expected) => {
    expect(chineseCapitalAmount(fen)).toBe(expected);
  });

  it("never writes a bare 拾, a doubled 零, or a trailing 零", () => {
    for (const fen of [1_000, 100_000, 1_000_000, 1_010_100, 10_000_100, 100_000_001, 99_999_999_999, 7_000_070_007]) {
      const text = chineseCapitalAmount(fen);
      expect(text).not.toMatch(/零零/);
      expect(text).not.toMatch(/零(元|万|亿|整)/);
      expect(text).not.toMatch(/(^|[^壹贰叁肆伍陆柒捌玖])拾/);
    }
  });

  it("refuses what is not a whole non-negative number of fen in range", () => {
    expect(() => chineseCapitalAmount(-1)).toThrow(RangeError);
    expect(() => chineseCapitalAmount(1.5)).toThrow(RangeError);
    expect(() => chineseCapitalAmount(MAX_CAPITAL_FEN + 1)).toThrow(RangeError);
    expect(chineseCapitalAmount(MAX_CAPITAL_FEN)).toBe("玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
  });
});
