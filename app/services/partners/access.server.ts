import { mayManageUnit } from "~/domain/partners";
import { NEED_AREA_LEVELS } from "~/domain/needs";
import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { dayStart, shanghaiDay } from "~/lib/time";

/**
 * Who may do what with partner units (rules in domain/partners.ts): officials of a community
 * manage the units paired with it; a unit's members act for it (take small wishes of the
 * communities it is paired with today, read its received-goods notes).
 */

type Who = Pick<Actor, "id" | "grants">;

/** A community (or village) by code, 404 for anything else. */
export async function communityOf(code: string, client: Client = db()) {
  const area = await client.area.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true } });
  if (!area || !(NEED_AREA_LEVELS as readonly string[]).includes(area.level)) notFound();
  return area;
}

/** 403 unless the actor is an official of the community (or above). */
export function requireOfficialOf(actor: Pick<Actor, "grants">, areaPath: string): void {
  if (!isOfficialFor(actor, areaPath)) forbidden();
}

/** The paths of every community the unit is or was paired with. */
export async function pairedPaths(unitId: string, client: Client = db()): Promise<string[]> {
  const rows = await client.partnerPairing.findMany({ where: { unitId }, select: { area: { select: { path: true } } } });
  return [...new Set(rows.map((r) => r.area.path))];
}

/** 404 for no such unit, 403 unless the actor is an official of a community it is or was paired with. */
export async function requireUnitManager(actor: Pick<Actor, "grants">, unitId: string, client: Client = db()): Promise<string[]> {
  if (!(await client.partnerUnit.findUnique({ where: { id: unitId }, select: { id: true } }))) notFound();
  const paths = await pairedPaths(unitId, client);
  if (!mayManageUnit(actor, paths)) forbidden();
  return paths;
}

/** Whether the person is a (live) member of the unit. */
export async function isUnitMember(userId: string, unitId: string, client: Client = db()): Promise<boolean> {
  return !!(await client.partnerMember.findFirst({ where: { unitId, userId, revokedAt: null }, select: { id: true } }));
}

/** Pairings in force today with the community (started, not ended). */
export const pairedToday = (areaId: string, now: Date = new Date()) => {
  const today = dayStart(shanghaiDay(now));
  return { areaId, startsOn: { lte: today }, OR: [{ endedOn: null }, { endedOn: { gt: today } }] };
};

/** The units the person acts for that are paired with the community today (who may take its wishes for them). */
export async function unitsActingIn(who: Who, areaId: string, client: Client = db()) {
  return client.partnerUnit.findMany({
    where: { members: { some: { userId: who.id, revokedAt: null } }, pairings: { some: pairedToday(areaId) } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
