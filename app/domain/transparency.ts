/**
 * The transparency portal: the gift lookup form and the share estimate of a gift to a
 * foundation's general funds. Pure; shared by the browser and the server.
 */
import { z } from "zod";

/** A gift's public reference: "G-" and 8 characters without 0/O/1/I (domain/donations.ts donationRef). */
export const GIFT_REF = /^G-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/;
/** A receipt number: the foundation's prefix, the year, the sequence (domain/donations.ts receiptNumber). */
export const RECEIPT_NO = /^[A-Z0-9]{1,8}-\d{4}-\d{6,}$/;
/** Either, as typed (any case, surrounding spaces): what the lookup form accepts. */
const LOOKUP = /^\s*(?:[Gg]-[23456789A-HJ-NP-Za-hj-np-z]{8}|[A-Za-z0-9]{1,8}-\d{4}-\d{6,})\s*$/;

/** What was typed, as the stored references are spelled: full-width characters folded, trimmed, upper case. */
export function normalizeGiftLookup(input: string): string {
  return input.normalize("NFKC").trim().toUpperCase();
}

/** True for a gift reference or a receipt number (after normalising). */
export function isGiftLookup(input: string): boolean {
  const s = normalizeGiftLookup(input);
  return GIFT_REF.test(s) || RECEIPT_NO.test(s);
}

/** The lookup form of /transparency. The server normalises the value before looking it up. */
export const GiftLookupSchema = z.object({
  ref: z
    .string({ error: "transparency.lookup.required" })
    .trim()
    .min(1, "transparency.lookup.required")
    .max(40, "transparency.lookup.format")
    .refine((v) => LOOKUP.test(v.normalize("NFKC")), "transparency.lookup.format"),
});

/**
 * A gift to a foundation's general funds is pooled with every other yuan there, so where it went
 * can only be estimated. The estimate: the money that was in the general funds when the gift
 * arrived (the gift included) plus every yuan that came in since is the pot everything spent
 * since then came out of; the gift is `giftFen / potFen` of it, and is counted as that share of
 * each movement out of the general funds since. The estimates of all movements never add up to
 * more than the gift (nothing can leave the funds that was not in the pot).
 */
export function shareEstimate(giftFen: number, potFen: number) {
  const pot = Math.max(potFen, giftFen, 0);
  const gift = Math.max(giftFen, 0);
  return {
    potFen: pot,
    /** the share in millionths (1,000,000 = all of it), not rounded */
    ppm: pot > 0 ? (gift * 1_000_000) / pot : 0,
    /** the gift's estimated part of `movedFen`, rounded down to the fen */
    of: (movedFen: number) => (pot > 0 && movedFen > 0 ? Number((BigInt(movedFen) * BigInt(gift)) / BigInt(pot)) : 0),
  };
}

/** A share in millionths as a percentage for reading: "12.5%", "0.0042%", "<0.0001%". */
export function formatShare(ppm: number): string {
  if (ppm <= 0) return "0%";
  if (ppm >= 1_000_000) return "100%";
  const percent = ppm / 10_000;
  if (percent < 0.0001) return "<0.0001%";
  const digits = percent >= 1 ? 2 : 4;
  return `${Number(percent.toFixed(digits))}%`;
}
