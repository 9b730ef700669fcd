import { Logger, runMigrations } from "graphile-worker";
import { logger as appLogger } from "./logger.server";
import { withMigrationLock } from "./migrate.server";

/**
 * Creates/updates graphile-worker's own schema (`graphile_worker`), idempotently, under the
 * migration lock: two instances starting at once on an empty database would otherwise both
 * create it, and one would fail on the catalogue's unique index.
 */
export async function migrateWorkerSchema(connectionString: string): Promise<void> {
  await withMigrationLock(connectionString, () => runMigrations({ connectionString, logger: quietLogger() }));
}

/** graphile-worker's log lines, through the app's JSON logger. */
export function quietLogger(): Logger {
  const log = appLogger.child({ component: "worker" });
  return new Logger(() => (level, message, meta) => {
    const fn = level === "error" ? log.error.bind(log) : level === "warning" ? log.warn.bind(log) : log.debug.bind(log);
    fn(meta ?? {}, message);
  });
}
