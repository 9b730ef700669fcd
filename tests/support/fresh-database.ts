import pg from "pg";
import { inject } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { ensureDatabase, withDatabase } from "~/lib/migrate.server";
import { uid } from "./db";

/**
 * A database of its own, cloned from the migrated template, for tests that tamper with data
 * (disable guard triggers, corrupt rows): they cannot disturb the worker's shared database.
 * `drop()` removes it; global teardown drops any left behind by its `cvp_*_<runId>_*` name.
 */
export async function freshDatabase(prefix: string) {
  const name = `cvp_${prefix}_${inject("runId")}_${uid()}`;
  const serverUrl = inject("serverUrl");
  await ensureDatabase(withDatabase(serverUrl, "postgres"), name, inject("templateDb"));
  const url = withDatabase(serverUrl, name);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    url,
    client,
    async drop() {
      await client.$disconnect();
      const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export type FreshDatabase = Awaited<ReturnType<typeof freshDatabase>>;

/**
 * Runs `fn` in one transaction with the named tables' triggers off (USER: the append-only and
 * balance guards; ALL: foreign-key triggers too — superuser only), then turns them back on.
 * For tests that must plant corrupt rows the app and the database would refuse.
 */
export async function withTriggersOff(
  url: string,
  tables: Record<string, "USER" | "ALL">,
  fn: (c: pg.Client) => Promise<unknown>,
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    for (const [table, which] of Object.entries(tables)) await c.query(`ALTER TABLE "${table}" DISABLE TRIGGER ${which}`);
    await fn(c);
    for (const [table, which] of Object.entries(tables)) await c.query(`ALTER TABLE "${table}" ENABLE TRIGGER ${which}`);
    await c.query("COMMIT");
  } catch (error) {
    await c.query("ROLLBACK");
    throw error;
  } finally {
    await c.end();
  }
}
