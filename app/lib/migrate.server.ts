import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { sha256 } from "./crypto.server";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: sha256(sql) };
    });
}

/**
 * `prisma/migrations/checksums.txt`: the SHA-256 of every committed migration, one
 * `<sha256>  <name>` line each (the format of `sha256sum`). A migration is never edited once
 * committed; the test suite compares the files with this record, and start-up compares the
 * database's history with the files.
 */
export const CHECKSUMS_FILE = "checksums.txt";

export function readRecordedChecksums(dir = MIGRATIONS_DIR): Map<string, string> {
  const file = path.join(dir, CHECKSUMS_FILE);
  if (!fs.existsSync(file)) return new Map();
  const entries = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => /^([0-9a-f]{64}) {2}(\S+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[2]!, m[1]!] as const);
  return new Map(entries);
}

/** Adds the checksums of migrations not yet recorded (never changes a recorded one); returns their names. */
export function recordNewChecksums(dir = MIGRATIONS_DIR): string[] {
  const recorded = readRecordedChecksums(dir);
  const added = readMigrations(dir).filter((m) => !recorded.has(m.name));
  if (added.length) fs.appendFileSync(path.join(dir, CHECKSUMS_FILE), added.map((m) => `${m.checksum}  ${m.name}\n`).join(""));
  return added.map((m) => m.name);
}

/**
 * Checksums a database may hold for a migration besides the file's own, each with the reason.
 * The giving migration exists in two committed copies: the first (a receipt number unique across
 * all foundations) and an edited one (unique per foundation), which the file now holds, as the
 * databases migrated from it hold it. A database migrated while the first copy was committed holds
 * that copy's checksum; the follow-up migration `receipt_number_per_foundation` (written with
 * IF [NOT] EXISTS) brings databases migrated from either copy to the same indexes.
 */
const ACCEPTED_EARLIER_CHECKSUMS: Record<string, readonly string[]> = {
  "20261130104559_giving": ["15e58cb1af460ec582aa33cc1fe269d381a70d4826b2dcf07a0a02923b24cca0"],
};

/** A migration the database applied was changed afterwards: the schema may not be what the files say. */
export class MigrationChangedError extends Error {
  constructor(
    readonly migration: string,
    readonly applied: string,
    readonly file: string,
  ) {
    super(
      `migration ${migration} was changed after this database applied it ` +
        `(checksum ${applied.slice(0, 12)}… applied, ${file.slice(0, 12)}… in the file). ` +
        `Committed migrations are never edited: restore the file and put the change in a new migration.`,
    );
    this.name = "MigrationChangedError";
  }
}

// Same table and columns as Prisma Migrate, so `prisma migrate deploy/status` on a machine that
// can download Prisma's engines sees the same history.
const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any number of app instances may start at once; one migrates, the others wait.
const MIGRATION_LOCK = 72_707_369;

/**
 * Runs `fn` while holding the migration lock (a session advisory lock on its own connection):
 * schema changes that are not in the committed migrations — the job library's own schema — are
 * made one instance at a time too.
 */
export async function withMigrationLock<T>(connectionString: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/**
 * Applies the committed `prisma/migrations/NNN/migration.sql` files that the database has not
 * seen yet, each in its own transaction, in name order (what `prisma migrate deploy` does).
 * Returns the names applied. Refuses to go on (MigrationChangedError, nothing applied) when a
 * migration the database already applied has changed since.
 */
export async function migrate(
  connectionString: string,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(CREATE_HISTORY);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const migrations = readMigrations(opts.dir);
    for (const m of migrations) {
      const seen = done.get(m.name);
      if (seen !== undefined && seen !== m.checksum && !ACCEPTED_EARLIER_CHECKSUMS[m.name]?.includes(seen)) {
        throw new MigrationChangedError(m.name, seen, m.checksum);
      }
    }
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
           (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [crypto.randomUUID(), m.checksum, m.name, started],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
      log(`applied migration ${m.name}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
  return applied;
}

/** Drops `database` (a scratch database of a bench or a check) on the server behind `serverUrl`, closing its sessions. */
export async function dropDatabase(serverUrl: string, database: string) {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) {
      const quoted = `"${database.replaceAll('"', '""')}"`;
      const from = template ? ` TEMPLATE "${template.replaceAll('"', '""')}"` : "";
      try {
        await client.query(`CREATE DATABASE ${quoted}${from} ENCODING 'UTF8'`);
      } catch (error) {
        // another instance starting at the same moment created it first (duplicate_database, or
        // the catalogue's unique index when both inserted at once): it exists, which is all we need
        const code = (error as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** `postgresql://…/name?x` → the same server's `postgres` database, and `name`. */
export function splitDatabaseUrl(url: string): { adminUrl: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  u.pathname = "/postgres";
  return { adminUrl: u.toString(), database };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
