import { expect } from "vitest";

/** Cursors a keyset list must answer with its first page: not base64url, a well-formed envelope of another list, too long. */
export const BAD_CURSORS = ["%%%", "WzEsIngiLCJhIixbMSwyXV0", "x".repeat(3000)] as const;

/** Every page of a keyset list from the first by "next", then back by "previous"; the pages' rows both ways. */
export async function walkKeyset<T>(load: (cursor: string | null) => Promise<{ items: T[]; pager: { first: boolean; prev: string | null; next: string | null } }>) {
  let page = await load(null);
  expect(page.pager.first).toBe(true);
  const forward = [page.items];
  while (page.pager.next) {
    page = await load(page.pager.next);
    forward.push(page.items);
  }
  const back = [page.items];
  while (page.pager.prev) {
    page = await load(page.pager.prev);
    back.unshift(page.items);
  }
  expect(page.pager.first).toBe(true);
  return { forward, back };
}

type NumberedList<T> = { items: T[]; pager: { page: number; pages: number; prev: string | null; next: string | null } };

/**
 * A list with numbered pages (`numberedPage`), walked every way a reader can: from the first page
 * by "next" (each link's page number and cursor), back by "previous", and each page by its number
 * alone; all three must show the same rows on the same page numbers, and a number past the end
 * is the last page. `load` takes the query string of a page (`page=N&cursor=…`, or "" for the first).
 */
export async function walkNumbered<T>(load: (qs: string) => Promise<NumberedList<T>>) {
  const with_ = (page: number, cursor: string) => `page=${page}&cursor=${encodeURIComponent(cursor)}`;
  let page = await load("");
  expect(page.pager).toMatchObject({ page: 1, prev: null });
  const pages = page.pager.pages;
  const forward = [page.items];
  while (page.pager.next) {
    const n = page.pager.page + 1;
    page = await load(with_(n, page.pager.next));
    expect(page.pager.page).toBe(n);
    forward.push(page.items);
  }
  expect(forward.length).toBe(pages);
  const back = [page.items];
  while (page.pager.prev) {
    const n = page.pager.page - 1;
    page = await load(with_(n, page.pager.prev));
    expect(page.pager.page).toBe(n);
    back.unshift(page.items);
  }
  expect(page.pager.page).toBe(1);
  expect(back).toEqual(forward);
  const byNumber = [];
  for (let n = 1; n <= pages; n++) {
    const p = await load(`page=${n}`);
    expect(p.pager).toMatchObject({ page: n, pages });
    byNumber.push(p.items);
  }
  expect(byNumber).toEqual(forward);
  const past = await load(`page=${pages + 5}`);
  expect(past.pager.page).toBe(pages);
  expect(past.items).toEqual(forward.at(-1));
  return forward;
}

/**
 * The numbered pager in server-rendered HTML (`NumberedPager`): the nav's label, the current
 * page's number (the element with aria-current="page" inside it), each numbered link's page and
 * address, and the previous / next links' addresses. `label` picks one of several pagers by its
 * nav's label. Null when the page has no such pager.
 */
export function numberedPagerIn(html: string, label?: string) {
  const nav = [...html.matchAll(/<nav aria-label="([^"]*)"[^>]*>([\s\S]*?)<\/nav>/g)].find(
    (m) => (label === undefined || m[1] === label) && m[2]!.includes("<ol") && m[2]!.includes('aria-current="page"'),
  );
  if (!nav) return null;
  const body = nav[2]!;
  const text = (s: string) => s.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "").trim();
  const current = /<span aria-current="page"[^>]*>([\s\S]*?)<\/span><\/li>/.exec(body);
  const links = [...body.matchAll(/<li><a [^>]*aria-label="([^"]*)"[^>]*href="([^"]*)"[^>]*>(\d+)<\/a><\/li>/g)].map((m) => ({
    page: Number(m[3]),
    label: m[1]!,
    href: m[2]!.replace(/&amp;/g, "&"),
  }));
  const rel = (r: string) => new RegExp(`<a rel="${r}"[^>]*href="([^"]*)"`).exec(body)?.[1]?.replace(/&amp;/g, "&") ?? null;
  return { label: nav[1]!, current: current ? text(current[1]!) : null, links, prev: rel("prev"), next: rel("next") };
}
