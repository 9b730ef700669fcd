import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withParams } from "~/domain/messages";
import { parseNeedListQuery } from "~/domain/needs";
import { env } from "~/lib/env.server";
import { fail, invalid } from "~/lib/result";
import { httpStatusOf } from "~/lib/permissions.server";
import { hit } from "~/lib/rate-limit.server";
import {
  adminNeeds,
  listNeeds,
  mergeCandidates,
  mergeNeed,
  needDetail,
  postNeed,
  publishNeed,
  rejectNeed,
  reopenNeed,
  setVote,
} from "~/services/needs/needs.server";
import { action as needAction, loader as needLoader } from "~/routes/needs.$number";
import { loader as needsLoader } from "~/routes/needs";
import { action as newNeedAction } from "~/routes/needs.new";
import { person } from "../support/actors";
import { db, makeAreaTree, makeUser, uid } from "../support/db";
import { makeNeed, makeTopicRound } from "../support/need-fixture";
import { answer, form, signedInRequest } from "../support/requests";

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

async function statusOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return httpStatusOf(error);
}

const file = (bytes: Uint8Array, name: string, type = "image/png") => new File([bytes as Uint8Array<ArrayBuffer>], name, { type });

const postInput = (communityId: string, title = `路灯坏了${uid()}`) => ({
  communityId,
  title,
  description: "小区三号楼前的路灯已经坏了一个月，晚上出行很不方便。",
  category: "PUBLIC_SERVICE",
});

const inbox = (userId: string) => db().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
const auditOf = (objectId: string) => db().auditLog.findMany({ where: { objectId }, orderBy: { seq: "asc" } });

describe("posting a need", () => {
  it("posts with a photo; the need is public, audited, and the photo is an image upload", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const r = await postNeed(me, postInput(communities[0]!.id), file(PNG, "lamp.png"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const need = await db().need.findUniqueOrThrow({ where: { number: r.number }, include: { photo: true } });
    expect(need).toMatchObject({ status: "OPEN", authorId: me.id, voteCount: 0, category: "PUBLIC_SERVICE" });
    expect(need.photo).toMatchObject({ mimeType: "image/png", uploadedById: me.id });
    expect((await auditOf(need.id)).map((a) => a.action)).toEqual(["need.post"]);
  });

  it("refuses a need for a subdistrict (communities and villages only)", async () => {
    const { root } = await makeAreaTree(1);
    const r = await postNeed(await person(), postInput(root.id), null);
    expect(r).toEqual({ ok: false, problem: { status: 400, formErrors: [], fieldErrors: { communityId: ["needs.error.community"] } } });
  });

  it("a refused photo keeps nothing half-written: no need, no upload row, no stored file", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const uploadsDir = path.join(env().DATA_DIR, "uploads");
    const filesBefore = fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir, { recursive: true }).length : 0;
    const title = `假照片${uid()}`;
    const notImage = await postNeed(me, postInput(communities[0]!.id, title), file(new TextEncoder().encode("<svg onload=alert(1)>"), "x.png"));
    expect(notImage).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { photo: [expect.stringMatching(/^upload\.error\.wrongType\|/)] } } });
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PNG);
    const tooBig = await postNeed(me, postInput(communities[0]!.id, title), file(big, "big.png"));
    // the message carries its values, so the form can say which limit
    expect(tooBig).toMatchObject({ ok: false, problem: { status: 400, fieldErrors: { photo: [withParams("upload.error.tooLarge", { limit: "5 MB" })] } } });
    expect(await db().need.count({ where: { title } })).toBe(0);
    expect(await db().upload.count({ where: { uploadedById: me.id } })).toBe(0);
    const filesAfter = fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir, { recursive: true }).length : 0;
    expect(filesAfter).toBe(filesBefore);
    // refused photos do not use up the hourly limit
    expect((await db().rateLimitBucket.findUnique({ where: { key: `need:post:${me.id}` } }))?.count ?? 0).toBe(0);
  });

  it("limits posting to 10 needs an hour per account", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    for (let i = 0; i < 9; i++) await hit(`need:post:${me.id}`, 10, 3600);
    expect((await postNeed(me, postInput(communities[0]!.id), null)).ok).toBe(true);
    const eleventh = await postNeed(me, postInput(communities[0]!.id), null);
    expect(eleventh).toMatchObject({ ok: false, problem: { status: 409, formErrors: ["needs.error.rateLimited"], fieldErrors: {} } });
    expect(eleventh.ok ? 0 : eleventh.problem.detail?.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe("votes", () => {
  it("a vote race gives one vote: 20 concurrent votes by one account count once", async () => {
    const { communities } = await makeAreaTree(1);
    const need = await makeNeed(communities[0]!.id);
    const me = await person();
    const results = await Promise.all(Array.from({ length: 20 }, () => setVote(me, need.number, true)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db().needVote.count({ where: { needId: need.id } })).toBe(1);
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).voteCount).toBe(1);
  });

  it("20 accounts voting at once give exactly 20", async () => {
    const { communities } = await makeAreaTree(1);
    const need = await makeNeed(communities[0]!.id);
    const voters = await Promise.all(Array.from({ length: 20 }, () => person()));
    await Promise.all(voters.map((v) => setVote(v, need.number, true)));
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).voteCount).toBe(20);
    // and 10 of them withdrawing at once leave exactly 10
    await Promise.all(voters.slice(0, 10).map((v) => setVote(v, need.number, false)));
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).voteCount).toBe(10);
    expect(await db().needVote.count({ where: { needId: need.id } })).toBe(10);
  });

  it("unvote removes the viewer's vote; the viewer sees whether they voted", async () => {
    const { communities } = await makeAreaTree(1);
    const need = await makeNeed(communities[0]!.id);
    const me = await person();
    const other = await person();
    expect(await setVote(me, need.number, true)).toEqual({ ok: true, voted: true, voteCount: 1 });
    expect(await setVote(other, need.number, true)).toEqual({ ok: true, voted: true, voteCount: 2 });
    expect((await needDetail(need.number, me)).viewer.voted).toBe(true);
    expect(await setVote(me, need.number, false)).toEqual({ ok: true, voted: false, voteCount: 1 });
    expect(await setVote(me, need.number, false)).toEqual({ ok: true, voted: false, voteCount: 1 });
    expect((await needDetail(need.number, me)).viewer.voted).toBe(false);
    expect((await needDetail(need.number, other)).viewer.voted).toBe(true);
  });

  it("refuses votes on merged and rejected needs; 404 for an unknown need", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    for (const status of ["MERGED", "REJECTED"] as const) {
      const need = await makeNeed(communities[0]!.id, { status });
      expect(await setVote(me, need.number, true)).toEqual(fail(409, "needs.error.voteClosed"));
      expect(await db().needVote.count({ where: { needId: need.id } })).toBe(0);
    }
    expect(await statusOf(setVote(me, 999_999_999, true))).toBe(404);
  });
});

describe("curation", () => {
  it("reject with a reason: shown publicly, audited, the author told", async () => {
    const { communities } = await makeAreaTree(1);
    const author = await person();
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const need = await makeNeed(communities[0]!.id, { authorId: author.id });
    expect(await rejectNeed(official, need.number, { reason: "短" })).toEqual(invalid({ reason: ["needs.error.reasonShort"] }));
    expect(await rejectNeed(official, need.number, { reason: "该路段属市政管理，已转交城管部门。" })).toEqual({ ok: true });
    const visitorView = await needDetail(need.number, null);
    expect(visitorView).toMatchObject({ status: "REJECTED", rejectionReason: "该路段属市政管理，已转交城管部门。" });
    const log = await auditOf(need.id);
    expect(log.map((l) => [l.action, l.actorId])).toEqual([["need.reject", official.id]]);
    expect(log[0]!.before).toMatchObject({ status: "OPEN" });
    expect(log[0]!.after).toMatchObject({ status: "REJECTED" });
    expect((await inbox(author.id)).map((n) => [n.kind, n.link])).toEqual([["needRejected", `/needs/${need.number}`]]);
    // a second rejection is refused, and reopening needs a reason too
    expect(await rejectNeed(official, need.number, { reason: "再次拒绝一下" })).toEqual({ ok: false, problem: { status: 409, formErrors: ["needs.error.notOpen"], fieldErrors: {} } });
    expect(await reopenNeed(official, need.number, { reason: "" })).toMatchObject({ ok: false });
    expect(await reopenNeed(official, need.number, { reason: "城管部门退回，由社区处理。" })).toEqual({ ok: true });
    expect(await needDetail(need.number, null)).toMatchObject({ status: "OPEN", rejectionReason: null });
    expect((await auditOf(need.id)).map((l) => l.action)).toEqual(["need.reject", "need.reopen"]);
  });

  it("an official of another community is forbidden, and so is a resident", async () => {
    const { communities } = await makeAreaTree(2);
    const need = await makeNeed(communities[0]!.id);
    const otherOfficial = await person([{ role: "OFFICIAL", area: communities[1]! }]);
    const resident = await person();
    for (const actor of [otherOfficial, resident]) {
      expect(await statusOf(rejectNeed(actor, need.number, { reason: "不属于本社区的需求" }))).toBe(403);
      expect(await statusOf(mergeNeed(actor, need.number, { target: 1 }))).toBe(403);
      expect(await statusOf(publishNeed(actor, need.number, { round: "X" }))).toBe(403);
      expect(await statusOf(reopenNeed(actor, need.number, { reason: "不属于本社区的需求" }))).toBe(403);
      expect((await needDetail(need.number, actor)).viewer.canCurate).toBe(false);
    }
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");
    expect(await statusOf(adminNeeds(resident, parseNeedListQuery(new URLSearchParams())))).toBe(403);
  });

  it("merge carries votes without double counting; the merged need points at its target", async () => {
    const { root, communities } = await makeAreaTree(2);
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const author = await person();
    const a = await makeNeed(communities[0]!.id, { authorId: author.id });
    const b = await makeNeed(communities[1]!.id);
    const [both, onlyA, onlyB] = await Promise.all([person(), person(), person()]);
    for (const v of [both, onlyA]) await setVote(v, a.number, true);
    for (const v of [both, onlyB]) await setVote(v, b.number, true);
    expect(await mergeNeed(official, a.number, { target: String(b.number) })).toEqual({ ok: true });
    const [afterA, afterB] = await Promise.all([db().need.findUniqueOrThrow({ where: { id: a.id } }), db().need.findUniqueOrThrow({ where: { id: b.id } })]);
    expect(afterB.voteCount).toBe(3);
    expect(await db().needVote.count({ where: { needId: b.id } })).toBe(3);
    expect(afterA).toMatchObject({ status: "MERGED", mergedIntoId: b.id });
    expect(await needDetail(a.number, null)).toMatchObject({ mergedInto: { number: b.number } });
    expect((await needDetail(b.number, null)).mergedFrom.map((m) => m.number)).toEqual([a.number]);
    expect((await inbox(author.id)).map((n) => n.kind)).toEqual(["needMerged"]);
    expect((await auditOf(a.id)).map((l) => l.action)).toEqual(["need.merge"]);
    // the merged need leaves the default public list and takes no more votes
    const listed = await listNeeds(parseNeedListQuery(new URLSearchParams(`community=${root.code}`)));
    expect(listed.items.map((n) => n.number)).toEqual([b.number]);
    expect(await setVote(onlyB, a.number, true)).toEqual(fail(409, "needs.error.voteClosed"));
  });

  it("merge refuses itself, chains, rejected targets, other subdistricts and unknown numbers", async () => {
    const { root, communities } = await makeAreaTree(1);
    const other = await makeAreaTree(1);
    const admin = await person([{ role: "ADMIN", area: root }]);
    const a = await makeNeed(communities[0]!.id);
    const merged = await makeNeed(communities[0]!.id, { status: "MERGED" });
    const rejected = await makeNeed(communities[0]!.id, { status: "REJECTED" });
    const far = await makeNeed(other.communities[0]!.id);
    const refusal = (target: number) => mergeNeed(admin, a.number, { target });
    expect(await refusal(a.number)).toEqual(invalid({ target: ["needs.error.mergeSelf"] }));
    expect(await refusal(merged.number)).toEqual(invalid({ target: ["needs.error.mergeChain"] }));
    expect(await refusal(rejected.number)).toEqual(invalid({ target: ["needs.error.mergeRejected"] }));
    expect(await refusal(far.number)).toEqual(invalid({ target: ["needs.error.mergeSubdistrict"] }));
    expect(await refusal(999_999_999)).toEqual(invalid({ target: ["needs.error.targetMissing"] }));
    expect(await mergeNeed(admin, a.number, { target: "abc" })).toEqual(invalid({ target: ["needs.error.targetNumber"] }));
    expect((await db().need.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("OPEN");
  });

  it("two opposite merges at once: one wins, the other is refused, no deadlock", async () => {
    const { root, communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: root }]);
    for (let round = 0; round < 5; round++) {
      const a = await makeNeed(communities[0]!.id);
      const b = await makeNeed(communities[0]!.id);
      const results = await Promise.all([mergeNeed(official, a.number, { target: b.number }), mergeNeed(official, b.number, { target: a.number })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const statuses = (await db().need.findMany({ where: { id: { in: [a.id, b.id] } } })).map((n) => n.status).sort();
      expect(statuses).toEqual(["MERGED", "OPEN"]);
    }
  });

  it("a community official cannot merge into a need of another community", async () => {
    const { communities } = await makeAreaTree(2);
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const a = await makeNeed(communities[0]!.id);
    const b = await makeNeed(communities[1]!.id);
    expect(await mergeNeed(official, a.number, { target: b.number })).toEqual(invalid({ target: ["needs.error.targetForbidden"] }));
  });

  it("the need to merge into is found by words of it or its number: open or published needs of the subdistrict the curator may curate, the most supported first", async () => {
    const { root, communities } = await makeAreaTree(2);
    const other = await makeAreaTree(1);
    const word = `楼道灯${uid()}`;
    const source = await makeNeed(communities[0]!.id, { title: `${word}不亮` });
    const popular = await makeNeed(communities[1]!.id, { title: `${word}坏了很久`, voteCount: 9 });
    const quiet = await makeNeed(communities[0]!.id, { description: `三单元${word}一直不亮，晚上看不见。`, voteCount: 1 });
    const published = await makeNeed(communities[0]!.id, { title: `${word}维修`, status: "PUBLISHED" });
    // never offered: merged or rejected needs, another subdistrict's, needs without the words
    await makeNeed(communities[0]!.id, { title: `${word}重复`, status: "MERGED" });
    await makeNeed(communities[0]!.id, { title: `${word}不采纳`, status: "REJECTED" });
    await makeNeed(other.communities[0]!.id, { title: `${word}别处` });
    const unrelated = await makeNeed(communities[0]!.id, { title: `健身器材${uid()}` });
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const found = await mergeCandidates(official, source.number, `${word}  `);
    expect(found.map((n) => n.number)).toEqual([popular.number, quiet.number, published.number]);
    // by number, whatever its words; every term must occur
    expect((await mergeCandidates(official, source.number, `#${unrelated.number}`)).map((n) => n.number)).toEqual([unrelated.number]);
    expect(await mergeCandidates(official, source.number, `${word} 健身器材`)).toEqual([]);
    // a community official is offered only their community's needs; others are offered nothing
    const songfeng = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    expect((await mergeCandidates(songfeng, source.number, word)).map((n) => n.number).sort()).toEqual([quiet.number, published.number].sort());
    expect(await mergeCandidates(await person(), source.number, word)).toEqual([]);
    expect(await mergeCandidates(null, source.number, word)).toEqual([]);
    // the page offers what was found, to a curator only, and a LIKE wildcard typed matches itself
    const page = async (userId: string, q: string) =>
      (await needLoader({ request: await signedInRequest(userId, `/needs/${source.number}?mergeq=${encodeURIComponent(q)}`), params: { number: String(source.number) }, context: {} } as never)).merge;
    expect((await page(official.id, word)).candidates?.map((n) => n.number)).toContain(popular.number);
    expect((await page(official.id, "%")).candidates).toEqual([]);
    expect((await page((await person()).id, word)).candidates).toEqual([]);
  });

  it("back from a need opened from the officials' list returns to that list with its filters; anything else goes to the public list", async () => {
    const { communities } = await makeAreaTree(1);
    const need = await makeNeed(communities[0]!.id);
    const me = await person();
    const back = async (param: string) =>
      (await needLoader({ request: await signedInRequest(me.id, `/needs/${need.number}${param}`), params: { number: String(need.number) }, context: {} } as never)).back;
    expect(await back(`?back=${encodeURIComponent("/admin/needs?status=OPEN&page=2")}`)).toEqual({ to: "/admin/needs?status=OPEN&page=2", admin: true });
    for (const hostile of ["https://evil.example/admin/needs", "//evil.example/admin/needs", "/admin/needs#x", "/admin/users", "javascript:alert(1)"]) {
      expect(await back(`?back=${encodeURIComponent(hostile)}`)).toEqual({ to: "/needs", admin: false });
    }
    expect(await back("")).toEqual({ to: "/needs", admin: false });
  });

  it("publish as a round's call topic; refused for DRAFT or SCREENING rounds and rounds of another subdistrict", async () => {
    const { root, communities } = await makeAreaTree(1);
    const other = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const author = await person();
    const need = await makeNeed(communities[0]!.id, { authorId: author.id });
    const [draft, screening, elsewhere, open] = await Promise.all([
      makeTopicRound(root.id, { phase: "DRAFT", requiresDeliberation: false }),
      makeTopicRound(root.id, { phase: "SCREENING", requiresDeliberation: false }),
      makeTopicRound(other.root.id, { phase: "NEEDS", requiresDeliberation: false }),
      makeTopicRound(root.id, { phase: "PROPOSALS", requiresDeliberation: false }),
    ]);
    expect(await publishNeed(official, need.number, { round: draft.code })).toEqual(invalid({ round: ["needs.error.roundPhase"] }));
    expect(await publishNeed(official, need.number, { round: screening.code })).toEqual(invalid({ round: ["needs.error.roundPhase"] }));
    expect(await publishNeed(official, need.number, { round: elsewhere.code })).toEqual(invalid({ round: ["needs.error.roundArea"] }));
    expect(await publishNeed(official, need.number, { round: "NOPE" })).toEqual(invalid({ round: ["needs.error.round"] }));
    // the page offers only the round it can be published to
    expect((await needDetail(need.number, official)).eligibleRounds.map((r) => r.code)).toEqual([open.code]);

    expect(await publishNeed(official, need.number, { round: open.code })).toEqual({ ok: true });
    const after = await db().need.findUniqueOrThrow({ where: { id: need.id } });
    expect(after).toMatchObject({ status: "PUBLISHED", roundId: open.id });
    expect(after.publishedAt).toBeInstanceOf(Date);
    expect(await needDetail(need.number, null)).toMatchObject({ status: "PUBLISHED", round: { code: open.code } });
    expect((await inbox(author.id)).map((n) => n.kind)).toEqual(["needPublished"]);
    expect((await auditOf(need.id)).map((l) => l.action)).toEqual(["need.publish"]);
    // the round filter lists the round's topics
    const topics = await listNeeds(parseNeedListQuery(new URLSearchParams(`round=${open.code}`)));
    expect(topics.items.map((n) => n.number)).toEqual([need.number]);
    expect(topics.round).toMatchObject({ code: open.code });
    // published needs still take votes
    expect((await setVote(author, need.number, true)).ok).toBe(true);
  });
});

describe("the public list", () => {
  it("filters by community or subdistrict, category and status; sorts; searches Chinese substrings with literal wildcards", async () => {
    const { root, communities } = await makeAreaTree(2);
    const tag = uid();
    const lamp = await makeNeed(communities[0]!.id, { title: `路灯维修${tag}`, category: "PUBLIC_SERVICE" });
    const gym = await makeNeed(communities[1]!.id, { title: `健身器材${tag}`, description: `希望增加健身器材，让老人锻炼 100% 方便`, category: "CULTURE_SPORTS" });
    const rejected = await makeNeed(communities[1]!.id, { title: `已拒绝${tag}`, status: "REJECTED" });
    const merged = await makeNeed(communities[1]!.id, { title: `已合并${tag}`, status: "MERGED" });
    const voters = await Promise.all([person(), person()]);
    for (const v of voters) await setVote(v, gym.number, true);
    const list = async (qs: string, viewerId: string | null = null) => listNeeds(parseNeedListQuery(new URLSearchParams(qs)), viewerId);
    const numbers = async (qs: string) => (await list(qs)).items.map((n) => n.number);

    expect(await numbers(`community=${root.code}`)).toEqual([gym.number, rejected.number, lamp.number]);
    expect(await numbers(`community=${root.code}&sort=newest`)).toEqual([rejected.number, gym.number, lamp.number]);
    expect(await numbers(`community=${communities[0]!.code}`)).toEqual([lamp.number]);
    expect(await numbers(`community=${root.code}&category=CULTURE_SPORTS`)).toEqual([gym.number]);
    expect(await numbers(`community=${root.code}&status=MERGED`)).toEqual([merged.number]);
    expect(await numbers(`community=${root.code}&status=REJECTED`)).toEqual([rejected.number]);
    expect(await numbers(`community=nosuchcode`)).toEqual([]);
    // search: Chinese substring in the title or description, wildcards taken literally
    expect(await numbers(`q=${encodeURIComponent(`灯维修${tag}`)}`)).toEqual([lamp.number]);
    expect(await numbers(`q=${encodeURIComponent(`老人锻炼`)}&community=${root.code}`)).toEqual([gym.number]);
    expect(await numbers(`q=${encodeURIComponent(`100%`)}&community=${root.code}`)).toEqual([gym.number]);
    expect(await numbers(`q=${encodeURIComponent(`%`)}&community=${root.code}`)).toEqual([gym.number]);
    expect(await numbers(`q=${encodeURIComponent(`_`)}&community=${root.code}`)).toEqual([]);
    expect(await numbers(`q=${encodeURIComponent(`健身 ${tag}`)}`)).toEqual([gym.number]);
    // the viewer's own votes are marked
    const mine = await list(`community=${root.code}`, voters[0]!.id);
    expect(mine.items.find((n) => n.number === gym.number)?.voted).toBe(true);
    expect(mine.items.find((n) => n.number === lamp.number)?.voted).toBe(false);
  });

  it("pages by keyset: every need exactly once in order, forward and back, ties included; a bad cursor is the first page", async () => {
    const { root, communities } = await makeAreaTree(1);
    // one statement: every row gets the same createdAt, and votes come in groups of 4, so the
    // sort values tie and only the number tells the needs apart
    await db().need.createMany({
      data: Array.from({ length: 45 }, (_, i) => ({
        areaId: communities[0]!.id,
        title: `分页测试${i}`,
        description: "分页测试用的需求描述",
        category: "PUBLIC_SERVICE",
        voteCount: Math.floor(i / 4),
      })),
    });
    const list = (qs: string) => listNeeds(parseNeedListQuery(new URLSearchParams(qs)));
    for (const sort of ["votes", "newest"] as const) {
      const base = `community=${root.code}&sort=${sort}`;
      const all = await db().need.findMany({
        where: { areaId: communities[0]!.id },
        orderBy: sort === "votes" ? [{ voteCount: "desc" }, { createdAt: "desc" }, { number: "desc" }] : [{ createdAt: "desc" }, { number: "desc" }],
        select: { number: true },
      });
      const first = await list(base);
      expect(first).toMatchObject({ total: 45, per: 20, pager: { page: 1, pages: 3, prev: null } });
      const pages = [first.items.map((n) => n.number)];
      let page = first;
      while (page.pager.next) {
        page = await list(`${base}&page=${page.pager.page + 1}&cursor=${page.pager.next}`);
        expect(page.pager.page).toBeGreaterThan(1);
        pages.push(page.items.map((n) => n.number));
      }
      expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
      expect(pages.flat()).toEqual(all.map((n) => n.number));
      // and back again, page by page, to the first page
      const back = [page.items.map((n) => n.number)];
      while (page.pager.prev) {
        page = await list(`${base}&page=${page.pager.page - 1}&cursor=${page.pager.prev}`);
        back.unshift(page.items.map((n) => n.number));
      }
      expect(page.pager.page).toBe(1);
      expect(back).toEqual(pages);
      // any page by its number alone shows the same rows as stepping there
      for (let n = 1; n <= 3; n++) expect((await list(`${base}&page=${n}`)).items.map((x) => x.number)).toEqual(pages[n - 1]);
      const last = await list(`${base}&page=3`);
      expect(last.pager).toMatchObject({ page: 3, pages: 3, next: null });
      // a number past the end is the last page
      expect((await list(`${base}&page=99`)).items.map((n) => n.number)).toEqual(pages[2]);
    }
    // a cursor is bound to its sort and filters: another sort, filter or a malformed cursor starts at the first page
    const byVotes = await list(`community=${root.code}`);
    const firstNewest = (await list(`community=${root.code}&sort=newest`)).items;
    expect((await list(`community=${root.code}&sort=newest&page=2&cursor=${byVotes.pager.next}`)).items.map((n) => n.number)).toEqual(
      (await list(`community=${root.code}&sort=newest&page=2`)).items.map((n) => n.number),
    );
    expect((await list(`community=${root.code}&sort=newest&cursor=${byVotes.pager.next}`)).items).toEqual(firstNewest);
    expect((await list(`community=${root.code}&category=PUBLIC_SERVICE&cursor=${byVotes.pager.next}`)).pager.page).toBe(1);
    for (const bad of ["%%%", "eyJ4Ijox", "WzEsImFiY2RlZmdoIiwiYSIsWzFdXQ", "x".repeat(5000)]) {
      const r = await list(`community=${root.code}&cursor=${encodeURIComponent(bad)}`);
      expect(r.items).toEqual(byVotes.items);
    }
    const fifty = await list(`community=${root.code}&per=50`);
    expect(fifty.items).toHaveLength(45);
    expect(fifty.pager).toMatchObject({ page: 1, pages: 1, next: null });
    // through the page: a malformed cursor is an ordinary 200 with the first page
    const res = await needsLoader({ request: new Request(`http://localhost/needs?community=${root.code}&cursor=%E2%9C%93garbage`), params: {}, context: {} } as never);
    expect(res.list.items.map((n) => n.number)).toEqual(byVotes.items.map((n) => n.number));
  });

  it("the detail never shows the author's name or email to others; the author sees their own name", async () => {
    const { communities } = await makeAreaTree(1);
    const author = await makeUser({ name: "王小明" });
    const need = await makeNeed(communities[0]!.id, { authorId: author.id });
    const anonymous = await needDetail(need.number, null);
    const text = JSON.stringify(anonymous);
    expect(text).not.toContain("王小明");
    expect(text).not.toContain(author.email);
    expect(text).not.toContain(author.id);
    expect(anonymous.author).toEqual({ isYou: false, name: null });
    const own = await needDetail(need.number, { id: author.id, grants: [] });
    expect(own.author).toEqual({ isYou: true, name: "王小明" });
  });
});

describe("the officials' list", () => {
  it("shows open needs in the official's area by votes, with counts per status; other communities are not shown", async () => {
    const { root, communities } = await makeAreaTree(2);
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const mineA = await makeNeed(communities[0]!.id);
    const mineB = await makeNeed(communities[0]!.id);
    await makeNeed(communities[0]!.id, { status: "REJECTED" });
    const notMine = await makeNeed(communities[1]!.id);
    await setVote(await person(), mineB.number, true);
    const r = await adminNeeds(official, parseNeedListQuery(new URLSearchParams()));
    expect(r.items.map((n) => n.number)).toEqual([mineB.number, mineA.number]);
    expect(r.counts).toEqual({ OPEN: 2, PUBLISHED: 0, MERGED: 0, REJECTED: 1 });
    expect(r.items.map((n) => n.number)).not.toContain(notMine.number);
    expect(r.areas.map((a) => a.code)).toEqual([communities[0]!.code]);
    // asking for another community's needs shows nothing rather than leaking them
    const other = await adminNeeds(official, parseNeedListQuery(new URLSearchParams(`community=${communities[1]!.code}`)));
    expect(other.total).toBe(0);
    const subdistrictOfficial = await person([{ role: "OFFICIAL", area: root }]);
    const all = await adminNeeds(subdistrictOfficial, parseNeedListQuery(new URLSearchParams("status=REJECTED")));
    expect(all.total).toBe(1);
  });
});

describe("/needs/:number route", () => {
  const post = async (userId: string, number: number, fields: Record<string, string>) =>
    answer(async () => needAction({ request: await signedInRequest(userId, `/needs/${number}`, form(fields)), params: { number: String(number) }, context: {} } as never));

  it("answers each form with its intent: a closed vote is a 409 about the whole form, a bad target a 400 at its field", async () => {
    const { communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const rejected = await makeNeed(communities[0]!.id, { status: "REJECTED" });
    const vote = await post(official.id, rejected.number, { intent: "vote" });
    expect(vote).toMatchObject({ status: 409, data: { intent: "vote", result: { error: { "": ["needs.error.voteClosed"] } } } });

    const open = await makeNeed(communities[0]!.id);
    const merge = await post(official.id, open.number, { intent: "merge", target: String(open.number) });
    expect(merge).toMatchObject({ status: 400, data: { intent: "merge", result: { error: { target: ["needs.error.mergeSelf"] } } } });
    // what was typed is kept for the form
    expect(merge.data).toMatchObject({ result: { initialValue: { target: String(open.number) } } });
    // a form the page does not have is refused before anything runs
    expect(await post(official.id, open.number, { intent: "delete" })).toMatchObject({ status: 400 });
    expect((await db().need.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("OPEN");
  });

  it("a vote posted without JavaScript goes back where it came from; a curation says it is done", async () => {
    const { communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const need = await makeNeed(communities[0]!.id);
    expect(await post(official.id, need.number, { intent: "vote", redirectTo: "/needs?page=2" })).toMatchObject({ status: 302, location: "/needs?page=2" });
    expect(await post(official.id, need.number, { intent: "unvote" })).toMatchObject({ status: 200, data: { intent: "unvote" } });
    const rejected = await post(official.id, need.number, { intent: "reject", reason: "该路段属市政管理，已转交城管部门。" });
    expect(rejected).toMatchObject({ status: 200, data: { intent: "reject", notice: "needs.curate.done" } });
    // a resident may not curate: 403, whatever was typed
    const resident = await person();
    expect(await post(resident.id, need.number, { intent: "reopen", reason: "重新打开这条需求吧" })).toMatchObject({ status: 403 });
  });
});

describe("/needs/new route", () => {
  const post = async (userId: string, fields: Record<string, string>, photo?: File) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    if (photo) body.set("photo", photo);
    return answer(async () => newNeedAction({ request: await signedInRequest(userId, "/needs/new", { method: "POST", body }), params: {}, context: {} } as never));
  };

  it("a refused photo is an error at the photo field, with the rest as typed; the limit answers 429 with minutes", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const input = postInput(communities[0]!.id);
    const refused = await post(me.id, input, new File([new TextEncoder().encode("<svg onload=alert(1)>")], "x.png", { type: "image/png" }));
    expect(refused).toMatchObject({ status: 400, data: { chosePhoto: true, result: { initialValue: { title: input.title } } } });
    expect((refused.data as { result: { error: Record<string, string[]> } }).result.error.photo?.[0]).toMatch(/^upload\.error\.wrongType/);
    expect(await db().need.count({ where: { title: input.title } })).toBe(0);

    expect(await post(me.id, input)).toMatchObject({ status: 302 });
    for (let i = 0; i < 9; i++) await hit(`need:post:${me.id}`, 10, 3600);
    const limited = await post(me.id, postInput(communities[0]!.id));
    expect(limited).toMatchObject({ status: 429, data: { result: { error: { "": ["needs.error.rateLimited"] } } } });
    expect((limited.data as { retryMinutes: number }).retryMinutes).toBeGreaterThan(0);
  });
});
