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
