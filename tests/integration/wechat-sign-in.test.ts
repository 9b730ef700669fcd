import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import * as callbackRoute from "~/routes/auth.wechat.callback";
import * as startRoute from "~/routes/auth.wechat";
import * as loginRoute from "~/routes/login";
import { db, makeUser } from "../support/db";
import { answer, form, outcome, signedInRequest } from "../support/requests";
import { WechatStub } from "../support/wechat-stub";
import { wechatFormOrigins } from "~/services/accounts/wechat.server";
import { deleteOwnAccount } from "~/services/privacy/erasure.server";
import { secretHmac } from "~/lib/pii.server";

/**
 * Signing in with WeChat against a local stub of WeChat's endpoints, through the real route
 * handlers: the state is bound to the browser (cookie), signed, single-use and time-limited; a
 * code is exchanged once and never retried; a WeChat identity signs in to its account, makes a
 * new resident account the first time, or is linked to the signed-in account that asked.
 */

type Handler = (args: { request: Request; params: object; context: unknown }) => Promise<unknown>;
const stub = new WechatStub("wx_test_app", "test_secret");
const ORIGIN = "http://localhost:3000";
const WECHAT_ENV = ["WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_OPEN_BASE", "WECHAT_API_BASE"] as const;
let base = "";

function configure(on: boolean) {
  for (const k of WECHAT_ENV) delete process.env[k];
  if (on) Object.assign(process.env, { WECHAT_APP_ID: stub.appId, WECHAT_APP_SECRET: stub.secret, WECHAT_OPEN_BASE: base, WECHAT_API_BASE: base });
  resetEnvCache();
}

beforeAll(async () => {
  base = await stub.start();
});
afterAll(async () => {
  configure(false);
  await stub.stop();
});
beforeEach(() => configure(true));

/** Where the stored identity of WeChat's `openid` is: the HMAC of it under the stub's Official Account. */
const byOpenId = (openid: string) => ({ appId: stub.appId, openIdHmac: secretHmac("wechat-openid", `${stub.appId}:${openid}`) });
/** A stored identity as it must be: the identifiers' HMACs, not the identifiers. */
const hashedIdentity = (person: { openid: string; unionid?: string | undefined }) => ({
  ...byOpenId(person.openid),
  unionIdHmac: person.unionid ? secretHmac("wechat-unionid", person.unionid) : null,
  openId: null,
  unionId: null,
});

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;
const withCookies = (request: Request, ...pairs: string[]) => {
  const headers = new Headers(request.headers);
  headers.set("cookie", [headers.get("cookie"), ...pairs].filter(Boolean).join("; "));
  return new Request(request.url, { method: request.method, headers });
};

/** Presses 微信登录 (or 关联微信 with `as`): where the browser is sent, and the state cookie it gets. */
async function begin(intent: "signIn" | "link", as?: Request): Promise<{ location: string; stateCookie: string }> {
  const request = as ?? new Request(`${ORIGIN}/auth/wechat`);
  const init = form({ intent, redirectTo: intent === "signIn" ? "/needs" : "" });
  const post = new Request(`${ORIGIN}/auth/wechat`, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), cookie: request.headers.get("cookie") ?? "" } });
  const r = (await (startRoute.action as unknown as Handler)({ request: post, params: {}, context: {} })) as Response;
  expect(r.status).toBe(302);
  const stateCookie = r.headers.getSetCookie().find((c) => c.startsWith("wechat_state="))!;
  expect(stateCookie).toContain("HttpOnly");
  return { location: r.headers.get("location")!, stateCookie: cookiePair(stateCookie) };
}

/** The browser at WeChat's page: the person agrees; where WeChat sends them back. */
async function atWechat(location: string): Promise<URL> {
  expect(location).toMatch(/#wechat_redirect$/);
  const r = await fetch(location.replace(/#.*$/, ""), { redirect: "manual" });
  expect(r.status).toBe(302);
  return new URL(r.headers.get("location")!);
}

/** WeChat's way back opened in the browser with `cookies`. */
function callback(back: URL, ...cookies: string[]) {
  const request = withCookies(new Request(`${ORIGIN}${back.pathname}${back.search}`), ...cookies);
  return answer(() => (callbackRoute.loader as unknown as Handler)({ request, params: {}, context: {} }));
}

/** The whole round trip to sign in; the answer and the callback address used. */
async function signInWithWechat() {
  const { location, stateCookie } = await begin("signIn");
  const back = await atWechat(location);
  return { back, stateCookie, r: await callback(back, stateCookie) };
}

const newPerson = (nickname = "小王") => {
  stub.person = { openid: `o_${crypto.randomUUID()}`, unionid: `u_${crypto.randomUUID()}`, nickname };
  return stub.person;
};

describe("signing in with WeChat", () => {
  it("the authorisation address: appid, the callback, response_type=code, the scope, a letters-and-digits state", async () => {
    const { location } = await begin("signIn");
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/connect/oauth2/authorize`);
    expect(url.searchParams.get("appid")).toBe(stub.appId);
    expect(url.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/auth/wechat/callback`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("scope")).toBe("snsapi_userinfo");
    expect(url.searchParams.get("state")).toMatch(/^[a-zA-Z0-9]{1,128}$/);
    // the pages' Content-Security-Policy lets the form's answer go there
    expect(wechatFormOrigins()).toEqual([base]);
  });

  it("the first time makes a resident account named after the nickname, with the openid and unionid; the next time signs in to it", async () => {
    const person = newPerson("社区小王");
    const { r } = await signInWithWechat();
    expect(r.status).toBe(302);
    expect(r.location).toBe("/needs");
    const identity = await db().wechatIdentity.findFirstOrThrow({ where: byOpenId(person.openid), include: { user: true } });
    expect(identity).toMatchObject(hashedIdentity(person));
    // the database holds neither identifier
    const row = JSON.stringify(await db().wechatIdentity.findUniqueOrThrow({ where: { id: identity.id } }));
    expect(row).not.toContain(person.openid);
    expect(row).not.toContain(person.unionid!);
    expect(identity.user.name).toBe("社区小王");
    expect(identity.user.email).toMatch(/@wechat\.invalid$/);
    expect(await db().roleGrant.count({ where: { userId: identity.userId } })).toBe(0);
    expect(await db().auditLog.count({ where: { objectId: identity.userId, action: "user.signup" } })).toBe(1);

    const again = await signInWithWechat();
    expect(again.r.status).toBe(302);
    expect(await db().wechatIdentity.count({ where: byOpenId(person.openid) })).toBe(1);
    expect(await db().session.count({ where: { userId: identity.userId } })).toBe(2);
    expect(await db().auditLog.count({ where: { objectId: identity.userId, action: "user.signin" } })).toBe(1);
  });

  it("an identity stored in the clear before the HMACs signs in to its account and is then stored as HMACs", async () => {
    const person = newPerson();
    const user = await makeUser({ name: "老用户" });
    await db().wechatIdentity.create({ data: { userId: user.id, appId: stub.appId, openId: person.openid, unionId: person.unionid } });
    expect((await signInWithWechat()).r.status).toBe(302);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db().wechatIdentity.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject(hashedIdentity(person));
    // and the next sign-in finds it by its HMAC
    expect((await signInWithWechat()).r.status).toBe(302);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(2);
    expect(await db().wechatIdentity.count({ where: byOpenId(person.openid) })).toBe(1);
  });

  it("the answer sets the session cookie and clears the state cookie", async () => {
    newPerson();
    const { location, stateCookie } = await begin("signIn");
    const back = await atWechat(location);
    const request = withCookies(new Request(`${ORIGIN}${back.pathname}${back.search}`), stateCookie);
    const r = (await (callbackRoute.loader as unknown as Handler)({ request, params: {}, context: {} })) as Response;
    const cookies = r.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("__session=") && !c.includes("Max-Age=0"))).toBe(true);
    expect(cookies.some((c) => c.startsWith("wechat_state=;") && c.includes("Max-Age=0"))).toBe(true);
  });

  it("the state is checked: without this browser's cookie, with another's, forged, replayed or expired it is refused and no code is exchanged", async () => {
    newPerson();
    const exchangesBefore = stub.exchanges.length;
    const { location, stateCookie } = await begin("signIn");
    const back = await atWechat(location);
    const other = (await begin("signIn")).stateCookie;
    expect((await callback(back)).status).toBe(400);
    expect((await callback(back, other)).status).toBe(400);
    // forged: the nonce of the cookie, another expiry, the old signature
    const forged = new URL(back);
    const state = back.searchParams.get("state")!;
    forged.searchParams.set("state", `${state.slice(0, 32)}${String(Number(state.slice(32, 42)) + 3600)}${state.slice(42)}`);
    expect((await callback(forged, stateCookie)).status).toBe(400);
    expect(stub.exchanges.length).toBe(exchangesBefore);
    // the real one passes once …
    expect((await callback(back, stateCookie)).status).toBe(302);
    // … and its replay, with the same cookie and a fresh code, is refused before any exchange
    const exchanged = stub.exchanges.length;
    const replay = new URL(await atWechat(location));
    const r = await callback(replay, stateCookie);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.data)).toContain("wechat.error.state");
    expect(stub.exchanges.length).toBe(exchanged);
    // an expired state (its row's time is up)
    const late = await begin("signIn");
    const lateBack = await atWechat(late.location);
    await db().wechatAuthState.updateMany({ where: { usedAt: null, expiresAt: { gt: new Date() } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await callback(lateBack, late.stateCookie)).status).toBe(400);
  });

  it("a code is used once: WeChat refuses it the second time, the app says so and does not try again", async () => {
    newPerson();
    const { back } = await signInWithWechat();
    const code = back.searchParams.get("code")!;
    // a fresh state in this browser, WeChat's old code
    const { location, stateCookie } = await begin("signIn");
    const fresh = await atWechat(location);
    fresh.searchParams.set("code", code);
    const r = await callback(fresh, stateCookie);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.data)).toContain("wechat.error.exchange");
    expect(stub.exchanges.filter((c) => c === code)).toHaveLength(2);
  });

  it("a signed-in account links WeChat from the account page, then signs in with it; another account cannot take the same WeChat", async () => {
    const person = newPerson();
    const user = await makeUser({ name: "李老师" });
    const session = await signedInRequest(user.id, "/account");
    const { location, stateCookie } = await begin("link", session);
    const r = await callback(await atWechat(location), stateCookie, session.headers.get("cookie")!);
    expect(r).toMatchObject({ status: 302, location: "/account?notice=wechatLinked#wechat-h" });
    expect(await db().wechatIdentity.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject(hashedIdentity(person));
    expect(await db().auditLog.count({ where: { objectId: user.id, action: "user.wechatLinked" } })).toBe(1);
    // signing in with that WeChat opens that account, no new one
    expect((await signInWithWechat()).r.status).toBe(302);
    expect(await db().wechatIdentity.count({ where: byOpenId(person.openid) })).toBe(1);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(2);
    // the same WeChat for another account: refused
    const other = await makeUser();
    const otherSession = await signedInRequest(other.id, "/account");
    const second = await begin("link", otherSession);
    expect((await callback(await atWechat(second.location), second.stateCookie, otherSession.headers.get("cookie")!)).status).toBe(409);
    expect(await db().wechatIdentity.count({ where: { userId: other.id } })).toBe(0);
  });

  it("a link asked for by one account does not attach WeChat to another signed in by the time it comes back", async () => {
    newPerson();
    const a = await makeUser();
    const b = await makeUser();
    const { location, stateCookie } = await begin("link", await signedInRequest(a.id, "/account"));
    const bSession = (await signedInRequest(b.id, "/account")).headers.get("cookie")!;
    expect((await callback(await atWechat(location), stateCookie, bSession)).status).toBe(403);
    expect(await db().wechatIdentity.count({ where: { userId: { in: [a.id, b.id] } } })).toBe(0);
  });

  it("the login page offers WeChat, first inside WeChat's browser", async () => {
    const load = (ua: string) => (loginRoute.loader as unknown as Handler)({ request: new Request(`${ORIGIN}/login`, { headers: { "user-agent": ua } }), params: {}, context: {} }) as Promise<{ wechat: { first: boolean } | null }>;
    expect((await load("Mozilla/5.0 (iPhone) MicroMessenger/8.0.47")).wechat).toEqual({ first: true });
    expect((await load("Mozilla/5.0 (X11; Linux) Chrome/120")).wechat).toEqual({ first: false });
  });
});

describe("deleting an account made through WeChat", () => {
  it("has no password: a WeChat sign-in at most ten minutes old confirms instead; a password account still needs its password", async () => {
    const person = newPerson();
    expect((await signInWithWechat()).r.status).toBe(302);
    const identity = await db().wechatIdentity.findFirstOrThrow({ where: byOpenId(person.openid) });
    const session = await db().session.findFirstOrThrow({ where: { userId: identity.userId } });
    const request = new Request(`${ORIGIN}/account/delete`, { method: "POST" });
    // an old session does not confirm
    await db().session.update({ where: { id: session.id }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await deleteOwnAccount(request, { id: identity.userId, sessionId: session.id }, null, true)).toMatchObject({ ok: false, problem: { status: 403, formErrors: ["privacy.delete.signInAgain"] } });
    await db().session.update({ where: { id: session.id }, data: { createdAt: new Date() } });
    expect(await deleteOwnAccount(request, { id: identity.userId, sessionId: session.id }, null, true)).toMatchObject({ ok: true });
    expect(await db().wechatIdentity.count({ where: { userId: identity.userId } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: identity.userId } })).deletedAt).not.toBeNull();

    const withPassword = await makeUser();
    const fresh = await db().session.create({ data: { tokenHash: `t-${crypto.randomUUID()}`, userId: withPassword.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await deleteOwnAccount(request, { id: withPassword.id, sessionId: fresh.id }, null, true)).toMatchObject({ ok: false, problem: { status: 403 } });
    expect((await db().user.findUniqueOrThrow({ where: { id: withPassword.id } })).deletedAt).toBeNull();
  });
});

describe("without WeChat configured", () => {
  it("no button on the login page, and no start or callback page", async () => {
    configure(false);
    const login = (await (loginRoute.loader as unknown as Handler)({ request: new Request(`${ORIGIN}/login`, { headers: { "user-agent": "MicroMessenger/8.0" } }), params: {}, context: {} })) as { wechat: unknown };
    expect(login.wechat).toBeNull();
    expect(wechatFormOrigins()).toEqual([]);
    const start = new Request(`${ORIGIN}/auth/wechat`, form({ intent: "signIn" }));
    expect((await outcome(() => (startRoute.action as unknown as Handler)({ request: start, params: {}, context: {} }))).status).toBe(404);
    expect((await outcome(() => (startRoute.loader as unknown as Handler)({ request: new Request(`${ORIGIN}/auth/wechat`), params: {}, context: {} }))).status).toBe(404);
    const back = new Request(`${ORIGIN}/auth/wechat/callback?code=x&state=y`);
    expect((await outcome(() => (callbackRoute.loader as unknown as Handler)({ request: back, params: {}, context: {} }))).status).toBe(404);
  });
});
