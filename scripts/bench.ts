/**
 * `npm run bench [-- --duration 10 --connections 20]` — prints, on this machine:
 *  - requests/s and p95 latency of the public home page and of a 50-row public list, beside a
 *    bare React Router page served by the same Express adapter in the same run, with the same
 *    load tool (autocannon), and the ratios: the home page rendered for every request, served from
 *    the anonymous-page cache, and answered 304 to a visitor who has it (docs/decisions/020-*);
 *  - time of first start (empty data dir → first page served) and of a restart;
 *  - lists at scale: p95 of the first and the last page (reached by its keyset cursor, the first
 *    page's "last" link) of the public needs list with 10,000
 *    needs (by votes, 20 per page), of a round's public list of eligible proposals and of the
 *    official's screening queue with 5,000 proposals, beside the bare page, as ratios.
 *  - ranking + allocation at 1k and 10k proposals (pure and through PostgreSQL) and judge
 *    assignment for 2,000 × 60 (scripts/bench-ranking.ts).
 *  - the officials' dashboard for a subdistrict with 2,000 projects, 50,000 expenses and 1,000,000
 *    ledger entries beside one with 100 projects (scripts/bench-dashboard.ts).
 * `npm run bench -- lists` runs only the list measurements, `-- ranking` only the ranking ones,
 * `-- dashboard` only the dashboard, `-- foundation` only the public foundation page with 1,000,000
 * ledger entries beside 1,000 (scripts/bench-foundation.ts), `-- webhook` only the Stripe webhook:
 * verified, deduplicated, ledger-posted events per second and p50/p95/p99 latency, 2,000 payments
 * as 10,000 shuffled deliveries (scripts/bench-webhook.ts; `--n`, `--concurrency`, `--profile`).
 * `-- audit` only the audit log viewer: the chain's verification and the list's pages with 100,000
 * records (scripts/bench-audit.ts).
 * `-- overload` only the overload run: 200 connections for 30 s on public and signed-in pages,
 * counting 5xx (503s from admission control apart) and p50/p99 (scripts/bench-overload.ts).
 * Everything runs on loopback against production builds. No thresholds: figures only.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, startEmbeddedPostgres } from "../app/lib/embedded-postgres.server.ts";
import { EMBEDDED_DATABASE } from "../server/database.ts";
import { FRESHNESS_WINDOW_MS } from "../app/lib/public-cache.ts";
import { benchRanking } from "./bench-ranking.ts";
import { benchDashboard } from "./bench-dashboard.ts";
import { benchFoundation } from "./bench-foundation.ts";
import { benchAudit } from "./bench-audit.ts";
import { benchOverload } from "./bench-overload.ts";
import { benchWebhook } from "./bench-webhook.ts";
import { printSummary, reportFigure } from "./bench-summary.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = arg("duration", 10);
/** positional parts to run ("lists"); none: everything */
const parts = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const runs = (part: string) => parts.length === 0 || parts.includes(part);
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

/**
 * autocannon's summary has no p95, so every response time is collected and ranked here.
 * `unique`: every request gets a query string of its own (`?bench=N`), which the page ignores:
 * no two requests share a cache entry, so each one is rendered (the anonymous-page cache's miss
 * path, docs/decisions/020-public-page-cache.md). `expect`: the status every response must have
 * (304 for revalidations); others are counted as errors.
 */
async function load(url: string, opts: { headers?: Record<string, string>; unique?: boolean; expect?: number } = {}) {
  const latencies: number[] = [];
  let unexpected = 0;
  let n = 0;
  const { pathname, search } = new URL(url);
  const requests = opts.unique
    ? [{ setupRequest: (req: { path?: string }) => ({ ...req, path: `${pathname}${search}${search ? "&" : "?"}bench=${++n}` }) }]
    : undefined;
  const expected = opts.expect ?? 200;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, duration: DURATION, connections: CONNECTIONS, headers: opts.headers ?? {}, ...(requests ? { requests } : {}) }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      if (status !== expected) unexpected++;
    });
  });
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? NaN;
  return { rps: r.requests.average, p95, errors: unexpected + r.errors };
}

/** The app has exited, but its PostgreSQL may still be finishing its shutdown: wait for the pid file to go. */
async function postgresGone(pgDir: string, timeoutMs = 60_000) {
  const start = Date.now();
  while (fs.existsSync(path.join(pgDir, "postmaster.pid")) && Date.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 100));
}

/** Posts `n` small appropriations to the demo foundation, through the ledger service, with the app stopped. */
async function addFoundationMovements(pgDir: string, n: number) {
  await postgresGone(pgDir);
  const server = await startEmbeddedPostgres(pgDir);
  process.env.DATABASE_URL = server.urlFor(EMBEDDED_DATABASE);
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { postTransaction } = await import("../app/services/books/ledger.server.ts");
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

function startBare(bareBuild: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench-bare-server.ts", bareBuild], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  return new Promise((resolve) => {
    child.stdout!.on("data", (chunk) => {
      const m = /listening (\d+)/.exec(String(chunk));
      if (m) resolve({ child, port: Number(m[1]) });
    });
  });
}

async function main() {
  console.log(`bench: ${os.cpus().length} cores, node ${process.version}, ${DURATION}s × ${CONNECTIONS} connections per target\n`);
  if (runs("ranking")) await benchRanking();
  if (runs("dashboard")) await benchDashboard();
  if (runs("foundation")) await benchFoundation();
  if (runs("audit")) await benchAudit();
  // sets process.exitCode = 1 when the outcome does not verify
  if (runs("webhook")) await benchWebhook({ n: arg("n", 2_000), concurrency: arg("concurrency", 16), profile: args.includes("--profile") });
  if (parts.length && !runs("public") && !runs("lists") && !runs("overload")) return;
  build(root);
  if (runs("overload")) await benchOverload({ duration: arg("duration", 30), connections: arg("overload-connections", 200) });
  if (parts.length && !runs("public") && !runs("lists")) return;
  // inside the project, so the build resolves react-router from node_modules
  const bareBuild = path.join(root, "build-bench-bare");
  build(path.join(root, "bench/bare"), { BARE_BUILD_DIR: bareBuild });
  try {
    if (runs("public")) await publicPages(bareBuild);
    if (runs("lists")) await listPages(bareBuild);
  } finally {
    fs.rmSync(bareBuild, { recursive: true, force: true });
  }
}

/** Start-up times, and throughput/p95 of the home page and a 50-row list beside the bare page. */
async function publicPages(bareBuild: string) {
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
  const { child: bareServer, port: barePort } = await startBare(bareBuild);

  const listPath = "/foundations/danghu-community-fund?per=50";
  const home = `http://127.0.0.1:${port}/`;
  const revalidation: Record<string, string> = {};
  // rendered: every request a page of its own (the cache's miss path); cached: every request the
  // same anonymous page, answered from the in-process cache; 304: the visitor already has it
  const targets: { name: string; url: string; unique?: boolean; headers?: Record<string, string>; expect?: number }[] = [
    { name: "bare React Router page", url: `http://127.0.0.1:${barePort}/` },
    { name: "public home page", url: home, unique: true },
    { name: "home page, cached", url: home },
    { name: "home page, 304", url: home, headers: revalidation, expect: 304 },
    { name: "50-row public list", url: `http://127.0.0.1:${port}${listPath}`, unique: true },
  ];
  const rows: ((typeof targets)[number] & Awaited<ReturnType<typeof load>>)[] = [];
  const listHtml = await (await fetch(targets[4]!.url)).text();
  const listRows = (listHtml.match(/<tr /g) ?? []).length;
  if (listRows !== 50) throw new Error(`the list page shows ${listRows} rows, not 50`);
  for (const target of targets) {
    if (target.expect === 304) {
      // a page's ETag lasts one freshness window (a minute of the clock): warm-up and run inside one, with its ETag
      const left = FRESHNESS_WINDOW_MS - (Date.now() % FRESHNESS_WINDOW_MS);
      if (left < 2 * DURATION * 1000 + 3000) await new Promise((r) => setTimeout(r, left + 100));
      const etag = (await fetch(home)).headers.get("etag");
      if (!etag) throw new Error("the home page has no ETag: is the public-page cache on?");
      revalidation["if-none-match"] = etag;
    }
    const status = (await fetch(target.url, { headers: target.headers })).status;
    if (status !== (target.expect ?? 200)) throw new Error(`${target.url} answered ${status}`);
    await load(target.url, target); // warm-up, discarded
    rows.push({ ...target, ...(await load(target.url, target)) });
  }
  await stop(bareServer);
  await stop(app);
  fs.rmSync(dataDir, { recursive: true, force: true });

  const base = rows[0]!;
  console.log("target                    req/s    p95 ms   vs bare (req/s)   errors");
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${(r.rps / base.rps).toFixed(2).padStart(10)}×        ${r.errors}`,
    );
  }
  const byName = (name: string) => rows.find((r) => r.name === name)!;
  reportFigure({ measure: "home page req/s vs bare page, rendered", figure: `${(byName("public home page").rps / base.rps).toFixed(2)}×`, goal: "≥ 0.7×" });
  reportFigure({ measure: "home page req/s vs bare page, from the cache", figure: `${(byName("home page, cached").rps / base.rps).toFixed(2)}×`, goal: "≥ 1×" });
  reportFigure({ measure: "home page req/s vs bare page, 304", figure: `${(byName("home page, 304").rps / base.rps).toFixed(2)}×`, goal: "≥ 1×" });
  console.log(`\nfirst start (empty data dir → first page): ${(firstStart / 1000).toFixed(2)} s`);
  console.log(`restart (existing data dir → first page):  ${(restart / 1000).toFixed(2)} s`);
}

const BENCH_NEEDS = 10_000;
const BENCH_PROPOSALS = 5_000;
const BENCH_ROUND = "BENCH";

/**
 * Into the (stopped) app's database: 10,000 more open needs over the demo communities and a
 * round in REVIEW with 5,000 eligible proposals (each with its screening decision), inserted in
 * bulk with generate_series. Proposals are inserted with their final status: the freeze trigger
 * fires on UPDATE and DELETE only. Vote counts are set directly (no NeedVote rows): the lists
 * read only the counts. Returns a session cookie of the demo subdistrict official.
 */
async function addListData(pgDir: string): Promise<string> {
  await postgresGone(pgDir);
  const server = await startEmbeddedPostgres(pgDir);
  process.env.DATABASE_URL = server.urlFor(EMBEDDED_DATABASE);
  const { db, disconnectDb } = await import("../app/lib/db.server.ts");
  const { randomToken, sha256 } = await import("../app/lib/crypto.server.ts");
  const official = await db().user.findUniqueOrThrow({ where: { email: "official@danghu.example" } });
  const jn7 = await db().round.findUniqueOrThrow({ where: { code: "JN7" } });
  await db().$executeRaw`
    INSERT INTO "Need" (id, "areaId", title, description, category, status, "voteCount", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, a.ids[1 + i % array_length(a.ids, 1)], '基准测试需求 ' || i, '基准测试用的居民需求描述，第 ' || i || ' 条。',
           (ARRAY['SELF_GOVERNANCE', 'PUBLIC_SERVICE', 'CULTURE_SPORTS'])[1 + i % 3], 'OPEN'::"NeedStatus", (i * 7919) % 400,
           now() - make_interval(mins => i), now()
    FROM generate_series(1, ${BENCH_NEEDS}::int) i,
         (SELECT array_agg(id ORDER BY "sortOrder") AS ids FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE')) a`;
  const { id: _id, code: _code, createdAt: _c, updatedAt: _u, poolFen: _p, categories, rubric, trancheSchedule, budgetCaps, ...settings } = jn7;
  const round = await db().round.create({
    data: {
      ...settings,
      code: BENCH_ROUND,
      title: "基准测试轮次 / Benchmark round",
      phase: "REVIEW",
      poolFen: 0n,
      categories: categories as object,
      budgetCaps: budgetCaps as object,
      rubric: rubric as object,
      trancheSchedule: trancheSchedule as object,
      nextProposalSeq: BENCH_PROPOSALS + 1,
    },
  });
  await db().$executeRaw`
    INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, summary, "communityId", category,
                            "requestedFen", snapshot, "snapshotSha256", "submittedAt", "submittedById", "screeningReason", "screenedAt", "screenedById", "updatedAt")
    SELECT gen_random_uuid()::text, ${round.id}, o.ids[1 + i % array_length(o.ids, 1)], ${official.id}, 'ELIGIBLE'::"ProposalStatus",
           ${BENCH_ROUND} || '-' || lpad(i::text, 4, '0'), '基准测试项目 ' || i, '基准测试', a.ids[1 + i % array_length(a.ids, 1)],
           (ARRAY['SELF_GOVERNANCE', 'PUBLIC_SERVICE', 'CULTURE_SPORTS'])[1 + i % 3], 500000 + (i * 37 % 1000) * 1000,
           '{}'::jsonb, md5(i::text), now() - make_interval(mins => i), ${official.id}, '', now(), ${official.id}, now()
    FROM generate_series(1, ${BENCH_PROPOSALS}::int) i,
         (SELECT array_agg(id ORDER BY "createdAt", id) AS ids FROM "Organization") o,
         (SELECT array_agg(id ORDER BY "sortOrder") AS ids FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE')) a`;
  await db().$executeRaw`
    INSERT INTO "ScreeningDecision" (id, "proposalId", outcome, reason, "decidedById", "createdAt")
    SELECT gen_random_uuid()::text, p.id, 'ELIGIBLE'::"ScreeningOutcome", '', ${official.id}, now() FROM "Proposal" p WHERE p."roundId" = ${round.id}`;
  await db().$executeRaw`ANALYZE`;
  const token = randomToken();
  await db().session.create({ data: { tokenHash: sha256(token), userId: official.id, expiresAt: new Date(Date.now() + 86_400_000) } });
  await disconnectDb();
  delete process.env.DATABASE_URL;
  await server.stop();
  return `__session=${token}`;
}

/** p95 of the first and the last page of three lists at scale, beside the bare page. */
async function listPages(bareBuild: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-bench-lists-"));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const env = { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: "", DEMO_MODE: "true", SMTP_HOST: "" };
  let app = startApp(env); // first start: migrate and seed the demo district
  await waitFor(`http://127.0.0.1:${port}/`);
  await stop(app);
  const cookie = await addListData(path.join(dataDir, "pg"));
  app = startApp(env);
  await waitFor(`http://127.0.0.1:${port}/`);
  const { child: bareServer, port: barePort } = await startBare(bareBuild);

  const base = `http://127.0.0.1:${port}`;
  /** the last page's address: the first page's "last" link (a keyset cursor), as a visitor would follow it */
  const lastPage = async (url: string, headers: Record<string, string> = {}) => {
    const html = await (await fetch(url, { headers })).text();
    const tag = /<a [^>]*data-testid="pager-last"[^>]*>/.exec(html)?.[0];
    const href = tag && /href="([^"]*)"/.exec(tag)?.[1];
    if (!href) throw new Error(`${url}: no link to the last page`);
    return `${base}${href.replace(/&amp;/g, "&")}`;
  };
  const auth = { cookie };
  const needsLast = await lastPage(`${base}/needs`);
  const eligibleLast = await lastPage(`${base}/rounds/${BENCH_ROUND}/proposals`);
  const queueLast = await lastPage(`${base}/admin/rounds/${BENCH_ROUND}/screening`, auth);
  const targets: { name: string; url: string; headers?: Record<string, string>; rows?: RegExp }[] = [
    { name: "bare React Router page", url: `http://127.0.0.1:${barePort}/` },
    { name: "needs, first page", url: `${base}/needs`, rows: /data-testid="need-card"/g },
    { name: "needs, last page", url: needsLast, rows: /data-testid="need-card"/g },
    { name: "eligible, first page", url: `${base}/rounds/${BENCH_ROUND}/proposals`, rows: /<tr>/g },
    { name: "eligible, last page", url: eligibleLast, rows: /<tr>/g },
    { name: "screening, first page", url: `${base}/admin/rounds/${BENCH_ROUND}/screening`, headers: auth, rows: /data-testid="screening-row-/g },
    { name: "screening, last page", url: queueLast, headers: auth, rows: /data-testid="screening-row-/g },
  ];
  const rows = [];
  try {
    for (const target of targets) {
      // the previous target's load may still be draining from the admission queue: a 503 then says
      // "come back" (Retry-After), which is the app doing its job, not a failure of this page
      let res = await fetch(target.url, { headers: target.headers });
      for (let tries = 0; res.status === 503 && tries < 30; tries++) {
        await res.body?.cancel();
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
        res = await fetch(target.url, { headers: target.headers });
      }
      if (res.status !== 200) throw new Error(`${target.url} answered ${res.status}`);
      const html = await res.text();
      const count = target.rows ? (html.match(target.rows) ?? []).length : null;
      // first pages are full (20 rows, + a header row for tables); last pages hold the remainder
      if (count !== null && count < 1) throw new Error(`${target.url} shows no rows`);
      // anonymous pages would be answered from the public-page cache: each request made a page of its own, rendered
      const opts = { headers: target.headers, unique: !target.headers };
      await load(target.url, opts); // warm-up, discarded
      rows.push({ ...target, ...(await load(target.url, opts)) });
    }
  } finally {
    await stop(bareServer);
    await stop(app);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const bare = rows[0]!;
  console.log(`\nlists: ${BENCH_NEEDS.toLocaleString("en")} more needs (by votes, 20 per page); a round with ${BENCH_PROPOSALS.toLocaleString("en")} eligible proposals`);
  console.log("target                    req/s    p95 ms   p95 vs bare   errors");
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${(r.p95 / bare.p95).toFixed(2).padStart(10)}×     ${r.errors}`,
    );
  }
  // each list's last page beside its first (keyset pages: the same index range scan at either end)
  for (let i = 1; i + 1 < rows.length; i += 2) {
    const [first, last] = [rows[i]!, rows[i + 1]!];
    const list = first.name.split(",")[0]!;
    console.log(`${list.padEnd(10)} last/first p95: ${(last.p95 / first.p95).toFixed(2)}×`);
    reportFigure({ measure: `${list} list p95 vs bare page (worst page)`, figure: `${(Math.max(first.p95, last.p95) / bare.p95).toFixed(2)}×`, goal: "≤ 3×" });
    reportFigure({ measure: `${list} list last page vs first page p95`, figure: `${(last.p95 / first.p95).toFixed(2)}×`, goal: "≤ 1.2×" });
  }
}

try {
  await main();
} finally {
  printSummary();
}
