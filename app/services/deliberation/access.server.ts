import { mayGrantCommunityRoles, mayPropose, mayRecord, mayRemark, type CommunityRole, type CommunityRoleHolder } from "~/domain/deliberation";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db } from "~/lib/db.server";
import { forbidden } from "~/lib/permissions.server";

/**
 * Who may take which step of a community's deliberation (rules in domain/deliberation.ts):
 * officials of the community (or above) and the community's self-government roles, read from
 * CommunityRoleGrant for the community in question. Everything a matter shows is public; only
 * the steps are guarded. The checks that refuse throw 403.
 */

type Who = Pick<Actor, "id" | "grants">;

/** The actor with their active self-government roles in the community at `areaPath`. */
export async function holderIn(actor: Who, areaPath: string, client: Client = db()): Promise<CommunityRoleHolder> {
  const rows = await client.communityRoleGrant.findMany({
    where: { userId: actor.id, revokedAt: null, area: { path: areaPath } },
    select: { role: true },
  });
  return { id: actor.id, grants: actor.grants, communityRoles: rows.map((r) => ({ role: r.role as CommunityRole, areaPath })) };
}

/** What the actor may do in the community: the panels a page shows. */
export async function stepsAllowed(actor: Who | null, areaPath: string, client: Client = db()) {
  if (!actor) return { propose: false, record: false, remark: false, grant: false };
  const who = await holderIn(actor, areaPath, client);
  return { propose: mayPropose(who, areaPath), record: mayRecord(who, areaPath), remark: mayRemark(who, areaPath), grant: mayGrantCommunityRoles(who, areaPath) };
}

export async function requirePropose(actor: Who, areaPath: string, client: Client): Promise<void> {
  if (!mayPropose(await holderIn(actor, areaPath, client), areaPath)) forbidden();
}

export async function requireRecord(actor: Who, areaPath: string, client: Client): Promise<void> {
  if (!mayRecord(await holderIn(actor, areaPath, client), areaPath)) forbidden();
}

export async function requireRemark(actor: Who, areaPath: string, client: Client): Promise<void> {
  if (!mayRemark(await holderIn(actor, areaPath, client), areaPath)) forbidden();
}

export function requireRoleGrantor(actor: Pick<Actor, "grants">, areaPath: string): void {
  if (!mayGrantCommunityRoles(actor, areaPath)) forbidden();
}
