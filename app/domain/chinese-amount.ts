/**
 * An amount in Chinese capital numerals (大写金额), as written on receipts and cheques so that a
 * figure cannot be altered: 20000 fen → "贰佰元整", 123456 fen → "壹仟贰佰叁拾肆元伍角陆分". Pure.
 *
 * Rules followed (《支付结算办法》 附件 "正确填写票据和结算凭证的基本规定"):
 * - "整" after 元 when there are no 角 and 分; none after 分 (and none after 角);
 * - a zero between digits is written 零, several zeros in a row once; 元 followed by no 角 but
 *   by 分 is written 元零…分;
 * - ten is written 壹拾 (never a bare 拾), units 拾佰仟 within groups of 万 and 亿.
 */

const DIGITS = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"] as const;
const SMALL_UNITS = ["仟", "佰", "拾", ""] as const;
const GROUP_UNITS = ["", "万", "亿"] as const;

/** Up to 9,999 亿 元 (far above any amount the platform handles). */
export const MAX_CAPITAL_FEN = 1_000_000_000_000 * 100 - 1;

/** One group of four digits (1–9999), without leading 零. */
function group(n: number): string {
  const digits = String(n).padStart(4, "0");
  let out = "";
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      if (out !== "") zero = true;
      continue;
    }
    if (zero) out += "零";
    out += DIGITS[d] + SMALL_UNITS[i]!;
    zero = false;
  }
  return out;
}

/** Whole yuan (> 0) in capitals, without 元. */
function yuanInCapitals(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = "";
  let gap = false;
  let previous = 0;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      if (out !== "") gap = true;
      continue;
    }
    // zeros between two groups (a whole zero group, the end of the higher one, the start of this one) read as one 零
    if (out !== "" && (gap || previous % 10 === 0 || g < 1000)) out += "零";
    out += group(g) + GROUP_UNITS[i]!;
    gap = false;
    previous = g;
  }
  return out;
}

/** Integer fen → the amount in Chinese capital numerals ("贰佰元整"). */
export function chineseCapitalAmount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_CAPITAL_FEN) throw new RangeError(`amount out of range: ${fen}`);
  if (fen === 0) return "零元整";
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let out = yuan > 0 ? `${yuanInCapitals(yuan)}元` : "";
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += "零";
  if (cents > 0) out += `${DIGITS[cents]}分`;
  return out;
}
