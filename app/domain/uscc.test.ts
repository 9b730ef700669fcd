import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isValidUscc, normalizeUscc, usccCheckChar, usccProblem } from "./uscc";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

describe("USCC (统一社会信用代码)", () => {
  it("accepts published real codes", () => {
    // Alibaba (China) Co., Ltd. and Tencent (Shenzhen): publicly listed on their licences
    expect(isValidUscc("91330100799655058B")).toBe(true);
    expect(isValidUscc("9144030071526726XG")).toBe(true);
  });

  it("rejects a wrong check character", () => {
    expect(usccProblem("91330100799655058C")).toBe("checksum");
  });

  it("explains length and character problems", () => {
    expect(usccProblem("9133010079965505")).toBe("length");
    expect(usccProblem("91330100799655058I")).toBe("characters");
  });

  it("normalises spaces, hyphens and lower case as typed", () => {
    expect(normalizeUscc(" 9133 0100-799655058b ")).toBe("91330100799655058B");
    expect(isValidUscc("91330100799655058b")).toBe(true);
  });

  it("any 17 characters plus their check character is valid, and any other last character is not", () => {
    const char = fc.constantFrom(...ALPHABET.split(""));
    fc.assert(
      fc.property(fc.array(char, { minLength: 17, maxLength: 17 }), char, (chars, other) => {
        const first17 = chars.join("");
        const check = usccCheckChar(first17)!;
        expect(isValidUscc(first17 + check)).toBe(true);
        if (other !== check) expect(isValidUscc(first17 + other)).toBe(false);
      }),
    );
  });
});
