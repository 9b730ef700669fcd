import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admission } from "../../server/admission";

/** Overload slows requests down or answers 503 with Retry-After before any of the request has run. */
describe("admission control", () => {
  let base: string;
  let server: ReturnType<express.Express["listen"]>;
  const gates: (() => void)[] = [];
  const started: string[] = [];
  const gate = admission({ concurrent: 1, queue: 1, maxWaitMs: 1_500, retryAfterSeconds: 7 });

  beforeAll(async () => {
    const app = express();
    app.use(gate);
    app.get("/slow/:name", (req, res) => {
      started.push(req.params.name);
      gates.push(() => res.send(req.params.name));
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setTimeout(r, 10));
  };

  it("queues what exceeds the limit, refuses what exceeds the queue, and runs the queued one when a place frees", async () => {
    const first = fetch(`${base}/slow/a`);
    await until(() => started.length === 1);
    const second = fetch(`${base}/slow/b`);
    await until(() => gate.state().waiting === 1);
    const third = await fetch(`${base}/slow/c`);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("7");
    expect(started).toEqual(["a"]);

    gates.shift()!();
    expect(await (await first).text()).toBe("a");
    await until(() => started.length === 2);
    gates.shift()!();
    expect(await (await second).text()).toBe("b");
    // c never ran
    expect(started).toEqual(["a", "b"]);
    await until(() => gate.state().active === 0);
  });

  it("answers 503 to a request that waited too long, without running it", async () => {
    const first = fetch(`${base}/slow/x`);
    await until(() => started.includes("x"));
    const waited = await fetch(`${base}/slow/y`);
    expect(waited.status).toBe(503);
    expect(started).not.toContain("y");
    gates.shift()!();
    expect(await (await first).text()).toBe("x");
    await until(() => gate.state().active === 0 && gate.state().waiting === 0);
  });

  it("gives the place back when clients go away, whether they were waiting or being served", async () => {
    // one served and one queued, both abandoned by their clients (a load generator stopping does this)
    const servedAbort = new AbortController();
    const served = fetch(`${base}/slow/gone-served`, { signal: servedAbort.signal }).catch(() => null);
    await until(() => started.includes("gone-served"));
    const queuedAbort = new AbortController();
    const queued = fetch(`${base}/slow/gone-queued`, { signal: queuedAbort.signal }).catch(() => null);
    await until(() => gate.state().waiting === 1);
    queuedAbort.abort();
    servedAbort.abort();
    await Promise.all([served, queued]);
    // the abandoned one finishes its work later; neither holds a place afterwards
    await until(() => gate.state().waiting === 0);
    gates.shift()!();
    await until(() => gate.state().active === 0);
    expect(started).not.toContain("gone-queued");

    const next = fetch(`${base}/slow/after`);
    await until(() => started.includes("after"));
    gates.shift()!();
    expect(await (await next).text()).toBe("after");
    await until(() => gate.state().active === 0);
  });

  it("does not run a queued request whose client left before its turn, and frees the place at once", async () => {
    const first = fetch(`${base}/slow/holder`);
    await until(() => started.includes("holder"));
    // a raw socket: the request is queued, then the connection is destroyed without the request's
    // stream being read (so only the response and the socket say the client is gone)
    const net = await import("node:net");
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => socket.once("connect", r));
    socket.write(`GET /slow/left HTTP/1.1\r\nHost: x\r\n\r\n`);
    await until(() => gate.state().waiting === 1);
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    gates.shift()!();
    expect(await (await first).text()).toBe("holder");
    await until(() => gate.state().active === 0 && gate.state().waiting === 0);
    expect(started).not.toContain("left");
  });
});
