import crypto from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "~/generated/prisma/client";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** A transaction or the client itself: what a query that may run in either takes. */
export type Client = Tx | Db;

/** Told of every statement sent (SQL text, milliseconds to its answer): the webhook benchmark's profile. */
export type StatementObserver = (sql: string, ms: number) => void;

const globalForDb = globalThis as unknown as { __db?: PrismaClient; __dbUrl?: string; __pool?: pg.Pool; __dbObserver?: StatementObserver };

/**
 * The Prisma client for DATABASE_URL, created on first use: the server sets DATABASE_URL
 * only after it has started the embedded PostgreSQL. Its connection pool (`pool()`) is shared
 * with the statements that bypass Prisma (`preparedQuery`), so DB_POOL_SIZE bounds both.
 */
export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (the server sets it after starting the database)");
  // a client disconnected by `$disconnect()` has ended its pool: the next use gets a new one
  if (!globalForDb.__db || globalForDb.__dbUrl !== url || globalForDb.__pool?.ending) {
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DB_POOL_SIZE ?? 10) /* validated in env.server.ts */,
      // a new connection that takes this long means the server is gone or overwhelmed: fail, do not hang
      connectionTimeoutMillis: 10_000,
    });
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    const observer = globalForDb.__dbObserver;
    // Waiting for a pooled connection is normal under load (admission control in server/admission.ts
    // keeps the wait short); Prisma's 2 s default would fail busy transactions before they start.
    const client = new PrismaClient({
      adapter,
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
      ...(observer ? { log: [{ emit: "event" as const, level: "query" as const }] } : {}),
    });
    if (observer) (client as unknown as { $on(e: "query", cb: (e: { query: string; duration: number }) => void): void }).$on("query", (e) => observer(e.query, Number(e.duration)));
    globalForDb.__db = client;
    globalForDb.__pool = pool;
    globalForDb.__dbUrl = url;
  }
  return globalForDb.__db;
}

/** The pg pool under db(): for statements sent without Prisma (preparedQuery). */
export function pool(): pg.Pool {
  db();
  return globalForDb.__pool!;
}

export async function disconnectDb() {
  // the adapter ends the pool it was given (disposeExternalPool)
  await globalForDb.__db?.$disconnect();
  globalForDb.__db = undefined;
  globalForDb.__pool = undefined;
}

/**
 * Calls `observer` with every statement sent from now on, through Prisma or preparedQuery; it
 * must be set before db() is first used (the client is built with query events then).
 */
export function observeStatements(observer: StatementObserver | undefined) {
  globalForDb.__dbObserver = observer;
}

const statementNames = new Map<string, string>();

/** A statement's name on every connection: the same text, the same name (a hash of it). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs one statement on the shared pool as a named prepared statement: each connection parses
 * and plans its text once, later runs only bind and execute. Outside any transaction, so the
 * statement commits on its own (or rolls back whole if it fails). For the few fixed statements of
 * a hot path only (the Stripe webhook): every distinct text stays prepared on each connection for
 * the connection's life, so a text must not vary with the data (no IN lists built per call).
 *
 * Values go to pg as they are: strings, numbers, booleans, null, arrays; no Date (pg sends it in
 * the process's time zone — pass `toISOString()` and convert in SQL). Results come as pg parses
 * them: bigint and numeric as strings, json as values.
 */
export async function preparedQuery<T>(sql: Prisma.Sql): Promise<T[]> {
  const text = sql.text;
  const observer = globalForDb.__dbObserver;
  const started = observer ? performance.now() : 0;
  const result = await pool().query({ name: statementName(text), text, values: sql.values as unknown[] });
  if (observer) observer(text, performance.now() - started);
  return result.rows as T[];
}
