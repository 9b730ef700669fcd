/**
 * `npm run bench [-- --duration 10 --connections 20]` — prints, on this machine:
 *  - requests/s and p95 latency of the public home page and of a 50-row public list, beside a
 *    bare React Router page served by the same Express adapter in the same run, with the same
 *    load tool (autocannon), and the ratios;
 *  - time of first start (empty data dir → first page served) and of a restart.
 * Everything runs on loopback against production builds. No thresholds: figures only.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, startEmbeddedPostgres } from "../app/lib/embedded-postgres.server.ts";
import { EMBEDDED_DATABASE } from "../server/database.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = arg("duration", 10);
const CONNECTIONS = arg("connections", 20);
const root = process.cwd();

function build(cwd: string, env: Record<string, string> = {}) {
  execFileSync("npx", ["react-router", "build"], { cwd, stdio: "ignore", env: { ...process.env, ...env } });
}

async function waitFor(url: string, timeoutMs = 120_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Date.now() - start;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

function startApp(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** autocannon's summary has no p95, so every response time is collected and ranked here. */
async function load(url: string) {
  const latencies: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, duration: DURATION, connections: CONNECTIONS }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? NaN;
  return { rps: r.requests.average, p95, non2xx: r.non2xx, errors: r.errors };
}

/** Posts `n` small appropriations to the demo foundation, through the ledger service, with the app stopped. */
async function addFoundationMovements(pgDir: string, n: number) {
  const server = await startEmbeddedPostgres(pgDir);
  process.env.DATABASE_URL = server.urlFor(EMBEDDED_DATABASE);
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { postTransaction } = await import("../app/services/ledger.server.ts");
  const { accountCodes, transfer } = await import("../app/domain/ledger.ts");
  const foundation = await db().foundation.findUniqueOrThrow({ where: { slug: "danghu-community-fund" } });
  for (let i = 1; i <= n; i++) {
    await db().$transaction((tx) =>
      postTransaction(tx, {
        idempotencyKey: `bench:${i}`,
        kind: "APPROPRIATION",
        memo: `基准测试拨款 ${i} / Benchmark appropriation ${i}`,
        entries: transfer(accountCodes.externalAppropriation("danghu-finance"), accountCodes.foundationAvailable(foundation.id), 100 * i),
      }),
    );
  }
  await disconnectDb();
  delete process.env.DATABASE_URL;
  await server.stop();
}

async function main() {
  console.log(`bench: ${os.cpus().length} cores, node ${process.version}, ${DURATION}s × ${CONNECTIONS} connections per target\n`);
  build(root);
  // inside the project, so the build resolves react-router from node_modules
  const bareBuild = path.join(root, "build-bench-bare");
  build(path.join(root, "bench/bare"), { BARE_BUILD_DIR: bareBuild });

  // ── start-up times ──
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-bench-data-"));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const env = { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: "", DEMO_MODE: "true", SMTP_HOST: "" };
  let t = Date.now();
  let app = startApp(env);
  await waitFor(`http://127.0.0.1:${port}/`);
  const firstStart = Date.now() - t;
  await stop(app);
  t = Date.now();
  app = startApp(env);
  await waitFor(`http://127.0.0.1:${port}/`);
  const restart = Date.now() - t;
  await stop(app);

  // ── the 50-row list: the demo foundation's public ledger with 60 more movements, 50 per page ──
  await addFoundationMovements(path.join(dataDir, "pg"), 60);
  app = startApp(env);
  await waitFor(`http://127.0.0.1:${port}/`);

  // ── throughput: the app (still running) and the bare page, one after the other ──
  const bareServer = spawn(process.execPath, ["--import", "tsx", "scripts/bench-bare-server.ts", bareBuild], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  const barePort = await new Promise<number>((resolve) => {
    bareServer.stdout!.on("data", (chunk) => {
      const m = /listening (\d+)/.exec(String(chunk));
      if (m) resolve(Number(m[1]));
    });
  });

  const listPath = "/foundations/danghu-community-fund?per=50";
  const targets = [
    { name: "bare React Router page", url: `http://127.0.0.1:${barePort}/` },
    { name: "public home page", url: `http://127.0.0.1:${port}/` },
    { name: "50-row public list", url: `http://127.0.0.1:${port}${listPath}` },
  ];
  const rows = [];
  const listHtml = await (await fetch(targets[2]!.url)).text();
  const listRows = (listHtml.match(/<tr /g) ?? []).length;
  if (listRows !== 50) throw new Error(`the list page shows ${listRows} rows, not 50`);
  for (const target of targets) {
    const status = (await fetch(target.url)).status;
    if (status !== 200) throw new Error(`${target.url} answered ${status}`);
    await load(target.url); // warm-up, discarded
    rows.push({ ...target, ...(await load(target.url)) });
  }
  await stop(bareServer);
  await stop(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(bareBuild, { recursive: true, force: true });

  const base = rows[0]!;
  console.log("target                    req/s    p95 ms   vs bare (req/s)   errors");
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${(r.rps / base.rps).toFixed(2).padStart(10)}×        ${r.non2xx + r.errors}`,
    );
  }
  console.log(`\nfirst start (empty data dir → first page): ${(firstStart / 1000).toFixed(2)} s`);
  console.log(`restart (existing data dir → first page):  ${(restart / 1000).toFixed(2)} s`);
}

await main();
