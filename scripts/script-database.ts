/**
 * The database a maintenance script (ledger:verify, audit:verify) reads: DATABASE_URL when set,
 * otherwise the app's embedded PostgreSQL under DATA_DIR/pg, found the way `npm start` finds it.
 * Nothing is created, migrated or seeded: a verifier only reads what is there.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { env } from "../app/lib/env.server.ts";
import { disconnectDb } from "../app/lib/db.server.ts";
import { startEmbeddedPostgres } from "../app/lib/embedded-postgres.server.ts";
import { withDatabase } from "../app/lib/migrate.server.ts";
import { EMBEDDED_DATABASE } from "../server/database.ts";

/** The database could not be reached or does not exist: nothing was verified. */
export class NoDatabaseError extends Error {}

export interface ScriptDatabase {
  /** where it is, without credentials */
  description: string;
  close(): Promise<void>;
}

// The credentials startEmbeddedPostgres gives its server (loopback only).
const EMBEDDED_CREDENTIALS = "postgres:postgres";

/** Port of the PostgreSQL running on `dataDir`, or null when none is (pid file line 4). */
function runningPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(lines[0]), 0);
  } catch {
    return null; // stale pid file; startEmbeddedPostgres removes it
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    return !!rowCount;
  } finally {
    await client.end();
  }
}

function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Points DATABASE_URL (and so db()) at the database to read. */
export async function openScriptDatabase(): Promise<ScriptDatabase> {
  const e = env();
  if (e.DATABASE_URL) {
    return { description: describe(e.DATABASE_URL), close: disconnectDb };
  }
  const dataDir = path.resolve(e.DATA_DIR, "pg");
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new NoDatabaseError(`no embedded database at ${dataDir} (start the app once, or set DATABASE_URL)`);
  }
  // The app may be running on this data directory: read through its server rather than fail.
  const port = runningPort(dataDir);
  let adminUrl: string;
  let stopServer = async () => {};
  if (port !== null) {
    adminUrl = `postgresql://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/postgres`;
  } else {
    const server = await startEmbeddedPostgres(dataDir);
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  try {
    if (!(await databaseExists(adminUrl, EMBEDDED_DATABASE))) {
      throw new NoDatabaseError(`the embedded server at ${dataDir} has no database "${EMBEDDED_DATABASE}"`);
    }
  } catch (error) {
    await stopServer();
    throw error;
  }
  const url = withDatabase(adminUrl, EMBEDDED_DATABASE);
  process.env.DATABASE_URL = url;
  return {
    description: `embedded PostgreSQL at ${dataDir}${port !== null ? " (running app's server)" : ""}, database ${EMBEDDED_DATABASE}`,
    async close() {
      await disconnectDb();
      await stopServer();
    },
  };
}

/**
 * Runs `main` against the script database and exits: main's code (0 sound, 1 problems found),
 * or 2 when nothing could be verified. The embedded server, when started here, is stopped on
 * every path, including Ctrl-C.
 */
export async function runVerifier(main: () => Promise<number>): Promise<never> {
  let database: ScriptDatabase | undefined;
  const stop = async (code: number): Promise<never> => {
    await database?.close().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  try {
    database = await openScriptDatabase();
    console.log(`database: ${database.description}`);
    return await stop(await main());
  } catch (error) {
    console.error(error instanceof NoDatabaseError ? `cannot verify: ${error.message}` : error);
    return stop(2);
  }
}
