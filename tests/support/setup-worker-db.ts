import { inject } from "vitest";
import { ensureDatabase, withDatabase } from "../../app/lib/migrate.server.ts";
import { resetEnvCache } from "../../app/lib/env.server.ts";

/**
 * Each Vitest worker gets its own database, cloned from the migrated template, and its own
 * DATABASE_URL. Test files in the same worker share it, so tests create their own rows and
 * never assume empty tables.
 */
const serverUrl = inject("serverUrl");
const worker = process.env.VITEST_POOL_ID ?? "1";
const database = `cvp_w${worker}_${inject("runId")}`;
await ensureDatabase(withDatabase(serverUrl, "postgres"), database, inject("templateDb"));
process.env.DATABASE_URL = withDatabase(serverUrl, database);
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
process.env.DEMO_MODE = "false";
process.env.SMTP_HOST = "127.0.0.1";
process.env.SMTP_PORT = String(inject("smtpPort"));
process.env.APP_URL = "http://localhost:3000";
process.env.DATA_DIR = `./data/test-${inject("runId")}-w${worker}`;
resetEnvCache();
