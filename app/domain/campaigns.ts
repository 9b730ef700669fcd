/**
 * The matching-campaign form (配捐活动), shared by the browser and the server. Amounts in yuan,
 * times as local Asia/Shanghai "YYYY-MM-DDTHH:mm" (datetime-local inputs).
 */
import { z } from "zod";
import { moneyMessage, parseMoney } from "./money";
import { postingAmount, postingMessage } from "./posting-limits";

export const CAMPAIGN_SLUG = /^[a-z0-9][a-z0-9-]{2,47}$/;

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The most matched per gift a campaign may set: a gift's own limit, ¥100,000. */
export const CAMPAIGN_CAP_MAX_FEN = 10_000_000;

/**
 * The campaign form. Every problem is found in one pass, each next to its field: the amounts
 * (pool within POOL_POSTING_MAX_FEN, "abc" is not a number) on their fields, the window across
 * them, not one by one after the fields. The sponsor's kind has no default: the manager chooses it, as it
 * decides which account funds the pool (government appropriation or company). The English title
 * is optional (the Chinese one stands in for it).
 */
const CampaignFields = z.object({
  slug: z.string({ error: "campaign.error.slug" }).trim().regex(CAMPAIGN_SLUG, "campaign.error.slug"),
  titleZh: z.string({ error: "validation.required" }).trim().min(2, "validation.required").max(80, "campaign.error.titleLong"),
  titleEn: z.string().trim().max(120, "campaign.error.titleLong").optional(),
  descriptionZh: z.string().trim().max(2000, "campaign.error.descriptionLong").optional(),
  descriptionEn: z.string().trim().max(4000, "campaign.error.descriptionLong").optional(),
  sponsorName: z.string({ error: "campaign.error.sponsor" }).trim().min(2, "campaign.error.sponsor").max(80, "campaign.error.sponsor"),
  sponsorKind: z.enum(["GOVERNMENT", "COMPANY"], { error: "campaign.error.sponsorKind" }),
  ratioSponsor: z.coerce.number({ error: "matching.error.ratio" }).int("matching.error.ratio").min(1, "matching.error.ratio").max(100, "matching.error.ratio"),
  ratioDonor: z.coerce.number({ error: "matching.error.ratio" }).int("matching.error.ratio").min(1, "matching.error.ratio").max(100, "matching.error.ratio"),
  /** yuan; empty = no cap */
  perDonationCap: z
    .string()
    .trim()
    .optional()
    .superRefine((value, ctx) => {
      if (!value) return;
      const cap = parseMoney(value, CAMPAIGN_CAP_MAX_FEN);
      if (!cap.ok) ctx.addIssue({ code: "custom", message: cap.problem === "tooLarge" ? "campaign.error.capTooLarge" : moneyMessage(cap.problem) });
      else if (cap.fen <= 0) ctx.addIssue({ code: "custom", message: "matching.error.cap" });
    }),
  /** yuan put into the pool now */
  pool: z
    .string()
    .trim()
    .optional()
    .superRefine((value, ctx) => {
      const pool = postingAmount(value);
      if (!pool.ok) ctx.addIssue({ code: "custom", message: postingMessage(pool.problem) });
    }),
  startsAt: z.string({ error: "matching.error.window" }).regex(LOCAL_TIME, "matching.error.window"),
  endsAt: z.string({ error: "matching.error.window" }).regex(LOCAL_TIME, "matching.error.window"),
  /** project reference numbers (JN6-0003), comma or space separated; empty = every gift to the foundation */
  eligibleProjects: z.string().trim().optional(),
});

/**
 * The check across fields of the campaign form: the window. It runs whatever else is wrong with
 * the form (`when`), so every problem is said in one answer.
 */
function withCampaignChecks<S extends z.ZodType>(schema: S): S {
  return schema.refine(
    (v) => {
      const { startsAt, endsAt } = v as { startsAt: string; endsAt: string };
      const from = shanghaiLocalToDate(startsAt);
      const to = shanghaiLocalToDate(endsAt);
      return !from || !to || to > from;
    },
    {
      path: ["endsAt"],
      message: "matching.error.window",
      when: ({ value }) => {
        const v = value as { startsAt?: unknown; endsAt?: unknown } | null;
        return typeof v?.startsAt === "string" && typeof v.endsAt === "string";
      },
    },
  ) as S;
}

export const CampaignFormSchema = withCampaignChecks(CampaignFields);

/**
 * The form's two steps, one Conform form: "review" checks everything and asks for the
 * confirmation (funding a pool cannot be taken back); "create" — the confirmation's button —
 * creates the campaign and books its pool. Review's button comes first in the form, so Enter in a
 * field reviews and never books.
 */
export const CampaignIntents = z.discriminatedUnion("intent", [
  withCampaignChecks(CampaignFields.extend({ intent: z.literal("review") })),
  withCampaignChecks(CampaignFields.extend({ intent: z.literal("create") })),
]);

export type CampaignFormInput = z.output<typeof CampaignFormSchema>;

/** A datetime-local value read as Asia/Shanghai wall time (UTC+8, no daylight saving). */
export function shanghaiLocalToDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The campaign's state at `now`: not yet open, open, or ended. */
export function campaignPhase(c: { startsAt: Date; endsAt: Date; closedAt?: Date | null }, now: Date): "upcoming" | "open" | "ended" {
  // closed out (its end passed, or a manager ended it early, even before it started): over
  if (c.closedAt && c.closedAt <= now) return "ended";
  if (now < c.startsAt) return "upcoming";
  return now < c.endsAt ? "open" : "ended";
}

/**
 * Charity Law: a campaign is public fundraising only under a filing number (公开募捐备案编号) held
 * by a registered fundraising entity; without one it is directed (定向) among known donors.
 */
export function fundraisingStatus(f: { fundraisingFilingNo: string | null; fundraisingEntity: string | null }) {
  return f.fundraisingFilingNo && f.fundraisingEntity
    ? ({ kind: "public", filingNo: f.fundraisingFilingNo, entity: f.fundraisingEntity } as const)
    : ({ kind: "directed" } as const);
}
