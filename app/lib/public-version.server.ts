import { db } from "~/lib/db.server";

/**
 * The public-data version (docs/decisions/020-public-page-cache.md): the sum over the 64 slots of
 * PublicDataVersion, one small table, one page. It moves once per committed transaction that
 * changed a table a public page reads.
 */
export async function readPublicDataVersion(): Promise<string> {
  const rows = await db().$queryRaw<{ version: string | null }[]>`SELECT sum("version")::text AS "version" FROM "PublicDataVersion"`;
  if (!rows[0]?.version) throw new Error("PublicDataVersion has no rows");
  return rows[0].version;
}

/**
 * The version for a loader: the one the public-page cache already read for this request (an
 * anonymous public page), else read now (a signed-in visitor, or the cache switched off).
 */
export function publicDataVersion(context: { publicDataVersion?: string } | undefined): Promise<string> {
  return context?.publicDataVersion ? Promise.resolve(context.publicDataVersion) : readPublicDataVersion();
}

/**
 * Values computed from public data, kept in this process while the public-data version is the
 * same and the clock has not reached the time the value itself says it stops being right
 * (`until`, ms since the epoch; Infinity when only a data change can change it). One value per
 * `key` (an area's path, say: a few, never per visitor); a new version forgets them all. Requests
 * that arrive while a value is being computed share the one computation; a failed one is not kept.
 */
export function publicMemo<T>(compute: (now: Date, key: string) => Promise<{ value: T; until: number }>) {
  type Entry = { until: number; value: Promise<{ value: T; until: number }> };
  let version: string | null = null;
  let entries = new Map<string, Entry>();
  return {
    async get(v: string, now = new Date(), key = ""): Promise<T> {
      if (v !== version) {
        version = v;
        entries = new Map();
      }
      const kept = entries;
      let entry = kept.get(key);
      if (!entry || now.getTime() >= entry.until) {
        const value = compute(now, key);
        const e: Entry = { until: Infinity, value };
        entry = e;
        kept.set(key, e);
        value.then(
          (got) => {
            e.until = got.until;
          },
          () => {
            if (kept.get(key) === e) kept.delete(key);
          },
        );
      }
      return (await entry.value).value;
    },
    /** forgets the kept values (tests) */
    clear() {
      version = null;
      entries = new Map();
    },
  };
}
