/**
 * Volunteers (志愿者报到) and small wishes (微心愿). Pure rules:
 * - a resident registers (报到) as a volunteer of a community, as a Party member (党员报到) with
 *   their branch or not, and the community's official confirms or declines;
 * - a need may be marked a small wish when it asks for nothing in money or for less than the
 *   community's limit (default ¥500), and then a confirmed volunteer or a pairing unit of the
 *   community takes it directly (认领), without a proposal;
 * - the wish's states: OPEN → TAKEN → FULFILLED (the taker says it is done) → CONFIRMED (the
 *   resident agrees) or DISPUTED (the resident does not) → RESOLVED (the official's ruling);
 * - volunteer hours: whole minutes, positive, in quarter hours, at most 24 hours per entry.
 */
import { z } from "zod";
import { moneyFen } from "./money-schema";
import { isOfficialFor, type GrantHolder } from "./permissions";

// ───────────────────────────── volunteers ─────────────────────────────

export type VolunteerStatus = "PENDING" | "CONFIRMED" | "DECLINED";
export const VOLUNTEER_STATUSES: readonly VolunteerStatus[] = ["PENDING", "CONFIRMED", "DECLINED"];

export type VolunteerDecision = "CONFIRM" | "DECLINE";

/** The status an official's decision leaves a registration in, or a problem key. Only a pending one is decided. */
export function afterVolunteerDecision(status: VolunteerStatus, decision: VolunteerDecision): { status: VolunteerStatus } | { problem: string } {
  if (status !== "PENDING") return { problem: "volunteers.error.notPending" };
  return { status: decision === "CONFIRM" ? "CONFIRMED" : "DECLINED" };
}

/**
 * Whether a person may register (again) with a community: anyone without a registration there;
 * a declined one may register again (it goes back to pending); a pending or confirmed one may
 * only update their details (which keeps the status).
 */
export function registrationMove(existing: VolunteerStatus | null): { status: VolunteerStatus; fresh: boolean } {
  if (existing === null) return { status: "PENDING", fresh: true };
  if (existing === "DECLINED") return { status: "PENDING", fresh: false };
  return { status: existing, fresh: false };
}

/** Officials of the community (or above) confirm volunteers, rule on disputes and record project shifts. */
export const mayDecideVolunteers = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

// ───────────────────────────── small wishes ─────────────────────────────

/** ¥500: a community may store another limit (Area.smallWishLimitFen). */
export const DEFAULT_SMALL_WISH_LIMIT_FEN = 50_000;

/** The community's limit, or the default when it stores none or a meaningless one. */
export const smallWishLimit = (stored: number | null | undefined) => (stored && Number.isSafeInteger(stored) && stored > 0 ? stored : DEFAULT_SMALL_WISH_LIMIT_FEN);

/** A wish is small when it asks for nothing in money (0) or for less than the limit. */
export function smallWishProblem(valueFen: number, limitFen: number): string | null {
  if (!Number.isSafeInteger(valueFen) || valueFen < 0) return "volunteers.error.value";
  return valueFen < limitFen ? null : "volunteers.error.tooLarge";
}

export type WishStatus = "OPEN" | "TAKEN" | "FULFILLED" | "CONFIRMED" | "DISPUTED" | "RESOLVED";
export const WISH_STATUSES: readonly WishStatus[] = ["OPEN", "TAKEN", "FULFILLED", "CONFIRMED", "DISPUTED", "RESOLVED"];

/** A wish no step changes any more. */
export const isWishFinal = (s: WishStatus) => s === "CONFIRMED" || s === "RESOLVED";

export type WishMove = "take" | "release" | "fulfil" | "confirm" | "dispute" | "rule";

const MOVES: Record<WishMove, { from: WishStatus; to: WishStatus; problem: string }> = {
  take: { from: "OPEN", to: "TAKEN", problem: "volunteers.error.alreadyTaken" },
  release: { from: "TAKEN", to: "OPEN", problem: "volunteers.error.notTaken" },
  fulfil: { from: "TAKEN", to: "FULFILLED", problem: "volunteers.error.notTaken" },
  confirm: { from: "FULFILLED", to: "CONFIRMED", problem: "volunteers.error.notFulfilled" },
  dispute: { from: "FULFILLED", to: "DISPUTED", problem: "volunteers.error.notFulfilled" },
  rule: { from: "DISPUTED", to: "RESOLVED", problem: "volunteers.error.notDisputed" },
};

/** The status a move leaves the wish in, or the problem key when the wish is not where the move starts. */
export function afterWishMove(status: WishStatus, move: WishMove): { status: WishStatus } | { problem: string } {
  const m = MOVES[move];
  return status === m.from ? { status: m.to } : { problem: m.problem };
}

/** The status a move starts from (the claim's conditional UPDATE matches on it). */
export const wishMoveFrom = (move: WishMove): WishStatus => MOVES[move].from;

/** Whether the wish ends with hours recorded: confirmed, or a ruling that it was fulfilled. */
export const countsHours = (status: WishStatus, rulingFulfilled: boolean | null) => status === "CONFIRMED" || (status === "RESOLVED" && rulingFulfilled === true);

/** Who is asking to take a wish, as far as the rule goes. */
export interface Taker {
  userId: string;
  /** the person's registration with the wish's community */
  volunteerStatus: VolunteerStatus | null;
  /** organizations the person is a member of that are pairing units of the wish's community */
  pairingUnits: readonly string[];
}

/**
 * Whether `taker` may take the wish, as a volunteer (no organization) or for a pairing unit:
 * never the resident who posted it; a confirmed volunteer of the community; a member of one of
 * its pairing units for that unit. Returns a problem key, or null.
 */
export function takeProblem(taker: Taker, wish: { authorId: string | null }, asOrganization: string | null): string | null {
  if (wish.authorId === taker.userId) return "volunteers.error.ownWish";
  if (asOrganization) return taker.pairingUnits.includes(asOrganization) ? null : "volunteers.error.notPairingUnit";
  if (taker.volunteerStatus === "CONFIRMED") return null;
  return taker.volunteerStatus === "PENDING" ? "volunteers.error.notConfirmedYet" : "volunteers.error.notVolunteer";
}

/** The resident who posted the need confirms or disputes; a need without an author (posted for someone) by the community's officials. */
export function mayAnswerFulfilment(actor: { id: string } & Pick<GrantHolder, "grants">, wish: { authorId: string | null }, areaPath: string): boolean {
  return wish.authorId ? wish.authorId === actor.id : isOfficialFor(actor, areaPath);
}

/** Marking a need a small wish: its author, or an official of the community; only while the need is open. */
export function markProblem(actor: { id: string } & Pick<GrantHolder, "grants">, need: { authorId: string | null; status: string }, areaPath: string): string | null {
  if (need.authorId !== actor.id && !isOfficialFor(actor, areaPath)) return "forbidden";
  return need.status === "OPEN" ? null : "volunteers.error.needNotOpen";
}

// ───────────────────────────── hours ─────────────────────────────

export const MINUTES_STEP = 15;
export const MAX_MINUTES_PER_ENTRY = 24 * 60;

/** A problem key for minutes that cannot be one entry of volunteer hours, or null. */
export function minutesProblem(minutes: number): string | null {
  if (!Number.isSafeInteger(minutes) || minutes <= 0) return "volunteers.error.hours";
  if (minutes > MAX_MINUTES_PER_ENTRY) return "volunteers.error.hoursMax";
  if (minutes % MINUTES_STEP !== 0) return "volunteers.error.hoursStep";
  return null;
}

/**
 * Hours as typed ("2", "1.5", "0.25", "１.５") to whole minutes, or a problem key. Up to two
 * decimals; the minutes must then be whole quarter hours, positive, at most 24 hours.
 */
export function parseHours(raw: string): { minutes: number } | { problem: string } {
  const s = raw.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  const m = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { problem: "volunteers.error.hours" };
  const hundredths = Number((m[2] ?? "0").padEnd(2, "0"));
  // 0.33 h is no whole number of minutes, let alone a quarter hour
  if ((hundredths * 60) % 100 !== 0) return { problem: "volunteers.error.hoursStep" };
  const minutes = Number(m[1]) * 60 + (hundredths * 60) / 100;
  const problem = minutesProblem(minutes);
  return problem ? { problem } : { minutes };
}

/** Minutes as hours for display: 90 → "1.5", 135 → "2.25". */
export function formatHours(minutes: number): string {
  const h = minutes / 60;
  return Number.isInteger(h) ? String(h) : String(Math.round(h * 100) / 100);
}

/** The sum of entries' minutes (a volunteer's page, a community's). */
export const totalMinutes = (entries: readonly { minutes: number }[]) => entries.reduce((s, e) => s + e.minutes, 0);

// ───────────────────────────── forms ─────────────────────────────

const text = (min: number, max: number, shortKey: string, longKey: string) =>
  z.string({ error: "validation.required" }).trim().min(1, { error: "validation.required", abort: true }).min(min, shortKey).max(max, longKey);

const checkbox = z.preprocess((v) => v === "on" || v === true || v === "true", z.boolean());

const typedHours = z.string({ error: "volunteers.error.hours" }).transform((raw, ctx) => {
  const r = parseHours(raw);
  if ("problem" in r) {
    ctx.addIssue({ code: "custom", message: r.problem });
    return z.NEVER;
  }
  return r.minutes;
});

const hours = typedHours;

/** Minutes already read from the form (the page's action hands the parsed form on to the service), checked again. */
const minutesRead = z.number().superRefine((m, ctx) => {
  const problem = minutesProblem(m);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const RegisterFields = z.object({
  partyMember: checkbox.optional().default(false),
  partyBranch: z.string().trim().max(100, "volunteers.error.branchLong").optional().default(""),
  skills: text(2, 500, "volunteers.error.skillsShort", "volunteers.error.skillsLong"),
  availability: text(2, 200, "volunteers.error.availabilityShort", "volunteers.error.availabilityLong"),
  /** consent to the name on the community's public volunteer wall */
  showOnWall: checkbox.optional().default(false),
});
/** A Party member (党员报到) names their branch. */
export const RegisterSchema = RegisterFields.refine((v) => !v.partyMember || v.partyBranch.length >= 2, { path: ["partyBranch"], message: "volunteers.error.branch" });
export type RegisterInput = z.output<typeof RegisterSchema>;

export const DecideSchema = z.object({
  volunteerId: z.string().uuid(),
  decision: z.enum(["CONFIRM", "DECLINE"]),
  reason: z.string().trim().max(500, "volunteers.error.reasonLong").optional().default(""),
});

export const MarkSchema = z.object({
  /** what it asks for in money, in yuan as typed; 0 when nothing (non-monetary) */
  value: moneyFen({}),
});
/** The mark form as the page's action hands it on: the value already in fen. */
export const MarkRead = z.object({ value: z.number().int().min(0, "volunteers.error.value") });

export const FulfilFields = z.object({
  note: text(4, 1000, "volunteers.error.noteShort", "volunteers.error.noteLong"),
  hours,
});

/** The fulfilment form as the page's action hands it on: the hours already in minutes. */
export const FulfilRead = FulfilFields.extend({ hours: minutesRead });

export const DisputeSchema = z.object({ reason: text(4, 1000, "volunteers.error.reasonShort", "volunteers.error.reasonLong") });

export const RuleSchema = z.object({
  outcome: z.enum(["FULFILLED", "NOT_FULFILLED"], { error: "volunteers.error.outcome" }),
  reason: text(4, 1000, "volunteers.error.reasonShort", "volunteers.error.reasonLong"),
});

export const TakeSchema = z.object({
  /** the pairing unit taking it, or empty for the person as a volunteer */
  organizationId: z.string().uuid().optional().or(z.literal("").transform(() => undefined)),
  /** or the partner unit (结对单位, domain/partners.ts) the member takes it for */
  partnerUnitId: z.string().uuid().optional().or(z.literal("").transform(() => undefined)),
});

const files = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.instanceof(File)));

/** The forms of a community's volunteers page. */
export const VolunteerIntents = z.discriminatedUnion("intent", [
  RegisterFields.extend({ intent: z.literal("register") }),
  DecideSchema.extend({ intent: z.literal("decide") }),
]);

/** The forms of a wish's page. */
export const WishIntents = z.discriminatedUnion("intent", [
  MarkSchema.extend({ intent: z.literal("mark") }),
  TakeSchema.extend({ intent: z.literal("take") }),
  z.object({ intent: z.literal("release") }),
  FulfilFields.extend({ intent: z.literal("fulfil"), photo: files.optional() }),
  z.object({ intent: z.literal("confirm") }),
  DisputeSchema.extend({ intent: z.literal("dispute") }),
  RuleSchema.extend({ intent: z.literal("rule") }),
]);
