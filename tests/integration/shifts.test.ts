import { describe, expect, it } from "vitest";
import { fail, invalid } from "~/lib/result";
import { logShift, projectShiftsPage, publicProjectShifts, reverseShift } from "~/services/volunteers/shifts.server";
import { communityVolunteering, confirmWish, decideVolunteer, fulfilWish, markWish, register, setSmallWishLimit, takeWish, volunteerPage } from "~/services/volunteers/volunteers.server";
import { publishNeed } from "~/services/needs/needs.server";
import VolunteersPage, { action as volunteersAction, loader as volunteersLoader } from "~/routes/areas.$code.volunteers";
import { action as shiftsAction } from "~/routes/projects.$ref.volunteers";
import { person, rejectsWithStatus } from "../support/actors";
import { renderRoute } from "../support/render-route";
import { answer, form, signedInRequest } from "../support/requests";
import { db, uid } from "../support/db";
import { dayFromToday, makeTopicRound } from "../support/need-fixture";
import { fundedProject } from "../support/project-fixture";

const registration = { skills: "陪老人聊天、家电维修", availability: "周末上午" };

/** An active funded project, its community's official, and two confirmed volunteers of its community (one on the wall). */
async function setting() {
  const f = await fundedProject();
  const community = await db().area.findUniqueOrThrow({ where: { id: f.project.communityId! } });
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const volunteers = [];
  for (const wall of [true, false]) {
    const v = await person();
    expect(await register(v, community.code, { ...registration, showOnWall: wall ? "on" : undefined })).toEqual({ ok: true });
    const row = await db().volunteer.findFirstOrThrow({ where: { userId: v.id } });
    expect(await decideVolunteer(official, community.code, { volunteerId: row.id, decision: "CONFIRM" })).toEqual({ ok: true });
    volunteers.push({ ...v, volunteerId: row.id });
  }
  return { ...f, community, communityOfficial: { ...official, organizations: [] }, volunteers };
}

const shift = (volunteerId: string, over: Record<string, string> = {}) => ({ volunteerId, servedOn: dayFromToday(-2), hours: "3", activity: "助餐点分餐、陪伴老人用餐", ...over });

describe("project volunteer shifts", () => {
  it("the project's members and the community's official log shifts of the community's confirmed volunteers; the project, the volunteer and the community count them", async () => {
    const s = await setting();
    const ref = s.project.referenceNo;
    const [a, b] = s.volunteers as [(typeof s.volunteers)[0], (typeof s.volunteers)[0]];
    const before = (await communityVolunteering(s.community.code, null)).minutes;

    expect(await logShift(s.grantee, ref, shift(a.volunteerId))).toEqual({ ok: true });
    expect(await logShift(s.communityOfficial, ref, shift(b.volunteerId, { hours: "1.5" }))).toEqual({ ok: true });

    // the community's 服务时长 counts them with the wishes' hours
    expect((await communityVolunteering(s.community.code, null)).minutes).toBe(before + 270);
    // the project's page: counts and hours; only the volunteer who consented is named
    expect(await publicProjectShifts(ref)).toEqual({ shifts: 2, minutes: 270, wall: [{ id: a.volunteerId, name: a.name }] });
    // the volunteer's page lists the shift under the project
    const page = await volunteerPage(a.volunteerId, a);
    expect(page.minutes).toBe(180);
    expect(page.entries[0]).toMatchObject({ minutes: 180, servedOn: dayFromToday(-2), note: "助餐点分餐、陪伴老人用餐", project: { referenceNo: ref } });
    const entry = await db().volunteerHours.findFirstOrThrow({ where: { volunteerId: a.volunteerId, projectId: s.project.id } });
    expect(await db().auditLog.findFirst({ where: { objectId: entry.id, action: "hours.shift" }, select: { actorId: true } })).toEqual({ actorId: s.grantee.id });
    expect((await projectShiftsPage(s.grantee, ref)).entries).toHaveLength(2);
  });

  it("nobody else logs or reads the shifts, and only the community's confirmed volunteers are logged", async () => {
    const s = await setting();
    const ref = s.project.referenceNo;
    const v = s.volunteers[0]!;
    await rejectsWithStatus(logShift(s.nobody, ref, shift(v.volunteerId)), 403);
    await rejectsWithStatus(logShift(s.otherCommunityOfficial, ref, shift(v.volunteerId)), 403);
    await rejectsWithStatus(logShift(v, ref, shift(v.volunteerId)), 403);
    await rejectsWithStatus(projectShiftsPage(s.nobody, ref), 403);
    // a pending volunteer, and a confirmed one of another community, are not the project's to log
    const pending = await person();
    await register(pending, s.community.code, registration);
    const pendingRow = await db().volunteer.findFirstOrThrow({ where: { userId: pending.id } });
    expect(await logShift(s.grantee, ref, shift(pendingRow.id))).toEqual(invalid({ volunteerId: ["volunteers.error.shiftVolunteer"] }));
    const elsewhere = await person();
    const otherCommunity = s.project.communityId === s.community1.id ? s.community2 : s.community1;
    await register(elsewhere, otherCommunity.code, registration);
    const elsewhereRow = await db().volunteer.findFirstOrThrow({ where: { userId: elsewhere.id } });
    await db().volunteer.update({ where: { id: elsewhereRow.id }, data: { status: "CONFIRMED" } });
    expect(await logShift(s.grantee, ref, shift(elsewhereRow.id))).toEqual(invalid({ volunteerId: ["volunteers.error.shiftVolunteer"] }));
    expect(await db().volunteerHours.count({ where: { projectId: s.project.id } })).toBe(0);
  });

  it("hours are half an hour to twelve hours in half hours, on a day not in the future; the form keeps the reasons by field", async () => {
    const s = await setting();
    const ref = s.project.referenceNo;
    const id = s.volunteers[0]!.volunteerId;
    expect(await logShift(s.grantee, ref, shift(id, { hours: "0.25" }))).toEqual(invalid({ hours: ["volunteers.error.shiftMin"] }));
    expect(await logShift(s.grantee, ref, shift(id, { hours: "1.25" }))).toEqual(invalid({ hours: ["volunteers.error.shiftStep"] }));
    expect(await logShift(s.grantee, ref, shift(id, { hours: "12.5" }))).toEqual(invalid({ hours: ["volunteers.error.shiftMax"] }));
    expect(await logShift(s.grantee, ref, shift(id, { servedOn: dayFromToday(1) }))).toEqual(invalid({ servedOn: ["volunteers.error.shiftFuture"] }));
    expect(await logShift(s.grantee, ref, shift(id, { activity: "" }))).toEqual(invalid({ activity: ["validation.required"] }));
    expect(await logShift(s.grantee, ref, shift(id, { hours: "12", servedOn: dayFromToday(0) }))).toEqual({ ok: true });
  });

  it("a mistaken shift is reversed by a second entry, never edited; it cannot be reversed twice, even at once", async () => {
    const s = await setting();
    const ref = s.project.referenceNo;
    const id = s.volunteers[0]!.volunteerId;
    await logShift(s.grantee, ref, shift(id, { hours: "4" }));
    const entry = await db().volunteerHours.findFirstOrThrow({ where: { projectId: s.project.id } });
    const reason = { entryId: entry.id, reason: "记错了志愿者，另行登记。" };
    const results = await Promise.all([reverseShift(s.grantee, ref, reason), reverseShift(s.communityOfficial, ref, reason)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual(fail(409, "volunteers.error.alreadyReversed"));
    const rows = await db().volunteerHours.findMany({ where: { projectId: s.project.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.minutes, r.reversesId])).toEqual([
      [240, null],
      [-240, entry.id],
    ]);
    expect(await publicProjectShifts(ref)).toMatchObject({ shifts: 0, minutes: 0, wall: [] });
    expect((await volunteerPage(id, s.volunteers[0]!)).minutes).toBe(0);
    // the reversal itself is not reversed
    expect(await reverseShift(s.grantee, ref, { entryId: rows[1]!.id, reason: "撤销这次更正。" })).toEqual(fail(409, "volunteers.error.notReversible"));
    // the database refuses an edit of the hours
    await expect(db().volunteerHours.update({ where: { id: entry.id }, data: { minutes: 60 } })).rejects.toThrow();
    expect((await db().auditLog.findMany({ where: { objectId: entry.id }, select: { action: true }, orderBy: { seq: "asc" } })).map((a) => a.action)).toEqual(["hours.shift", "hours.reverse"]);
  });

  it("shifts are logged only while the project is being implemented", async () => {
    const s = await setting();
    await db().project.update({ where: { id: s.project.id }, data: { status: "CLOSED" } });
    expect(await logShift(s.grantee, s.project.referenceNo, shift(s.volunteers[0]!.volunteerId))).toEqual(fail(409, "volunteers.error.shiftsClosed"));
  });
});

describe("the community's small-wish limit", () => {
  it("the community's official sets it in whole yuan within the bounds, audited; marking follows it", async () => {
    const s = await setting();
    const code = s.community.code;
    await rejectsWithStatus(setSmallWishLimit(s.volunteers[0]!, code, { limit: "800" }), 403);
    expect(await setSmallWishLimit(s.communityOfficial, code, { limit: "5" })).toEqual(invalid({ limit: ["money.tooSmall"] }));
    expect(await setSmallWishLimit(s.communityOfficial, code, { limit: "5001" })).toEqual(invalid({ limit: ["money.tooLarge"] }));
    expect(await setSmallWishLimit(s.communityOfficial, code, { limit: "800.50" })).toEqual(invalid({ limit: ["volunteers.error.limitWhole"] }));
    expect(await setSmallWishLimit(s.communityOfficial, code, { limit: "800" })).toEqual({ ok: true });
    expect((await communityVolunteering(code, null)).limitFen).toBe(80_000);
    expect(await db().auditLog.findFirst({ where: { objectId: s.community.id, action: "area.smallWishLimit" }, select: { before: true, after: true } })).toEqual({
      before: { limitFen: 50_000 },
      after: { limitFen: 80_000 },
    });
    const resident = await person();
    const need = await db().need.create({ data: { areaId: s.community.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想要一个新的电饭煲。", category: "PUBLIC_SERVICE" } });
    expect(await markWish(resident, need.number, { value: "600" })).toEqual({ ok: true });
  });
});

describe("a need is a small wish or a round's topic, not both", () => {
  it("an open or taken wish is not published as a topic; a published topic is not marked a wish; a fulfilled wish's need may become one", async () => {
    const s = await setting();
    const resident = await person();
    const curator = await person([{ role: "OFFICIAL", area: s.community }]);
    const round = await makeTopicRound(s.community.id, { requiresDeliberation: false });
    const need = await db().need.create({ data: { areaId: s.community.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想要一台二手收音机，听戏用。", category: "PUBLIC_SERVICE" } });
    expect(await markWish(resident, need.number, { value: "0" })).toEqual({ ok: true });
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual(fail(409, "needs.error.isSmallWish"));
    const v = s.volunteers[0]!;
    expect(await takeWish(v, need.number, {})).toEqual({ ok: true });
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual(fail(409, "needs.error.isSmallWish"));
    expect(await fulfilWish(v, need.number, { note: "已送到老人家中。", hours: "1" }, [])).toEqual({ ok: true });
    expect(await confirmWish(resident, need.number)).toEqual({ ok: true });
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual({ ok: true });

    const topic = await db().need.create({ data: { areaId: s.community.id, authorId: resident.id, title: `选题${uid()}`, description: "楼道照明需要改造。", category: "PUBLIC_SERVICE" } });
    expect(await publishNeed(curator, topic.number, { round: round.code })).toEqual({ ok: true });
    expect(await markWish(resident, topic.number, { value: "0" })).toEqual(fail(409, "volunteers.error.isTopic"));
  });
});

describe("the forms as the browser posts them", () => {
  it("the official's limit form: typed yuan saved, a bad amount back next to the field with what was typed; the page shows the form to officials only", async () => {
    const s = await setting();
    const code = s.community.code;
    const post = async (userId: string, fields: Record<string, string>) =>
      answer(async () => volunteersAction({ request: await signedInRequest(userId, `/areas/${code}/volunteers`, form(fields)), params: { code }, context: {} } as never));
    expect(await post(s.communityOfficial.id, { intent: "limit", limit: "3.5" })).toMatchObject({ status: 400, data: { result: { initialValue: { limit: "3.5" }, error: { limit: ["money.tooSmall"] } } } });
    expect(await post(s.communityOfficial.id, { intent: "limit", limit: "¥1,200" })).toMatchObject({ status: 200, data: { notice: "volunteers.done.limit" } });
    expect((await communityVolunteering(code, null)).limitFen).toBe(120_000);
    expect((await post(s.volunteers[0]!.id, { intent: "limit", limit: "800" })).status).toBe(403);

    const asOfficial = await volunteersLoader({ request: await signedInRequest(s.communityOfficial.id, `/areas/${code}/volunteers`), params: { code }, context: {} } as never);
    expect(renderRoute(VolunteersPage as never, asOfficial)).toContain('data-testid="limit-panel"');
    const anonymous = await volunteersLoader({ request: new Request(`http://localhost:3000/areas/${code}/volunteers`), params: { code }, context: {} } as never);
    const html = renderRoute(VolunteersPage as never, anonymous);
    expect(html).not.toContain('data-testid="limit-panel"');
    expect(html).toContain("¥1,200");
  });

  it("the shift form: hours typed as the browser sends them, errors back next to their fields", async () => {
    const s = await setting();
    const ref = s.project.referenceNo;
    const post = async (fields: Record<string, string>) =>
      answer(async () => shiftsAction({ request: await signedInRequest(s.grantee.id, `/projects/${ref}/volunteers`, form(fields)), params: { ref }, context: {} } as never));
    const fields = { intent: "log", volunteerId: s.volunteers[0]!.volunteerId, servedOn: dayFromToday(-1), hours: "13", activity: "助餐点分餐" };
    expect(await post(fields)).toMatchObject({ status: 400, data: { result: { initialValue: { activity: "助餐点分餐" }, error: { hours: ["volunteers.error.shiftMax"] } } } });
    expect(await post({ ...fields, hours: "２.５" })).toMatchObject({ status: 200, data: { notice: "shifts.done.logged" } });
    expect(await publicProjectShifts(ref)).toMatchObject({ shifts: 1, minutes: 150 });
  });
});
