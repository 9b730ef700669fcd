import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundRequests } from "../../server/request-limits";

/**
 * Hostile or broken requests are refused before the app reads them: small 4xx answers, in
 * milliseconds, with nothing of the body read when it is too large.
 */
describe("request limits", () => {
  let base: string;
  let server: http.Server;
  const reached: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(boundRequests(64 * 1024));
    app.all("/{*splat}", (req, res) => {
      reached.push(`${req.method} ${req.path}`);
      res.send("reached");
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("lets ordinary pages and form posts through", async () => {
    expect((await fetch(`${base}/needs?q=${encodeURIComponent("加装电梯")}`)).status).toBe(200);
    const body = new URLSearchParams({ email: "a@b.example", password: "x" });
    expect((await fetch(`${base}/login`, { method: "POST", body })).status).toBe(200);
    const multipart = new FormData();
    multipart.set("photo", new Blob([new Uint8Array(1000)]), "a.jpg");
    expect((await fetch(`${base}/needs/new`, { method: "POST", body: multipart })).status).toBe(200);
    // the webhooks take signed JSON
    expect((await fetch(`${base}/webhooks/stripe`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(200);
  });

  it("refuses NUL bytes and broken %-encoding in paths and query strings with 400", async () => {
    for (const url of ["/needs%00", "/needs?q=a%00b", "/needs?q=%E4%ZZ", "/needs/%"]) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(400);
    }
  });

  it("refuses JSON, XML and plain text on form routes with 400", async () => {
    for (const type of ["application/json", "application/xml", "text/plain"]) {
      const res = await fetch(`${base}/login`, { method: "POST", body: "{\"email\":\"x\"}", headers: { "content-type": type } });
      expect(res.status, type).toBe(400);
    }
    const noBoundary = await fetch(`${base}/login`, { method: "POST", body: "--x\r\n", headers: { "content-type": "multipart/form-data" } });
    expect(noBoundary.status).toBe(400);
  });

  it("answers 413 to a body over the limit before reading it, and 411 to one of undeclared length", async () => {
    const before = reached.length;
    const res = await fetch(`${base}/needs/new`, { method: "POST", body: new URLSearchParams({ text: "x".repeat(100 * 1024) }) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Request too large");

    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/needs/new`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("a=1");
      req.end();
    });
    expect(chunked).toBe(411);
    expect(reached.length).toBe(before);
  });
});
