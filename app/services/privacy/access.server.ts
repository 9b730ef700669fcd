/**
 * Who may act on a person's data rights: the person themself; and, for a resident who asks in
 * person at the office, an official of one of the resident's areas (or an administrator). A
 * resident's areas are those the platform knows them by: the areas of the needs they posted, of
 * the organisations they belong to, of their roles, and of the foundations they gave to. A person
 * the platform knows no area of can be served by an administrator only.
 */
import { isAdmin, isOfficialFor } from "~/domain/permissions";
import { normalizeEmail } from "~/domain/auth";
import { type Client, db } from "~/lib/db.server";
import { forbidden } from "~/lib/permissions.server";
import type { Actor } from "~/services/accounts/actor.server";

/** The area paths a resident is known by (distinct). */
export async function residentAreaPaths(client: Client, userId: string): Promise<string[]> {
  const rows = await client.$queryRaw<{ path: string }[]>`
    SELECT DISTINCT a."path" FROM "Area" a WHERE a."id" IN (
      SELECT "areaId" FROM "Need" WHERE "authorId" = ${userId}
      UNION SELECT o."areaId" FROM "OrganizationMember" m JOIN "Organization" o ON o."id" = m."organizationId" WHERE m."userId" = ${userId}
      UNION SELECT "areaId" FROM "RoleGrant" WHERE "userId" = ${userId}
      UNION SELECT f."areaId" FROM "Donation" d JOIN "Foundation" f ON f."id" = d."foundationId" WHERE d."userId" = ${userId}
    ) ORDER BY 1`;
  return rows.map((r) => r.path);
}

/** May `actor` file a data-rights request for the resident `userId` (asking in person)? */
export async function mayActForResident(client: Client, actor: Pick<Actor, "id" | "grants">, userId: string): Promise<boolean> {
  if (actor.id === userId) return false;
  if (isAdmin(actor)) return true;
  const paths = await residentAreaPaths(client, userId);
  return paths.some((p) => isOfficialFor(actor, p));
}

/** Pages for officials: anyone holding an OFFICIAL or ADMIN grant. */
export const servesResidents = (actor: Pick<Actor, "grants">) => actor.grants.some((g) => g.role === "OFFICIAL" || g.role === "ADMIN");

export function requireServesResidents(actor: Pick<Actor, "grants">) {
  if (!servesResidents(actor)) forbidden();
}

/** The live account with this e-mail address, or null. */
export async function accountByEmail(email: string): Promise<{ id: string; name: string; email: string } | null> {
  const address = normalizeEmail(email);
  const user = await db().user.findFirst({ where: { email: address, deletedAt: null }, select: { id: true, name: true } });
  return user && { ...user, email: address };
}
