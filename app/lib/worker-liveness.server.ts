import crypto from "node:crypto";
import os from "node:os";
import { db } from "./db.server";

/**
 * Which background workers are alive, so that the jobs of a dead one are released at once.
 *
 * graphile-worker locks a job for the worker that took it; if that worker's process dies (kill -9,
 * power cut) the job stays locked until the library's four-hour timeout. Every worker of a
 * running process beats in "WorkerHeartbeat" every HEARTBEAT_MS. A job whose lock is held by a
 * worker that stopped beating for STALE_MS — or whose process on this machine no longer exists —
 * is unlocked for the others (graphile_worker.force_unlock_workers). Each job then runs again,
 * at least once, as after any crash.
 */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 20_000;

export const BOOT_ID = crypto.randomUUID();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Records (or renews) the heartbeats of this process's workers. */
export async function beat(workerIds: readonly string[]): Promise<void> {
  if (!workerIds.length) return;
  await db().$executeRaw`
    INSERT INTO "WorkerHeartbeat" ("workerId", "bootId", host, pid, "startedAt", "beatAt")
    SELECT id, ${BOOT_ID}, ${os.hostname()}, ${process.pid}, now(), now() FROM unnest(${[...workerIds]}::text[]) AS id
    ON CONFLICT ("workerId") DO UPDATE SET "beatAt" = now()`;
}

/** Forgets this process's workers (a clean stop). */
export async function forget(workerIds: readonly string[]): Promise<void> {
  if (!workerIds.length) return;
  await db().$executeRaw`DELETE FROM "WorkerHeartbeat" WHERE "workerId" = ANY(${[...workerIds]}::text[])`;
}

/**
 * Unlocks the jobs held by dead workers; returns their ids. Dead: a worker of a process on this
 * machine that no longer runs (known at once, e.g. right after a restart), or one whose last beat
 * is older than STALE_MS while it has held its lock at least that long (a worker of a lost machine,
 * or one that never beat).
 */
export async function releaseDeadWorkers(): Promise<string[]> {
  const client = db();
  const here = await client.$queryRaw<{ workerId: string; pid: number }[]>`
    SELECT "workerId", pid FROM "WorkerHeartbeat" WHERE host = ${os.hostname()} AND "bootId" <> ${BOOT_ID}`;
  const goneHere = here.filter((w) => !processAlive(w.pid)).map((w) => w.workerId);
  const stale = await client.$queryRaw<{ locked_by: string }[]>`
    SELECT DISTINCT j.locked_by FROM graphile_worker._private_jobs j
     WHERE j.locked_by IS NOT NULL
       AND (j.locked_by = ANY(${goneHere}::text[])
            OR (j.locked_at < now() - make_interval(secs => ${STALE_MS / 1000})
                AND NOT EXISTS (SELECT 1 FROM "WorkerHeartbeat" h
                                 WHERE h."workerId" = j.locked_by AND h."beatAt" > now() - make_interval(secs => ${STALE_MS / 1000}))))`;
  const dead = [...new Set([...stale.map((r) => r.locked_by), ...goneHere])];
  if (dead.length) {
    await client.$executeRaw`SELECT graphile_worker.force_unlock_workers(${dead}::text[])`;
    await client.$executeRaw`DELETE FROM "WorkerHeartbeat" WHERE "workerId" = ANY(${dead}::text[])`;
  }
  // heartbeats of workers long gone that held nothing
  await client.$executeRaw`DELETE FROM "WorkerHeartbeat" WHERE "beatAt" < now() - interval '1 day'`;
  return stale.map((r) => r.locked_by).filter((id) => id !== null);
}
