/**
 * Incubation (培育孵化): an official of an organization's area takes it in (入孵), moves it on to
 * nurturing (培育) and out (出孵), with goals and a mentor — an expert invited to the area with the
 * MENTOR role, as judges are (staff invitations and role grants). The mentor and the officials
 * keep a mentoring log (辅导记录) per organization or per one of its projects, which the
 * organization's members read. Rules: domain/incubation.ts. Authorized per object; every
 * decision audited in its transaction.
 */
import { advanceStage, isMentorFor, mayIncubate, mayLog, mayReadIncubation, type IncubationIntents, type IncubationStage } from "~/domain/incubation";
import type { z } from "zod";
import type { Actor } from "~/services/accounts/actor.server";
import { db } from "~/lib/db.server";
import { notify } from "~/lib/notify.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { audit } from "~/services/books/audit.server";

type Intent = z.output<typeof IncubationIntents>;

const LOG_MAX = 200;

async function organizationOf(id: string) {
  const org = await db().organization.findUnique({
    where: { id },
    select: { id: true, name: true, area: { select: { id: true, code: true, nameZh: true, nameEn: true, path: true } } },
  });
  if (!org) notFound();
  return org;
}

const isMember = async (organizationId: string, userId: string) =>
  !!(await db().organizationMember.findFirst({ where: { organizationId, userId }, select: { id: true } }));

/** The mentors who may be assigned in the area at `areaPath`: live MENTOR grants there or above. */
async function mentorsFor(areaPath: string) {
  const grants = await db().roleGrant.findMany({
    where: { role: "MENTOR", revokedAt: null, user: { deletedAt: null } },
    select: { userId: true, area: { select: { path: true } }, user: { select: { name: true } } },
  });
  const ok = grants.filter((g) => isMentorFor([{ role: "MENTOR", areaPath: g.area.path }], areaPath));
  return [...new Map(ok.map((g) => [g.userId, { id: g.userId, name: g.user.name }])).values()].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

/**
 * An organization's incubation page: the stage with its dates, goals, mentor and the log. For
 * the organization's members, its mentor and the officials of its area; 404 for anyone else.
 * An official sees the form to take it in while it is not incubated.
 */
export async function incubationPage(organizationId: string, viewer: Actor) {
  const org = await organizationOf(organizationId);
  const inc = await db().incubation.findUnique({
    where: { organizationId: org.id },
    select: {
      id: true,
      stage: true,
      enteredOn: true,
      nurturingOn: true,
      graduatedOn: true,
      goals: true,
      mentorId: true,
      mentor: { select: { name: true } },
      logs: {
        select: { id: true, heldOn: true, topic: true, advice: true, followUps: true, author: { select: { name: true } }, project: { select: { referenceNo: true, title: true } } },
        orderBy: [{ heldOn: "desc" }, { createdAt: "desc" }],
        take: LOG_MAX,
      },
    },
  });
  const official = mayIncubate(viewer, org.area.path);
  const member = await isMember(org.id, viewer.id);
  if (!(official || member || (inc && inc.mentorId === viewer.id))) notFound();
  const stage = inc ? (inc.stage as IncubationStage) : null;
  const [mentors, projects] = await Promise.all([
    official ? mentorsFor(org.area.path) : [],
    inc ? db().project.findMany({ where: { organizationId: org.id }, select: { id: true, referenceNo: true, title: true }, orderBy: { referenceNo: "asc" } }) : [],
  ]);
  return {
    organization: { id: org.id, name: org.name, area: { code: org.area.code, nameZh: org.area.nameZh, nameEn: org.area.nameEn } },
    incubation: inc
      ? {
          stage: stage!,
          enteredOn: shanghaiDay(inc.enteredOn),
          nurturingOn: shanghaiDay(inc.nurturingOn),
          graduatedOn: shanghaiDay(inc.graduatedOn),
          goals: inc.goals,
          mentor: inc.mentor?.name ?? null,
          mentorId: inc.mentorId,
          logs: inc.logs.map((l) => ({ id: l.id, heldOn: shanghaiDay(l.heldOn), topic: l.topic, advice: l.advice, followUps: l.followUps, author: l.author.name, project: l.project })),
        }
      : null,
    official,
    mayLog: !!inc && mayLog(viewer, { mentorId: inc.mentorId, areaPath: org.area.path, stage: stage! }),
    mentors,
    projects,
    today: shanghaiDay(new Date()),
  };
}

/** Checks that `mentorId` (when given) is a mentor of the area. */
async function mentorProblem(mentorId: string | undefined, areaPath: string): Promise<string | null> {
  if (!mentorId) return null;
  return (await mentorsFor(areaPath)).some((m) => m.id === mentorId) ? null : "incubation.error.mentor";
}

/** The page's forms: take in, move on, assign the mentor, write in the log. */
export async function incubationAction(actor: Actor, organizationId: string, v: Intent): Promise<Result> {
  const org = await organizationOf(organizationId);
  switch (v.intent) {
    case "enter": {
      if (!mayIncubate(actor, org.area.path)) forbidden();
      const mp = await mentorProblem(v.mentorId || undefined, org.area.path);
      if (mp) return invalid({ mentorId: [mp] });
      return db().$transaction(async (tx): Promise<Result> => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`incubation:${org.id}`}))`;
        if (await tx.incubation.findUnique({ where: { organizationId: org.id }, select: { id: true } })) return fail(409, "incubation.error.already");
        const inc = await tx.incubation.create({
          data: { organizationId: org.id, areaId: org.area.id, enteredOn: dayStart(v.enteredOn), goals: v.goals, mentorId: v.mentorId || null, createdById: actor.id },
          select: { id: true },
        });
        await audit(tx, { actorId: actor.id, action: "incubation.enter", objectType: "Incubation", objectId: inc.id, after: { organizationId: org.id, enteredOn: v.enteredOn, goals: v.goals, mentorId: v.mentorId || null } });
        if (v.mentorId) await notify(tx, { userId: v.mentorId, kind: "mentorAssigned", params: { organization: org.name }, link: `/organizations/${org.id}/incubation` });
        return ok();
      });
    }
    case "advance":
    case "mentor": {
      if (!mayIncubate(actor, org.area.path)) forbidden();
      const mp = v.intent === "mentor" ? await mentorProblem(v.mentorId || undefined, org.area.path) : null;
      if (mp) return invalid({ mentorId: [mp] });
      return db().$transaction(async (tx): Promise<Result> => {
        const rows = await tx.$queryRaw<{ id: string; stage: IncubationStage; enteredOn: Date; nurturingOn: Date | null; graduatedOn: Date | null; mentorId: string | null }[]>`
          SELECT id, stage::text AS stage, "enteredOn", "nurturingOn", "graduatedOn", "mentorId" FROM "Incubation" WHERE "organizationId" = ${org.id} FOR UPDATE`;
        const inc = rows[0];
        if (!inc) notFound();
        if (v.intent === "mentor") {
          const mentorId = v.mentorId || null;
          await tx.incubation.update({ where: { id: inc.id }, data: { mentorId } });
          await audit(tx, { actorId: actor.id, action: "incubation.mentor", objectType: "Incubation", objectId: inc.id, before: { mentorId: inc.mentorId }, after: { mentorId } });
          if (mentorId && mentorId !== inc.mentorId) await notify(tx, { userId: mentorId, kind: "mentorAssigned", params: { organization: org.name }, link: `/organizations/${org.id}/incubation` });
          return ok();
        }
        const next = advanceStage(
          { stage: inc.stage, enteredOn: shanghaiDay(inc.enteredOn), nurturingOn: shanghaiDay(inc.nurturingOn), graduatedOn: shanghaiDay(inc.graduatedOn) },
          v.to,
          v.on,
        );
        if ("problem" in next) return next.problem === "incubation.error.dayBefore" ? invalid({ on: [next.problem] }) : fail(409, next.problem);
        await tx.incubation.update({
          where: { id: inc.id },
          data: { stage: next.stage, nurturingOn: next.dates.nurturingOn ? dayStart(next.dates.nurturingOn) : null, graduatedOn: next.dates.graduatedOn ? dayStart(next.dates.graduatedOn) : null },
        });
        await audit(tx, { actorId: actor.id, action: "incubation.advance", objectType: "Incubation", objectId: inc.id, before: { stage: inc.stage }, after: { stage: next.stage, on: v.on } });
        return ok();
      });
    }
    case "log": {
      return db().$transaction(async (tx): Promise<Result> => {
        const inc = await tx.incubation.findUnique({ where: { organizationId: org.id }, select: { id: true, stage: true, mentorId: true } });
        if (!inc) notFound();
        const member = await isMember(org.id, actor.id);
        if (!mayReadIncubation(actor, { mentorId: inc.mentorId, areaPath: org.area.path }, member)) notFound();
        if (!mayLog(actor, { mentorId: inc.mentorId, areaPath: org.area.path, stage: inc.stage as IncubationStage })) forbidden();
        const projectId = v.projectId || null;
        if (projectId && !(await tx.project.findFirst({ where: { id: projectId, organizationId: org.id }, select: { id: true } }))) return invalid({ projectId: ["incubation.error.project"] });
        const log = await tx.mentorLog.create({
          data: { incubationId: inc.id, projectId, authorId: actor.id, heldOn: dayStart(v.heldOn), topic: v.topic, advice: v.advice, followUps: v.followUps },
          select: { id: true },
        });
        await audit(tx, { actorId: actor.id, action: "incubation.log", objectType: "MentorLog", objectId: log.id, after: { incubationId: inc.id, projectId, heldOn: v.heldOn, topic: v.topic } });
        const members = await tx.organizationMember.findMany({ where: { organizationId: org.id, userId: { not: null } }, select: { userId: true } });
        for (const m of members) if (m.userId && m.userId !== actor.id) await notify(tx, { userId: m.userId, kind: "mentorLogged", params: { organization: org.name, topic: v.topic }, link: `/organizations/${org.id}/incubation` });
        return ok();
      });
    }
  }
}
