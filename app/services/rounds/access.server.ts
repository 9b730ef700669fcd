import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/lib/db.server";
import { forbidden, officialScope } from "~/lib/permissions.server";

/**
 * Who may set up and run a round: officials whose area covers the round's area (and
 * administrators) create it, edit its settings, move its phases and screen its proposals. A round
 * still in DRAFT exists only for them. The checks that refuse throw 403 (lib/permissions.server.ts).
 */

/** Whether `actor` administers rounds of the area at `areaPath` (sees drafts, gets the "manage" link). */
export const mayManageRound = (actor: Pick<Actor, "grants"> | null, areaPath: string): boolean => !!actor && isOfficialFor(actor, areaPath);

/** 403 unless `actor` administers rounds of the area at `areaPath`. */
export function requireRoundOfficial(actor: Pick<Actor, "grants">, areaPath: string): void {
  if (!isOfficialFor(actor, areaPath)) forbidden();
}

/** The area paths an official's round pages cover (null: an administrator, every area); 403 for anyone who is no official. */
export const roundScope = (actor: Pick<Actor, "grants">): string[] | null => officialScope(actor);

/** Where clause for the rounds of the areas below `roots` (null: every round). */
export function roundsWithin(roots: string[] | null): Prisma.RoundWhereInput {
  if (roots === null) return {};
  return { OR: roots.map((p) => ({ area: { path: { startsWith: p } } })) };
}

/**
 * Who may commit a fund's money to a round is decided by `drawAuthority` (domain/pool-draws.ts):
 * an official of the area that holds the fund (or of an area above it) draws at once; a
 * community official may only request a draw on a higher area's fund, which an official of that
 * area other than the requester approves (`drawDecisionProblem`); only the requester withdraws it.
 */
export { drawAuthority, drawDecisionProblem, drawWithdrawProblem } from "~/domain/pool-draws";

/**
 * The officials who may decide a draw on a fund held by the area at `fundAreaPath`: those of
 * that area or above it, the requester excepted (user ids, each once).
 */
export async function drawApprovers(tx: Tx, fundAreaPath: string, requesterId: string): Promise<string[]> {
  // the fund's area and every area above it: "/a/", "/a/b/", … "/a/b/c/"
  const segments = fundAreaPath.split("/").filter(Boolean);
  const paths = segments.map((_, i) => `/${segments.slice(0, i + 1).join("/")}/`);
  const grants = await tx.roleGrant.findMany({
    where: { role: "OFFICIAL", revokedAt: null, userId: { not: requesterId }, area: { path: { in: paths } } },
    select: { userId: true },
  });
  return [...new Set(grants.map((g) => g.userId))];
}
