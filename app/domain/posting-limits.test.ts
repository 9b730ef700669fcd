import { describe, expect, it } from "vitest";
import { POOL_POSTING_MAX_FEN, postingAmount, postingMessage } from "./posting-limits";

describe("postingAmount: a pool posting's amount within sane bounds", () => {
  it("reads yuan as fen up to the cap", () => {
    expect(postingAmount("20000")).toEqual({ ok: true, fen: 2_000_000 });
    expect(postingAmount("¥12,000.50")).toEqual({ ok: true, fen: 1_200_050 });
    expect(postingAmount("5000000")).toEqual({ ok: true, fen: POOL_POSTING_MAX_FEN });
  });

  it("refuses what is above the cap, however large", () => {
    expect(postingAmount("5000000.01")).toEqual({ ok: false, problem: "aboveCap" });
    expect(postingAmount("50000000")).toEqual({ ok: false, problem: "aboveCap" });
    expect(postingAmount("9".repeat(30))).toEqual({ ok: false, problem: "aboveCap" });
    expect(postingAmount("200", 10_000)).toEqual({ ok: false, problem: "aboveCap" });
  });

  it("says a word that is not a number is not a number, not that it is too small", () => {
    expect(postingAmount("abc")).toEqual({ ok: false, problem: "format" });
    expect(postingAmount("")).toEqual({ ok: false, problem: "required" });
    expect(postingAmount(undefined)).toEqual({ ok: false, problem: "required" });
    expect(postingAmount("0")).toEqual({ ok: false, problem: "zero" });
    expect(postingAmount("-5")).toEqual({ ok: false, problem: "negative" });
    expect(postingAmount("1.234")).toEqual({ ok: false, problem: "decimals" });
  });

  it("names each problem's message", () => {
    expect(postingMessage("aboveCap")).toBe("posting.amount.aboveCap");
  });
});
