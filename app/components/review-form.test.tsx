// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { LockedSheet, SheetBadge } from "./review-form";
import { LocaleContext } from "~/lib/i18n";

afterEach(cleanup);

const rubric = [
  { key: "need", nameZh: "需求契合度", nameEn: "Fit with community needs", maxPoints: 25 },
  { key: "budget", nameZh: "预算合理性", nameEn: "Budget soundness", maxPoints: 15 },
];

describe("a submitted score sheet", () => {
  it("is shown as text, not as fields: each score out of its maximum in half points, the total, the comments, a locked badge", () => {
    render(
      <LocaleContext.Provider value="en">
        <LockedSheet rubric={rubric} sheet={{ scores: { need: 21.5, budget: 12 }, comments: { need: "Clear need." }, overallComment: "Fund it." }} />
      </LocaleContext.Provider>,
    );
    const sheet = screen.getByTestId("sheet-readonly");
    expect(within(sheet).queryAllByRole("textbox")).toHaveLength(0);
    expect(within(sheet).queryAllByRole("spinbutton")).toHaveLength(0);
    expect(screen.getByTestId("sheet-state").textContent).toBe("Submitted · locked");
    expect(screen.getByTestId("score-need").textContent).toBe("21.5 / 25");
    expect(screen.getByTestId("score-budget").textContent).toBe("12 / 15");
    expect(screen.getByTestId("sheet-total").textContent).toBe("33.5 / 40");
    expect(sheet.textContent).toContain("Clear need.");
    expect(sheet.textContent).toContain("Fund it.");
  });

  it("says in words whether a sheet is not started, a draft or submitted", () => {
    render(
      <LocaleContext.Provider value="zh-CN">
        <SheetBadge status="NONE" />
        <SheetBadge status="DRAFT" />
        <SheetBadge status="SUBMITTED" />
      </LocaleContext.Provider>,
    );
    expect(screen.getAllByTestId("sheet-state").map((b) => b.textContent)).toEqual(["未开始", "草稿（未提交）", "已提交 · 已锁定"]);
  });
});
