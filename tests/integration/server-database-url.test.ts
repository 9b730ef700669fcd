import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "~/lib/embedded-postgres.server";
import { withDatabase } from "~/lib/migrate.server";
import { start, stop, waitForPage } from "../support/lifecycle";

/** `npm start` with DATABASE_URL: that server's database is created, migrated and seeded. */
describe("server on DATABASE_URL", () => {
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
