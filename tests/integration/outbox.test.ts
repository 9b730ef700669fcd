import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { resetMailer } from "~/lib/mailer.server";
import { emailJobKey, EMAIL_MAX_ATTEMPTS, queueEmail } from "~/lib/outbox.server";
import { describeSmtpFailure, outboxMessageId } from "~/lib/mail-delivery.server";
import { workerLogger } from "~/lib/worker.server";
import { runDueJobs, startWorker } from "~/services/jobs/registry.server";
import { clearJobQueue, db, uid } from "../support/db";
import { receivedMail, startSmtpProcess, waitForMail, type SmtpHandle } from "../support/smtp";

/**
 * The outbox against a real SMTP server process (tests/support/smtp-process.ts) and the real
 * graphile-worker: what a committed transaction queues arrives, in the recipient's language,
 * with HTML and text parts; what a rolled-back one queues never exists; failures are retried.
 */
const smtpApi = inject("smtpApiUrl");
const address = (tag: string) => `outbox-${tag}-${uid()}@example.com`;
const LINK = "http://localhost:3000/reset-password?token=tok-outbox-test";

interface JobRow {
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  locked_at: Date | null;
}

/** graphile-worker 0.16 keeps jobs in graphile_worker._private_jobs (`jobs` is gone). */
const jobOf = async (messageId: string) =>
  (
    await db().$queryRaw<JobRow[]>`SELECT attempts, max_attempts, run_at, last_error, locked_at
      FROM graphile_worker._private_jobs WHERE key = ${emailJobKey(messageId)}`
  )[0];

/** Makes a job that is waiting out its backoff due now (instead of waiting seconds in a test). */
const makeDue = (messageId: string) =>
  db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${emailJobKey(messageId)}`;

const queueReset = (to: string, locale: "zh-CN" | "en", name = "张三") =>
  db().$transaction((tx) => queueEmail(tx, { to, locale, template: "reset-password", props: { name, link: LINK } }));

const mailTo = (api: string, to: string) => receivedMail(api, to);

/** Points the mailer at another SMTP server (or none) for one test; afterEach restores it. */
const savedSmtp = { host: process.env.SMTP_HOST, port: process.env.SMTP_PORT };
let privateSmtp: SmtpHandle | undefined;
function pointMailerAt(host: string | undefined, port?: number) {
  if (host === undefined) delete process.env.SMTP_HOST;
  else process.env.SMTP_HOST = host;
  if (port !== undefined) process.env.SMTP_PORT = String(port);
  resetEnvCache();
  resetMailer();
}

beforeAll(clearJobQueue);

afterEach(async () => {
  pointMailerAt(savedSmtp.host, Number(savedSmtp.port));
  await privateSmtp?.stop();
  privateSmtp = undefined;
});

describe("outbox delivery through SMTP", () => {
  it("delivers an email queued in a committed transaction, in the recipient's language, with HTML and text", async () => {
    const en = address("en");
    const zh = address("zh");
    const enId = await queueReset(en, "en", "Alice");
    const zhId = await queueReset(zh, "zh-CN", "张三");
    expect((await db().emailMessage.findUniqueOrThrow({ where: { id: enId } })).status).toBe("QUEUED");

    await runDueJobs();

    const mailEn = await waitForMail(smtpApi, en);
    expect(mailEn.subject).toBe("Reset your password");
    expect(mailEn.text).toContain("Hello Alice,");
    expect(mailEn.text).toContain(LINK);
    expect(mailEn.html).toContain('lang="en"');
    expect(mailEn.html).toContain(`href="${LINK}"`);
    expect(mailEn.headers["x-outbox-id"]).toBe(enId);
    expect(mailEn.headers["message-id"]).toBe(outboxMessageId(enId, "no-reply@localhost"));

    const mailZh = await waitForMail(smtpApi, zh);
    expect(mailZh.subject).toBe("重置您的密码");
    expect(mailZh.text).toContain("张三，您好");
    expect(mailZh.text).toContain(LINK);
    expect(mailZh.html).toContain('lang="zh-CN"');

    for (const id of [enId, zhId]) {
      const row = await db().emailMessage.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(row.messageId).toBe(outboxMessageId(id, "no-reply@localhost"));
      expect(await jobOf(id)).toBeUndefined(); // a completed job is deleted
    }
    // each message once
    expect(await mailTo(smtpApi, en)).toHaveLength(1);
  });

  it("sends nothing to an address under .invalid (an account made through WeChat): failed at once, not retried", async () => {
    const to = `wechat-${uid()}@wechat.invalid`;
    const id = await queueReset(to, "zh-CN");
    await runDueJobs();
    expect(await db().emailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "FAILED", attempts: 1, lastError: "recipient address is not deliverable (.invalid)" });
    expect(await jobOf(id)).toBeUndefined();
    expect(await mailTo(smtpApi, to)).toHaveLength(0);
  });

  it("never sends an email queued in a rolled-back transaction and leaves no row or job", async () => {
    const to = address("rollback");
    let queuedId: string | undefined;
    await expect(
      db().$transaction(async (tx) => {
        queuedId = await queueEmail(tx, { to, locale: "zh-CN", template: "verify-email", props: { name: "张三", link: LINK } });
        throw new Error("the change that caused the email failed");
      }),
    ).rejects.toThrow("the change that caused the email failed");

    expect(queuedId).toBeDefined();
    expect(await db().emailMessage.findUnique({ where: { id: queuedId! } })).toBeNull();
    expect(await db().emailMessage.count({ where: { toAddress: to } })).toBe(0);
    expect(await jobOf(queuedId!)).toBeUndefined();

    await runDueJobs();
    expect(await mailTo(smtpApi, to)).toHaveLength(0);
  });

  it("keeps a job while no worker runs and delivers it when a worker starts later", async () => {
    const to = address("later");
    const id = await queueReset(to, "en");
    // no worker: the job waits in the database, untouched
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobOf(id)).toMatchObject({ attempts: 0, locked_at: null });
    expect(await mailTo(smtpApi, to)).toHaveLength(0);

    const worker = await startWorker({ pollInterval: 100 });
    try {
      const mail = await waitForMail(smtpApi, to, undefined, 15_000);
      expect(mail.subject).toBe("Reset your password");
    } finally {
      await worker.stop();
    }
    await expect.poll(async () => (await db().emailMessage.findUniqueOrThrow({ where: { id } })).status).toBe("SENT");
  });
});

describe("outbox retries and failures", () => {
  // a private SMTP process: its fail-next counter cannot be consumed by other test files'
  // deliveries, which run in parallel against the shared one
  async function privateServer() {
    await runDueJobs(); // nothing else due may take the refusal meant for this test's message
    privateSmtp = await startSmtpProcess();
    pointMailerAt("127.0.0.1", privateSmtp.smtpPort);
    return privateSmtp;
  }

  it("retries after the SMTP server refuses the first delivery, then delivers (attempts = 2)", async () => {
    const smtp = await privateServer();
    await fetch(`${smtp.apiUrl}/fail-next?n=1`, { method: "POST" });
    const to = address("retry");
    const id = await queueReset(to, "zh-CN");

    await runDueJobs();
    const afterFirst = await db().emailMessage.findUniqueOrThrow({ where: { id } });
    expect(afterFirst).toMatchObject({ status: "QUEUED", attempts: 1 });
    expect(afterFirst.lastError).toMatch(/451/);
    const job = await jobOf(id);
    expect(job).toMatchObject({ attempts: 1, max_attempts: EMAIL_MAX_ATTEMPTS });
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now()); // backing off
    // what graphile-worker stores and logs is sanitised: no address, no content
    expect(job!.last_error).toMatch(/^SMTP delivery failed/);
    expect(job!.last_error).not.toContain(to);
    expect(await mailTo(smtp.apiUrl, to)).toHaveLength(0);

    await makeDue(id);
    await runDueJobs();
    const mail = await waitForMail(smtp.apiUrl, to);
    expect(mail.subject).toBe("重置您的密码");
    const delivered = await db().emailMessage.findUniqueOrThrow({ where: { id } });
    expect(delivered).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    expect(await jobOf(id)).toBeUndefined();
    expect(await mailTo(smtp.apiUrl, to)).toHaveLength(1);
  });

  it("marks the message FAILED when the last attempt fails, and stops retrying", async () => {
    const smtp = await privateServer();
    await fetch(`${smtp.apiUrl}/fail-next?n=2`, { method: "POST" });
    const to = address("fail");
    const id = await queueReset(to, "en");
    // two attempts instead of ten keep the test short; the rule is the same
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET max_attempts = 2 WHERE key = ${emailJobKey(id)}`;

    await runDueJobs();
    expect(await db().emailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "QUEUED", attempts: 1 });
    await makeDue(id);
    await runDueJobs();

    const row = await db().emailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 2 });
    expect(row.lastError).toMatch(/451/);
    expect(row.sentAt).toBeNull();
    // graphile-worker keeps the permanently failed job and does not run it again
    expect(await jobOf(id)).toMatchObject({ attempts: 2, max_attempts: 2 });
    await makeDue(id);
    await runDueJobs();
    expect((await db().emailMessage.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);
    expect(await mailTo(smtp.apiUrl, to)).toHaveLength(0);
  });

  it("passes graphile-worker's log lines on without job payloads or error objects", () => {
    const lines: { level: string; obj: Record<string, unknown>; message: string }[] = [];
    const sink = (level: string) => (obj: Record<string, unknown>, message: string) => lines.push({ level, obj, message });
    const logger = workerLogger({ error: sink("error"), warn: sink("warn"), debug: sink("debug") }).scope({ workerId: "w1" });
    const job = { id: "42", task_identifier: "send_email", attempts: 1, max_attempts: 10, payload: { messageId: "m", to: "secret@example.com" } };
    logger.error("Failed task 42 (send_email) with error 'SMTP delivery failed: EMESSAGE 451'", {
      failure: true,
      job,
      error: Object.assign(new Error("550 <secret@example.com> rejected"), { response: "password=hunter2" }),
      duration: 12.3,
    });
    logger.info("Completed task 43", { job });
    expect(lines.map((l) => l.level)).toEqual(["error", "debug"]);
    expect(lines[0]!.obj).toEqual({ workerId: "w1", job: { id: "42", task: "send_email", attempts: 1, maxAttempts: 10 }, durationMs: 12 });
    expect(JSON.stringify(lines)).not.toMatch(/secret@example\.com|hunter2/);
  });

  it("classifies SMTP errors: a 5xx envelope refusal is permanent, everything else is retried", () => {
    expect(describeSmtpFailure(Object.assign(new Error("550 no such user <x@y>"), { code: "EENVELOPE", responseCode: 550 }))).toMatchObject({
      code: "EENVELOPE",
      responseCode: 550,
      permanent: true,
    });
    expect(describeSmtpFailure(Object.assign(new Error("451 try again"), { code: "EMESSAGE", responseCode: 451 })).permanent).toBe(false);
    expect(describeSmtpFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNECTION" })).permanent).toBe(false);
    expect(describeSmtpFailure(Object.assign(new Error("Invalid login"), { code: "EAUTH", responseCode: 535 })).permanent).toBe(false);
    expect(describeSmtpFailure("x".repeat(2000)).detail).toHaveLength(500);
  });
});

describe("local mail mode (no SMTP_HOST)", () => {
  it("stores the message for the preview page and sends nothing", async () => {
    await runDueJobs(); // deliver whatever is due while SMTP is still configured
    pointMailerAt(undefined);
    const to = address("local");
    const id = await queueReset(to, "en");

    await runDueJobs();

    const row = await db().emailMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "STORED_LOCALLY", attempts: 1, lastError: null, messageId: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.text).toContain(LINK); // the preview page can show the link
    expect(await jobOf(id)).toBeUndefined();
    expect(await mailTo(smtpApi, to)).toHaveLength(0);
  });
});
