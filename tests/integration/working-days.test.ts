import { afterEach, describe, expect, it } from "vitest";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree } from "../support/db";
import { answer, form as formBody, outcome, signedInRequest } from "../support/requests";
import { assignAll, reviewRound, submitSheet } from "../support/review-fixture";
import { formatDayList } from "~/domain/statutory-calendar";
import { fileObjection, publicNotice, publishAwards, resolveObjection, resultsPage, roundObjections } from "~/services/awards/awards.server";
import { calendarInForce, calendarPage, checkCalendarYear, saveCalendarYear } from "~/services/areas/calendar.server";
import * as calendarRoute from "~/routes/admin.calendar";

/**
 * Notices counted with the statutory calendar: the chinese-days package's arrangements, the
 * officials' entries over them, and the refusal when a year is missing — through the awards
 * use-cases, the calendar use-cases and the officials' page.
 */

const at = (iso: string) => new Date(iso);

/** The rows this file's officials entered: the worker's database is shared with other files. */
afterEach(async () => {
  await db().calendarYearEntry.deleteMany();
});

/** Two proposals scored by three judges, ready to publish. */
async function scored() {
  const f = await reviewRound({ proposals: 2, judges: 3, round: { noticeDays: 5 } });
  await assignAll(f);
  const shares = [0.9, 0.7];
  for (const [i, p] of f.proposals.entries()) for (const j of f.judges) await submitSheet(f, p.id, j.seat.id, (_k, max) => Math.round(max * shares[i]! * 2) / 2);
  return f;
}

/**
 * 2027 as far as the law fixes it: New Year's Day, 1 January (《全国年节及纪念日放假办法》). The State
 * Council's 2027 arrangement (its 调休) was not published when this was written; this entry only
 * exercises entering a year.
 */
const NEW_YEAR_2027 = { year: 2027, holidays: "2027-01-01", makeupWorkdays: "", source: "测试：仅元旦（全国年节及纪念日放假办法），非 2027 年放假安排通知" };

async function enter(actor: { id: string; grants: readonly { role: "OFFICIAL" | "ADMIN" | "JUDGE" | "FOUNDATION_MANAGER" | "MENTOR"; areaPath: string; areaLevel: string }[] }, raw: typeof NEW_YEAR_2027) {
  const checked = await checkCalendarYear(actor, raw);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problem));
  return saveCalendarYear(actor, { ...raw, reviewed: checked.preview.digest });
}

describe("publishing counts working days with the statutory calendar", () => {
  it("across National Day 2026: published on 30 September, a 5-working-day notice ends on 14 October 00:00 Asia/Shanghai, and says how", async () => {
    const f = await scored();
    const now = at("2026-09-30T10:00:00+08:00");
    const preview = await resultsPage(f.official, f.round.code, now);
    expect(preview.noticePreview).toMatchObject({ ok: true, end: "2026-10-13T16:00:00.000Z" });

    expect(await publishAwards(f.official, f.round.code, { now })).toEqual({ ok: true, noticeEndsAt: "2026-10-13T16:00:00.000Z" });
    const basis = {
      workingDays: 5,
      counted: ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"],
      holidays: ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
      makeupWorkdays: ["2026-10-10"],
      weekendDays: ["2026-10-11"],
      years: [{ year: 2026, origin: "package", detail: "chinese-days 1.5.7" }],
    };
    const awards = await db().award.findMany({ where: { roundId: f.round.id } });
    expect(awards).toHaveLength(2);
    for (const a of awards) {
      expect(a.noticeEndsAt).toEqual(at("2026-10-14T00:00:00+08:00"));
      expect(a.noticeBasis).toEqual(basis);
    }
    const notice = await publicNotice(f.round.code);
    expect(notice.awards.map((a) => a.noticeBasis)).toEqual([basis, basis]);
    const job = await db().$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`finalize:${f.round.id}`}`;
    expect(job[0]!.run_at).toEqual(at("2026-10-14T00:00:00+08:00"));
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "awards.publish", objectId: f.round.id } });
    expect(audit.after).toMatchObject({ noticeEndsAt: "2026-10-13T16:00:00.000Z", noticeBasis: basis });
  });

  it("refuses to publish, naming the year, when the count reaches a year the calendar lacks — and writes nothing", async () => {
    const f = await scored();
    const now = at("2026-12-28T10:00:00+08:00"); // 29, 30, 31 December, then 2027
    expect((await resultsPage(f.official, f.round.code, now)).noticePreview).toEqual({ ok: false, missingYear: 2027 });
    expect(await publishAwards(f.official, f.round.code, { now })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ['publish.calendarMissing|{"year":2027}'] }),
    });
    expect(await db().award.count({ where: { roundId: f.round.id } })).toBe(0);
    expect((await db().round.findUniqueOrThrow({ where: { id: f.round.id } })).phase).toBe("REVIEW");
    expect(await db().auditLog.count({ where: { action: "awards.publish", objectId: f.round.id } })).toBe(0);
  });

  it("once an official enters the missing year (checked, confirmed, audited), publishing counts with it", async () => {
    const f = await scored();
    const now = at("2026-12-28T10:00:00+08:00");
    const checked = await checkCalendarYear(f.official, NEW_YEAR_2027);
    if (!checked.ok) throw new Error("check refused");
    expect(checked.preview).toMatchObject({ replaces: null, entry: { year: 2027, holidays: ["2027-01-01"], makeupWorkdays: [] } });
    expect(await db().calendarYearEntry.count()).toBe(0); // checking writes nothing
    // what was checked is what is saved: a changed entry must be checked again
    expect(await saveCalendarYear(f.official, { ...NEW_YEAR_2027, holidays: "2027-01-01 2027-01-04", reviewed: checked.preview.digest })).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ["calendar.reviewChanged"] }),
    });
    expect(await saveCalendarYear(f.official, { ...NEW_YEAR_2027, reviewed: checked.preview.digest })).toEqual({ ok: true, year: 2027 });
    const entry = await db().calendarYearEntry.findFirstOrThrow({ where: { year: 2027 } });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "calendar.year.set", objectId: entry.id } });
    expect(audit).toMatchObject({ actorId: f.official.id, before: null, after: { year: 2027, origin: "officials", holidays: ["2027-01-01"], makeupWorkdays: [], source: NEW_YEAR_2027.source } });

    // 29, 30, 31 December, [1 January off, 2–3 weekend], 4 and 5 January
    expect(await publishAwards(f.official, f.round.code, { now })).toEqual({ ok: true, noticeEndsAt: "2027-01-05T16:00:00.000Z" });
    const award = await db().award.findFirstOrThrow({ where: { roundId: f.round.id } });
    expect(award.noticeBasis).toMatchObject({
      counted: ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"],
      holidays: ["2027-01-01"],
      years: [
        { year: 2026, origin: "package", detail: "chinese-days 1.5.7" },
        { year: 2027, origin: "officials", detail: NEW_YEAR_2027.source },
      ],
    });
  });

  it("an officials' correction of a year wins over the package's, and the correction is audited with what it replaced", async () => {
    const f = await scored();
    const pkg2026 = (await calendarInForce()).calendar.get(2026)!;
    // a correction that drops make-up Saturday 10 October (test data: the package has it right)
    const corrected = { year: 2026, holidays: formatDayList(pkg2026.holidays), makeupWorkdays: formatDayList(pkg2026.makeupWorkdays.filter((d) => d !== "2026-10-10")), source: "测试更正" };
    expect(await enter(f.official, corrected)).toEqual({ ok: true, year: 2026 });
    const entry = await db().calendarYearEntry.findFirstOrThrow({ where: { year: 2026 } });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "calendar.year.set", objectId: entry.id } });
    expect(audit.before).toMatchObject({ year: 2026, origin: "package", source: "chinese-days 1.5.7", makeupWorkdays: pkg2026.makeupWorkdays });

    // 8, 9, [10–11 weekend], 12, 13, 14 October
    expect(await publishAwards(f.official, f.round.code, { now: at("2026-09-30T10:00:00+08:00") })).toEqual({ ok: true, noticeEndsAt: "2026-10-14T16:00:00.000Z" });
    const award = await db().award.findFirstOrThrow({ where: { roundId: f.round.id } });
    expect(award.noticeBasis).toMatchObject({ makeupWorkdays: [], years: [{ year: 2026, origin: "officials", detail: "测试更正" }] });
  });
});

describe("objections re-run after the calendar's end", () => {
  it("an upheld objection restarts the changed items' notice with the calendar; without the year it is refused and nothing changes", async () => {
    const f = await scored();
    // published Tuesday 15 December: 16, 17, 18, 21, 22 → ends 23 December 00:00
    expect(await publishAwards(f.official, f.round.code, { now: at("2026-12-15T10:00:00+08:00") })).toEqual({ ok: true, noticeEndsAt: "2026-12-22T16:00:00.000Z" });
    const resident = await person();
    expect(await fileObjection(resident, f.round.code, { proposalId: f.proposals[0]!.id, reason: "该项目与去年资助项目内容完全相同。" }, null, at("2026-12-16T09:00:00+08:00"))).toEqual({ ok: true });
    const [objection] = (await roundObjections(f.official, f.round.code)).objections;
    const uphold = { objectionId: objection!.id, decision: "uphold", resolution: "重复申报，取消资助。", action: "exclude" };
    const before = await db().award.findMany({ where: { roundId: f.round.id }, orderBy: { rank: "asc" } });

    const monday = at("2026-12-28T10:00:00+08:00");
    expect(await resolveObjection(f.official, f.round.code, uphold, monday)).toEqual({
      ok: false,
      problem: expect.objectContaining({ status: 409, formErrors: ['objection.calendarMissing|{"year":2027}'] }),
    });
    expect(await db().award.findMany({ where: { roundId: f.round.id }, orderBy: { rank: "asc" } })).toEqual(before);
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection!.id } })).status).toBe("OPEN");
    expect(await db().allocationOverride.count({ where: { roundId: f.round.id } })).toBe(0);

    expect(await enter(f.official, NEW_YEAR_2027)).toEqual({ ok: true, year: 2027 });
    const resolved = await resolveObjection(f.official, f.round.code, uphold, monday);
    expect(resolved).toMatchObject({ ok: true });
    const changed = await db().award.findMany({ where: { roundId: f.round.id, version: { gt: 1 } } });
    expect(changed.length).toBeGreaterThan(0);
    for (const a of changed) {
      expect(a.noticeStartsAt).toEqual(monday);
      expect(a.noticeEndsAt).toEqual(at("2027-01-06T00:00:00+08:00"));
      expect(a.noticeBasis).toMatchObject({ counted: ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"], holidays: ["2027-01-01"] });
    }
  });
});

describe("the officials' calendar page", () => {
  it("lists the package's years and the missing ones; officials of a subdistrict check and confirm a year through the form", async () => {
    const { root, communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const page = await calendarPage(official, 2026, at("2026-12-06T10:00:00+08:00"));
    expect(page.years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2026 - i));
    expect(page.years[0]).toMatchObject({ year: 2026, origin: "package", detail: "chinese-days 1.5.7", holidayCount: 33, makeupCount: 6 });
    expect(page.years[0]!.holidays.find((r) => r.from === "2026-10-01")).toEqual({ from: "2026-10-01", to: "2026-10-07", zh: "国庆节", en: "National Day" });
    expect(page.missing).toEqual([2027]);
    expect(page.canEdit).toBe(true);
    expect(page.form).toMatchObject({ year: 2026, makeupWorkdays: "2026-01-04\n2026-02-14\n2026-02-28\n2026-05-09\n2026-09-20\n2026-10-10" });

    const url = "/admin/calendar";
    const fields = { year: "2027", holidays: "01-01", makeupWorkdays: "", source: NEW_YEAR_2027.source };
    const post = async (extra: Record<string, string>) =>
      answer(async () => calendarRoute.action({ request: await signedInRequest(official.id, url, formBody({ ...fields, ...extra })), params: {}, context: {} } as never));
    const wrong = await post({ intent: "check", makeupWorkdays: "01-04" });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("calendar.makeup.notWeekend");
    const checked = await post({ intent: "check" });
    expect(checked.status).toBe(200);
    const digest = (checked.data as { preview: { digest: string } }).preview.digest;
    expect(await db().calendarYearEntry.count()).toBe(0);
    expect(await post({ intent: "save", reviewed: digest })).toMatchObject({ status: 302, location: "/admin/calendar?saved=2027" });
    expect((await calendarPage(official, null, at("2026-12-06T10:00:00+08:00"))).years[0]).toMatchObject({ year: 2027, origin: "officials", detail: NEW_YEAR_2027.source, enteredBy: official.name });

    // a community official reads the calendar but does not change it; an account with no role does neither
    const community = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    expect((await calendarPage(community)).canEdit).toBe(false);
    await rejectsWithStatus(checkCalendarYear(community, NEW_YEAR_2027), 403);
    await rejectsWithStatus(saveCalendarYear(community, { ...NEW_YEAR_2027, reviewed: digest }), 403);
    const resident = await person();
    await rejectsWithStatus(calendarPage(resident), 403);
    expect(await outcome(async () => calendarRoute.loader({ request: await signedInRequest(resident.id, url), params: {}, context: {} } as never))).toMatchObject({ status: 403 });
  });
});
