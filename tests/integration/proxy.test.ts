import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { freshDatabase, type FreshDatabase } from "../support/fresh-database";
import { startApp, waitForStatus, type AppProcess } from "../support/app-process";

/**
 * Behind a reverse proxy that rewrites Host to the app's internal address (nginx's default
 * `proxy_set_header Host $proxy_host`), a form post carries the public Origin (APP_URL's) and the
 * internal Host. The app's same-origin guard and React Router's own origin check must agree: such
 * a post is handled, a foreign Origin refused. (The internal address is an IP address here: the
 * app runs in development mode, whose Vite server refuses unknown host names before the app sees
 * them; production has no such check.)
 */
const APP_URL = "https://cvp.example.org";
const INTERNAL = "10.0.0.5:3000";

/** A form post straight to the app's port, with the headers a proxy would send. */
function post(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = `email=${encodeURIComponent(`nobody-${Math.random().toString(36).slice(2)}@example.org`)}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length), ...headers } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += String(c)));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("behind a Host-rewriting proxy", () => {
  let database: FreshDatabase;
  let app: AppProcess;
  let port: number;

  beforeAll(async () => {
    database = await freshDatabase("proxy");
    port = await freePort();
    app = startApp({ DATABASE_URL: database.url, PORT: String(port), APP_URL, TRUST_PROXY: "true", DEMO_MODE: "false", MAIL_MODE: "local", SMTP_HOST: undefined });
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, app);
  }, 240_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await database?.drop();
  }, 60_000);

  it("handles a form post whose Origin is APP_URL and whose Host is the internal address", { timeout: 120_000 }, async () => {
    // the proxy terminates TLS, rewrites Host, and says so in X-Forwarded-Proto only
    const proxied = { host: INTERNAL, origin: APP_URL, "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" };
    const page = await post(port, "/forgot-password", proxied);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="reset-sent"');
    // the same form submitted by the client-side router (a .data request)
    expect((await post(port, "/forgot-password.data", proxied)).status).toBe(200);
    // a proxy that keeps Host but terminates TLS without saying so (X-Forwarded-Proto missing)
    expect((await post(port, "/forgot-password", { host: "cvp.example.org", origin: APP_URL, "x-forwarded-for": "203.0.113.10" })).status).toBe(200);
  });

  it("still refuses a form post from a foreign origin", { timeout: 120_000 }, async () => {
    for (const origin of ["https://evil.example", "https://cvp.example.org.evil.example", "null"]) {
      expect((await post(port, "/forgot-password", { host: INTERNAL, origin, "x-forwarded-proto": "https" })).status, origin).toBe(403);
      expect((await post(port, "/forgot-password.data", { host: INTERNAL, origin, "x-forwarded-proto": "https" })).status, origin).toBe(403);
    }
  });
});
