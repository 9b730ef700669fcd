import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { EXCLUDED_FROM_PUBLIC_VERSION } from "~/lib/public-cache";
import { cacheDefaults } from "../../server/app";
import { publicPageCache } from "../../server/public-cache";
import { db, makeAreaTree, makeUser, uid } from "../support/db";
import { startApp, waitForStatus, type AppProcess } from "../support/app-process";

const version = async () => BigInt((await db().$queryRaw<{ version: string }[]>`SELECT sum("version")::text AS "version" FROM "PublicDataVersion"`)[0]!.version);
/** the page without what is drawn per response: CSP nonces and request ids */
const sameAsRendered = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "ID");
const nonces = (html: string) => [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))];

describe("the public-data version", () => {
  it("moves once per committed transaction that changes a public table, whatever the statements and rows", async () => {
    const { communities } = await makeAreaTree(1);
    const before = await version();
    await db().$transaction(async (tx) => {
      await tx.need.createMany({ data: [1, 2, 3].map((i) => ({ areaId: communities[0]!.id, title: `版本 ${i}`, description: "d", category: "SELF_GOVERNANCE" })) });
      await tx.need.updateMany({ where: { areaId: communities[0]!.id }, data: { voteCount: 1 } });
      // inside the transaction the counter is not touched yet: it moves at commit
      expect(BigInt((await tx.$queryRaw<{ version: string }[]>`SELECT sum("version")::text AS "version" FROM "PublicDataVersion"`)[0]!.version)).toBe(before);
    });
    expect(await version()).toBe(before + 1n);
    expect(await db().$queryRaw<unknown[]>`SELECT 1 FROM "PublicDataChange"`).toEqual([]);
  });

  it("does not move for a rolled-back change, nor for tables no public page reads", async () => {
    const { communities } = await makeAreaTree(1);
    const before = await version();
    await expect(
      db().$transaction(async (tx) => {
        await tx.need.create({ data: { areaId: communities[0]!.id, title: "撤回", description: "d", category: "SELF_GOVERNANCE" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const user = await makeUser({ noticeVersion: null });
    const after = await version();
    // the user row is public (names on pages); a session and a notification are not
    expect(after).toBe(before + 1n);
    await db().session.create({ data: { tokenHash: sha256(randomToken()), userId: user.id, expiresAt: new Date(Date.now() + 60_000) } });
    await db().notification.deleteMany({ where: { userId: user.id } });
    expect(await version()).toBe(after);
  });

  it("covers every table but the listed private ones", async () => {
    const tables = await db().$queryRaw<{ table: string; covered: boolean }[]>`
      SELECT c.relname AS "table",
             EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'public_data_changed') AS covered
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`;
    const excluded = new Set(Object.keys(EXCLUDED_FROM_PUBLIC_VERSION));
    const wrong = tables.filter((t) => t.covered === excluded.has(t.table)).map((t) => t.table);
    expect(wrong, "each table has the trigger or a reason in EXCLUDED_FROM_PUBLIC_VERSION, not both").toEqual([]);
    for (const name of excluded) expect(tables.some((t) => t.table === name), `${name} exists`).toBe(true);
    for (const name of ["Need", "NeedVote", "Proposal", "Round", "Award", "Project", "Donation", "LedgerEntry", "Foundation", "MatchingCampaign", "Area"])
      expect(tables.find((t) => t.table === name)?.covered, name).toBe(true);
  });
});

describe("the cache's rules, on a stand-in page", () => {
  let base: string;
  let server: ReturnType<express.Express["listen"]>;
  let current = "1";
  const rendered: Record<string, number> = {};
  beforeAll(async () => {
    const app = express();
    app.set("etag", false); // Express's own ETags of res.send: not what is tested here
    app.use((req, _res, next) => {
      req.headers["x-request-id"] = uid();
      next();
    });
    app.use(cacheDefaults);
    app.use(publicPageCache({ maxBytes: 2_000, readVersion: async () => current, buildId: async () => "test" }));
    app.get("/{*splat}", (req, res) => {
      rendered[req.path] = (rendered[req.path] ?? 0) + 1;
      if (req.path === "/foundations/with-cookie") res.append("Set-Cookie", "seen=1; Path=/");
      if (req.path === "/rounds/own-policy") res.setHeader("Cache-Control", "public, max-age=5");
      if (req.path === "/areas/missing") return void res.status(404).send("none");
      const size = req.path.startsWith("/areas/big") ? 1_500 : 10;
      // the version the cache read, handed on to the page's loaders (getLoadContext)
      res.type("html").send(`<p nonce="${res.locals.cspNonce}">${req.path} v${current} read ${res.locals.publicDataVersion ?? "none"} ${"x".repeat(size)}</p>`);
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

  it("keeps a 200 and answers the next visitor from memory with a nonce of its own", async () => {
    const first = await get("/needs");
    const second = await get("/needs");
    expect(first.headers.get("x-public-cache")).toBe("miss");
    expect(second.headers.get("x-public-cache")).toBe("hit");
    expect(rendered["/needs"]).toBe(1);
    const [a, b] = [await first.text(), await second.text()];
    expect(nonces(a)[0]).not.toBe(nonces(b)[0]);
    expect(sameAsRendered(a)).toBe(sameAsRendered(b));
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
  });

  it("keeps the page apart per language (cookie, else Accept-Language) and per 大字版, and says it varies by both headers", async () => {
    const plain = await get("/projects");
    const english = await get("/projects", { "accept-language": "en-US,en;q=0.9" });
    const large = await get("/projects", { cookie: "display=large" });
    const cookieWins = await get("/projects", { cookie: "lang=zh-CN", "accept-language": "en-US" });
    const tags = [plain, english, large].map((r) => r.headers.get("etag"));
    expect(new Set(tags).size).toBe(3);
    expect(cookieWins.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(rendered["/projects"]).toBe(3);
    expect(plain.headers.get("vary")).toMatch(/Cookie/);
    expect(plain.headers.get("vary")).toMatch(/Accept-Language/);
  });

  it("renders again after the version moves", async () => {
    const before = await get("/areas");
    current = "2";
    const after = await get("/areas", { "if-none-match": before.headers.get("etag")! });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("v2 read 2");
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    // a signed-in visitor's page: not the cache's, no version handed on
    expect(await (await get("/areas", { cookie: "__session=abc" })).text()).toContain("read none");
  });

  it("never keeps a page that sets a cookie, a route's own caching, an error, or a signed-in visitor's page", async () => {
    for (const path of ["/foundations/with-cookie", "/rounds/own-policy", "/areas/missing"]) {
      const one = await get(path);
      await get(path);
      expect(one.headers.get("etag"), path).toBeNull();
      expect(rendered[path], path).toBe(2);
    }
    expect((await get("/rounds/own-policy")).headers.get("cache-control")).toBe("public, max-age=5");
    await get("/transparency");
    const signedIn = await get("/transparency", { cookie: "__session=abc" });
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.headers.get("etag")).toBeNull();
    expect(rendered["/transparency"]).toBe(2);
  });

  it("keeps no more than its memory bound, least recently used out first", async () => {
    await get("/areas/big");
    await get("/areas/big");
    expect(rendered["/areas/big"]).toBe(1);
    await get("/areas/big2"); // the two big pages do not fit together: the older goes
    await get("/areas/big");
    expect(rendered["/areas/big"]).toBe(2);
  });
});

/** The app as `npm start` runs it (development mode), on this worker's database, with the cache on. */
describe("anonymous public pages through the real server", () => {
  let app: AppProcess;
  let base: string;
  let needNumber: number;
  let needId: string;
  let title: string;
  beforeAll(async () => {
    const { communities } = await makeAreaTree(1);
    title = `缓存测试需求 ${uid()}`;
    const need = await db().need.create({ data: { areaId: communities[0]!.id, title, description: "楼道灯坏了 / The stair lights are out", category: "SELF_GOVERNANCE" } });
    needNumber = need.number;
    needId = need.id;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = startApp({ DATABASE_URL: process.env.DATABASE_URL, PORT: String(port), PUBLIC_CACHE: "true", DEMO_MODE: "false", MAIL_MODE: "local", SMTP_HOST: undefined });
    await waitForStatus(`${base}/readyz`, app);
    // the development server compiles the page on its first request
    await (await fetch(`${base}/needs/${needNumber}`)).text();
  }, 240_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
  }, 60_000);

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: "manual" });

  it("answers an anonymous visitor with an ETag, from memory the second time, and 304 when unchanged", { timeout: 120_000 }, async () => {
    const path = `/needs/${needNumber}`;
    // a page lasts one freshness window at most: two requests astride its end are two renders
    let [first, second] = [await get(path), await get(path)];
    if (first.headers.get("etag") !== second.headers.get("etag")) [first, second] = [second, await get(path)];
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    expect(first.headers.get("vary")).toMatch(/Cookie/);
    const html = await first.text();
    expect(html).toContain(title);

    expect(second.headers.get("x-public-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);
    const again = await second.text();
    expect(sameAsRendered(again)).toBe(sameAsRendered(html));
    expect(nonces(again).length).toBeGreaterThan(0);
    expect(nonces(again)).not.toEqual(nonces(html));
    expect(again).toContain(second.headers.get("x-request-id")!);

    const revalidated = await get(path, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(await revalidated.text()).toBe("");

    // another language is another page
    const english = await get(path, { cookie: "lang=en", "if-none-match": etag });
    expect(english.status).toBe(200);
    expect(english.headers.get("etag")).not.toBe(etag);
  });

  it("sends a rendered page as one body of known length, not in chunks", { timeout: 60_000 }, async () => {
    // a query string of its own: rendered now, not answered from the cache
    const res = await get(`/needs/${needNumber}?whole=${uid()}`, { "accept-encoding": "identity" });
    expect(res.headers.get("x-public-cache")).toBe("miss");
    expect(res.headers.get("transfer-encoding")).toBeNull();
    const html = await res.text();
    expect(html).toContain(title);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(html)));
  });

  it("lets proxies keep the .data of client navigation briefly", { timeout: 60_000 }, async () => {
    const data = await get(`/needs/${needNumber}.data`);
    expect(data.status).toBe(200);
    expect(data.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
    const etag = data.headers.get("etag")!;
    expect((await get(`/needs/${needNumber}.data`, { "if-none-match": etag })).status).toBe(304);
  });

  it("serves the change, under a new ETag, once a public table changes", { timeout: 60_000 }, async () => {
    const path = `/needs/${needNumber}`;
    const before = await get(path);
    const etag = before.headers.get("etag")!;
    await before.text();
    const retitled = `${title} 已更新`;
    await db().need.update({ where: { id: needId }, data: { title: retitled } });
    const after = await get(path, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.headers.get("x-public-cache")).toBe("miss");
    expect(await after.text()).toContain(retitled);
  });

  it("answers a signed-in visitor privately, never from the anonymous cache", { timeout: 60_000 }, async () => {
    const path = `/needs/${needNumber}`;
    const anonymous = await get(path);
    const etag = anonymous.headers.get("etag")!;
    await anonymous.text();
    const name = `缓存测试居民${uid()}`;
    const user = await makeUser({ name });
    const token = randomToken();
    await db().session.create({ data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    const signedIn = await get(path, { cookie: `__session=${token}`, "if-none-match": etag });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.headers.get("etag")).toBeNull();
    expect(signedIn.headers.get("x-public-cache")).toBeNull();
    expect(await signedIn.text()).toContain(name);
    // and what the signed-in visitor saw is not handed to the next anonymous one
    const next = await get(path);
    expect(await next.text()).not.toContain(name);
  });

  it("leaves the beneficiary and call-back pages' no-store alone", { timeout: 60_000 }, async () => {
    for (const path of ["/projects/NONE-0001/beneficiaries", "/projects/NONE-0001/callbacks.data"]) {
      const res = await get(path);
      await res.body?.cancel();
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(res.headers.get("etag"), path).toBeNull();
    }
  });
});
