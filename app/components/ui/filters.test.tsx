// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { createRoutesStub } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { FilterActions, FilterBar, FilterInput, FilterSelect, KeepParam, useCommunityGroups } from "./filters";
import { LocaleContext } from "~/lib/i18n";

function page(children: () => ReactNode) {
  const Stub = createRoutesStub([{ path: "/list", Component: () => <>{children()}</> }]);
  render(
    <LocaleContext.Provider value="en">
      <Stub initialEntries={["/list"]} />
    </LocaleContext.Provider>,
  );
}

afterEach(cleanup);

describe("filter bar", () => {
  it("names its controls from the bar's prefix and shows the filters in force", () => {
    page(() => (
      <FilterBar label="Filters" idPrefix="needs" values={{ q: "lamp", status: "OPEN", per: 50 }} className="grid">
        <FilterInput name="q" label="Search" hint="Words in the title" />
        <FilterSelect name="status" label="Status" allLabel="All" options={[{ value: "OPEN", label: "Open" }, { value: "CLOSED", label: "Closed" }]} />
        <FilterSelect name="sort" label="Sort" value="new" options={[{ value: "top", label: "Top" }, { value: "new", label: "New" }]} />
        <KeepParam name="per" value={50} />
        <KeepParam name="round" value={null} />
        <FilterActions apply="Apply" clear="Clear filters" clearTo="/list" />
      </FilterBar>
    ));
    const form = screen.getByRole("search", { name: "Filters" });
    expect(form.getAttribute("method")).toBe("get");
    const search = screen.getByLabelText("Search") as HTMLInputElement;
    expect([search.id, search.name, search.type, search.value]).toEqual(["needs-q", "q", "search", "lamp"]);
    expect(search.getAttribute("aria-describedby")).toBe("needs-q-hint");
    expect(document.getElementById("needs-q-hint")?.textContent).toBe("Words in the title");
    const status = screen.getByLabelText("Status") as HTMLSelectElement;
    expect([status.id, status.value, status.options[0]!.value, status.options[0]!.text]).toEqual(["needs-status", "OPEN", "", "All"]);
    // a value given to the control wins over the bar's
    expect((screen.getByLabelText("Sort") as HTMLSelectElement).value).toBe("new");
    const hidden = form.querySelectorAll<HTMLInputElement>("input[type=hidden]");
    expect([...hidden].map((h) => `${h.name}=${h.value}`)).toEqual(["per=50"]);
    expect(screen.getByRole("button", { name: "Apply" }).getAttribute("type")).toBe("submit");
    expect(screen.getByRole("link", { name: "Clear filters" }).getAttribute("href")).toBe("/list");
  });

  it("is no search landmark without a label, and a compact bar has its button alone", () => {
    page(() => (
      <FilterBar compact values={{ phase: "" }} className="flex">
        <FilterSelect id="phase-filter" name="phase" label="Phase" allLabel="All phases" options={[{ value: "DRAFT", label: "Draft" }]} />
        <FilterActions apply="Filter" clearTo="/list" clear="Clear" />
      </FilterBar>
    ));
    expect(screen.queryByRole("search")).toBeNull();
    expect((screen.getByLabelText("Phase") as HTMLSelectElement).value).toBe("");
    const button = screen.getByRole("button", { name: "Filter" });
    expect(button.parentElement?.tagName).toBe("FORM");
    expect(screen.queryByRole("link", { name: "Clear" })).toBeNull();
  });

  it("groups communities under their subdistrict, the whole subdistrict first", () => {
    let groups: ReturnType<ReturnType<typeof useCommunityGroups>> = [];
    function Probe() {
      groups = useCommunityGroups()([{ code: "danghu", nameZh: "当湖街道", nameEn: "Danghu", communities: [{ code: "songfeng", nameZh: "松枫社区", nameEn: "Songfeng" }] }], "needs.filter.wholeSubdistrict");
      return null;
    }
    page(() => <Probe />);
    expect(groups).toEqual([{ label: "Danghu", options: [{ value: "danghu", label: "Danghu (all)" }, { value: "songfeng", label: "Songfeng" }] }]);
  });
});
