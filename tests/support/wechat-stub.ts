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

  constructor(appId = "wx_stub_app", secret = "stub_secret") {
    this.appId = appId;
    this.secret = secret;
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
      this.codes.set(code, { person: { ...this.person }, scope: q.get("scope") ?? "snsapi_base", used: false });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
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
