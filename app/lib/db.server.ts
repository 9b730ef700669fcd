import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** A transaction or the client itself: what a query that may run in either takes. */
export type Client = Tx | Db;

const globalForDb = globalThis as unknown as { __db?: PrismaClient; __dbUrl?: string };

/**
 * The Prisma client for DATABASE_URL, created on first use: the server sets DATABASE_URL
 * only after it has started the embedded PostgreSQL.
 */
export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (the server sets it after starting the database)");
  if (!globalForDb.__db || globalForDb.__dbUrl !== url) {
    const adapter = new PrismaPg({
      connectionString: url,
      max: Number(process.env.DB_POOL_SIZE ?? 10) /* validated in env.server.ts */,
      // a new connection that takes this long means the server is gone or overwhelmed: fail, do not hang
      connectionTimeoutMillis: 10_000,
    });
    // Waiting for a pooled connection is normal under load (admission control in server/admission.ts
    // keeps the wait short); Prisma's 2 s default would fail busy transactions before they start.
    globalForDb.__db = new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
    globalForDb.__dbUrl = url;
  }
  return globalForDb.__db;
}

export async function disconnectDb() {
  await globalForDb.__db?.$disconnect();
  globalForDb.__db = undefined;
}
