import { redirect } from "react-router";
import { normalizeEmail, retryAfterMinutes, tokenState, type SignInInput, type SignUpInput } from "~/domain/auth";
import { db, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { fromDbLocale, isLocale, LOCALE_COOKIE, toDbLocale, type Locale } from "~/lib/i18n";
import { readCookie } from "~/lib/cookies.server";
import { resolveLocale } from "~/lib/locale.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/lib/notify.server";
import { queueEmail } from "~/lib/outbox.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "~/lib/password.server";
import { hit, LIMITS, refund, reset } from "~/lib/rate-limit.server";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { maskPhone } from "~/domain/pii";
import { decryptPii } from "~/lib/pii.server";
import { isWechatOnly, signedInRecently, undeliverableEmail } from "~/domain/wechat";
import { SMS_ONLY_PASSWORD } from "./phone.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { clientIp, createSession, destroySession, getViewer, requestOrigin, safeRedirect, type Viewer } from "~/lib/session.server";
import { audit } from "~/services/books/audit.server";
import { renderEmail } from "../../../emails";
import { recordConsent } from "./consent.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";

/**
 * Accounts and sessions: sign-up, email verification, sign-in, sign-out, password reset and
 * change. Every change and the email it causes commit together (or not at all) with their
 * audit record. Failures a person can act on come back as a `Problem` (lib/result.ts) with
 * message keys for the form; a rate limit's refusal is a 429 whose detail says when to retry.
 */

/** Where people land after signing in when no page asked for them. */
export const AFTER_SIGN_IN = "/me";

const HOUR_MS = 3_600_000;
const TOKEN_TTL_MS = { VERIFY_EMAIL: 24 * HOUR_MS, RESET_PASSWORD: HOUR_MS } as const;

/** The detail of a refusal by a rate limit: seconds until the next attempt may pass. */
export interface RateLimited {
  retryAfterSeconds: number;
}

/** The whole minutes to wait that a page shows after a rate limit refused (null for other problems). */
export const retryMinutesOf = (problem: { detail?: RateLimited | null | undefined }): number | null =>
  problem.detail ? retryAfterMinutes(problem.detail.retryAfterSeconds) : null;

const limited = (retryAfterSeconds: number) => fail<RateLimited>(429, "auth.error.rateLimited", { detail: { retryAfterSeconds } });
const INVALID_CREDENTIALS = () => fail(400, "auth.error.invalidCredentials");

const signInAccountKey = (email: string) => `signin:account:${normalizeEmail(email)}`;
const signInIpKey = (ip: string) => `signin:ip:${ip}`;
const signInAccountIpKey = (email: string, ip: string) => `signin:account-ip:${normalizeEmail(email)}:${ip}`;

function appLink(path: string, token: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;
}

/** A fresh single-use token for `kind`; only its SHA-256 is stored. */
async function issueToken(tx: Tx, userId: string, kind: keyof typeof TOKEN_TTL_MS): Promise<string> {
  const token = randomToken();
  await tx.emailToken.create({
    data: { kind, userId, tokenHash: sha256(token), expiresAt: new Date(Date.now() + TOKEN_TTL_MS[kind]) },
  });
  return token;
}

/** The email that carries each kind of link, and the page the link opens. */
const LINK_MAILS = {
  VERIFY_EMAIL: { template: "verify-email", path: "/verify" },
  RESET_PASSWORD: { template: "reset-password", path: "/reset-password" },
} as const;

/** Issues a fresh link of `kind` for the user and queues the email that carries it, in the same transaction. */
async function mailLink(tx: Tx, user: { id: string; email: string; name: string; locale: Locale }, kind: keyof typeof LINK_MAILS): Promise<void> {
  const token = await issueToken(tx, user.id, kind);
  const { template, path } = LINK_MAILS[kind];
  await queueEmail(tx, { to: user.email, userId: user.id, locale: user.locale, template, props: { name: user.name, link: appLink(path, token) } });
}

/** Claims a token exactly once, even when two requests race for it. */
async function claimToken(tx: Tx, id: string, now: Date): Promise<boolean> {
  const claimed = await tx.emailToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return claimed.count === 1;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

// ---------------------------------------------------------------------------------- sign-up

/** Signed in: the account and the Set-Cookie header of its new session. */
type SignedIn = { userId: string; cookie: string };

export type SignUpResult = Result<SignedIn>;

/**
 * Creates the account, records the privacy notice it accepted, signs it in and sends the
 * verification link, all in one transaction.
 * Unlike sign-in, sign-up does say that an email is taken: the person needs to know to sign in
 * instead, and anyone could learn the same by trying to sign up.
 */
export async function signUp(request: Request, input: SignUpInput): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  const emailTaken = () => fail(409, [], { fieldErrors: { email: ["auth.error.emailTaken"] } });
  if (await db().user.findUnique({ where: { email }, select: { id: true } })) return emailTaken();

  const locale = resolveLocale(request, null);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name, passwordHash, locale: locale === "en" ? "en" : "zh_CN" },
        select: { id: true },
      });
      await mailLink(tx, { id: user.id, email, name, locale }, "VERIFY_EMAIL");
      await notify(tx, { userId: user.id, kind: "welcome", link: "/me" });
      // the notice the form required, as proof: version, when, address and browser
      const consent = await recordConsent(tx, { kind: "PRIVACY_NOTICE", userId: user.id }, requestOrigin(request));
      await audit(tx, { actorId: user.id, action: "user.signup", objectType: "User", objectId: user.id, after: { locale, emailVerified: false, noticeVersion: consent.noticeVersion } });
      const cookie = await createSession(request, user.id, tx);
      return ok({ userId: user.id, cookie });
    });
  } catch (error) {
    // the same email signed up at the same moment: the unique index decided
    if (isUniqueViolation(error)) return emailTaken();
    throw error;
  }
}

// ------------------------------------------------------------------------ email verification

/** The detail of a link that cannot be used: whether the address is verified anyway. */
export interface VerifyRefusal {
  alreadyVerified: boolean;
}

export type VerifyResult = Result<{ userId: string }, VerifyRefusal>;

const verifyRefused = (status: 404 | 409, key: string, alreadyVerified: boolean) => fail<VerifyRefusal>(status, key, { detail: { alreadyVerified } });

/** Uses a verification link once (404: no such link, 409: used or expired). A used link says whether the address is verified anyway. */
export async function verifyEmail(token: string): Promise<VerifyResult> {
  const row = token
    ? await db().emailToken.findUnique({
        where: { tokenHash: sha256(token) },
        include: { user: { select: { emailVerifiedAt: true } } },
      })
    : null;
  if (!row || row.kind !== "VERIFY_EMAIL") return verifyRefused(404, "auth.error.verifyInvalid", false);
  const alreadyVerified = !!row.user.emailVerifiedAt;
  const now = new Date();
  const state = tokenState(row, now);
  if (state === "used") return verifyRefused(409, "auth.error.verifyUsed", alreadyVerified);
  if (state === "expired") return verifyRefused(409, "auth.error.verifyExpired", alreadyVerified);

  const claimed = await db().$transaction(async (tx) => {
    if (!(await claimToken(tx, row.id, now))) return false;
    await tx.user.updateMany({ where: { id: row.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
    await audit(tx, { actorId: row.userId, action: "user.emailVerified", objectType: "User", objectId: row.userId, before: { emailVerified: alreadyVerified }, after: { emailVerified: true } });
    return true;
  });
  return claimed ? ok({ userId: row.userId }) : verifyRefused(409, "auth.error.verifyUsed", true);
}

export type ResendResult = Result<{ alreadyVerified: boolean }, RateLimited>;

/** Sends a new verification link to the signed-in, unverified viewer. */
export async function resendVerification(viewer: Viewer): Promise<ResendResult> {
  const email = viewer.email;
  // an account made with a mobile number has no address to verify
  if (viewer.emailVerified || !email) return ok({ alreadyVerified: true });
  const limit = await hit(`verify-mail:${viewer.id}`, LIMITS.verificationEmail.limit, LIMITS.verificationEmail.windowSeconds);
  if (!limit.allowed) return limited(limit.retryAfterSeconds);
  await db().$transaction((tx) => mailLink(tx, { ...viewer, email }, "VERIFY_EMAIL"));
  return ok({ alreadyVerified: false });
}

// ---------------------------------------------------------------------------------- sign-in

export type SignInResult = Result<SignedIn, RateLimited | undefined>;

/**
 * Checks email and password and starts a new session (ending the one the request came with).
 *
 * Says nothing about whether the account exists: an unknown email and a wrong password give
 * the same error after the same work (a hash is verified either way), and the per-account
 * limits are keyed on the email typed, existing or not. Three limits count failures: per account
 * and address (tight), per account from anywhere (looser), and per address across accounts (much
 * looser: one office behind one address must not lock itself out). They are taken before the
 * password is checked, atomically, so parallel guesses cannot slip past them; a refused attempt
 * gives back the hits it took and checks no password, and a success clears the account's
 * failures and gives back its address hit, so the limits count failed checks only.
 *
 * Accounts whose email is not yet verified may sign in; the pages ask them to verify.
 */
export async function signIn(request: Request, input: Pick<SignInInput, "email" | "password">): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const ip = clientIp(request);
  const ipKey = signInIpKey(ip);
  const accountIpKey = signInAccountIpKey(email, ip);
  const accountKey = signInAccountKey(email);

  const checks = [
    { key: ipKey, scope: "ip", ...LIMITS.signInIp },
    { key: accountIpKey, scope: "account+ip", ...LIMITS.signInAccountIp },
    { key: accountKey, scope: "account", ...LIMITS.signInAccount },
  ] as const;
  const taken: string[] = [];
  for (const check of checks) {
    const counted = await hit(check.key, check.limit, check.windowSeconds);
    taken.push(check.key);
    if (!counted.allowed) {
      for (const key of taken) await refund(key);
      logger.warn({ event: "signin.limited", scope: check.scope, ip }, "sign-in refused by rate limit");
      return limited(counted.retryAfterSeconds);
    }
  }

  const user = await db().user.findUnique({ where: { email }, select: { id: true, passwordHash: true, locale: true } });
  let valid = false;
  if (user) valid = await verifyPassword(user.passwordHash, input.password);
  else await verifyPassword(await dummyPasswordHash(), input.password);
  if (!user || !valid) {
    logger.info({ event: "signin.failed", ip }, "sign-in failed");
    return INVALID_CREDENTIALS();
  }

  await reset(accountKey);
  await reset(accountIpKey);
  await refund(ipKey);
  // the language chosen before signing in (the switcher's cookie) wins over the one the account
  // remembered, and the account remembers it: the page does not change language under the person
  const chosen = readCookie(request, LOCALE_COOKIE);
  const locale = isLocale(chosen) && toDbLocale(chosen) !== user.locale ? toDbLocale(chosen) : null;
  const cookie = await db().$transaction(async (tx) => {
    if (locale) await tx.user.update({ where: { id: user.id }, data: { locale } });
    const c = await createSession(request, user.id, tx);
    await audit(tx, {
      actorId: user.id,
      action: "user.signin",
      objectType: "User",
      objectId: user.id,
      after: locale ? { method: "password", locale } : { method: "password" },
    });
    return c;
  });
  return ok({ userId: user.id, cookie });
}

/** Ends the request's session. Returns the Set-Cookie header that clears the cookie. */
export function signOut(request: Request): Promise<string> {
  return destroySession(request);
}

/** Signed-in visitors have no business on /login or /signup: send them on. */
export async function redirectIfSignedIn(request: Request): Promise<void> {
  if (await getViewer(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), AFTER_SIGN_IN));
  }
}

// --------------------------------------------------------------------------- password reset

export type RequestResetResult = Result<object, RateLimited>;

/**
 * Emails a reset link (valid one hour) if the address has an account. The answer is the same
 * either way, and the costly part of the work (rendering the email) is done either way.
 */
export async function requestPasswordReset(request: Request, rawEmail: string): Promise<RequestResetResult> {
  const email = normalizeEmail(rawEmail);
  const limit = await hit(`reset-mail:${email}`, LIMITS.passwordResetEmail.limit, LIMITS.passwordResetEmail.windowSeconds);
  if (!limit.allowed) return limited(limit.retryAfterSeconds);

  const user = await db().user.findUnique({ where: { email }, select: { id: true, name: true, locale: true } });
  if (!user) {
    await renderEmail("reset-password", { name: "", link: appLink("/reset-password", randomToken()) }, resolveLocale(request, null));
    return ok();
  }
  await db().$transaction((tx) => mailLink(tx, { ...user, email, locale: fromDbLocale(user.locale) }, "RESET_PASSWORD"));
  return ok();
}

type ResetTokenError = "auth.error.resetInvalid" | "auth.error.resetExpired" | "auth.error.resetUsed";
const RESET_ERRORS: Record<"unknown" | "used" | "expired", ResetTokenError> = {
  unknown: "auth.error.resetInvalid",
  used: "auth.error.resetUsed",
  expired: "auth.error.resetExpired",
};
/** A reset link that cannot be used: 404 when there is no such link, 409 when it was used or has expired. */
const resetRefused = (state: keyof typeof RESET_ERRORS) => fail(state === "unknown" ? 404 : 409, RESET_ERRORS[state]);

async function findResetToken(token: string) {
  if (!token) return null;
  const row = await db().emailToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { select: { id: true, email: true, emailVerifiedAt: true } } },
  });
  return row && row.kind === "RESET_PASSWORD" ? row : null;
}

/** Whether a reset link can still be used (for showing the form or the reason it cannot be). */
export async function checkResetToken(token: string): Promise<Result> {
  const state = tokenState(await findResetToken(token), new Date());
  return state === "valid" ? ok() : resetRefused(state);
}

export type ResetPasswordResult = Result<SignedIn>;

/**
 * Sets a new password from a reset link: uses the link (and every other open reset link of the
 * account), ends all the account's sessions, and signs in here with a fresh one. The link came
 * to the mailbox, so the address counts as verified too.
 */
export async function resetPassword(request: Request, token: string, newPassword: string): Promise<ResetPasswordResult> {
  const row = await findResetToken(token);
  const state = tokenState(row, new Date());
  if (state !== "valid" || !row) return resetRefused(state === "valid" ? "unknown" : state);

  const passwordHash = await hashPassword(newPassword);
  const user = row.user;
  const cookie = await db().$transaction(async (tx) => {
    const now = new Date();
    if (!(await claimToken(tx, row.id, now))) return null;
    await tx.emailToken.updateMany({ where: { userId: user.id, kind: "RESET_PASSWORD", usedAt: null }, data: { usedAt: now } });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now } });
    const ended = await tx.session.deleteMany({ where: { userId: user.id } });
    const c = await createSession(request, user.id, tx);
    // whoever holds the mailbox owns the account: lift a sign-in lock caused by guessing
    if (user.email) {
      await reset(signInAccountKey(user.email), tx);
      await tx.rateLimitBucket.deleteMany({ where: { key: { startsWith: signInAccountIpKey(user.email, "") } } });
    }
    await audit(tx, { actorId: user.id, action: "user.passwordReset", objectType: "User", objectId: user.id, after: { sessionsEnded: ended.count } });
    return c;
  });
  if (!cookie) return resetRefused("used");
  return ok({ userId: user.id, cookie });
}

// -------------------------------------------------------------------------- change password

export type ChangePasswordResult = Result<{ cookie: string }, RateLimited | undefined>;

/**
 * Changes the viewer's password after checking the current one (rate-limited with the
 * account's sign-in failures, so a borrowed session cannot guess it). Every session of the
 * account ends, this one is replaced by a fresh one, and open reset links stop working.
 */
export async function changePassword(request: Request, viewer: Viewer, currentPassword: string, newPassword: string): Promise<ChangePasswordResult> {
  const key = signInAccountKey(viewer.email ?? `user:${viewer.id}`);
  const limit = await hit(key, LIMITS.changePassword.limit, LIMITS.changePassword.windowSeconds);
  if (!limit.allowed) return limited(limit.retryAfterSeconds);

  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    return invalid({ currentPassword: ["auth.error.currentPasswordWrong"] });
  }
  await reset(key);

  const passwordHash = await hashPassword(newPassword);
  const cookie = await db().$transaction(async (tx) => {
    const now = new Date();
    await tx.user.update({ where: { id: viewer.id }, data: { passwordHash } });
    await tx.emailToken.updateMany({ where: { userId: viewer.id, kind: "RESET_PASSWORD", usedAt: null }, data: { usedAt: now } });
    const ended = await tx.session.deleteMany({ where: { userId: viewer.id } });
    const c = await createSession(request, viewer.id, tx);
    await audit(tx, { actorId: viewer.id, action: "user.passwordChanged", objectType: "User", objectId: viewer.id, after: { otherSessionsEnded: Math.max(0, ended.count - 1) } });
    return c;
  });
  return ok({ cookie });
}

// ------------------------------------------------------------- add an address and a password

/** Whether the session was started (signed in) within the last ten minutes. */
export async function sessionIsRecent(sessionId: string | undefined): Promise<boolean> {
  const session = sessionId ? await db().session.findUnique({ where: { id: sessionId }, select: { createdAt: true } }) : null;
  return !!session && signedInRecently(session.createdAt, new Date());
}

/** An account made with a number or through WeChat: no password and no address mail reaches. */
export const passwordless = (user: { email: string | null; passwordHash: string }) =>
  undeliverableEmail(user.email) && (isWechatOnly(user.passwordHash) || user.passwordHash === SMS_ONLY_PASSWORD);

/** For the account page: null for an account with a password; else whether its sign-in is recent enough to add one. */
export async function addEmailState(viewer: Pick<Viewer, "id" | "sessionId">): Promise<{ recent: boolean } | null> {
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, passwordHash: true } });
  return passwordless(user) ? { recent: await sessionIsRecent(viewer.sessionId) } : null;
}

export type AddEmailResult = Result<{ cookie: string }, RateLimited | undefined>;

/**
 * Gives an account made with a number or through WeChat an e-mail address and a password, so it
 * can also sign in with them and reset the password by mail. Asked within ten minutes of signing
 * in (as deleting such an account is), so a session left open cannot add a way in; refused when the
 * address is another account's. The address is unverified until its link (the sign-up's
 * verification mail, sent in the same transaction) is followed. Every other session ends.
 */
export async function addEmailAndPassword(request: Request, viewer: Pick<Viewer, "id" | "sessionId">, input: { email: string; password: string }): Promise<AddEmailResult> {
  const key = `add-email:${viewer.id}`;
  const limit = await hit(key, LIMITS.changePassword.limit, LIMITS.changePassword.windowSeconds);
  if (!limit.allowed) return limited(limit.retryAfterSeconds);
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, passwordHash: true, name: true, locale: true } });
  if (!passwordless(user)) return fail(409, "auth.addEmail.hasPassword");
  if (!(await sessionIsRecent(viewer.sessionId))) return fail(403, "auth.addEmail.signInAgain");
  const email = normalizeEmail(input.email);
  const emailTaken = () => invalid({ email: ["auth.error.emailTaken"] });
  if (await db().user.findUnique({ where: { email }, select: { id: true } })) return emailTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    const cookie = await db().$transaction(async (tx) => {
      // one conditional update: two forms sent at once add one address
      const changed = await tx.user.updateMany({ where: { id: viewer.id, passwordHash: user.passwordHash }, data: { email, passwordHash, emailVerifiedAt: null } });
      if (changed.count !== 1) return null;
      await mailLink(tx, { id: viewer.id, email, name: user.name, locale: fromDbLocale(user.locale) }, "VERIFY_EMAIL");
      const ended = await tx.session.deleteMany({ where: { userId: viewer.id } });
      const c = await createSession(request, viewer.id, tx);
      // the audit says an address and a password were added, never which
      await audit(tx, { actorId: viewer.id, action: "user.emailAdded", objectType: "User", objectId: viewer.id, before: { hadEmail: false, hadPassword: false }, after: { hasEmail: true, emailVerified: false, hasPassword: true, otherSessionsEnded: Math.max(0, ended.count - 1) } });
      return c;
    });
    if (!cookie) return fail(409, "auth.addEmail.hasPassword");
    await reset(key);
    return ok({ cookie });
  } catch (error) {
    if (isUniqueViolation(error)) return emailTaken();
    throw error;
  }
}

// ---------------------------------------------------------------------------------- account

/** What /account shows about the viewer: their own data only. */
export async function accountSummary(viewer: Viewer) {
  const [user, sessions] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { createdAt: true, phoneEnc: true } }),
    db().session.count({ where: { userId: viewer.id, expiresAt: { gt: new Date() } } }),
  ]);
  return {
    name: viewer.name,
    email: viewer.email,
    emailVerified: viewer.emailVerified,
    locale: viewer.locale,
    createdAt: user.createdAt.toISOString(),
    /** masked: the whole number is never sent to a page */
    phone: user.phoneEnc ? maskPhone(decryptPii(user.phoneEnc)) : null,
    sessions,
    roles: viewer.grants.map((g) => ({ role: g.role, areaZh: g.areaNameZh, areaEn: g.areaNameEn })),
    organizations: viewer.organizations.map((o) => ({ id: o.id, name: o.name })),
  };
}

export interface DemoAccount {
  role: string;
  email: string;
  name: string;
}

/** The demo accounts and their shared password, in demo mode only; otherwise null. */
export function demoAccounts(): { password: string; accounts: DemoAccount[] } | null {
  if (!env().DEMO_MODE) return null;
  const a = DEMO_ACCOUNTS;
  const accounts: DemoAccount[] = [
    { role: "official", ...a.official },
    { role: "communityOfficial", ...a.communityOfficial },
    { role: "reviewer", ...a.reviewer },
    { role: "applicantOrg", ...a.applicantOrg },
    { role: "applicantTeam", ...a.applicantTeam },
    ...a.judges.map((j) => ({ role: "judge", ...j })),
    { role: "foundationManager", ...a.foundationManager },
    { role: "mentor", ...a.mentor },
    { role: "donor", ...a.donor },
    { role: "resident", ...a.resident },
  ];
  return { password: DEMO_PASSWORD, accounts };
}
