import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { withDatabase } from "~/lib/migrate.server";
import { alive, start, stop, waitForPage } from "../support/lifecycle";

/**
 * `npm start` as a user runs it (from the production build under `npm test`, see
 * `spawnedAppMode`): with no DATABASE_URL an embedded PostgreSQL is created under DATA_DIR,
 * migrated and seeded; SIGTERM stops it cleanly; a restart keeps the data; a crash of either
 * process is recovered by the next start. (Stopping with requests in flight, and a DATABASE_URL
 * start, are in server-stop and server-database-url: files of their own run side by side.)
 */
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

});
