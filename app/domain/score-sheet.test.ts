import { describe, expect, it } from "vitest";
import { blindSnapshot, formatPoints, parseSheet, ReopenSheetSchema, SheetFormSchema, sheetInputOf, sheetTotal } from "./score-sheet";

const rubric = [
  { key: "need", maxPoints: 25 },
  { key: "design", maxPoints: 25 },
  { key: "budget", maxPoints: 50 },
];
const input = (scores: Record<string, string>, overallComment = "") => ({ scores, comments: { need: " 很好 " }, overallComment });

describe("score sheet", () => {
  it("accepts integers and halves within each maximum (full-width digits too)", () => {
    const r = parseSheet(rubric, input({ need: "20", design: "２２．５", budget: "50" }), true);
    expect(r.fieldErrors).toEqual({});
    expect(r.scores).toEqual({ need: 20, design: 22.5, budget: 50 });
    expect(r.comments).toEqual({ need: "很好" });
    expect(sheetTotal(r.scores)).toBe(92.5);
  });

  it("names each wrong field: over the maximum (with the maximum), not a half step, not a number", () => {
    const r = parseSheet(rubric, input({ need: "26", design: "10.3", budget: "abc" }), false);
    expect(r.fieldErrors).toEqual({
      "score.need": ['scoring.error.overMax|{"max":25}'],
      "score.design": ["scoring.error.notHalfStep"],
      "score.budget": ["scoring.error.notANumber"],
    });
    expect(r.scores).toEqual({});
  });

  it("lets a draft leave scores blank but requires every criterion on submit", () => {
    expect(parseSheet(rubric, input({ need: "10", design: "", budget: "" }), false).fieldErrors).toEqual({});
    expect(Object.keys(parseSheet(rubric, input({ need: "10", design: "", budget: "" }), true).fieldErrors)).toEqual(["score.design", "score.budget"]);
  });

  it("refuses negative numbers and over-long comments", () => {
    const r = parseSheet(rubric, { scores: { need: "-1", design: "1", budget: "1" }, comments: {}, overallComment: "长".repeat(2001) }, true);
    expect(r.fieldErrors["score.need"]).toEqual(["scoring.error.notANumber"]);
    expect(r.fieldErrors.overallComment).toEqual(["scoring.error.commentTooLong"]);
  });

  it("blind review hides the organization, the submitter, team names and attachment names", () => {
    const blind = blindSnapshot({
      title: "助老",
      organization: { id: "o", name: "友邻社工" },
      submittedBy: { id: "u", name: "陈晓" },
      team: [{ name: "王五", role: "负责人", experience: "十年" }],
      attachments: [{ name: "友邻社工-章程.pdf", label: "章程" }],
    });
    const text = JSON.stringify(blind);
    for (const secret of ["友邻社工", "陈晓", "王五"]) expect(text).not.toContain(secret);
    expect(blind).toMatchObject({ title: "助老", team: [{ name: "#1", role: "负责人" }] });
  });
});

describe("the sheet's form", () => {
  it("reads what was typed per criterion of the rubric (blank when nothing was), and the version the form was loaded with", () => {
    const form = SheetFormSchema.parse({ score: { need: " 20.5 ", other: "9" }, comment: { need: "清楚" }, version: 3 });
    expect(form.version).toBe(3);
    expect(sheetInputOf(form, rubric)).toEqual({
      scores: { need: "20.5", design: "", budget: "" },
      comments: { need: "清楚", design: "", budget: "" },
      overallComment: "",
    });
    expect(SheetFormSchema.parse({}).version).toBe(0);
  });

  it("reopening a sheet needs a reason of 2–500 characters", () => {
    expect(ReopenSheetSchema.safeParse({ sheetId: "s1", reason: " 复核 " })).toMatchObject({ success: true, data: { reason: "复核" } });
    for (const reason of ["", " x ", "x".repeat(501)]) expect(ReopenSheetSchema.safeParse({ sheetId: "s1", reason }).success).toBe(false);
  });
});

describe("scores as the rules state them (half points)", () => {
  it("shows a half with one decimal and a whole number with none", () => {
    expect(formatPoints(14.5)).toBe("14.5");
    expect(formatPoints(15)).toBe("15");
    expect(formatPoints(0)).toBe("0");
    expect(formatPoints(0.5)).toBe("0.5");
    expect(formatPoints(100)).toBe("100");
  });

  it("never shows float noise and never rounds a half away", () => {
    expect(formatPoints(14.500000001)).toBe("14.5");
    expect(formatPoints(0.1 + 0.2 + 14.2)).toBe("14.5");
    expect(formatPoints(14.49)).toBe("14.5");
    expect(formatPoints(-2.5)).toBe("-2.5");
    expect(formatPoints(-0.5)).toBe("-0.5");
    expect(formatPoints(Number.NaN)).toBe("—");
  });

  it("totals a sheet in half points", () => {
    expect(sheetTotal({ a: 21.5, b: 20, c: 16.5, d: 12, e: 11.5 })).toBe(81.5);
    expect(formatPoints(sheetTotal({ a: 0.5, b: 0.5, c: 0.5 }))).toBe("1.5");
    expect(sheetTotal({})).toBe(0);
  });
});
