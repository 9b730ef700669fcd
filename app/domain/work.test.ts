import { describe, expect, it } from "vitest";
import { badgeText, BULK_KINDS, BULK_MAX, bulkKindOf, commonListHref, deadlineState, expenseNeedsOwnLook, isBulkKind, oldestFirst, parseSelection, selectionToken, SHOWN_PER_KIND, workGroups, workTotal, type WorkItem } from "./work";

const item = (id: string, since: string | null, extra: Partial<WorkItem> = {}): WorkItem => ({ id, ref: null, title: id, href: `/x/${id}`, since, ...extra });

describe("oldestFirst", () => {
  it("orders by when an item started waiting, unknown dates last, ties by reference then id", () => {
    const items = [item("c", null), item("b", "2026-03-02T00:00:00Z"), item("a", "2026-03-01T00:00:00Z"), item("e", "2026-03-02T00:00:00Z", { ref: "A-1" }), item("d", "2026-03-02T00:00:00Z")];
    expect(oldestFirst(items).map((i) => i.id)).toEqual(["a", "b", "d", "e", "c"]);
  });

  it("puts the nearest deadline first when items have deadlines", () => {
    const items = [item("late", "2026-01-01T00:00:00Z", { deadline: "2026-05-01T00:00:00Z" }), item("soon", "2026-02-01T00:00:00Z", { deadline: "2026-04-01T00:00:00Z" })];
    expect(oldestFirst(items).map((i) => i.id)).toEqual(["soon", "late"]);
  });

  it("does not change its input", () => {
    const items = [item("b", "2026-03-02T00:00:00Z"), item("a", "2026-03-01T00:00:00Z")];
    oldestFirst(items);
    expect(items.map((i) => i.id)).toEqual(["b", "a"]);
  });
});

describe("workGroups", () => {
  it("keeps kinds with something waiting, in the fixed order, with the oldest few and how many more", () => {
    const many = Array.from({ length: 8 }, (_, i) => item(`r${i}`, `2026-03-${String(10 - i).padStart(2, "0")}T00:00:00Z`));
    const groups = workGroups([
      { kind: "alertsOpen", count: 1, items: [item("al", "2026-01-01T00:00:00Z")], listHref: "/admin/dashboard#alerts" },
      { kind: "reportsToReview", count: 12, items: many, listHref: null },
      { kind: "objectionsOpen", count: 0, items: [], listHref: null },
    ]);
    expect(groups.map((g) => g.kind)).toEqual(["reportsToReview", "alertsOpen"]);
    expect(groups[0]!.items).toHaveLength(SHOWN_PER_KIND);
    expect(groups[0]!.items[0]!.id).toBe("r7");
    expect(groups[0]!.more).toBe(12 - SHOWN_PER_KIND);
    expect(groups[1]!.more).toBe(0);
  });

  it("merges a kind gathered twice", () => {
    const groups = workGroups([
      { kind: "giftsDisputed", count: 1, items: [item("a", "2026-03-02T00:00:00Z")], listHref: "/admin/foundations/a?status=DISPUTED" },
      { kind: "giftsDisputed", count: 2, items: [item("b", "2026-03-01T00:00:00Z"), item("c", "2026-03-03T00:00:00Z")], listHref: "/admin/foundations/b?status=DISPUTED" },
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 3, more: 0, listHref: "/admin/foundations/a?status=DISPUTED" });
    expect(groups[0]!.items.map((i) => i.id)).toEqual(["b", "a", "c"]);
  });

  it("is empty when nothing waits", () => {
    expect(workGroups([{ kind: "sheetsToScore", count: 0, items: [], listHref: "/judging" }])).toEqual([]);
  });
});

describe("counts", () => {
  it("adds the counts of every kind, ignoring missing and negative ones", () => {
    expect(workTotal({})).toBe(0);
    expect(workTotal({ reportsToReview: 2, sheetsToScore: 12, giftsHeld: -1 })).toBe(14);
  });

  it("writes large totals as 99+", () => {
    expect(badgeText(3)).toBe("3");
    expect(badgeText(99)).toBe("99");
    expect(badgeText(100)).toBe("99+");
  });
});

describe("deadlineState", () => {
  const now = new Date("2026-04-01T00:00:00Z");
  it("is past at or after the deadline, soon within three days, else later", () => {
    expect(deadlineState("2026-04-01T00:00:00Z", now)).toBe("past");
    expect(deadlineState("2026-04-03T23:00:00Z", now)).toBe("soon");
    expect(deadlineState(new Date("2026-04-04T00:00:00Z"), now)).toBe("soon");
    expect(deadlineState("2026-04-05T00:00:00Z", now)).toBe("later");
  });
});

describe("commonListHref", () => {
  it("links the one parent page when every item is under it, else the fallback", () => {
    expect(commonListHref(["/a", "/a"], 2, null)).toBe("/a");
    expect(commonListHref(["/a", "/b"], 2, "/all")).toBe("/all");
    expect(commonListHref(["/a"], 7, null)).toBeNull();
  });
});

describe("bulk approval rules", () => {
  it("offers expenses and reports, nothing that needs a second official or reasons", () => {
    expect(Object.values(BULK_KINDS).sort()).toEqual(["expensesToApprove", "reportsToReview"]);
    expect(bulkKindOf("releasesToApprove")).toBeNull();
    expect(bulkKindOf("adjustmentsToDecide")).toBeNull();
    expect(bulkKindOf("expensesToApprove")).toBe("expenses");
    expect(isBulkKind("reports")).toBe(true);
    expect(isBulkKind("releases")).toBe(false);
    expect(isBulkKind("toString")).toBe(false);
  });

  it("reads `id:version` tokens once each, refusing malformed ones and more than BULK_MAX", () => {
    expect(parseSelection([selectionToken("a1", 3), "b2:1", "a1:4"])).toEqual([{ id: "a1", version: 3 }, { id: "b2", version: 1 }]);
    expect(parseSelection(["a1"])).toBeNull();
    expect(parseSelection(["a1:x"])).toBeNull();
    expect(parseSelection(["a'1:1"])).toBeNull();
    expect(parseSelection([])).toEqual([]);
    expect(parseSelection(Array.from({ length: BULK_MAX + 1 }, (_, i) => `i${i}:1`))).toBeNull();
  });

  it("leaves a duplicate receipt or spending outside the budget to the expense's own page", () => {
    expect(expenseNeedsOwnLook({ duplicateReceipt: false, budgetLineId: "l1" })).toBeNull();
    expect(expenseNeedsOwnLook({ duplicateReceipt: true, budgetLineId: "l1" })).toBe("work.bulk.own.duplicate");
    expect(expenseNeedsOwnLook({ duplicateReceipt: false, budgetLineId: null })).toBe("work.bulk.own.offBudget");
  });
});
