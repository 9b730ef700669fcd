import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The app as `npm start` runs it (server/main.ts), in development mode so that no build is
 * needed, in a process of its own with its own DATA_DIR. Output is kept for assertions.
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
    env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "info", WORKER: "false", DATA_DIR: dataDir, ...env },
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
