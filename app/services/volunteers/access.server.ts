import { mayDecideVolunteers, type VolunteerStatus } from "~/domain/volunteers";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db } from "~/lib/db.server";
import { forbidden } from "~/lib/permissions.server";
import { unitsActingIn } from "~/services/partners/access.server";

/**
 * Who may do what with a community's volunteers and small wishes (rules in domain/volunteers.ts):
 * anyone signed in registers (报到) with a community; its officials (or above) confirm volunteers
 * and rule on disputes; confirmed volunteers and members of its pairing units take wishes. A
 * pairing unit (结对单位) is, for now, an organization registered in the community.
 */

type Who = Pick<Actor, "id" | "grants">;

/** 403 unless the actor is an official of the community (or above). */
export function requireCommunityOfficial(actor: Pick<Actor, "grants">, areaPath: string): void {
  if (!mayDecideVolunteers(actor, areaPath)) forbidden();
}

/** The person's registration with the community, the community's pairing units they belong to, and the partner units they act for there. */
export async function takerIn(actor: Who, areaId: string, client: Client = db()) {
  const [volunteer, orgs, partnerUnits] = await Promise.all([
    client.volunteer.findUnique({ where: { userId_areaId: { userId: actor.id, areaId } }, select: { id: true, status: true } }),
    client.organization.findMany({ where: { areaId, members: { some: { userId: actor.id } } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    unitsActingIn(actor, areaId, client),
  ]);
  return {
    volunteer: volunteer ? { id: volunteer.id, status: volunteer.status as VolunteerStatus } : null,
    pairingUnits: orgs,
    partnerUnits,
  };
}
