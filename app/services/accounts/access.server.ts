/**
 * Who may read or write what in the accounts wing: the mail preview, organizations and their
 * members, an area's staff (grants and invitations). The pure rules live in
 * app/domain/permissions.ts; this file applies them to the one `Actor` type and to what the
 * database says, and is the only place the wing's services and routes ask.
 */
import {
  administeredRoots,
  canAdminister,
  canManageOrganization,
  canRevoke,
  canViewOrganization,
  canViewStaff,
  grantableRoles,
  isAdmin,
  type OrganizationScope,
  type Role,
} from "~/domain/permissions";
import { type Client, db, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import type { Actor } from "./actor.server";

type Grants = Pick<Actor, "grants">;

// ── admin pages ──

/** Officials of a subdistrict or higher, and administrators, have the admin pages (the menu links them). */
export const hasAdminPages = (actor: Grants) => canAdminister(actor);

/** Administrators (every area, every role). */
export const isAdministrator = (actor: Grants) => isAdmin(actor);

// ── mail preview ──

/**
 * Who may open /admin/mail, and what they see there.
 *
 * - Local mail mode (no SMTP_HOST): nothing leaves the machine, so this page is the only way
 *   to read what the system sent — sign-up links included. Administrators and officials of a
 *   subdistrict or above see every message with its content. Letting subdistrict officials read
 *   everyone's mail is a development/demo convenience (the demo district has no administrator)
 *   and is acceptable only because local mode is not for production use.
 * - SMTP mode: the page is a delivery log for administrators (recipient, subject, status,
 *   attempts, last error) and never shows content; officials are refused.
 *
 * Returns null for anyone else.
 */
export function mailAccess(actor: Grants): { showBodies: boolean; localMode: boolean } | null {
  const localMode = !env().SMTP_CONFIGURED;
  // canAdminister: an administrator, or an official of a subdistrict, district or city
  if (localMode && canAdminister(actor)) return { showBodies: true, localMode };
  if (!localMode && isAdmin(actor)) return { showBodies: false, localMode };
  return null;
}

/** mailAccess, or a 403 response for the route to throw. */
export function requireMailAccess(actor: Grants) {
  const access = mailAccess(actor);
  if (!access) forbidden();
  return access;
}

// ── organizations ──

/** What the organization rules look at: where it is and which members have accounts. */
export function scopeOf(org: { area: { path: string }; members: readonly { userId: string | null }[] }): OrganizationScope {
  return { areaPath: org.area.path, memberUserIds: org.members.map((m) => m.userId).filter((u): u is string => !!u) };
}

/** An organization's scope read from the database (404 for none). */
export async function organizationScope(client: Client, organizationId: string): Promise<OrganizationScope> {
  const org = await client.organization.findUnique({
    where: { id: organizationId },
    select: { area: { select: { path: true } }, members: { select: { userId: true } } },
  });
  if (!org) notFound();
  return scopeOf(org);
}

/** An organization's page is for its members and for officials covering its area; else 403. */
export function requireOrganizationViewer(actor: Pick<Actor, "id" | "grants">, scope: OrganizationScope): void {
  if (!canViewOrganization(actor, scope)) forbidden();
}

/** Only members with accounts change an organization's member list; else 403. */
export function requireOrganizationManager(actor: Pick<Actor, "id" | "grants">, scope: OrganizationScope): void {
  if (!canManageOrganization(actor, scope)) forbidden();
}

/** requireOrganizationManager for an organization by id (404 for none), before reading what was typed. */
export async function requireManagerOf(actor: Pick<Actor, "id" | "grants">, organizationId: string): Promise<void> {
  requireOrganizationManager(actor, await organizationScope(db(), organizationId));
}

/** Whether the actor keeps the organization's member list (the page shows the forms then). */
export const mayManageOrganization = (actor: Pick<Actor, "id" | "grants">, scope: OrganizationScope) => canManageOrganization(actor, scope);

// ── staff ──

/** Area levels whose officials appoint staff (community and village officials read their list). */
const ADMINISTERING_LEVELS = new Set(["CITY", "DISTRICT", "SUBDISTRICT"]);

/** Whether an official grant at this level administers (appoints staff, sees the admin pages). */
export const administersLevel = (level: string) => ADMINISTERING_LEVELS.has(level);

/** The topmost areas the actor administers (`null`: every root, for administrators); 403 when none. */
export function requireAdministeredRoots(actor: Grants): string[] | null {
  const roots = administeredRoots(actor);
  if (roots !== null && roots.length === 0) forbidden();
  return roots;
}

/** Any official covering the area reads its staff list; else 403. */
export function requireStaffViewer(actor: Grants, areaPath: string): void {
  if (!canViewStaff(actor, areaPath)) forbidden();
}

/** The roles the actor may grant (and invite to) in the area; empty for read-only officials. */
export const rolesGrantableBy = (actor: Grants, areaPath: string): Role[] => grantableRoles(actor, areaPath);

/**
 * The actor may grant `role` in the area, else 403: the forms offer only what the actor may
 * grant, so anything else is a forged request.
 */
export function requireGrantable(actor: Grants, role: Role, areaPath: string): void {
  if (!grantableRoles(actor, areaPath).includes(role)) forbidden();
}

/** Whether the actor may revoke this grant (where they could grant the same role, never their own). */
export const mayRevoke = (actor: Pick<Actor, "id" | "grants">, grant: { userId: string; role: Role; areaPath: string }) => canRevoke(actor, grant);

/** mayRevoke, else 403. */
export function requireRevocable(actor: Pick<Actor, "id" | "grants">, grant: { userId: string; role: Role; areaPath: string }): void {
  if (!canRevoke(actor, grant)) forbidden();
}

/** Whether the inviter may still grant this role there (an invitation dies with their powers). */
export async function inviterStillEntitled(tx: Tx, inviterId: string, role: Role, areaPath: string): Promise<boolean> {
  const grants = await tx.roleGrant.findMany({
    where: { userId: inviterId, revokedAt: null },
    select: { role: true, area: { select: { path: true, level: true } } },
  });
  return grantableRoles({ grants: grants.map((g) => ({ role: g.role, areaPath: g.area.path, areaLevel: g.area.level })) }, areaPath).includes(role);
}
