import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeCursor, encodeCursor, keysetPage, locatePage, numberedPage, pageCount, pageWindow, parsePageNumber, type Seek } from "./keyset";

const Key = z.tuple([z.number().int(), z.number().int()]);
type K = z.infer<typeof Key>;

describe("cursors", () => {
  it("round-trip as URL-safe text bound to their scope", () => {
    const c = encodeCursor<K>("votes|区=甲", "after", [12, 7]);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, "votes|区=甲", Key)).toEqual({ dir: "after", key: [12, 7] });
    expect(decodeCursor(encodeCursor<K>("s", "before", [1, 2]), "s", Key)).toEqual({ dir: "before", key: [1, 2] });
    expect(decodeCursor(encodeCursor<K>("s", "last"), "s", Key)).toEqual({ dir: "last", key: null });
    // another sort or filter: the first page
    expect(decodeCursor(c, "newest|区=甲", Key)).toBeNull();
  });

  it("read anything malformed as no cursor", () => {
    const s = "s";
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const good = decodeCursor(encodeCursor<K>(s, "after", [1, 2]), s, Key);
    expect(good).not.toBeNull();
    for (const raw of [null, "", "!!!", "a b", "x".repeat(2000), Buffer.from("not json").toString("base64url"), b64([2, "x", "a", [1, 2]]), b64({ a: 1 })]) {
      expect(decodeCursor(raw, s, Key)).toBeNull();
    }
    // the right envelope with a key of the wrong shape
    const wrongShape = encodeCursor(s, "after", ["1", 2]);
    expect(decodeCursor(wrongShape, s, Key)).toBeNull();
    expect(decodeCursor(encodeCursor(s, "after", [1]), s, Key)).toBeNull();
    // invalid UTF-8 inside valid base64url
    expect(decodeCursor(Buffer.from([0xff, 0xfe]).toString("base64url"), s, Key)).toBeNull();
  });
});

describe("keysetPage", () => {
  // rows 1..23 in descending order; the key is [value, id] with ties on value
  const rows = Array.from({ length: 23 }, (_, i) => ({ id: 23 - i, value: Math.floor((23 - i) / 4) }));
  const cmp = (a: K, b: K) => (a[0] !== b[0] ? b[0] - a[0] : b[1] - a[1]); // list order: both descending
  const keyOf = (r: { id: number; value: number }): K => [r.value, r.id];
  const fetch = async ({ key, backward, take }: Seek<K>) => {
    const ordered = backward ? [...rows].reverse() : rows;
    return ordered.filter((r) => key === null || (backward ? cmp(keyOf(r), key) < 0 : cmp(keyOf(r), key) > 0)).slice(0, take);
  };
  const page = (cursor: string | null) => keysetPage({ scope: "s", cursor: decodeCursor(cursor, "s", Key), per: 5, keyOf, fetch });

  it("walks forward and back over every row exactly once, in order", async () => {
    const forward: number[][] = [];
    let p = await page(null);
    expect(p).toMatchObject({ first: true, prev: null });
    forward.push(p.items.map((r) => r.id));
    while (p.next) {
      p = await page(p.next);
      expect(p.first).toBe(false);
      forward.push(p.items.map((r) => r.id));
    }
    expect(p.last).toBeNull();
    expect(forward.flat()).toEqual(rows.map((r) => r.id));
    const back: number[][] = [p.items.map((r) => r.id)];
    while (p.prev) {
      p = await page(p.prev);
      back.unshift(p.items.map((r) => r.id));
    }
    expect(p.first).toBe(true);
    expect(back).toEqual(forward);
  });

  it("opens the last page full, and the first page for a bad cursor", async () => {
    const first = await page(null);
    const last = await page(first.last);
    expect(last.items.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    expect(last).toMatchObject({ first: false, next: null, last: null });
    expect((await page(last.prev)).items.map((r) => r.id)).toEqual([10, 9, 8, 7, 6]);
    expect((await page("garbage")).items).toEqual(first.items);
    // a cursor past the end shows the last page
    expect((await page(encodeCursor<K>("s", "after", [0, 0]))).items).toEqual(last.items);
  });
});

describe("numbered pages", () => {
  it("pageWindow shows the ends and the current page's neighbours, with gaps", () => {
    expect(pageWindow(1, 12)).toEqual([1, 2, 3, "gap", 10, 11, 12]);
    expect(pageWindow(7, 20)).toEqual([1, 2, 3, "gap", 6, 7, 8, "gap", 18, 19, 20]);
    // a gap of one page shows the page
    expect(pageWindow(5, 12)).toEqual([1, 2, 3, 4, 5, 6, "gap", 10, 11, 12]);
    expect(pageWindow(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(3, 0)).toEqual([]);
    // a page past the end is the last
    expect(pageWindow(99, 8)).toEqual([1, 2, 3, "gap", 6, 7, 8]);
  });

  it("pageCount and parsePageNumber", () => {
    expect([pageCount(0, 20), pageCount(20, 20), pageCount(21, 20)]).toEqual([1, 1, 2]);
    expect(["1", "12", null, "", "0", "-1", "2.5", "x", "1".repeat(12)].map(parsePageNumber)).toEqual([1, 12, null, null, null, null, null, null, null]);
  });

  it("locatePage reads from the nearer end, never skipping more than half the list", () => {
    expect(locatePage(1, 20, 1000)).toEqual({ fromEnd: false, skip: 0, take: 20 });
    expect(locatePage(3, 20, 1000)).toEqual({ fromEnd: false, skip: 40, take: 20 });
    // the last page: the 0 rows after it, from the end
    expect(locatePage(50, 20, 1000)).toEqual({ fromEnd: true, skip: null, take: 20 });
    expect(locatePage(48, 20, 1000)).toEqual({ fromEnd: true, skip: 39, take: 20 });
    // a partial last page
    expect(locatePage(51, 20, 1005)).toEqual({ fromEnd: true, skip: null, take: 5 });
    for (const total of [1, 7, 1000, 1005]) {
      for (let page = 1; page <= pageCount(total, 20); page++) {
        const at = locatePage(page, 20, total);
        expect(at.skip ?? 0).toBeLessThanOrEqual(total / 2);
      }
    }
  });

  // rows 1..23 in descending order, as above
  const rows = Array.from({ length: 23 }, (_, i) => ({ id: 23 - i, value: Math.floor((23 - i) / 4) }));
  const cmp = (a: K, b: K) => (a[0] !== b[0] ? b[0] - a[0] : b[1] - a[1]);
  const keyOf = (r: { id: number; value: number }): K => [r.value, r.id];
  const fetch = async ({ key, backward, take }: Seek<K>) => {
    const ordered = backward ? [...rows].reverse() : rows;
    return ordered.filter((r) => key === null || (backward ? cmp(keyOf(r), key) < 0 : cmp(keyOf(r), key) > 0)).slice(0, take);
  };
  const skipped: number[] = [];
  const keyAt = async (skip: number, backward: boolean) => {
    skipped.push(skip);
    const r = (backward ? [...rows].reverse() : rows)[skip];
    return r ? keyOf(r) : null;
  };
  const open = (page: number | null, cursor: string | null = null) =>
    numberedPage({ scope: "s", cursor: decodeCursor(cursor, "s", Key), page, per: 5, total: rows.length, keyOf, fetch, keyAt });
  const ids = (from: number, to: number) => rows.slice(from, to).map((r) => r.id);

  it("opens any page by its number, and its neighbours by their cursors, showing the same rows", async () => {
    for (let page = 1; page <= 5; page++) {
      const p = await open(page);
      expect(p.items.map((r) => r.id)).toEqual(ids((page - 1) * 5, page * 5));
      expect(p).toMatchObject({ page, pages: 5 });
      if (p.next) expect((await open(page + 1, p.next)).items.map((r) => r.id)).toEqual(ids(page * 5, page * 5 + 5));
      else expect(page).toBe(5);
      if (p.prev) expect((await open(page - 1, p.prev)).items.map((r) => r.id)).toEqual(ids((page - 2) * 5, (page - 1) * 5));
      else expect(page).toBe(1);
    }
    // no page number, a bad one or one past the end
    expect((await open(null)).page).toBe(1);
    expect((await open(99)).items.map((r) => r.id)).toEqual(ids(20, 23));
    expect((await open(1, "garbage")).items.map((r) => r.id)).toEqual(ids(0, 5));
    // never more than half the rows skipped to find a page
    expect(Math.max(...skipped)).toBeLessThanOrEqual(rows.length / 2);
  });
});
