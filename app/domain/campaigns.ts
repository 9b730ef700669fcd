/**
 * The matching-campaign form (配捐活动), shared by the browser and the server. Amounts in yuan,
 * times as local Asia/Shanghai "YYYY-MM-DDTHH:mm" (datetime-local inputs).
 */
import { z } from "zod";

export const CAMPAIGN_SLUG = /^[a-z0-9][a-z0-9-]{2,47}$/;

export const CampaignFormSchema = z.object({
  slug: z.string({ error: "campaign.error.slug" }).trim().regex(CAMPAIGN_SLUG, "campaign.error.slug"),
  titleZh: z.string({ error: "validation.required" }).trim().min(2, "validation.required").max(80, "campaign.error.titleLong"),
  titleEn: z.string({ error: "validation.required" }).trim().min(2, "validation.required").max(120, "campaign.error.titleLong"),
  descriptionZh: z.string().trim().max(2000, "campaign.error.descriptionLong").optional(),
  descriptionEn: z.string().trim().max(4000, "campaign.error.descriptionLong").optional(),
  sponsorName: z.string({ error: "campaign.error.sponsor" }).trim().min(2, "campaign.error.sponsor").max(80, "campaign.error.sponsor"),
  sponsorKind: z.enum(["GOVERNMENT", "COMPANY"], { error: "campaign.error.sponsorKind" }),
  ratioSponsor: z.coerce.number({ error: "matching.error.ratio" }).int("matching.error.ratio").min(1, "matching.error.ratio").max(100, "matching.error.ratio"),
  ratioDonor: z.coerce.number({ error: "matching.error.ratio" }).int("matching.error.ratio").min(1, "matching.error.ratio").max(100, "matching.error.ratio"),
  /** yuan; empty = no cap */
  perDonationCap: z.string().trim().optional(),
  /** yuan put into the pool now */
  pool: z.string({ error: "campaign.error.pool" }).trim().min(1, "campaign.error.pool"),
  startsAt: z.string({ error: "matching.error.window" }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "matching.error.window"),
  endsAt: z.string({ error: "matching.error.window" }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "matching.error.window"),
  /** project reference numbers (JN6-0003), comma or space separated; empty = every gift to the foundation */
  eligibleProjects: z.string().trim().optional(),
});
export type CampaignFormInput = z.output<typeof CampaignFormSchema>;

/** A datetime-local value read as Asia/Shanghai wall time (UTC+8, no daylight saving). */
export function shanghaiLocalToDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The campaign's state at `now`: not yet open, open, or ended. */
export function campaignPhase(c: { startsAt: Date; endsAt: Date }, now: Date): "upcoming" | "open" | "ended" {
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
