import { describe, expect, it } from "vitest";
import { httpStatusOf } from "~/lib/permissions.server";
import { hit } from "~/lib/rate-limit.server";
import { hideComment, postComment, setFollow, tellNeedsFunded } from "~/services/needs/conversation.server";
import { mergeNeed, needDetail, postNeed, publishNeed, rejectNeed, reopenNeed } from "~/services/needs/needs.server";
import { eraseAccount, pseudonymOf } from "~/services/privacy/erasure.server";
import { maskName } from "~/domain/pii";
import { action as needAction } from "~/routes/needs.$number";
import { person } from "../support/actors";
import { answer, form, signedInRequest } from "../support/requests";
import { db, makeAreaTree, uid } from "../support/db";
import { makeTopicRound } from "../support/need-fixture";

async function statusOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return httpStatusOf(error);
}

const inbox = (userId: string) => db().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
const mail = (userId: string) => db().emailMessage.findMany({ where: { userId, template: "need-update" }, orderBy: { createdAt: "asc" } });

async function setUp() {
  const { root, communities } = await makeAreaTree(2);
  const author = await person();
  const posted = await postNeed(author, { communityId: communities[0]!.id, title: `路灯坏了${uid()}`, description: "小区三号楼前的路灯已经坏了一个月。", category: "PUBLIC_SERVICE" }, null);
  if (!posted.ok) throw new Error("need not posted");
  const need = await db().need.findUniqueOrThrow({ where: { number: posted.number } });
  return { root, communities, author, number: posted.number, need };
}

describe("a need's conversation", () => {
  it("a resident comments; the comment is public under a masked name, audited", async () => {
    const { number, need } = await setUp();
    const resident = await person([], { name: "王小明" });
    const r = await postComment(resident, number, { body: "我家楼下也是这样，晚上很危险。" }, false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const anonymous = await needDetail(number, null);
    expect(anonymous.conversation.comments).toEqual([
      expect.objectContaining({ id: r.id, author: "王**", isYou: false, official: false, body: "我家楼下也是这样，晚上很危险。", hidden: null }),
    ]);
    expect(anonymous.conversation.total).toBe(1);
    expect((await needDetail(number, resident)).conversation.comments[0]!.isYou).toBe(true);
    const audits = await db().auditLog.findMany({ where: { objectId: r.id } });
    expect(audits.map((a) => a.action)).toEqual(["need.comment"]);
    expect(need.id).toBeTruthy();
  });

  it("refuses a comment too short or too long, and more than the hourly limit", async () => {
    const { number } = await setUp();
    const resident = await person();
    expect(await postComment(resident, number, { body: "x" }, false)).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { body: ["needs.error.commentShort"] } } });
    expect(await postComment(resident, number, { body: "长".repeat(1001) }, false)).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { body: ["needs.error.commentLong"] } } });
    for (let i = 0; i < 20; i++) await hit(`need:comment:${resident.id}`, 20, 3600);
    expect(await postComment(resident, number, { body: "再说一次" }, false)).toMatchObject({ ok: false, problem: { status: 409 } });
  });

  it("an official of the area replies as an official; followers hear it once, the replier not at all", async () => {
    const { communities, author, number } = await setUp();
    const follower = await person();
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    expect((await setFollow(follower, number, true)).ok).toBe(true);
    // following twice is still one follow
    expect((await setFollow(follower, number, true)).ok).toBe(true);
    await setFollow(official, number, true);
    const r = await postComment(official, number, { body: "已安排物业下周维修。" }, true);
    expect(r.ok).toBe(true);
    const page = await needDetail(number, null);
    expect(page.conversation.comments.at(-1)).toMatchObject({ official: true, body: "已安排物业下周维修。" });
    for (const who of [author, follower]) {
      expect((await inbox(who.id)).filter((n) => n.kind === "needFollowReply")).toHaveLength(1);
      expect(await mail(who.id)).toHaveLength(1);
    }
    expect((await inbox(official.id)).filter((n) => n.kind === "needFollowReply")).toHaveLength(0);
    expect(await mail(official.id)).toHaveLength(0);
    // an unfollower hears no more
    await setFollow(follower, number, false);
    await postComment(official, number, { body: "维修已完成，谢谢大家。" }, true);
    expect((await inbox(follower.id)).filter((n) => n.kind === "needFollowReply")).toHaveLength(1);
    expect((await inbox(author.id)).filter((n) => n.kind === "needFollowReply")).toHaveLength(2);
  });

  it("a resident, or an official of another area, cannot reply as an official nor hide; a plain comment from them is no official reply", async () => {
    const { communities, number } = await setUp();
    const resident = await person();
    const elsewhere = await person([{ role: "OFFICIAL", area: communities[1]! }]);
    const c = await postComment(resident, number, { body: "普通留言内容" }, false);
    if (!c.ok) throw new Error("comment refused");
    expect(await statusOf(postComment(resident, number, { body: "冒充官方回复" }, true))).toBe(403);
    expect(await statusOf(postComment(elsewhere, number, { body: "别的社区的官员" }, true))).toBe(403);
    expect(await statusOf(hideComment(resident, number, { comment: c.id, reason: "我不喜欢这条" }))).toBe(403);
    expect(await statusOf(hideComment(elsewhere, number, { comment: c.id, reason: "不是我的辖区" }))).toBe(403);
    const asResident = await postComment(elsewhere, number, { body: "以居民身份留言" }, false);
    expect(asResident.ok).toBe(true);
    const page = await needDetail(number, null);
    expect(page.conversation.comments.every((x) => !x.official)).toBe(true);
    expect(page.conversation.comments.every((x) => !x.hidden)).toBe(true);
    expect((await needDetail(number, elsewhere)).conversation.canModerate).toBe(false);
  });

  it("an official of the area hides a comment with a reason: shown as hidden, the text gone from the page, audited", async () => {
    const { root, number } = await setUp();
    const resident = await person();
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const c = await postComment(resident, number, { body: "一条不合适的留言" }, false);
    if (!c.ok) throw new Error("comment refused");
    expect(await hideComment(official, number, { comment: c.id, reason: "含有人身攻击" })).toEqual({ ok: true });
    const page = await needDetail(number, null);
    expect(page.conversation.comments[0]).toMatchObject({ id: c.id, body: null, hidden: { reason: "含有人身攻击" } });
    expect(JSON.stringify(page)).not.toContain("一条不合适的留言");
    expect(await hideComment(official, number, { comment: c.id, reason: "含有人身攻击" })).toMatchObject({ ok: false, problem: { status: 409 } });
    const audits = await db().auditLog.findMany({ where: { objectId: c.id }, orderBy: { seq: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["need.comment", "need.comment.hide"]);
    // a comment of another need is not this need's to hide
    const other = await setUp();
    expect(await hideComment(await person([{ role: "OFFICIAL", area: other.root }]), other.number, { comment: c.id, reason: "不是这条需求的" })).toMatchObject({ ok: false, problem: { status: 400 } });
  });

  it("the author follows automatically; publication as a round topic tells each follower once", async () => {
    const { root, author, number } = await setUp();
    const follower = await person();
    const official = await person([{ role: "OFFICIAL", area: root }]);
    expect((await needDetail(number, author)).conversation.following).toBe(true);
    await setFollow(follower, number, true);
    const round = await makeTopicRound(root.id, { requiresDeliberation: false });
    expect((await publishNeed(official, number, { round: round.code })).ok).toBe(true);
    // the author keeps their own notice (not a second one) and gets the e-mail
    expect((await inbox(author.id)).map((n) => n.kind)).toEqual(["needPublished"]);
    expect(await mail(author.id)).toHaveLength(1);
    expect((await inbox(follower.id)).map((n) => n.kind)).toEqual(["needFollowPublished"]);
    expect(await mail(follower.id)).toHaveLength(1);
    expect((await mail(follower.id))[0]!.subject).toContain("创投选题");
  });

  it("a ruling (not taken up, reopened, merged) tells each follower once, as a need they follow; a merge carries them to the need it joined", async () => {
    const { root, communities, author, number, need } = await setUp();
    const follower = await person();
    const official = await person([{ role: "OFFICIAL", area: root }]);
    await setFollow(follower, number, true);
    // the official who rules follows it too: they hear nothing of their own ruling
    await setFollow(official, number, true);

    expect(await rejectNeed(official, number, { reason: "不属于社区公益范围" })).toEqual({ ok: true });
    expect((await inbox(follower.id)).map((n) => n.kind)).toEqual(["needFollowRejected"]);
    const rejected = await mail(follower.id);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.subject).toContain("您关注的需求未被采纳");
    expect(rejected[0]!.text).toContain("不属于社区公益范围");
    // the author hears it as theirs, once
    expect((await mail(author.id)).map((m) => m.subject)).toEqual([expect.stringContaining("您的需求未被采纳")]);
    expect(await mail(official.id)).toEqual([]);

    expect(await reopenNeed(official, number, { reason: "居民补充了情况，重新征集" })).toEqual({ ok: true });
    expect((await inbox(follower.id)).map((n) => n.kind)).toEqual(["needFollowRejected", "needFollowReopened"]);

    const other = await postNeed(await person(), { communityId: communities[0]!.id, title: `路灯不亮${uid()}`, description: "三号楼前的路灯晚上不亮，老人出门不方便。", category: "PUBLIC_SERVICE" }, null);
    if (!other.ok) throw new Error("need not posted");
    expect(await mergeNeed(official, number, { target: other.number })).toEqual({ ok: true });
    const merged = (await mail(follower.id)).at(-1)!;
    expect(merged.subject).toContain("您关注的需求已合并");
    expect(merged.text).toContain(`/needs/${other.number}`);
    // the follower (and the author) now follow the need it joined
    expect((await needDetail(other.number, follower)).conversation.following).toBe(true);
    expect((await needDetail(other.number, author)).conversation.following).toBe(true);
    expect(await mail(follower.id)).toHaveLength(3);
    expect(need.status).toBe("OPEN");
  });

  it("a funded project tells the followers of the needs it answers", async () => {
    const { root, number, need, author } = await setUp();
    const round = await makeTopicRound(root.id, { requiresDeliberation: false });
    const org = await db().organization.create({ data: { kind: "SOCIAL_ORGANIZATION", name: `测试组织${uid()}`, areaId: root.id } });
    const proposal = await db().proposal.create({ data: { roundId: round.id, organizationId: org.id, createdById: author.id, title: "路灯项目" } });
    await db().proposalNeed.create({ data: { proposalId: proposal.id, needId: need.id } });
    await db().$transaction((tx) => tellNeedsFunded(tx, proposal.id, { referenceNo: `${round.code}-0001`, title: "路灯项目" }));
    expect((await inbox(author.id)).map((n) => n.kind)).toContain("needFollowFunded");
    expect(number).toBeGreaterThan(0);
  });

  it("erasing an account removes its follows and keeps its comments under the pseudonym", async () => {
    const { number } = await setUp();
    const resident = await person([], { name: "赵六六" });
    await setFollow(resident, number, true);
    await postComment(resident, number, { body: "我也支持修路灯" }, false);
    const r = await db().$transaction((tx) => eraseAccount(tx, resident.id, { via: "self", actorId: resident.id }));
    expect(r.ok).toBe(true);
    expect(await db().needFollow.count({ where: { userId: resident.id } })).toBe(0);
    const page = await needDetail(number, null);
    const mine = page.conversation.comments.find((c) => c.body === "我也支持修路灯")!;
    expect(mine.author).toBe(maskName(pseudonymOf(resident.id).name));
  });

  it("through the page: each intent answers as the form expects; a resident asking to reply or hide gets 403", async () => {
    const { number } = await setUp();
    const resident = await person();
    const post = (userId: string, fields: Record<string, string>) =>
      answer(async () => needAction({ request: await signedInRequest(userId, `/needs/${number}`, form(fields)), params: { number: String(number) }, context: {} } as never));
    expect(await post(resident.id, { intent: "comment", body: "从页面发的留言" })).toMatchObject({ status: 200, data: { intent: "comment", notice: "needs.comment.posted" } });
    expect(await post(resident.id, { intent: "comment", body: "x" })).toMatchObject({ status: 400 });
    expect(await post(resident.id, { intent: "follow" })).toMatchObject({ status: 200, data: { notice: "needs.followed" } });
    expect((await needDetail(number, resident)).conversation.following).toBe(true);
    expect(await post(resident.id, { intent: "unfollow" })).toMatchObject({ status: 200, data: { notice: "needs.unfollowed" } });
    expect((await post(resident.id, { intent: "reply", body: "冒充官方" })).status).toBe(403);
    const mine = (await needDetail(number, null)).conversation.comments[0]!;
    expect((await post(resident.id, { intent: "hide", comment: mine.id, reason: "随便隐藏一下" })).status).toBe(403);
    expect(await db().needComment.count({ where: { needId: (await db().need.findUniqueOrThrow({ where: { number } })).id } })).toBe(1);
  });
});
