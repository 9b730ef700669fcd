import { describe, expect, it } from "vitest";
import { publicMemo } from "./public-version.server";

describe("publicMemo", () => {
  const at = (ms: number) => new Date(ms);

  it("computes once per version and key, and again for a new version", async () => {
    let reads = 0;
    const memo = publicMemo(async (_now, key) => ({ value: `${key}:${++reads}`, until: Infinity }));
    expect(await memo.get("1", at(0), "a")).toBe("a:1");
    expect(await memo.get("1", at(5), "a")).toBe("a:1");
    expect(await memo.get("1", at(5), "b")).toBe("b:2");
    expect(await memo.get("2", at(5), "a")).toBe("a:3");
    // a new version forgets every key
    expect(await memo.get("2", at(5), "b")).toBe("b:4");
  });

  it("computes again once the clock reaches the value's own end", async () => {
    let reads = 0;
    const memo = publicMemo(async (now) => ({ value: ++reads, until: now.getTime() + 100 }));
    expect(await memo.get("1", at(1_000))).toBe(1);
    expect(await memo.get("1", at(1_099))).toBe(1);
    expect(await memo.get("1", at(1_100))).toBe(2);
  });

  it("shares one computation between requests that arrive during it, and keeps no failure", async () => {
    let reads = 0;
    let fail = true;
    const memo = publicMemo(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 1));
      if (fail) throw new Error("database gone");
      return { value: reads, until: Infinity };
    });
    const both = await Promise.allSettled([memo.get("1"), memo.get("1")]);
    expect(both.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(reads).toBe(1);
    fail = false;
    expect(await memo.get("1")).toBe(2);
  });
});
