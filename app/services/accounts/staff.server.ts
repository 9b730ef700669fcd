/**
 * Staff of an area: role grants and emailed invitations. Every decision is checked against the
 * actor's own grants (app/domain/permissions.ts), written in one transaction with its audit
 * record, and announced by email and in-app notice from that same transaction.
 */
import { pageOf } from "~/domain/money";
import type { Role } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { InviteSchema, invitationExpiresAt, invitationState, normalizeEmail, type InvitationState } from "~/domain/staff";
import { type Client, db, type Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { appUrl } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueEmail, queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { audit } from "~/services/books/audit.server";
import {
  inviterStillEntitled,
  mayRevoke,
  requireAdministeredRoots,
  requireGrantable,
  requireRevocable,
  requireStaffViewer,
  rolesGrantableBy,
} from "./access.server";

export const STAFF_PAGE_SIZE = 20;

const areaBrief = { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true } as const;

/** Serialises grant decisions about one user (no duplicate grants from simultaneous requests). */
const lockUser = (tx: Tx, userId: string) => advisoryLock(tx, `grant:${userId}`);

/** The /admin index: the areas the actor administers, each with its communities and villages. */
export async function administeredAreas(actor: Actor) {
  const roots = requireAdministeredRoots(actor);
  const areas = await db().area.findMany({
    where: roots === null ? { parentId: null } : { path: { in: roots } },
    select: {
      ...areaBrief,
      children: { select: { code: true, nameZh: true, nameEn: true, level: true, residents: true }, orderBy: [{ sortOrder: "asc" }, { nameZh: "asc" }] },
    },
    orderBy: { path: "asc" },
  });
  return Promise.all(
    areas.map(async (a) => ({
      code: a.code,
      nameZh: a.nameZh,
      nameEn: a.nameEn,
      level: a.level,
      staff: await db().roleGrant.count({ where: { revokedAt: null, area: { path: { startsWith: a.path } } } }),
      pendingInvitations: await db().invitation.count({
        where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() }, area: { path: { startsWith: a.path } } },
      }),
      children: a.children,
    })),
  );
}

/**
 * One area's staff page. Any official covering the area may read the list of active grants in
 * its subtree; those who may grant there also get the invitation form and pending invitations.
 */
export async function areaStaffPage(actor: Actor, code: string, requestedPage: unknown) {
  const area = await db().area.findUnique({
    where: { code },
    select: { ...areaBrief, parent: { select: { code: true, nameZh: true, nameEn: true } } },
  });
  if (!area) notFound();
  requireStaffViewer(actor, area.path);

  const where = { revokedAt: null, area: { path: { startsWith: area.path } } };
  const total = await db().roleGrant.count({ where });
  const page = pageOf(requestedPage, total, STAFF_PAGE_SIZE);
  const grants = await db().roleGrant.findMany({
    where,
    select: {
      id: true,
      role: true,
      createdAt: true,
      userId: true,
      user: { select: { name: true, email: true } },
      area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
      foundation: { select: { nameZh: true, nameEn: true } },
      grantedBy: { select: { name: true } },
    },
    orderBy: [{ area: { path: "asc" } }, { role: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
  });

  const roles = rolesGrantableBy(actor, area.path);
  const canManage = roles.length > 0;
  const [invitations, subtree, foundations] = canManage
    ? await Promise.all([
        db().invitation.findMany({
          where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() }, area: { path: { startsWith: area.path } } },
          select: {
            id: true,
            email: true,
            role: true,
            expiresAt: true,
            createdAt: true,
            area: { select: { code: true, nameZh: true, nameEn: true } },
            invitedBy: { select: { name: true } },
          },
          orderBy: { createdAt: "desc" },
          take: 100,
        }),
        db().area.findMany({
          where: { path: { startsWith: area.path } },
          select: { id: true, nameZh: true, nameEn: true, level: true, path: true, sortOrder: true },
          orderBy: [{ path: "asc" }],
        }),
        db().foundation.findMany({
          where: { area: { path: { startsWith: area.path } } },
          select: { nameZh: true, nameEn: true, area: { select: { nameZh: true, nameEn: true } } },
          orderBy: { nameZh: "asc" },
        }),
      ])
    : [[], [], []];

  // the area itself first, then its descendants level by level in their display order
  const areaOptions = subtree
    .sort((a, b) => a.path.split("/").length - b.path.split("/").length || a.sortOrder - b.sortOrder || a.path.localeCompare(b.path))
    .map(({ id, nameZh, nameEn, level }) => ({ id, nameZh, nameEn, level }));

  return {
    area: { id: area.id, code: area.code, nameZh: area.nameZh, nameEn: area.nameEn, level: area.level, parent: area.parent },
    canManage,
    grantableRoles: roles,
    areaOptions,
    foundations,
    grants: grants.map((g) => ({
      id: g.id,
      role: g.role,
      userName: g.user.name,
      // officials covering the area see their staff's addresses; nobody else reaches this page
      userEmail: g.user.email,
      area: { code: g.area.code, nameZh: g.area.nameZh, nameEn: g.area.nameEn },
      foundation: g.foundation,
      grantedBy: g.grantedBy?.name ?? null,
      createdAt: g.createdAt.toISOString(),
      isYou: g.userId === actor.id,
      canRevoke: mayRevoke(actor, { userId: g.userId, role: g.role, areaPath: g.area.path }),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      area: i.area,
      invitedBy: i.invitedBy.name,
      expiresAt: i.expiresAt.toISOString(),
    })),
    total,
    page: page.page,
    pages: page.pages,
  };
}

export type Invited = { kind: "invited"; invitationId: string; email: string } | { kind: "granted"; grantId: string; email: string };
/** An invitation to an address that has an account: the form offers to grant the role at once. */
export interface ExistingAccount {
  existingAccount: { name: string };
}
type InviteResult = Result<Invited, ExistingAccount | undefined>;

/**
 * Resolves the foundation a FOUNDATION_MANAGER grant in `areaId` is for. An invitation records
 * only role and area, so a manager's area must hold exactly one foundation.
 */
async function foundationFor(tx: Client, role: Role, areaId: string): Promise<Result<{ foundationId: string | null }>> {
  if (role !== "FOUNDATION_MANAGER") return ok({ foundationId: null });
  const found = await tx.foundation.findMany({ where: { areaId }, select: { id: true }, take: 2 });
  if (found.length !== 1) return fail(409, [], { fieldErrors: { areaId: [found.length ? "admin.invite.manyFoundations" : "admin.invite.noFoundation"] } });
  return ok({ foundationId: found[0]!.id });
}

/**
 * Invites `email` to take `role` in an area (emailed link, valid 7 days) or, with mode "grant",
 * grants the role at once to the existing account with that address. An invitation to an
 * address that already has an account is a 409 with `existingAccount` in its detail, so the form
 * can offer the immediate grant instead.
 */
export async function inviteStaff(actor: Actor, raw: unknown): Promise<InviteResult> {
  const parsed = InviteSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { role: roleName, areaId, mode = "invite" } = parsed.data;
  const role = roleName as Role;
  const email = normalizeEmail(parsed.data.email);
  const area = await db().area.findUnique({ where: { id: areaId }, select: areaBrief });
  if (!area) return invalid({ areaId: ["admin.invite.areaRequired"] });
  requireGrantable(actor, role, area.path);
  const foundation = await foundationFor(db(), role, area.id);
  if (!foundation.ok) return foundation;

  const user = await db().user.findUnique({ where: { email }, select: { id: true, name: true } });
  if (mode === "grant") {
    if (!user) return invalid({ email: ["admin.grant.noAccount"] });
    return grantRole(actor, { userId: user.id, role, areaId: area.id });
  }
  if (user) return fail(409, [], { detail: { existingAccount: { name: user.name } } });

  const token = randomToken();
  const link = `${appUrl()}/invitations/${token}`;
  return db().$transaction(async (tx): Promise<InviteResult> => {
    await advisoryLock(tx, `invite:${email}`);
    const pending = await tx.invitation.findFirst({
      where: { email, role, areaId: area.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
    if (pending) return fail(409, [], { fieldErrors: { email: ["admin.invite.duplicate"] } });
    const invitation = await tx.invitation.create({
      data: {
        email,
        role,
        areaId: area.id,
        tokenHash: sha256(token),
        invitedById: actor.id,
        expiresAt: invitationExpiresAt(),
      },
      select: { id: true, expiresAt: true },
    });
    await queueEmail(tx, {
      to: email,
      locale: actor.locale,
      template: "invitation",
      props: { name: email, inviterName: actor.name, role, areaNameZh: area.nameZh, areaNameEn: area.nameEn, link },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "invitation.create",
      objectType: "Invitation",
      objectId: invitation.id,
      // the invited address stays on the invitation row only: the audit log keeps no contacts
      after: { role, areaId: area.id, areaPath: area.path, expiresAt: invitation.expiresAt },
    });
    return ok({ kind: "invited" as const, invitationId: invitation.id, email });
  });
}

/** Grants a role to an existing account, announced by email and in-app notice; audited. */
async function grantRole(
  actor: Actor,
  input: { userId: string; role: Role; areaId: string },
): Promise<InviteResult> {
  return db().$transaction(async (tx): Promise<InviteResult> => {
    await lockUser(tx, input.userId);
    const area = await tx.area.findUniqueOrThrow({ where: { id: input.areaId }, select: areaBrief });
    requireGrantable(actor, input.role, area.path);
    const foundation = await foundationFor(tx, input.role, area.id);
    if (!foundation.ok) return foundation;
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { id: true, name: true, email: true, locale: true } });
    const existing = await tx.roleGrant.findFirst({
      where: { userId: user.id, role: input.role, areaId: area.id, revokedAt: null },
      select: { id: true },
    });
    if (existing) return fail(409, [], { fieldErrors: { email: ["admin.grant.duplicate"] } });
    const grant = await tx.roleGrant.create({
      data: { userId: user.id, role: input.role, areaId: area.id, foundationId: foundation.foundationId, grantedById: actor.id },
      select: { id: true, createdAt: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "grant.create",
      objectType: "RoleGrant",
      objectId: grant.id,
      before: null,
      after: { userId: user.id, role: input.role, areaId: area.id, areaPath: area.path, foundationId: foundation.foundationId, revokedAt: null },
    });
    await queueUserEmail(tx, user, "role-granted", { role: input.role, areaNameZh: area.nameZh, areaNameEn: area.nameEn, link: `${appUrl()}/me` });
    await notify(tx, {
      userId: user.id,
      kind: "roleGranted",
      params: { role: input.role, area: area.nameZh, areaZh: area.nameZh, areaEn: area.nameEn },
      link: "/me",
    });
    // the account was found by its email, so it has one
    return ok({ kind: "granted" as const, grantId: grant.id, email: user.email ?? "" });
  });
}

/** Revokes a grant (never deletes it), where the actor could grant the same role; audited. */
export async function revokeGrant(actor: Actor, grantId: string): Promise<Result> {
  return db().$transaction(async (tx) => {
    const found = await tx.roleGrant.findUnique({
      where: { id: grantId },
      select: { id: true, userId: true, role: true, areaId: true, foundationId: true, revokedAt: true, area: { select: { path: true } } },
    });
    if (!found) notFound();
    await lockUser(tx, found.userId);
    requireRevocable(actor, { userId: found.userId, role: found.role, areaPath: found.area.path });
    const revokedAt = new Date();
    const changed = await tx.roleGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt } });
    if (changed.count === 0) return fail(409, "admin.revoke.already");
    const state = { userId: found.userId, role: found.role, areaId: found.areaId, areaPath: found.area.path, foundationId: found.foundationId };
    await audit(tx, {
      actorId: actor.id,
      action: "grant.revoke",
      objectType: "RoleGrant",
      objectId: grantId,
      before: { ...state, revokedAt: null },
      after: { ...state, revokedAt },
    });
    return ok();
  });
}

/** Withdraws a pending invitation; its link stops working. Audited. */
export async function revokeInvitation(actor: Actor, invitationId: string): Promise<Result> {
  return db().$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({
      where: { id: invitationId },
      select: { id: true, email: true, role: true, areaId: true, acceptedAt: true, revokedAt: true, expiresAt: true, area: { select: { path: true } } },
    });
    if (!inv) notFound();
    requireGrantable(actor, inv.role, inv.area.path);
    const revokedAt = new Date();
    const changed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { revokedAt } });
    if (changed.count === 0) return fail(409, "admin.invitation.notPending");
    await audit(tx, {
      actorId: actor.id,
      action: "invitation.revoke",
      objectType: "Invitation",
      objectId: inv.id,
      before: { role: inv.role, areaId: inv.areaId, revokedAt: null },
      after: { role: inv.role, areaId: inv.areaId, revokedAt },
    });
    return ok();
  });
}

export type InvitationView =
  | { state: "unknown" }
  | {
      state: InvitationState;
      role: Role;
      area: { code: string; nameZh: string; nameEn: string };
      inviterName: string;
      invitedEmail: string;
      expiresAt: string;
      /** the signed-in viewer's address is the invited one */
      emailMatches: boolean;
      signedIn: boolean;
    };

/** What the invitation page shows to whoever holds the link. */
export async function invitationByToken(token: string, viewer: { email: string | null } | null): Promise<InvitationView> {
  const inv = await db().invitation.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      invitedById: true,
      area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
      invitedBy: { select: { name: true } },
    },
  });
  if (!inv) return { state: "unknown" };
  let state = invitationState(inv);
  if (state === "pending" && !(await db().$transaction((tx) => inviterStillEntitled(tx, inv.invitedById, inv.role, inv.area.path)))) {
    state = "revoked";
  }
  return {
    state,
    role: inv.role,
    area: { code: inv.area.code, nameZh: inv.area.nameZh, nameEn: inv.area.nameEn },
    inviterName: inv.invitedBy.name,
    invitedEmail: inv.email,
    expiresAt: inv.expiresAt.toISOString(),
    emailMatches: !!viewer?.email && normalizeEmail(viewer.email) === inv.email,
    signedIn: !!viewer,
  };
}

/** Why an invitation cannot be accepted, as the message key the invitation page shows. */
const refused = (status: 403 | 404 | 409, reason: "unknown" | "wrong-email" | "accepted" | "revoked" | "expired" | "no-foundation") =>
  fail(status, `invitation.problem.${reason}`);

/**
 * Accepts an invitation as the signed-in account with the invited address: marks it used
 * (once, whatever the number of clicks), creates the grant, tells the inviter. Audited.
 */
export async function acceptInvitation(
  actor: Pick<Actor, "id"> & { email: string | null },
  token: string,
): Promise<Result<{ grantId: string; areaCode: string; role: Role }>> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Invitation" WHERE "tokenHash" = ${sha256(token)} FOR UPDATE`;
    if (!rows.length) return refused(404, "unknown");
    const inv = await tx.invitation.findUniqueOrThrow({
      where: { id: rows[0]!.id },
      select: {
        id: true,
        email: true,
        role: true,
        areaId: true,
        expiresAt: true,
        acceptedAt: true,
        revokedAt: true,
        invitedById: true,
        area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
      },
    });
    const state = invitationState(inv);
    if (state !== "pending") return refused(409, state);
    if (!actor.email || normalizeEmail(actor.email) !== inv.email) return refused(403, "wrong-email");
    if (!(await inviterStillEntitled(tx, inv.invitedById, inv.role, inv.area.path))) return refused(409, "revoked");
    const foundation = await foundationFor(tx, inv.role, inv.areaId);
    if (!foundation.ok) return refused(409, "no-foundation");

    await lockUser(tx, actor.id);
    const acceptedAt = new Date();
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt } });
    const existing = await tx.roleGrant.findFirst({
      where: { userId: actor.id, role: inv.role, areaId: inv.areaId, revokedAt: null },
      select: { id: true },
    });
    const grant =
      existing ??
      (await tx.roleGrant.create({
        data: { userId: actor.id, role: inv.role, areaId: inv.areaId, foundationId: foundation.foundationId, grantedById: inv.invitedById },
        select: { id: true },
      }));
    await audit(tx, {
      actorId: actor.id,
      action: "invitation.accept",
      objectType: "Invitation",
      objectId: inv.id,
      before: { acceptedAt: null },
      after: { acceptedAt, grantId: grant.id, userId: actor.id, role: inv.role, areaId: inv.areaId, foundationId: foundation.foundationId },
    });
    await notify(tx, {
      userId: inv.invitedById,
      kind: "invitationAccepted",
      params: { email: inv.email, role: inv.role, area: inv.area.nameZh, areaZh: inv.area.nameZh, areaEn: inv.area.nameEn },
      link: `/admin/areas/${inv.area.code}`,
    });
    return ok({ grantId: grant.id, areaCode: inv.area.code, role: inv.role });
  });
}
