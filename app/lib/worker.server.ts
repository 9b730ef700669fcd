import { run, type Runner, type Task, type TaskList } from "graphile-worker";
import { db } from "./db.server";
import { env } from "./env.server";
import { logger } from "./logger.server";
import { smtpTransport } from "./mailer.server";
import { EMAIL_MAX_ATTEMPTS, SEND_EMAIL_TASK } from "./outbox.server";
import { quietLogger } from "./worker-schema.server";

/**
 * Delivers one outbox message. At-least-once: a crash between the SMTP hand-off and the status
 * update re-sends it on retry, never loses it. Without SMTP the message is kept for the local
 * mail preview page.
 */
export const sendEmail: Task = async (payload, helpers) => {
  const { messageId } = payload as { messageId: string };
  const message = await db().emailMessage.findUnique({ where: { id: messageId } });
  if (!message || message.status === "SENT" || message.status === "STORED_LOCALLY") return;
  const transport = smtpTransport();
  if (!transport) {
    await db().emailMessage.update({
      where: { id: messageId },
      data: { status: "STORED_LOCALLY", attempts: { increment: 1 }, sentAt: new Date() },
    });
    return;
  }
  try {
    const info = await transport.sendMail({
      from: env().MAIL_FROM,
      to: message.toAddress,
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: { "X-Outbox-Id": message.id },
    });
    await db().emailMessage.update({
      where: { id: messageId },
      data: { status: "SENT", attempts: { increment: 1 }, sentAt: new Date(), messageId: info.messageId, lastError: null },
    });
  } catch (error) {
    const last = helpers.job.attempts >= (helpers.job.max_attempts ?? EMAIL_MAX_ATTEMPTS);
    await db().emailMessage.update({
      where: { id: messageId },
      data: { attempts: { increment: 1 }, lastError: String((error as Error).message).slice(0, 500), status: last ? "FAILED" : "QUEUED" },
    });
    logger.warn({ messageId, attempt: helpers.job.attempts, final: last }, "email delivery failed");
    throw error; // graphile-worker retries with exponential backoff
  }
};

export const taskList: TaskList = {
  [SEND_EMAIL_TASK]: sendEmail,
};

export interface WorkerHandle {
  stop(): Promise<void>;
  runner: Runner;
}

/** Starts the background worker. Any number of instances may run; each job runs once. */
export async function startWorker(opts: { pollInterval?: number } = {}): Promise<WorkerHandle> {
  const runner = await run({
    connectionString: process.env.DATABASE_URL,
    concurrency: env().WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? env().WORKER_POLL_MS,
    taskList,
    logger: quietLogger(),
  });
  return { runner, stop: () => runner.stop() };
}
