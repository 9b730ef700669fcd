import { describe, expect, it } from "vitest";
import { parseNeedListQuery } from "~/domain/needs";
import { listNeeds, ownCommunity } from "~/services/needs/needs.server";
import { person } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";

describe("the needs list", () => {
  it("puts a resident's own community first, then the rest, on every numbered page; a visitor sees plain vote order", async () => {
    const { communities } = await makeAreaTree(2);
    const [mine, other] = [communities[0]!, communities[1]!];
    const resident = await person();
    const tag = `序${uid()}`;
    // the other community's needs have more votes
    await db().need.createMany({
      data: [
        ...Array.from({ length: 7 }, (_, i) => ({ areaId: other.id, title: `${tag}别处${i}`, description: "别的社区的需求描述，很长很长。", category: "PUBLIC_SERVICE", voteCount: 100 + i })),
        ...Array.from({ length: 6 }, (_, i) => ({ areaId: mine.id, title: `${tag}本社区${i}`, description: "本社区的需求描述", category: "PUBLIC_SERVICE", voteCount: i })),
      ],
    });
    expect(await ownCommunity(resident.id)).toBeNull();
    // the resident's community is that of the need they posted last
    await db().need.create({ data: { areaId: mine.id, authorId: resident.id, title: `${tag}我发的`, description: "我发的需求描述", category: "PUBLIC_SERVICE" } });
    expect((await ownCommunity(resident.id))?.code).toBe(mine.code);

    const list = (qs: string, viewer: string | null) => listNeeds(parseNeedListQuery(new URLSearchParams(`q=${encodeURIComponent(tag)}&per=20&${qs}`)), viewer);
    const seen = await list("", resident.id);
    expect(seen.ownCommunity?.code).toBe(mine.code);
    expect(seen.items.map((n) => n.own)).toEqual([...Array(7).fill(true), ...Array(7).fill(false)]);
    expect(seen.items.slice(0, 7).every((n) => n.area.code === mine.code)).toBe(true);
    const anonymous = await list("", null);
    expect(anonymous.ownCommunity).toBeNull();
    expect(anonymous.items[0]!.area.code).toBe(other.code);

    // more needs, so that a page of 20 straddles the two parts: by number or by cursor, the same order
    await db().need.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({ areaId: mine.id, title: `${tag}更多${i}`, description: "本社区的更多需求", category: "PUBLIC_SERVICE", voteCount: 50 })),
    });
    const all = await listNeeds(parseNeedListQuery(new URLSearchParams(`q=${encodeURIComponent(tag)}&per=50`)), resident.id);
    expect(all.total).toBe(34);
    expect(all.items.map((n) => n.own)).toEqual([...Array(27).fill(true), ...Array(7).fill(false)]);
    const byNumber: number[] = [];
    const byCursor: number[] = [];
    let page = await list("", resident.id);
    byCursor.push(...page.items.map((n) => n.number));
    while (page.pager.next) {
      page = await list(`page=${page.pager.page + 1}&cursor=${page.pager.next}`, resident.id);
      byCursor.push(...page.items.map((n) => n.number));
    }
    for (let n = 1; n <= 2; n++) byNumber.push(...(await list(`page=${n}`, resident.id)).items.map((x) => x.number));
    expect(byNumber).toEqual(all.items.map((n) => n.number));
    expect(byCursor).toEqual(byNumber);
  });

  it("shows a one-line snippet of each description", async () => {
    const { communities } = await makeAreaTree(1);
    const tag = `摘${uid()}`;
    await db().need.create({ data: { areaId: communities[0]!.id, title: `${tag}长描述`, description: `第一行\n\n${"很".repeat(200)}`, category: "PUBLIC_SERVICE" } });
    const r = await listNeeds(parseNeedListQuery(new URLSearchParams(`q=${encodeURIComponent(tag)}`)), null);
    expect(r.items[0]!.snippet.startsWith("第一行 很很")).toBe(true);
    expect(r.items[0]!.snippet.endsWith("…")).toBe(true);
    expect(Array.from(r.items[0]!.snippet)).toHaveLength(81);
  });
});
