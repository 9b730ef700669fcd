// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ROUND_STEPS, RoundField, RoundStepSection, RoundSteps } from "./round-form";
import { LocaleContext } from "~/lib/i18n";

afterEach(cleanup);

describe("the new-round form's steps", () => {
  it("lists the five steps as links to their sections, and says what the asterisk means", () => {
    render(
      <LocaleContext.Provider value="zh-CN">
        <RoundSteps />
        {ROUND_STEPS.map((s) => (
          <RoundStepSection key={s} step={s}>
            <p>{s}</p>
          </RoundStepSection>
        ))}
      </LocaleContext.Provider>,
    );
    const nav = screen.getByRole("navigation", { name: "设立步骤" });
    const links = [...nav.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["#step-basics", "#step-dates", "#step-money", "#step-rules", "#step-review"]);
    for (const a of links) expect(document.querySelector(a.getAttribute("href")!)).not.toBeNull();
    expect(nav.textContent).toContain("带星号的为必填项");
    expect(screen.getByRole("heading", { name: "第 2 步（共 5 步）：时间安排" })).toBeTruthy();
  });

  it("on a round's own page the same steps end in saving, under their own label", () => {
    render(
      <LocaleContext.Provider value="en">
        <RoundSteps edit />
        {ROUND_STEPS.map((s) => (
          <RoundStepSection key={s} step={s} edit>
            <p>{s}</p>
          </RoundStepSection>
        ))}
      </LocaleContext.Provider>,
    );
    const nav = screen.getByRole("navigation", { name: "Settings steps" });
    expect([...nav.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["1. Basics", "#step-basics"],
      ["2. Dates", "#step-dates"],
      ["3. Money", "#step-money"],
      ["4. Rules", "#step-rules"],
      ["5. Check and save", "#step-review"],
    ]);
    expect(screen.getByRole("heading", { name: "Step 5 of 5: Check and save" })).toBeTruthy();
    expect(screen.queryByText(/Check and create/)).toBeNull();
  });

  it("marks a required field with an asterisk hidden from screen readers, which hear aria-required instead", () => {
    render(
      <LocaleContext.Provider value="zh-CN">
        <RoundField formId="f" name="code" label="轮次代码" required>
          {(p) => <input {...p} name="code" />}
        </RoundField>
        <RoundField formId="f" name="budgetLineNo" label="预算科目">
          {(p) => <input {...p} name="budgetLineNo" />}
        </RoundField>
      </LocaleContext.Provider>,
    );
    // its accessible name is the label alone: the asterisk is aria-hidden
    const code = screen.getByRole("textbox", { name: "轮次代码" });
    expect(code.getAttribute("aria-required")).toBe("true");
    expect(document.querySelector('label[for="f-code"] [aria-hidden="true"]')?.textContent).toBe("*");
    expect(screen.getByRole("textbox", { name: "预算科目" }).getAttribute("aria-required")).toBeNull();
  });
});
