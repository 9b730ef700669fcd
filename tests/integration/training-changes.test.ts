import { describe, expect, it } from "vitest";
import * as dashboardRoute from "~/routes/admin.dashboard";
import { fail } from "~/lib/result";
import { officialCounts } from "~/services/accounts/work.server";
import { rankingFor } from "~/services/areas/ranking.server";
import { quarterOf } from "~/domain/org-ranking";
import { cancelTraining, certificate, checkIn, editTraining, markAttendance, missedRequiredTrainings, signUp, trainingPage, areaTrainings } from "~/services/trainings/trainings.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { answer, form, signedInRequest } from "../support/requests";
import { HOUR, local, publishTestTraining, trainingSetting } from "../support/training-fixture";

/** Five seats: enough for every member of the settings below to sign up. */
const publish = (official: Parameters<typeof publishTestTraining>[0], code: string, over: Record<string, string> = {}) => publishTestTraining(official, code, { capacity: "5", ...over });

/** The details of a published training as the edit form sends them back. */
async function editFields(number: number, over: Record<string, string> = {}) {
  const t = await db().training.findUniqueOrThrow({ where: { number } });
  return { topic: t.topic, trainer: t.trainer, description: t.description, startsAt: local(t.startsAt), endsAt: local(t.endsAt), place: t.place ?? "", onlineUrl: t.onlineUrl ?? "", capacity: String(t.capacity), ...over };
}

const setting = trainingSetting;

describe("editing a published training", () => {
  it("an official of the area edits; seats never below those signed up; times only before the start; audited before/after", async () => {
    const s = await setting(3);
    const number = await publish(s.official, s.root.code);
    for (const m of s.members) expect(await signUp(m as never, number, m.orgId)).toEqual({ ok: true });
    // anyone else is refused
    await rejectsWithStatus(editTraining(s.members[0] as never, number, await editFields(number, { trainer: "李老师" })), 403);
    const stranger = await person([{ role: "OFFICIAL", area: s.communities[1]! }]);
    await rejectsWithStatus(editTraining(stranger as never, number, await editFields(number, { trainer: "李老师" })), 403);
    // seats below the three signed up
    expect(await editTraining(s.official as never, number, await editFields(number, { capacity: "2" }))).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { capacity: ['trainings.error.capacityBelowSignups|{"count":3}'] } } });
    // the form's own checks
    expect(await editTraining(s.official as never, number, await editFields(number, { place: "", onlineUrl: "" }))).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { place: ["trainings.error.where"] } } });
    const later = new Date(Date.now() + 48 * HOUR);
    expect(await editTraining(s.official as never, number, await editFields(number, { trainer: "李老师", capacity: "3", startsAt: local(later), endsAt: local(new Date(later.getTime() + HOUR)) }))).toEqual({ ok: true });
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    expect(t).toMatchObject({ trainer: "李老师", capacity: 3, startsAt: new Date(`${local(later)}:00+08:00`) });
    const audits = await db().auditLog.findMany({ where: { action: "training.edit", objectId: t.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.before).toMatchObject({ trainer: "王老师", capacity: 5 });
    expect(audits[0]!.after).toMatchObject({ trainer: "李老师", capacity: 3 });
    expect(Object.keys(audits[0]!.after as object).sort()).toEqual(["capacity", "endsAt", "notified", "startsAt", "trainer"]);
    // a new time is news: each of the three signed up is told once, with the new start
    const moved = () => db().emailMessage.findMany({ where: { template: "training-changed", userId: { in: s.members.map((m) => m.id) } }, select: { userId: true, subject: true, text: true } });
    expect(audits[0]!.after).toMatchObject({ notified: 3 });
    expect((await moved()).map((m) => m.userId).sort()).toEqual(s.members.map((m) => m.id).sort());
    expect((await moved())[0]!.text).toContain(`${local(later).slice(0, 4)}/${local(later).slice(5, 7)}/${local(later).slice(8, 10)} ${local(later).slice(11, 16)}`);
    // a new trainer is not: nobody is told again
    expect(await editTraining(s.official as never, number, await editFields(number, { trainer: "赵老师" }))).toEqual({ ok: true });
    expect(await moved()).toHaveLength(3);
    // once started: details may be corrected, times not
    await db().training.update({ where: { id: t.id }, data: { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR) } });
    expect(await editTraining(s.official as never, number, await editFields(number, { startsAt: local(new Date(Date.now() + HOUR)), endsAt: local(new Date(Date.now() + 3 * HOUR)) }))).toMatchObject({ ok: false, problem: { fieldErrors: { startsAt: ["trainings.error.timeLocked"] } } });
    expect(await editTraining(s.official as never, number, await editFields(number, { place: "会议室" }))).toEqual({ ok: true });
    // a new place is news again
    expect(await moved()).toHaveLength(6);
    expect((await moved()).filter((m) => m.text.includes("会议室"))).toHaveLength(3);
  });
});

describe("cancelling a training", () => {
  it("only an official of the area, with a reason, before the start; those signed up are told once, in the same transaction", async () => {
    const s = await setting(2);
    const [a, b] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    const number = await publish(s.official, s.root.code);
    expect(await signUp(a as never, number, a.orgId)).toEqual({ ok: true });
    expect(await signUp(b as never, number, b.orgId)).toEqual({ ok: true });
    await rejectsWithStatus(cancelTraining(a as never, number, "不想办了"), 403);
    expect(await cancelTraining(s.official as never, number, "  ")).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { reason: ["trainings.error.reason"] } } });
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    expect(t.cancelledAt).toBeNull();
    expect(await cancelTraining(s.official as never, number, "讲师临时生病")).toEqual({ ok: true, notified: 2 });
    // once: a second cancellation is refused and sends nothing more
    expect(await cancelTraining(s.official as never, number, "再取消")).toEqual(fail(409, "trainings.error.cancelled"));
    const mail = await db().emailMessage.findMany({ where: { template: "training-cancelled", userId: { in: [a.id, b.id] } }, select: { userId: true, subject: true, text: true } });
    expect(mail.map((m) => m.userId).sort()).toEqual([a.id, b.id].sort());
    expect(mail[0]!.subject).toContain("培训已取消");
    expect(mail[0]!.text).toContain("讲师临时生病");
    const audits = await db().auditLog.findMany({ where: { action: "training.cancelTraining", objectId: t.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.before).toEqual({ cancelledAt: null });
    expect(audits[0]!.after).toMatchObject({ cancelReason: "讲师临时生病", signups: 2, notified: 2 });
    // shown as cancelled on its page and the area's list; the reason to those signed up and the officials
    const page = await trainingPage(number, a as never);
    expect(page.training).toMatchObject({ cancelled: true, cancelReason: "讲师临时生病" });
    expect((await trainingPage(number, null)).training.cancelReason).toBeNull();
    expect((await trainingPage(number, s.official as never)).checkIn).toBeNull();
    expect((await areaTrainings(s.root.code, null)).upcoming.find((x) => x.number === number)).toMatchObject({ cancelled: true });
    // no more sign-ups or edits
    const c = await person([], { name: "后来者" });
    const org = await db().organization.create({ data: { kind: "RESIDENT_TEAM", name: `后来队${uid()}`, areaId: s.communities[0]!.id, members: { create: { userId: c.id, name: c.name, position: "负责人" } } } });
    expect(await signUp(c as never, number, org.id)).toEqual(fail(409, "trainings.error.cancelled"));
    expect(await editTraining(s.official as never, number, await editFields(number, { trainer: "李老师" }))).toEqual(fail(409, "trainings.error.cancelled"));
  });

  it("a started training cannot be cancelled; a cancelled one takes no check-in, attendance or certificate", async () => {
    const s = await setting(1);
    const a = s.members[0]!;
    const started = await publish(s.official, s.root.code);
    const ts = await db().training.findUniqueOrThrow({ where: { number: started } });
    await db().training.update({ where: { id: ts.id }, data: { startsAt: new Date(Date.now() - 10 * 60_000), endsAt: new Date(Date.now() + HOUR) } });
    expect(await cancelTraining(s.official as never, started, "太晚了")).toEqual(fail(409, "trainings.error.started"));

    const number = await publish(s.official, s.root.code);
    expect(await signUp(a as never, number, a.orgId)).toEqual({ ok: true });
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    // the window opens: the official's page shows the code; then the training is cancelled
    await db().training.update({ where: { id: t.id }, data: { startsAt: new Date(Date.now() + 10 * 60_000), endsAt: new Date(Date.now() + HOUR) } });
    const code = new URL((await trainingPage(number, s.official as never)).checkIn!.url).searchParams.get("code")!;
    expect(await cancelTraining(s.official as never, number, "场地停电")).toEqual({ ok: true, notified: 1 });
    expect(await checkIn(a as never, number, code)).toEqual(fail(409, "trainings.error.cancelled"));
    const signup = await db().trainingSignup.findFirstOrThrow({ where: { trainingId: t.id } });
    expect(await markAttendance(s.official as never, number, { signupId: signup.id, attended: "yes" })).toEqual(fail(409, "trainings.error.cancelled"));
    // an attendance recorded before (directly in the database) earns no certificate
    await db().trainingSignup.update({ where: { id: signup.id }, data: { attendedAt: new Date(), attendedVia: "official" } });
    await rejectsWithStatus(certificate(a as never, number, "zh-CN"), 404);
    expect((await trainingPage(number, a as never)).mine).toMatchObject({ certificate: false });
  });

  it("a cancelled required training is not a missed one, on the dashboard flag nor in the pending work, nor in the ranking's attendance", async () => {
    const f = await fundedProject({ count: 2 });
    const number = await publish(f.official as never, f.root.code, { requiredForGrantees: "on", audience: "FUNDED_PROJECTS", capacity: "10" });
    const g0 = f.grantees[0]!;
    expect(await signUp(g0 as never, number, f.organizations[0]!.id)).toEqual({ ok: true });
    expect(await cancelTraining(f.official as never, number, "改期另行通知")).toEqual({ ok: true, notified: 1 });
    // its time passes
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    await db().training.update({ where: { id: t.id }, data: { startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - 3 * HOUR) } });
    expect(await missedRequiredTrainings(f.root.path)).toEqual([]);
    expect((await officialCounts(f.official as never))?.trainingsMissed).toBe(0);
    // a training that was not cancelled, same shape, is counted (the check above is not vacuous)
    const other = await publish(f.official as never, f.root.code, { requiredForGrantees: "on", audience: "FUNDED_PROJECTS", capacity: "10" });
    const o = await db().training.findUniqueOrThrow({ where: { number: other } });
    await db().training.update({ where: { id: o.id }, data: { startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - 3 * HOUR) } });
    expect((await missedRequiredTrainings(f.root.path)).map((m) => m.trainingNumber)).toEqual([other, other]);
    expect((await officialCounts(f.official as never))?.trainingsMissed).toBe(2);
    // the ranking's attendance: the cancelled sign-up is not counted as offered and missed
    const area = await db().area.findUniqueOrThrow({ where: { id: f.root.id } });
    await db().area.update({ where: { id: area.id }, data: { trainingAttendanceWeight: 50 } });
    const row = (await rankingFor(area, quarterOf(new Date()))).rows.find((r) => r.organizationId === f.organizations[0]!.id);
    expect(row).toBeDefined();
    expect(row!.attendance ?? null).toBeNull();
  });
});

describe("the training-attendance weight form (dashboard)", () => {
  const post = async (userId: string, fields: Record<string, string>) =>
    answer(async () => dashboardRoute.action({ request: await signedInRequest(userId, "/admin/dashboard", form({ intent: "attendanceWeight", ...fields })), params: {}, context: {} } as never));

  it("officials of the area set it (audited before/after); others are refused; out-of-range and non-numbers are said and kept", async () => {
    const f = await fundedProject({ count: 1 });
    // refused: a grantee, and an official of another community
    expect((await post(f.grantee.id, { area: f.root.code, attendanceWeight: "20" })).status).toBe(403);
    expect((await post(f.otherCommunityOfficial.id, { area: f.communities[0]!.code, attendanceWeight: "20" })).status).toBe(403);
    // validated: what was typed comes back with the message
    const over = await post(f.official.id, { area: f.root.code, attendanceWeight: "150" });
    expect(over.status).toBe(400);
    expect(over.data).toMatchObject({ intent: "attendanceWeight", result: { initialValue: { attendanceWeight: "150" }, error: { attendanceWeight: ["dashboard.attendanceWeight.range"] } } });
    expect((await post(f.official.id, { area: f.root.code, attendanceWeight: "2.5" })).data).toMatchObject({ result: { error: { attendanceWeight: ["dashboard.attendanceWeight.integer"] } } });
    expect((await db().area.findUniqueOrThrow({ where: { id: f.root.id } })).trainingAttendanceWeight).toBe(0);
    // allowed: saved, audited, the ranking recomputed with it
    const ok = await post(f.official.id, { area: f.root.code, attendanceWeight: "25" });
    expect(ok.status).toBe(302);
    expect(ok.location).toContain("done=attendanceWeight");
    expect((await db().area.findUniqueOrThrow({ where: { id: f.root.id } })).trainingAttendanceWeight).toBe(25);
    const audits = await db().auditLog.findMany({ where: { action: "area.trainingAttendanceWeight", objectId: f.root.id } });
    expect(audits.map((x) => [x.actorId, x.before, x.after])).toEqual([[f.official.id, { trainingAttendanceWeight: 0 }, { trainingAttendanceWeight: 25 }]]);
    const jobs = await db().$queryRaw<{ payload: unknown }[]>`SELECT payload FROM graphile_worker._private_jobs WHERE key = ${`org-rankings:area:${f.root.id}`}`;
    expect(jobs.map((j) => j.payload)).toEqual([{ areaId: f.root.id }]);
    // a community official sets their own community's
    expect((await post(f.communityOfficial.id, { area: f.communities[0]!.code, attendanceWeight: "10" })).status).toBe(302);
  });
});
