import { canCurateNeed } from "~/domain/needs";
import type { Actor } from "~/services/accounts/actor.server";
import { forbidden, officialScope } from "~/lib/permissions.server";

/**
 * Who may do what with residents' needs: anyone signed in may post and vote; officials whose
 * area covers a need's community curate it (reject, reopen, merge, publish as a call topic) and
 * see the work list of their areas. The checks that refuse throw 403 (lib/permissions.server.ts).
 */

/** Whether `actor` curates needs in the area at `areaPath` (shown as the curation panel). */
export const mayCurate = (actor: Pick<Actor, "grants"> | null, areaPath: string): boolean => !!actor && canCurateNeed(actor, areaPath);

/** 403 unless `actor` curates needs in the area at `areaPath`. */
export function requireCurator(actor: Pick<Actor, "grants">, areaPath: string): void {
  if (!canCurateNeed(actor, areaPath)) forbidden();
}

/**
 * The area paths whose needs an official's work list shows (null: an administrator, every area);
 * 403 for anyone who is no official.
 */
export const curatedRoots = (actor: Pick<Actor, "grants">): string[] | null => officialScope(actor);
