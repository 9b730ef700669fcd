import { z } from "zod";
import { isValidUscc } from "./uscc";

/**
 * The forms of a round's judges: inviting one, answering an invitation with declarations of
 * conflict of interest, and declaring a conflict on an assigned proposal. Pure: the services
 * check what needs the database (the round's phase, the organizations that applied).
 */

/** Kinds of conflict of interest a judge declares (mirrors the ConflictKind enum of the schema). */
export const CONFLICT_KINDS = ["MEMBER", "ADVISOR", "EMPLOYMENT", "RELATED", "OTHER"] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const MAX_DECLARATIONS = 20;
export const NOTE_MAX = 200;

/** USCCs typed in one field, separated by spaces, commas or semicolons (either width), upper-cased. */
export const usccsOf = (text: string): string[] =>
  text
    .split(/[\s,，;；]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

/** The employers' USCCs as typed (kept as text, so that the form shows it back); each must be valid. */
const employerUsccs = z
  .string()
  .max(2000, "review.invite.usccInvalid")
  .optional()
  .default("")
  .refine((text) => usccsOf(text).every(isValidUscc), "review.invite.usccInvalid");

export const InviteJudgeSchema = z.object({
  name: z.string({ error: "review.invite.nameRequired" }).trim().min(1, "review.invite.nameRequired").max(60, "review.invite.nameTooLong"),
  email: z.string({ error: "review.invite.emailInvalid" }).trim().toLowerCase().email("review.invite.emailInvalid").max(200, "review.invite.emailInvalid"),
  employerUsccs,
});
export type InviteJudgeInput = z.output<typeof InviteJudgeSchema>;

/** One row of the accept form; a row without an organization is blank and ignored. */
const DeclarationRow = z.object({
  organizationId: z.string().optional(),
  kind: z.string().optional(),
  note: z.string().optional(),
});

/** The declared rows: those with an organization, notes trimmed to NOTE_MAX. */
export function declarationsOf(rows: readonly z.output<typeof DeclarationRow>[]): { organizationId: string; kind: ConflictKind; note: string }[] {
  return rows
    .filter((r) => !!r.organizationId)
    .map((r) => ({ organizationId: r.organizationId!, kind: r.kind as ConflictKind, note: (r.note ?? "").trim().slice(0, NOTE_MAX) }));
}

export const acceptInvitationFields = {
  rows: z.array(DeclarationRow).optional().default([]),
  noConflicts: z.boolean().optional().default(false),
  employerUsccs,
};

/**
 * The judge declares the organizations they have a conflict with (each once, with its kind), or
 * ticks "no conflicts" — one of the two, never both.
 */
export function acceptInvitationRules(v: { rows: z.output<typeof DeclarationRow>[]; noConflicts: boolean }, ctx: z.RefinementCtx) {
  const rows = v.rows.filter((r) => !!r.organizationId);
  const add = (message: string) => ctx.addIssue({ code: "custom", message, path: [] });
  if (rows.length === 0 && !v.noConflicts) add("review.accept.declareOrConfirm");
  if (rows.length > 0 && v.noConflicts) add("review.accept.bothChosen");
  if (rows.length > MAX_DECLARATIONS) add("review.accept.tooMany");
  if (rows.some((r) => !(CONFLICT_KINDS as readonly string[]).includes(r.kind ?? ""))) add("review.accept.kindRequired");
  if (new Set(rows.map((r) => r.organizationId)).size !== rows.length) add("review.accept.duplicateOrganization");
}

export const AcceptInvitationSchema = z.object(acceptInvitationFields).superRefine(acceptInvitationRules);
export type AcceptInvitationInput = z.output<typeof AcceptInvitationSchema>;

export const DeclareConflictSchema = z.object({
  kind: z.enum(CONFLICT_KINDS, { error: "review.accept.kindRequired" }),
  note: z.string().trim().max(NOTE_MAX, "review.conflict.noteTooLong").optional().default(""),
});
export type DeclareConflictInput = z.output<typeof DeclareConflictSchema>;
