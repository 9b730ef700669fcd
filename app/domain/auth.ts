import { z } from "zod";

/**
 * Account rules and the Zod schemas of the account forms. Shared by the browser (Conform
 * validates while typing when JavaScript runs) and the server (always validates). Error
 * messages are message keys from app/locales/auth.json and common.json.
 */

export const PASSWORD_MIN = 10;
// argon2 hashes any length, but an unbounded input is a cheap way to burn server CPU
export const PASSWORD_MAX = 200;
export const NAME_MAX = 50;
export const EMAIL_MAX = 254;

/** Emails are compared and stored trimmed and lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const emailField = z
  .string({ error: "validation.required" })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, { error: "validation.tooLong" })
  .pipe(z.email({ error: "validation.email" }));

/** A password being chosen: length rules only (no composition rules, per NIST SP 800-63B). */
export const newPasswordField = z
  .string({ error: "validation.required" })
  .min(PASSWORD_MIN, { error: "auth.error.passwordTooShort" })
  .max(PASSWORD_MAX, { error: "auth.error.passwordTooLong" });

/** A password being checked: any non-empty string (old accounts may predate today's rules). */
const existingPasswordField = z
  .string({ error: "validation.required" })
  .max(PASSWORD_MAX, { error: "auth.error.passwordTooLong" });

export const SignUpSchema = z.object({
  name: z
    .string({ error: "validation.required" })
    .trim()
    .min(1, { error: "validation.required" })
    .max(NAME_MAX, { error: "validation.tooLong" }),
  email: emailField,
  password: newPasswordField,
  /** the privacy notice now in force must be accepted (recorded as a PRIVACY_NOTICE consent) */
  privacy: z.literal("on", { error: "auth.error.privacyRequired" }),
});

export const SignInSchema = z.object({
  email: emailField,
  password: existingPasswordField,
  redirectTo: z.string().optional(),
});

export const ForgotPasswordSchema = z.object({ email: emailField });

export const ResetPasswordSchema = z.object({
  token: z.string({ error: "auth.error.resetInvalid" }).max(200, { error: "auth.error.resetInvalid" }),
  password: newPasswordField,
});

export const ChangePasswordSchema = z
  .object({
    currentPassword: existingPasswordField,
    newPassword: newPasswordField,
  })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ["newPassword"], error: "auth.error.samePassword" });

/** An account made with a number or through WeChat adds an address and a password. */
export const AddEmailSchema = z.object({ email: emailField, password: newPasswordField });

export const LanguageSchema = z.object({
  locale: z.enum(["zh-CN", "en"], { error: "validation.invalid" }),
});

export type SignUpInput = z.output<typeof SignUpSchema>;
export type SignInInput = z.output<typeof SignInSchema>;

/** A wait shown to people in whole minutes, never "0 minutes". */
export function retryAfterMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

export type TokenState = "valid" | "unknown" | "used" | "expired";

/** Whether an emailed single-use token may still be used, checked in this order. */
export function tokenState(token: { usedAt: Date | null; expiresAt: Date } | null, now: Date): TokenState {
  if (!token) return "unknown";
  if (token.usedAt) return "used";
  if (token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}
