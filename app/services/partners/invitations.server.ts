/**
 * Emailed invitations to act for a partner unit: the staff invitations' mechanism (ADR 040
 * addendum) — a random token in the link, only its SHA-256 stored, valid INVITATION_DAYS,
 * single-use, revocable, the email queued in the outbox in the transaction that writes the row.
 * Officials of a community the unit is (or was) paired with invite, re-send (a fresh link; the old
 * one stops working) and revoke; the invited person accepts while signed in with the invited
 * address, and becomes a member. Every step is audited; the audit log keeps no addresses.
 */
import { InvitationIdSchema, InviteMemberSchema, mayManageUnit } from "~/domain/partners";
import { maskEmail } from "~/domain/pii";
import { invitationExpiresAt, invitationState, normalizeEmail, type InvitationState } from "~/domain/staff";
import type { Actor } from "~/services/accounts/actor.server";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { formatDateTime } from "~/lib/i18n";
import { advisoryLock } from "~/lib/locks.server";
import { queueEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { pairedPaths, requireUnitManager } from "./access.server";

export const invitationPath = (token: string) => `/partners/invitations/${token}`;

/** Queues the invitation email (the recipient has no account language yet: the inviter's). */
async function sendInvitation(tx: Tx, actor: Actor, email: string, unitName: string, token: string, expiresAt: Date) {
  await queueEmail(tx, {
    to: email,
    locale: actor.locale,
    template: "partner-invitation",
    props: { name: email, inviterName: actor.name, unitName, expiresAt: formatDateTime(actor.locale, expiresAt), link: `${appUrl()}${invitationPath(token)}` },
  });
}

/** Invites `email` to act for the unit: an emailed single-use link, valid INVITATION_DAYS. */
export async function inviteMember(actor: Actor, unitId: string, raw: unknown): Promise<Result<{ invitationId: string }>> {
  await requireUnitManager(actor, unitId);
  const parsed = InviteMemberSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const email = normalizeEmail(parsed.data.email);
  return db().$transaction(async (tx): Promise<Result<{ invitationId: string }>> => {
    await advisoryLock(tx, `partner-invite:${unitId}:${email}`);
    const unit = await tx.partnerUnit.findUniqueOrThrow({ where: { id: unitId }, select: { name: true } });
    if (await tx.partnerMember.findFirst({ where: { unitId, revokedAt: null, user: { email } }, select: { id: true } })) return fail(409, [], { fieldErrors: { email: ["partners.error.alreadyMember"] } });
    if (await tx.partnerInvitation.findFirst({ where: { unitId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } })) {
      return fail(409, [], { fieldErrors: { email: ["partners.error.invitationPending"] } });
    }
    const token = randomToken();
    const expiresAt = invitationExpiresAt();
    const inv = await tx.partnerInvitation.create({ data: { unitId, email, tokenHash: sha256(token), invitedById: actor.id, expiresAt }, select: { id: true } });
    await sendInvitation(tx, actor, email, unit.name, token, expiresAt);
    // the invited address stays on the invitation row only: the audit log keeps no contacts
    await audit(tx, { actorId: actor.id, action: "partner.invitation.create", objectType: "PartnerInvitation", objectId: inv.id, after: { unitId, expiresAt } });
    return ok({ invitationId: inv.id });
  });
}

/** The invitation of this unit, locked, or 404. */
async function lockedInvitation(tx: Tx, unitId: string, invitationId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PartnerInvitation" WHERE id = ${invitationId} AND "unitId" = ${unitId} FOR UPDATE`;
  if (!rows[0]) notFound();
  return tx.partnerInvitation.findUniqueOrThrow({ where: { id: rows[0].id } });
}

/** Sends a pending (or expired) invitation again with a fresh link and a fresh validity; the old link stops working. */
export async function resendInvitation(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = InvitationIdSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const inv = await lockedInvitation(tx, unitId, parsed.data.invitationId);
    const state = invitationState(inv);
    if (state === "accepted" || state === "revoked") return fail(409, "partners.error.invitationNotPending");
    const unit = await tx.partnerUnit.findUniqueOrThrow({ where: { id: unitId }, select: { name: true } });
    const token = randomToken();
    const expiresAt = invitationExpiresAt();
    await tx.partnerInvitation.update({ where: { id: inv.id }, data: { tokenHash: sha256(token), expiresAt, sentAt: new Date() } });
    await sendInvitation(tx, actor, inv.email, unit.name, token, expiresAt);
    await audit(tx, { actorId: actor.id, action: "partner.invitation.resend", objectType: "PartnerInvitation", objectId: inv.id, before: { unitId, expiresAt: inv.expiresAt }, after: { unitId, expiresAt } });
    return ok();
  });
}

/** Revokes a pending invitation: its link stops working. */
export async function revokeInvitation(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = InvitationIdSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const inv = await lockedInvitation(tx, unitId, parsed.data.invitationId);
    if (inv.acceptedAt || inv.revokedAt) return fail(409, "partners.error.invitationNotPending");
    const revokedAt = new Date();
    await tx.partnerInvitation.update({ where: { id: inv.id }, data: { revokedAt, revokedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "partner.invitation.revoke", objectType: "PartnerInvitation", objectId: inv.id, before: { unitId, revokedAt: null }, after: { unitId, revokedAt } });
    return ok();
  });
}

/** The unit's invitations not yet accepted or revoked (expired ones too: they may be re-sent), newest first. */
export async function pendingInvitations(unitId: string) {
  const rows = await db().partnerInvitation.findMany({
    where: { unitId, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, expiresAt: true, sentAt: true, acceptedAt: true, revokedAt: true },
    orderBy: { sentAt: "desc" },
    take: 100,
  });
  return rows.map((r) => ({ id: r.id, email: maskEmail(r.email), sentAt: r.sentAt.toISOString(), expiresAt: r.expiresAt.toISOString(), state: invitationState(r) }));
}

/** Whether the inviter still manages the unit (an invitation dies with its inviter's powers). */
async function inviterStillManages(tx: Tx, inviterId: string, unitId: string): Promise<boolean> {
  const grants = await tx.roleGrant.findMany({ where: { userId: inviterId, revokedAt: null }, select: { role: true, area: { select: { path: true, level: true } } } });
  return mayManageUnit({ grants: grants.map((g) => ({ role: g.role, areaPath: g.area.path, areaLevel: g.area.level })) }, await pairedPaths(unitId, tx));
}

export type PartnerInvitationView =
  | { state: "unknown" }
  | { state: InvitationState; unit: { id: string; name: string }; inviterName: string; invitedEmail: string; expiresAt: string; emailMatches: boolean; signedIn: boolean };

/** What the invitation page shows to whoever holds the link. */
export async function partnerInvitationByToken(token: string, viewer: { email: string | null } | null): Promise<PartnerInvitationView> {
  const inv = await db().partnerInvitation.findUnique({
    where: { tokenHash: sha256(token) },
    select: { email: true, expiresAt: true, acceptedAt: true, revokedAt: true, invitedById: true, unit: { select: { id: true, name: true } } },
  });
  if (!inv) return { state: "unknown" };
  let state = invitationState(inv);
  if (state === "pending" && !(await db().$transaction((tx) => inviterStillManages(tx, inv.invitedById, inv.unit.id)))) state = "revoked";
  const inviter = await db().user.findUnique({ where: { id: inv.invitedById }, select: { name: true } });
  return {
    state,
    unit: inv.unit,
    inviterName: inviter?.name ?? "",
    invitedEmail: inv.email,
    expiresAt: inv.expiresAt.toISOString(),
    emailMatches: !!viewer?.email && normalizeEmail(viewer.email) === inv.email,
    signedIn: !!viewer,
  };
}

const refused = (status: 403 | 404 | 409, reason: "unknown" | "wrong-email" | "accepted" | "revoked" | "expired") => fail(status, `invitation.problem.${reason}`);

/**
 * Accepts the invitation as the signed-in account with the invited address: marks it used (once,
 * however many clicks) and makes the account a member of the unit. Audited.
 */
export async function acceptPartnerInvitation(actor: Pick<Actor, "id"> & { email: string | null }, token: string): Promise<Result<{ unitId: string }>> {
  return db().$transaction(async (tx): Promise<Result<{ unitId: string }>> => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PartnerInvitation" WHERE "tokenHash" = ${sha256(token)} FOR UPDATE`;
    if (!rows[0]) return refused(404, "unknown");
    const inv = await tx.partnerInvitation.findUniqueOrThrow({ where: { id: rows[0].id } });
    const state = invitationState(inv);
    if (state !== "pending") return refused(409, state);
    if (!actor.email || normalizeEmail(actor.email) !== inv.email) return refused(403, "wrong-email");
    if (!(await inviterStillManages(tx, inv.invitedById, inv.unitId))) return refused(409, "revoked");
    await advisoryLock(tx, `partner-member:${inv.unitId}:${actor.id}`);
    const acceptedAt = new Date();
    await tx.partnerInvitation.update({ where: { id: inv.id }, data: { acceptedAt, acceptedById: actor.id } });
    const member =
      (await tx.partnerMember.findFirst({ where: { unitId: inv.unitId, userId: actor.id, revokedAt: null }, select: { id: true } })) ??
      (await tx.partnerMember.create({ data: { unitId: inv.unitId, userId: actor.id, grantedById: inv.invitedById }, select: { id: true } }));
    await audit(tx, {
      actorId: actor.id,
      action: "partner.invitation.accept",
      objectType: "PartnerInvitation",
      objectId: inv.id,
      before: { acceptedAt: null },
      after: { acceptedAt, unitId: inv.unitId, userId: actor.id, memberId: member.id },
    });
    return ok({ unitId: inv.unitId });
  });
}
