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
