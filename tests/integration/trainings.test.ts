import { describe, expect, it } from "vitest";
import { fail } from "~/lib/result";
import { officialCounts, officialWork } from "~/services/accounts/work.server";
import { dashboard } from "~/services/areas/dashboard.server";
import { incubationAction, incubationPage } from "~/services/trainings/incubation.server";
import { areaTrainings, cancelSignup, certificate, checkIn, markAttendance, missedRequiredTrainings, publishTraining, signUp, trainingPage } from "~/services/trainings/trainings.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { embedsFont, pdfPages } from "../support/pdf";
import { fundedProject } from "../support/project-fixture";
import { HOUR, publishTestTraining, trainingSetting } from "../support/training-fixture";

const setting = trainingSetting;
const publish = publishTestTraining;

/** Moves a training's times so that `now` is `offset` ms after its start (the demo clock of a test). */
async function startedAgo(number: number, offset: number) {
  const t = await db().training.findUniqueOrThrow({ where: { number } });
  const startsAt = new Date(Date.now() - offset);
  await db().training.update({ where: { id: t.id }, data: { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR) } });
}

describe("trainings (能力培训)", () => {
  it("only an official of the area publishes; the public list shows seats left and never names", async () => {
    const s = await setting(1);
    await rejectsWithStatus(publishTraining(s.members[0]! as never, s.root.code, {}), 403);
    const number = await publish(s.official, s.root.code);
    expect(await signUp(s.members[0]! as never, number, s.members[0]!.orgId)).toEqual({ ok: true });
    const list = await areaTrainings(s.communities[0]!.code, null);
    expect(list.upcoming.map((t) => [t.number, t.seatsLeft])).toEqual([[number, 1]]);
    expect(JSON.stringify(list)).not.toContain(s.members[0]!.name);
    expect(list.official).toBe(false);
    expect((await db().auditLog.findMany({ where: { action: { in: ["training.publish", "training.signup"] } , actorId: { in: [s.official.id, s.members[0]!.id] } } })).length).toBe(2);
  });

  it("concurrent sign-ups for the last seats never go over capacity", async () => {
    const s = await setting(6);
    const number = await publish(s.official, s.root.code);
    const results = await Promise.all(s.members.map((m) => signUp(m as never, number, m.orgId)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok)).toEqual(Array(4).fill(fail(409, "trainings.error.full")));
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    expect(await db().trainingSignup.count({ where: { trainingId: t.id, cancelledAt: null } })).toBe(2);
    // a cancellation frees the seat
    const first = s.members.find((_, i) => results[i]!.ok)!;
    expect(await cancelSignup(first as never, number)).toEqual({ ok: true });
    const late = s.members.find((_, i) => !results[i]!.ok)!;
    expect(await signUp(late as never, number, late.orgId)).toEqual({ ok: true });
  });

  it("check-in codes: only the signed-up person, once; expired, foreign and altered codes are refused", async () => {
    const s = await setting(2);
    const [a, b] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    const number = await publish(s.official, s.root.code);
    expect(await signUp(a as never, number, a.orgId)).toEqual({ ok: true });
    // outside the window the official's page shows no code
    expect((await trainingPage(number, s.official)).checkIn).toBeNull();
    await startedAgo(number, 10 * 60_000);
    const shown = (await trainingPage(number, s.official)).checkIn!;
    const code = new URL(shown.url).searchParams.get("code")!;
    // the code passed to someone who did not sign up checks nobody in
    expect(await checkIn(b as never, number, code)).toEqual(fail(403, "trainings.error.notSignedUp"));
    expect(await checkIn(a as never, number, code)).toEqual({ ok: true });
    // replaying it checks in nobody else and not twice
    expect(await checkIn(a as never, number, code)).toEqual(fail(409, "trainings.error.alreadyCheckedIn"));
    const t = await db().training.findUniqueOrThrow({ where: { number } });
    expect(await db().trainingSignup.count({ where: { trainingId: t.id, attendedAt: { not: null } } })).toBe(1);
    // expired: a code past its lifetime
    expect(await checkIn(a as never, number, code, new Date(Date.now() + 6 * 60_000))).toEqual(fail(409, "trainings.error.codeExpired"));
    // bound to its training
    const other = await publish(s.official, s.root.code);
    await startedAgo(other, 10 * 60_000);
    expect(await signUp(b as never, other, b.orgId)).toEqual(fail(409, "trainings.error.started"));
    await db().trainingSignup.create({ data: { trainingId: (await db().training.findUniqueOrThrow({ where: { number: other } })).id, userId: b.id, organizationId: b.orgId } });
    expect(await checkIn(b as never, other, code)).toEqual(fail(403, "trainings.error.codeInvalid"));
    expect(await checkIn(b as never, other, `${code.slice(0, -1)}0`)).toEqual(fail(403, "trainings.error.codeInvalid"));
    expect((await db().auditLog.findMany({ where: { action: "training.checkIn", actorId: a.id } })).length).toBe(1);
  });

  it("the certificate is only for attendees; officials can mark attendance", async () => {
    const s = await setting(2);
    const [a, b] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    const number = await publish(s.official, s.root.code);
    expect(await signUp(a as never, number, a.orgId)).toEqual({ ok: true });
    expect(await signUp(b as never, number, b.orgId)).toEqual({ ok: true });
    await rejectsWithStatus(certificate(a as never, number, "zh-CN"), 404);
    const page = await trainingPage(number, s.official);
    const rowA = page.signups.find((x) => x.name === a.name)!;
    await rejectsWithStatus(markAttendance(b as never, number, { signupId: rowA.id, attended: "yes" }), 403);
    expect(await markAttendance(s.official as never, number, { signupId: rowA.id, attended: "yes" })).toEqual({ ok: true });
    const file = await certificate(a as never, number, "zh-CN");
    expect(embedsFont(file.bytes)).toBe(true);
    const text = (await pdfPages(file.bytes)).join("\n");
    expect(text).toContain("培训证明");
    expect(text).toContain(a.name);
    // the same data gives the same bytes
    expect((await certificate(a as never, number, "zh-CN")).bytes.equals(file.bytes)).toBe(true);
    await rejectsWithStatus(certificate(b as never, number, "zh-CN"), 404);
    const stranger = await person();
    await rejectsWithStatus(certificate(stranger as never, number, "zh-CN"), 404);
    expect(await db().auditLog.count({ where: { action: "document.download", actorId: a.id } })).toBe(2);
  });

  it("a grantee that missed a required training that ended is flagged; one that attended is not", async () => {
    const f = await fundedProject({ count: 2 });
    const number = await publish(f.official as never, f.root.code, { requiredForGrantees: "on", audience: "FUNDED_PROJECTS", capacity: "10" });
    const g0 = f.grantees[0]!;
    expect(await signUp(g0 as never, number, f.organizations[0]!.id)).toEqual({ ok: true });
    // not flagged before it ends
    expect(await missedRequiredTrainings(f.root.path)).toEqual([]);
    const signup = await db().trainingSignup.findFirstOrThrow({ where: { userId: g0.id } });
    await db().trainingSignup.update({ where: { id: signup.id }, data: { attendedAt: new Date(), attendedVia: "official" } });
    await startedAgo(number, 5 * HOUR);
    const missed = await missedRequiredTrainings(f.root.path);
    expect(missed.map((m) => [m.trainingNumber, m.organizationId])).toEqual([[number, f.organizations[1]!.id]]);
    // on the officials' dashboard and in their pending work
    const view = await dashboard(f.official, { area: f.root.code });
    expect(view.missedTrainings.map((m) => m.organizationId)).toEqual([f.organizations[1]!.id]);
    const work = (await officialWork(f.official as never)).find((g) => g.kind === "trainingsMissed")!;
    expect(work.count).toBe(1);
    expect(work.items.map((i) => i.href)).toEqual([`/trainings/${number}`]);
    expect((await officialCounts(f.communityOfficial))?.trainingsMissed).toBe(0);
  });
});

describe("incubation (培育孵化)", () => {
  it("an official takes an organization in with an invited mentor; the mentor logs; members read; others get 404", async () => {
    const s = await setting(1);
    const member = s.members[0]!;
    const mentor = await person([{ role: "MENTOR", area: s.root }], { name: "孵化导师" });
    const notMentor = await person([], { name: "非导师" });
    await rejectsWithStatus(incubationAction(member as never, member.orgId, { intent: "enter", enteredOn: "2026-09-01", goals: "建立财务制度" }), 403);
    expect(await incubationAction(s.official as never, member.orgId, { intent: "enter", enteredOn: "2026-09-01", goals: "建立财务制度", mentorId: notMentor.id })).toMatchObject({ ok: false });
    expect(await incubationAction(s.official as never, member.orgId, { intent: "enter", enteredOn: "2026-09-01", goals: "建立财务制度", mentorId: mentor.id })).toEqual({ ok: true });
    expect(await incubationAction(s.official as never, member.orgId, { intent: "enter", enteredOn: "2026-09-01", goals: "再来" })).toEqual(fail(409, "incubation.error.already"));
    // the stage machine: no skipping, no earlier day
    expect(await incubationAction(s.official as never, member.orgId, { intent: "advance", to: "GRADUATED", on: "2026-10-01" })).toEqual(fail(409, "incubation.error.stage"));
    expect(await incubationAction(s.official as never, member.orgId, { intent: "advance", to: "NURTURING", on: "2026-08-01" })).toMatchObject({ ok: false });
    expect(await incubationAction(s.official as never, member.orgId, { intent: "advance", to: "NURTURING", on: "2026-10-01" })).toEqual({ ok: true });
    // the mentor writes the log; a member may not
    const entry = { intent: "log" as const, heldOn: "2026-10-10", topic: "财务制度", advice: "建立报销台账", followUps: "下月检查" };
    expect(await incubationAction(mentor as never, member.orgId, entry)).toEqual({ ok: true });
    await rejectsWithStatus(incubationAction(member as never, member.orgId, entry), 403);
    await rejectsWithStatus(incubationAction(notMentor as never, member.orgId, entry), 404);
    const seen = await incubationPage(member.orgId, member as never);
    expect(seen.incubation).toMatchObject({ stage: "NURTURING", mentor: "孵化导师", enteredOn: "2026-09-01", nurturingOn: "2026-10-01" });
    expect(seen.incubation!.logs.map((l) => l.topic)).toEqual(["财务制度"]);
    expect(seen.mayLog).toBe(false);
    await rejectsWithStatus(incubationPage(member.orgId, notMentor as never), 404);
    expect(await db().notification.count({ where: { userId: member.id, kind: "mentorLogged" } })).toBe(1);
    const inc = await db().incubation.findUniqueOrThrow({ where: { organizationId: member.orgId } });
    expect((await db().auditLog.findMany({ where: { objectId: inc.id }, orderBy: { seq: "asc" }, select: { action: true } })).map((a) => a.action)).toEqual(["incubation.enter", "incubation.advance"]);
  });
});
