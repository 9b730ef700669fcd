import crypto from "node:crypto";
import { readCookie, serializeCookie } from "~/lib/cookies.server";
import { randomHex, randomToken, sha256 } from "~/lib/crypto.server";
import { db } from "~/lib/db.server";
import { appUrl, env } from "~/lib/env.server";
import { toDbLocale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/lib/notify.server";
import { secretHmac } from "~/lib/pii.server";
import { fail, ok, type Result } from "~/lib/result";
import { createSession, safeRedirect, type Viewer } from "~/lib/session.server";
import { audit } from "~/services/books/audit.server";
import {
  authorizeUrl,
  composeState,
  isErrorAnswer,
  parseState,
  STATE_TTL_MS,
  stateSigned,
  TokenAnswer,
  UserInfoAnswer,
  wechatDisplayName,
  WECHAT_ONLY_HASH_PREFIX,
  wechatPlaceholderEmail,
} from "~/domain/wechat";
import { AFTER_SIGN_IN } from "./auth.server";

/**
 * Signing in with WeChat (docs/decisions/045): the Official Account web authorisation.
 *
 * 1. `beginWechat` makes a state — a random nonce, its expiry and an HMAC over both — keeps the
 *    nonce's SHA-256 (with the account that asks to link, if any) and puts the nonce in an
 *    HttpOnly cookie: the state is good only in the browser that started it, once, for ten minutes.
 * 2. WeChat sends the browser back to /auth/wechat/callback with `code` and `state`.
 *    `completeWechat` checks the state (shape, signature, expiry, the cookie's nonce, then claims
 *    the stored row, which refuses a replay), exchanges the code once (a failed exchange is not
 *    retried: a code is good for one try) and, for snsapi_userinfo, asks for the nickname.
 * 3. Linking (a signed-in account asked): the identity is attached to that account. Signing in: the
 *    account the identity belongs to is signed in, or a new resident account is made, named after
 *    the nickname, with an address that is never delivered and no usable password.
 * The access token is used at once and never stored; the openid and unionid are personal data
 * (catalogued in domain/personal-data.ts, exported, deleted with the account).
 */

export const WECHAT_STATE_COOKIE = "wechat_state";
const CALLBACK_PATH = "/auth/wechat/callback";
const log = logger.child({ component: "wechat" });

/** Whether signing in with WeChat is offered (WECHAT_APP_ID and WECHAT_APP_SECRET set). */
export const wechatConfigured = () => env().WECHAT_CONFIGURED;

const openBase = () => env().WECHAT_OPEN_BASE ?? "https://open.weixin.qq.com";
const apiBase = () => (env().WECHAT_API_BASE ?? "https://api.weixin.qq.com").replace(/\/+$/, "");
/** Where the 微信登录 and 关联微信 forms are redirected: the pages' Content-Security-Policy must let them go there. */
export const wechatFormOrigins = (): string[] => (wechatConfigured() ? [new URL(openBase()).origin] : []);
const sign = (nonce: string, expiresAt: Date) => secretHmac("wechat-state", stateSigned(nonce, expiresAt));

/** Where to send the browser to start, and the cookie that binds the state to this browser. */
export interface WechatStart {
  url: string;
  cookie: string;
}

/** Starts an authorisation: to sign in (no viewer) or to link WeChat to the viewer's account. */
export async function beginWechat(viewer: Pick<Viewer, "id"> | null, redirectTo: string | null | undefined): Promise<WechatStart> {
  const e = env();
  const nonce = randomHex(16);
  const expiresAt = new Date(Math.floor((Date.now() + STATE_TTL_MS) / 1000) * 1000);
  const target = safeRedirect(redirectTo, viewer ? "/account" : AFTER_SIGN_IN);
  await db().wechatAuthState.create({ data: { nonceHash: sha256(nonce), userId: viewer?.id ?? null, redirectTo: target, expiresAt } });
  const state = composeState(nonce, expiresAt, sign(nonce, expiresAt));
  const url = authorizeUrl(openBase(), { appId: e.WECHAT_APP_ID!, redirectUri: `${appUrl()}${CALLBACK_PATH}`, scope: e.WECHAT_SCOPE, state });
  return { url, cookie: serializeCookie(WECHAT_STATE_COOKIE, nonce, { maxAgeSeconds: STATE_TTL_MS / 1000 }) };
}

/** The cookie that forgets the state: sent with every answer of the callback. */
export const clearStateCookie = () => serializeCookie(WECHAT_STATE_COOKIE, "", { maxAgeSeconds: 0 });

export type WechatDone =
  | { outcome: "signedIn"; userId: string; created: boolean; cookie: string; redirectTo: string }
  | { outcome: "linked"; userId: string; redirectTo: string };

const equal = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The stored state for a valid state value from this browser, claimed (used) now; null when it is not good. */
async function claimState(state: string | null, request: Request) {
  const parts = parseState(state);
  if (!parts) return null;
  const now = new Date();
  if (!equal(parts.signature, sign(parts.nonce, parts.expiresAt)) || parts.expiresAt <= now) return null;
  const cookieNonce = readCookie(request, WECHAT_STATE_COOKIE) ?? "";
  if (!equal(cookieNonce, parts.nonce)) return null;
  const nonceHash = sha256(parts.nonce);
  const claimed = await db().wechatAuthState.updateMany({ where: { nonceHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (claimed.count !== 1) return null;
  return db().wechatAuthState.findUniqueOrThrow({ where: { nonceHash }, select: { userId: true, redirectTo: true } });
}

interface Identity {
  openId: string;
  unionId: string | null;
  nickname: string | null;
}

/** GET a WeChat API path; its JSON, or null when it did not answer with JSON. Never retried. */
async function callApi(path: string, query: Record<string, string>): Promise<unknown> {
  const url = `${apiBase()}${path}?${new URLSearchParams(query).toString()}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return (await response.json()) as unknown;
  } catch (error) {
    log.warn({ event: "wechat.api.failed", path, error: (error as Error).message }, "WeChat API call failed");
    return null;
  }
}

/** Exchanges the code (once) and, for snsapi_userinfo, reads the nickname. */
async function identityFor(code: string): Promise<Identity | null> {
  const e = env();
  const answer = await callApi("/sns/oauth2/access_token", { appid: e.WECHAT_APP_ID!, secret: e.WECHAT_APP_SECRET!, code, grant_type: "authorization_code" });
  if (isErrorAnswer(answer)) {
    log.warn({ event: "wechat.code.refused", errcode: answer.errcode }, "WeChat refused the code");
    return null;
  }
  const token = TokenAnswer.safeParse(answer);
  if (!token.success) return null;
  const identity: Identity = { openId: token.data.openid, unionId: token.data.unionid ?? null, nickname: null };
  if (e.WECHAT_SCOPE === "snsapi_userinfo" && token.data.scope.includes("snsapi_userinfo")) {
    const info = UserInfoAnswer.safeParse(await callApi("/sns/userinfo", { access_token: token.data.access_token, openid: token.data.openid, lang: "zh_CN" }));
    // the profile is a courtesy: without it the account is named 微信用户
    if (info.success && info.data.openid === identity.openId) {
      identity.nickname = info.data.nickname;
      identity.unionId ??= info.data.unionid ?? null;
    }
  }
  return identity;
}

/**
 * What is stored of a WeChat identity: keyed HMACs of its openid (under its Official Account) and
 * unionid, never the identifiers, so a copy of the database cannot be matched with WeChat's.
 */
const storedIdentity = (appId: string, id: Identity) => ({
  appId,
  openIdHmac: secretHmac("wechat-openid", `${appId}:${id.openId}`),
  unionIdHmac: id.unionId ? secretHmac("wechat-unionid", id.unionId) : null,
});

/**
 * The stored identity of `id`: by its HMACs, or (an identity stored in the clear before them) by
 * the identifiers, which are then replaced by their HMACs.
 */
async function findIdentity(appId: string, id: Identity) {
  const stored = storedIdentity(appId, id);
  const found = await db().wechatIdentity.findFirst({
    where: {
      OR: [
        { appId, openIdHmac: stored.openIdHmac },
        ...(stored.unionIdHmac ? [{ unionIdHmac: stored.unionIdHmac }] : []),
        { appId, openId: id.openId },
        ...(id.unionId ? [{ unionId: id.unionId }] : []),
      ],
    },
    select: { id: true, userId: true, openId: true, unionId: true, user: { select: { deletedAt: true } } },
  });
  if (found && (found.openId !== null || found.unionId !== null)) {
    await db().wechatIdentity.update({ where: { id: found.id }, data: { ...stored, openId: null, unionId: null } });
  }
  return found;
}

/**
 * The callback: checks the state, exchanges the code, then links or signs in. Refusals: 400 for
 * a state that is not good (forged, expired, another browser's, used) or a code WeChat refused,
 * 403 when the account that asked to link is not the one signed in, 409 when the identity is
 * another account's or the account has another.
 */
export async function completeWechat(request: Request, viewer: Pick<Viewer, "id"> | null, input: { code: string | null; state: string | null }): Promise<Result<{ done: WechatDone }>> {
  const stored = await claimState(input.state, request);
  if (!stored) return fail(400, "wechat.error.state");
  if (!input.code) return fail(400, "wechat.error.cancelled");
  if (stored.userId && stored.userId !== viewer?.id) return fail(403, "wechat.error.otherAccount");
  const identity = await identityFor(input.code);
  if (!identity) return fail(400, "wechat.error.exchange");
  const appId = env().WECHAT_APP_ID!;
  const redirectTo = stored.redirectTo ?? AFTER_SIGN_IN;
  const existing = await findIdentity(appId, identity);

  if (stored.userId) {
    const userId = stored.userId;
    if (existing && existing.userId !== userId) return fail(409, "wechat.error.linkedElsewhere");
    if (existing) return ok({ done: { outcome: "linked", userId, redirectTo } });
    if (await db().wechatIdentity.findUnique({ where: { userId }, select: { id: true } })) return fail(409, "wechat.error.alreadyLinked");
    await db().$transaction(async (tx) => {
      await tx.wechatIdentity.create({ data: { userId, ...storedIdentity(appId, identity) } });
      await audit(tx, { actorId: userId, action: "user.wechatLinked", objectType: "User", objectId: userId, after: { unionId: !!identity.unionId } });
    });
    return ok({ done: { outcome: "linked", userId, redirectTo } });
  }

  if (existing && existing.user.deletedAt) return fail(400, "wechat.error.state");
  if (existing) {
    const cookie = await db().$transaction(async (tx) => {
      const c = await createSession(request, existing.userId, tx);
      await audit(tx, { actorId: existing.userId, action: "user.signin", objectType: "User", objectId: existing.userId, after: { method: "wechat" } });
      return c;
    });
    return ok({ done: { outcome: "signedIn", userId: existing.userId, created: false, cookie, redirectTo } });
  }

  // a new resident account: the nickname as its name, no address to mail, no password to guess
  const locale = resolveLocale(request, null);
  const { userId, cookie } = await db().$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        email: wechatPlaceholderEmail(randomHex(12)),
        name: wechatDisplayName(identity.nickname),
        passwordHash: `${WECHAT_ONLY_HASH_PREFIX}${randomToken()}`,
        locale: toDbLocale(locale),
        wechat: { create: storedIdentity(appId, identity) },
      },
      select: { id: true },
    });
    await notify(tx, { userId: user.id, kind: "welcome", link: "/me" });
    await audit(tx, { actorId: user.id, action: "user.signup", objectType: "User", objectId: user.id, after: { method: "wechat", locale } });
    return { userId: user.id, cookie: await createSession(request, user.id, tx) };
  });
  return ok({ done: { outcome: "signedIn", userId, created: true, cookie, redirectTo } });
}

/** Whether the account has WeChat linked (the account page says so; the identity itself is never shown). */
export async function wechatLinked(userId: string): Promise<boolean> {
  return !!(await db().wechatIdentity.findUnique({ where: { userId }, select: { id: true } }));
}
