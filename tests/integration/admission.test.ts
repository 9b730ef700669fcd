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
});
