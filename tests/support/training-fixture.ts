import { publishTraining } from "~/services/trainings/trainings.server";
import { person } from "./actors";
import { db, makeAreaTree, uid } from "./db";

/** "YYYY-MM-DDTHH:mm" in Asia/Shanghai of an instant, as the training forms take times. */
export const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
export const HOUR = 3_600_000;

type Person = Awaited<ReturnType<typeof person>>;

/** A subdistrict with its official and `n` organizations in its first community, each with one member. */
export async function trainingSetting(n = 2) {
  const { root, communities } = await makeAreaTree(2);
  const official = await person([{ role: "OFFICIAL", area: root }], { name: "培训官员" });
  const members = [];
  for (let i = 0; i < n; i++) {
    const m = await person([], { name: `成员${i}` });
    const org = await db().organization.create({
      data: { kind: "RESIDENT_TEAM", name: `测试队${i}${uid()}`, areaId: communities[0]!.id, members: { create: { userId: m.id, name: m.name, position: "负责人" } } },
    });
    members.push({ ...m, organizations: [{ id: org.id }], orgId: org.id });
  }
  return { root, communities, official, members };
}

/** Publishes a two-hour training of the area `code` starting `startsIn` from now (two seats unless `over` says otherwise); its number. */
export async function publishTestTraining(official: Person, code: string, over: Record<string, string> = {}, startsIn = 24 * HOUR) {
  const start = new Date(Date.now() + startsIn);
  const r = await publishTraining(official as never, code, {
    topic: "项目财务规范",
    trainer: "王老师",
    startsAt: local(start),
    endsAt: local(new Date(start.getTime() + 2 * HOUR)),
    place: "当湖街道社创中心",
    capacity: "2",
    audience: "ALL_ORGANIZATIONS",
    ...over,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.number;
}
