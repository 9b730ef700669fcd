/**
 * Keeps prisma/migrations in step with prisma/schema.prisma using Prisma's Wasm schema engine
 * (the native engine cannot be downloaded on every machine; see docs/decisions/002-database.md).
 *
 *   npm run db:diff                 print the SQL that would bring the migrations to the schema
 *   npm run db:diff -- --create X   write prisma/migrations/<timestamp>_X/migration.sql
 *   npm run db:diff -- --check      exit 1 when schema and migrations disagree (run by the tests)
 *   npm run db:diff -- --record     add new migrations' checksums to prisma/migrations/checksums.txt
 *                                   (once the migration is final, before it is committed)
 *
 * The engine's database introspection does not work through @prisma/adapter-pg 7.10 (it cannot
 * read PostgreSQL's "char" catalog columns), so diffs are computed between datamodels: the schema
 * as of the last migration is kept in prisma/migrations/schema.snapshot.prisma. The check does
 * not trust that file alone: it builds one database from the migrations and one straight from
 * the schema and compares their catalogues.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { withTestServer } from "../tests/support/postgres.ts";
import { ensureDatabase, migrate, MIGRATIONS_DIR, recordNewChecksums, withDatabase } from "../app/lib/migrate.server.ts";
import { describeDatabase } from "../tests/support/catalog.ts";

const SCHEMA = "prisma/schema.prisma";
const SNAPSHOT = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");

type Engine = { diff(params: unknown): Promise<{ exitCode: number; stdout?: string }>; free(): void };

let engineClass: Promise<{ new: (o: unknown, cb: unknown, a: unknown) => Promise<Engine> }> | undefined;
const loadSchemaEngine = () => (engineClass ??= instantiateSchemaEngine());

async function instantiateSchemaEngine() {
  // the engine reports Rust panics through this global
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (m: string) => console.error(`schema engine panic: ${m}`),
  };
  // The package's entry imports the .wasm file as an ES module, which Node 20 only does behind
  // a flag; instantiate it by hand instead (what a bundler does).
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bg = await import(path.join(dir, "schema_engine_bg.js"));
  const bytes = fs.readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg.SchemaEngine as { new: (o: unknown, cb: unknown, a: unknown) => Promise<Engine> };
}

/** SQL that turns a database shaped by `from` (null: empty) into one shaped by `to`. */
export async function diffDatamodels(from: string | null, to: string, serverUrl: string): Promise<string> {
  const SchemaEngine = await loadSchemaEngine();
  // a datamodel-to-datamodel diff changes no database, but the engine insists on a connection
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: serverUrl }));
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", to]] }, () => {}, adapter);
  try {
    const target = (content: string) => ({ tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] });
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : target(from),
      to: target(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? "").trim();
    return /^(-- This is an empty migration\.)?$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}

async function withScratchDatabase<T>(serverUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `schema_check_${crypto.randomBytes(4).toString("hex")}`;
  const adminUrl = withDatabase(serverUrl, "postgres");
  await ensureDatabase(adminUrl, name);
  try {
    return await fn(withDatabase(serverUrl, name));
  } finally {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Returns a list of differences between migrations and schema; empty when they agree. */
export async function checkSchemaAgainstMigrations(serverUrl: string): Promise<string[]> {
  const schema = fs.readFileSync(SCHEMA, "utf8");
  const problems: string[] = [];
  const snapshot = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, "utf8") : null;
  const pending = await diffDatamodels(snapshot, schema, serverUrl);
  if (pending) problems.push(`schema.prisma has changes with no migration:\n${pending}`);
  const fromMigrations = await withScratchDatabase(serverUrl, async (url) => {
    await migrate(url);
    return describeDatabase(url);
  });
  const fromSchema = await withScratchDatabase(serverUrl, async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(await diffDatamodels(null, schema, serverUrl));
    await client.end();
    return describeDatabase(url);
  });
  const a = new Set(fromMigrations);
  const b = new Set(fromSchema);
  for (const line of fromSchema) if (!a.has(line)) problems.push(`missing from migrations: ${line}`);
  const handWritten = handWrittenObjects();
  for (const line of fromMigrations) {
    if (b.has(line)) continue;
    // partial indexes and CHECK constraints cannot be stated in schema.prisma: a migration's
    // hand-written section may add them, by name
    const name = /^(?:index CREATE (?:UNIQUE )?INDEX "([^"]+)"|constraint \S+ (\S+) CHECK )/.exec(line);
    if (name && handWritten.has(name[1] ?? name[2]!)) continue;
    problems.push(`not in schema.prisma: ${line}`);
  }
  return problems;
}

/** Names of the indexes and constraints created below a migration's "hand-written" marker. */
function handWrittenObjects(): Set<string> {
  const names = new Set<string>();
  for (const dir of fs.readdirSync(MIGRATIONS_DIR)) {
    const file = path.join(MIGRATIONS_DIR, dir, "migration.sql");
    if (!fs.existsSync(file)) continue;
    const sql = fs.readFileSync(file, "utf8");
    const marker = sql.indexOf("hand-written");
    if (marker < 0) continue;
    for (const m of sql.slice(marker).matchAll(/(?:CREATE (?:UNIQUE )?INDEX|ADD CONSTRAINT) "([^"]+)"/g)) names.add(m[1]!);
  }
  return names;
}

async function main() {
  const [command, arg] = process.argv.slice(2);
  const schema = fs.readFileSync(SCHEMA, "utf8");
  const snapshot = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, "utf8") : null;
  if (command === "--check") {
    const problems = await withTestServer(checkSchemaAgainstMigrations);
    if (problems.length) {
      console.error(problems.join("\n"));
      process.exitCode = 1;
    } else console.log("schema.prisma matches prisma/migrations");
    return;
  }
  if (command === "--record") {
    const added = recordNewChecksums();
    console.log(added.length ? `recorded ${added.join(", ")}` : "every migration is recorded already");
    return;
  }
  const sql = await withTestServer((serverUrl) => diffDatamodels(snapshot, schema, serverUrl));
  if (command === "--create") {
    if (!sql) return console.log("no changes");
    const name = (arg ?? "change").replace(/[^a-z0-9_]/gi, "_");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
    fs.writeFileSync(SNAPSHOT, schema);
    console.log(
      `wrote ${path.relative(process.cwd(), dir)}/migration.sql (add hand-written SQL below it if needed, then record it with --record)`,
    );
  } else console.log(sql || "no changes");
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
