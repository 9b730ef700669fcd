/**
 * Trainings (能力培训) of an area's organizations. Pure rules:
 * - who may publish (an official of the area) and the form of a training;
 * - seats: a sign-up is refused once the active sign-ups reach the capacity;
 * - the check-in code shown at the venue: `<expiry>.<signature>`, the signature an HMAC (with the
 *   app's secret, computed by the caller) of the training's id and the expiry. A code is issued
 *   only during the check-in window (from 30 minutes before the start to 30 minutes after the
 *   end), lives CODE_LIFETIME_MS, and is accepted only until it expires and only inside the window;
 * - a certificate only for an attendee;
 * - a grantee organization that has not attended a required training that has ended is flagged.
 */
import { z } from "zod";
import { isOfficialFor, type GrantHolder } from "./permissions";
import { shanghaiLocalToDate } from "./campaigns";
import { withParams } from "./messages";

export type TrainingAudience = "ALL_ORGANIZATIONS" | "ROUND_APPLICANTS" | "FUNDED_PROJECTS";
export const TRAINING_AUDIENCES: readonly TrainingAudience[] = ["ALL_ORGANIZATIONS", "ROUND_APPLICANTS", "FUNDED_PROJECTS"];

export const MAX_CAPACITY = 2000;
/** The check-in window opens this long before the start and closes this long after the end. */
export const CHECK_IN_MARGIN_MS = 30 * 60_000;
/** How long a code shown at the venue stays valid (the page shows a fresh one well before). */
export const CODE_LIFETIME_MS = 5 * 60_000;
export const MATERIAL_MAX_BYTES = 20 * 1024 * 1024;

/** Officials of the area (or above) publish its trainings, mark attendance and attach materials. */
export const mayRunTrainings = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

// ───────────────────────────── seats ─────────────────────────────

/** Whether one more person may sign up: a problem key, or null. */
export function signupProblem(t: { capacity: number; startsAt: Date; cancelledAt?: Date | null }, activeSignups: number, now: Date): string | null {
  if (t.cancelledAt) return "trainings.error.cancelled";
  if (now >= t.startsAt) return "trainings.error.started";
  if (activeSignups >= t.capacity) return "trainings.error.full";
  return null;
}

/** Seats left (never below zero). */
export const seatsLeft = (capacity: number, active: number) => Math.max(0, capacity - active);

/** A sign-up may be cancelled until the training starts, and not once attended. */
export function cancelProblem(t: { startsAt: Date }, s: { cancelledAt: Date | null; attendedAt: Date | null }, now: Date): string | null {
  if (s.cancelledAt) return "trainings.error.notSignedUp";
  if (s.attendedAt) return "trainings.error.attended";
  if (now >= t.startsAt) return "trainings.error.started";
  return null;
}

// ───────────────────────────── check-in code ─────────────────────────────

export interface CheckInWindow {
  opens: Date;
  closes: Date;
}

export const checkInWindow = (t: { startsAt: Date; endsAt: Date }): CheckInWindow => ({
  opens: new Date(t.startsAt.getTime() - CHECK_IN_MARGIN_MS),
  closes: new Date(t.endsAt.getTime() + CHECK_IN_MARGIN_MS),
});

/** What is signed: bound to the training and the expiry. */
export const checkInMessage = (trainingId: string, expiresAtMs: number) => `training-check-in:${trainingId}:${expiresAtMs}`;

/** A signer: HMAC-SHA256 of the message with the app's secret, hex (the service supplies it). */
export type Signer = (message: string) => string;

/**
 * The code to show at the venue at `now`, or null outside the window. Codes are issued in steps
 * of a minute (the same code for everyone who opens the page in that minute) and live
 * CODE_LIFETIME_MS, never past the window's close.
 */
export function issueCheckInCode(t: { id: string; startsAt: Date; endsAt: Date }, now: Date, sign: Signer): { code: string; expiresAt: Date } | null {
  const w = checkInWindow(t);
  if (now < w.opens || now >= w.closes) return null;
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const expiresAtMs = Math.min(minute + CODE_LIFETIME_MS, w.closes.getTime());
  return { code: `${expiresAtMs}.${sign(checkInMessage(t.id, expiresAtMs))}`, expiresAt: new Date(expiresAtMs) };
}

export type CodeProblem = "trainings.error.codeInvalid" | "trainings.error.codeExpired" | "trainings.error.outsideWindow";

/** Constant-time comparison of two hex strings. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether `code` checks in to training `t` at `now`: well-formed, signed for this training and
 * this expiry, not expired, inside the window. It says nothing of who is checking in: the
 * caller checks the signed-in person in (never anyone else) and only when they signed up.
 */
export function verifyCheckInCode(code: unknown, t: { id: string; startsAt: Date; endsAt: Date }, now: Date, sign: Signer): CodeProblem | null {
  if (typeof code !== "string") return "trainings.error.codeInvalid";
  const m = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(code);
  if (!m) return "trainings.error.codeInvalid";
  const expiresAtMs = Number(m[1]);
  if (!sameHex(sign(checkInMessage(t.id, expiresAtMs)), m[2]!)) return "trainings.error.codeInvalid";
  const w = checkInWindow(t);
  // a signed expiry past the window's close was never issued
  if (expiresAtMs > w.closes.getTime()) return "trainings.error.codeInvalid";
  if (now.getTime() >= expiresAtMs) return "trainings.error.codeExpired";
  if (now < w.opens || now >= w.closes) return "trainings.error.outsideWindow";
  return null;
}

/** Check-in by code: only a signed-up, not cancelled person, at a training that is not cancelled; once. */
export function checkInProblem(
  s: { cancelledAt: Date | null; attendedAt: Date | null } | null,
  training: { cancelledAt: Date | null } = { cancelledAt: null },
): "trainings.error.cancelled" | "trainings.error.notSignedUp" | "trainings.error.alreadyCheckedIn" | null {
  if (training.cancelledAt) return "trainings.error.cancelled";
  if (!s || s.cancelledAt) return "trainings.error.notSignedUp";
  if (s.attendedAt) return "trainings.error.alreadyCheckedIn";
  return null;
}

/** The certificate is for a person who attended a training that was not cancelled. */
export const mayHaveCertificate = (s: { cancelledAt: Date | null; attendedAt: Date | null } | null, training: { cancelledAt: Date | null } = { cancelledAt: null }) =>
  !training.cancelledAt && !!s && !s.cancelledAt && !!s.attendedAt;

// ───────────────────────────── required trainings ─────────────────────────────

/**
 * Grantee organizations that missed a required training: for each required training that has
 * ended and was not cancelled, every grantee organization of its area without an attendee.
 * Sorted by training start, then organization name.
 */
export function missedRequired(
  trainings: readonly { id: string; number: number; topic: string; endsAt: Date; startsAt: Date; areaPath: string; cancelledAt?: Date | null }[],
  grantees: readonly { organizationId: string; name: string; areaPath: string }[],
  attended: ReadonlySet<string>,
  now: Date,
): { trainingNumber: number; topic: string; organizationId: string; name: string }[] {
  const out: { trainingNumber: number; topic: string; organizationId: string; name: string; at: number }[] = [];
  for (const t of trainings) {
    if (t.endsAt > now || t.cancelledAt) continue;
    for (const g of grantees) {
      if (!g.areaPath.startsWith(t.areaPath)) continue;
      if (attended.has(`${t.id}:${g.organizationId}`)) continue;
      out.push({ trainingNumber: t.number, topic: t.topic, organizationId: g.organizationId, name: g.name, at: t.startsAt.getTime() });
    }
  }
  out.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name, "zh-CN") || (a.organizationId < b.organizationId ? -1 : 1));
  return out.map(({ at: _at, ...r }) => r);
}

// ───────────────────────────── editing and cancelling ─────────────────────────────

/** What an official may change of a published training (the audience and "required" stay as published). */
export interface TrainingDetails {
  topic: string;
  trainer: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  capacity: number;
}

export const EDITABLE_FIELDS = ["topic", "trainer", "description", "startsAt", "endsAt", "place", "onlineUrl", "capacity"] as const satisfies readonly (keyof TrainingDetails)[];

const minuteOf = (d: Date) => Math.floor(d.getTime() / 60_000);

/** The fields whose value changes; times to the minute, as the form shows and sends them. */
export function changedFields(before: TrainingDetails, after: TrainingDetails): (keyof TrainingDetails)[] {
  return EDITABLE_FIELDS.filter((f) => {
    const a = before[f];
    const b = after[f];
    return a instanceof Date && b instanceof Date ? minuteOf(a) !== minuteOf(b) : a !== b;
  });
}

/** A refusal of the whole step (409), or problems per field (400). */
export type EditProblem = { problem: string } | { fields: Partial<Record<keyof TrainingDetails, string[]>> };

/**
 * Whether an official may change a published training from `before` to `after` at `now`:
 * - never once cancelled;
 * - its times only before it starts, and then to a start still ahead;
 * - its seats never below the people signed up (active sign-ups);
 * - the other details (topic, trainer, description, venue, link) at any time, to correct them.
 * Null when the change may be made.
 */
export function editProblem(current: TrainingDetails & { cancelledAt: Date | null }, after: TrainingDetails, activeSignups: number, now: Date): EditProblem | null {
  if (current.cancelledAt) return { problem: "trainings.error.cancelled" };
  const changed = changedFields(current, after);
  const fields: Partial<Record<keyof TrainingDetails, string[]>> = {};
  const timeChanged = changed.includes("startsAt") || changed.includes("endsAt");
  if (timeChanged && now >= current.startsAt) fields.startsAt = ["trainings.error.timeLocked"];
  else if (changed.includes("startsAt") && after.startsAt <= now) fields.startsAt = ["trainings.error.startPast"];
  if (after.capacity < activeSignups) fields.capacity = [withParams("trainings.error.capacityBelowSignups", { count: activeSignups })];
  return Object.keys(fields).length ? { fields } : null;
}

export const CANCEL_REASON_MAX = 500;

/** A training may be cancelled once, before it starts. */
export function cancelTrainingProblem(t: { startsAt: Date; cancelledAt: Date | null }, now: Date): string | null {
  if (t.cancelledAt) return "trainings.error.cancelled";
  if (now >= t.startsAt) return "trainings.error.started";
  return null;
}

// ───────────────────────────── attendance in the ranking ─────────────────────────────

/** Attendance 0–100 (one decimal): trainings the organization attended of those open to it that ended in the quarter; null when none was. */
export function attendanceScore(offered: number, attended: number): number | null {
  if (offered <= 0) return null;
  return Math.round((1000 * Math.min(attended, offered)) / offered) / 10;
}

// ───────────────────────────── forms ─────────────────────────────

/** An instant as the "YYYY-MM-DDTHH:mm" wall time of Asia/Shanghai (UTC+8, no daylight saving) that a datetime-local field shows. */
export const shanghaiLocalOf = (instant: Date | string) => new Date(new Date(instant).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const text = (max: number, req: string, long: string) => z.string({ error: req }).trim().min(1, req).max(max, long);

export const TrainingFields = z.object({
  topic: text(120, "trainings.error.topic", "trainings.error.tooLong"),
  trainer: text(80, "trainings.error.trainer", "trainings.error.tooLong"),
  description: z.string().trim().max(2000, "trainings.error.tooLong").optional().default(""),
  startsAt: z.string({ error: "trainings.error.when" }).regex(LOCAL_TIME, "trainings.error.when"),
  endsAt: z.string({ error: "trainings.error.when" }).regex(LOCAL_TIME, "trainings.error.when"),
  place: z.string().trim().max(200, "trainings.error.tooLong").optional().default(""),
  onlineUrl: z
    .string()
    .trim()
    .max(500, "trainings.error.tooLong")
    .optional()
    .default("")
    .refine((u) => u === "" || /^https:\/\/[^\s]+$/.test(u), "trainings.error.url"),
  capacity: z.coerce.number({ error: "trainings.error.capacity" }).int("trainings.error.capacity").min(1, "trainings.error.capacity").max(MAX_CAPACITY, "trainings.error.capacity"),
  audience: z.enum(TRAINING_AUDIENCES as [TrainingAudience, ...TrainingAudience[]], { error: "trainings.error.audience" }),
  roundCode: z.string().trim().max(40).optional().default(""),
  requiredForGrantees: z
    .union([z.literal("on"), z.literal("true"), z.boolean()])
    .optional()
    .transform((v) => v === "on" || v === "true" || v === true),
});

/** Checks across the fields: the end after the start, somewhere to go, a round for its applicants. */
export const TrainingSchema = TrainingFields.superRefine((v, ctx) => {
  const from = shanghaiLocalToDate(v.startsAt);
  const to = shanghaiLocalToDate(v.endsAt);
  if (from && to && to <= from) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "trainings.error.window" });
  if (!v.place && !v.onlineUrl) ctx.addIssue({ code: "custom", path: ["place"], message: "trainings.error.where" });
  if (v.audience === "ROUND_APPLICANTS" && !v.roundCode) ctx.addIssue({ code: "custom", path: ["roundCode"], message: "trainings.error.round" });
});
export type TrainingInput = z.output<typeof TrainingSchema>;

/** The edit form: the details of TrainingFields that may change, with the same cross-field checks. */
export const TrainingEditFields = TrainingFields.pick({ topic: true, trainer: true, description: true, startsAt: true, endsAt: true, place: true, onlineUrl: true, capacity: true });
const editChecks = (v: z.output<typeof TrainingEditFields>, ctx: z.RefinementCtx) => {
  const from = shanghaiLocalToDate(v.startsAt);
  const to = shanghaiLocalToDate(v.endsAt);
  if (from && to && to <= from) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "trainings.error.window" });
  if (!v.place && !v.onlineUrl) ctx.addIssue({ code: "custom", path: ["place"], message: "trainings.error.where" });
};
export const TrainingEditSchema = TrainingEditFields.superRefine(editChecks);
export type TrainingEditInput = z.output<typeof TrainingEditSchema>;

const reason = z.string({ error: "trainings.error.reason" }).trim().min(1, "trainings.error.reason").max(CANCEL_REASON_MAX, "trainings.error.tooLong");

const files = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.instanceof(File)));

/** The forms of a training's page. */
export const TrainingPageIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("signup"), organizationId: z.string({ error: "trainings.error.organization" }).uuid("trainings.error.organization") }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("mark"), signupId: z.string().uuid(), attended: z.enum(["yes", "no"]) }),
  z.object({ intent: z.literal("material"), file: files.optional() }),
  TrainingEditFields.extend({ intent: z.literal("edit") }).superRefine(editChecks),
  z.object({ intent: z.literal("cancelTraining"), reason }),
]);
