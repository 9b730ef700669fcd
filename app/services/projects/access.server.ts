import { MONITORING_STATES } from "~/domain/monitoring";
import { isOfficialFor, officialRoots } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import { Prisma } from "~/generated/prisma/client";
import { type Client, db, type Tx } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";

/**
 * Who may see and do what on a funded project. Every loader and action of the project pages goes
 * through `requireProject`, which throws the 403/404 itself:
 *
 * - "grantee": a member of the implementing organization (files reports, expenses, beneficiaries,
 *   accepts the agreement);
 * - "official": an official of the project's community or of an area above it (decides, releases
 *   money, calls back, evaluates); a community official sees only their community's projects;
 * - "evaluator": someone invited to evaluate this project (the evaluation page only);
 * - "member": grantee or official (the workspace pages both use);
 * - "involved": any of the above (the header above the workspace pages).
 *
 * The public project page (/projects/:ref) needs none of these and shows only public fields.
 * Besides who the viewer is, the project's state decides what may change: `writable`,
 * `requireReadable`, `registering` and `calling` below are those rules, in one place.
 */

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

/** A milestone as planned in the agreement, and how far it got: what the workspace and the public page both list. */
export const milestoneSelect = {
  position: true,
  title: true,
  dueOn: true,
  deliverable: true,
  status: true,
  approvedAt: true,
} as const satisfies Prisma.ProjectMilestoneSelect;

export interface ProjectAccess {
  project: ProjectRow;
  isGrantee: boolean;
  isOfficial: boolean;
  isEvaluator: boolean;
}

export type AccessMode = "grantee" | "official" | "member" | "evaluator" | "involved";

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
          : mode === "evaluator"
            ? access.isEvaluator || access.isOfficial
            : access.isGrantee || access.isOfficial || access.isEvaluator;
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

// ───────────────────────────── what the project's state allows ─────────────────────────────

/** Monitoring pages read active projects and those that failed evaluation or closed (their history). */
const READABLE = new Set(MONITORING_STATES);
/** Call-backs are drawn and recorded while the project runs (and after a failed evaluation, until it closes). */
const CALLING = new Set(["ACTIVE", "EVALUATION_FAILED"]);

/** Reports, expenses, adjustments and beneficiary registrations change only while the project is in implementation. */
export const writable = (access: Pick<ProjectAccess, "project">) => access.project.status === "ACTIVE";

/** Beneficiaries are registered while the project is being implemented. */
export const registering = (project: Pick<ProjectRow, "status">) => project.status === "ACTIVE";

/** Call samples may be drawn and calls recorded in this state. */
export const calling = (project: Pick<ProjectRow, "status">) => CALLING.has(project.status);

/** 404 for monitoring pages of a project that has not started (or never will). */
export function requireReadable(access: Pick<ProjectAccess, "project">) {
  if (!READABLE.has(access.project.status)) notFound();
}

/**
 * The project as the workspace header and each workspace page show it: who the viewer is to it
 * and whether its monitoring data may still change.
 */
export function workspaceHeader(access: ProjectAccess) {
  const p = access.project;
  return {
    referenceNo: p.referenceNo,
    title: p.title,
    status: p.status,
    organization: p.organization.name,
    isGrantee: access.isGrantee,
    isOfficial: access.isOfficial,
    isEvaluator: access.isEvaluator,
    writable: writable(access),
  };
}

export type WorkspaceHeader = ReturnType<typeof workspaceHeader>;

/**
 * The header of the project's workspace pages (the layout above them): grantees, officials and
 * invited evaluators may see it; everyone else gets 403, an unknown reference 404.
 */
export async function workspaceFor(who: Actor, referenceNo: string): Promise<WorkspaceHeader> {
  return workspaceHeader(await requireProject(who, referenceNo, "involved"));
}

/**
 * The projects an official looks after, as a filter on projects (no filter for administrators),
 * or null when the actor is no official at all. Lists across projects (pending releases, the
 * evaluation queue) use it.
 */
export function officialProjectsWhere(who: Pick<Actor, "grants">): Prisma.ProjectWhereInput | null {
  const roots = officialRoots(who);
  if (roots === null) return {};
  if (!roots.length) return null;
  return { OR: roots.map((r) => ({ areaPath: { startsWith: r } })) };
}

/**
 * The same scope as `officialProjectsWhere`, as SQL on a materialised-path column (`column`, e.g.
 * `p."areaPath"` or `a.path`) for counts that must be one statement (the header's badge): TRUE for
 * administrators, null for someone who is no official.
 */
export function officialPathSql(who: Pick<Actor, "grants">, column: Prisma.Sql): Prisma.Sql | null {
  const roots = officialRoots(who);
  if (roots === null) return Prisma.sql`TRUE`;
  if (!roots.length) return null;
  // area paths are lower-case codes and slashes (domain/permissions.ts isAreaPath): no LIKE wildcards to escape
  return Prisma.sql`${column} LIKE ANY(${roots.map((r) => `${r}%`)}::text[])`;
}
