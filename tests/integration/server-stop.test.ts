import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { withDatabase } from "~/lib/migrate.server";
import { start, stop, waitForPage } from "../support/lifecycle";

/** Stopping `npm start`'s server (SIGTERM): requests in flight finish within the grace period, or are cut. */
describe("server stop", () => {
  it("a stop lets a request in flight finish, and cuts one that outlasts the grace period by exiting with code 1", { timeout: 300_000 }, async () => {
    const url = withDatabase(inject("serverUrl"), `cvp_stop_${inject("runId")}`);
    const env = { DATABASE_URL: url, DEMO_MODE: "true", SHUTDOWN_GRACE_SECONDS: "3", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "cvp-life-stop-")) };
    const body = "email=nobody%40example.com&password=wrong-password";

    /** A sign-in post whose body is held back after its first bytes: the request stays in flight. */
    async function heldPost(port: number) {
      const socket = net.connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      let response = "";
      socket.on("data", (c) => (response += String(c)));
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.on("error", () => {});
      // Expect: 100-continue makes the server answer "100 Continue" once it holds the request
      socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
      await expect.poll(() => response).toContain("100 Continue");
      socket.write(body.slice(0, 10));
      /** the final response, after the interim 100 */
      const final = () => response.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      return { finish: () => socket.write(body.slice(10)), response: final, closed };
    }

    const port = await freePort();
    const first = start({ ...env, PORT: String(port) });
    await waitForPage(`http://127.0.0.1:${port}/`);
    const held = await heldPost(port);
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    first.child.kill("SIGTERM");
    await expect.poll(() => first.output()).toContain("shutting down");
    held.finish();
    await held.closed;
    expect(held.response()).toMatch(/^HTTP\/1\.1 (200|303|400)/);
    expect(await exited).toBe(0);

    const secondPort = await freePort();
    const second = start({ ...env, PORT: String(secondPort) });
    await waitForPage(`http://127.0.0.1:${secondPort}/`);
    const stuck = await heldPost(secondPort);
    const code = await stop(second.child);
    expect(code).toBe(1);
    expect(second.output()).toContain("shutdown grace period over");
    await stuck.closed;
    expect(stuck.response()).toBe("");
  });

});
