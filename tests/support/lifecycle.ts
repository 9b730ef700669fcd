import { spawn, type ChildProcess } from "node:child_process";
import { spawnedAppMode } from "./app-process";

/**
 * The app started as `npm start` starts it (server/main.ts, in the mode of `spawnedAppMode`), for
 * the lifecycle tests: unlike `startApp` it takes DATA_DIR as given (or none), because those tests
 * start the same data directory again.
 */
export function start(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: spawnedAppMode(), LOG_LEVEL: "info", WORKER: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (out += String(c)));
  child.stderr!.on("data", (c) => (out += String(c)));
  return { child, output: () => out };
}

// a bound for an app that never comes up, not a speed limit: a first start migrates and seeds, on a busy machine for minutes
export async function waitForPage(url: string, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return await res.text();
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no page at ${url}`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}
