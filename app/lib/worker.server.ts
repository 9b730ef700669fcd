import { EventEmitter } from "node:events";
import { Logger, parseCronItems, run, runOnce, type CronItem, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { env } from "./env.server";
import { logger as appLogger } from "./logger.server";
import { beat, forget, HEARTBEAT_MS, releaseDeadWorkers } from "./worker-liveness.server";

/**
 * Runs background jobs with graphile-worker. It knows no task of its own: the registry in
 * services/jobs/ gives it the task list and the recurring jobs.
 */

const log = appLogger.child({ component: "worker" });

/**
 * graphile-worker's log lines through the app's JSON logger, with the metadata cut down to
 * ids and counters: its own metadata includes whole job rows (payloads) and error objects.
 */
type LogTarget = Record<"error" | "warn" | "debug", (obj: Record<string, unknown>, message: string) => void>;

export function workerLogger(target: LogTarget = log): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const safe: Record<string, unknown> = { ...scope };
    const job = meta?.job as { id?: string; task_identifier?: string; attempts?: number; max_attempts?: number } | undefined;
    if (job) safe.job = { id: job.id, task: job.task_identifier, attempts: job.attempts, maxAttempts: job.max_attempts };
    if (typeof meta?.duration === "number") safe.durationMs = Math.round(meta.duration);
    if (level === "error") target.error(safe, message);
    else if (level === "warning") target.warn(safe, message);
    else target.debug(safe, message);
  });
}

export interface WorkerHandle {
  stop(): Promise<void>;
  runner: Runner;
}

/**
 * Starts a background worker for the given tasks and recurring jobs. Any number of instances may
 * run against one database: graphile-worker locks each job for one worker, a job whose worker
 * stopped (or crashed) stays in the table and is picked up by the next one.
 */
export async function runWorker(opts: { taskList: TaskList; cronItems: CronItem[]; pollInterval?: number }): Promise<WorkerHandle> {
  // jobs a crashed process still holds go back to the queue before this one starts taking jobs
  await releaseAndLog();
  const events: WorkerEvents = new EventEmitter();
  const workerIds = new Set<string>();
  events.on("worker:create", ({ worker }) => {
    workerIds.add(worker.workerId);
    beat([worker.workerId]).catch((error) => log.warn({ err: error }, "worker heartbeat failed"));
  });
  const runner = await run({
    connectionString: process.env.DATABASE_URL,
    concurrency: env().WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? env().WORKER_POLL_MS,
    taskList: opts.taskList,
    parsedCronItems: parseCronItems(opts.cronItems),
    logger: workerLogger(),
    events,
  });
  let beats = 0;
  const timer = setInterval(() => {
    beat([...workerIds])
      .then(() => (++beats % 2 === 0 ? releaseAndLog() : undefined))
      .catch((error) => log.warn({ err: error }, "worker heartbeat failed"));
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    runner,
    stop: async () => {
      clearInterval(timer);
      await runner.stop();
      await forget([...workerIds]).catch(() => {});
    },
  };
}

async function releaseAndLog(): Promise<void> {
  const released = await releaseDeadWorkers().catch((error) => {
    log.warn({ err: error }, "could not check for jobs held by dead workers");
    return [];
  });
  if (released.length) log.warn({ workers: released.length }, "released the jobs of workers that stopped (crashed process)");
}

/** Runs every job that is due now, then returns (tests, one-off scripts). */
export async function runJobsOnce(taskList: TaskList): Promise<void> {
  await runOnce({ connectionString: process.env.DATABASE_URL, taskList, logger: workerLogger(), noHandleSignals: true });
}
