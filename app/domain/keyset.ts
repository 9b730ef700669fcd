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
