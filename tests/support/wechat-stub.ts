import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for WeChat's Official Account web authorisation, answering as WeChat does:
 * - GET /connect/oauth2/authorize: the person agrees at once; back to redirect_uri with a fresh
 *   code and the state (the person is `person`, settable per test);
 * - GET /sns/oauth2/access_token: a code is good once (a second try gets errcode 40163, an
 *   unknown code 40029, a wrong secret 40125);
 * - GET /sns/userinfo: the nickname (snsapi_userinfo only).
 * Used by the integration tests and started by the Playwright server (tests/support/e2e-server.ts).
 * With `perBrowser`, who agrees is the browser's own WeChat user (a cookie on the stub's origin,
 * a new one for a browser without it): each Playwright context is another person.
 */
export interface StubPerson {
  openid: string;
  unionid?: string;
  nickname: string;
}

export class WechatStub {
  readonly appId: string;
  readonly secret: string;
  person: StubPerson = { openid: `o_${crypto.randomBytes(8).toString("hex")}`, nickname: "微信居民" };
  /** every code exchange asked, by code: a code asked twice was retried */
  exchanges: string[] = [];
  private codes = new Map<string, { person: StubPerson; scope: string; used: boolean }>();
  private tokens = new Map<string, { person: StubPerson; scope: string }>();
  private server = http.createServer((req, res) => this.answer(req, res));

  private people = new Map<string, StubPerson>();
  private readonly perBrowser: boolean;

  constructor(appId = "wx_stub_app", secret = "stub_secret", options: { perBrowser?: boolean } = {}) {
    this.appId = appId;
    this.secret = secret;
    this.perBrowser = options.perBrowser ?? false;
  }

  /** The person at WeChat: `person`, or the browser's own (and the cookie that remembers it). */
  private personOf(req: http.IncomingMessage): { person: StubPerson; setCookie?: string } {
    if (!this.perBrowser) return { person: { ...this.person } };
    const id = /(?:^|;\s*)stub_wechat_user=([a-f0-9]+)/.exec(req.headers.cookie ?? "")?.[1];
    const known = id ? this.people.get(id) : undefined;
    if (known) return { person: known };
    const fresh = crypto.randomBytes(8).toString("hex");
    const person = { openid: `o_${fresh}`, unionid: `u_${fresh}`, nickname: `微信居民${this.people.size + 1}` };
    this.people.set(fresh, person);
    return { person, setCookie: `stub_wechat_user=${fresh}; Path=/; HttpOnly; SameSite=Lax` };
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stub");
    const q = url.searchParams;
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/connect/oauth2/authorize") {
      const redirectUri = q.get("redirect_uri");
      if (q.get("appid") !== this.appId || !redirectUri || q.get("response_type") !== "code") {
        res.writeHead(400, { "content-type": "text/plain" });
        return res.end("bad authorisation request");
      }
      const code = `c${crypto.randomBytes(12).toString("hex")}`;
      const { person, setCookie } = this.personOf(req);
      this.codes.set(code, { person, scope: q.get("scope") ?? "snsapi_base", used: false });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      res.writeHead(302, { location: back.toString(), ...(setCookie ? { "set-cookie": setCookie } : {}) });
      return res.end();
    }
    if (url.pathname === "/sns/oauth2/access_token") {
      const code = q.get("code") ?? "";
      this.exchanges.push(code);
      if (q.get("appid") !== this.appId || q.get("secret") !== this.secret) return json({ errcode: 40125, errmsg: "invalid appsecret" });
      const grant = this.codes.get(code);
      if (!grant) return json({ errcode: 40029, errmsg: "invalid code" });
      if (grant.used) return json({ errcode: 40163, errmsg: "code been used" });
      grant.used = true;
      const accessToken = `t${crypto.randomBytes(12).toString("hex")}`;
      this.tokens.set(accessToken, grant);
      return json({
        access_token: accessToken,
        expires_in: 7200,
        refresh_token: `r${crypto.randomBytes(12).toString("hex")}`,
        openid: grant.person.openid,
        scope: grant.scope,
        ...(grant.person.unionid && grant.scope === "snsapi_userinfo" ? { unionid: grant.person.unionid } : {}),
      });
    }
    if (url.pathname === "/sns/userinfo") {
      const grant = this.tokens.get(q.get("access_token") ?? "");
      if (!grant || grant.person.openid !== q.get("openid") || grant.scope !== "snsapi_userinfo") return json({ errcode: 40001, errmsg: "invalid credential" });
      const p = grant.person;
      return json({ openid: p.openid, nickname: p.nickname, sex: 0, province: "", city: "", country: "", headimgurl: "", privilege: [], ...(p.unionid ? { unionid: p.unionid } : {}) });
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("no such stub");
  }
}
