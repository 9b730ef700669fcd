/**
 * Project volunteer shifts: a funded project's members (the implementing organization) and the
 * officials of its community log the shifts of the community's confirmed volunteers at the
 * project's activities. An entry is never edited: a mistaken one is reversed by a second entry
 * of negative minutes (with the reason) and, when the shift did happen otherwise, logged anew.
 * Shifts are volunteer hours (VolunteerHours with projectId) of the project's community, so the
 * community's 服务时长 and the volunteer's page count them with the wishes' hours. Rules:
 * domain/volunteers.ts (project shifts).
 */
import { pageOf } from "~/domain/money";
import { reverseProblem, ReverseSchema, ShiftFields, ShiftRead, shiftDayProblem, shiftsOpen, shiftTotals } from "~/domain/volunteers";
import type { Actor } from "~/services/accounts/actor.server";
import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { audit } from "~/services/books/audit.server";
import { requireProject } from "~/services/projects/access.server";

export const SHIFTS_PAGE_SIZE = 25;

const entrySelect = {
  id: true,
  minutes: true,
  servedOn: true,
  note: true,
  createdAt: true,
  reversesId: true,
  reversedBy: { select: { id: true } },
  volunteer: { select: { id: true, user: { select: { name: true } } } },
} as const;

/** The project's shifts and their reversals, all of them (a project has dozens, not thousands). */
async function totalsOf(projectId: string) {
  const rows = await db().volunteerHours.findMany({ where: { projectId }, select: { minutes: true, reversesId: true } });
  return shiftTotals(rows);
}

/**
 * The shifts page of a project's workspace: the entries (newest first, paginated) with their
 * reversals, the totals, and for the form the community's confirmed volunteers. Members only.
 */
export async function projectShiftsPage(viewer: Actor, referenceNo: string, requestedPage?: unknown) {
  const { project } = await requireProject(viewer, referenceNo, "member");
  const total = await db().volunteerHours.count({ where: { projectId: project.id } });
  const { page, pages, skip, take } = pageOf(requestedPage, total, SHIFTS_PAGE_SIZE);
  const [rows, totals, volunteers] = await Promise.all([
    db().volunteerHours.findMany({ where: { projectId: project.id }, select: entrySelect, orderBy: [{ createdAt: "desc" }, { id: "asc" }], skip, take }),
    totalsOf(project.id),
    project.communityId
      ? db().volunteer.findMany({ where: { areaId: project.communityId, status: "CONFIRMED" }, select: { id: true, user: { select: { name: true } } }, orderBy: { createdAt: "asc" }, take: 500 })
      : Promise.resolve([]),
  ]);
  return {
    project: { referenceNo: project.referenceNo, title: project.title, status: project.status, community: project.community },
    canLog: shiftsOpen(project.status) && !!project.communityId,
    totals,
    volunteers: volunteers.map((v) => ({ id: v.id, name: v.user.name })),
    page,
    pages,
    entries: rows.map((r) => ({
      id: r.id,
      volunteer: r.volunteer ? r.volunteer.user.name : null,
      minutes: r.minutes,
      servedOn: shanghaiDay(r.servedOn),
      note: r.note,
      loggedAt: r.createdAt.toISOString(),
      reversal: !!r.reversesId,
      reversed: !!r.reversedBy,
    })),
    today: shanghaiDay(new Date()),
  };
}

/**
 * What the project's public page says of its volunteers: shifts and hours, and the names of the
 * volunteers who served and consented to the community's wall (nobody else is named).
 */
export async function publicProjectShifts(referenceNo: string) {
  const project = await db().project.findUnique({ where: { referenceNo }, select: { id: true } });
  if (!project) return null;
  const [totals, named] = await Promise.all([
    totalsOf(project.id),
    db().volunteer.findMany({
      where: { status: "CONFIRMED", showOnWall: true, hours: { some: { projectId: project.id, reversesId: null, reversedBy: null } } },
      select: { id: true, user: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
      take: 100,
    }),
  ]);
  return { ...totals, wall: named.map((v) => ({ id: v.id, name: v.user.name })) };
}

/** The project, locked with the access check inside the transaction (a member, the project implementing). */
async function projectForShift(tx: Tx, actor: Actor, referenceNo: string) {
  const { project } = await requireProject(actor, referenceNo, "member", tx);
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${project.id} FOR SHARE`;
  return project;
}

/** Logs a volunteer's shift at the project's activity. */
export async function logShift(actor: Actor, referenceNo: string, raw: unknown): Promise<Result> {
  const parsed = (typeof (raw as { hours?: unknown } | null)?.hours === "number" ? ShiftRead : ShiftFields).safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const project = await projectForShift(tx, actor, referenceNo);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    if (!shiftsOpen(project.status)) return fail(409, "volunteers.error.shiftsClosed");
    if (!project.communityId) return fail(409, "volunteers.error.shiftNoCommunity");
    const { volunteerId, servedOn, hours: minutes, activity } = parsed.data;
    const dayProblem = shiftDayProblem(servedOn, shanghaiDay(new Date()));
    if (dayProblem) return invalid({ servedOn: [dayProblem] });
    // the volunteer's registration must stay confirmed while the shift is written
    const volunteers = await tx.$queryRaw<{ id: string; status: string }[]>`
      SELECT id, status::text AS status FROM "Volunteer" WHERE id = ${volunteerId} AND "areaId" = ${project.communityId} FOR SHARE`;
    if (volunteers[0]?.status !== "CONFIRMED") return invalid({ volunteerId: ["volunteers.error.shiftVolunteer"] });
    const entry = await tx.volunteerHours.create({
      data: { areaId: project.communityId, volunteerId, projectId: project.id, minutes, servedOn: dayStart(servedOn), note: activity, recordedById: actor.id },
      select: { id: true },
    });
    await audit(tx, { actorId: actor.id, action: "hours.shift", objectType: "VolunteerHours", objectId: entry.id, after: { projectId: project.id, volunteerId, servedOn, minutes, activity } });
    return ok();
  });
}

/**
 * Reverses a mistaken shift: a second entry with the negative minutes and the reason. The entry
 * is locked and `reversesId` is unique, so two reversals of one shift leave one.
 */
export async function reverseShift(actor: Actor, referenceNo: string, raw: unknown): Promise<Result> {
  const parsed = ReverseSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const project = await projectForShift(tx, actor, referenceNo);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const rows = await tx.$queryRaw<{ id: string; areaId: string; volunteerId: string | null; organizationId: string | null; projectId: string | null; reversesId: string | null; minutes: number; servedOn: Date }[]>`
      SELECT id, "areaId", "volunteerId", "organizationId", "projectId", "reversesId", minutes, "servedOn"
      FROM "VolunteerHours" WHERE id = ${parsed.data.entryId} AND "projectId" = ${project.id} FOR UPDATE`;
    const entry = rows[0];
    if (!entry) notFound();
    const reversed = !!(await tx.volunteerHours.findUnique({ where: { reversesId: entry.id }, select: { id: true } }));
    const problem = reverseProblem({ ...entry, reversed });
    if (problem) return fail(409, problem);
    const reversal = await tx.volunteerHours.create({
      data: {
        areaId: entry.areaId,
        volunteerId: entry.volunteerId,
        organizationId: entry.organizationId,
        projectId: project.id,
        minutes: -entry.minutes,
        servedOn: entry.servedOn,
        note: parsed.data.reason,
        reversesId: entry.id,
        recordedById: actor.id,
      },
      select: { id: true },
    });
    await audit(tx, { actorId: actor.id, action: "hours.reverse", objectType: "VolunteerHours", objectId: entry.id, after: { reversalId: reversal.id, minutes: -entry.minutes, reason: parsed.data.reason } });
    return ok();
  });
}
