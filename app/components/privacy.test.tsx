// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { RetentionTable } from "~/components/privacy";
import { RETENTION_ROWS } from "~/domain/personal-data";
import { LocaleContext } from "~/lib/i18n";

afterEach(cleanup);

describe("RetentionTable", () => {
  it("gives a phone one block per kind of data, each with its period and what deletion does, and wider screens the table", () => {
    render(
      <LocaleContext.Provider value="zh-CN">
        <RetentionTable />
      </LocaleContext.Provider>,
    );
    const shown = screen.getByTestId("retention-table");
    const blocks = within(shown).getAllByRole("listitem");
    expect(blocks).toHaveLength(RETENTION_ROWS.length);
    const gifts = blocks.find((b) => b.textContent?.startsWith("捐赠："))!;
    expect(within(gifts).getByText("保存期限").nextElementSibling?.textContent).toContain("30 年");
    expect(within(gifts).getByText("注销账户时")).toBeTruthy();
    // the list is for narrow screens only, the table for the rest
    expect(within(shown).getByRole("list").className).toContain("sm:hidden");
    const table = within(shown).getByRole("table");
    expect(table.closest(".hidden.sm\\:block")).not.toBeNull();
    expect(within(table).getAllByRole("row")).toHaveLength(RETENTION_ROWS.length + 1);
  });
});
