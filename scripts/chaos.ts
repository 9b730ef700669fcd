/**
 * `npm run chaos` — two bad days, on loopback, in a temporary directory of its own; prints what
 * happened (figures only, no thresholds) and cleans up after itself:
 *
 *  (a) a burst of 200 signed Stripe webhook events (checkout.session.completed, paid — signed with
 *      the webhook secret exactly as Stripe signs, the code `npm run bench -- webhook` uses) with
 *      `kill -9` of the app part-way through, a restart, and the redelivery of every event (what
 *      Stripe does for those it saw unanswered; the answered ones are sent again here too). Prints
 *      how many gifts were acknowledged before the kill, how many are paid exactly once, what
 *      `ledger:verify` and `audit:verify` say, and the seconds from the restart until every
 *      donor's receipt email reached the SMTP server (a local SMTP process, tests/support/smtp.ts).
 *  (b) `kill -9` of the embedded PostgreSQL while the app serves public pages under load: what
 *      the app did (exit code, its log line) and the seconds from the restart (what `npm start`
 *      runs after building) until /readyz answered 200 again.
 *
 * The production build goes to build-chaos/ (removed afterwards); the app runs with its embedded
 * PostgreSQL, demo district, demo payments mode and worker, on free ports of 127.0.0.1.
 * `--gifts N` changes the burst size (default 200).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../app/lib/embedded-postgres.server.ts";
import { EMBEDDED_DATABASE } from "../server/database.ts";
import { receivedMail, startSmtpProcess, type SmtpHandle } from "../tests/support/smtp.ts";

const args = process.argv.slice(2);
const argNumber = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const GIFTS = argNumber("gifts", 200);
const CONCURRENCY = 16;
/** the app is killed once this many deliveries were acknowledged */
const KILL_AFTER = Math.round(GIFTS * 0.35);
/** bounds on every wait, so the run always ends */
const START_BOUND_MS = 240_000;
const MAIL_BOUND_MS = 300_000;

const root = process.cwd();
const buildDir = path.join(root, "build-chaos");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-chaos-"));
fs.chmodSync(work, 0o755);
const dataDir = path.join(work, "data");
fs.mkdirSync(dataDir, { mode: 0o755 });
const webhookSecret = `whsec_chaos_${crypto.randomBytes(16).toString("hex")}`;

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** resolves after `ms` without keeping the process alive (the far side of a race) */
const bound = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms).unref());

interface App {
  child: ChildProcess;
  log: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let current: App | null = null;
let smtp: SmtpHandle | null = null;

function startApp(port: number, smtpPort: number, name: string): App {
  const log = path.join(work, `${name}.log`);
  const out = fs.openSync(log, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      NODE_ENV: "production",
      BUILD_DIR: buildDir,
      DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: "",
      DEMO_MODE: "true",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      STRIPE_SECRET_KEY: "",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      WORKER: "true",
      WORKER_POLL_MS: "200",
      LOG_LEVEL: "warn",
    },
  });
  fs.closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const app = { child, log, exited };
  current = app;
  return app;
}

async function waitReady(base: string, app: App): Promise<void> {
  const deadline = Date.now() + START_BOUND_MS;
  let gone = false;
  void app.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.status === 200) return;
    } catch {
      /* starting */
    }
    await sleep(50);
  }
  throw new Error(`the app did not become ready (${gone ? "it exited" : "bound reached"}); its log: ${app.log}`);
}

/** The embedded PostgreSQL of DATA_DIR: pid and URL of the app's database (postmaster.pid lines 1 and 4). */
function embeddedPostgres(): { pid: number; url: string } {
  const lines = fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n");
  return { pid: Number(lines[0]), url: `postgresql://postgres:postgres@127.0.0.1:${Number(lines[3])}/${EMBEDDED_DATABASE}` };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

function verify(script: "ledger:verify" | "audit:verify"): string {
  try {
    const out = execFileSync("npm", ["run", "--silent", script], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" }, encoding: "utf8" });
    return `exit 0 — ${out.trim().split("\n").at(-1)}`;
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return `exit ${e.status} — ${(e.stdout || e.stderr || "").trim().split("\n").at(-1)}`;
  }
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function webhookBurst(port: number, smtpHandle: SmtpHandle) {
  const base = `http://127.0.0.1:${port}`;
  console.log(`\n(a) ${GIFTS} signed webhook events, kill -9 of the app after ${KILL_AFTER} acknowledgements, restart, redelivery of all`);
  process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
  const { signEvent } = await import("../app/services/giving/demo.server.ts");
  const { checkoutSessionObject, stripeEvent } = await import("../app/services/giving/stripe-objects.server.ts");

  let app = startApp(port, smtpHandle.smtpPort, "app-1");
  await waitReady(base, app);
  const database = embeddedPostgres();
  // N pending gifts to the demo foundation, as the checkout page leaves them
  const suffix = crypto.randomBytes(3).toString("hex");
  const [{ id: foundationId }] = (await query<{ id: string }>(database.url, `SELECT id FROM "Foundation" WHERE slug = 'danghu-community-fund'`)) as [{ id: string }];
  await query(
    database.url,
    `INSERT INTO "Donation" (id, ref, token, "foundationId", "amountFen", method, "donorName", email, "checkoutSessionId", payment, "updatedAt")
     SELECT gen_random_uuid()::text, 'C-' || $1 || '-' || lpad(i::text, 4, '0'), md5($1 || i::text || random()::text), $2,
            1000 + (i * 7919) % 9001, 'wechat_pay', '压力测试捐赠人', 'chaos-' || i || '@example.org', 'cs_chaos_' || $1 || '_' || i, '{}'::jsonb, now()
     FROM generate_series(1, $3::int) i`,
    [suffix, foundationId, GIFTS],
  );
  const gifts = await query<{ id: string; amountFen: number; checkoutSessionId: string; email: string }>(
    database.url,
    `SELECT id, "amountFen", "checkoutSessionId", email FROM "Donation" WHERE ref LIKE $1 ORDER BY ref`,
    [`C-${suffix}-%`],
  );
  const events = gifts.map((g) =>
    stripeEvent(
      "checkout.session.completed",
      checkoutSessionObject({
        id: g.checkoutSessionId,
        mode: "payment",
        amountFen: g.amountFen,
        paymentStatus: "paid",
        metadata: { donationId: g.id },
        paymentIntentId: `pi_chaos_${crypto.randomBytes(8).toString("hex")}`,
        method: "wechat_pay",
        email: g.email,
      }),
    ),
  );
  const deliver = async (event: (typeof events)[number]) => {
    // each delivery signed afresh, as Stripe does (a new timestamp per attempt)
    const { payload, signature } = signEvent(event, webhookSecret);
    const res = await fetch(`${base}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
    await res.body?.cancel();
    return res.status;
  };

  // ── the burst, and kill -9 part-way ──
  const acknowledged = new Set<string>();
  let refused = 0;
  let killed = false;
  let unanswered = 0;
  let notSent = 0;
  await mapLimit(events, CONCURRENCY, async (event) => {
    if (killed) {
      notSent++;
      return;
    }
    const status = await deliver(event).catch(() => 0);
    if (status === 200) acknowledged.add(event.id);
    else if (status === 0) unanswered++;
    else refused++;
    if (!killed && acknowledged.size >= KILL_AFTER) {
      killed = true;
      app.child.kill("SIGKILL");
    }
  });
  await app.exited;
  console.log(`  burst: ${acknowledged.size} acknowledged (200), ${refused} refused, ${unanswered} in flight at the kill (no answer), ${notSent} not sent (Stripe would retry them)`);

  // ── restart, redeliver every event ──
  const restarted = Date.now();
  app = startApp(port, smtpHandle.smtpPort, "app-2");
  await waitReady(base, app);
  const readyAfter = Date.now() - restarted;
  const redelivery = new Map<number, number>();
  await mapLimit(events, CONCURRENCY, async (event) => {
    const status = await deliver(event).catch(() => 0);
    redelivery.set(status, (redelivery.get(status) ?? 0) + 1);
  });
  console.log(`  restart → /readyz 200: ${seconds(readyAfter)} s; redelivery of all ${events.length}: ${[...redelivery].map(([s, n]) => `${n} × ${s || "no answer"}`).join(", ")}`);

  // ── every receipt email delivered? ──
  const recipients = new Set(gifts.map((g) => g.email.toLowerCase()));
  let mailAfter: number | null = null;
  let mails: Awaited<ReturnType<typeof receivedMail>> = [];
  while (Date.now() - restarted < MAIL_BOUND_MS) {
    mails = (await receivedMail(smtpHandle.apiUrl)).filter((m) => m.to.some((t) => recipients.has(t)));
    if (new Set(mails.flatMap((m) => m.to)).size >= recipients.size) {
      mailAfter = Date.now() - restarted;
      break;
    }
    await sleep(250);
  }
  const delivered = new Set(mails.flatMap((m) => m.to)).size;
  const messageIds = new Set(mails.map((m) => m.headers["message-id"]));

  // the restarted app has a new embedded server (on a new port)
  const url = embeddedPostgres().url;
  const paid = await query<{ status: string; n: number; once: number }>(
    url,
    `SELECT d.status, count(*)::int AS n,
            count(*) FILTER (WHERE (SELECT count(*) FROM "LedgerTransaction" t WHERE t."idempotencyKey" = 'donation:' || d.id || ':paid') = 1)::int AS once
       FROM "Donation" d WHERE d.ref LIKE $1 GROUP BY d.status`,
    [`C-${suffix}-%`],
  );
  const [{ tx }] = (await query<{ tx: number }>(url, `SELECT count(*)::int AS tx FROM "LedgerTransaction" t JOIN "Donation" d ON t."idempotencyKey" = 'donation:' || d.id || ':paid' WHERE d.ref LIKE $1`, [`C-${suffix}-%`])) as [{ tx: number }];
  const [{ events: eventRows }] = (await query<{ events: number }>(url, `SELECT count(*)::int AS events FROM "PaymentEvent" WHERE id = ANY($1)`, [events.map((e) => e.id)])) as [{ events: number }];
  const succeeded = paid.find((p) => p.status === "SUCCEEDED");
  console.log(`  gifts acknowledged before the kill: ${acknowledged.size} of ${GIFTS}`);
  console.log(`  gifts paid exactly once: ${succeeded?.once ?? 0} of ${GIFTS} (by status: ${paid.map((p) => `${p.status} ${p.n}`).join(", ")}; ${tx} gift postings in the ledger; ${eventRows} events recorded)`);
  console.log(`  ledger:verify: ${verify("ledger:verify")}`);
  console.log(`  audit:verify:  ${verify("audit:verify")}`);
  console.log(
    mailAfter === null
      ? `  receipt emails: ${delivered} of ${recipients.size} donors reached within ${seconds(MAIL_BOUND_MS)} s of the restart (${mails.length} messages)`
      : `  receipt emails: all ${recipients.size} donors reached ${seconds(mailAfter)} s after the restart (${mails.length} messages, ${messageIds.size} distinct Message-IDs: ${mails.length - recipients.size} sent again)`,
  );
  return { app, base };
}

async function postgresKill(app: App, base: string, port: number, smtpHandle: SmtpHandle) {
  console.log("\n(b) kill -9 of the embedded PostgreSQL under load, restart");
  const pages = ["/", "/foundations/danghu-community-fund", "/needs", "/rounds"];
  const tally = { before: new Map<number, number>(), after: new Map<number, number>() };
  let phase: "before" | "after" = "before";
  let answered = 0;
  let loading = true;
  const load = Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; loading; i++) {
        const status = await fetch(`${base}${pages[i % pages.length]}`)
          .then(async (r) => {
            await r.body?.cancel();
            return r.status;
          })
          .catch(() => 0);
        tally[phase].set(status, (tally[phase].get(status) ?? 0) + 1);
        answered++;
        if (status === 0) await sleep(50);
      }
    }),
  );
  // under load: once a few hundred pages were served
  while (answered < 300) await sleep(20);
  const { pid } = embeddedPostgres();
  const killedAt = Date.now();
  phase = "after";
  process.kill(pid, "SIGKILL");
  const exit = await Promise.race([app.exited, bound(START_BOUND_MS)]);
  const exitAfter = Date.now() - killedAt;
  const line = fs
    .readFileSync(app.log, "utf8")
    .split("\n")
    .map((l) => {
      try {
        return JSON.parse(l) as { level: number; msg: string };
      } catch {
        return null;
      }
    })
    .find((l) => l && l.level >= 60);
  console.log(
    exit
      ? `  the app exited ${seconds(exitAfter)} s after the kill with code ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ""}; its fatal line: "${line?.msg ?? "(none)"}"`
      : `  the app was still running ${seconds(START_BOUND_MS)} s after the kill`,
  );
  if (!exit) {
    app.child.kill("SIGKILL");
    await app.exited;
  }
  const restarted = Date.now();
  const next = startApp(port, smtpHandle.smtpPort, "app-3");
  await waitReady(base, next);
  const readyAfter = Date.now() - restarted;
  loading = false;
  await load;
  const show = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${n} × ${s || "no answer"}`).join(", ");
  console.log(`  restart → /readyz 200: ${seconds(readyAfter)} s (kill → serving again: ${seconds(Date.now() - killedAt)} s)`);
  console.log(`  page answers before the kill: ${show(tally.before)}`);
  console.log(`  page answers from the kill until serving again: ${show(tally.after)}`);
  console.log(`  ledger:verify: ${verify("ledger:verify")}`);
  return next;
}

async function cleanup() {
  const app = current;
  if (app && app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill("SIGTERM");
    await Promise.race([app.exited, bound(60_000)]);
  }
  // a PostgreSQL left behind by a killed app (none should be): fast shutdown by its pid
  try {
    const { pid } = embeddedPostgres();
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 100 && fs.existsSync(path.join(dataDir, "pg", "postmaster.pid")); i++) await sleep(100);
  } catch {
    /* no pid file or no such process: nothing left running */
  }
  await smtp?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(buildDir, { recursive: true, force: true });
}

async function main() {
  console.log(`chaos: ${os.cpus().length} cores, node ${process.version}, working in ${work}`);
  const t = Date.now();
  execFileSync("npx", ["react-router", "build"], { cwd: root, stdio: "ignore", env: { ...process.env, BUILD_DIR: buildDir } });
  console.log(`production build: ${seconds(Date.now() - t)} s`);
  smtp = await startSmtpProcess();
  const port = await freePort();
  const { app, base } = await webhookBurst(port, smtp);
  await postgresKill(app, base, port, smtp);
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void cleanup().then(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  if (!interrupted) await cleanup();
}
