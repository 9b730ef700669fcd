/**
 * 定向募捐 (Charity Law arts. 21–23, 28): only a charity holding public-fundraising status may
 * ask the public; a fund without a public-fundraising filing may ask a defined group only. Here
 * that group is reached through an invitation its manager issues: a short code, typed on a simple
 * form or carried in a link. Pure rules: who may be solicited, when an invitation is good, what
 * a code looks like, and the manager's form.
 */
import { z } from "zod";
import { fundraisingStatus } from "./campaigns";

/** Digits and capitals a person can read off paper and type without mixing them up (no 0/O, 1/I/L). */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** 12 characters of 31: about 59 bits, far beyond guessing over the network. */
export const CODE_LENGTH = 12;

/** "K7QM2XPD9RTF" → "K7QM-2XPD-9RTF": how a code is shown and printed. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

/**
 * A code as a person typed it → its canonical form, or null when it cannot be one. Spaces,
 * dashes and lower case are forgiven; full-width characters (a Chinese keyboard) are folded.
 */
export function normaliseCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const folded = input.normalize("NFKC").toUpperCase().replace(/[\s\-_.·—]/g, "");
  if (folded.length !== CODE_LENGTH) return null;
  for (const c of folded) if (!CODE_ALPHABET.includes(c)) return null;
  return folded;
}

/**
 * A new code from a source of random integers in [0, n) (crypto.randomInt on the server): each
 * character is drawn uniformly from the alphabet.
 */
export function newCode(randomInt: (n: number) => number): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

type Filing = { fundraisingFilingNo: string | null; fundraisingEntity: string | null };

/** Whether the fund may ask the public at large: only under a filing held by a fundraising entity. */
export const mayRaisePublicly = (f: Filing) => fundraisingStatus(f).kind === "public";

export interface InvitationTerms {
  foundationId: string;
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
}

export type InvitationState = "valid" | "revoked" | "expired" | "usedUp";

/** An invitation's state at `now`: revoked first (a decision), then expired, then used up. */
export function invitationState(inv: Omit<InvitationTerms, "foundationId">, now: Date): InvitationState {
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt && inv.expiresAt.getTime() <= now.getTime()) return "expired";
  if (inv.maxUses !== null && inv.uses >= inv.maxUses) return "usedUp";
  return "valid";
}

export type Solicitation = { ok: true; invitation: "none" | "used" } | { ok: false; reason: "noInvitation" | "otherFund" | Exclude<InvitationState, "valid"> };

/**
 * May this person be asked for a gift to this fund? A fund with a filing asks everyone (an
 * invitation, if any, plays no part). A fund without one asks only whoever holds a valid
 * invitation of that same fund.
 */
export function solicitation(f: Filing & { id: string }, invitation: InvitationTerms | null, now: Date): Solicitation {
  if (mayRaisePublicly(f)) return { ok: true, invitation: "none" };
  if (!invitation) return { ok: false, reason: "noInvitation" };
  if (invitation.foundationId !== f.id) return { ok: false, reason: "otherFund" };
  const state = invitationState(invitation, now);
  return state === "valid" ? { ok: true, invitation: "used" } : { ok: false, reason: state };
}

export const AUDIENCE_ZH_MAX = 200;
export const AUDIENCE_EN_MAX = 400;
export const MAX_USES_LIMIT = 100_000;

/** The manager's form: the group in both languages, an optional last day (Shanghai) and use limit. */
export const InvitationFormSchema = z.object({
  audienceZh: z.string({ error: "directed.error.audience" }).trim().min(2, "directed.error.audience").max(AUDIENCE_ZH_MAX, "directed.error.audienceLong"),
  audienceEn: z.string({ error: "directed.error.audience" }).trim().min(2, "directed.error.audience").max(AUDIENCE_EN_MAX, "directed.error.audienceLong"),
  /** "YYYY-MM-DD": good until the end of that day in Asia/Shanghai; empty = until revoked */
  expiresOn: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "directed.error.expiry")
    .optional(),
  /** empty = no limit */
  maxUses: z.coerce
    .number({ error: "directed.error.maxUses" })
    .int("directed.error.maxUses")
    .min(1, "directed.error.maxUses")
    .max(MAX_USES_LIMIT, "directed.error.maxUses")
    .optional(),
});
export type InvitationFormInput = z.output<typeof InvitationFormSchema>;

/** The instant an invitation ending on `day` (Shanghai) stops: the next midnight in Asia/Shanghai; null when not a real day. */
export function endOfShanghaiDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const start = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - 8 * 3600_000);
  // Date.UTC rolls 2026-02-31 over to March: not a real day
  const back = new Date(start.getTime() + 8 * 3600_000);
  if (back.getUTCFullYear() !== +m[1]! || back.getUTCMonth() !== +m[2]! - 1 || back.getUTCDate() !== +m[3]!) return null;
  return new Date(start.getTime() + 86_400_000);
}
