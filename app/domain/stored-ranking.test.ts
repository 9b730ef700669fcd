import { describe, expect, it } from "vitest";
import { DEFAULT_WEIGHTS, RANKING_RULES_VERSION } from "./org-ranking";
import { isRankableQuarter, recomputeReason, sameWeights } from "./stored-ranking";

const at = (iso: string) => new Date(iso);
// 2026-Q3 ends at midnight of 1 October in Asia/Shanghai: 2026-09-30T16:00Z
const END = "2026-10-01T00:00:00+08:00";

describe("stored ranking", () => {
  it("compares stored weights component by component", () => {
    expect(sameWeights({ ...DEFAULT_WEIGHTS }, DEFAULT_WEIGHTS)).toBe(true);
    expect(sameWeights({ evaluation: 20, satisfaction: 20, compliance: 30, timeliness: 30 }, DEFAULT_WEIGHTS)).toBe(true);
    expect(sameWeights({ ...DEFAULT_WEIGHTS, timeliness: 40 }, DEFAULT_WEIGHTS)).toBe(false);
    expect(sameWeights({ timeliness: "30", compliance: 30, satisfaction: 20, evaluation: 20 }, DEFAULT_WEIGHTS)).toBe(false);
    expect(sameWeights(null, DEFAULT_WEIGHTS)).toBe(false);
  });

  it("is recomputed when missing, combined with other weights, or computed before its quarter ended", () => {
    const stored = (asOf: string, weights: unknown = DEFAULT_WEIGHTS, rulesVersion = RANKING_RULES_VERSION) => ({ weights, asOf: at(asOf), rulesVersion });
    expect(recomputeReason(null, DEFAULT_WEIGHTS, "2026-Q3", at("2026-11-30T10:00:00+08:00"))).toBe("missing");
    expect(recomputeReason(stored("2026-11-01T00:00:00Z", { ...DEFAULT_WEIGHTS, evaluation: 10, timeliness: 40 }), DEFAULT_WEIGHTS, "2026-Q3", at("2026-11-30T10:00:00+08:00"))).toBe("weights");
    // computed while Q3 ran, shown after it ended
    expect(recomputeReason(stored("2026-09-30T15:59:59Z"), DEFAULT_WEIGHTS, "2026-Q3", at(END))).toBe("quarter-ended");
    // … but shown as it is while Q3 still runs, and once computed after its end
    expect(recomputeReason(stored("2026-09-01T00:00:00Z"), DEFAULT_WEIGHTS, "2026-Q3", at("2026-09-30T15:59:59Z"))).toBeNull();
    expect(recomputeReason(stored(END), DEFAULT_WEIGHTS, "2026-Q3", at("2027-02-01T00:00:00Z"))).toBeNull();
  });

  it("is recomputed when it was ranked under other rules (stored before the rules changed)", () => {
    const old = { weights: DEFAULT_WEIGHTS, asOf: at(END), rulesVersion: 1 };
    expect(recomputeReason(old, DEFAULT_WEIGHTS, "2026-Q3", at("2027-02-01T00:00:00Z"))).toBe("rules");
    expect(recomputeReason({ ...old, rulesVersion: RANKING_RULES_VERSION }, DEFAULT_WEIGHTS, "2026-Q3", at("2027-02-01T00:00:00Z"))).toBeNull();
  });

  it("lets a quarter be computed once it has begun", () => {
    const now = at("2026-10-01T00:00:00+08:00");
    expect(isRankableQuarter("2026-Q4", now)).toBe(true);
    expect(isRankableQuarter("2026-Q3", now)).toBe(true);
    expect(isRankableQuarter("2027-Q1", now)).toBe(false);
    expect(isRankableQuarter("2026-Q5", now)).toBe(false);
    expect(isRankableQuarter(null, now)).toBe(false);
  });
});
