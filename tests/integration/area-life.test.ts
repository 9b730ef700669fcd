import { describe, expect, it } from "vitest";
import {
  DEFAULT_CATEGORIES,
  DEFAULT_RUBRIC,
  DEFAULT_TRANCHE_SCHEDULE,
} from "~/domain/rounds";
import { areaDetail } from "~/services/areas/areas.server";
import { db, makeAreaTree, uid } from "../support/db";

async function makeRound(areaId: string, phase: "DRAFT" | "NEEDS") {
  const code = `A${uid().toUpperCase()}`;
  const foundation = await db().foundation.create({
    data: {
      slug: `f-${uid()}`,
      nameZh: "测试基金",
      nameEn: "Test fund",
      descriptionZh: "测试",
      descriptionEn: "Test",
      areaId,
    },
  });
  const d = (days: number) => new Date(Date.UTC(2027, 0, 1 + days));
  return db().round.create({
    data: {
      code,
      areaId,
      foundationId: foundation.id,
      title: `社区页轮次${code}`,
      description: "测试",
      phase,
      categories: DEFAULT_CATEGORIES as never,
      rubric: DEFAULT_RUBRIC as never,
      trancheSchedule: DEFAULT_TRANCHE_SCHEDULE as never,
      needsStartsAt: d(0),
      proposalsStartsAt: d(10),
      proposalsDeadline: d(20),
      screeningStartsAt: d(21),
      reviewStartsAt: d(30),
      noticeStartsAt: d(40),
      implementationStartsAt: d(50),
      implementationEndsAt: d(200),
      closesAt: d(220),
    },
  });
}

describe("a community's public page", () => {
  it("shows its needs (most voted open ones, merged ones not counted), the rounds serving it (not drafts), projects and money", async () => {
    const { root, communities } = await makeAreaTree(2);
    const [here, there] = [communities[0]!, communities[1]!];
    const need = (
      areaId: string,
      voteCount: number,
      status: "OPEN" | "MERGED" | "REJECTED" = "OPEN",
    ) =>
      db().need.create({
        data: {
          areaId,
          title: `社区页需求${uid()}`,
          description: "描述描述描述",
          category: "PUBLIC_SERVICE",
          voteCount,
          status,
        },
      });
    const top = await need(here.id, 9);
    await need(here.id, 5);
    await need(here.id, 3);
    await need(here.id, 1);
    await need(here.id, 99, "MERGED");
    await need(here.id, 50, "REJECTED");
    await need(there.id, 77);
    const above = await makeRound(root.id, "NEEDS");
    await makeRound(root.id, "DRAFT");
    await makeRound(there.id, "NEEDS");

    const page = await areaDetail(here.code);
    const life = page!.life;
    // the rejected need counts (it is public) but only open and published ones are listed
    expect(life.needs.count).toBe(5);
    expect(life.needs.items.map((n) => n.number)).toHaveLength(3);
    expect(life.needs.items[0]!.number).toBe(top.number);
    expect(life.rounds).toEqual({
      count: 1,
      items: [{ code: above.code, title: above.title, phase: "NEEDS" }],
    });
    expect(life.projects).toEqual({ count: 0, items: [] });
    expect(life.money).toEqual({ awardedFen: 0, releasedFen: 0 });

    // the subdistrict's page: every community's needs, and every round in or above it
    const sub = (await areaDetail(root.code))!.life;
    expect(sub.needs.count).toBe(6);
    expect(sub.rounds.count).toBe(2);
  });
});
