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
 * A value computed from public data, kept in this process while the public-data version is the
 * same and the clock has not reached the time the value itself says it stops being right
 * (`until`, ms since the epoch; Infinity when only a data change can change it). Requests that
 * arrive while it is being computed share the one computation; a failed one is not kept.
 */
export function publicMemo<T>(compute: (now: Date) => Promise<{ value: T; until: number }>) {
  let entry: { version: string; until: number; value: Promise<{ value: T; until: number }> } | null = null;
  return {
    async get(version: string, now = new Date()): Promise<T> {
      const t = now.getTime();
      if (!entry || entry.version !== version || t >= entry.until) {
        const value = compute(now);
        const e = { version, until: Infinity, value };
        entry = e;
        value.then(
          (v) => {
            e.until = v.until;
          },
          () => {
            if (entry === e) entry = null;
          },
        );
      }
      const got = await entry.value;
      return got.value;
    },
    /** forgets the kept value (tests) */
    clear() {
      entry = null;
    },
  };
}
