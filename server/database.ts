import path from "node:path";
import type { Env } from "../app/lib/env.server.ts";
import { logger } from "../app/lib/logger.server.ts";
import { ensureReachableByPostgresUser, startEmbeddedPostgres } from "../app/lib/embedded-postgres.server.ts";
import { ensureDatabase, migrate, splitDatabaseUrl } from "../app/lib/migrate.server.ts";
import { migrateWorkerSchema } from "../app/lib/worker-schema.server.ts";

export const EMBEDDED_DATABASE = "community_venture";

/**
 * Makes DATABASE_URL point at a migrated database: the configured server, or an embedded
 * PostgreSQL under DATA_DIR/pg. Seeds the demo district on first start in demo mode.
 */
export async function prepareDatabase(e: Env): Promise<{ embedded: boolean; stop: () => Promise<void> }> {
  let stop = async () => {};
  let embedded = false;
  if (!e.DATABASE_URL) {
    const pgLog = logger.child({ component: "postgres" });
    const opened = ensureReachableByPostgresUser(path.join(e.DATA_DIR, "pg"));
    if (opened.length) {
      logger.warn({ directories: opened }, "gave the postgres system user search permission (o+x) to reach the embedded database");
    }
    const server = await startEmbeddedPostgres(path.join(e.DATA_DIR, "pg"), {
      log: (m) => pgLog.debug(m),
      notice: (m) => pgLog.warn(m),
      onUnexpectedExit: (code, signal) => {
        // Nothing would bring the database back while this process lives: every request would fail.
        // Exit, so that a supervisor (or the next `npm start`) starts both again.
        logger.fatal({ code, signal }, "the embedded PostgreSQL stopped unexpectedly; exiting so that a restart brings it back");
        process.exit(1);
      },
    });
    await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
    process.env.DATABASE_URL = server.urlFor(EMBEDDED_DATABASE);
    stop = () => server.stop();
    embedded = true;
    logger.info({ dataDir: path.resolve(e.DATA_DIR, "pg") }, "embedded PostgreSQL started");
  } else {
    const { adminUrl, database } = splitDatabaseUrl(e.DATABASE_URL);
    await ensureDatabase(adminUrl, database).catch((error) =>
      logger.warn({ err: error }, "could not check/create the database; assuming it exists"),
    );
  }
  const url = process.env.DATABASE_URL!;
  try {
    await migrate(url, { log: (m) => logger.info(m) });
    await migrateWorkerSchema(url);
    if (e.DEMO_MODE) {
      const { seedDemoIfEmpty } = await import("../prisma/seed.ts");
      const seeded = await seedDemoIfEmpty();
      if (seeded) logger.info("demo district seeded");
    }
  } catch (error) {
    // a refused migration (or a failed seed) ends the start: leave no embedded server running behind it
    await stop().catch(() => {});
    throw error;
  }
  return { embedded, stop };
}
