import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../app/lib/embedded-postgres.server.ts";
import { withDatabase } from "../../app/lib/migrate.server.ts";

/**
 * Test databases live on the server named by DATABASE_URL when it is set (CI's PostgreSQL),
 * otherwise on an embedded PostgreSQL started for this run in a temporary directory.
 * Returns the URL of the server's `postgres` database and a stop function.
 *
 * The embedded server is a scratch one (no fsync, asynchronous commit): its data lives as long as
 * the run. Benchmarks pass `durable: true`, so that their figures include what a real server's
 * commits cost.
 */
export async function startTestServer(opts: { durable?: boolean } = {}): Promise<{ serverUrl: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    return { serverUrl: withDatabase(process.env.DATABASE_URL, "postgres"), stop: async () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-test-pg-"));
  // the embedded server runs as the `postgres` system user, which must be able to enter it
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, "pg"), { durable: opts.durable ?? false });
  return {
    serverUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withTestServer<T>(fn: (serverUrl: string) => Promise<T>, opts: { durable?: boolean } = {}): Promise<T> {
  const { serverUrl, stop } = await startTestServer(opts);
  try {
    return await fn(serverUrl);
  } finally {
    await stop();
  }
}
