import { z } from "zod";
import { moneyText } from "./allocation";

/**
 * Awards under public notice (公示): which items an upheld objection changed, who may still
 * object, and when a round's awards may become final. Pure.
 */

export interface AwardState {
  proposalId: string;
  rank: number;
  outcome: string;
  awardFen: number;
}

/** The proposals whose rank, outcome or amount differ between the published awards and a re-run. */
export function awardChanges(current: readonly AwardState[], next: readonly AwardState[]): string[] {
  const before = new Map(current.map((a) => [a.proposalId, a]));
  return next
    .filter((n) => {
      const c = before.get(n.proposalId);
      return !c || c.rank !== n.rank || c.outcome !== n.outcome || c.awardFen !== n.awardFen;
    })
    .map((n) => n.proposalId);
}

/** Anyone signed in may object to an item while it is proposed and its notice runs. */
export const canObject = (award: { status: string; noticeEndsAt: Date }, now: Date) => award.status === "PROPOSED" && now < award.noticeEndsAt;

/** A round's awards become final together: every notice ended and no objection open. */
export function finalizable(awards: readonly { noticeEndsAt: Date }[], openObjections: number, now: Date): boolean {
  return awards.length > 0 && openObjections === 0 && awards.every((a) => a.noticeEndsAt <= now);
}

/** The latest end of notice among the items: when finalisation is due. */
export const latestNoticeEnd = (awards: readonly { noticeEndsAt: Date }[]) => new Date(Math.max(...awards.map((a) => a.noticeEndsAt.getTime())));

/** How an applicant is told the result. */
export function resultOf(outcome: string): "FUNDED" | "PARTIAL" | "WAITLIST" | "NOT_FUNDED" {
  return outcome === "FUNDED" || outcome === "PARTIAL" || outcome === "WAITLIST" ? outcome : "NOT_FUNDED";
}

// ───────────────────────────── the forms of the notice and the results page ─────────────────────────────

/** Anyone signed in objects to one item with a reason of 10–2000 characters (an attachment is optional). */
export const objectionFields = {
  proposalId: z.string({ error: "objection.itemRequired" }).min(1, "objection.itemRequired"),
  reason: z.string({ error: "objection.reasonRequired" }).trim().min(10, "objection.reasonTooShort").max(2000, "objection.reasonTooLong"),
};
export const ObjectionSchema = z.object(objectionFields);
export type ObjectionInput = z.output<typeof ObjectionSchema>;

export const RESOLVE_ACTIONS = ["none", "exclude", "amount", "fund"] as const;

/** Dismiss or uphold an objection with a published resolution; upholding may change the item's award. */
export const resolveFields = {
  objectionId: z.string().min(1),
  decision: z.enum(["dismiss", "uphold"], { error: "objection.decisionRequired" }),
  resolution: z.string({ error: "objection.resolutionRequired" }).trim().min(5, "objection.resolutionRequired").max(2000, "objection.resolutionTooLong"),
  action: z.enum(RESOLVE_ACTIONS).optional().default("none"),
  amountFen: moneyText,
};
export function resolveRules(v: { decision: string; action: string; amountFen?: string }, ctx: z.RefinementCtx) {
  if (v.decision === "uphold" && v.action === "amount" && !v.amountFen) ctx.addIssue({ code: "custom", path: ["amountFen"], message: "allocation.override.amountRequired" });
}
export const ResolveObjectionSchema = z.object(resolveFields).superRefine(resolveRules);
export type ResolveObjectionInput = z.output<typeof ResolveObjectionSchema>;

/** A roadshow score as typed: 0–100 with at most two decimals, as hundredths; null when not such a number. */
export function roadshowCenti(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) return null;
  const centi = Math.round(Number(text) * 100);
  return centi >= 0 && centi <= 10_000 ? centi : null;
}

export const RoadshowSchema = z.object({
  proposalId: z.string().min(1),
  score: z.string({ error: "roadshow.invalid" }).refine((text) => roadshowCenti(text) !== null, "roadshow.invalid"),
});
