import { runMigrations } from "graphile-worker";

/** Creates/updates graphile-worker's own schema (`graphile_worker`), idempotently. */
export async function migrateWorkerSchema(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger() });
}

import { Logger } from "graphile-worker";
import { logger as appLogger } from "./logger.server";

/** graphile-worker's log lines, through the app's JSON logger. */
export function quietLogger(): Logger {
  const log = appLogger.child({ component: "worker" });
  return new Logger(() => (level, message, meta) => {
    const fn = level === "error" ? log.error.bind(log) : level === "warning" ? log.warn.bind(log) : log.debug.bind(log);
    fn(meta ?? {}, message);
  });
}
