import { spawnSync } from "node:child_process";
import os from "node:os";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { emailJobKey, queueEmail } from "~/lib/outbox.server";
import { releaseDeadWorkers } from "~/lib/worker-liveness.server";
import { startWorker } from "~/services/jobs/registry.server";
import { clearJobQueue, db, uid } from "../support/db";
import { waitForMail } from "../support/smtp";

/**
 * Jobs held by a worker whose process died are released for the others — at once when that
 * process ran on this machine, after the staleness window otherwise — and never those of a
 * worker that is alive.
 */
const smtpApi = inject("smtpApiUrl");

/** The pid of a process that has just exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

async function queueOne() {
  const to = `liveness-${uid()}@example.com`;
  const id = await db().$transaction((tx) => queueEmail(tx, { to, locale: "en", template: "reset-password", props: { name: "Li", link: "http://localhost:3000/reset-password?token=t" } }));
  return { to, id, key: emailJobKey(id) };
}

async function lockAs(key: string, workerId: string, lockedSecondsAgo = 0) {
  await db().$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() - make_interval(secs => ${lockedSecondsAgo}) WHERE key = ${key}`;
}

async function heartbeat(workerId: string, opts: { host?: string; pid?: number; secondsAgo?: number } = {}) {
  await db().$executeRaw`INSERT INTO "WorkerHeartbeat" ("workerId", "bootId", host, pid, "beatAt")
    VALUES (${workerId}, ${`boot-${uid()}`}, ${opts.host ?? os.hostname()}, ${opts.pid ?? process.pid}, now() - make_interval(secs => ${opts.secondsAgo ?? 0}))`;
}

const lockedBy = async (key: string) =>
  (await db().$queryRaw<{ locked_by: string | null }[]>`SELECT locked_by FROM graphile_worker._private_jobs WHERE key = ${key}`)[0]?.locked_by ?? null;

beforeAll(clearJobQueue);

describe("jobs of dead workers", () => {
  it("releases at once the jobs of a worker whose process on this machine is gone", async () => {
    const job = await queueOne();
    const worker = `worker-crashed-${uid()}`;
    await heartbeat(worker, { pid: deadPid() });
    await lockAs(job.key, worker);
    expect(await releaseDeadWorkers()).toContain(worker);
    expect(await lockedBy(job.key)).toBeNull();
  });

  it("releases the jobs of a worker elsewhere that stopped beating, after the staleness window", async () => {
    const job = await queueOne();
    const worker = `worker-lost-${uid()}`;
    await heartbeat(worker, { host: "another-machine", pid: 1, secondsAgo: 5 });
    await lockAs(job.key, worker, 60);
    // still beating recently: kept
    expect(await releaseDeadWorkers()).not.toContain(worker);
    expect(await lockedBy(job.key)).toBe(worker);
    await db().$executeRaw`UPDATE "WorkerHeartbeat" SET "beatAt" = now() - interval '1 minute' WHERE "workerId" = ${worker}`;
    expect(await releaseDeadWorkers()).toContain(worker);
    expect(await lockedBy(job.key)).toBeNull();
  });

  it("keeps the jobs of live workers, and of a worker that has only just taken its job", async () => {
    const a = await queueOne();
    const b = await queueOne();
    const live = `worker-live-${uid()}`;
    await heartbeat(live, { pid: process.pid });
    await lockAs(a.key, live, 120);
    const fresh = `worker-new-${uid()}`;
    await lockAs(b.key, fresh, 1);
    const released = await releaseDeadWorkers();
    expect(released).not.toContain(live);
    expect(released).not.toContain(fresh);
    expect(await lockedBy(a.key)).toBe(live);
    expect(await lockedBy(b.key)).toBe(fresh);
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = NULL, locked_at = NULL WHERE key = ANY(${[a.key, b.key]}::text[])`;
  });

  it("an email queued before a crash is delivered by the next worker that starts", async () => {
    const job = await queueOne();
    const worker = `worker-crashed-${uid()}`;
    await heartbeat(worker, { pid: deadPid() });
    await lockAs(job.key, worker);
    const next = await startWorker({ pollInterval: 100 });
    try {
      const mail = await waitForMail(smtpApi, job.to, undefined, 30_000);
      expect(mail.subject).toBe("Reset your password");
    } finally {
      await next.stop();
    }
    expect((await db().emailMessage.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("SENT");
  });
});
