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
