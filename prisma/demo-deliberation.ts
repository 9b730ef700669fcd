/**
 * The demo's deliberation (一征三议两公开): two communities took an open JN7 need through the
 * three steps. In 松枫社区 the residents' representatives passed it (it now waits to be published
 * as a topic of a round that requires deliberation); in the second community the Party members'
 * meeting dropped it at review. Dates are the story's, moved to the seeding week (demo-clock.ts).
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { DEFAULT_RULES, tally } from "../app/domain/deliberation.ts";
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

export async function seedDeliberation(tx: Tx, officialId: string, needs: readonly OpenNeed[], areaIds: Readonly<Record<string, string>>) {
  const open = needs.filter((n) => (n.status ?? "OPEN") === "OPEN" && !n.mergedIntoId);
  const passedNeed = open.find((n) => n.areaId === areaIds.songfeng);
  const droppedNeed = open.find((n) => n.areaId !== areaIds.songfeng);
  if (!passedNeed || !droppedNeed) return;

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

  // the second community: proposed, dropped at review
  const dropped = await propose(droppedNeed, "居民需求议题：是否列入本年度选题", "居民提出该需求，社区拟提请审议是否列入本年度公益创投选题。", demoAt("2026-11-12"));
  await review(dropped, "DROP", "2026-11-18", "该事项已列入街道年度民生实事项目，不再重复立项。", "与会党员代表了解到该事项已由街道统一实施，建议向居民说明情况，不再列入创投选题。");
}
