/**
 * The demo's deliberation (一征三议两公开): two communities took an open JN7 need through the
 * three steps. In 松枫社区 the residents' representatives passed it (it now waits to be published
 * as a topic of a round that requires deliberation), with their online vote recorded beside the
 * paper count; in other communities the Party members' meeting dropped one at review, and one
 * waits for its resolution with the representatives' online vote open. Dates are the story's,
 * moved to the seeding week (demo-clock.ts).
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { DEFAULT_RULES, onlineTally, tally, type OnlineVoteChoice } from "../app/domain/deliberation.ts";
import type { Tx } from "../app/lib/db.server.ts";
import { saveUpload } from "../app/lib/uploads.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { demoAt, demoDay } from "./demo-clock.ts";

interface OpenNeed {
  id: string;
  areaId: string;
  status?: string;
  mergedIntoId?: string | null;
}

export async function seedDeliberation(tx: Tx, officialId: string, needs: readonly OpenNeed[], areaIds: Readonly<Record<string, string>>, representativeIds: readonly string[]) {
  const open = needs.filter((n) => (n.status ?? "OPEN") === "OPEN" && !n.mergedIntoId);
  const passedNeed = open.find((n) => n.areaId === areaIds.songfeng);
  const droppedNeed = open.find((n) => n.areaId !== areaIds.songfeng);
  const votingNeed = open.find((n) => n.areaId !== areaIds.songfeng && n !== droppedNeed);
  if (!passedNeed || !droppedNeed || !votingNeed) return;

  // the registered residents' representatives (居民代表) of the communities that vote online, granted by the official
  for (const areaId of new Set([passedNeed.areaId, votingNeed.areaId])) {
    for (const userId of representativeIds) {
      const grant = await tx.communityRoleGrant.create({ data: { userId, areaId, role: "RESIDENT_REPRESENTATIVE", grantedById: officialId, createdAt: demoAt("2026-11-01") }, select: { id: true } });
      await audit(tx, { actorId: officialId, action: "communityRole.grant", objectType: "CommunityRoleGrant", objectId: grant.id, after: { userId, areaId, role: "RESIDENT_REPRESENTATIVE" }, at: demoAt("2026-11-01") });
    }
  }
  /** Online voting on a forwarded matter: opened, the representatives' votes, closed when `closeOn` is given. */
  const onlineVote = async (matterId: string, openOn: string, choices: readonly OnlineVoteChoice[], closeOn: string | null) => {
    await tx.matter.update({ where: { id: matterId }, data: { onlineVotingOpenedAt: demoAt(openOn, 9), onlineVotingOpenedById: officialId } });
    await audit(tx, { actorId: officialId, action: "matter.onlineVotingOpen", objectType: "Matter", objectId: matterId, before: { state: "NONE" }, after: { state: "OPEN" }, at: demoAt(openOn, 9) });
    for (const [i, choice] of choices.entries()) {
      const at = demoAt(openOn, 10 + i);
      const vote = await tx.matterOnlineVote.create({ data: { matterId, userId: representativeIds[i]!, choice, createdAt: at }, select: { id: true } });
      await audit(tx, { actorId: representativeIds[i]!, action: "matter.onlineVote", objectType: "Matter", objectId: matterId, after: { voteId: vote.id, choice }, at });
    }
    if (!closeOn) return;
    await tx.matter.update({ where: { id: matterId }, data: { onlineVotingClosedAt: demoAt(closeOn, 18), onlineVotingClosedById: officialId } });
    await audit(tx, { actorId: officialId, action: "matter.onlineVotingClose", objectType: "Matter", objectId: matterId, before: { state: "OPEN" }, after: { state: "CLOSED", ...onlineTally(choices.map((choice) => ({ choice }))) }, at: demoAt(closeOn, 18) });
  };

  const propose = async (need: OpenNeed, title: string, rationale: string, at: Date) => {
    const id = crypto.randomUUID();
    await tx.matter.create({ data: { id, areaId: need.areaId, title, rationale, proposedById: officialId, proposedAt: at, needs: { create: [{ needId: need.id }] } } });
    await audit(tx, { actorId: officialId, action: "matter.propose", objectType: "Matter", objectId: id, after: { areaId: need.areaId, title, rationale, needs: [need.id] }, at });
    return id;
  };
  const review = async (matterId: string, outcome: "FORWARD" | "DROP", day: string, reasons: string, minutes: string) => {
    const at = demoAt(day, 20);
    const data = {
      matterId,
      body: "PARTY_MEMBERS_MEETING" as const,
      meetingOn: demoDay(day),
      place: "社区党群服务中心二楼会议室",
      attendeesEntitled: 23,
      attendeesPresent: 19,
      officeHolders: ["社区党总支书记", "居委会主任"],
      minutes,
      outcome,
      reasons,
      recordedById: officialId,
      createdAt: at,
    };
    const { id } = await tx.matterReview.create({ data, select: { id: true } });
    await tx.matter.update({ where: { id: matterId }, data: { status: outcome === "FORWARD" ? "FORWARDED" : "DROPPED" } });
    await audit(tx, { actorId: officialId, action: "matter.review", objectType: "Matter", objectId: matterId, before: { status: "PROPOSED" }, after: { outcome, reasons }, at });
    return id;
  };

  // 松枫社区: proposed, forwarded, passed by the residents' representatives
  const passed = await propose(passedNeed, "居民需求议题：纳入年度公益创投选题", "该需求点赞较多，涉及老人和儿童的日常生活，提请党员代表会议审议后交居民代表会议表决。", demoAt("2026-11-10"));
  const reviewed = await review(passed, "FORWARD", "2026-11-16", "需求真实、受益面广，费用在创投资助范围内。", "与会党员代表逐项讨论了需求的必要性和实施方式，一致同意提交居民代表会议表决。");
  // the meeting's scanned sign-in sheet (a plain sheet: the demo has no real one)
  const sheet = await sharp({ create: { width: 480, height: 320, channels: 3, background: { r: 244, g: 241, b: 232 } } }).png().toBuffer();
  const upload = await saveUpload(tx, { file: new File([new Uint8Array(sheet)], "党员代表会议签到表.png", { type: "image/png" }), kinds: ["image"], uploaderId: officialId });
  await tx.matterAttachment.create({ data: { reviewId: reviewed, uploadId: upload.id } });
  await onlineVote(passed, "2026-11-17", ["FOR", "FOR", "FOR", "ABSTAIN", "AGAINST"], "2026-11-22");
  const counts = { entitled: 41, present: 33, votesFor: 27, votesAgainst: 4, abstentions: 2 };
  const result = tally(counts, DEFAULT_RULES);
  const resolvedAt = demoAt("2026-11-23", 20);
  await tx.matterResolution.create({
    data: {
      matterId: passed,
      body: "REPRESENTATIVES_MEETING",
      meetingOn: demoDay("2026-11-23"),
      place: "松枫社区居民议事厅",
      ...counts,
      text: "同意将该需求列为公益创投选题，由社区按程序派单，实施过程在社区公开栏和本平台公开。",
      quorate: result.quorate,
      passed: result.passed,
      rules: DEFAULT_RULES as never,
      recordedById: officialId,
      createdAt: resolvedAt,
    },
  });
  await tx.matter.update({ where: { id: passed }, data: { status: result.passed ? "PASSED" : "FAILED" } });
  await audit(tx, { actorId: officialId, action: "matter.resolve", objectType: "Matter", objectId: passed, before: { status: "FORWARDED" }, after: { ...counts, passed: result.passed }, at: resolvedAt });

  // another community: a matter forwarded to the representatives, their online vote open
  const waiting = await propose(votingNeed, "居民需求议题：提请居民代表会议表决", "该需求涉及小区公共空间的使用，经党员代表会议审议后提请居民代表会议表决，居民代表可先在网上表达意见。", demoAt("2026-11-24"));
  await review(waiting, "FORWARD", "2026-11-30", "需求真实，涉及公共空间，须经居民代表会议决定。", "与会党员代表讨论了公共空间使用方案，同意提交居民代表会议表决，并开启居民代表网上投票。");
  await onlineVote(waiting, "2026-12-01", ["FOR", "FOR"], null);

  // the second community: proposed, dropped at review
  const dropped = await propose(droppedNeed, "居民需求议题：是否列入本年度选题", "居民提出该需求，社区拟提请审议是否列入本年度公益创投选题。", demoAt("2026-11-12"));
  await review(dropped, "DROP", "2026-11-18", "该事项已列入街道年度民生实事项目，不再重复立项。", "与会党员代表了解到该事项已由街道统一实施，建议向居民说明情况，不再列入创投选题。");
}
