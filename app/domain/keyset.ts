import { z } from "zod";

/**
 * Keyset pagination for long lists: a page is "the `per` rows after (or before) this key in the
 * list's order", read with an index range scan, so the last page costs what the first does (OFFSET
 * reads and throws away every row before the page). A list's key is its sort columns ending in a
 * unique column, so no two rows share a key and no row is skipped or shown twice on a tie.
 *
 * The link to a page carries an opaque cursor (`?cursor=`): base64url of the direction, the key and
 * a fingerprint of the list's scope (its sort and filters). A cursor that does not decode, whose
 * key does not have the list's shape, or that was made for another sort or filter is ignored and
 * the list starts at its first page. A cursor is not a secret: a forged one only chooses where a
 * page starts; the list's own filters and access checks still decide which rows it can show.
 */

export const CURSOR_PARAM = "cursor";
const CURSOR_MAX_LENGTH = 1_000;
const VERSION = 1;

/** after: the rows following the key; before: the rows preceding it; last: the list's last page. */
export type CursorDirection = "after" | "before" | "last";
export type KeyPart = string | number;

export interface Cursor<K extends readonly KeyPart[]> {
  dir: CursorDirection;
  /** null only for `last` */
  key: K | null;
}

/** What a list asks its query for: up to `take` rows after `key` (before it, nearest first, when `backward`); from an end when `key` is null. */
export interface Seek<K> {
  key: K | null;
  backward: boolean;
  take: number;
}

/** One page and the cursors of its neighbours (null where there is none). */
export interface KeysetLinks {
  /** whether this is the list's first page */
  first: boolean;
  prev: string | null;
  next: string | null;
  last: string | null;
}
/** The links of a list that fits on one page (or is empty): no other page to go to. */
export const NO_OTHER_PAGES: KeysetLinks = Object.freeze({ first: true, prev: null, next: null, last: null });

export interface KeysetPage<T> extends KeysetLinks {
  items: T[];
}

const DIRS: Record<CursorDirection, string> = { after: "a", before: "b", last: "z" };
const DIR_OF: Record<string, CursorDirection> = { a: "after", b: "before", z: "last" };

/** FNV-1a, 32 bits, hex: binds a cursor to its scope (not a security measure: see above). */
function fingerprint(scope: string): string {
  let h = 0x811c9dc5;
  for (const ch of scope) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(raw: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  try {
    const bin = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The cursor of a page of the list with `scope`: after or before `key`, or the last page. */
export function encodeCursor<K extends readonly KeyPart[]>(scope: string, dir: CursorDirection, key: K | null = null): string {
  return toBase64Url(JSON.stringify([VERSION, fingerprint(scope), DIRS[dir], dir === "last" ? null : key]));
}

const Envelope = z.tuple([z.literal(VERSION), z.string(), z.enum(["a", "b", "z"]), z.array(z.union([z.string(), z.number()])).nullable()]);

/**
 * The cursor `raw` of the list with `scope` whose key has the shape `keySchema`; null (the first
 * page) for no cursor, a malformed one, or one made for another scope.
 */
export function decodeCursor<K extends readonly KeyPart[]>(raw: string | null | undefined, scope: string, keySchema: z.ZodType<K>): Cursor<K> | null {
  if (!raw || raw.length > CURSOR_MAX_LENGTH) return null;
  const text = fromBase64Url(raw);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return null;
  const [, print, d, rawKey] = envelope.data;
  if (print !== fingerprint(scope)) return null;
  const dir = DIR_OF[d]!;
  if (dir === "last") return { dir, key: null };
  const key = keySchema.safeParse(rawKey);
  return key.success ? { dir, key: key.data } : null;
}

/**
 * One page of a keyset-paged list. `fetch` answers a `Seek` in list order (backward: nearest the
 * key first); `keyOf` gives a row's key. Reads `per + 1` rows to know whether more follow. Going
 * back to the start, or a cursor past either end (rows removed meanwhile), shows the first page
 * (the last page for a cursor past the end), always full.
 */
export async function keysetPage<T, K extends readonly KeyPart[]>(opts: {
  scope: string;
  cursor: Cursor<K> | null;
  per: number;
  keyOf: (row: T) => K;
  fetch: (seek: Seek<K>) => Promise<T[]>;
}): Promise<KeysetPage<T>> {
  const { scope, cursor, per, keyOf, fetch } = opts;
  const enc = (dir: CursorDirection, row?: T) => encodeCursor(scope, dir, row === undefined ? null : keyOf(row));

  const fromStart = async (): Promise<KeysetPage<T>> => {
    const rows = await fetch({ key: null, backward: false, take: per + 1 });
    const items = rows.slice(0, per);
    const more = rows.length > per;
    return { items, first: true, prev: null, next: more ? enc("after", items.at(-1)) : null, last: more ? enc("last") : null };
  };
  const fromEnd = async (key: K | null): Promise<KeysetPage<T>> => {
    const rows = await fetch({ key, backward: true, take: per + 1 });
    if (rows.length <= per) return fromStart();
    const items = rows.slice(0, per).reverse();
    const atEnd = key === null;
    return { items, first: false, prev: enc("before", items[0]), next: atEnd ? null : enc("after", items.at(-1)), last: atEnd ? null : enc("last") };
  };

  if (!cursor || (cursor.dir !== "last" && cursor.key === null)) return fromStart();
  if (cursor.dir === "last") return fromEnd(null);
  if (cursor.dir === "before") return fromEnd(cursor.key);
  const rows = await fetch({ key: cursor.key, backward: false, take: per + 1 });
  if (rows.length === 0) return fromEnd(null);
  const items = rows.slice(0, per);
  const more = rows.length > per;
  return { items, first: false, prev: enc("before", items[0]), next: more ? enc("after", items.at(-1)) : null, last: more ? enc("last") : null };
}

/** The links of a page without its rows, for a loader's answer. */
export function linksOf(page: KeysetLinks): KeysetLinks {
  return { first: page.first, prev: page.prev, next: page.next, last: page.last };
}

// ───────────────────────────── numbered pages ─────────────────────────────

export const PAGE_PARAM = "page";

/** One entry of a numbered pager: a page number, or a gap ("…") between numbers that are not neighbours. */
export type PageWindowItem = number | "gap";

/**
 * The page numbers a pager shows: the first and last `edge` pages and the current page with
 * `around` neighbours each side, in order, with a gap where numbers are skipped
 * (1 2 3 … 10 11 12; 1 2 3 … 6 7 8 … 18 19 20). A gap of a single page shows that page instead.
 */
export function pageWindow(page: number, pages: number, edge = 3, around = 1): PageWindowItem[] {
  if (pages < 1) return [];
  const current = Math.min(Math.max(1, page), pages);
  const shown = new Set<number>();
  for (let p = 1; p <= Math.min(edge, pages); p++) shown.add(p);
  for (let p = Math.max(1, pages - edge + 1); p <= pages; p++) shown.add(p);
  for (let p = Math.max(1, current - around); p <= Math.min(pages, current + around); p++) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: PageWindowItem[] = [];
  let prev = 0;
  for (const p of sorted) {
    if (p - prev === 2) out.push(p - 1);
    else if (p - prev > 2) out.push("gap");
    out.push(p);
    prev = p;
  }
  return out;
}

/** The number of pages of `total` rows, `per` a page (at least 1: an empty list has one empty page). */
export const pageCount = (total: number, per: number) => Math.max(1, Math.ceil(total / per));

/** A page number from the query string: a whole number from 1 up; null for none or anything else. */
export function parsePageNumber(raw: string | null | undefined): number | null {
  if (!raw || !/^\d{1,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

/**
 * Where page `page` of `total` rows starts, read from the nearer end of the list: `skip` rows from
 * the start (forward) or, from the end, the page is the `take` rows before the row `skip` rows
 * from the end (`skip` null: the very end). The rows skipped are read as keys only (an
 * index-only scan of the sort keys), never more than half the list.
 */
export type PageLocation = { fromEnd: false; skip: number; take: number } | { fromEnd: true; skip: number | null; take: number };

export function locatePage(page: number, per: number, total: number): PageLocation {
  const start = (page - 1) * per;
  const end = Math.min(start + per, total);
  const take = Math.max(0, end - start);
  if (start <= total - end) return { fromEnd: false, skip: start, take: per };
  // the row just after the page, counted from the end (0: the last row), or the end itself
  return end >= total ? { fromEnd: true, skip: null, take } : { fromEnd: true, skip: total - 1 - end, take };
}

/** A numbered page: its rows, its number, how many pages there are, and cursors to its neighbours. */
export interface NumberedLinks {
  page: number;
  pages: number;
  /** keyset cursors of the previous and next page (null at either end) */
  prev: string | null;
  next: string | null;
}

/** The links of a list that fits on one page (or is empty). */
export const NO_NUMBERED_PAGES: NumberedLinks = Object.freeze({ page: 1, pages: 1, prev: null, next: null });

export interface NumberedPage<T> extends NumberedLinks {
  items: T[];
}

/**
 * One page of a long list with numbered pages, keeping keyset costs (docs/decisions/030-*):
 * - previous / next carry a keyset cursor and the number they lead to: an index range scan from
 *   the key, whatever the page;
 * - a page chosen by its number alone (the numbered links: the first and last few pages and the
 *   current page's neighbours) is located from the nearer end of the list by `keyAt`, the key of
 *   the row `skip` rows from that end, read over the sort keys only, then read as a keyset page.
 * `total` is the list's count (its running total, or a count the page already shows).
 */
export async function numberedPage<T, K extends readonly KeyPart[]>(opts: {
  scope: string;
  cursor: Cursor<K> | null;
  page: number | null;
  per: number;
  total: number;
  keyOf: (row: T) => K;
  fetch: (seek: Seek<K>) => Promise<T[]>;
  /** the key of the row `skip` rows from the start (`backward` false) or from the end */
  keyAt: (skip: number, backward: boolean) => Promise<K | null>;
}): Promise<NumberedPage<T>> {
  const { scope, cursor, per, total, keyOf, fetch, keyAt } = opts;
  const pages = pageCount(total, per);
  const asked = Math.min(opts.page ?? 1, pages);
  const enc = (dir: CursorDirection, row: T | undefined) => (row === undefined ? null : encodeCursor(scope, dir, keyOf(row)));
  const answer = (items: T[], page: number): NumberedPage<T> => ({
    items,
    page,
    pages,
    prev: page > 1 ? enc("before", items[0]) : null,
    next: page < pages ? enc("after", items.at(-1)) : null,
  });

  // a neighbour's link: the page is the rows after (before) the cursor's key
  if (cursor && cursor.key !== null && opts.page !== null && cursor.dir !== "last") {
    const backward = cursor.dir === "before";
    const rows = await fetch({ key: cursor.key, backward, take: per });
    if (rows.length > 0) {
      // fewer rows than a page before the key: the start of the list moved (rows removed meanwhile)
      if (backward && rows.length < per) return answer(await fetch({ key: null, backward: false, take: per }), 1);
      return answer(backward ? rows.reverse() : rows, asked);
    }
  }
  if (asked <= 1 || total === 0) return answer(await fetch({ key: null, backward: false, take: per }), 1);

  const at = locatePage(asked, per, total);
  if (!at.fromEnd) {
    const key = at.skip > 0 ? await keyAt(at.skip - 1, false) : null;
    return answer(await fetch({ key, backward: false, take: per }), asked);
  }
  const key = at.skip === null ? null : await keyAt(at.skip, true);
  if (at.skip !== null && key === null) return answer(await fetch({ key: null, backward: false, take: per }), 1);
  const rows = await fetch({ key, backward: true, take: at.take });
  return answer(rows.reverse(), asked);
}

/** The links of a numbered page without its rows, for a loader's answer. */
export function numberedLinksOf(page: NumberedLinks): NumberedLinks {
  return { page: page.page, pages: page.pages, prev: page.prev, next: page.next };
}
