import crypto from "node:crypto";
import type { TestProject } from "vitest/node";
import { ensureDatabase, migrate, withDatabase } from "../../app/lib/migrate.server.ts";
import { migrateWorkerSchema } from "../../app/lib/worker-schema.server.ts";
import { startTestServer } from "./postgres.ts";
import { startSmtpProcess } from "./smtp.ts";
import pg from "pg";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
    runId: string;
    smtpPort: number;
    smtpApiUrl: string;
  }
}

/**
 * Once per test run: a PostgreSQL server (embedded, or DATABASE_URL's), a migrated template
 * database that each worker clones, and a real SMTP server process.
 */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const runId = crypto.randomBytes(3).toString("hex");
  const templateDb = `cvp_tpl_${runId}`;
  await ensureDatabase(withDatabase(server.serverUrl, "postgres"), templateDb);
  const templateUrl = withDatabase(server.serverUrl, templateDb);
  await migrate(templateUrl);
  await migrateWorkerSchema(templateUrl);
  const smtp = await startSmtpProcess();
  project.provide("serverUrl", server.serverUrl);
  project.provide("templateDb", templateDb);
  project.provide("runId", runId);
  project.provide("smtpPort", smtp.smtpPort);
  project.provide("smtpApiUrl", smtp.apiUrl);

  return async () => {
    await smtp.stop();
    // drop this run's databases (on a shared server such as CI's, leave nothing behind)
    const admin = new pg.Client({ connectionString: withDatabase(server.serverUrl, "postgres") });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`cvp_%_${runId}%`],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
}
