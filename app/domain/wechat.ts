import { z } from "zod";
import { NAME_MAX } from "./auth";

/**
 * Signing in with WeChat through the Official Account web authorisation (OAuth 2.0,
 * docs/decisions/045): the authorisation address, the signed state's shape, what the API answers
 * and the name a new account takes. Pure: the key that signs the state and the calls are the
 * service's (services/accounts/wechat.server.ts).
 */

export type WechatScope = "snsapi_base" | "snsapi_userinfo";

/** A state is valid this long: the person reads WeChat's page and agrees, nothing more. */
export const STATE_TTL_MS = 10 * 60_000;

/** Opened inside WeChat's own browser (its user agent says MicroMessenger). */
export const isWechatBrowser = (userAgent: string | null | undefined): boolean => /MicroMessenger/i.test(userAgent ?? "");

/**
 * The authorisation page the browser is sent to. WeChat wants the parameters in this order and
 * the `#wechat_redirect` fragment; the redirect URI is encoded once.
 */
export function authorizeUrl(base: string, p: { appId: string; redirectUri: string; scope: WechatScope; state: string }): string {
  const query = [
    `appid=${encodeURIComponent(p.appId)}`,
    `redirect_uri=${encodeURIComponent(p.redirectUri)}`,
    "response_type=code",
    `scope=${p.scope}`,
    `state=${encodeURIComponent(p.state)}`,
  ].join("&");
  return `${base.replace(/\/+$/, "")}/connect/oauth2/authorize?${query}#wechat_redirect`;
}

/**
 * The state: a 32-hex-digit nonce, the expiry in epoch seconds (10 digits) and a 64-hex-digit
 * signature over both, run together — WeChat passes back only [a-zA-Z0-9], at most 128 bytes.
 */
const STATE_PATTERN = /^([0-9a-f]{32})([0-9]{10})([0-9a-f]{64})$/;

export interface StateParts {
  nonce: string;
  expiresAt: Date;
  signature: string;
}

/** What the signature covers: the nonce and the expiry. */
export const stateSigned = (nonce: string, expiresAt: Date) => `${nonce}.${Math.floor(expiresAt.getTime() / 1000)}`;

export function composeState(nonce: string, expiresAt: Date, signature: string): string {
  return `${nonce}${String(Math.floor(expiresAt.getTime() / 1000)).padStart(10, "0")}${signature}`;
}

export function parseState(state: string | null | undefined): StateParts | null {
  const m = STATE_PATTERN.exec(state ?? "");
  if (!m) return null;
  return { nonce: m[1]!, expiresAt: new Date(Number(m[2]) * 1000), signature: m[3]! };
}

/** What the code is exchanged for (sns/oauth2/access_token); an error answer has errcode instead. */
export const TokenAnswer = z.object({
  access_token: z.string().min(1),
  openid: z.string().min(1).max(128),
  scope: z.string().default(""),
  unionid: z.string().min(1).max(128).optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswer>;

/** The person's profile (sns/userinfo, snsapi_userinfo only): the nickname is what is used. */
export const UserInfoAnswer = z.object({
  openid: z.string().min(1),
  nickname: z.string().default(""),
  unionid: z.string().min(1).max(128).optional(),
});
export type UserInfoAnswer = z.infer<typeof UserInfoAnswer>;

/** WeChat's error answer: `{ errcode, errmsg }` with a non-zero code. */
export const isErrorAnswer = (json: unknown): json is { errcode: number; errmsg?: string } =>
  typeof json === "object" && json !== null && typeof (json as { errcode?: unknown }).errcode === "number" && (json as { errcode: number }).errcode !== 0;

/** The name of an account made by signing in with WeChat: the nickname, tidied and cut to the name limit; else 微信用户. */
export function wechatDisplayName(nickname: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  const tidy = (nickname ?? "").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
  return tidy ? [...tidy].slice(0, NAME_MAX).join("") : "微信用户";
}

/** The address an account made through WeChat holds until the person gives one: never deliverable (RFC 2606). */
export const wechatPlaceholderEmail = (accountKey: string) => `wechat-${accountKey.toLowerCase()}@wechat.invalid`;
/** Whether mail to `email` cannot arrive: no address at all (an account made with a number), or a placeholder under `.invalid`. */
export const undeliverableEmail = (email: string | null | undefined) => !email || email.endsWith(".invalid");

/** The password hash of an account made through WeChat: no password matches it. */
export const WECHAT_ONLY_HASH_PREFIX = "wechat-only:";
export const isWechatOnly = (passwordHash: string) => passwordHash.startsWith(WECHAT_ONLY_HASH_PREFIX);

/**
 * An account without a password confirms who it is for deleting by a fresh sign-in with WeChat:
 * a session started at most this long ago.
 */
export const RECENT_SIGN_IN_MS = 10 * 60_000;
export const signedInRecently = (sessionCreatedAt: Date, now: Date) => now.getTime() - sessionCreatedAt.getTime() <= RECENT_SIGN_IN_MS;
