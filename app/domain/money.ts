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
