import type { DonationStatus } from "~/generated/prisma/client";
import { administeredRoots, canSetUpFunds } from "~/domain/permissions";
import { db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import type { Actor } from "~/services/accounts/actor.server";

/**
 * Who may do what with a foundation's money. A foundation is managed by its FOUNDATION_MANAGERs
 * and by the administrators of an area that contains it; they see every gift in full (with the
 * donor's e-mail), refund, and run matching campaigns. Donors see their own gifts: by the secret
 * token in their receipt link (anyone holding the link), or signed in, the gifts of their account.
 * Everyone else sees the public fields only (services/public/access.server.ts).
 */

/** A FOUNDATION_MANAGER grant names its foundation (the session's grants carry `foundationId`). */
const managesFoundation = (g: Actor["grants"][number], foundationId: string) => g.role === "FOUNDATION_MANAGER" && "foundationId" in g && g.foundationId === foundationId;

/** True when the actor manages the foundation: its manager, or an administrator of an area above it. */
export function canManageFoundation(actor: Pick<Actor, "grants"> | null, f: { id: string; areaPath: string }): boolean {
  return !!actor?.grants.some((g) => managesFoundation(g, f.id) || (g.role === "ADMIN" && f.areaPath.startsWith(g.areaPath)));
}

/** The foundation, if the actor manages it (canManageFoundation); throws 404 when unknown, 403 otherwise. */
export async function requireFoundationManager(actor: Pick<Actor, "grants">, slug: string) {
  const foundation = await db().foundation.findUnique({
    where: { slug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true, area: { select: { path: true } } },
  });
  if (!foundation) notFound();
  if (!canManageFoundation(actor, { id: foundation.id, areaPath: foundation.area.path })) forbidden();
  return foundation;
}

/** Gifts a manager may refund (part of): paid, not wholly refunded, not disputed, and known to the provider. */
export const REFUNDABLE_STATUSES = ["SUCCEEDED", "PARTIALLY_REFUNDED"] as const satisfies readonly DonationStatus[];

export function mayRefund(d: { status: string; paymentIntentId: string | null }): boolean {
  return (REFUNDABLE_STATUSES as readonly string[]).includes(d.status) && !!d.paymentIntentId;
}

/** Which gifts a signed-in donor sees on "my gifts": those given while signed in to their account. */
export const ownGifts = (actor: Pick<Actor, "id">) => ({ userId: actor.id });

/** The foundations the actor holds a FOUNDATION_MANAGER grant for (their pending work and menu link). */
export function managedFoundationIds(actor: Pick<Actor, "grants">): string[] {
  return [...new Set(actor.grants.flatMap((g) => (g.role === "FOUNDATION_MANAGER" && "foundationId" in g && typeof g.foundationId === "string" ? [g.foundationId] : [])))];
}

/** Gifts that wait for a manager: disputed by the payer's bank, or held because the money did not match the gift. */
export const GIFT_STATUSES_TO_HANDLE = ["DISPUTED", "HELD"] as const satisfies readonly DonationStatus[];

/**
 * Who sets up an area's money (domain/permissions.ts canSetUpFunds): officials of a subdistrict or
 * higher for the foundations of their area and below it, and administrators. They create
 * foundations and book government appropriations into them; the foundation's managers run its
 * gifts. `fundScope` is the area paths whose foundations they see on /admin/foundations (null:
 * every area); 403 for anyone else.
 */
export function fundScope(actor: Pick<Actor, "grants">): string[] | null {
  const roots = administeredRoots(actor);
  if (roots !== null && roots.length === 0) forbidden();
  return roots;
}

/** Whether `actor` sets up the money of the foundation (or of a new one) in the area at `areaPath`. */
export const maySetUpFunds = (actor: Pick<Actor, "grants"> | null, areaPath: string): boolean => !!actor && canSetUpFunds(actor, areaPath);

/** The foundation, if `actor` sets up its money; 404 when unknown, 403 otherwise. */
export async function requireFundOfficial(actor: Pick<Actor, "grants">, slug: string) {
  const foundation = await db().foundation.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      receiptPrefix: true,
      fundraisingFilingNo: true,
      fundraisingEntity: true,
      createdAt: true,
      area: { select: { id: true, path: true, nameZh: true, nameEn: true } },
    },
  });
  if (!foundation) notFound();
  if (!canSetUpFunds(actor, foundation.area.path)) forbidden();
  return foundation;
}

/**
 * The foundation and what `actor` does with it on its admin pages: `manages` (its gifts,
 * campaigns, refunds: canManageFoundation) and `funds` (its money set-up: canSetUpFunds); 404
 * when unknown, 403 when neither.
 */
export async function foundationAdminAccess(actor: Pick<Actor, "grants">, slug: string) {
  const foundation = await db().foundation.findUnique({ where: { slug }, select: { id: true, slug: true, nameZh: true, nameEn: true, area: { select: { path: true } } } });
  if (!foundation) notFound();
  const manages = canManageFoundation(actor, { id: foundation.id, areaPath: foundation.area.path });
  const funds = canSetUpFunds(actor, foundation.area.path);
  if (!manages && !funds) forbidden();
  return { foundation, manages, funds };
}
