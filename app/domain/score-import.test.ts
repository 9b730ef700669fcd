import { describe, expect, it } from "vitest";
import { checkImport, importTemplate, type ImportContext } from "./score-import";

const rubric = [
  { key: "need", maxPoints: 60 },
  { key: "budget", maxPoints: 40 },
];
const ctx: ImportContext = {
  rubric,
  judges: new Map([
    ["a@x.org", "sa"],
    ["b@x.org", "sb"],
  ]),
  proposals: new Map([
    ["R-0001", "p1"],
    ["R-0002", "p2"],
  ]),
  assigned: new Set(["p1|sa", "p1|sb", "p2|sa"]),
  submitted: new Set(["p2|sa"]),
};

/** A file of rows (its header first) checked against the round. */
const imported = (...rows: string[][]) => checkImport(rows, ctx);

describe("paper score sheet import", () => {
  it("reads the wide layout (one row per sheet), Chinese headers and full-width digits included", () => {
    const r = imported(
      ["评委邮箱", "申报编号", "need", "budget", "评语"],
      ["A@x.org", "r-0001", "50.5", "３０", "好"],
      ["b@x.org", "R-0001", "40", "20", ""],
    );
    expect(r.ok).toBe(true);
    expect(r.layout).toBe("wide");
    expect(r.sheets).toEqual([
      { proposalId: "p1", seatId: "sa", scores: { need: 50.5, budget: 30 }, comments: {}, overallComment: "好", lines: [2] },
      { proposalId: "p1", seatId: "sb", scores: { need: 40, budget: 20 }, comments: {}, overallComment: "", lines: [3] },
    ]);
  });

  it("reads the long layout (one row per criterion) with comments per criterion", () => {
    const r = imported(
      ["judge_email", "proposal_reference", "criterion", "score", "comment"],
      ["a@x.org", "R-0001", "need", "55", "需求明确"],
      ["a@x.org", "R-0001", "budget", "35", ""],
    );
    expect(r).toMatchObject({ ok: true, layout: "long", sheets: [{ scores: { need: 55, budget: 35 }, comments: { need: "需求明确" } }] });
  });

  it("reports every problem of every row and imports nothing", () => {
    const r = imported(
      ["judge_email", "proposal_reference", "criterion", "score"],
      ["nobody@x.org", "R-0001", "need", "10"],
      ["a@x.org", "R-9999", "need", "10"],
      ["b@x.org", "R-0002", "need", "10"],
      ["a@x.org", "R-0002", "need", "10"],
      ["a@x.org", "R-0001", "vision", "10"],
      ["a@x.org", "R-0001", "need", "61"],
      ["a@x.org", "R-0001", "need", "10.3"],
      ["a@x.org", "R-0001", "budget", "abc"],
      ["b@x.org", "R-0001", "need", "10"],
    );
    expect(r.ok).toBe(false);
    expect(r.sheets).toEqual([]);
    const expected: [number, string[]][] = [
      [2, ["unknownJudge"]],
      [3, ["unknownProposal"]],
      [4, ["unassigned", "missingCriterion"]],
      [5, ["alreadySubmitted"]],
      [6, ["unknownCriterion"]],
      [7, ["overMax"]],
      [8, ["duplicate", "notHalfStep"]],
      [9, ["notANumber"]],
      [10, ["missingCriterion"]],
    ];
    for (const [line, problems] of expected) expect(r.rows.find((x) => x.line === line)!.problems).toEqual(expect.arrayContaining(problems));
    expect(r.rows.every((x) => x.problems.length > 0)).toBe(true);
  });

  it("refuses an empty file or one without the needed columns", () => {
    expect(checkImport([], ctx).fileProblems).toEqual(["empty"]);
    expect(checkImport([["name", "x"], ["a", "b"]], ctx).fileProblems).toEqual(["badHeader"]);
  });

  it("offers a template for the round's rubric", () => {
    expect(importTemplate(rubric)[0]).toEqual(["judge_email", "proposal_reference", "need", "budget", "comment"]);
  });
});
