import { describe, expect, it } from "vitest";
import { checkShowcase, PHOTOS_MAX, withdrawReason } from "./showcase";

const input = { storyZh: " 故事 ", storyEn: "", outcomesZh: "成效", outcomesEn: "", photoIds: ["a"] };
const closed = { status: "CLOSED", photoIds: ["a", "b"] };

describe("a showcase case", () => {
  it("is a closed project's, with a Chinese story and outcomes, kept trimmed", () => {
    expect(checkShowcase(input, closed)).toEqual({ ok: true, value: { storyZh: "故事", storyEn: null, outcomesZh: "成效", outcomesEn: null, photoIds: ["a"] } });
    expect(checkShowcase(input, { ...closed, status: "ACTIVE" })).toEqual({ ok: false, problems: { project: "showcase.notClosed" } });
    expect(checkShowcase({ ...input, storyZh: "  ", outcomesZh: "" }, closed)).toEqual({ ok: false, problems: { storyZh: "showcase.storyRequired", outcomesZh: "showcase.outcomesRequired" } });
  });

  it("has its English story and outcomes together or not at all", () => {
    expect(checkShowcase({ ...input, storyEn: "Story" }, closed)).toEqual({ ok: false, problems: { outcomesEn: "showcase.englishPair" } });
    expect(checkShowcase({ ...input, storyEn: "Story", outcomesEn: "Outcomes" }, closed)).toMatchObject({ ok: true, value: { storyEn: "Story", outcomesEn: "Outcomes" } });
  });

  it("shows only photos of the project's approved reports, a few at most", () => {
    expect(checkShowcase({ ...input, photoIds: ["a", "z"] }, closed)).toEqual({ ok: false, problems: { photoIds: "showcase.photoUnknown" } });
    const many = Array.from({ length: PHOTOS_MAX + 1 }, (_, i) => `p${i}`);
    expect(checkShowcase({ ...input, photoIds: many }, { ...closed, photoIds: many })).toEqual({ ok: false, problems: { photoIds: "showcase.photosMany" } });
  });

  it("is withdrawn with a reason", () => {
    expect(withdrawReason("  不再适合展示 ")).toBe("不再适合展示");
    expect(withdrawReason("   ")).toBeNull();
    expect(withdrawReason("字".repeat(501))).toBeNull();
  });
});
