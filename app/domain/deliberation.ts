/**
 * Deliberation before a need becomes a round's call topic: 一征三议两公开 as 开封 practises it.
 * A community matter (议题) is proposed (提议) by the community Party branch, reviewed (审议) by the
 * Party members' representatives meeting or the residents' committee, and resolved (决议) by the
 * residents' representatives meeting or assembly; every step is public (两公开) and the
 * supervision committee (居务监督委员会) may remark on any of them.
 *
 * Pure rules: the matter's states and moves, the quorum and majority of a resolution, who may take
 * each step, and the forms of the steps.
 */
import { z } from "zod";
import { isOfficialFor, isWithin, type GrantHolder } from "./permissions";

// ───────────────────────────── states ─────────────────────────────

/**
 * PROPOSED — waiting for review (also after a review asked for revision);
 * FORWARDED — reviewed and sent on to the residents' body;
 * DROPPED — the review dropped it (final);
 * PASSED / FAILED — resolved (final).
 */
export type MatterStatus = "PROPOSED" | "FORWARDED" | "DROPPED" | "PASSED" | "FAILED";
export const MATTER_STATUSES: readonly MatterStatus[] = ["PROPOSED", "FORWARDED", "DROPPED", "PASSED", "FAILED"];

/** A matter no further step can change. */
export const isFinal = (s: MatterStatus) => s === "DROPPED" || s === "PASSED" || s === "FAILED";

/** A matter that still holds its needs: a need is in at most one such matter at a time. */
export const HOLDING_STATUSES: readonly MatterStatus[] = ["PROPOSED", "FORWARDED", "PASSED"];

export type ReviewOutcome = "FORWARD" | "REVISE" | "DROP";
export const REVIEW_OUTCOMES: readonly ReviewOutcome[] = ["FORWARD", "REVISE", "DROP"];

/** 党员代表会议 or 居民委员会. */
export type ReviewBody = "PARTY_MEMBERS_MEETING" | "RESIDENTS_COMMITTEE";
export const REVIEW_BODIES: readonly ReviewBody[] = ["PARTY_MEMBERS_MEETING", "RESIDENTS_COMMITTEE"];

/** 居民代表会议 or 居民会议（大会）. */
export type ResolutionBody = "REPRESENTATIVES_MEETING" | "RESIDENTS_ASSEMBLY";
export const RESOLUTION_BODIES: readonly ResolutionBody[] = ["REPRESENTATIVES_MEETING", "RESIDENTS_ASSEMBLY"];

/** The status a review with `outcome` leaves the matter in, or a problem key when it may not be reviewed. */
export function afterReview(status: MatterStatus, outcome: ReviewOutcome): { status: MatterStatus } | { problem: string } {
  if (status !== "PROPOSED") return { problem: "deliberation.error.notProposed" };
  switch (outcome) {
    case "FORWARD":
      return { status: "FORWARDED" };
    case "REVISE":
      // revision sends it back to the proposal: the proposer amends it, then it is reviewed again
      return { status: "PROPOSED" };
    case "DROP":
      return { status: "DROPPED" };
  }
}

/** The status a resolution leaves the matter in, or a problem key when it may not be resolved. */
export function afterResolution(status: MatterStatus, passed: boolean): { status: MatterStatus } | { problem: string } {
  if (status !== "FORWARDED") return { problem: "deliberation.error.notForwarded" };
  return { status: passed ? "PASSED" : "FAILED" };
}

/** Whether the matter's proposal may be amended (only while it waits for review). */
export const mayAmend = (status: MatterStatus) => status === "PROPOSED";

// ───────────────────────────── quorum and majority ─────────────────────────────

/**
 * A share of a base: `count / base` must be more than (`strict`) or at least `num / den`. Compared
 * in integers (count × den against base × num), so "more than half" of 7 is 4 and of 8 is 5.
 */
export interface Threshold {
  num: number;
  den: number;
  strict: boolean;
}

export const MORE_THAN_HALF: Threshold = { num: 1, den: 2, strict: true };

/**
 * The rules a resolution is counted by. The quorum is of the members entitled to attend; the
 * majority is of those present (abstaining and not voting count as not in favour), or, where a
 * community's rules say so, of the votes cast (for + against).
 */
export interface ResolutionRules {
  quorum: Threshold;
  majority: Threshold;
  majorityOf: "PRESENT" | "VOTES_CAST";
}

export const DEFAULT_RULES: ResolutionRules = { quorum: MORE_THAN_HALF, majority: MORE_THAN_HALF, majorityOf: "PRESENT" };

/** Whether a threshold asks for at least "more than half": a minority, or a tie, never decides. */
export const atLeastMoreThanHalf = (t: Threshold) => t.num * 2 > t.den || (t.num * 2 === t.den && t.strict);

export function meets(count: number, base: number, t: Threshold): boolean {
  if (base <= 0) return false;
  const lhs = count * t.den;
  const rhs = base * t.num;
  return t.strict ? lhs > rhs : lhs >= rhs;
}

/** The smallest count that meets the threshold over `base` (shown next to the form and on the page). */
export function needed(base: number, t: Threshold): number {
  if (base <= 0) return 1;
  const exact = (base * t.num) / t.den;
  const floor = Math.floor(exact);
  return t.strict ? floor + 1 : Number.isInteger(exact) ? exact : floor + 1;
}

export interface Counts {
  entitled: number;
  present: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
}

/** Counts that cannot be: more present than entitled, more votes than people present. */
export function countsProblem(c: Counts): { field: keyof Counts; key: string } | null {
  if (c.entitled < 1) return { field: "entitled", key: "deliberation.error.entitled" };
  if (c.present > c.entitled) return { field: "present", key: "deliberation.error.presentOverEntitled" };
  if (c.votesFor + c.votesAgainst + c.abstentions > c.present) return { field: "votesFor", key: "deliberation.error.votesOverPresent" };
  return null;
}

export interface Tally {
  quorate: boolean;
  passed: boolean;
  /** present needed for a quorum, and votes for needed to pass */
  quorumNeeded: number;
  majorityNeeded: number;
}

/** Whether the meeting was quorate and the resolution passed under `rules`. Counts must be possible (countsProblem). */
export function tally(c: Counts, rules: ResolutionRules = DEFAULT_RULES): Tally {
  const quorate = meets(c.present, c.entitled, rules.quorum);
  const base = rules.majorityOf === "PRESENT" ? c.present : c.votesFor + c.votesAgainst;
  return {
    quorate,
    passed: quorate && meets(c.votesFor, base, rules.majority),
    quorumNeeded: needed(c.entitled, rules.quorum),
    majorityNeeded: needed(base, rules.majority),
  };
}

const ThresholdSchema = z.object({
  num: z.number().int().min(1),
  den: z.number().int().min(1),
  strict: z.boolean(),
}).refine((t) => t.num <= t.den, "fraction");

const RulesSchema = z.object({
  quorum: ThresholdSchema,
  majority: ThresholdSchema,
  majorityOf: z.enum(["PRESENT", "VOTES_CAST"]),
});

/**
 * A community's stored rules (Area.deliberationRules), or the defaults when there are none or
 * they are malformed. Neither threshold may ask for less than more than half: a minority, or a
 * tie, can never decide.
 */
export function rulesOf(stored: unknown): ResolutionRules {
  const parsed = RulesSchema.safeParse(stored);
  if (!parsed.success) return DEFAULT_RULES;
  const r = parsed.data;
  return atLeastMoreThanHalf(r.quorum) && atLeastMoreThanHalf(r.majority) ? r : DEFAULT_RULES;
}

// ───────────────────────────── who ─────────────────────────────

/**
 * Roles held in a community's self-government, granted by the community's officials: the Party
 * branch secretary (书记), a residents' committee member (居委会委员), a residents' representative
 * (居民代表), a supervision-committee member (居务监督委员会成员). They give no official powers.
 */
export type CommunityRole = "SECRETARY" | "COMMITTEE_MEMBER" | "RESIDENT_REPRESENTATIVE" | "SUPERVISOR";
export const COMMUNITY_ROLES: readonly CommunityRole[] = ["SECRETARY", "COMMITTEE_MEMBER", "RESIDENT_REPRESENTATIVE", "SUPERVISOR"];

export interface CommunityRoleHolder extends GrantHolder {
  communityRoles: readonly { role: CommunityRole; areaPath: string }[];
}

const holds = (actor: Pick<CommunityRoleHolder, "communityRoles">, areaPath: string, roles: readonly CommunityRole[]) =>
  actor.communityRoles.some((r) => roles.includes(r.role) && isWithin(areaPath, r.areaPath) && isWithin(r.areaPath, areaPath));

/** Officials of the community (or above) grant and revoke its self-government roles. */
export const mayGrantCommunityRoles = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

/** 提议 and amending: an official of the community or its Party branch secretary. */
export const mayPropose = (actor: Pick<CommunityRoleHolder, "grants" | "communityRoles">, areaPath: string) =>
  isOfficialFor(actor, areaPath) || holds(actor, areaPath, ["SECRETARY"]);

/** Recording a review or a resolution: an official, the branch secretary or a committee member. */
export const mayRecord = (actor: Pick<CommunityRoleHolder, "grants" | "communityRoles">, areaPath: string) =>
  isOfficialFor(actor, areaPath) || holds(actor, areaPath, ["SECRETARY", "COMMITTEE_MEMBER"]);

/** Supervision remarks: members of the community's supervision committee only (they watch the others). */
export const mayRemark = (actor: Pick<CommunityRoleHolder, "communityRoles">, areaPath: string) => holds(actor, areaPath, ["SUPERVISOR"]);

// ───────────────────────────── publishing a topic ─────────────────────────────

/**
 * Whether a need may become a call topic of a round as far as deliberation goes: a round that
 * requires deliberation takes only needs in a matter whose resolution passed.
 */
export function deliberationProblem(round: { requiresDeliberation: boolean }, matterStatuses: readonly MatterStatus[]): string | null {
  if (!round.requiresDeliberation) return null;
  return matterStatuses.includes("PASSED") ? null : "needs.error.notDeliberated";
}

// ───────────────────────────── forms ─────────────────────────────

export const RATIONALE_MIN = 10;
export const RATIONALE_MAX = 2000;
export const MINUTES_MAX = 10000;
export const MAX_MATTER_NEEDS = 20;
export const MAX_ATTENDEES = 100000;

const text = (min: number, max: number, shortKey: string, longKey: string) =>
  z.string({ error: "validation.required" }).trim().min(1, { error: "validation.required", abort: true }).min(min, shortKey).max(max, longKey);

const count = (key: string) => z.coerce.number({ error: key }).int(key).min(0, key).max(MAX_ATTENDEES, key);

const day = z.string({ error: "deliberation.error.date" }).regex(/^\d{4}-\d{2}-\d{2}$/, "deliberation.error.date");

/** Need numbers typed as "12, 15 18" or chosen by checkboxes: whole positive numbers, each once. */
const needNumbers = z.preprocess(
  (v) => {
    const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x ?? "").split(/[\s,，、]+/)).filter(Boolean);
    return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  },
  z
    .array(z.number().int("deliberation.error.needNumber").positive("deliberation.error.needNumber"), { error: "deliberation.error.needs" })
    .min(1, "deliberation.error.needs")
    .max(MAX_MATTER_NEEDS, "deliberation.error.tooManyNeeds")
    .transform((a) => [...new Set(a)].sort((x, y) => x - y)),
);

export const ProposeSchema = z.object({
  title: text(4, 120, "deliberation.error.titleShort", "deliberation.error.titleLong"),
  needs: needNumbers,
  rationale: text(RATIONALE_MIN, RATIONALE_MAX, "deliberation.error.rationaleShort", "deliberation.error.rationaleLong"),
});
export type ProposeInput = z.output<typeof ProposeSchema>;

export const AmendSchema = z.object({
  rationale: text(RATIONALE_MIN, RATIONALE_MAX, "deliberation.error.rationaleShort", "deliberation.error.rationaleLong"),
});

/** The review form's fields; ReviewSchema adds the check across them (the form's intent extends these). */
export const ReviewFields = z.object({
  body: z.enum(REVIEW_BODIES as [ReviewBody, ...ReviewBody[]], { error: "deliberation.error.body" }),
  meetingOn: day,
  place: text(2, 200, "deliberation.error.placeShort", "deliberation.error.placeLong"),
  attendeesEntitled: count("deliberation.error.count"),
  attendeesPresent: count("deliberation.error.count"),
  /** the office holders who attended, by name, one per line or separated by commas */
  // (a list already read, as the page's action hands it on, is read again the same way)
  officeHolders: z
    .preprocess((v) => (Array.isArray(v) ? v.join("\n") : (v ?? "")), z.string().trim().max(2000, "deliberation.error.officeHoldersLong"))
    .transform((s) => s.split(/[\n,，、;；]+/).map((x) => x.trim()).filter(Boolean)),
  minutes: text(10, MINUTES_MAX, "deliberation.error.minutesShort", "deliberation.error.minutesLong"),
  outcome: z.enum(REVIEW_OUTCOMES as [ReviewOutcome, ...ReviewOutcome[]], { error: "deliberation.error.outcome" }),
  reasons: text(4, 2000, "deliberation.error.reasonsShort", "deliberation.error.reasonsLong"),
});
export const ReviewSchema = ReviewFields.refine((v) => v.attendeesPresent <= v.attendeesEntitled, { path: ["attendeesPresent"], message: "deliberation.error.presentOverEntitled" });
export type ReviewInput = z.output<typeof ReviewSchema>;

export const ResolutionFields = z.object({
  body: z.enum(RESOLUTION_BODIES as [ResolutionBody, ...ResolutionBody[]], { error: "deliberation.error.body" }),
  meetingOn: day,
  place: text(2, 200, "deliberation.error.placeShort", "deliberation.error.placeLong"),
  entitled: count("deliberation.error.count"),
  present: count("deliberation.error.count"),
  votesFor: count("deliberation.error.count"),
  votesAgainst: count("deliberation.error.count"),
  abstentions: count("deliberation.error.count"),
  text: text(10, 5000, "deliberation.error.textShort", "deliberation.error.textLong"),
});
export const ResolutionSchema = ResolutionFields.superRefine((v, ctx) => {
  const p = countsProblem(v);
  if (p) ctx.addIssue({ code: "custom", path: [p.field], message: p.key });
});
export type ResolutionInput = z.output<typeof ResolutionSchema>;

/** Which step a remark is about. */
export type RemarkStep = "PROPOSAL" | "REVIEW" | "RESOLUTION";
export const REMARK_STEPS: readonly RemarkStep[] = ["PROPOSAL", "REVIEW", "RESOLUTION"];

export const RemarkFields = z.object({
  step: z.enum(REMARK_STEPS as [RemarkStep, ...RemarkStep[]], { error: "deliberation.error.step" }),
  /** the review remarked on, when step is REVIEW */
  reviewId: z.string().uuid("deliberation.error.step").optional().or(z.literal("").transform(() => undefined)),
  body: text(4, 2000, "deliberation.error.remarkShort", "deliberation.error.remarkLong"),
});
export const RemarkSchema = RemarkFields.refine((v) => v.step !== "REVIEW" || !!v.reviewId, { path: ["step"], message: "deliberation.error.step" });

/** The largest denominator of a rule's fraction (a rule reads "two thirds", "three fifths"). */
export const RULE_DEN_MAX = 20;

// (abort: a part that is no whole number from 1 to RULE_DEN_MAX is the only error said about it)
const fraction = (key: string) => z.coerce.number({ error: key }).int({ error: key, abort: true }).min(1, { error: key, abort: true }).max(RULE_DEN_MAX, { error: key, abort: true });
const comparison = z.enum(["MORE_THAN", "AT_LEAST"], { error: "deliberation.error.comparison" });

/**
 * The form of a community's voting rules (set by its officials): each threshold as a fraction
 * and "more than" or "at least", and the base of the majority. Each must ask for at least more
 * than half (the law's default for residents' meetings), so rules can only be stricter.
 */
export const RulesFields = z.object({
  quorumNum: fraction("deliberation.error.fraction"),
  quorumDen: fraction("deliberation.error.fraction"),
  quorumComparison: comparison,
  majorityNum: fraction("deliberation.error.fraction"),
  majorityDen: fraction("deliberation.error.fraction"),
  majorityComparison: comparison,
  majorityOf: z.enum(["PRESENT", "VOTES_CAST"], { error: "deliberation.error.majorityOf" }),
});
export const RulesFormSchema = RulesFields.superRefine((v, ctx) => {
  for (const which of ["quorum", "majority"] as const) {
    const num = v[`${which}Num`];
    const den = v[`${which}Den`];
    if (num > den) ctx.addIssue({ code: "custom", path: [`${which}Num`], message: "deliberation.error.fractionOverOne" });
    else if (!atLeastMoreThanHalf({ num, den, strict: v[`${which}Comparison`] === "MORE_THAN" })) ctx.addIssue({ code: "custom", path: [`${which}Num`], message: "deliberation.error.belowHalf" });
  }
}).transform((v): ResolutionRules => ({
  quorum: { num: v.quorumNum, den: v.quorumDen, strict: v.quorumComparison === "MORE_THAN" },
  majority: { num: v.majorityNum, den: v.majorityDen, strict: v.majorityComparison === "MORE_THAN" },
  majorityOf: v.majorityOf,
}));

/** The rules as the form shows them (its default values). */
export const rulesFormValues = (r: ResolutionRules) => ({
  quorumNum: String(r.quorum.num),
  quorumDen: String(r.quorum.den),
  quorumComparison: r.quorum.strict ? "MORE_THAN" : "AT_LEAST",
  majorityNum: String(r.majority.num),
  majorityDen: String(r.majority.den),
  majorityComparison: r.majority.strict ? "MORE_THAN" : "AT_LEAST",
  majorityOf: r.majorityOf,
});

export const GrantRoleSchema = z.object({
  email: z.string({ error: "validation.required" }).trim().toLowerCase().email("deliberation.error.email"),
  role: z.enum(COMMUNITY_ROLES as [CommunityRole, ...CommunityRole[]], { error: "deliberation.error.role" }),
});

/** Files of a form's file input, as one list (a single file or none arrive as one value or nothing). */
const files = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.instanceof(File)));

/** The forms of a matter's page, one per intent. */
export const MatterIntents = z.discriminatedUnion("intent", [
  AmendSchema.extend({ intent: z.literal("amend") }),
  ReviewFields.extend({ intent: z.literal("review"), attachments: files.optional() }),
  ResolutionFields.extend({ intent: z.literal("resolve") }),
  RemarkFields.extend({ intent: z.literal("remark") }),
]);

/** The forms of a community's deliberation page. */
export const CommunityIntents = z.discriminatedUnion("intent", [
  ProposeSchema.extend({ intent: z.literal("propose") }),
]);

export const RulesIntents = z.discriminatedUnion("intent", [RulesFields.extend({ intent: z.literal("rules") })]);

export const RolesIntents = z.discriminatedUnion("intent", [
  GrantRoleSchema.extend({ intent: z.literal("grant") }),
  z.object({ intent: z.literal("revoke"), grantId: z.string().uuid() }),
]);

// ───────────────────────────── online voting ─────────────────────────────
//
// At 决议, the community's registered residents' representatives may also vote online. The
// online votes are recorded and shown beside the paper count; the legal outcome stays the paper
// resolution (the meeting's count, typed in with its sign-in sheet), which alone decides PASSED
// or FAILED.

export type OnlineVoteChoice = "FOR" | "AGAINST" | "ABSTAIN";
export const ONLINE_VOTE_CHOICES: readonly OnlineVoteChoice[] = ["FOR", "AGAINST", "ABSTAIN"];

/** Where a matter's online voting stands. */
export type OnlineVotingState = "NONE" | "OPEN" | "CLOSED";

export function onlineVotingState(m: { onlineVotingOpenedAt: Date | string | null; onlineVotingClosedAt: Date | string | null }): OnlineVotingState {
  if (!m.onlineVotingOpenedAt) return "NONE";
  return m.onlineVotingClosedAt ? "CLOSED" : "OPEN";
}

/** Officials of the community open and close online voting (as they grant the representatives' roles). */
export const mayRunOnlineVoting = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

/** Only the community's registered residents' representatives vote online (an official as such does not). */
export const mayVoteOnline = (actor: Pick<CommunityRoleHolder, "communityRoles">, areaPath: string) => holds(actor, areaPath, ["RESIDENT_REPRESENTATIVE"]);

/** Online voting opens once, on a matter at the resolution stage (forwarded by its review). */
export function openVotingProblem(status: MatterStatus, state: OnlineVotingState): string | null {
  if (status !== "FORWARDED") return "deliberation.error.notForwarded";
  return state === "NONE" ? null : "deliberation.error.votingOpened";
}

/** Online voting is closed once, while open. */
export const closeVotingProblem = (state: OnlineVotingState): string | null => (state === "OPEN" ? null : "deliberation.error.votingNotOpen");

/** A vote is cast while voting is open and the matter still waits for its resolution. */
export function castVoteProblem(status: MatterStatus, state: OnlineVotingState): string | null {
  return state === "OPEN" && status === "FORWARDED" ? null : "deliberation.error.votingNotOpen";
}

/** The online count: votes by choice, and how many voted. */
export function onlineTally(votes: readonly { choice: OnlineVoteChoice }[]): { votesFor: number; votesAgainst: number; abstentions: number; voted: number } {
  const n = (c: OnlineVoteChoice) => votes.filter((v) => v.choice === c).length;
  return { votesFor: n("FOR"), votesAgainst: n("AGAINST"), abstentions: n("ABSTAIN"), voted: votes.length };
}

export const OnlineVoteSchema = z.object({ choice: z.enum(ONLINE_VOTE_CHOICES as [OnlineVoteChoice, ...OnlineVoteChoice[]], { error: "deliberation.error.choice" }) });

/** The forms of a matter's page: its steps, and online voting (open, vote, close). */
export const MatterPageIntents = z.discriminatedUnion("intent", [
  ...MatterIntents.options,
  OnlineVoteSchema.extend({ intent: z.literal("vote") }),
  z.object({ intent: z.literal("openVoting") }),
  z.object({ intent: z.literal("closeVoting") }),
]);
