import { describe, expect, it } from "vitest";
import { areaDetail } from "~/services/areas/areas.server";
import { makeAreaTree } from "../support/db";
import { makeNeed, makeTopicRound } from "../support/need-fixture";

describe("a community's public page", () => {
  it("shows its needs (most voted open ones, merged ones not counted), the rounds serving it (not drafts), projects and money", async () => {
    const { root, communities } = await makeAreaTree(2);
    const [here, there] = [communities[0]!, communities[1]!];
    const need = (areaId: string, voteCount: number, status: "OPEN" | "MERGED" | "REJECTED" = "OPEN") => makeNeed(areaId, { voteCount, status });
    const top = await need(here.id, 9);
    await need(here.id, 5);
    await need(here.id, 3);
    await need(here.id, 1);
    await need(here.id, 99, "MERGED");
    await need(here.id, 50, "REJECTED");
    await need(there.id, 77);
    const above = await makeTopicRound(root.id, { phase: "NEEDS", codePrefix: "A" });
    await makeTopicRound(root.id, { phase: "DRAFT", codePrefix: "A" });
    await makeTopicRound(there.id, { phase: "NEEDS", codePrefix: "A" });

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
