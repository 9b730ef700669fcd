import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { donationRef, receiptNumber } from "./donations";
import { formatShare, GiftLookupSchema, isGiftLookup, normalizeGiftLookup, shareEstimate } from "./transparency";

describe("gift lookup", () => {
  it("accepts gift references and receipt numbers as people type them", () => {
    expect(normalizeGiftLookup(" g-7k2m9q4t ")).toBe("G-7K2M9Q4T");
    expect(normalizeGiftLookup("ＤＨ－２０２６－００００４２")).toBe("DH-2026-000042");
    for (const ok of ["G-7K2M9Q4T", "g-7k2m9q4t", "DH-2026-000042", "dh-2026-000042", "TABC123-2027-1234567", donationRef(new Uint8Array(8).fill(7)), receiptNumber("CF", 2026, 1)]) {
      expect(isGiftLookup(ok), ok).toBe(true);
      expect(GiftLookupSchema.safeParse({ ref: ok }).success, ok).toBe(true);
    }
  });

  it("refuses anything else with a message key", () => {
    for (const bad of ["G-7K2M9Q4", "G-0OOOOOOO", "G-7K2M9Q4T1", "DH-26-000042", "DH-2026-42", "<script>", "G-7K2M9Q4T; DROP"]) {
      expect(isGiftLookup(bad), bad).toBe(false);
      const r = GiftLookupSchema.safeParse({ ref: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.message).toBe("transparency.lookup.format");
    }
    expect(GiftLookupSchema.safeParse({ ref: "  " }).error!.issues[0]!.message).toBe("transparency.lookup.required");
    expect(GiftLookupSchema.safeParse({}).error!.issues[0]!.message).toBe("transparency.lookup.required");
  });
});

describe("share estimate of a gift to the general funds", () => {
  it("is the gift over the pot, and counts that share of each movement", () => {
    const s = shareEstimate(20_000, 1_000_000);
    expect(s.ppm).toBe(20_000);
    expect(formatShare(s.ppm)).toBe("2%");
    expect(s.of(500_000)).toBe(10_000);
    expect(s.of(0)).toBe(0);
    expect(shareEstimate(100, 300).of(100)).toBe(33); // rounded down
  });

  it("never counts more than the gift, whatever moved out of a pot of that size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 20 }),
        (gift, others, weights) => {
          const pot = gift + others;
          const s = shareEstimate(gift, pot);
          // split at most the whole pot between the movements
          const sum = weights.reduce((a, b) => a + b, 0) || 1;
          const moved = weights.map((w) => Math.floor((pot * w) / sum));
          const counted = moved.reduce((a, m) => a + s.of(m), 0);
          return counted <= gift && s.ppm > 0 && s.ppm <= 1_000_000;
        },
      ),
    );
  });

  it("treats a pot smaller than the gift (it cannot be) as the gift itself", () => {
    expect(shareEstimate(5_000, 0)).toMatchObject({ potFen: 5_000, ppm: 1_000_000 });
    expect(shareEstimate(0, 0).of(100)).toBe(0);
  });

  it("reads as a percentage, small shares too", () => {
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(1_000_000)).toBe("100%");
    expect(formatShare(125_000)).toBe("12.5%");
    expect(formatShare(42)).toBe("0.0042%");
    expect(formatShare(0.5)).toBe("<0.0001%");
    expect(formatShare(12_345)).toBe("1.23%");
  });
});
