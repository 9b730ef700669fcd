import fs from "node:fs";
import os from "node:os";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 4173);

/**
 * Debian's Chromium, never a downloaded browser: its headless shell (package
 * chromium-headless-shell, the build Playwright itself runs headless) when installed, which took
 * the e2e run from 7.2 to 3.7 minutes on two cores against the full browser's headless mode;
 * otherwise the full browser. CHROMIUM_PATH picks another. Flags keep it off the closed network.
 */
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium"),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  // Playwright's default is half the CPUs: one worker on two cores, which left them more than half
  // idle (the browser waits on the app, the app on PostgreSQL). Specs are independent (each makes
  // its own people and objects), so one more worker than cores; E2E_WORKERS overrides.
  workers: Number(process.env.E2E_WORKERS ?? Math.max(2, os.availableParallelism() + 1)),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  // bounds for a stuck test, not speed limits: a busy 2-core machine may take several times as long
  timeout: 180_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: `http://localhost:${port}`,
    // recording a trace of every test cost about a quarter of the suite's CPU (Chromium's
    // snapshots and screencast, measured on a journey: 85 s → 50 s of browser CPU); on failure the
    // error context and a screenshot are kept anyway. E2E_TRACE=retain-on-failure records them.
    trace: (process.env.E2E_TRACE as "off" | "on" | "retain-on-failure" | undefined) ?? "off",
    screenshot: "only-on-failure",
    // the browser's language (Accept-Language) picks the page's when there is no lang cookie: the
    // specs are written for the residents' Chinese; a spec that wants another sets its own
    locale: "zh-CN",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium } },
  ],
  webServer: {
    command: "node --import tsx tests/support/e2e-server.ts",
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
