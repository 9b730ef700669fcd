import { z } from "zod";
import { NAME_MAX } from "./auth";
import { normalisePhone } from "./pii";

/**
 * Sign-in by mobile number and SMS code, and SMS notices (docs/decisions/044). Pure rules and
 * the Zod schemas of the phone forms; numbers are normalised by `normalisePhone` (pii.ts).
 */

/** A code is good for five minutes… */
export const SMS_CODE_TTL_MS = 5 * 60_000;
/** …and for five tries: the fifth wrong one spends it. */
export const SMS_CODE_MAX_TRIES = 5;
/** A new code to the same number only after a minute. */
export const SMS_RESEND_SECONDS = 60;
export const SMS_CODE_DIGITS = 6;

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;

/** A code as typed → its six ASCII digits, or null ("１２３ ４５６" → "123456"). */
export function normaliseSmsCode(input: string): string | null {
  const s = input.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\-\u3000]/g, "");
  return new RegExp(`^\\d{${SMS_CODE_DIGITS}}$`).test(s) ? s : null;
}

/** Six digits from a random 32-bit integer (the caller draws it from a CSPRNG). */
export const formatSmsCode = (random: number) => String(random % 10 ** SMS_CODE_DIGITS).padStart(SMS_CODE_DIGITS, "0");

export type SmsCodeState = "valid" | "unknown" | "used" | "expired" | "exhausted";

/** Whether a stored code may still be tried, checked in this order. */
export function smsCodeState(code: { usedAt: Date | null; expiresAt: Date; attempts: number } | null, now: Date): SmsCodeState {
  if (!code) return "unknown";
  if (code.usedAt) return "used";
  if (code.attempts >= SMS_CODE_MAX_TRIES) return "exhausted";
  if (code.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** Seconds until another code may be sent after one sent at `lastSentAt` (0: now). */
export function resendWaitSeconds(lastSentAt: Date | null, now: Date): number {
  if (!lastSentAt) return 0;
  const left = lastSentAt.getTime() + SMS_RESEND_SECONDS * 1000 - now.getTime();
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

/**
 * The notice emails that also go by SMS to a person who chose SMS or has no email: decisions
 * about what the person asked for or gave. Action links (password resets, invitations) never do.
 */
export const SMS_NOTICE_TEMPLATES = ["award-result", "project-update", "monitoring-decision", "objection-update", "need-update", "donation-receipt", "training-cancelled", "training-changed"] as const;
export type SmsNoticeTemplate = (typeof SMS_NOTICE_TEMPLATES)[number];
export const isSmsNoticeTemplate = (template: string): template is SmsNoticeTemplate => (SMS_NOTICE_TEMPLATES as readonly string[]).includes(template);

/** The longest summary put in one notice: a provider splits and bills past 70 characters. */
export const SMS_SUMMARY_MAX = 40;

/** A notice's summary (the email's subject) cut to fit one message. */
export function smsSummary(subject: string): string {
  const chars = Array.from(subject.trim());
  return chars.length <= SMS_SUMMARY_MAX ? chars.join("") : `${chars.slice(0, SMS_SUMMARY_MAX - 1).join("")}…`;
}

/** How a notice reads where it is kept or shown (the provider's template wraps the same parameters). */
export const smsNoticeText = (p: { summary: string; link: string }) => `${p.summary} ${p.link}`;

/** Whether a person's notices go by SMS: they chose it, or they have no email; and they have a number. */
export function noticeChannel(user: { email: string | null; hasPhone: boolean; notifyBy: "EMAIL" | "SMS" }): "EMAIL" | "SMS" | null {
  if (user.hasPhone && (user.notifyBy === "SMS" || !user.email)) return "SMS";
  return user.email ? "EMAIL" : null;
}

const phoneField = z
  .string({ error: "validation.required" })
  .trim()
  .min(1, { error: "validation.required" })
  .max(40, { error: "sms.error.phoneInvalid" })
  .transform((v, ctx) => {
    const n = normalisePhone(v);
    if (!n) {
      ctx.addIssue({ code: "custom", message: "sms.error.phoneInvalid" });
      return z.NEVER;
    }
    return n;
  });

const codeField = z
  .string({ error: "validation.required" })
  .max(20, { error: "sms.error.codeFormat" })
  .transform((v, ctx) => {
    const n = normaliseSmsCode(v);
    if (!n) {
      ctx.addIssue({ code: "custom", message: "sms.error.codeFormat" });
      return z.NEVER;
    }
    return n;
  });

export const SendCodeSchema = z.object({ phone: phoneField });

/** The code step; a name and the privacy notice are needed only when the number has no account yet. */
export const VerifyCodeSchema = z.object({
  phone: phoneField,
  code: codeField,
  name: z.string().trim().max(NAME_MAX, { error: "validation.tooLong" }).optional(),
  privacy: z.literal("on").optional(),
  redirectTo: z.string().optional(),
});

export const ChangePhoneSchema = z.object({ phone: phoneField, code: codeField });

export const NotifyBySchema = z.object({ notifyBy: z.enum(["EMAIL", "SMS"], { error: "validation.invalid" }) });
