import { z } from "zod";
import { ROLES } from "./permissions";

/** Days an emailed invitation stays valid (the email says so). */
export const INVITATION_DAYS = 7;

/** When an emailed invitation sent at `now` (or sent again with a fresh link) stops working. */
export const invitationExpiresAt = (now: Date = new Date()) => new Date(now.getTime() + INVITATION_DAYS * 86_400_000);

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

/** What an invitation is now; revocation and acceptance win over expiry. */
export function invitationState(
  inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date = new Date(),
): InvitationState {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

/** Addresses are compared and stored lower-cased and trimmed. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * The "invite staff" form. `mode` is "invite" (emailed link) or "grant" (the address already
 * has an account: the role is granted at once).
 */
export const InviteSchema = z.object({
  email: z.email({ error: "validation.email" }).max(254, "validation.tooLong"),
  role: z.enum(ROLES as [string, ...string[]], { error: "admin.invite.roleRequired" }),
  areaId: z.string({ error: "admin.invite.areaRequired" }).min(1, "admin.invite.areaRequired"),
  mode: z.enum(["invite", "grant"]).optional(),
});
