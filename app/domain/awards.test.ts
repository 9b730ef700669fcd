import { describe, expect, it } from "vitest";
import { toFieldErrors } from "~/lib/result";
import { awardChanges, canObject, finalizable, latestNoticeEnd, ObjectionSchema, ResolveObjectionSchema, resultOf, RoadshowSchema, roadshowCenti } from "./awards";

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

describe("the forms of objections and roadshow scores", () => {
  const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? {} : toFieldErrors(r.error!.issues));

  it("an objection names its item and gives a reason of 10–2000 characters", () => {
    expect(ObjectionSchema.parse({ proposalId: "p1", reason: "  该项目与去年项目重复，请核查。 " })).toEqual({ proposalId: "p1", reason: "该项目与去年项目重复，请核查。" });
    expect(errorsOf(ObjectionSchema.safeParse({ proposalId: "", reason: "短" }))).toEqual({ proposalId: ["objection.itemRequired"], reason: ["objection.reasonTooShort"] });
  });

  it("upholding with an exact amount needs the amount, typed as money", () => {
    const base = { objectionId: "o1", decision: "uphold", resolution: "异议成立，调整金额。", action: "amount" };
    expect(errorsOf(ResolveObjectionSchema.safeParse(base))).toEqual({ amountFen: ["allocation.override.amountRequired"] });
    expect(errorsOf(ResolveObjectionSchema.safeParse({ ...base, amountFen: "12.345" }))).toEqual({ amountFen: [expect.stringMatching(/^money\./)] });
    expect(ResolveObjectionSchema.parse({ ...base, amountFen: "8,000" })).toMatchObject({ action: "amount", amountFen: "8,000" });
    expect(ResolveObjectionSchema.parse({ objectionId: "o1", decision: "dismiss", resolution: "不属重复申报。" })).toMatchObject({ action: "none" });
    expect(errorsOf(ResolveObjectionSchema.safeParse({ objectionId: "o1", decision: "", resolution: "短" }))).toEqual({ decision: ["objection.decisionRequired"], resolution: ["objection.resolutionRequired"] });
  });

  it("a roadshow score is 0–100 with at most two decimals, stored in hundredths", () => {
    expect(roadshowCenti("90.5")).toBe(9050);
    expect(roadshowCenti(" 100 ")).toBe(10_000);
    for (const bad of ["101", "-1", "1.234", "abc", ""]) expect(roadshowCenti(bad)).toBeNull();
    expect(errorsOf(RoadshowSchema.safeParse({ proposalId: "p1", score: "101" }))).toEqual({ score: ["roadshow.invalid"] });
  });
});
