import {
  Logger,
  parseCronItems,
  run,
  runOnce,
  type CronItem,
  type Runner,
  type Task,
  type TaskList,
} from "graphile-worker";
import { PROJECT_ALERTS_TASK, refreshAlerts } from "~/services/alerts.server";
import { FINALIZE_TASK, finalizeDueAwards } from "~/services/awards.server";
import { purgeExpired } from "~/services/housekeeping.server";
import { sendScoringReminders } from "~/services/scoring.server";
import { DONATION_RECEIPT_TASK, DONATION_REFUND_TASK } from "~/services/giving/fulfil.server";
import { sendDonationReceipt, sendDonationRefunded } from "~/services/giving/donor-mail.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { logger as appLogger } from "./logger.server";
import { smtpTransport } from "./mailer.server";
import { SEND_EMAIL_TASK } from "./outbox.server";

export const HOUSEKEEPING_TASK = "housekeeping";

const log = appLogger.child({ component: "worker" });

/** What an SMTP failure tells us, without the recipient address or server banner text. */
export interface SmtpFailure {
  /** e.g. ECONNECTION, EENVELOPE, EAUTH, EMESSAGE, ETIMEDOUT */
  code: string;
  responseCode: number | null;
  /** the server refused this message for good (5xx on the envelope): retrying cannot help */
  permanent: boolean;
  /** for the outbox row (seen by administrators only), at most 500 characters */
  detail: string;
}

export function describeSmtpFailure(error: unknown): SmtpFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "ERROR";
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : null;
  const permanent = code === "EENVELOPE" && responseCode !== null && responseCode >= 500 && responseCode < 600;
  const detail = String(e.message ?? error).slice(0, 500);
  return { code, responseCode, permanent, detail };
}

/** The Message-ID of an outbox row: stable across retries, so a receiver can drop a duplicate. */
export function outboxMessageId(id: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
  return `<outbox.${id}@${domain}>`;
}

/**
 * Delivers one outbox message.
 *
 * At-least-once: a crash between the SMTP hand-off and the status update re-sends the message
 * when the job is retried (with the same Message-ID); it is never lost. Status transitions:
 * QUEUED → SENT (SMTP accepted it), QUEUED → STORED_LOCALLY (local mail mode: kept for
 * /admin/mail), QUEUED → FAILED (the last attempt failed, or the server refused the envelope
 * for good). Every attempt increments `attempts`; a failed one records `lastError`.
 *
 * Logs carry the message id, template and attempt only: never the address, subject or body
 * (the error thrown for graphile-worker's own log and `last_error` column is sanitised too).
 */
export const sendEmail: Task = async (payload, helpers) => {
  const { messageId } = payload as { messageId: string };
  const message = await db().emailMessage.findUnique({ where: { id: messageId } });
  if (!message) {
    log.warn({ messageId }, "outbox message not found; nothing to deliver");
    return;
  }
  // a retry after a crash that followed a successful hand-off, or a duplicate job
  if (message.status !== "QUEUED") return;

  const transport = smtpTransport();
  if (!transport) {
    await db().emailMessage.update({
      where: { id: messageId },
      data: { status: "STORED_LOCALLY", attempts: { increment: 1 }, sentAt: new Date(), lastError: null },
    });
    log.info({ messageId, template: message.template }, "email kept for the local mail preview (no SMTP configured)");
    return;
  }

  const from = env().MAIL_FROM;
  let accepted: { messageId: string };
  try {
    accepted = await transport.sendMail({
      from,
      to: message.toAddress,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: outboxMessageId(message.id, from),
      headers: { "X-Outbox-Id": message.id },
    });
  } catch (error) {
    const failure = describeSmtpFailure(error);
    const maxAttempts = helpers.job.max_attempts;
    const final = failure.permanent || helpers.job.attempts >= maxAttempts;
    await db().emailMessage.update({
      where: { id: messageId },
      data: { attempts: { increment: 1 }, lastError: failure.detail, status: final ? "FAILED" : "QUEUED" },
    });
    log.warn(
      { messageId, template: message.template, attempt: helpers.job.attempts, maxAttempts, code: failure.code, responseCode: failure.responseCode, final },
      "email delivery failed",
    );
    // a permanent refusal completes the job (the row says FAILED); anything else is retried by
    // graphile-worker with exponential backoff until max_attempts
    if (failure.permanent) return;
    throw new Error(`SMTP delivery failed: ${failure.code}${failure.responseCode ? ` ${failure.responseCode}` : ""}`);
  }
  // if this update fails the job is retried and the message sent again (at-least-once)
  await db().emailMessage.update({
    where: { id: messageId },
    data: { status: "SENT", attempts: { increment: 1 }, sentAt: new Date(), messageId: accepted.messageId, lastError: null },
  });
  log.info({ messageId, template: message.template, attempt: helpers.job.attempts }, "email sent");
};

/** Daily clean-up of rows that have outlived their purpose (app/services/housekeeping.server.ts). */
export const housekeeping: Task = async () => {
  const purged = await purgeExpired();
  log.info({ purged }, "housekeeping done");
};

/**
 * Makes final the awards whose public notice has ended with no objection open (scheduled at the
 * latest end of notice when awards are published or an objection is resolved; a cron backstop
 * runs it every 10 minutes). Finalises every due round, not only the one in the payload.
 */
export const finalizeAwards: Task = async () => {
  const { rounds } = await finalizeDueAwards();
  if (rounds.length) log.info({ rounds: rounds.length }, "awards finalised");
};

export const SCORING_REMINDERS_TASK = "scoring_reminders";

/** Daily: judges with unfinished sheets, three days before the scoring deadline. */
export const scoringReminders: Task = async () => {
  const { reminded } = await sendScoringReminders();
  log.info({ reminded }, "scoring reminders sent");
};

/** Daily: monitoring alerts of active projects (services/alerts.server.ts), digest emails. */
export const projectAlerts: Task = async () => {
  await refreshAlerts();
};

/**
 * Every background task, by name. Adding one: a function here (or imported from its service)
 * and a line below; jobs are added with `graphile_worker.add_job('<name>', …)` in the caller's
 * transaction.
 */
export const donationReceipt: Task = async (payload) => {
  const { donationId } = payload as { donationId: string };
  await sendDonationReceipt(donationId);
};

export const donationRefunded: Task = async (payload) => {
  const { donationId, reversedFen, amountFen } = payload as { donationId: string; reversedFen: number; amountFen: number };
  await sendDonationRefunded(donationId, reversedFen, amountFen);
};

export const taskList: TaskList = {
  [DONATION_RECEIPT_TASK]: donationReceipt,
  [DONATION_REFUND_TASK]: donationRefunded,
  [SEND_EMAIL_TASK]: sendEmail,
  [HOUSEKEEPING_TASK]: housekeeping,
  [FINALIZE_TASK]: finalizeAwards,
  [SCORING_REMINDERS_TASK]: scoringReminders,
  [PROJECT_ALERTS_TASK]: projectAlerts,
};

/**
 * Recurring jobs. graphile-worker evaluates `match` in UTC (03:00 in Asia/Shanghai is 19:00
 * UTC) and schedules each run once across any number of app instances. `backfillPeriod`
 * catches up a run missed while no instance was up. Adding one: a task in `taskList` and an
 * item here.
 */
export const cronItems: CronItem[] = [
  {
    task: HOUSEKEEPING_TASK,
    identifier: "daily-housekeeping",
    match: "0 19 * * *",
    options: { backfillPeriod: 24 * 3600 * 1000, maxAttempts: 5, jobKey: "cron:daily-housekeeping", jobKeyMode: "replace" },
  },
  {
    task: SCORING_REMINDERS_TASK,
    identifier: "daily-scoring-reminders",
    // 09:00 in Asia/Shanghai
    match: "0 1 * * *",
    options: { backfillPeriod: 0, maxAttempts: 3, jobKey: "cron:scoring-reminders", jobKeyMode: "replace" },
  },
  {
    task: PROJECT_ALERTS_TASK,
    identifier: "daily-project-alerts",
    // 07:00 in Asia/Shanghai, before the working day
    match: "0 23 * * *",
    options: { backfillPeriod: 24 * 3600 * 1000, maxAttempts: 3, jobKey: "cron:project-alerts", jobKeyMode: "replace" },
  },
  {
    task: FINALIZE_TASK,
    identifier: "finalize-awards-backstop",
    match: "*/10 * * * *",
    options: { backfillPeriod: 0, maxAttempts: 3, jobKey: "cron:finalize-awards", jobKeyMode: "replace" },
  },
];

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
 * Starts the background worker (email delivery, recurring jobs). Any number of instances may
 * run against one database: graphile-worker locks each job for one worker, a job whose worker
 * stopped (or crashed) stays in the table and is picked up by the next one.
 */
export async function startWorker(opts: { pollInterval?: number } = {}): Promise<WorkerHandle> {
  const runner = await run({
    connectionString: process.env.DATABASE_URL,
    concurrency: env().WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? env().WORKER_POLL_MS,
    taskList,
    parsedCronItems: parseCronItems(cronItems),
    logger: workerLogger(),
  });
  return { runner, stop: () => runner.stop() };
}

/** Runs every job that is due now, then returns (tests, one-off scripts). */
export async function runDueJobs(): Promise<void> {
  await runOnce({ connectionString: process.env.DATABASE_URL, taskList, logger: workerLogger(), noHandleSignals: true });
}
