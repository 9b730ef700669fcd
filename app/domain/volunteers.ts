/**
 * Volunteers (志愿者报到) and small wishes (微心愿). Pure rules:
 * - a resident registers (报到) as a volunteer of a community, as a Party member (党员报到) with
 *   their branch or not, and the community's official confirms or declines;
 * - a need may be marked a small wish when it asks for nothing in money or for less than the
 *   community's limit (default ¥500), and then a confirmed volunteer or a pairing unit of the
 *   community takes it directly (认领), without a proposal;
 * - the wish's states: OPEN → TAKEN → FULFILLED (the taker says it is done) → CONFIRMED (the
 *   resident agrees) or DISPUTED (the resident does not) → RESOLVED (the official's ruling);
 * - volunteer hours: whole minutes, positive, in quarter hours, at most 24 hours per entry;
 * - project shifts: half an hour to twelve hours in half hours, corrected by a reversal entry;
 * - a small wish that is open or taken is not also a round's topic, nor a topic a wish.
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

/** The bands (in yuan) a wish's amount is published in (open data): the exact amount is the need's own business. */
export function wishAmountBand(valueFen: number): string {
  if (valueFen <= 0) return "0";
  if (valueFen < 10_000) return "1-99";
  if (valueFen < 30_000) return "100-299";
  if (valueFen < 50_000) return "300-499";
  return "500+";
}

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

/**
 * Marking a need a small wish: its author, or an official of the community; only while the need
 * is open. A need published as a round's topic is funded through a proposal, never taken as a wish.
 */
export function markProblem(actor: { id: string } & Pick<GrantHolder, "grants">, need: { authorId: string | null; status: string }, areaPath: string): string | null {
  if (need.authorId !== actor.id && !isOfficialFor(actor, areaPath)) return "forbidden";
  if (need.status === "PUBLISHED") return "volunteers.error.isTopic";
  return need.status === "OPEN" ? null : "volunteers.error.needNotOpen";
}

/** A wish in these states is someone's to take or in hand: its need cannot also be a round's topic. */
export const WISH_HOLDS_NEED: readonly WishStatus[] = ["OPEN", "TAKEN"];

/** Why a need cannot be published as a round's topic because of its wish, or null (no wish, or one already done). */
export function topicProblemOfWish(wishStatus: WishStatus | null): string | null {
  return wishStatus && WISH_HOLDS_NEED.includes(wishStatus) ? "needs.error.isSmallWish" : null;
}

// ───────────────────────────── the community's limit ─────────────────────────────

/** A community's small-wish limit may be set from ¥10 to ¥5,000 (a wish is small, and a limit of nothing makes no wish). */
export const SMALL_WISH_LIMIT_MIN_FEN = 1_000;
export const SMALL_WISH_LIMIT_MAX_FEN = 500_000;

/** The limit form: the amount as typed in yuan, to whole yuan within the bounds. */
export const LimitSchema = z.object({
  limit: moneyFen({ minFen: SMALL_WISH_LIMIT_MIN_FEN, maxFen: SMALL_WISH_LIMIT_MAX_FEN }).refine((fen) => fen % 100 === 0, "volunteers.error.limitWhole"),
});
/** The limit form as the page's action hands it on: already in fen. */
export const LimitRead = z.object({
  limit: z.number().int().min(SMALL_WISH_LIMIT_MIN_FEN, "money.tooSmall").max(SMALL_WISH_LIMIT_MAX_FEN, "money.tooLarge").refine((fen) => fen % 100 === 0, "volunteers.error.limitWhole"),
});

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

// ───────────────────────────── project shifts ─────────────────────────────

/** A project shift is half an hour to twelve hours, in half hours. */
export const SHIFT_STEP_MINUTES = 30;
export const SHIFT_MIN_MINUTES = 30;
export const SHIFT_MAX_MINUTES = 12 * 60;
/** How far back a shift may be logged (a season's activities, not last year's). */
export const SHIFT_MAX_AGE_DAYS = 90;

/** A problem key for minutes that cannot be one project shift, or null. */
export function shiftMinutesProblem(minutes: number): string | null {
  if (!Number.isSafeInteger(minutes) || minutes < SHIFT_MIN_MINUTES) return "volunteers.error.shiftMin";
  if (minutes > SHIFT_MAX_MINUTES) return "volunteers.error.shiftMax";
  if (minutes % SHIFT_STEP_MINUTES !== 0) return "volunteers.error.shiftStep";
  return null;
}

/** A shift's hours as typed ("3", "1.5", "２.５") to minutes, or a problem key. */
export function parseShiftHours(raw: string): { minutes: number } | { problem: string } {
  const r = parseHours(raw);
  if ("problem" in r) return r.problem === "volunteers.error.hoursStep" ? { problem: "volunteers.error.shiftStep" } : r.problem === "volunteers.error.hoursMax" ? { problem: "volunteers.error.shiftMax" } : r;
  const problem = shiftMinutesProblem(r.minutes);
  return problem ? { problem } : r;
}

/** The day of a shift (YYYY-MM-DD, Asia/Shanghai): not in the future, not more than SHIFT_MAX_AGE_DAYS ago. */
export function shiftDayProblem(day: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return "volunteers.error.shiftDay";
  if (day > today) return "volunteers.error.shiftFuture";
  const age = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;
  return age > SHIFT_MAX_AGE_DAYS ? "volunteers.error.shiftOld" : null;
}

/** Project shifts are logged while the project is being implemented. */
export const shiftsOpen = (projectStatus: string) => projectStatus === "ACTIVE";

/**
 * Whether an entry may be reversed: a project shift (not a wish's hours), not itself a reversal,
 * not reversed already. A correction is the reversal and, when the shift did happen otherwise, a
 * new entry: the entry itself never changes.
 */
export function reverseProblem(entry: { projectId: string | null; reversesId: string | null; reversed: boolean }): string | null {
  if (!entry.projectId || entry.reversesId) return "volunteers.error.notReversible";
  return entry.reversed ? "volunteers.error.alreadyReversed" : null;
}

/** Shifts and minutes of a list of entries with their reversals: a reversed shift counts for neither. */
export function shiftTotals(entries: readonly { minutes: number; reversesId: string | null }[]): { shifts: number; minutes: number } {
  const reversals = entries.filter((e) => e.reversesId).length;
  return { shifts: entries.length - 2 * reversals, minutes: totalMinutes(entries) };
}

// ───────────────────────────── forms ─────────────────────────────

const text = (min: number, max: number, shortKey: string, longKey: string) =>
  z.string({ error: "validation.required" }).trim().min(1, { error: "validation.required", abort: true }).min(min, shortKey).max(max, longKey);

const checkbox = z.preprocess((v) => v === "on" || v === true || v === "true", z.boolean());

/** Hours as typed, to minutes by `parse` (a wish's hours, a shift's), its problem as the field's error. */
const typedMinutes = (parse: (raw: string) => { minutes: number } | { problem: string }, requiredKey: string) =>
  z.string({ error: requiredKey }).transform((raw, ctx) => {
    const r = parse(raw);
    if ("problem" in r) {
      ctx.addIssue({ code: "custom", message: r.problem });
      return z.NEVER;
    }
    return r.minutes;
  });

/** Minutes already read from the form (the page's action hands the parsed form on to the service), checked again by `problemOf`. */
const minutesChecked = (problemOf: (minutes: number) => string | null) =>
  z.number().superRefine((m, ctx) => {
    const problem = problemOf(m);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const hours = typedMinutes(parseHours, "volunteers.error.hours");
const minutesRead = minutesChecked(minutesProblem);

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

export const ShiftFields = z.object({
  volunteerId: z.string({ error: "volunteers.error.shiftVolunteer" }).uuid("volunteers.error.shiftVolunteer"),
  servedOn: z.string({ error: "volunteers.error.shiftDay" }).regex(/^\d{4}-\d{2}-\d{2}$/, "volunteers.error.shiftDay"),
  hours: typedMinutes(parseShiftHours, "volunteers.error.shiftMin"),
  activity: text(4, 200, "volunteers.error.activityShort", "volunteers.error.activityLong"),
});
/** The shift form as the page's action hands it on: the hours already in minutes. */
export const ShiftRead = ShiftFields.extend({ hours: minutesChecked(shiftMinutesProblem) });

export const ReverseSchema = z.object({
  entryId: z.string().uuid(),
  reason: text(4, 500, "volunteers.error.reasonShort", "volunteers.error.reasonLong"),
});

/** The forms of a community's volunteers page. */
export const VolunteerIntents = z.discriminatedUnion("intent", [
  RegisterFields.extend({ intent: z.literal("register") }),
  DecideSchema.extend({ intent: z.literal("decide") }),
  LimitSchema.extend({ intent: z.literal("limit") }),
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
