/**
 * The demo's project volunteer shifts: JN6-0002, being implemented, logged a few shifts of its
 * community's confirmed volunteers at its activities; one was logged for the wrong day, reversed
 * and logged again. When the project's community is not 松枫社区 (whose volunteers demo-wishes.ts
 * seeds), three demo residents are its confirmed volunteers (two on its wall). Dates are the
 * story's, moved to the seeding week (demo-clock.ts); every step is audited.
 */
import crypto from "node:crypto";
import type { Tx } from "../app/lib/db.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { demoAt, demoDay } from "./demo-clock.ts";

export const DEMO_SHIFT_PROJECT = "JN6-0002";

const ACTIVITIES = ["活动现场签到引导、维持秩序", "协助社工开展入户走访", "活动物资搬运与布置", "陪伴老人参加集体活动", "活动结束后场地清扫"];

export async function seedProjectShifts(tx: Tx, ctx: { residents: readonly { id: string; name: string }[] }) {
  const project = await tx.project.findUniqueOrThrow({ where: { referenceNo: DEMO_SHIFT_PROJECT }, select: { id: true, status: true, communityId: true, organizationId: true, countersignedById: true } });
  if (project.status !== "ACTIVE" || !project.communityId) throw new Error(`seed: ${DEMO_SHIFT_PROJECT} should be an active project with a community`);
  const communityId = project.communityId;
  const leader = await tx.organizationMember.findFirstOrThrow({ where: { organizationId: project.organizationId, userId: { not: null } }, select: { userId: true } });
  const granteeId = leader.userId!;

  let volunteers = await tx.volunteer.findMany({ where: { areaId: communityId, status: "CONFIRMED" }, select: { id: true }, orderBy: { createdAt: "asc" }, take: 3 });
  if (volunteers.length === 0) {
    // the project's own community: three residents registered and were confirmed
    for (const [i, person] of ctx.residents.slice(5, 8).entries()) {
      const id = crypto.randomUUID();
      const registeredAt = demoAt(`2026-10-0${2 + i}`, 9);
      const data = { skills: "活动组织、陪伴老人", availability: "周末", showOnWall: i < 2 };
      await tx.volunteer.create({ data: { id, userId: person.id, areaId: communityId, ...data, status: "CONFIRMED", createdAt: registeredAt, decidedById: project.countersignedById, decidedAt: demoAt(`2026-10-0${3 + i}`, 15) } });
      await audit(tx, { actorId: person.id, action: "volunteer.register", objectType: "Volunteer", objectId: id, after: { areaId: communityId, ...data, status: "PENDING" }, at: registeredAt });
      await audit(tx, { actorId: project.countersignedById, action: "volunteer.confirm", objectType: "Volunteer", objectId: id, before: { status: "PENDING" }, after: { status: "CONFIRMED" }, at: demoAt(`2026-10-0${3 + i}`, 15) });
    }
    volunteers = await tx.volunteer.findMany({ where: { areaId: communityId, status: "CONFIRMED" }, select: { id: true }, orderBy: { createdAt: "asc" }, take: 3 });
  }

  const log = async (volunteerId: string, day: string, minutes: number, activity: string) => {
    const at = demoAt(day, 19);
    const entry = await tx.volunteerHours.create({ data: { areaId: communityId, volunteerId, projectId: project.id, minutes, servedOn: demoDay(day), note: activity, recordedById: granteeId, createdAt: at }, select: { id: true } });
    await audit(tx, { actorId: granteeId, action: "hours.shift", objectType: "VolunteerHours", objectId: entry.id, after: { projectId: project.id, volunteerId, servedOn: day, minutes, activity }, at });
    return entry.id;
  };
  const shifts: [number, string, number][] = [
    [0, "2026-11-07", 180],
    [1, "2026-11-07", 150],
    [0, "2026-11-21", 240],
    [2, "2026-11-28", 120],
  ];
  for (const [k, [v, day, minutes]] of shifts.entries()) await log(volunteers[v % volunteers.length]!.id, day, minutes, ACTIVITIES[k % ACTIVITIES.length]!);

  // logged for the wrong day: reversed, then logged again for the day it happened
  const wrongDay = volunteers[1 % volunteers.length]!.id;
  const mistaken = await log(wrongDay, "2026-11-29", 90, ACTIVITIES[4]!);
  const reversedAt = demoAt("2026-11-30", 9);
  const reason = "日期登记错误，应为 11 月 28 日，已重新登记。";
  const reversal = await tx.volunteerHours.create({
    data: { areaId: communityId, volunteerId: wrongDay, projectId: project.id, minutes: -90, servedOn: demoDay("2026-11-29"), note: reason, reversesId: mistaken, recordedById: granteeId, createdAt: reversedAt },
    select: { id: true },
  });
  await audit(tx, { actorId: granteeId, action: "hours.reverse", objectType: "VolunteerHours", objectId: mistaken, after: { reversalId: reversal.id, minutes: -90, reason }, at: reversedAt });
  await log(wrongDay, "2026-11-28", 90, ACTIVITIES[4]!);
}
