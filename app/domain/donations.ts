/**
 * Giving: the donation form's rules, shared by the browser and the server, and the
 * receipt numbers. Pure.
 */
import { z } from "zod";
import { parseMoney, type MoneyProblem } from "./money";
import { plainText } from "./text";

/** ¥1 to ¥100,000 per gift (PRODUCT.md "Money"). */
export const MIN_DONATION_FEN = 100;
export const MAX_DONATION_FEN = 10_000_000;
/** The amount buttons of the donation page, fen. */
export const DONATION_PRESETS_FEN = [2_000, 5_000, 10_000, 20_000, 50_000, 100_000] as const;
/** How an anonymous donor is shown everywhere public (donor wall, campaign, receipts list). */
export const ANONYMOUS_NAME_ZH = "爱心人士";
export const ANONYMOUS_NAME_EN = "A kind donor";
export const DONOR_NAME_MAX = 40;
export const MESSAGE_MAX = 200;

export type PaymentMethod = "card" | "alipay" | "wechat_pay";
export const ONE_TIME_METHODS: readonly PaymentMethod[] = ["card", "alipay", "wechat_pay"];
/** Monthly giving is a Stripe subscription: cards only (Alipay and WeChat Pay are one-time in Stripe). */
export const MONTHLY_METHODS: readonly PaymentMethod[] = ["card"];

export type AmountProblem = MoneyProblem | "tooSmall";

/** The typed amount as fen within the limits, or why not (message key suffix under `donation.amount.`). */
export function donationAmount(input: string): { ok: true; fen: number } | { ok: false; problem: AmountProblem } {
  const parsed = parseMoney(input, MAX_DONATION_FEN);
  if (!parsed.ok) return parsed;
  if (parsed.fen < MIN_DONATION_FEN) return { ok: false, problem: "tooSmall" };
  return parsed;
}

/**
 * Whether a name would pass for the anonymous label (爱心人士 / A kind donor) once shown: the same
 * text after the invisible characters, spaces and letter case are set aside.
 */
export function impersonatesAnonymous(name: string): boolean {
  const bare = plainText(name).replace(/\s+/g, "").toLowerCase();
  return bare === ANONYMOUS_NAME_ZH || bare === ANONYMOUS_NAME_EN.replace(/\s+/g, "").toLowerCase();
}

/**
 * The name a donation is shown under publicly: the given name only when the donor consented to be
 * named publicly (`anonymous` is false only then: it is derived from the PUBLIC_NAMING consent),
 * otherwise 爱心人士 (in an English page "A kind donor").
 */
export function publicDonorName(d: { anonymous: boolean; displayName: string | null | undefined }, locale: "zh-CN" | "en" = "zh-CN"): string {
  const name = d.displayName?.trim();
  if (d.anonymous || !name) return locale === "zh-CN" ? ANONYMOUS_NAME_ZH : ANONYMOUS_NAME_EN;
  return name;
}

/**
 * What of a gift's donor may leave the server for a public page or open data: the name and the
 * message only with the consent to be named publicly; otherwise neither (shown as 爱心人士).
 */
export function publicDonor(d: { anonymous: boolean; donorName: string | null | undefined; message: string | null | undefined }): { name: string | null; message: string | null } {
  if (d.anonymous) return { name: null, message: null };
  return { name: d.donorName?.trim() || null, message: d.message?.trim() || null };
}

/** The name on the donor's own receipt (private): the name they gave, whether or not it is public. */
export function receiptDonorName(d: { donorName: string | null | undefined }, locale: "zh-CN" | "en" = "zh-CN"): string {
  return d.donorName?.trim() || (locale === "zh-CN" ? ANONYMOUS_NAME_ZH : ANONYMOUS_NAME_EN);
}

/**
 * A receipt number, per foundation per year without gaps: "DH-2026-000042" (the foundation's
 * receipt prefix, the year in Asia/Shanghai, the sequence taken from a counter row locked in the
 * donation's transaction).
 */
export function receiptNumber(prefix: string, year: number, seq: number): string {
  if (!/^[A-Z0-9]{1,8}$/.test(prefix)) throw new RangeError(`invalid receipt prefix: ${prefix}`);
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`invalid year: ${year}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`invalid sequence: ${seq}`);
  return `${prefix}-${year}-${String(seq).padStart(6, "0")}`;
}

/** The calendar year of an instant in Asia/Shanghai (receipts of 31 December 23:30 belong to that year). */
const SHANGHAI_YEAR = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric" });
export function shanghaiYear(at: Date): number {
  // one formatter for every call: building one costs far more than formatting
  return Number(SHANGHAI_YEAR.format(at));
}


/**
 * The donation form (browser and server). `amount` is typed in yuan ("200" or "200.50"); a
 * preset button fills it. Earmark and campaign are ids carried from the page the donor came from.
 */
export const DonationFormSchema = z
  .object({
    amount: z.string({ error: "donation.amount.required" }).trim().min(1, "donation.amount.required"),
    frequency: z.enum(["ONCE", "MONTHLY"], { error: "donation.error.frequency" }).default("ONCE"),
    method: z.enum(["card", "alipay", "wechat_pay"], { error: "donation.error.method" }),
    donorName: z.string().trim().max(DONOR_NAME_MAX, "donation.error.nameLong").optional(),
    message: z.string().trim().max(MESSAGE_MAX, "donation.error.messageLong").optional(),
    email: z.email({ error: "donation.error.email" }).trim(),
    roundId: z.string().optional(),
    projectId: z.string().optional(),
    campaignId: z.string().optional(),
    /** required: the privacy terms of the gift (recorded as a DONATION_PRIVACY consent) */
    consent: z.literal("on", { error: "donation.error.consent" }),
    /** optional, unticked by default: name and message on the donor wall and in open data (PUBLIC_NAMING) */
    publicNaming: z.literal("on").optional(),
  })
  .superRefine((v, ctx) => {
    const amount = donationAmount(v.amount);
    if (!amount.ok) ctx.addIssue({ code: "custom", path: ["amount"], message: `donation.amount.${amount.problem}` });
    if (v.frequency === "MONTHLY" && !MONTHLY_METHODS.includes(v.method)) {
      ctx.addIssue({ code: "custom", path: ["method"], message: "donation.error.monthlyCardOnly" });
    }
    // the name is for the receipt; to be named publicly there must be one, and not the anonymous label
    if (v.publicNaming && !v.donorName) ctx.addIssue({ code: "custom", path: ["donorName"], message: "donation.error.nameForNaming" });
    if (v.publicNaming && v.donorName && impersonatesAnonymous(v.donorName)) {
      ctx.addIssue({ code: "custom", path: ["donorName"], message: "donation.error.nameIsAnonymousLabel" });
    }
  });
export type DonationFormInput = z.output<typeof DonationFormSchema>;

/** A manager's refund: amount in yuan (at most what is left), and a reason. */
export const RefundFormSchema = z.object({
  amount: z.string({ error: "refund.amount.required" }).trim().min(1, "refund.amount.required"),
  reason: z.string({ error: "refund.error.reason" }).trim().min(2, "refund.error.reason").max(200, "refund.error.reasonLong"),
});

/** The public reference of a gift, e.g. "G-7K2M9Q4T" (no 0/O/1/I to misread). */
export function donationRef(random: Uint8Array): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  let out = "";
  for (let i = 0; i < 8; i++) out += alphabet[random[i]! % alphabet.length];
  return `G-${out}`;
}

/** Every donation status, in the order lists and filters show them. */
export const DONATION_STATUSES = ["PENDING", "PROCESSING", "SUCCEEDED", "FAILED", "PARTIALLY_REFUNDED", "REFUNDED", "DISPUTED", "HELD"] as const;
/**
 * Gifts on the donor walls: paid and not (wholly) taken back. The database's running totals of
 * gifts (DonationTotal, kept by a trigger: docs/decisions/023) count the same statuses, and
 * `ledger:verify` compares the two.
 */
export const WALL_STATUSES = ["SUCCEEDED", "PARTIALLY_REFUNDED"] as const satisfies readonly (typeof DONATION_STATUSES)[number][];
/**
 * Gifts whose money arrived and was booked in the ledger (a DONATION posting): what a headline
 * total of gifts counts. Checkouts never finished (PENDING), still processing, failed or held
 * for a mismatch were never booked and are no gift in any total.
 */
export const PAID_STATUSES = ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED", "DISPUTED"] as const satisfies readonly (typeof DONATION_STATUSES)[number][];
/** Page sizes of the manager's donation list. */
export const MANAGER_PAGE_SIZES = [20, 50, 100] as const;
