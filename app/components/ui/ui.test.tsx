// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { createRoutesStub } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { BackLink, DataTable, EmptyState, ExportLinks, exportHref, Fact, ListRow, Notice, Pagination, RowList, Section, Stat, TableHead, TextLink } from "~/components/ui";
import { SelectOptions } from "~/components/ui/select-options";
import { LocaleContext } from "~/lib/i18n";

/** Renders `ui` on a page at `url` (links and pagers need a router), in Chinese. */
function show(ui: ReactNode, url = "/p") {
  const Stub = createRoutesStub([{ path: "/p", Component: () => <>{ui}</> }]);
  return render(
    <LocaleContext.Provider value="zh-CN">
      <Stub initialEntries={[url]} />
    </LocaleContext.Provider>,
  );
}

afterEach(cleanup);

describe("Section", () => {
  it("is named by its heading: the id given, or one of its own", async () => {
    show(
      <>
        <Section id="money-h" title="资金" testId="given">
          <p>a</p>
        </Section>
        <Section title="时间线" size="lg" level={3} testId="generated">
          <p>b</p>
        </Section>
      </>,
    );
    const given = await screen.findByRole("region", { name: "资金" });
    expect(given.getAttribute("aria-labelledby")).toBe("money-h");
    expect(within(given).getByRole("heading", { level: 2 }).id).toBe("money-h");
    const generated = screen.getByRole("region", { name: "时间线" });
    const heading = within(generated).getByRole("heading", { level: 3 });
    expect(heading.id).not.toBe("");
    expect(generated.getAttribute("aria-labelledby")).toBe(heading.id);
    expect(heading.className).toBe("text-lg font-semibold");
  });

  it("puts the muted figure after the title, the note under it, and the empty line instead of the children", async () => {
    show(
      <Section id="topics-h" title="议题" sub="(3)" note="按得票排序" empty="还没有议题">
        <p>never shown</p>
      </Section>,
    );
    const section = await screen.findByRole("region", { name: "议题 (3)" });
    expect(within(section).getByText("按得票排序").tagName).toBe("P");
    expect(within(section).getByText("还没有议题")).toBeTruthy();
    expect(section.textContent).not.toContain("never shown");
  });
});

describe("Stat and Fact", () => {
  it("a Stat is a label and its figure on a card, the test id on the figure", async () => {
    show(
      <dl>
        <Stat label="捐赠" value="¥1,000.00" sub="12 笔" hint="已到账" testId="total-gifts" />
      </dl>,
    );
    const figure = await screen.findByTestId("total-gifts");
    expect(figure.tagName).toBe("DD");
    expect(figure.textContent).toBe("¥1,000.0012 笔");
    const card = figure.parentElement!;
    expect(card.className).toBe("rounded-lg bg-white p-4 shadow-sm");
    expect(card.querySelector("dt")!.textContent).toBe("捐赠");
    expect(card.querySelectorAll("dd")[1]!.textContent).toBe("已到账");
  });

  it("a bare Fact puts dt and dd straight into the list; a row Fact wraps them in its row", async () => {
    const { container } = show(
      <>
        <dl data-testid="bare">
          <Fact bare label="邮箱" testId="email">
            a@example.org
          </Fact>
        </dl>
        <dl data-testid="row">
          <Fact layout="row" label="比例">
            1:1
          </Fact>
        </dl>
      </>,
    );
    await screen.findByTestId("email");
    expect([...container.querySelector('[data-testid="bare"]')!.children].map((e) => e.tagName)).toEqual(["DT", "DD"]);
    const row = container.querySelector('[data-testid="row"] > div')!;
    expect(row.className).toBe("flex flex-wrap justify-between gap-2");
  });
});

describe("tables and lists", () => {
  it("TableHead gives every column header its own classes after the shared ones", async () => {
    show(
      <table>
        <TableHead cellClassName="px-3 py-2" columns={["日期", ["金额", "text-right"]]} />
      </table>,
    );
    const headers = await screen.findAllByRole("columnheader");
    expect(headers.map((h) => [h.textContent, h.className, h.getAttribute("scope")])).toEqual([
      ["日期", "px-3 py-2", "col"],
      ["金额", "px-3 py-2 text-right", "col"],
    ]);
  });

  it("DataTable and RowList show what stands instead of them when there is nothing", async () => {
    show(
      <>
        <DataTable testId="t" headers={["a"]} empty={<EmptyState title="没有记录" />}>
          <tr />
        </DataTable>
        <RowList testId="l" empty={false}>
          <ListRow aside={<span>5 票</span>}>
            <p>议题</p>
          </ListRow>
        </RowList>
      </>,
    );
    expect((await screen.findByTestId("empty-state")).textContent).toBe("没有记录");
    expect(screen.queryByTestId("t")).toBeNull();
    const row = within(screen.getByTestId("l")).getByRole("listitem");
    expect(row.firstElementChild!.className).toBe("min-w-0");
    expect(row.lastElementChild!.textContent).toBe("5 票");
  });
});

describe("links and notices", () => {
  it("TextLink adds the inline link style to the classes given; BackLink is a navigation with one such link", async () => {
    show(
      <>
        <TextLink to="/rounds" className="font-medium">
          全部
        </TextLink>
        <BackLink to="/foundations" label="位置">
          社区基金
        </BackLink>
      </>,
    );
    expect((await screen.findByRole("link", { name: "全部" })).className).toBe("font-medium text-brand-700 underline");
    const nav = screen.getByRole("navigation", { name: "位置" });
    expect(within(nav).getByRole("link", { name: "社区基金" }).getAttribute("href")).toBe("/foundations");
  });

  it("Notice speaks as a status or a note", async () => {
    show(
      <>
        <Notice tone="success">已保存</Notice>
        <Notice tone="warning" role="note" testId="draft-note">
          草稿
        </Notice>
      </>,
    );
    expect((await screen.findByRole("status")).textContent).toBe("已保存");
    expect(screen.getByTestId("draft-note").getAttribute("role")).toBe("note");
  });

  it("Pagination keeps the other query parameters and pages on the parameter it is given", async () => {
    show(<Pagination page={2} pages={3} param="donors" hash="wall" label="捐赠翻页" />, "/p?donors=2&per=50");
    const nav = await screen.findByRole("navigation", { name: "捐赠翻页" });
    expect(within(nav).getByRole("link", { name: /下一页/ }).getAttribute("href")).toBe("/p?donors=3&per=50#wall");
    expect(within(nav).getByRole("link", { name: /上一页/ }).getAttribute("href")).toBe("/p?per=50#wall");
  });

  it("Pagination numbers the pages: the first and last three and the current page's neighbours, the current one marked, each a plain link", async () => {
    show(<Pagination page={7} pages={20} />, "/p?q=助餐&page=7");
    const nav = await screen.findByRole("navigation", { name: "翻页" });
    const current = nav.querySelector('[aria-current="page"]');
    expect(current?.textContent).toBe("当前页： 7");
    const numbers = within(nav).getAllByRole("link", { name: /^第 \d+ 页$/ });
    expect(numbers.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["1", `/p?q=${encodeURIComponent("助餐")}`],
      ["2", `/p?q=${encodeURIComponent("助餐")}&page=2`],
      ["3", `/p?q=${encodeURIComponent("助餐")}&page=3`],
      ["6", `/p?q=${encodeURIComponent("助餐")}&page=6`],
      ["8", `/p?q=${encodeURIComponent("助餐")}&page=8`],
      ["18", `/p?q=${encodeURIComponent("助餐")}&page=18`],
      ["19", `/p?q=${encodeURIComponent("助餐")}&page=19`],
      ["20", `/p?q=${encodeURIComponent("助餐")}&page=20`],
    ]);
    expect(nav.textContent).toContain("…");
  });

  it("Pagination draws nothing for a single page", () => {
    show(<Pagination page={1} pages={1} />);
    expect(screen.queryByRole("navigation")).toBeNull();
  });
});

describe("SelectOptions", () => {
  it("renders the empty choice first, then the options, then each group as an optgroup", () => {
    render(
      <select aria-label="地区">
        <SelectOptions empty="全部" options={[{ value: "a", label: "甲" }]} groups={[{ label: "社区", options: [{ value: "b", label: "乙" }] }]} />
      </select>,
    );
    const select = screen.getByRole("combobox", { name: "地区" });
    expect([...select.querySelectorAll("option")].map((o) => [o.value, o.textContent])).toEqual([["", "全部"], ["a", "甲"], ["b", "乙"]]);
    expect(select.querySelector("optgroup")?.getAttribute("label")).toBe("社区");
    expect(select.querySelector("optgroup option")?.textContent).toBe("乙");
  });

  it("has no empty choice when none is named", () => {
    render(
      <select aria-label="类别">
        <SelectOptions options={[{ value: "a", label: "甲" }]} />
      </select>,
    );
    expect(screen.getByRole("combobox", { name: "类别" }).querySelectorAll("option")).toHaveLength(1);
  });
});

describe("ExportLinks", () => {
  it("links both formats with the page's filters, without its position, and with what the page adds", async () => {
    show(<ExportLinks dataset="proposals" extra={{ round: "JN7" }} />, "/p?status=ELIGIBLE&cursor=abc&per=50&q=%E5%8A%A9%E8%80%81");
    const group = await screen.findByRole("group", { name: "导出当前筛选结果" });
    const excel = within(group).getByRole("link", { name: "导出 Excel" });
    const csv = within(group).getByRole("link", { name: "导出 CSV" });
    expect(excel.getAttribute("href")).toBe("/admin/exports/proposals.xlsx?status=ELIGIBLE&q=%E5%8A%A9%E8%80%81&round=JN7");
    expect(csv.getAttribute("href")).toBe("/admin/exports/proposals.csv?status=ELIGIBLE&q=%E5%8A%A9%E8%80%81&round=JN7");
    expect(excel.hasAttribute("download")).toBe(true);
  });

  it("an empty extra value removes the parameter", () => {
    expect(exportHref("needs", "csv", "?community=x&page=2", { community: null })).toBe("/admin/exports/needs.csv");
  });
});
