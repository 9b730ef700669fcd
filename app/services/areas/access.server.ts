/**
 * Who may read or write what in the areas wing. The public area pages are open to everyone; the
 * officials' dashboard is for the officials of an area (and administrators), and only officials of
 * a subdistrict or a higher level covering an area set its ranking weights. The pure rules live in
 * app/domain/permissions.ts and app/domain/org-ranking.ts; this file applies them to the one
 * `Actor` type and to the areas in the database.
 */
import { canSetAttendanceWeight, canSetWeights } from "~/domain/org-ranking";
import { canAdminister, depthOf, isOfficialFor, officialRoots } from "~/domain/permissions";
import { db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import type { Actor } from "~/services/accounts/actor.server";

type Official = Pick<Actor, "id" | "grants">;

export interface AreaOption {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  level: string;
  path: string;
}

/** What the dashboard reads of the area it shows. */
export const dashboardAreaSelect = { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true, rankingWeights: true, trainingAttendanceWeight: true } as const;

/**
 * The areas an official may open the dashboard for: their own and every area below them
 * (officialRoots), every area for administrators; empty for anyone else.
 */
export async function dashboardAreas(viewer: Official): Promise<AreaOption[]> {
  const roots = officialRoots(viewer);
  if (roots !== null && roots.length === 0) return [];
  return db().area.findMany({
    where: roots === null ? {} : { OR: roots.map((p) => ({ path: { startsWith: p } })) },
    select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true },
    orderBy: [{ path: "asc" }],
    take: 2_000,
  });
}

/**
 * The area a viewer asked for (by code), or their highest one (the topmost of their areas, by
 * path when two are as high); 404 for an unknown code, 403 for an area they do not oversee or
 * when they oversee none.
 */
export async function dashboardArea(viewer: Official, code: string | null | undefined) {
  if (code) {
    const area = await db().area.findUnique({ where: { code }, select: dashboardAreaSelect });
    if (!area) notFound();
    if (!isOfficialFor(viewer, area.path)) forbidden();
    return area;
  }
  const roots = officialRoots(viewer);
  if (roots !== null && roots.length === 0) forbidden();
  const candidates = await db().area.findMany({
    where: roots === null ? { parentId: null } : { path: { in: roots } },
    select: dashboardAreaSelect,
  });
  candidates.sort((a, b) => depthOf(a.path) - depthOf(b.path) || a.path.localeCompare(b.path));
  const area = candidates[0];
  if (!area) forbidden();
  return area;
}

/** Whether the viewer sets the ranking weights of the area (the page shows the form then). */
export const maySetWeights = (viewer: Pick<Actor, "grants">, area: { path: string; level: string }) => canSetWeights(viewer, area);

/** The area (by code) whose ranking weights the viewer may set; 404 for none, 403 when not theirs to set. */
export async function requireWeightsArea(viewer: Pick<Actor, "grants">, code: string) {
  const area = await db().area.findUnique({ where: { code }, select: dashboardAreaSelect });
  if (!area) notFound();
  if (!canSetWeights(viewer, area)) forbidden();
  return area;
}

export const maySetAttendanceWeight = (viewer: Pick<Actor, "grants">, area: { path: string }) => canSetAttendanceWeight(viewer, area);

/** The area (by code) whose training-attendance weight the viewer may set: its officials (or above); 404 for none, 403 otherwise. */
export async function requireAttendanceWeightArea(viewer: Pick<Actor, "grants">, code: string) {
  const area = await db().area.findUnique({ where: { code }, select: dashboardAreaSelect });
  if (!area) notFound();
  if (!canSetAttendanceWeight(viewer, area)) forbidden();
  return area;
}

/**
 * The working-day calendar (services/areas/calendar.server.ts) is one for every area: any official
 * (or administrator) reads it; officials who administer (a subdistrict or higher) and administrators
 * add or correct a year, as they run programmes and publish notices. 403 otherwise.
 */
export function requireCalendarReader(viewer: Pick<Actor, "grants">) {
  if (!viewer.grants.some((g) => g.role === "ADMIN" || g.role === "OFFICIAL")) forbidden();
}
export const mayEditCalendar = (viewer: Pick<Actor, "grants">) => canAdminister(viewer);
export function requireCalendarEditor(viewer: Pick<Actor, "grants">) {
  if (!mayEditCalendar(viewer)) forbidden();
}
