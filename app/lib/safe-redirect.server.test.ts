import { describe, expect, it } from "vitest";
import { safeRedirect } from "./session.server";

describe("safeRedirect: only paths on this site", () => {
  it("keeps paths, queries and fragments of this site", () => {
    expect(safeRedirect("/needs/12?sort=new#votes")).toBe("/needs/12?sort=new#votes");
    expect(safeRedirect("/projects/JN6-0002/expenses")).toBe("/projects/JN6-0002/expenses");
    expect(safeRedirect("/%E9%9C%80%E6%B1%82")).toBe("/%E9%9C%80%E6%B1%82");
  });

  it("refuses everything a browser would take off the site", () => {
    for (const evil of [
      "//evil.example",
      "/\t/evil.example",
      "/%09/evil.example".replace("%09", "\t"),
      "/\n/evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      " /x",
      "",
    ]) {
      expect(safeRedirect(evil, "/home"), JSON.stringify(evil)).toBe("/home");
    }
    expect(safeRedirect(null)).toBe("/");
  });

  it("keeps an encoded tab as the harmless path it is (the browser does not decode it into the host)", () => {
    const kept = safeRedirect("/%09/evil.example");
    expect(new URL(kept, "http://localhost:3000").origin).toBe("http://localhost:3000");
  });
});
