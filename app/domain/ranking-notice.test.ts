import { describe, expect, it } from "vitest";
import type { OrgRankingRow } from "./org-ranking";
import { bottomNamed, checkNoticeRequest, NOTE_MAX, rankingProblem } from "./ranking-notice";
import { noticeHash } from "./ranking-notice-hash";

// 2026-Q3 ends at 2026-10-01 00:00 in Asia/Shanghai = 2026-09-30T16:00Z
const END_Q3 = new Date("2026-09-30T16:00:00Z");

const row = (name: string, rank: number | null, flagged = false): OrgRankingRow => ({
  organizationId: name,
  name,
  components: { timeliness: 50, compliance: 50, satisfaction: null, evaluation: null },
  combined: rank === null ? null : 50,
  rank,
  flagged,
  missing: [],
  overdueMilestones: 0,
  silentProjects: 0,
  unranked: rank === null ? "nothing-due" : null,
} as OrgRankingRow);

describe("asking for a ranking notice", () => {
  it("refuses a quarter that is not one, or has not ended (to the instant)", () => {
    expect(checkNoticeRequest({ quarter: "2026-3", now: END_Q3, note: "x" })).toEqual({ ok: false, problem: "rankingNotice.quarter" });
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: new Date(END_Q3.getTime() - 1), note: "x" })).toEqual({ ok: false, problem: "rankingNotice.running" });
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: END_Q3, note: "x" })).toMatchObject({ ok: true, quarter: "2026-Q3" });
  });

  it("needs a note, trimmed, with Windows line ends made plain, of at most NOTE_MAX characters (not bytes)", () => {
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: END_Q3, note: "  \r\n " })).toEqual({ ok: false, problem: "rankingNotice.note" });
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: END_Q3, note: " 第一行\r\n第二行 " })).toEqual({ ok: true, quarter: "2026-Q3", note: "第一行\n第二行" });
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: END_Q3, note: "通".repeat(NOTE_MAX) }).ok).toBe(true);
    expect(checkNoticeRequest({ quarter: "2026-Q3", now: END_Q3, note: "通".repeat(NOTE_MAX + 1) })).toEqual({ ok: false, problem: "rankingNotice.noteLong" });
  });
});

describe("the ranking a notice publishes", () => {
  it("must be computed from the data up to the quarter's end and rank someone", () => {
    expect(rankingProblem("2026-Q3", null)).toBe("rankingNotice.notFinal");
    expect(rankingProblem("2026-Q3", { rows: [row("甲", 1)], asOf: new Date(END_Q3.getTime() - 1) })).toBe("rankingNotice.notFinal");
    expect(rankingProblem("2026-Q3", { rows: [row("甲", null)], asOf: END_Q3 })).toBe("rankingNotice.empty");
    expect(rankingProblem("2026-Q3", { rows: [row("甲", 1), row("乙", null)], asOf: END_Q3 })).toBeNull();
  });

  it("names the flagged organizations in ranking order", () => {
    expect(bottomNamed([row("甲", 1), row("乙", 2, true), row("丙", 3, true)])).toEqual(["乙", "丙"]);
    expect(bottomNamed([row("甲", 1)])).toEqual([]);
  });

  it("is fingerprinted over its whole content: the same content gives the same hash, any change another", () => {
    const content = { area: "danghu", quarter: "2026-Q3" as const, version: 1, weights: { timeliness: 30, compliance: 30, satisfaction: 20, evaluation: 20 }, rows: [row("甲", 1)], asOf: END_Q3, note: "说明", publishedAt: END_Q3 };
    const h = noticeHash(content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(noticeHash({ ...content, rows: [row("甲", 1)] })).toBe(h);
    expect(noticeHash({ ...content, note: "说明。" })).not.toBe(h);
    expect(noticeHash({ ...content, version: 2 })).not.toBe(h);
    expect(noticeHash({ ...content, rows: [row("甲", 1, true)] })).not.toBe(h);
  });
});
