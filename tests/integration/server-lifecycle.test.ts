import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { withDatabase } from "~/lib/migrate.server";
import { spawnedAppMode } from "../support/app-process";

/**
 * `npm start` as a user runs it (from the production build under `npm test`, see
 * `spawnedAppMode`): with no
 * DATABASE_URL an embedded PostgreSQL is created under DATA_DIR, migrated and seeded; SIGTERM
 * stops it cleanly; a restart keeps the data. With DATABASE_URL it uses that server instead.
 */
function start(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: spawnedAppMode(), LOG_LEVEL: "info", WORKER: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (out += String(c)));
  child.stderr!.on("data", (c) => (out += String(c)));
  return { child, output: () => out };
}

// a bound for an app that never comes up, not a speed limit: a first start migrates and seeds, on a busy machine for minutes
async function waitForPage(url: string, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return await res.text();
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no page at ${url}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("server lifecycle", () => {
  it("embedded PostgreSQL: first start seeds, SIGTERM stops the database, restart keeps data, and a crash of either process is recovered by the next start", { timeout: 480_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-lifecycle-"));
    fs.chmodSync(dataDir, 0o755);
    try {
      const port = await freePort();
      const env = { DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: String(port), DEMO_MODE: undefined, SMTP_HOST: undefined };
      const first = start(env);
      const html = await waitForPage(`http://127.0.0.1:${port}/`);
      expect(html).toContain("社区公益创投平台");
      expect(html).toContain("174,368");
      // demo mode (the default without DATABASE_URL) shows the demo accounts' password at sign-in
      expect(await (await fetch(`http://127.0.0.1:${port}/login`)).text()).toContain("Danghu-2026");
      expect(first.output()).toContain("demo district seeded");
      expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(true);
      expect(await stop(first.child)).toBe(0);
      // the embedded server was shut down, not left running
      expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);

      const second = start(env);
      const again = await waitForPage(`http://127.0.0.1:${port}/`);
      // the seeded district is still there: 156,950 urban + 17,418 village residents
      expect(again).toContain("174,368");
      expect(second.output()).not.toContain("demo district seeded");
      expect(second.output()).not.toContain("applied migration");

      // kill -9 of the app leaves its PostgreSQL running with nobody to stop it: the next start stops that one cleanly and comes up
      const orphanPid = Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
      await new Promise((resolve) => {
        second.child.once("exit", resolve);
        second.child.kill("SIGKILL");
      });
      expect(alive(orphanPid)).toBe(true);
      const third = start(env);
      expect(await waitForPage(`http://127.0.0.1:${port}/`)).toContain("174,368");
      expect(third.output()).toContain(`stopping an orphaned PostgreSQL (pid ${orphanPid})`);
      expect(alive(orphanPid)).toBe(false);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, database: true, migrations: true });

      // the database dies under the running app: it says so in one line and exits non-zero, for a supervisor to restart it
      const dbPid = Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
      const exited = new Promise<number | null>((resolve) => third.child.once("exit", (code) => resolve(code)));
      process.kill(dbPid, "SIGKILL");
      expect(await exited).toBe(1);
      expect(third.output()).toContain("the embedded PostgreSQL stopped unexpectedly");

      // and the next start comes back by itself
      const fourth = start(env);
      expect(await waitForPage(`http://127.0.0.1:${port}/`)).toContain("174,368");
      expect(await stop(fourth.child)).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("a production start without SMTP refuses to start unless local mail mode is chosen explicitly", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const refused = start({ DATABASE_URL: withDatabase(inject("serverUrl"), `cvp_nosmtp_${inject("runId")}`), DEMO_MODE: "false", SMTP_HOST: undefined, MAIL_MODE: undefined, PORT: String(port) });
    const code = await new Promise<number | null>((resolve) => refused.child.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(refused.output()).toContain("MAIL_MODE=local");
  });

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

  it("DATABASE_URL: creates, migrates and seeds that database", { timeout: 240_000 }, async () => {
    const name = `cvp_life_${inject("runId")}`;
    const url = withDatabase(inject("serverUrl"), name);
    const port = await freePort();
    const app = start({ DATABASE_URL: url, DEMO_MODE: "true", PORT: String(port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "cvp-life-url-")) });
    try {
      await waitForPage(`http://127.0.0.1:${port}/`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "Area" WHERE level = 'COMMUNITY'`);
      await client.end();
      expect(rows[0].n).toBe(18);
    } finally {
      expect(await stop(app.child)).toBe(0);
    }
  });
});
