/**
 * Setting up the money of an area without the seed: a new foundation (社区基金), a government
 * appropriation (财政拨款) booked into one, and a budget line (预算科目) a round's pool may come
 * from directly. The forms' rules, shared by the browser and the server; every problem is found in
 * one pass, each next to its field.
 */
import { z } from "zod";
import { postingAmount, postingMessage, APPROPRIATION_POSTING_MAX_FEN } from "./posting-limits";

/** A foundation's address part: /foundations/<slug>. "new" is the create page's own address. */
export const FOUNDATION_SLUG = /^[a-z0-9][a-z0-9-]{2,47}$/;
const RESERVED_SLUGS: ReadonlySet<string> = new Set(["new"]);

/**
 * A receipt prefix as receiptNumber (domain/donations.ts) and the transparency lookup accept it:
 * one to eight capital letters or digits. Typed in any case, stored in capitals.
 */
export const RECEIPT_PREFIX = /^[A-Z0-9]{1,8}$/;

/** A document number (文号) or budget line (预算科目): free text as the finance office writes it, e.g. 平财预〔2026〕12号. */
const documentNo = (required: string) =>
  z
    .string({ error: required })
    .trim()
    .min(2, required)
    .max(60, "funds.documentNo.long");

/**
 * The new-foundation form. The public-fundraising filing (公开募捐备案编号) is either given, with
 * the entity that holds it, or explicitly declared absent ("none"): a foundation without one can
 * only run directed (定向) campaigns, and that must be a choice, not a forgotten field.
 */
export const FoundationFormSchema = z
  .object({
    slug: z
      .string({ error: "funds.slug.invalid" })
      .trim()
      .toLowerCase()
      .regex(FOUNDATION_SLUG, "funds.slug.invalid")
      .refine((s) => !RESERVED_SLUGS.has(s), "funds.slug.reserved"),
    nameZh: z.string({ error: "funds.nameZh.required" }).trim().min(2, "funds.nameZh.required").max(60, "funds.name.long"),
    nameEn: z.string().trim().max(120, "funds.name.long").optional(),
    descriptionZh: z.string().trim().max(2000, "funds.description.long").optional(),
    descriptionEn: z.string().trim().max(4000, "funds.description.long").optional(),
    areaId: z.string({ error: "funds.area.required" }).trim().min(1, "funds.area.required"),
    filing: z.enum(["filed", "none"], { error: "funds.filing.choose" }),
    fundraisingFilingNo: z.string().trim().max(60, "funds.filingNo.long").optional(),
    fundraisingEntity: z.string().trim().max(80, "funds.entity.long").optional(),
    receiptPrefix: z
      .string({ error: "funds.prefix.invalid" })
      .trim()
      .toUpperCase()
      .regex(RECEIPT_PREFIX, "funds.prefix.invalid"),
  })
  .superRefine((v, ctx) => {
    if (v.filing === "filed") {
      if (!v.fundraisingFilingNo || v.fundraisingFilingNo.length < 4) ctx.addIssue({ code: "custom", path: ["fundraisingFilingNo"], message: "funds.filingNo.required" });
      if (!v.fundraisingEntity || v.fundraisingEntity.length < 2) ctx.addIssue({ code: "custom", path: ["fundraisingEntity"], message: "funds.entity.required" });
    } else if (v.fundraisingFilingNo) {
      ctx.addIssue({ code: "custom", path: ["fundraisingFilingNo"], message: "funds.filingNo.withNone" });
    }
  });
export type FoundationFormInput = z.infer<typeof FoundationFormSchema>;

/** The columns of a new foundation from its form: no English name → the Chinese one stands in; "none" stores no filing. */
export function foundationData(v: FoundationFormInput) {
  const filed = v.filing === "filed";
  return {
    slug: v.slug,
    nameZh: v.nameZh,
    nameEn: v.nameEn || v.nameZh,
    descriptionZh: v.descriptionZh ?? "",
    descriptionEn: v.descriptionEn ?? "",
    areaId: v.areaId,
    fundraisingFilingNo: filed ? v.fundraisingFilingNo! : null,
    fundraisingEntity: filed ? v.fundraisingEntity! : null,
    receiptPrefix: v.receiptPrefix,
  };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a typed Shanghai day begins ("2026-03-01" → 2026-02-28T16:00Z); null when it is no real day. */
export function shanghaiDayStart(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null;
  return new Date(utc.getTime() - 8 * 3600_000);
}

/** Today in Asia/Shanghai as "YYYY-MM-DD". */
export const shanghaiToday = (now: Date = new Date()) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The earliest effective date accepted: older money belongs in the opening balance, not a form. */
export const APPROPRIATION_EARLIEST_DAY = "2000-01-01";

/**
 * Why an appropriation's effective date (a Shanghai day) cannot be booked, or null: it must be a
 * real day, not after today (money is booked when the appropriation has taken effect) and not
 * before APPROPRIATION_EARLIEST_DAY.
 */
export function effectiveDayProblem(day: string, now: Date = new Date()): "funds.date.invalid" | "funds.date.future" | null {
  if (!shanghaiDayStart(day) || day < APPROPRIATION_EARLIEST_DAY) return "funds.date.invalid";
  if (day > shanghaiToday(now)) return "funds.date.future";
  return null;
}

const REQUEST_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The record-appropriation form: yuan (within APPROPRIATION_POSTING_MAX_FEN), the 文号, the
 * effective day, and the request key of the page view, which makes a resubmitted form post once.
 * `confirmed` is set by the confirmation's button for a large amount (appropriationNeedsConfirm).
 */
export const AppropriationFormSchema = z.object({
  amount: z
    .string({ error: "posting.amount.required" })
    .trim()
    .superRefine((value, ctx) => {
      const amount = postingAmount(value, APPROPRIATION_POSTING_MAX_FEN);
      if (!amount.ok) ctx.addIssue({ code: "custom", message: amount.problem === "aboveCap" ? "funds.amount.aboveCap" : postingMessage(amount.problem) });
    }),
  documentNo: documentNo("funds.documentNo.required"),
  occurredOn: z
    .string({ error: "funds.date.invalid" })
    .trim()
    .superRefine((value, ctx) => {
      const problem = effectiveDayProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  requestKey: z.string({ error: "validation.invalid" }).regex(REQUEST_KEY, "validation.invalid"),
  confirmed: z.literal("yes").optional(),
});
export type AppropriationFormInput = z.infer<typeof AppropriationFormSchema>;

/** The 预算科目 a round's pool may come from directly; blank = the pool comes from the foundation. */
export const BudgetLineSchema = z
  .string()
  .trim()
  .max(60, "funds.documentNo.long")
  .refine((s) => s === "" || s.length >= 2, "funds.budgetLine.short")
  .optional();

/** A budget line's ledger account source: one EXTERNAL_APPROPRIATION account per area and 文号. */
export const budgetLineSource = (areaId: string, budgetLineNo: string) => `budget:${areaId}:${budgetLineNo}`;

/** An area's finance office as the source of appropriations into its foundations. */
export const areaFinanceSource = (areaId: string) => `area:${areaId}`;
