import { describe, expect, it } from "vitest";
import { authorizeUrl, composeState, isErrorAnswer, undeliverableEmail, isWechatOnly, signedInRecently, WECHAT_ONLY_HASH_PREFIX, isWechatBrowser, parseState, stateSigned, TokenAnswer, wechatDisplayName, wechatPlaceholderEmail } from "./wechat";

describe("WeChat web authorisation", () => {
  it("knows WeChat's browser by MicroMessenger in the user agent", () => {
    expect(isWechatBrowser("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN")).toBe(true);
    expect(isWechatBrowser("Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile Safari/537.36")).toBe(false);
    expect(isWechatBrowser(null)).toBe(false);
  });

  it("builds the authorisation address in WeChat's order with the #wechat_redirect fragment", () => {
    const url = authorizeUrl("https://open.weixin.qq.com/", { appId: "wx123", redirectUri: "https://example.org/auth/wechat/callback", scope: "snsapi_userinfo", state: "abc123" });
    expect(url).toBe(
      "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx123&redirect_uri=https%3A%2F%2Fexample.org%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_userinfo&state=abc123#wechat_redirect",
    );
  });

  it("a state is letters and digits only, at most 128 characters, and reads back", () => {
    const nonce = "0123456789abcdef0123456789abcdef";
    const expiresAt = new Date(1_800_000_000_000);
    const state = composeState(nonce, expiresAt, "f".repeat(64));
    expect(state).toMatch(/^[a-zA-Z0-9]{1,128}$/);
    expect(parseState(state)).toEqual({ nonce, expiresAt, signature: "f".repeat(64) });
    expect(stateSigned(nonce, expiresAt)).toBe(`${nonce}.1800000000`);
    for (const bad of ["", null, `${state}0`, state.replace(/^0/, "g"), state.slice(1)]) expect(parseState(bad)).toBeNull();
  });

  it("reads the code exchange's answer and WeChat's error answers", () => {
    expect(TokenAnswer.safeParse({ access_token: "t", expires_in: 7200, openid: "o1", scope: "snsapi_base" }).success).toBe(true);
    expect(TokenAnswer.safeParse({ errcode: 40163, errmsg: "code been used" }).success).toBe(false);
    expect(isErrorAnswer({ errcode: 40163, errmsg: "code been used" })).toBe(true);
    expect(isErrorAnswer({ errcode: 0 })).toBe(false);
    expect(isErrorAnswer({ access_token: "t" })).toBe(false);
  });

  it("names a new account after the nickname, tidied and cut to fifty characters, or 微信用户", () => {
    expect(wechatDisplayName("  小\n王  ")).toBe("小 王");
    expect(wechatDisplayName("")).toBe("微信用户");
    expect(wechatDisplayName(undefined)).toBe("微信用户");
    expect([...wechatDisplayName("字".repeat(80))]).toHaveLength(50);
  });

  it("no address, or a placeholder address, is never deliverable", () => {
    expect(undeliverableEmail(null)).toBe(true);
    expect(undeliverableEmail(undefined)).toBe(true);
    expect(wechatPlaceholderEmail("ABC")).toBe("wechat-abc@wechat.invalid");
    expect(undeliverableEmail(wechatPlaceholderEmail("x"))).toBe(true);
    expect(undeliverableEmail("a@example.com")).toBe(false);
  });

  it("an account without a password confirms by a sign-in at most ten minutes old", () => {
    expect(isWechatOnly(`${WECHAT_ONLY_HASH_PREFIX}abc`)).toBe(true);
    expect(isWechatOnly("$argon2id$v=19$m=19456")).toBe(false);
    const now = new Date("2026-12-07T08:00:00Z");
    expect(signedInRecently(new Date("2026-12-07T07:50:00Z"), now)).toBe(true);
    expect(signedInRecently(new Date("2026-12-07T07:49:59Z"), now)).toBe(false);
  });
});
