import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closable, EVALUATION_ITEMS, EVALUATION_MAX_TOTAL, evaluationOpen, gradeSheet, readScores, suggestedUnspentFen } from "./evaluation";

const full = { goals: "30", quality: "25", funds: "20", satisfaction: "15", records: "10" };

describe("the evaluation sheet", () => {
  it("has maxima that sum to 100", () => {
    expect(EVALUATION_MAX_TOTAL).toBe(100);
    expect(EVALUATION_ITEMS.map((i) => i.key)).toEqual(["goals", "quality", "funds", "satisfaction", "records"]);
  });

  it("totals the items and passes at the round's pass score", () => {
    const r = gradeSheet({ goals: "20", quality: "15", funds: "15", satisfaction: "7", records: "3" }, 60, "");
    expect(r).toEqual({ ok: true, scores: { goals: 20, quality: 15, funds: 15, satisfaction: 7, records: 3 }, total: 60, passed: true });
    const below = gradeSheet({ goals: "20", quality: "15", funds: "15", satisfaction: "7", records: "2" }, 60, "档案不全，资金台账缺失");
    expect(below).toMatchObject({ ok: true, total: 59, passed: false });
    expect(gradeSheet(full, 100, "")).toMatchObject({ ok: true, total: 100, passed: true });
  });

  it("requires reasons when the project fails, not when it passes", () => {
    const zero = { goals: "0", quality: "0", funds: "0", satisfaction: "0", records: "0" };
    expect(gradeSheet(zero, 60, "  ")).toEqual({ ok: false, fieldErrors: { reasons: "evaluation.error.reasonsRequired" } });
    expect(gradeSheet(zero, 60, "未开展任何活动")).toMatchObject({ ok: true, passed: false, total: 0 });
    expect(gradeSheet(full, 60, "")).toMatchObject({ ok: true, passed: true });
  });

  it("refuses missing, fractional, negative and too-high points, per item", () => {
    const r = gradeSheet({ goals: "31", quality: "2.5", funds: "-1", satisfaction: "" }, 60, "");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.goals).toBe('evaluation.error.scoreMax|{"max":30}');
    expect(r.fieldErrors.quality).toBe("evaluation.error.scoreWhole");
    expect(r.fieldErrors.funds).toBe("evaluation.error.scoreWhole");
    expect(r.fieldErrors.satisfaction).toBe("evaluation.error.scoreRequired");
    expect(r.fieldErrors.records).toBe("evaluation.error.scoreRequired");
  });

  it("accepts full-width digits", () => {
    expect(gradeSheet({ ...full, goals: "２５" }, 60, "")).toMatchObject({ ok: true, total: 95 });
  });

  it("any valid sheet totals 0..100 and passes exactly when total ≥ pass score", () => {
    const item = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(item(30), item(25), item(20), item(15), item(10), fc.integer({ min: 0, max: 100 }), (a, b, c, d, e, pass) => {
        const r = gradeSheet({ goals: `${a}`, quality: `${b}`, funds: `${c}`, satisfaction: `${d}`, records: `${e}` }, pass, "reasons given here");
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.total).toBe(a + b + c + d + e);
        expect(r.passed).toBe(r.total >= pass);
      }),
    );
  });

  it("reads stored scores back", () => {
    expect(readScores({ goals: 3, quality: "x", extra: 1 })).toEqual({ goals: 3, quality: null, funds: null, satisfaction: null, records: null });
    expect(readScores(null).goals).toBeNull();
  });
});

describe("when evaluation and closing are possible", () => {
  it("opens when the project is active and every milestone approved", () => {
    expect(evaluationOpen("ACTIVE", [{ status: "APPROVED" }, { status: "APPROVED" }])).toBe(true);
    expect(evaluationOpen("ACTIVE", [{ status: "APPROVED" }, { status: "PENDING" }])).toBe(false);
    expect(evaluationOpen("EVALUATION_FAILED", [{ status: "APPROVED" }])).toBe(false);
    expect(evaluationOpen("AWAITING_COUNTERSIGN", [])).toBe(false);
  });
  it("closes once evaluated and the final tranche is released or held", () => {
    const agreement = { status: "RELEASED", trigger: "AGREEMENT" };
    expect(closable("ACTIVE", true, [agreement, { status: "RELEASED", trigger: "FINAL" }])).toBe(true);
    expect(closable("EVALUATION_FAILED", true, [agreement, { status: "HELD", trigger: "FINAL" }])).toBe(true);
    expect(closable("ACTIVE", true, [agreement, { status: "RELEASABLE", trigger: "FINAL" }])).toBe(false);
    expect(closable("ACTIVE", true, [{ status: "PREPARED", trigger: "MIDTERM" }, { status: "RELEASED", trigger: "FINAL" }])).toBe(false);
    expect(closable("ACTIVE", false, [agreement, { status: "RELEASED", trigger: "FINAL" }])).toBe(false);
    expect(closable("CLOSED", true, [agreement])).toBe(false);
  });
  it("suggests paid minus approved spending as unspent, never negative", () => {
    expect(suggestedUnspentFen(1_000_000, 850_000)).toBe(150_000);
    expect(suggestedUnspentFen(1_000_000, 1_200_000)).toBe(0);
  });
});
