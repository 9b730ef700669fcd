import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawSample, sampleSizeFor, seedHash } from "./sampling";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `b${String(i).padStart(4, "0")}`);

describe("call-back sampling", () => {
  it("is reproducible from its seed and independent of the input order", () => {
    const a = drawSample(ids(100), 10, "project-1:2026-03");
    expect(drawSample(ids(100), 10, "project-1:2026-03")).toEqual(a);
    expect(drawSample([...ids(100)].reverse(), 10, "project-1:2026-03")).toEqual(a);
    expect(drawSample(ids(100), 10, "project-1:2026-04")).not.toEqual(a);
  });

  it("draws distinct members of the list, as many as asked or all of them", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }), fc.integer({ min: 0, max: 80 }), fc.string(), (list, size, seed) => {
        const sample = drawSample(list, size, seed);
        expect(sample.length).toBe(Math.min(size, new Set(list).size));
        expect(new Set(sample).size).toBe(sample.length);
        for (const id of sample) expect(list).toContain(id);
      }),
    );
  });

  it("gives every beneficiary a fair chance (each of 10 drawn about 30% of the time for samples of 3)", () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 3000; s++) for (const id of drawSample(ids(10), 3, `seed-${s}`)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of ids(10)) expect(counts.get(id)! / 3000).toBeGreaterThan(0.25);
    for (const id of ids(10)) expect(counts.get(id)! / 3000).toBeLessThan(0.35);
  });

  it("sizes samples so an area reaches its monthly target", () => {
    expect(sampleSizeFor(50)).toBe(5);
    expect(sampleSizeFor(300)).toBe(1);
    expect(sampleSizeFor(0)).toBe(0);
    expect(seedHash("a")).not.toBe(seedHash("b"));
    expect(() => drawSample(ids(3), -1, "x")).toThrow(RangeError);
  });
});
