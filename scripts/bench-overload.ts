/**
 * `npm run bench -- overload [--duration 30] [--overload-connections 200]`: the production app
 * (embedded database, demo district) under far more connections than it admits at once, on a mix
 * of public pages and a signed-in official's pages. Prints how many answers were 5xx — 503s from
 * admission control (nothing of those requests ran) apart from any other — and p50/p99 latency.
 * Figures only, no thresholds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../app/lib/embedded-postgres.server.ts";

const PUBLIC_PATHS = ["/", "/rounds", "/needs", "/projects", "/rounds/JN6/proposals", "/foundations/danghu-community-fund", "/transparency"];
const SIGNED_IN_PATHS = ["/me", "/admin/rounds", "/admin/dashboard", "/projects/JN6-0002/expenses"];

async function waitFor(url: string, timeoutMs = 180_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ email, password }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`signing in as ${email} answered ${res.status} without a session`);
  return cookie;
}

export async function benchOverload(opts: { duration: number; connections: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-bench-overload-"));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    stdio: "ignore",
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "error", DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: "", DEMO_MODE: "true", SMTP_HOST: "" },
  });
  try {
    await waitFor(`${base}/readyz`);
    const cookie = await signIn(base, "official@danghu.example", "Danghu-2026");
    const requests = [
      ...PUBLIC_PATHS.map((p) => ({ method: "GET" as const, path: p })),
      ...SIGNED_IN_PATHS.map((p) => ({ method: "GET" as const, path: p, headers: { cookie } })),
    ];
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url: base, connections: opts.connections, duration: opts.duration, requests, timeout: 60 }, (err, r) => (err ? reject(err) : resolve(r)));
      instance.on("response", (_client, status, _bytes, ms) => {
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
    });
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
    const count = (pred: (s: number) => boolean) => [...statuses].filter(([s]) => pred(s)).reduce((n, [, c]) => n + c, 0);
    console.log(`\noverload: ${opts.connections} connections for ${opts.duration} s on ${PUBLIC_PATHS.length} public and ${SIGNED_IN_PATHS.length} signed-in pages (${os.cpus().length} cores)`);
    console.log(`  answers: ${latencies.length} (${(latencies.length / opts.duration).toFixed(0)}/s), 2xx/3xx ${count((s) => s < 400)}, 4xx ${count((s) => s >= 400 && s < 500)}`);
    console.log(`  5xx: ${count((s) => s >= 500)} — of which 503 (admission control, nothing ran) ${count((s) => s === 503)}, other 5xx ${count((s) => s >= 500 && s !== 503)}`);
    console.log(`  timeouts/errors: ${result.timeouts} / ${result.errors}`);
    console.log(`  latency p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms`);
  } finally {
    await new Promise<void>((resolve) => {
      if (app.exitCode !== null) return resolve();
      app.once("exit", () => resolve());
      app.kill("SIGTERM");
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
