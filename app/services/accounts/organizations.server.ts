import {
  AddMemberSchema,
  MAX_MEMBERS,
  CreateOrganizationSchema,
  namedMembers,
  type OrganizationKindName,
} from "~/domain/organizations";
import { memberRemovalProblem } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { normalizeUscc } from "~/domain/uscc";
import { type Client, db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { mayManageOrganization, requireOrganizationManager, requireOrganizationViewer, scopeOf } from "./access.server";

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/**
 * Creates an organization with its creator as the first member, audited. Field problems
 * (including a 统一社会信用代码 already registered) come back as field errors; nothing is written.
 */
export async function createOrganization(actor: Pick<Actor, "id" | "name">, raw: unknown): Promise<Result<{ id: string }>> {
  const parsed = CreateOrganizationSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  const area = await db().area.findUnique({ where: { id: input.areaId }, select: { id: true, level: true } });
  if (!area || !["SUBDISTRICT", "COMMUNITY", "VILLAGE"].includes(area.level)) {
    return invalid({ areaId: ["org.area.required"] });
  }
  const uscc = input.kind === "SOCIAL_ORGANIZATION" ? normalizeUscc(input.uscc!) : null;
  // a code already registered is a conflict with what exists, shown next to the field
  const duplicate = fail(409, [], { fieldErrors: { uscc: ["org.uscc.duplicate"] } });
  if (uscc && (await db().organization.findUnique({ where: { uscc }, select: { id: true } }))) return duplicate;

  const members = [
    { userId: actor.id, name: actor.name, position: input.creatorPosition || "负责人" },
    ...namedMembers(input.members ?? []).map((m) => ({ userId: null, ...m })),
  ];
  try {
    const id = await db().$transaction(async (tx) => {
      const org = await tx.organization.create({
        data: {
          kind: input.kind,
          name: input.name,
          uscc,
          filingNo: input.kind === "COMMUNITY_ORGANIZATION" ? input.filingNo! : (input.filingNo ?? null),
          areaId: area.id,
          members: { create: members },
        },
        select: { id: true, members: { select: { id: true, position: true, userId: true } } },
      });
      await audit(tx, {
        actorId: actor.id,
        action: "organization.create",
        objectType: "Organization",
        objectId: org.id,
        after: {
          kind: input.kind,
          name: input.name,
          uscc,
          filingNo: input.filingNo ?? null,
          areaId: area.id,
          // member ids, never names: the audit log keeps no one's name (docs/decisions/017)
          members: org.members.map((m) => ({ id: m.id, position: m.position, hasAccount: !!m.userId })),
        },
      });
      return org.id;
    });
    return ok({ id });
  } catch (e) {
    // two people registering the same code at the same moment: the unique index decides
    if (isUniqueViolation(e)) return duplicate;
    throw e;
  }
}

async function loadScope(tx: Client, organizationId: string) {
  const org = await tx.organization.findUnique({
    where: { id: organizationId },
    select: {
      id: true,
      kind: true,
      name: true,
      uscc: true,
      filingNo: true,
      createdAt: true,
      area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
      members: { select: { id: true, userId: true, name: true, position: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!org) notFound();
  return { org, scope: scopeOf(org) };
}

/** An organization's page, for its members and for officials covering its area; else 403. */
export async function organizationPage(actor: Actor, organizationId: string) {
  const { org, scope } = await loadScope(db(), organizationId);
  requireOrganizationViewer(actor, scope);
  return {
    id: org.id,
    kind: org.kind as OrganizationKindName,
    name: org.name,
    uscc: org.uscc,
    filingNo: org.filingNo,
    createdAt: org.createdAt.toISOString(),
    area: { code: org.area.code, nameZh: org.area.nameZh, nameEn: org.area.nameEn },
    canManage: mayManageOrganization(actor, scope),
    members: org.members.map((m) => ({
      id: m.id,
      name: m.name,
      position: m.position,
      hasAccount: !!m.userId,
      isYou: m.userId === actor.id,
    })),
  };
}

/** Serialises member changes of one organization (the minimum-size rule reads then writes). */
const lockOrganization = (tx: Tx, id: string) => tx.$executeRaw`SELECT 1 FROM "Organization" WHERE id = ${id} FOR UPDATE`;

export async function addMember(actor: Actor, organizationId: string, raw: unknown): Promise<Result<{ memberId: string }>> {
  const parsed = AddMemberSchema.safeParse(raw);
  return db().$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const { org, scope } = await loadScope(tx, organizationId);
    requireOrganizationManager(actor, scope);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    if (org.members.length >= MAX_MEMBERS) return fail(409, [], { fieldErrors: { name: ["org.members.tooMany"] } });
    const member = await tx.organizationMember.create({
      data: { organizationId, name: parsed.data.name, position: parsed.data.position || null },
      select: { id: true, position: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "organization.member.add",
      objectType: "Organization",
      objectId: organizationId,
      before: { memberCount: org.members.length },
      after: { memberCount: org.members.length + 1, added: member },
    });
    return ok({ memberId: member.id });
  });
}

const REMOVAL_PROBLEMS = { "team-minimum": "org.members.teamMinimum", "last-account-holder": "org.members.lastAccountHolder" } as const;

/**
 * Removes a named member. A resident team keeps at least three; the last member with an account
 * stays (otherwise nobody could manage the organization). Refusals change nothing.
 */
export async function removeMember(actor: Actor, organizationId: string, memberId: string): Promise<Result> {
  return db().$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const { org, scope } = await loadScope(tx, organizationId);
    requireOrganizationManager(actor, scope);
    const member = org.members.find((m) => m.id === memberId);
    if (!member) notFound();
    const accountHolders = org.members.filter((m) => m.userId).length;
    const problem = memberRemovalProblem(org.kind, org.members.length, {
      isLastAccountHolder: !!member.userId && accountHolders === 1,
    });
    if (problem) return fail(409, REMOVAL_PROBLEMS[problem]);
    await tx.organizationMember.delete({ where: { id: member.id } });
    await audit(tx, {
      actorId: actor.id,
      action: "organization.member.remove",
      objectType: "Organization",
      objectId: organizationId,
      before: { memberCount: org.members.length, removed: { id: member.id, position: member.position, hasAccount: !!member.userId } },
      after: { memberCount: org.members.length - 1 },
    });
    return ok();
  });
}

/** The organizations a user belongs to (with an account), with their named members. */
export async function organizationsOf(userId: string) {
  const orgs = await db().organization.findMany({
    where: { members: { some: { userId } } },
    select: {
      id: true,
      kind: true,
      name: true,
      area: { select: { code: true, nameZh: true, nameEn: true } },
      members: { select: { id: true, name: true, position: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
    orderBy: { createdAt: "asc" },
  });
  return orgs.map((o) => ({ ...o, kind: o.kind as OrganizationKindName }));
}
