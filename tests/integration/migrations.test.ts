import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sha256 } from "~/lib/crypto.server";
import { ensureDatabase, migrate, MigrationChangedError, readMigrations, readRecordedChecksums, recordNewChecksums, withDatabase } from "~/lib/migrate.server";
import { migrateWorkerSchema } from "~/lib/worker-schema.server";
import { uid } from "../support/db";

/** Committed migrations are never edited: the files match their recorded checksums, and start-up refuses a changed one. */
describe("migrations are immutable", () => {
  const created: string[] = [];
  const serverUrl = inject("serverUrl");
  const admin = withDatabase(serverUrl, "postgres");

  afterAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    for (const name of created) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  async function emptyDatabase() {
    const name = `cvp_migr_${inject("runId")}_${uid()}`;
    created.push(name);
    await ensureDatabase(admin, name);
    return withDatabase(serverUrl, name);
  }

  function migrationsDir(files: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-migrations-"));
    for (const [name, sql] of Object.entries(files)) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
    }
    return dir;
  }

  it("every committed migration is recorded in checksums.txt and matches its record", () => {
    const recorded = readRecordedChecksums();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(5);
    for (const m of files) {
      expect(recorded.get(m.name), `${m.name} is not recorded: once it is final, run npm run db:diff -- --record`).toBeDefined();
      expect(m.checksum, `${m.name} was changed after it was recorded: put the change in a new migration`).toBe(recorded.get(m.name));
    }
    expect([...recorded.keys()].sort()).toEqual(files.map((m) => m.name));
  });

  it("stops before applying anything when an applied migration was changed, and names it", async () => {
    const url = await emptyDatabase();
    const dir = migrationsDir({ "001_a": "CREATE TABLE a (id int);" });
    expect(await migrate(url, { dir })).toEqual(["001_a"]);

    fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), "CREATE TABLE a (id bigint);");
    fs.mkdirSync(path.join(dir, "002_b"));
    fs.writeFileSync(path.join(dir, "002_b", "migration.sql"), "CREATE TABLE b (id int);");
    const error = await migrate(url, { dir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationChangedError);
    expect((error as Error).message).toContain("migration 001_a was changed after this database applied it");

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'b'");
    await client.end();
    expect(tables.rowCount).toBe(0);

    // put back as it was, the next migration goes on
    fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), "CREATE TABLE a (id int);");
    expect(await migrate(url, { dir })).toEqual(["002_b"]);
  });

  it("--record adds new migrations and never rewrites a recorded checksum", () => {
    const dir = migrationsDir({ "001_a": "SELECT 1;", "002_b": "SELECT 2;" });
    fs.writeFileSync(path.join(dir, "checksums.txt"), `${"0".repeat(64)}  001_a\n`);
    expect(recordNewChecksums(dir)).toEqual(["002_b"]);
    const recorded = readRecordedChecksums(dir);
    expect(recorded.get("001_a")).toBe("0".repeat(64));
    expect(recorded.get("002_b")).toBe(sha256("SELECT 2;"));
    expect(recordNewChecksums(dir)).toEqual([]);
  });
});

describe("instances starting together", () => {
  it("two starts at once on an empty database both migrate, job schema included, five times in a row", { timeout: 120_000 }, async () => {
    const serverUrl = inject("serverUrl");
    const admin = withDatabase(serverUrl, "postgres");
    const names: string[] = [];
    try {
      for (let round = 0; round < 5; round++) {
        const name = `cvp_twin_${inject("runId")}_${uid()}`;
        names.push(name);
        const url = withDatabase(serverUrl, name);
        const startOne = async () => {
          await ensureDatabase(admin, name);
          const applied = await migrate(url);
          await migrateWorkerSchema(url);
          return applied.length;
        };
        const [a, b] = await Promise.all([startOne(), startOne()]);
        // one of them applied every migration, the other found them applied
        expect([a, b].sort()).toEqual([0, readMigrations().length]);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rowCount } = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'graphile_worker'");
        await client.end();
        expect(rowCount).toBe(1);
      }
    } finally {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  });
});
