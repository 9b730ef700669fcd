import { describe, expect, it } from "vitest";
import {
  DecisionSchema,
  decisionOf,
  eligibleListState,
  notificationKind,
  parseEligibleListQuery,
  parseScreeningQuery,
  planDecision,
  ScreeningFormSchema,
  type ScreeningTarget,
} from "./screening";

const target = (status: string, n = 1, latest: string | null = null): ScreeningTarget => ({
  id: `p${n}`,
  referenceNo: `JN7-000${n}`,
  status,
  latestDecisionId: latest,
});

describe("the decision form", () => {
  it("needs a reason to mark ineligible, not to mark eligible", () => {
    expect(DecisionSchema.safeParse({ ids: ["a"], outcome: "ELIGIBLE" }).success).toBe(true);
    const refused = DecisionSchema.safeParse({ ids: ["a"], outcome: "INELIGIBLE", reason: "   " });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => i.message)).toContain("screening.error.reasonRequired");
    expect(DecisionSchema.safeParse({ ids: ["a"], outcome: "INELIGIBLE", reason: "材料不全" }).success).toBe(true);
  });

  it("needs at least one proposal and a known outcome", () => {
    expect(DecisionSchema.safeParse({ ids: [], outcome: "ELIGIBLE" }).error!.issues[0]!.message).toBe("screening.error.noneSelected");
    expect(DecisionSchema.safeParse({ ids: ["a"], outcome: "MAYBE" }).success).toBe(false);
  });
});

describe("planning a decision", () => {
  it("is refused outside the SCREENING phase", () => {
    for (const phase of ["PROPOSALS", "REVIEW", "CLOSED"]) {
      expect(planDecision(phase, "ELIGIBLE", undefined, [target("SUBMITTED")])).toEqual({ ok: false, problems: [{ key: "screening.error.phase" }] });
    }
  });

  it("decides submitted proposals for the first time without a reversal", () => {
    const r = planDecision("SCREENING", "ELIGIBLE", undefined, [target("SUBMITTED", 1), target("SUBMITTED", 2)]);
    expect(r).toEqual({
      ok: true,
      plan: {
        changes: [
          { id: "p1", referenceNo: "JN7-0001", from: "SUBMITTED", reversesId: null },
          { id: "p2", referenceNo: "JN7-0002", from: "SUBMITTED", reversesId: null },
        ],
        unchanged: [],
      },
    });
  });

  it("a changed decision is a reversal: it needs a reason and points at the decision it reverses", () => {
    const without = planDecision("SCREENING", "ELIGIBLE", undefined, [target("SUBMITTED", 1), target("INELIGIBLE", 2, "d2")]);
    expect(without).toEqual({ ok: false, problems: [{ key: "screening.error.reversalReason", referenceNo: "JN7-0002" }] });
    const withReason = planDecision("SCREENING", "ELIGIBLE", "补交了材料", [target("INELIGIBLE", 2, "d2")]);
    expect(withReason.ok && withReason.plan.changes).toEqual([{ id: "p2", referenceNo: "JN7-0002", from: "INELIGIBLE", reversesId: "d2" }]);
  });

  it("leaves proposals that already have the outcome alone, and refuses drafts and withdrawn ones outright", () => {
    const same = planDecision("SCREENING", "INELIGIBLE", "不符合", [target("INELIGIBLE", 1, "d1"), target("SUBMITTED", 2)]);
    expect(same.ok && same.plan).toEqual({ changes: [{ id: "p2", referenceNo: "JN7-0002", from: "SUBMITTED", reversesId: null }], unchanged: ["JN7-0001"] });
    const bad = planDecision("SCREENING", "ELIGIBLE", "ok", [target("WITHDRAWN", 1), target("DRAFT", 2), target("SUBMITTED", 3)]);
    expect(bad).toEqual({
      ok: false,
      problems: [
        { key: "screening.error.notScreenable", referenceNo: "JN7-0001" },
        { key: "screening.error.notScreenable", referenceNo: "JN7-0002" },
      ],
    });
  });

  it("names the notification of each kind of decision", () => {
    expect(notificationKind("ELIGIBLE", false)).toBe("screeningEligible");
    expect(notificationKind("INELIGIBLE", false)).toBe("screeningIneligible");
    expect(notificationKind("ELIGIBLE", true)).toBe("screeningReversed");
  });
});

describe("lists", () => {
  it("the public list shows nothing before screening, a notice during it, and the eligible proposals from review on", () => {
    expect(eligibleListState("PROPOSALS")).toBe("notYet");
    expect(eligibleListState("DRAFT")).toBe("notYet");
    expect(eligibleListState("SCREENING")).toBe("screening");
    for (const phase of ["REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED"] as const) expect(eligibleListState(phase)).toBe("published");
  });

  it("reads the queue's query string with safe defaults", () => {
    expect(parseScreeningQuery(new URLSearchParams("status=DRAFT&per=7&page=-2&community=Song%20feng&q=%20%E5%8A%A9%E9%A4%90%E3%80%80%20x"))).toEqual({
      status: null,
      community: null,
      category: null,
      q: "助餐 x",
      cursor: null,
      page: null,
      per: 20,
    });
    expect(parseScreeningQuery(new URLSearchParams("status=INELIGIBLE&per=100&page=3&cursor=Zm9v&community=songfeng&category=PUBLIC_SERVICE"))).toMatchObject({
      status: "INELIGIBLE",
      community: "songfeng",
      category: "PUBLIC_SERVICE",
      cursor: "Zm9v",
      page: 3,
      per: 100,
    });
    expect(parseEligibleListQuery(new URLSearchParams("per=50&category=CULTURE_SPORTS"))).toEqual({ community: null, category: "CULTURE_SPORTS", cursor: null, page: null, per: 50 });
  });
});

describe("the screening page's form", () => {
  it("reads the checked rows with the pressed outcome, or one row's own button alone", () => {
    expect(decisionOf({ ids: ["a", "b"], outcome: "ELIGIBLE", reason: "" })).toEqual({ ids: ["a", "b"], outcome: "ELIGIBLE", reason: "" });
    // a row's button decides that row, whatever else is checked
    expect(decisionOf({ ids: ["a", "b"], single: "INELIGIBLE:c", reason: "不在服务范围" })).toEqual({ ids: ["c"], outcome: "INELIGIBLE", reason: "不在服务范围" });
    expect(decisionOf({})).toEqual({ ids: [], outcome: "", reason: "" });
  });

  it("is checked like a decision", () => {
    expect(ScreeningFormSchema.safeParse({ single: "ELIGIBLE:p1" })).toMatchObject({ success: true, data: { ids: ["p1"], outcome: "ELIGIBLE" } });
    const noReason = ScreeningFormSchema.safeParse({ single: "INELIGIBLE:p1", reason: " " });
    expect(noReason.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["reason", "screening.error.reasonRequired"]]);
    expect(ScreeningFormSchema.safeParse({ outcome: "ELIGIBLE" }).error!.issues[0]!.message).toBe("screening.error.noneSelected");
  });
});
