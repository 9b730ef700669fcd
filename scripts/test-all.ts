/**
 * `npm test`: the whole suite, in order — typecheck, lint and the production build side by side,
 * schema ↔ migrations check, Vitest
 * (unit + integration on a real PostgreSQL; apps it starts run from the build), Playwright in Chromium.
 * Ends with one line "N passed, N failed" counting individual tests.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

interface Step {
  name: string;
  cmd: string[];
  /** runs at the same time as the steps around it that have the same group (output shown after) */
  group?: string;
  env?: Record<string, string>;
}

const steps: Step[] = [
  // single-threaded each: on two cores they run side by side
  { name: "typecheck", cmd: ["npm", "run", "typecheck"], group: "static" },
  { name: "lint", cmd: ["npm", "run", "lint"], group: "static" },
  // before Vitest: the integration tests that start the app as `npm start` does run it from this build
  { name: "build", cmd: ["npm", "run", "build"], group: "static" },
  { name: "schema matches migrations", cmd: ["npm", "run", "db:diff", "--", "--check"] },
  {
    name: "vitest (unit + integration)",
    cmd: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", "--outputFile=reports/vitest.json"],
    env: { TEST_APP_BUILD: "production" },
  },
  { name: "playwright (e2e)", cmd: ["npx", "playwright", "test"] },
];

function run(cmd: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** Runs a command with its output kept, to be printed when it ends. */
function runCaptured(cmd: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("exit", (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
  });
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

// outside test-results/, which Playwright empties when it starts
fs.rmSync("reports", { recursive: true, force: true });
const startedAt = Date.now();
const results: { name: string; code: number; seconds: number }[] = [];
for (let i = 0; i < steps.length; ) {
  const step = steps[i]!;
  if (step.group) {
    const batch = steps.slice(i).filter((s, k, all) => all.slice(0, k + 1).every((x) => x.group === step.group));
    const t = Date.now();
    const outcomes = await Promise.all(batch.map((s) => runCaptured(s.cmd).then((o) => ({ ...o, seconds: Math.round((Date.now() - t) / 100) / 10 }))));
    batch.forEach((s, k) => {
      console.log(`\n━━━ ${s.name} ━━━`);
      process.stdout.write(outcomes[k]!.output);
      results.push({ name: s.name, code: outcomes[k]!.code, seconds: outcomes[k]!.seconds });
    });
    i += batch.length;
    continue;
  }
  const t = Date.now();
  console.log(`\n━━━ ${step.name} ━━━`);
  const code = await run(step.cmd, step.env);
  results.push({ name: step.name, code, seconds: Math.round((Date.now() - t) / 100) / 10 });
  i++;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = readJson("reports/vitest.json") as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number } | null;
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += vitest.numPendingTests ?? 0;
}
const pw = readJson("reports/playwright.json") as { stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number } } | null;
if (pw?.stats) {
  passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
  failed += pw.stats.unexpected ?? 0;
  skipped += pw.stats.skipped ?? 0;
}
// a failed step that ran no test (typecheck, lint, schema check, build) counts as one failure
for (const r of results) if (r.code !== 0 && !/vitest|playwright/.test(r.name)) failed += 1;
if (results.some((r) => r.code !== 0) && failed === 0) failed = 1;

// the phases' times, for `npm run bench`'s scale table (the last run on this machine)
fs.mkdirSync("reports", { recursive: true });
fs.writeFileSync("reports/test-phases.json", JSON.stringify({ finishedAt: new Date().toISOString(), cores: os.availableParallelism(), seconds: Math.round((Date.now() - startedAt) / 1000), phases: results }, null, 2));

console.log("\n━━━ summary ━━━");
for (const r of results) console.log(`${r.code === 0 ? "ok  " : "FAIL"} ${r.name} (${r.seconds}s)`);
console.log(`whole run: ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
// a failing test fails the run even when its runner's exit code said otherwise
process.exit(results.every((r) => r.code === 0) && failed === 0 ? 0 : 1);
