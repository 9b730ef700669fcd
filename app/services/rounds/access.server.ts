import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
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
 * Whether `actor` may commit a fund's money to a round: only an official of the area that holds
 * the fund (or of an area above it). A community official runs rounds of their community, but
 * may not draw on the subdistrict's fund: that is the subdistrict's money.
 */
export const mayDrawFrom = (actor: Pick<Actor, "grants">, fundAreaPath: string): boolean => isOfficialFor(actor, fundAreaPath);
