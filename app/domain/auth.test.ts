import { describe, expect, it } from "vitest";
import {
  ChangePasswordSchema,
  normalizeEmail,
  PASSWORD_MIN,
  retryAfterMinutes,
  SignInSchema,
  SignUpSchema,
  tokenState,
} from "./auth";

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("account form schemas", () => {
  it("trims and lower-cases the email, trims the name", () => {
    const r = SignUpSchema.parse({ name: "  张三 ", email: "  Zhang.San@Example.COM ", password: "a".repeat(PASSWORD_MIN), privacy: "on" });
    expect(r).toEqual({ name: "张三", email: "zhang.san@example.com", password: "a".repeat(PASSWORD_MIN), privacy: "on" });
    expect(normalizeEmail(" A@B.CN ")).toBe("a@b.cn");
  });

  it("reports each problem as a message key on its field", () => {
    expect(issues(SignUpSchema.safeParse({ name: "", email: "not-an-email", password: "short", privacy: "on" }))).toEqual({
      name: "validation.required",
      email: "validation.email",
      password: "auth.error.passwordTooShort",
    });
    expect(issues(SignUpSchema.safeParse({}))).toEqual({
      name: "validation.required",
      email: "validation.required",
      password: "validation.required",
      privacy: "auth.error.privacyRequired",
    });
    expect(issues(SignUpSchema.safeParse({ name: "x".repeat(51), email: "a@b.cn", password: "p".repeat(201), privacy: "on" }))).toEqual({
      name: "validation.tooLong",
      password: "auth.error.passwordTooLong",
    });
  });

  it("accepts a password of exactly the minimum length, not one shorter", () => {
    expect(SignUpSchema.safeParse({ name: "a", email: "a@b.cn", password: "x".repeat(PASSWORD_MIN), privacy: "on" }).success).toBe(true);
    expect(SignUpSchema.safeParse({ name: "a", email: "a@b.cn", password: "x".repeat(PASSWORD_MIN - 1), privacy: "on" }).success).toBe(false);
  });

  it("refuses a sign-up that has not accepted the privacy notice", () => {
    expect(issues(SignUpSchema.safeParse({ name: "a", email: "a@b.cn", password: "x".repeat(PASSWORD_MIN) }))).toEqual({ privacy: "auth.error.privacyRequired" });
  });

  it("checks an existing password for presence only (old accounts may predate the length rule)", () => {
    expect(SignInSchema.safeParse({ email: "a@b.cn", password: "short" }).success).toBe(true);
    expect(issues(SignInSchema.safeParse({ email: "a@b.cn" }))).toEqual({ password: "validation.required" });
  });

  it("refuses a new password equal to the current one, on the new-password field", () => {
    const same = ChangePasswordSchema.safeParse({ currentPassword: "p".repeat(12), newPassword: "p".repeat(12) });
    expect(issues(same)).toEqual({ newPassword: "auth.error.samePassword" });
    expect(ChangePasswordSchema.safeParse({ currentPassword: "old", newPassword: "n".repeat(12) }).success).toBe(true);
  });
});

describe("retryAfterMinutes", () => {
  it("rounds up to whole minutes and never says zero", () => {
    expect(retryAfterMinutes(1)).toBe(1);
    expect(retryAfterMinutes(60)).toBe(1);
    expect(retryAfterMinutes(61)).toBe(2);
    expect(retryAfterMinutes(900)).toBe(15);
    expect(retryAfterMinutes(0)).toBe(1);
  });
});

describe("tokenState", () => {
  const now = new Date("2026-03-01T08:00:00Z");
  const later = new Date(now.getTime() + 1000);
  const earlier = new Date(now.getTime() - 1000);
  it("unknown, used, expired, valid — a used token is used even if also expired", () => {
    expect(tokenState(null, now)).toBe("unknown");
    expect(tokenState({ usedAt: earlier, expiresAt: earlier }, now)).toBe("used");
    expect(tokenState({ usedAt: null, expiresAt: earlier }, now)).toBe("expired");
    expect(tokenState({ usedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(tokenState({ usedAt: null, expiresAt: later }, now)).toBe("valid");
  });
});
