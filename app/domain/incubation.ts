/**
 * Incubation (培育孵化) of organizations. Pure rules:
 * - an official of the area takes an organization in (入孵, ENTERED), moves it on to nurturing
 *   (培育, NURTURING) and then out (出孵, GRADUATED), each on a day no earlier than the one before;
 *   no step is skipped and none goes back;
 * - mentors are experts with the MENTOR role in the area or above; the incubation's mentor and
 *   its officials keep the mentoring log; the organization's members read it.
 */
import { z } from "zod";
import { isOfficialFor, isWithin, type GrantHolder } from "./permissions";

export type IncubationStage = "ENTERED" | "NURTURING" | "GRADUATED";
export const INCUBATION_STAGES: readonly IncubationStage[] = ["ENTERED", "NURTURING", "GRADUATED"];

const NEXT: Record<IncubationStage, IncubationStage | null> = { ENTERED: "NURTURING", NURTURING: "GRADUATED", GRADUATED: null };

/** The stage after `stage`, or null when it is the last. */
export const nextStage = (stage: IncubationStage) => NEXT[stage];

export interface StageDates {
  enteredOn: string;
  nurturingOn: string | null;
  graduatedOn: string | null;
}

/**
 * Moving an incubation to `to` on `day` (YYYY-MM-DD): only to the next stage, on a day no
 * earlier than the previous stage's. Returns the new stage and dates, or a problem key.
 */
export function advanceStage(
  current: { stage: IncubationStage } & StageDates,
  to: IncubationStage,
  day: string,
): { stage: IncubationStage; dates: StageDates } | { problem: string } {
  if (nextStage(current.stage) !== to) return { problem: "incubation.error.stage" };
  const previous = current.stage === "ENTERED" ? current.enteredOn : current.nurturingOn!;
  if (day < previous) return { problem: "incubation.error.dayBefore" };
  return {
    stage: to,
    dates: { enteredOn: current.enteredOn, nurturingOn: to === "NURTURING" ? day : current.nurturingOn, graduatedOn: to === "GRADUATED" ? day : current.graduatedOn },
  };
}

/** Officials of the organization's area (or above) take it in and move it on. */
export const mayIncubate = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

/** Whether `grant` makes its holder a mentor who may be assigned in the area at `areaPath`. */
export const isMentorFor = (grants: readonly { role: string; areaPath: string }[], areaPath: string) =>
  grants.some((g) => g.role === "MENTOR" && isWithin(areaPath, g.areaPath));

/** Who may write the mentoring log: the incubation's mentor and the area's officials; not once it has graduated. */
export function mayLog(actor: { id: string } & Pick<GrantHolder, "grants">, inc: { mentorId: string | null; areaPath: string; stage: IncubationStage }): boolean {
  if (inc.stage === "GRADUATED") return false;
  return inc.mentorId === actor.id || isOfficialFor(actor, inc.areaPath);
}

/** Who may read an incubation and its log: its mentor, the area's officials, the organization's members. */
export function mayReadIncubation(actor: { id: string } & Pick<GrantHolder, "grants">, inc: { mentorId: string | null; areaPath: string }, isMember: boolean): boolean {
  return isMember || inc.mentorId === actor.id || isOfficialFor(actor, inc.areaPath);
}

// ───────────────────────────── forms ─────────────────────────────

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z.string({ error: "incubation.error.day" }).regex(DAY, "incubation.error.day");

export const IncubationIntents = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("enter"),
    enteredOn: day,
    goals: z.string({ error: "incubation.error.goals" }).trim().min(2, "incubation.error.goals").max(2000, "incubation.error.tooLong"),
    mentorId: z.string().uuid().optional().or(z.literal("")),
  }),
  z.object({ intent: z.literal("advance"), to: z.enum(["NURTURING", "GRADUATED"]), on: day }),
  z.object({ intent: z.literal("mentor"), mentorId: z.string().uuid().optional().or(z.literal("")) }),
  z.object({
    intent: z.literal("log"),
    heldOn: day,
    topic: z.string({ error: "incubation.error.topic" }).trim().min(2, "incubation.error.topic").max(120, "incubation.error.tooLong"),
    advice: z.string({ error: "incubation.error.advice" }).trim().min(2, "incubation.error.advice").max(4000, "incubation.error.tooLong"),
    followUps: z.string().trim().max(2000, "incubation.error.tooLong").optional().default(""),
    projectId: z.string().uuid().optional().or(z.literal("")),
  }),
]);
