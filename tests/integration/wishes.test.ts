import { describe, expect, it } from "vitest";
import { withParams } from "~/domain/messages";
import { fail, invalid } from "~/lib/result";
import {
  communityVolunteering,
  confirmWish,
  decideVolunteer,
  disputeWish,
  fulfilWish,
  markWish,
  register,
  releaseWish,
  ruleWish,
  takeWish,
  volunteerPage,
  wishDetail,
  wishOfNeed,
} from "~/services/volunteers/volunteers.server";
import { eraseAccount } from "~/services/privacy/erasure.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

const registration = { skills: "陪老人聊天、家电维修", availability: "周末上午" };

/** A community with its official, a resident with an open need, and `n` confirmed volunteers. */
async function setting(n = 2) {
  const { communities } = await makeAreaTree(2);
  const community = communities[0]!;
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const resident = await person();
  const need = await db().need.create({
    data: { areaId: community.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想要一台二手收音机，听戏用。", category: "PUBLIC_SERVICE" },
  });
  const volunteers = [];
  for (let i = 0; i < n; i++) {
    const v = await person();
    expect(await register(v, community.code, { ...registration, partyMember: i === 0 ? "on" : undefined, partyBranch: i === 0 ? "第一党支部" : "", showOnWall: "on" })).toEqual({ ok: true });
    const row = await db().volunteer.findFirstOrThrow({ where: { userId: v.id } });
    expect(await decideVolunteer(official, community.code, { volunteerId: row.id, decision: "CONFIRM" })).toEqual({ ok: true });
    volunteers.push({ ...v, volunteerId: row.id });
  }
  return { community, other: communities[1]!, official, resident, need, volunteers };
}

const auditOf = (objectId: string) => db().auditLog.findMany({ where: { objectId }, select: { action: true }, orderBy: { seq: "asc" } });

describe("volunteers and small wishes (微心愿)", () => {
  it("报到: a registration waits for the official, who alone confirms it; a Party member names the branch", async () => {
    const { community, official } = await setting(0);
    const v = await person();
    expect(await register(v, community.code, { ...registration, partyMember: "on" })).toEqual(invalid({ partyBranch: ["volunteers.error.branch"] }));
    expect(await register(v, community.code, { ...registration, partyMember: "on", partyBranch: "第二党支部" })).toEqual({ ok: true });
    const row = await db().volunteer.findFirstOrThrow({ where: { userId: v.id } });
    expect(row).toMatchObject({ status: "PENDING", partyMember: true, partyBranch: "第二党支部", showOnWall: false });
    await rejectsWithStatus(decideVolunteer(v, community.code, { volunteerId: row.id, decision: "CONFIRM" }), 403);
    expect((await communityVolunteering(community.code, official)).pending.map((p) => p.id)).toEqual([row.id]);
    expect(await decideVolunteer(official, community.code, { volunteerId: row.id, decision: "CONFIRM" })).toEqual({ ok: true });
    expect(await decideVolunteer(official, community.code, { volunteerId: row.id, decision: "DECLINE" })).toEqual(fail(409, "volunteers.error.notPending"));
    expect((await auditOf(row.id)).map((a) => a.action)).toEqual(["volunteer.register", "volunteer.confirm"]);
    // not on the wall without consent
    expect((await communityVolunteering(community.code, null)).wall).toEqual([]);
    expect(await db().notification.count({ where: { userId: v.id, kind: "volunteerConfirmed" } })).toBe(1);
  });

  it("a need is a small wish only under the community's limit (default ¥500), marked by its author or an official", async () => {
    const s = await setting(0);
    const stranger = await person();
    // the need's page offers marking it to its author and the officials only
    expect(await wishOfNeed(s.need.number, stranger)).toEqual({ status: null, mayMark: false });
    expect(await wishOfNeed(s.need.number, null)).toEqual({ status: null, mayMark: false });
    expect(await wishOfNeed(s.need.number, s.official)).toEqual({ status: null, mayMark: true });
    expect(await wishOfNeed(s.need.number, s.resident)).toEqual({ status: null, mayMark: true });
    await rejectsWithStatus(markWish(stranger, s.need.number, { value: "0" }), 403);
    expect(await markWish(s.resident, s.need.number, { value: "500" })).toEqual(invalid({ value: [withParams("volunteers.error.tooLarge", { limit: 500 })] }));
    await db().area.update({ where: { id: s.community.id }, data: { smallWishLimitFen: 100_000 } });
    expect(await markWish(s.resident, s.need.number, { value: "500" })).toEqual({ ok: true });
    expect(await wishOfNeed(s.need.number, s.resident)).toEqual({ status: "OPEN", mayMark: false });
    expect(await markWish(s.official, s.need.number, { value: "0" })).toEqual(fail(409, "volunteers.error.alreadyWish"));
  });

  it("two volunteers claiming one wish at once: exactly one takes it, the other is told it was just taken", async () => {
    const s = await setting(2);
    expect(await markWish(s.resident, s.need.number, { value: "80" })).toEqual({ ok: true });
    const results = await Promise.all(s.volunteers.map((v) => takeWish(v, s.need.number, {})));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([fail(409, "volunteers.error.alreadyTaken")]);
    const wish = await db().wish.findFirstOrThrow({ where: { needId: s.need.id } });
    const winner = s.volunteers[results.findIndex((r) => r.ok)]!;
    expect(wish).toMatchObject({ status: "TAKEN", takerVolunteerId: winner.volunteerId, takenById: winner.id });
    expect((await auditOf(wish.id)).map((a) => a.action)).toEqual(["wish.mark", "wish.take"]);
    expect(await db().notification.count({ where: { userId: s.resident.id, kind: "wishTaken" } })).toBe(1);
  });

  it("only a confirmed volunteer or a member of a pairing unit takes it, never its author", async () => {
    const s = await setting(0);
    await markWish(s.resident, s.need.number, { value: "0" });
    const pending = await person();
    await register(pending, s.community.code, registration);
    expect(await takeWish(pending, s.need.number, {})).toEqual(fail(403, "volunteers.error.notConfirmedYet"));
    expect(await takeWish(await person(), s.need.number, {})).toEqual(fail(403, "volunteers.error.notVolunteer"));
    expect(await takeWish(s.resident, s.need.number, {})).toEqual(fail(409, "volunteers.error.ownWish"));
    // an organization of another community is no pairing unit of this one
    const member = await person();
    const far = await db().organization.create({ data: { kind: "RESIDENT_TEAM", name: `远方队${uid()}`, areaId: s.other.id, members: { create: { userId: member.id, name: member.name } } } });
    expect(await takeWish(member, s.need.number, { organizationId: far.id })).toEqual(fail(403, "volunteers.error.notPairingUnit"));
    const near = await db().organization.create({ data: { kind: "RESIDENT_TEAM", name: `结对队${uid()}`, areaId: s.community.id, members: { create: { userId: member.id, name: member.name } } } });
    expect(await takeWish(member, s.need.number, { organizationId: near.id })).toEqual({ ok: true });
    expect((await wishDetail(s.need.number, null)).wish?.taker).toEqual({ kind: "organization", name: near.name });
  });

  it("fulfil with a photo → the resident confirms → the hours add up on the volunteer's and the community's page", async () => {
    const s = await setting(1);
    const v = s.volunteers[0]!;
    const second = await db().need.create({ data: { areaId: s.community.id, authorId: s.resident.id, title: `微心愿${uid()}`, description: "想请人帮忙修理门锁。", category: "PUBLIC_SERVICE" } });
    for (const n of [s.need, second]) {
      await markWish(s.resident, n.number, { value: "0" });
      expect(await takeWish(v, n.number, {})).toEqual({ ok: true });
    }
    await rejectsWithStatus(fulfilWish(s.resident, s.need.number, { note: "已送到", hours: "1" }, []), 403);
    expect(await fulfilWish(v, s.need.number, { note: "收音机已送到家中", hours: "25" }, [])).toEqual(invalid({ hours: ["volunteers.error.hoursMax"] }));
    expect(await fulfilWish(v, s.need.number, { note: "收音机已送到家中", hours: "1.5" }, [new File([PNG], "送达.png", { type: "image/png" })])).toEqual({ ok: true });
    expect(await fulfilWish(v, second.number, { note: "门锁已修好", hours: "0.75" }, [])).toEqual({ ok: true });
    expect(await db().notification.count({ where: { userId: s.resident.id, kind: "wishFulfilled" } })).toBe(2);
    await rejectsWithStatus(confirmWish(v, s.need.number), 403);
    expect(await confirmWish(s.resident, s.need.number)).toEqual({ ok: true });
    expect(await confirmWish(s.resident, s.need.number)).toEqual(fail(409, "volunteers.error.notFulfilled"));
    expect(await confirmWish(s.resident, second.number)).toEqual({ ok: true });

    const page = await volunteerPage(v.volunteerId, null);
    expect(page.minutes).toBe(135);
    expect(page.entries.map((e) => e.minutes).sort()).toEqual([45, 90]);
    const community = await communityVolunteering(s.community.code, null);
    expect(community.minutes).toBe(135);
    expect(community.counts).toMatchObject({ open: 0, taken: 0, fulfilled: 2, confirmed: 2 });
    expect(community.wall.map((w) => w.id)).toEqual([v.volunteerId]);
    expect((await wishDetail(s.need.number, null)).wish).toMatchObject({ status: "CONFIRMED", hasPhoto: true, minutes: 90, hoursRecorded: true });
    const wish = await db().wish.findFirstOrThrow({ where: { needId: s.need.id } });
    expect((await auditOf(wish.id)).map((a) => a.action)).toEqual(["wish.mark", "wish.take", "wish.fulfil", "wish.confirm"]);
    await expect(db().volunteerHours.create({ data: { areaId: s.community.id, volunteerId: v.volunteerId, minutes: 20, servedOn: new Date() } })).rejects.toThrow();
  });

  it("a dispute goes to the community's official: ruled not fulfilled, no hours; the taker may give a wish back", async () => {
    const s = await setting(1);
    const v = s.volunteers[0]!;
    await markWish(s.resident, s.need.number, { value: "0" });
    await takeWish(v, s.need.number, {});
    expect(await releaseWish(v, s.need.number)).toEqual({ ok: true });
    expect((await db().wish.findFirstOrThrow({ where: { needId: s.need.id } })).status).toBe("OPEN");
    await takeWish(v, s.need.number, {});
    expect(await fulfilWish(v, s.need.number, { note: "已完成，送到家中", hours: "2" }, [])).toEqual({ ok: true });
    expect(await disputeWish(s.resident, s.need.number, { reason: "收音机没有送到" })).toEqual({ ok: true });
    await rejectsWithStatus(ruleWish(s.resident, s.need.number, { outcome: "FULFILLED", reason: "核实" }), 403);
    expect(await ruleWish(s.official, s.need.number, { outcome: "NOT_FULFILLED", reason: "上门核实，确未送达" })).toEqual({ ok: true });
    expect((await communityVolunteering(s.community.code, null)).minutes).toBe(0);
    expect((await wishDetail(s.need.number, null)).wish).toMatchObject({ status: "RESOLVED", rulingFulfilled: false, hoursRecorded: false });
  });

  it("erasing a volunteer's account erases their Party membership, skills and wall consent; their hours stay", async () => {
    const s = await setting(1);
    const v = s.volunteers[0]!;
    expect((await communityVolunteering(s.community.code, null)).wall).toHaveLength(1);
    expect(await db().$transaction((tx) => eraseAccount(tx, v.id, { actorId: v.id, via: "self" }))).toMatchObject({ ok: true });
    expect(await db().volunteer.findUniqueOrThrow({ where: { id: v.volunteerId } })).toMatchObject({ partyMember: false, partyBranch: null, skills: "", availability: "", showOnWall: false });
    expect((await communityVolunteering(s.community.code, null)).wall).toEqual([]);
  });
});
