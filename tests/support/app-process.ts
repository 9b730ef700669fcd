import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The mode the spawned app runs in. `npm test` builds the app before Vitest and sets
 * TEST_APP_BUILD=production: the app then starts as `npm start` does, from the production build,
 * in a second or two. Without it (Vitest run alone, perhaps after a change the build does not
 * have yet), development mode, which needs no build but compiles every page on first request.
 */
export function spawnedAppMode(): "production" | "development" {
  return process.env.TEST_APP_BUILD === "production" && fs.existsSync(path.join(process.cwd(), "build", "server", "index.js")) ? "production" : "development";
}

/**
 * The app as `npm start` runs it (server/main.ts), in a process of its own with its own DATA_DIR
 * (in the mode of `spawnedAppMode`). Output is kept for assertions.
 */
export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

export function startApp(env: Record<string, string | undefined>): AppProcess {
  let out = "";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-app-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: spawnedAppMode(), LOG_LEVEL: "info", WORKER: "false", DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (out += String(c)));
  child.stderr!.on("data", (c) => (out += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return {
    child,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Polls `url` until it answers `status`, or the app exits (then throws with its output). */
export async function waitForStatus(url: string, app: AppProcess, status = 200, timeoutMs = 180_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the app exited before ${url} answered ${status}:\n${app.output().slice(-4000)}`);
    try {
      const res = await fetch(url);
      if (res.status === status) return res;
      await res.body?.cancel();
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer ${status}:\n${app.output().slice(-4000)}`);
}
