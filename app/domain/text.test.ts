import { describe, expect, it } from "vitest";
import { plainText } from "./text";

describe("plainText", () => {
  it("removes bidi controls, so a reversed string cannot pass for 爱心人士", () => {
    expect(plainText("\u202e士人心爱")).toBe("士人心爱");
    expect(plainText("a\u2066b\u2069c\u200fd")).toBe("abcd");
  });

  it("removes zero-width characters and composes to NFC", () => {
    expect(plainText("王\u200b小\u200d明\ufeff")).toBe("王小明");
    expect(plainText("Cafe\u0301")).toBe("Café");
  });

  it("keeps ordinary text, line breaks and punctuation", () => {
    const text = "松枫社区（加装电梯）\n第 2 期 · ¥5,000";
    expect(plainText(text)).toBe(text);
  });
});
