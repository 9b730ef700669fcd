import crypto from "node:crypto";
import { maskPhone } from "~/domain/pii";
import { formatSmsCode, resendWaitSeconds, SMS_CODE_MAX_TRIES, SMS_CODE_TTL_MS, smsCodeState } from "~/domain/sms";
import { db, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { isLocale, LOCALE_COOKIE, toDbLocale } from "~/lib/i18n";
import { readCookie } from "~/lib/cookies.server";
import { resolveLocale } from "~/lib/locale.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/lib/notify.server";
import { decryptPii, encryptPii, phoneHmac, secretHmac } from "~/lib/pii.server";
import { hit, LIMITS, refund } from "~/lib/rate-limit.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { clientIp, createSession, requestOrigin, type Viewer } from "~/lib/session.server";
import { smsProvider, SmsSendError } from "~/lib/sms.server";
import { audit } from "~/services/books/audit.server";
import type { RateLimited } from "./auth.server";
import { recordConsent } from "./consent.server";

/**
 * Sign-up and sign-in with a mainland mobile number and an SMS code, and moving an account to a
 * new number (docs/decisions/044). Numbers arrive normalised (domain/sms.ts schemas); the account
 * keeps its number encrypted with a keyed hash to find it by. Codes are stored as a keyed hash
 * only, good for five minutes and five tries, and claimed once by an atomic update, so two
 * requests with the same code make one sign-in. Sending is limited per number (one a minute, a
 * few an hour) and per address; in local SMS mode the code is handed back to the person asking,
 * and only in demo mode.
 */

/** An account made with a number has no password: no argon2 hash can equal this. */
export const SMS_ONLY_PASSWORD = "sms-only";

const codeHash = (codeId: string, code: string) => secretHmac("sms-code", `${codeId}:${code}`);
const limited = (retryAfterSeconds: number) => fail<RateLimited>(429, "auth.error.rateLimited", { detail: { retryAfterSeconds } });
const codeWrong = () => invalid({ code: ["sms.error.codeWrong"] });
type CodePurpose = "SIGN_IN" | "CHANGE_PHONE" | "DELETE_ACCOUNT";
const CODE_REFUSALS = { unknown: "sms.error.codeWrong", used: "sms.error.codeUsed", expired: "sms.error.codeExpired", exhausted: "sms.error.codeExhausted" } as const;

export interface CodeSent {
  /** the number as shown back: 138****5678 */
  masked: string;
  /** the code itself, in local SMS mode and demo mode only: shown to the person who asked */
  localCode: string | null;
  resendAfterSeconds: number;
}

/**
 * Sends a code to `phone` for `purpose`. Refused within a minute of the last code to the number
 * (429, with the wait), past the hourly limits per number and per client address, and, for a
 * number change, when the number belongs to another account. A provider failure gives back the
 * hits it took and says so (409: try again).
 */
export async function sendCode(request: Request, phone: string, purpose: CodePurpose, viewer: Pick<Viewer, "id"> | null = null): Promise<Result<CodeSent, RateLimited | undefined>> {
  const hmac = phoneHmac(phone);
  if (purpose !== "SIGN_IN" && !viewer) throw new Error(`sendCode: ${purpose} needs the signed-in account`);
  if (purpose === "CHANGE_PHONE" && viewer) {
    const owner = await db().user.findUnique({ where: { phoneHmac: hmac }, select: { id: true } });
    if (owner) return invalid({ phone: [owner.id === viewer.id ? "sms.error.phoneSame" : "sms.error.phoneTaken"] });
  }
  const now = new Date();
  const last = await db().smsCode.findFirst({ where: { phoneHmac: hmac, purpose }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const wait = resendWaitSeconds(last?.createdAt ?? null, now);
  if (wait > 0) return limited(wait);

  const keys = [
    { key: `sms:phone:${hmac}`, ...LIMITS.smsCodePhone },
    { key: `sms:ip:${clientIp(request)}`, ...LIMITS.smsCodeIp },
  ];
  const taken: string[] = [];
  for (const k of keys) {
    const counted = await hit(k.key, k.limit, k.windowSeconds);
    taken.push(k.key);
    if (!counted.allowed) {
      for (const key of taken) await refund(key);
      logger.warn({ event: "sms.code.limited", purpose }, "SMS code refused by rate limit");
      return limited(counted.retryAfterSeconds);
    }
  }

  const code = formatSmsCode(crypto.randomInt(0, 2 ** 32 - 1));
  const id = crypto.randomUUID();
  const provider = smsProvider();
  if (provider) {
    try {
      await provider.send(phone, "code", { code });
    } catch (error) {
      for (const key of taken) await refund(key);
      logger.warn({ event: "sms.code.failed", provider: provider.name, code: error instanceof SmsSendError ? error.code : "ERROR" }, "SMS code not sent");
      // the person may try again; 409 as the form states a problem of this moment
      return fail(409, "sms.error.sendFailed");
    }
  }
  await db().smsCode.create({
    data: { id, purpose, phoneHmac: hmac, userId: viewer?.id ?? null, codeHash: codeHash(id, code), expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS) },
  });
  // local SMS mode: nothing was sent; a demo shows the code to this person, on this response only
  const localCode = !provider && env().DEMO_MODE ? code : null;
  return ok({ masked: maskPhone(phone), localCode, resendAfterSeconds: resendWaitSeconds(now, new Date()) });
}

/**
 * Checks `code` against the newest code sent to `phone` for `purpose` and, when it matches, claims
 * it: exactly one caller wins a race, the others are told it was used. A wrong code counts a try;
 * the fifth spends the code.
 */
async function claimCode(tx: Tx, phone: string, code: string, purpose: CodePurpose, userId: string | null): Promise<Result<{ hmac: string }>> {
  const hmac = phoneHmac(phone);
  const row = await tx.smsCode.findFirst({
    where: { phoneHmac: hmac, purpose, ...(userId ? { userId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  const now = new Date();
  const state = smsCodeState(row, now);
  if (state !== "valid" || !row) return invalid({ code: [CODE_REFUSALS[state === "valid" ? "unknown" : state]] });
  if (codeHash(row.id, code) !== row.codeHash) {
    // counted outside the caller's transaction, so a refusal (which rolls it back) still counts
    const counted = await db().smsCode.updateMany({ where: { id: row.id, usedAt: null }, data: { attempts: { increment: 1 } } });
    const left = SMS_CODE_MAX_TRIES - row.attempts - counted.count;
    return invalid({ code: [left > 0 ? "sms.error.codeWrong" : "sms.error.codeExhausted"] });
  }
  const claimed = await tx.smsCode.updateMany({
    where: { id: row.id, usedAt: null, attempts: { lt: SMS_CODE_MAX_TRIES }, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return claimed.count === 1 ? ok({ hmac }) : invalid({ code: ["sms.error.codeUsed"] });
}

export type PhoneSignInResult = Result<{ userId: string; cookie: string; created: boolean }, { needsName: boolean } | undefined>;

/**
 * Signs in the account with this number, or (with a name and the privacy notice accepted) makes
 * one, when `code` is the code sent to it. A number without an account and without a name is
 * answered "tell us your name" before the code is tried, so the code is not spent.
 */
export async function signInWithCode(request: Request, input: { phone: string; code: string; name?: string | undefined; privacy?: "on" | undefined }): Promise<PhoneSignInResult> {
  const hmac = phoneHmac(input.phone);
  const existing = await db().user.findUnique({ where: { phoneHmac: hmac }, select: { id: true, deletedAt: true } });
  const name = input.name?.trim() ?? "";
  if (!existing && (!name || input.privacy !== "on")) {
    const fieldErrors: Record<string, string[]> = {};
    if (!name) fieldErrors.name = ["validation.required"];
    if (input.privacy !== "on") fieldErrors.privacy = ["auth.error.privacyRequired"];
    return fail(400, [], { fieldErrors, detail: { needsName: true } });
  }
  if (existing?.deletedAt) return codeWrong();

  const chosen = readCookie(request, LOCALE_COOKIE);
  const locale = isLocale(chosen) ? chosen : resolveLocale(request, null);
  try {
    return await db().$transaction(async (tx) => {
      const claimed = await claimCode(tx, input.phone, input.code, "SIGN_IN", null);
      if (!claimed.ok) return claimed;
      const now = new Date();
      let userId = existing?.id;
      let created = false;
      if (!userId) {
        const user = await tx.user.create({
          data: { email: null, name, passwordHash: SMS_ONLY_PASSWORD, locale: toDbLocale(locale), phoneEnc: encryptPii(input.phone), phoneHmac: hmac, phoneVerifiedAt: now, notifyBy: "SMS" },
          select: { id: true },
        });
        userId = user.id;
        created = true;
        await notify(tx, { userId, kind: "welcome", link: "/me" });
        const consent = await recordConsent(tx, { kind: "PRIVACY_NOTICE", userId }, requestOrigin(request));
        await audit(tx, { actorId: userId, action: "user.signup", objectType: "User", objectId: userId, after: { locale, method: "sms", noticeVersion: consent.noticeVersion } });
      } else {
        await audit(tx, { actorId: userId, action: "user.signin", objectType: "User", objectId: userId, after: { method: "sms" } });
      }
      const cookie = await createSession(request, userId, tx);
      return ok({ userId, cookie, created });
    });
  } catch (error) {
    // the same new number signed up twice at once with two codes: the unique index decided
    if ((error as { code?: unknown }).code === "P2002") return invalid({ code: ["sms.error.codeUsed"] });
    throw error;
  }
}

/** Moves the viewer's account to `phone` once the code sent there for the change is entered. */
export async function changePhone(viewer: Viewer, input: { phone: string; code: string }): Promise<Result> {
  try {
    return await db().$transaction(async (tx) => {
      const claimed = await claimCode(tx, input.phone, input.code, "CHANGE_PHONE", viewer.id);
      if (!claimed.ok) return claimed;
      const before = await tx.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { phoneHmac: true } });
      await tx.user.update({ where: { id: viewer.id }, data: { phoneEnc: encryptPii(input.phone), phoneHmac: claimed.hmac, phoneVerifiedAt: new Date() } });
      // the audit says a number was added or replaced, never which
      await audit(tx, { actorId: viewer.id, action: "user.phoneChanged", objectType: "User", objectId: viewer.id, before: { hadPhone: !!before.phoneHmac }, after: { hasPhone: true } });
      return ok();
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") return invalid({ phone: ["sms.error.phoneTaken"] });
    throw error;
  }
}

/**
 * Sends a code to the viewer's own number to confirm deleting the account (an account without a
 * password): the same code rules as signing in (five minutes, five tries, resend limits), and the
 * code is good for this account only. 404 without a number.
 */
export async function sendDeletionCode(request: Request, viewer: Pick<Viewer, "id">): Promise<Result<CodeSent, RateLimited | undefined>> {
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { phoneEnc: true } });
  if (!user.phoneEnc) return fail(404, "sms.error.noPhone");
  return sendCode(request, decryptPii(user.phoneEnc), "DELETE_ACCOUNT", viewer);
}

/** Claims, in the deletion's transaction, the deletion code sent to the viewer's own number. */
export async function claimDeletionCode(tx: Tx, userId: string, code: string): Promise<Result> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { phoneEnc: true } });
  if (!user.phoneEnc) return codeWrong();
  const claimed = await claimCode(tx, decryptPii(user.phoneEnc), code, "DELETE_ACCOUNT", userId);
  return claimed.ok ? ok() : claimed;
}

/** Where the viewer's notices go: by email or by SMS (SMS needs a number). */
export async function setNotifyBy(viewer: Viewer, notifyBy: "EMAIL" | "SMS"): Promise<Result> {
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { phoneHmac: true, email: true, notifyBy: true } });
    if (notifyBy === "SMS" && !user.phoneHmac) return invalid({ notifyBy: ["sms.error.noPhone"] });
    if (notifyBy === "EMAIL" && !user.email) return invalid({ notifyBy: ["sms.error.noEmail"] });
    if (user.notifyBy === notifyBy) return ok();
    await tx.user.update({ where: { id: viewer.id }, data: { notifyBy } });
    await audit(tx, { actorId: viewer.id, action: "user.notifyBy", objectType: "User", objectId: viewer.id, before: { notifyBy: user.notifyBy }, after: { notifyBy } });
    return ok();
  });
}

/** What the phone page shows of the viewer's own number: masked, never whole. */
export async function phoneSummary(viewer: Viewer) {
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { phoneEnc: true, notifyBy: true, email: true } });
  return { masked: user.phoneEnc ? maskPhone(decryptPii(user.phoneEnc)) : null, notifyBy: user.notifyBy, hasEmail: !!user.email };
}
