import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { type Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";

/**
 * Who may see and do what on a funded project (issue 6). Every loader and action of the project
 * pages goes through `requireProject`, which throws the 403/404 itself:
 *
 * - "grantee": a member of the implementing organization (files reports, expenses, beneficiaries,
 *   accepts the agreement);
 * - "official": an official of the project's community or of an area above it (decides, releases
 *   money, calls back, evaluates); a community official sees only their community's projects;
 * - "evaluator": someone invited to evaluate this project (the evaluation page only);
 * - "member": grantee or official (the workspace pages both use).
 *
 * The public project page (/projects/:ref) needs none of these and shows only public fields.
 */

export type Client = Tx | ReturnType<typeof db>;

export const projectSelect = {
  id: true,
  referenceNo: true,
  title: true,
  status: true,
  awardFen: true,
  awardId: true,
  areaPath: true,
  category: true,
  roundId: true,
  proposalId: true,
  organizationId: true,
  communityId: true,
  acceptedAt: true,
  countersignedAt: true,
  closedAt: true,
  version: true,
  round: { select: { id: true, code: true, title: true, foundationId: true, evaluationPassScore: true, area: { select: { path: true } } } },
  organization: { select: { id: true, name: true } },
  community: { select: { id: true, code: true, nameZh: true, nameEn: true } },
} satisfies Prisma.ProjectSelect;

export type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

export interface ProjectAccess {
  project: ProjectRow;
  isGrantee: boolean;
  isOfficial: boolean;
  isEvaluator: boolean;
}

export type AccessMode = "grantee" | "official" | "member" | "evaluator";


/** The project by reference number (JN6-0003), or 404. */
export async function projectByRef(client: Client, referenceNo: string): Promise<ProjectRow> {
  const project = await client.project.findUnique({ where: { referenceNo }, select: projectSelect });
  if (!project) notFound();
  return project;
}

/** What `who` is to `project` (no throwing). */
export async function accessTo(client: Client, who: Actor, project: ProjectRow): Promise<ProjectAccess> {
  const isGrantee = who.organizations.some((o) => o.id === project.organizationId);
  const isOfficial = isOfficialFor(who, project.areaPath);
  const isEvaluator = !!(await client.evaluation.findFirst({ where: { projectId: project.id, evaluatorId: who.id }, select: { id: true } }));
  return { project, isGrantee, isOfficial, isEvaluator };
}

/**
 * The project and the viewer's relation to it when `mode` allows them, else 403 (404 for an
 * unknown reference). "evaluator" lets officials through too.
 */
export async function requireProject(who: Actor, referenceNo: string, mode: AccessMode, client: Client = db()): Promise<ProjectAccess> {
  const project = await projectByRef(client, referenceNo);
  const access = await accessTo(client, who, project);
  const allowed =
    mode === "grantee"
      ? access.isGrantee
      : mode === "official"
        ? access.isOfficial
        : mode === "member"
          ? access.isGrantee || access.isOfficial
          : access.isEvaluator || access.isOfficial;
  if (!allowed) forbidden();
  return access;
}

/** Locks the project row for the rest of the transaction (state changes that must not interleave). */
export async function lockProject(tx: Tx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
}

/** Users of the implementing organization who have accounts (to notify). */
export async function granteeUsers(client: Client, organizationId: string) {
  const members = await client.organizationMember.findMany({
    where: { organizationId, userId: { not: null } },
    select: { user: { select: { id: true, email: true, name: true, locale: true } } },
  });
  return members.map((m) => m.user!).filter(Boolean);
}

/**
 * Officials who look after a project: OFFICIAL grants on an area whose path is a prefix of the
 * project's (its community, its subdistrict, …), active ones only.
 */
export async function projectOfficials(client: Client, areaPath: string) {
  const grants = await client.roleGrant.findMany({
    where: { role: "OFFICIAL", revokedAt: null },
    select: { area: { select: { path: true } }, user: { select: { id: true, email: true, name: true, locale: true } } },
  });
  const seen = new Map<string, (typeof grants)[number]["user"]>();
  for (const g of grants) if (areaPath.startsWith(g.area.path) && !seen.has(g.user.id)) seen.set(g.user.id, g.user);
  return [...seen.values()];
}
