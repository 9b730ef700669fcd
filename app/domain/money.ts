/** Integer fen → "¥1,234.56". The one formatting helper for money. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer number of fen: ${fen}`);
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}¥${grouped}.${cents}`;
}

/**
 * A chart axis tick in whole yuan, short and with the currency: "¥1.2万" (zh), "¥12K" (en).
 * Ticks only: amounts people read are written whole by `formatFen`.
 */
export function formatYuanTick(yuan: number, locale: "zh-CN" | "en"): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "CNY",
    currencyDisplay: "narrowSymbol",
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(yuan);
}

/** Pages of `size` for `total` items; `page` clamped to what exists. */
export function pageOf(requested: unknown, total: number, size: number) {
  const pages = Math.max(1, Math.ceil(total / size));
  const n = Number.parseInt(String(requested ?? "1"), 10);
  const page = Number.isFinite(n) ? Math.min(Math.max(n, 1), pages) : 1;
  return { page, pages, skip: (page - 1) * size, take: size };
}

/** Rows per page chosen by the reader (`?per=`), limited to the sizes a list offers. */
export function perPageOf(requested: unknown, allowed: readonly number[], fallback: number): number {
  const n = Number.parseInt(String(requested ?? ""), 10);
  return allowed.includes(n) ? n : fallback;
}

/** Largest amount a money field accepts unless it says otherwise: ¥100,000,000. */
export const DEFAULT_MAX_MONEY_FEN = 10_000_000_000;

export type MoneyProblem = "required" | "format" | "decimals" | "negative" | "tooLarge";
export type MoneyParse = { ok: true; fen: number } | { ok: false; problem: MoneyProblem };

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;

/**
 * Typed yuan → integer fen, without floating point. Accepts `12000`, `12,000`, `12000.5`,
 * `¥12,000.50`, `￥`, a trailing `元`, full-width digits and punctuation, surrounding spaces.
 * Refuses more than two decimals, negatives, amounts above `maxFen`, and anything else.
 */
export function parseMoney(input: string, maxFen: number = DEFAULT_MAX_MONEY_FEN): MoneyParse {
  const s = input
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]/g, "")
    .replace(/^(RMB|CNY)/i, "")
    .replace(/元$/, "");
  if (s === "") return { ok: false, problem: "required" };
  const negative = /^-|^[¥￥]-/.test(s);
  const body = s.replace(/^-?[¥￥]?-?/, "");
  if (negative && /^[\d.,]+$/.test(body)) return { ok: false, problem: "negative" };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(body) ?? /^()\.(\d+)$/.exec(body);
  if (!m) return { ok: false, problem: "format" };
  const whole = (m[1] ?? "").replace(/,/g, "") || "0";
  const decimals = m[2] ?? "";
  if (decimals.length > 2) return { ok: false, problem: "decimals" };
  if (whole.replace(/^0+/, "").length > 15) return { ok: false, problem: "tooLarge" };
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, "0"));
  if (fen > maxFen) return { ok: false, problem: "tooLarge" };
  return { ok: true, fen };
}

/** Message key of a money problem (locales/common.json). */
export const moneyMessage = (problem: MoneyProblem) => `money.${problem}`;

/** Fen → the plain text a money input shows when a saved value is edited: "12000.50", "12000". */
export function fenToInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return "";
  const yuan = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, "0")}`;
}
