import type { AddressInfo } from "node:net";
import express from "express";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, NonceContext, useNonce } from "~/lib/nonce";
import { cacheDefaults } from "../../server/app";

describe("caching of personal data", () => {
  let base: string;
  let server: ReturnType<express.Express["listen"]>;
  beforeAll(async () => {
    const app = express();
    app.use(cacheDefaults);
    app.get("/photo", (_req, res) => {
      res.append("Cache-Control", "public, max-age=3600");
      res.send("img");
    });
    app.get("/{*splat}", (_req, res) => {
      res.send("page");
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const cacheOf = async (path: string, cookie?: string) => (await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} })).headers.get("cache-control");

  it("beneficiary and call-back pages, and their .data requests, are never stored", async () => {
    for (const path of ["/projects/JN6-0002/beneficiaries", "/projects/JN6-0002/beneficiaries.data", "/projects/JN6-0002/callbacks.data", "/projects/JN6-0002/callbacks"]) {
      expect(await cacheOf(path, "__session=abc"), path).toBe("no-store");
      expect(await cacheOf(path), path).toBe("no-store");
    }
  });

  it("pages answered to a signed-in visitor are private unless the route says otherwise; anonymous ones are left alone", async () => {
    expect(await cacheOf("/me", "lang=en; __session=abc")).toBe("private, no-store");
    expect(await cacheOf("/photo", "__session=abc")).toBe("public, max-age=3600");
    expect(await cacheOf("/rounds")).toBeNull();
  });
});

describe("content security policy", () => {
  it("allows only this response's scripts and forms to this site and Stripe Checkout", () => {
    const policy = contentSecurityPolicy("bm9uY2U=");
    expect(policy).toContain("script-src 'self' 'nonce-bm9uY2U='");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self' https://checkout.stripe.com;");
    // with WeChat sign-in configured, its authorisation page too (a form's redirect is a form action)
    expect(contentSecurityPolicy("bm9uY2U=", ["https://open.weixin.qq.com"])).toContain("form-action 'self' https://checkout.stripe.com https://open.weixin.qq.com;");
  });

  it("hands the nonce to the components that render scripts", () => {
    function Probe() {
      return <script nonce={useNonce()} />;
    }
    expect(renderToString(<NonceContext.Provider value="abc">{<Probe />}</NonceContext.Provider>)).toContain('nonce="abc"');
  });
});
