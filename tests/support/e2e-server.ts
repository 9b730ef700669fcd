/**
 * Started by Playwright (playwright.config.ts → webServer): the production build of the app on
 * E2E_PORT with a fresh database (embedded, or on DATABASE_URL's server), demo data, and real
 * SMTP delivery to the SMTP test process. Its ports are free ones the system picks (E2E_SMTP_PORT and
 * E2E_SMTP_API_PORT fix them), so a process left over from an interrupted run never blocks the next;
 * specs read them, with the database, from e2eDatabaseFile().
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { provisionalYear } from "../../app/domain/statutory-calendar.ts";
import { ensureDatabase, migrate, withDatabase } from "../../app/lib/migrate.server.ts";
import { packageCalendar } from "../../app/lib/chinese-days.server.ts";
import { startTestServer } from "./postgres.ts";
import { startSmtpProcess } from "./smtp.ts";
import { WechatStub } from "./wechat-stub.ts";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 0);
const E2E_SMTP_API_PORT = Number(process.env.E2E_SMTP_API_PORT ?? 0);

const server = await startTestServer();
const database = `cvp_e2e_${crypto.randomBytes(3).toString("hex")}`;
const smtp = await startSmtpProcess({ smtpPort: E2E_SMTP_PORT, apiPort: E2E_SMTP_API_PORT });
// WeChat's authorisation page and API, played locally: signing in with WeChat is configured
const wechat = new WechatStub("wx_e2e_app", "e2e_wechat_secret", { perBrowser: true });
const wechatBase = await wechat.start();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-e2e-data-"));
const databaseUrl = withDatabase(server.serverUrl, database);
// for tests that must arrange what no page can (a notice period that has already ended): see e2eDatabase(), e2eDataDir()
export const e2eDatabaseFile = (port = E2E_PORT) => path.join(os.tmpdir(), `cvp-e2e-${port}.json`);
// the data directory too: a spec that plays the payment provider signs its events with the demo webhook secret kept there
fs.writeFileSync(e2eDatabaseFile(), JSON.stringify({ databaseUrl, dataDir, smtpPort: smtp.smtpPort, smtpApiUrl: smtp.apiUrl }));

/**
 * Specs publish notices at the real time. Near the end of a year a notice runs into the next one,
 * whose State Council arrangement the chinese-days package may not carry yet; publishing is then
 * refused until an official enters that year. So that the suite does not depend on the date it runs,
 * the e2e database gets this year and the next as far as the law fixes them (the fixed-date
 * holidays), labelled as test data, whenever the package lacks them.
 */
async function enterMissingYears() {
  const thisYear = Number(new Date().toLocaleString("en-CA", { timeZone: "Asia/Shanghai", year: "numeric" }));
  const missing = [thisYear, thisYear + 1].filter((year) => !packageCalendar().years.has(year));
  if (!missing.length) return;
  await ensureDatabase(withDatabase(server.serverUrl, "postgres"), database);
  await migrate(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const year of missing) {
    const entry = provisionalYear(year, "test");
    await client.query(
      `INSERT INTO "CalendarYearEntry" (id, year, holidays, "makeupWorkdays", source, "enteredById") VALUES ($1, $2, $3, $4, $5, 'e2e')`,
      [crypto.randomUUID(), entry.year, entry.holidays, entry.makeupWorkdays, entry.source],
    );
  }
  await client.end();
}
await enterMissingYears();

const app = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(E2E_PORT),
    APP_URL: `http://localhost:${E2E_PORT}`,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DEMO_MODE: "true",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.smtpPort),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    WORKER_POLL_MS: "200",
    WECHAT_APP_ID: wechat.appId,
    WECHAT_APP_SECRET: wechat.secret,
    WECHAT_OPEN_BASE: wechatBase,
    WECHAT_API_BASE: wechatBase,
  },
});

let cleaning = false;
async function cleanup(code: number) {
  if (cleaning) return;
  cleaning = true;
  if (app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  await smtp.stop();
  await wechat.stop();
  const admin = new pg.Client({ connectionString: withDatabase(server.serverUrl, "postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
  await admin.end();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(e2eDatabaseFile(), { force: true });
  process.exit(code);
}
app.on("exit", (code) => void cleanup(code ?? 1));
process.on("SIGTERM", () => void cleanup(0));
process.on("SIGINT", () => void cleanup(0));
