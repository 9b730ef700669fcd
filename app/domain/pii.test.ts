import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeConsent, encodeConsent, isMainlandMobile, maskName, maskPhone, normalisePhone } from "./pii";

describe("maskPhone", () => {
  it("shows the first three and last four digits of a mobile number", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });
  it("never shows a short value in full", () => {
    expect(maskPhone("1234")).toBe("****");
    expect(maskPhone("")).toBe("****");
    expect(maskPhone("12345678")).toBe("12****78");
  });
  it("hides the middle four digits of every mainland mobile number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toHaveLength(11);
        expect(masked.slice(3, 7)).toBe("****");
        expect(masked.slice(0, 3) + masked.slice(7)).toBe(phone.slice(0, 3) + phone.slice(7));
        expect(masked).not.toBe(phone);
      }),
    );
  });
});

describe("maskName", () => {
  it.each([
    ["keeps only the first character", "张三丰", "张**"],
    ["keeps only the first character", "李四", "李*"],
    ["keeps only the first character", "欧阳娜娜", "欧***"],
    ["keeps only the first character", "John Smith", "J*********"],
    ["hides a one-character name entirely", "王", "*"],
    ["hides a one-character name entirely", "  ", "*"],
    ["counts characters outside the BMP as one", "𠮷野家", "𠮷**"],
  ])("%s: %s → %s", (_, name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe("normalisePhone", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["0086-13812345678", "13812345678"],
    ["8613812345678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["(138)12345678", "13812345678"],
  ])("%s → %s", (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });
  it.each(["", "12812345678", "1381234567", "138123456789", "021-12345678", "abcdefghijk", "+1 415 555 0100"])("refuses %s", (input) => {
    expect(normalisePhone(input)).toBeNull();
    expect(isMainlandMobile(input)).toBe(false);
  });
});

describe("consent note", () => {
  it("round-trips the method and the note", () => {
    expect(decodeConsent(encodeConsent("ORAL", " 入户时口头同意 "))).toEqual({ method: "ORAL", note: "入户时口头同意" });
    expect(decodeConsent(encodeConsent("WRITTEN", ""))).toEqual({ method: "WRITTEN", note: "" });
    expect(decodeConsent("something else")).toEqual({ method: null, note: "something else" });
  });
});
