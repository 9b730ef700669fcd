import { describe, expect, it } from "vitest";
import { awardChanges, canObject, finalizable, latestNoticeEnd, resultOf } from "./awards";

const a = (proposalId: string, rank: number, outcome: string, awardFen: number) => ({ proposalId, rank, outcome, awardFen });

describe("awards under notice", () => {
  it("names the items whose rank, outcome or amount changed, and only those", () => {
    const before = [a("p1", 1, "FUNDED", 100), a("p2", 2, "FUNDED", 100), a("p3", 3, "WAITLIST", 0)];
    const after = [a("p1", 1, "EXCLUDED", 0), a("p2", 2, "FUNDED", 100), a("p3", 3, "FUNDED", 100)];
    expect(awardChanges(before, after)).toEqual(["p1", "p3"]);
    expect(awardChanges(before, before)).toEqual([]);
    expect(awardChanges(before, [a("p2", 1, "FUNDED", 100)])).toEqual(["p2"]);
  });

  it("accepts objections only while an item is proposed and its notice runs", () => {
    const end = new Date("2026-12-01T00:00:00Z");
    expect(canObject({ status: "PROPOSED", noticeEndsAt: end }, new Date("2026-11-30T23:59:59Z"))).toBe(true);
    expect(canObject({ status: "PROPOSED", noticeEndsAt: end }, end)).toBe(false);
    expect(canObject({ status: "FINAL", noticeEndsAt: end }, new Date("2026-11-01T00:00:00Z"))).toBe(false);
  });

  it("finalises a round only when every notice has ended and no objection is open", () => {
    const ends = [{ noticeEndsAt: new Date("2026-12-01T00:00:00Z") }, { noticeEndsAt: new Date("2026-12-03T00:00:00Z") }];
    expect(finalizable(ends, 0, new Date("2026-12-02T00:00:00Z"))).toBe(false);
    expect(finalizable(ends, 0, new Date("2026-12-03T00:00:00Z"))).toBe(true);
    expect(finalizable(ends, 1, new Date("2026-12-09T00:00:00Z"))).toBe(false);
    expect(finalizable([], 0, new Date())).toBe(false);
    expect(latestNoticeEnd(ends).toISOString()).toBe("2026-12-03T00:00:00.000Z");
  });

  it("tells applicants funded, partial, waitlist or not funded", () => {
    expect(["FUNDED", "PARTIAL", "WAITLIST", "BELOW_MINIMUM", "EXCLUDED"].map(resultOf)).toEqual(["FUNDED", "PARTIAL", "WAITLIST", "NOT_FUNDED", "NOT_FUNDED"]);
  });
});
