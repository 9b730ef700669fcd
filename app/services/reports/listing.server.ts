import { db } from "~/lib/db.server";

/**
 * The published reports of a round or a foundation, every version (docs/decisions/043): what the
 * round's and the foundation's public pages list, each with its fingerprint. A module of its own
 * so that those pages read the list without loading the report renderer.
 */
/** The published reports of a round or a foundation (every version), newest first: for their public pages. */
export async function reportsOf(where: { roundId: string } | { round: { code: string } } | { foundationId: string; kind: "ANNUAL" } | { foundation: { slug: string }; kind: "ANNUAL" }) {
  const rows = await db().publishedReport.findMany({ where, orderBy: [{ publishedAt: "desc" }, { number: "desc" }], take: 50, select: { number: true, kind: true, year: true, version: true, contentHash: true, publishedAt: true } });
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}
