import pg from "pg";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { ensureDatabase, readMigrations, withDatabase } from "~/lib/migrate.server";
import { uid } from "../support/db";
import { startApp, waitForStatus } from "../support/app-process";

/**
 * Two instances of the app started at the same moment on an empty database, as a deployment
 * with two replicas does on its first day: both migrate (one waits for the other), both create
 * the job schema, both start their worker — and both serve. Several rounds, because a race shows
 * only some of the time; one round seeds the demo district (both try), one starts before the
 * database exists (both create it).
 */
const ROUNDS: { name: string; demo: boolean; createFirst: boolean }[] = [
  { name: "empty database", demo: false, createFirst: true },
  { name: "empty database, demo seed", demo: true, createFirst: true },
  { name: "no database yet", demo: false, createFirst: false },
];

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("two instances started together", () => {
  it("on an empty database both serve, round after round", { timeout: 900_000 }, async () => {
    const serverUrl = inject("serverUrl");
    for (const round of ROUNDS) {
      const name = `cvp_twin_${inject("runId")}_${uid()}`;
      const url = withDatabase(serverUrl, name);
      if (round.createFirst) await ensureDatabase(withDatabase(serverUrl, "postgres"), name);
      const ports = [await freePort(), await freePort()];
      const env = (port: number) => ({
        DATABASE_URL: url,
        PORT: String(port),
        DEMO_MODE: String(round.demo),
        MAIL_MODE: "local",
        SMTP_HOST: undefined,
        WORKER: "true",
      });
      const apps = ports.map((port) => startApp(env(port)));
      try {
        for (const [i, port] of ports.entries()) {
          const ready = await waitForStatus(`http://127.0.0.1:${port}/readyz`, apps[i]!);
          expect(await ready.json(), `${round.name}: instance ${i + 1}`).toEqual({ ready: true, database: true, migrations: true });
        }
        // each migration applied once, the demo district seeded once
        const applied = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
        expect(applied.map((r) => r.migration_name).sort(), round.name).toEqual(readMigrations().map((m) => m.name));
        const [{ n }] = (await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "Area" WHERE level = 'DISTRICT'`)) as [{ n: number }];
        expect(n, round.name).toBe(round.demo ? 1 : 0);
        for (const app of apps) expect(app.output(), round.name).not.toContain("failed to start");
      } finally {
        for (const app of apps) {
          const code = await app.stop();
          expect(code, `${round.name}: exit code after SIGTERM; the app said:\n${app.output().slice(-3000)}`).toBe(0);
        }
        await query(withDatabase(serverUrl, "postgres"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    }
  });
});
