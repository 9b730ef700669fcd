import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchFor, matchReturnFen, termsProblem, type MatchingCampaignTerms } from "./matching";

const terms: MatchingCampaignTerms = {
  ratioSponsor: 1,
  ratioDonor: 1,
  perDonationCapFen: 50_000,
  startsAt: new Date("2026-12-01T00:00:00+08:00"),
  endsAt: new Date("2027-01-01T00:00:00+08:00"),
};
const during = new Date("2026-12-15T12:00:00+08:00");

describe("matchFor", () => {
  it("matches 1:1 up to the per-donation cap", () => {
    expect(matchFor(terms, 20_000, 1_000_000, during)).toEqual({ matchedFen: 20_000, partial: false });
    expect(matchFor(terms, 80_000, 1_000_000, during)).toEqual({ matchedFen: 50_000, partial: false });
  });

  it("gives the last donation what is left of the pool (partial), then nothing", () => {
    expect(matchFor(terms, 20_000, 10_000, during)).toEqual({ matchedFen: 10_000, partial: true });
    expect(matchFor(terms, 20_000, 0, during)).toEqual({ matchedFen: 0, partial: false, reason: "poolEmpty" });
  });

  it("rounds the sponsor's share down to whole fen at other ratios", () => {
    expect(matchFor({ ...terms, ratioSponsor: 1, ratioDonor: 2, perDonationCapFen: null }, 333, 1_000_000, during)).toEqual({ matchedFen: 166, partial: false });
    expect(matchFor({ ...terms, ratioSponsor: 2, ratioDonor: 1, perDonationCapFen: null }, 10_000, 1_000_000, during)).toEqual({ matchedFen: 20_000, partial: false });
  });

  it("matches nothing outside the window (the end is exclusive) or for an ineligible gift", () => {
    expect(matchFor(terms, 20_000, 1_000_000, terms.endsAt)).toMatchObject({ matchedFen: 0, reason: "outsideWindow" });
    expect(matchFor(terms, 20_000, 1_000_000, new Date(terms.startsAt.getTime() - 1))).toMatchObject({ matchedFen: 0, reason: "outsideWindow" });
    expect(matchFor(terms, 20_000, 1_000_000, during, false)).toMatchObject({ matchedFen: 0, reason: "notEligible" });
  });

  it("never draws more than the pool, the cap or the ratio allows, and drains a pool exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.array(fc.integer({ min: 100, max: 10_000_000 }), { maxLength: 40 }),
        (ratioSponsor, ratioDonor, cap, pool, gifts) => {
          const t = { ...terms, ratioSponsor, ratioDonor, perDonationCapFen: cap };
          let left = pool;
          for (const gift of gifts) {
            const m = matchFor(t, gift, left, during);
            expect(Number.isInteger(m.matchedFen)).toBe(true);
            expect(m.matchedFen).toBeGreaterThanOrEqual(0);
            expect(m.matchedFen).toBeLessThanOrEqual(left);
            if (cap !== null) expect(m.matchedFen).toBeLessThanOrEqual(cap);
            expect(m.matchedFen * ratioDonor).toBeLessThanOrEqual(gift * ratioSponsor);
            left -= m.matchedFen;
          }
          expect(left).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe("termsProblem", () => {
  it("checks ratio, cap and window", () => {
    expect(termsProblem(terms)).toBeNull();
    expect(termsProblem({ ...terms, ratioDonor: 0 })).toBe("matching.error.ratio");
    expect(termsProblem({ ...terms, perDonationCapFen: 0 })).toBe("matching.error.cap");
    expect(termsProblem({ ...terms, endsAt: terms.startsAt })).toBe("matching.error.window");
  });
});

describe("matchReturnFen", () => {
  it("returns the whole match for a full refund and a share for a partial one", () => {
    expect(matchReturnFen(20_000, 20_000, 20_000, 0)).toBe(20_000);
    expect(matchReturnFen(10_000, 20_000, 5_000, 0)).toBe(2_500);
    // a second partial refund gives back only what is newly due
    expect(matchReturnFen(10_000, 20_000, 10_000, 2_500)).toBe(2_500);
    expect(matchReturnFen(0, 20_000, 20_000, 0)).toBe(0);
  });

  it("over any sequence of growing refunds gives back exactly the match in all, never more", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 6 }),
        (amount, matchRaw, steps) => {
          const matched = Math.min(matchRaw, amount);
          let reversed = 0;
          let returned = 0;
          for (const s of steps) {
            reversed = Math.min(amount, reversed + s);
            const r = matchReturnFen(matched, amount, reversed, returned);
            expect(r).toBeGreaterThanOrEqual(0);
            returned += r;
            expect(returned).toBeLessThanOrEqual(matched);
          }
          returned += matchReturnFen(matched, amount, amount, returned);
          expect(returned).toBe(matched);
        },
      ),
    );
  });
});
