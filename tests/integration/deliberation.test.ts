import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, rulesFormValues } from "~/domain/deliberation";
import { withParams } from "~/domain/messages";
import { invalid, fail } from "~/lib/result";
import {
  addRemark,
  amendMatter,
  communityDeliberation,
  grantCommunityRole,
  matterDetail,
  mattersOfNeed,
  proposeMatter,
  recordResolution,
  recordReview,
  revokeCommunityRole,
  setCommunityRules,
} from "~/services/deliberation/deliberation.server";
import { mergeNeed, needDetail, publishNeed, rejectNeed } from "~/services/needs/needs.server";
import { setFollow } from "~/services/needs/conversation.server";
import { datasetRows } from "~/services/public/open-data.server";
import MatterPage, { action as matterAction, loader as matterLoader } from "~/routes/deliberation.$number";
import { renderRoute } from "../support/render-route";
import { answer, signedInRequest } from "../support/requests";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";
import { dayFromToday, makeNeed, makeTopicRound } from "../support/need-fixture";

/** The matter page's data as its loader gives it to `viewer` (the matter and its online voting). */
const matterPageData = async (number: number, viewer: { id: string }) =>
  matterLoader({ request: await signedInRequest(viewer.id, `/deliberation/${number}`), params: { number: String(number) }, context: {} } as never);

const publicDataVersion = async () => BigInt((await db().$queryRaw<{ version: string }[]>`SELECT sum("version")::text AS "version" FROM "PublicDataVersion"`)[0]!.version);

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** The review meeting was five days ago, the residents' vote yesterday. */
const REVIEWED_ON = dayFromToday(-5);
const RESOLVED_ON = dayFromToday(-1);

const review = (outcome: "FORWARD" | "REVISE" | "DROP") => ({
  body: "PARTY_MEMBERS_MEETING",
  meetingOn: REVIEWED_ON,
  place: "社区党群服务中心会议室",
  attendeesEntitled: "25",
  attendeesPresent: "21",
  officeHolders: "张书记，李主任\n王委员",
  minutes: "与会党员代表逐项讨论了议题，认为需求真实、迫切，建议提交居民代表会议表决。",
  outcome,
  reasons: "需求真实、群众呼声高。",
});

const resolution = (votesFor: number, present = 30, entitled = 40) => ({
  body: "REPRESENTATIVES_MEETING",
  meetingOn: RESOLVED_ON,
  place: "社区议事厅",
  entitled: String(entitled),
  present: String(present),
  votesFor: String(votesFor),
  votesAgainst: "0",
  abstentions: "0",
  text: "同意将该议题列为本年度公益创投选题，并公开实施过程。",
});

/** A subdistrict with one community, its official, a branch secretary, a supervisor and two open needs. */
async function setting() {
  const { root, communities } = await makeAreaTree(2);
  const community = communities[0]!;
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const secretary = await person();
  const member = await person();
  const supervisor = await person();
  expect(await grantCommunityRole(official, community.code, { email: secretary.email, role: "SECRETARY" })).toEqual({ ok: true });
  expect(await grantCommunityRole(official, community.code, { email: member.email, role: "COMMITTEE_MEMBER" })).toEqual({ ok: true });
  expect(await grantCommunityRole(official, community.code, { email: supervisor.email, role: "SUPERVISOR" })).toEqual({ ok: true });
  const needs = [await makeNeed(community.id), await makeNeed(community.id)];
  return { root, community, other: communities[1]!, official, secretary, member, supervisor, needs };
}

describe("deliberation (三议) before a need becomes a topic", () => {
  it("a round requiring deliberation refuses a need without a passed resolution, then takes it after 提议 → 审议 → 决议", async () => {
    const s = await setting();
    const round = await makeTopicRound(s.root.id);
    expect(round.requiresDeliberation).toBe(true);
    const curator = await person([{ role: "OFFICIAL", area: s.root }]);
    const need = s.needs[0]!;

    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual(invalid({ round: ["needs.error.notDeliberated"] }));

    const proposed = await proposeMatter(s.secretary, s.community.code, { title: "楼道照明改造", needs: `${need.number}`, rationale: "居民反映楼道夜间照明不足，存在安全隐患。" });
    expect(proposed).toMatchObject({ ok: true });
    const number = (proposed as { number: number }).number;
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual(invalid({ round: ["needs.error.notDeliberated"] }));

    const photo = new File([PNG], "签到表.png", { type: "image/png" });
    expect(await recordReview(s.member, number, review("FORWARD"), [photo])).toEqual({ ok: true });
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual(invalid({ round: ["needs.error.notDeliberated"] }));

    expect(await recordResolution(s.official, number, resolution(16))).toEqual({ ok: true, passed: true });
    expect(await publishNeed(curator, need.number, { round: round.code })).toEqual({ ok: true });

    // 两公开: the need's page and the matter's page show every step, with the counts and the photo
    const [shown] = await mattersOfNeed(need.id);
    expect(shown).toMatchObject({ number, status: "PASSED", needs: [{ number: need.number, status: "PUBLISHED" }] });
    expect(shown!.reviews[0]).toMatchObject({ outcome: "FORWARD", officeHolders: ["张书记", "李主任", "王委员"], meetingOn: REVIEWED_ON, attachments: [{ upload: { originalName: "签到表.png" } }] });
    expect(shown!.resolution).toMatchObject({ present: 30, votesFor: 16, quorate: true, passed: true });
    expect((await needDetail(need.number, null)).status).toBe("PUBLISHED");

    // and in open data, with the counts and the outcome
    const rows = [];
    for await (const batch of datasetRows("deliberation-matters")) rows.push(...batch);
    expect(rows.find((r) => r.number === number)).toMatchObject({
      status: "PASSED",
      need_numbers: String(need.number),
      reviews: 1,
      last_review_outcome: "FORWARD",
      resolved_on: RESOLVED_ON,
      present: 30,
      votes_for: 16,
      passed: true,
    });
  });

  it("a round that does not require deliberation, and every round that existed before, takes a need straight away", async () => {
    const s = await setting();
    const round = await makeTopicRound(s.root.id, { requiresDeliberation: false });
    const curator = await person([{ role: "OFFICIAL", area: s.root }]);
    expect(await publishNeed(curator, s.needs[0]!.number, { round: round.code })).toEqual({ ok: true });
  });

  it("a failed resolution (exactly half for) or a dropped matter does not make a topic", async () => {
    const s = await setting();
    const round = await makeTopicRound(s.root.id);
    const a = s.needs[0]!;
    const b = s.needs[1]!;
    const first = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题甲", needs: String(a.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    const second = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题乙", needs: String(b.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, first.number, review("FORWARD"), []);
    expect(await recordResolution(s.official, first.number, resolution(15))).toEqual({ ok: true, passed: false });
    expect(await recordReview(s.official, second.number, review("DROP"), [])).toEqual({ ok: true });
    expect(await recordResolution(s.official, second.number, resolution(20))).toEqual(fail(409, "deliberation.error.notForwarded"));
    for (const n of [a, b]) expect(await publishNeed(s.official, n.number, { round: round.code })).toEqual(invalid({ round: ["needs.error.notDeliberated"] }));
    // once the matter is final the need may be proposed again
    expect(await proposeMatter(s.official, s.community.code, { title: "议题甲（再议）", needs: String(a.number), rationale: "补充材料后重新提议，请再次审议。" })).toMatchObject({ ok: true });
  });

  it("revision sends the matter back to the proposal: amended, then reviewed again", async () => {
    const s = await setting();
    const { number } = (await proposeMatter(s.secretary, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    expect(await recordReview(s.member, number, review("REVISE"), [])).toEqual({ ok: true });
    expect(await recordResolution(s.member, number, resolution(20))).toEqual(fail(409, "deliberation.error.notForwarded"));
    expect(await amendMatter(s.secretary, number, { rationale: "补充了费用估算与受益居民人数。" })).toEqual({ ok: true });
    expect(await recordReview(s.member, number, review("FORWARD"), [])).toEqual({ ok: true });
    const { matter } = await matterDetail(number, null);
    expect(matter).toMatchObject({ status: "FORWARDED", rationale: "补充了费用估算与受益居民人数。" });
    expect(matter.reviews.map((r) => r.outcome)).toEqual(["REVISE", "FORWARD"]);
  });

  it("a need already held by a live matter, closed, or of another community cannot be proposed", async () => {
    const s = await setting();
    const [a] = s.needs;
    await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(a!.number), rationale: "居民反映的问题需要社区统一议定。" });
    expect(await proposeMatter(s.official, s.community.code, { title: "重复的楼道议题", needs: String(a!.number), rationale: "居民反映的问题需要社区统一议定。" })).toEqual(
      invalid({ needs: [withParams("deliberation.error.needHeld", { numbers: String(a!.number) })] }),
    );
    const elsewhere = await makeNeed(s.other.id);
    expect(await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(elsewhere.number), rationale: "居民反映的问题需要社区统一议定。" })).toEqual(
      invalid({ needs: [withParams("deliberation.error.needElsewhere", { numbers: String(elsewhere.number) })] }),
    );
    const rejected = await makeNeed(s.community.id, { status: "REJECTED" });
    expect(await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(rejected.number), rationale: "居民反映的问题需要社区统一议定。" })).toEqual(
      invalid({ needs: [withParams("deliberation.error.needNotOpen", { numbers: String(rejected.number) })] }),
    );
  });

  it("a need's followers hear each step its matter reaches (inbox and e-mail), once however many of its needs they follow, never the one who took it", async () => {
    const s = await setting();
    const [a, b] = s.needs as [(typeof s.needs)[0], (typeof s.needs)[0]];
    const follower = await person();
    for (const who of [follower, s.secretary, s.member]) await setFollow(who, a.number, true);
    // following both of the matter's needs: still one notice and one e-mail per step
    await setFollow(follower, b.number, true);
    const kinds = async (userId: string) => (await db().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);
    const mails = async (userId: string) => (await db().emailMessage.findMany({ where: { userId, template: "need-update" }, orderBy: { createdAt: "asc" } })).map((m) => m.subject);

    const { number } = (await proposeMatter(s.secretary, s.community.code, { title: "楼道照明议题", needs: `${a.number} ${b.number}`, rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.member, number, review("REVISE"), []);
    await recordReview(s.member, number, review("FORWARD"), []);
    await recordResolution(s.official, number, resolution(16));
    expect(await kinds(follower.id)).toEqual(["needFollowProposed", "needFollowReturned", "needFollowForwarded", "needFollowPassed"]);
    expect(await mails(follower.id)).toEqual([
      `您关注的需求“${a.title}”已提交社区议事`,
      `您关注的需求“${a.title}”的议题被退回修改`,
      `您关注的需求“${a.title}”已通过审议`,
      `您关注的需求“${a.title}”已经居民决议通过`,
    ]);
    const first = await db().notification.findFirstOrThrow({ where: { userId: follower.id, kind: "needFollowProposed" } });
    expect(first).toMatchObject({ params: { number: a.number, title: a.title, detail: "楼道照明议题", matter: number }, link: `/needs/${a.number}` });
    // the proposer did not hear of the proposal, nor the committee member of the reviews
    expect(await kinds(s.secretary.id)).toEqual(["needFollowReturned", "needFollowForwarded", "needFollowPassed"]);
    expect(await kinds(s.member.id)).toEqual(["needFollowProposed", "needFollowPassed"]);
  });

  it("two simultaneous proposals of one need: one takes it", async () => {
    const s = await setting();
    const need = String(s.needs[0]!.number);
    const results = await Promise.all([
      proposeMatter(s.official, s.community.code, { title: "楼道照明议题一", needs: need, rationale: "居民反映的问题需要社区统一议定。" }),
      proposeMatter(s.secretary, s.community.code, { title: "楼道照明议题二", needs: need, rationale: "居民反映的问题需要社区统一议定。" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("curating a need the community deliberates", () => {
  it("a need in a live matter cannot be rejected or merged away (the page offers neither, and says why) until the matter is closed", async () => {
    const s = await setting();
    const curator = await person([{ role: "OFFICIAL", area: s.root }]);
    const [a, b] = s.needs as [(typeof s.needs)[0], (typeof s.needs)[0]];
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(a.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    const held = fail(409, withParams("needs.error.inDeliberation", { number: a.number, matter: number }));
    const reason = { reason: "与另一条需求重复，请到那里投票。" };
    expect(await rejectNeed(curator, a.number, reason)).toEqual(held);
    expect(await mergeNeed(curator, a.number, { target: String(b.number) })).toEqual(held);
    expect((await needDetail(a.number, curator)).heldBy).toEqual({ number, status: "PROPOSED" });
    expect(await db().auditLog.count({ where: { objectType: "Need", objectId: a.id } })).toBe(0);
    // a passed matter still holds it: the residents resolved to make it a topic
    await recordReview(s.official, number, review("FORWARD"), []);
    await recordResolution(s.official, number, resolution(16));
    expect(await rejectNeed(curator, a.number, reason)).toEqual(held);
    // a need no matter holds is curated as before; and one whose matter was dropped or failed again
    expect((await needDetail(b.number, curator)).heldBy).toBeNull();
    const other = (await proposeMatter(s.official, s.community.code, { title: "另一议题", needs: String(b.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, other.number, review("DROP"), []);
    expect((await needDetail(b.number, curator)).heldBy).toBeNull();
    expect(await rejectNeed(curator, b.number, reason)).toEqual({ ok: true });
  });

  it("the publish form names, before it is sent, the rounds that would refuse a need without a passed resolution", async () => {
    const s = await setting();
    const requiring = await makeTopicRound(s.root.id);
    const open = await makeTopicRound(s.root.id, { requiresDeliberation: false });
    const curator = await person([{ role: "OFFICIAL", area: s.root }]);
    const need = s.needs[0]!;
    const flags = async () => Object.fromEntries((await needDetail(need.number, curator)).eligibleRounds.map((r) => [r.code, r.undeliberated]));
    expect(await flags()).toMatchObject({ [requiring.code]: true, [open.code]: false });
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(need.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, number, review("FORWARD"), []);
    expect(await flags()).toMatchObject({ [requiring.code]: true });
    await recordResolution(s.official, number, resolution(16));
    expect(await flags()).toMatchObject({ [requiring.code]: false, [open.code]: false });
  });
});

describe("who takes each step", () => {
  it("officials and roles of another community, residents, supervisors and committee members are refused where the rules say", async () => {
    const s = await setting();
    const resident = await person();
    const otherOfficial = await person([{ role: "OFFICIAL", area: s.other }]);
    const input = { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" };
    await rejectsWithStatus(proposeMatter(resident, s.community.code, input), 403);
    await rejectsWithStatus(proposeMatter(otherOfficial, s.community.code, input), 403);
    await rejectsWithStatus(proposeMatter(s.supervisor, s.community.code, input), 403);
    await rejectsWithStatus(proposeMatter(s.member, s.community.code, input), 403);
    const { number } = (await proposeMatter(s.secretary, s.community.code, input)) as { number: number };
    await rejectsWithStatus(recordReview(s.supervisor, number, review("FORWARD"), []), 403);
    await rejectsWithStatus(recordReview(otherOfficial, number, review("FORWARD"), []), 403);
    await rejectsWithStatus(addRemark(s.official, number, { step: "PROPOSAL", body: "官员不能以监委会名义发表意见。" }), 403);
    // a role holds in its own community only
    const roleElsewhere = await person();
    await grantCommunityRole(otherOfficial, s.other.code, { email: roleElsewhere.email, role: "SECRETARY" });
    await rejectsWithStatus(proposeMatter(roleElsewhere, s.community.code, input), 403);
    // and only until it is revoked
    const grant = await db().communityRoleGrant.findFirstOrThrow({ where: { userId: s.member.id } });
    expect(await revokeCommunityRole(s.official, s.community.code, grant.id)).toEqual({ ok: true });
    await rejectsWithStatus(recordReview(s.member, number, review("FORWARD"), []), 403);
  });

  it("only an official of the community grants its roles", async () => {
    const s = await setting();
    const resident = await person();
    await rejectsWithStatus(grantCommunityRole(s.secretary, s.community.code, { email: resident.email, role: "SUPERVISOR" }), 403);
    expect(await grantCommunityRole(s.official, s.community.code, { email: s.secretary.email, role: "SECRETARY" })).toEqual(invalid({ email: ["deliberation.error.alreadyHolds"] }));
    expect(await grantCommunityRole(s.official, s.community.code, { email: `nobody-${uid()}@example.cn`, role: "SECRETARY" })).toEqual(invalid({ email: ["deliberation.error.noAccount"] }));
  });
});

describe("supervision remarks and the public record", () => {
  it("a supervisor's remark is audited, shown publicly by step, and moves the public-data version", async () => {
    const s = await setting();
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, number, review("FORWARD"), []);
    const reviewId = (await db().matterReview.findFirstOrThrow({ where: { matter: { number } } })).id;
    const before = await publicDataVersion();
    expect(await addRemark(s.supervisor, number, { step: "REVIEW", reviewId, body: "会议到会人数符合规定，记录完整。" })).toEqual({ ok: true });
    expect(await publicDataVersion()).toBeGreaterThan(before);
    expect(await addRemark(s.supervisor, number, { step: "RESOLUTION", body: "尚未决议。" })).toEqual(invalid({ step: ["deliberation.error.step"] }));

    const matter = await db().matter.findUniqueOrThrow({ where: { number } });
    const log = await db().auditLog.findMany({ where: { objectType: "Matter", objectId: matter.id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(["matter.propose", "matter.review", "matter.remark"]);
    expect(log[2]).toMatchObject({ actorId: s.supervisor.id, after: expect.objectContaining({ step: "REVIEW", reviewId, body: "会议到会人数符合规定，记录完整。" }) });

    const { matter: shown } = await matterDetail(number, null);
    expect(shown.reviews[0]!.remarks.map((r) => r.body)).toEqual(["会议到会人数符合规定，记录完整。"]);
    const list = await communityDeliberation(s.community.code, null);
    expect(list.matters.map((m) => m.number)).toEqual([number]);
    expect(list.allowed).toEqual({ propose: false, record: false, remark: false, grant: false });
  });

  it("a resolution is counted by the community's configured rules, kept with it", async () => {
    const s = await setting();
    await db().area.update({ where: { id: s.community.id }, data: { deliberationRules: { quorum: { num: 2, den: 3, strict: false }, majority: { num: 2, den: 3, strict: false }, majorityOf: "PRESENT" } } });
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, number, review("FORWARD"), []);
    // 30 of 40 present (a quorum of two thirds), 19 of 30 for: more than half, less than two thirds
    expect(await recordResolution(s.official, number, resolution(19))).toEqual({ ok: true, passed: false });
    const stored = await db().matterResolution.findFirstOrThrow({ where: { matter: { number } } });
    expect(stored).toMatchObject({ quorate: true, passed: false, rules: expect.objectContaining({ majority: { num: 2, den: 3, strict: false } }) });
  });

  it("an official of the community sets its voting rules: validated, audited, public on the community's list, and counted by", async () => {
    const s = await setting();
    const form = { ...rulesFormValues(DEFAULT_RULES), quorumNum: "2", quorumDen: "3", quorumComparison: "AT_LEAST" };
    await rejectsWithStatus(setCommunityRules(s.secretary, s.community.code, form), 403);
    await rejectsWithStatus(setCommunityRules(await person([{ role: "OFFICIAL", area: s.other }]), s.community.code, form), 403);
    expect(await setCommunityRules(s.official, s.community.code, { ...form, majorityComparison: "AT_LEAST" })).toEqual(invalid({ majorityNum: ["deliberation.error.belowHalf"] }));
    expect((await communityDeliberation(s.community.code, null)).rules).toEqual(DEFAULT_RULES);

    const before = await publicDataVersion();
    expect(await setCommunityRules(s.official, s.community.code, form)).toEqual({ ok: true });
    expect(await publicDataVersion()).toBeGreaterThan(before);
    const twoThirds = { quorum: { num: 2, den: 3, strict: false }, majority: DEFAULT_RULES.majority, majorityOf: "PRESENT" };
    expect((await communityDeliberation(s.community.code, null)).rules).toEqual(twoThirds);
    const log = await db().auditLog.findFirstOrThrow({ where: { objectType: "Area", objectId: s.community.id, action: "area.deliberationRules" } });
    expect(log).toMatchObject({ actorId: s.official.id, before: { rules: DEFAULT_RULES }, after: { rules: twoThirds } });

    // 26 of 40 present: more than half, less than two thirds, so not quorate
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, number, review("FORWARD"), []);
    expect(await recordResolution(s.official, number, resolution(20, 26))).toEqual({ ok: true, passed: false });
  });

  it("impossible counts and a meeting in the future are refused next to their fields", async () => {
    const s = await setting();
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    expect(await recordReview(s.official, number, { ...review("FORWARD"), meetingOn: dayFromToday(1) }, [])).toEqual(invalid({ meetingOn: ["deliberation.error.future"] }));
    await recordReview(s.official, number, review("FORWARD"), []);
    expect(await recordResolution(s.official, number, resolution(20, 41, 40))).toEqual(invalid({ present: ["deliberation.error.presentOverEntitled"] }));
  });
});

describe("the matter's page", () => {
  const post = async (userId: string, number: number, fields: Record<string, string>, files: File[] = []) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    for (const f of files) body.append("attachments", f);
    return answer(async () => matterAction({ request: await signedInRequest(userId, `/deliberation/${number}`, { method: "POST", body }), params: { number: String(number) }, context: {} } as never));
  };

  it("records a review posted as the browser posts it (names on lines, two files); impossible counts come back next to their field with what was typed", async () => {
    const s = await setting();
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    const refused = await post(s.member.id, number, { intent: "review", ...review("FORWARD"), attendeesPresent: "26" });
    expect(refused).toMatchObject({ status: 400, data: { result: { initialValue: { place: "社区党群服务中心会议室" }, error: { attendeesPresent: ["deliberation.error.presentOverEntitled"] } } } });

    const photo = (name: string) => new File([PNG], name, { type: "image/png" });
    expect(await post(s.member.id, number, { intent: "review", ...review("FORWARD") }, [photo("合影.png"), photo("签到表.png")])).toMatchObject({ status: 200, data: { notice: "deliberation.done.saved" } });
    const { matter } = await matterDetail(number, null);
    expect(matter.reviews[0]).toMatchObject({ officeHolders: ["张书记", "李主任", "王委员"] });
    expect(matter.reviews[0]!.attachments.map((a) => a.upload.originalName).sort()).toEqual(["合影.png", "签到表.png"]);
  });

  /** The HTML of one form of the rendered page, by its id. */
  const formHtml = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf("</form>", html.indexOf(`id="${id}"`)));

  it("a remark refused by the server comes back in the form of its own review meeting, open, with the reason and what was typed", async () => {
    const s = await setting();
    const { number } = (await proposeMatter(s.official, s.community.code, { title: "楼道照明议题", needs: String(s.needs[0]!.number), rationale: "居民反映的问题需要社区统一议定。" })) as { number: number };
    await recordReview(s.official, number, review("REVISE"), []);
    await recordReview(s.official, number, review("FORWARD"), []);
    const [first, second] = await db().matterReview.findMany({ where: { matter: { number } }, orderBy: { createdAt: "asc" } });
    // one the browser would not send (a two-character remark), as a browser without JavaScript sends it
    const refused = await post(s.supervisor.id, number, { intent: "remark", step: "REVIEW", reviewId: second!.id, body: "同意" });
    expect(refused).toMatchObject({ status: 400, data: { reviewId: second!.id } });
    const html = renderRoute(MatterPage as never, await matterPageData(number, s.supervisor), refused.data);
    const mine = formHtml(html, `matter-remark-${second!.id}`);
    expect(mine).toContain("意见至少 4 个字。");
    expect(mine).toContain(">同意</textarea>");
    const detailsOf = (id: string) => html.slice(html.lastIndexOf("<details", html.indexOf(`id="${id}"`)), html.indexOf("<summary", html.lastIndexOf("<details", html.indexOf(`id="${id}"`))));
    expect(detailsOf(`matter-remark-${second!.id}`)).toContain('open=""');
    expect(detailsOf(`matter-remark-${first!.id}`)).not.toContain("open");
    for (const other of [`matter-remark-${first!.id}`, "matter-remark"]) expect(formHtml(html, other)).not.toContain("意见至少 4 个字。");

    // a resolution refused because the matter moved meanwhile keeps its form in view, with the reason and the counts typed
    await recordResolution(s.official, number, resolution(16));
    const late = await post(s.member.id, number, { intent: "resolve", ...resolution(12), place: "社区议事厅二楼" });
    expect(late).toMatchObject({ status: 409 });
    const page = renderRoute(MatterPage as never, await matterPageData(number, s.member), late.data);
    expect(formHtml(page, "matter-resolve")).toContain("该议题尚未经审议提交决议，或已作出决议。");
    expect(formHtml(page, "matter-resolve")).toContain('value="社区议事厅二楼"');
  });
});
