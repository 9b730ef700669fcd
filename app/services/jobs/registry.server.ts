import type { CronItem, Task, TaskList } from "graphile-worker";
import { logger as appLogger } from "~/lib/logger.server";
import { sendEmail } from "~/lib/mail-delivery.server";
import { SEND_EMAIL_TASK } from "~/lib/outbox.server";
import { runJobsOnce, runWorker, type WorkerHandle } from "~/lib/worker.server";
import { FINALIZE_TASK, finalizeDueAwards } from "~/services/awards/awards.server";
import { sendDonationReceipt, sendDonationRefunded } from "~/services/giving/donor-mail.server";
import { DONATION_RECEIPT_TASK, DONATION_REFUND_TASK } from "~/services/giving/fulfil.server";
import { PROJECT_ALERTS_TASK, refreshAlerts } from "~/services/projects/alerts.server";
import { sendScoringReminders } from "~/services/review/scoring.server";
import { acceptedPayload, DonationPayload, RefundPayload } from "./access.server";
import { purgeExpired } from "./housekeeping.server";

/**
 * The job registry: every background task the platform runs, and when the recurring ones run.
 * The worker in lib/ only runs what it is given from here.
 */

export const HOUSEKEEPING_TASK = "housekeeping";

const log = appLogger.child({ component: "jobs" });

/** Daily clean-up of rows that have outlived their purpose (services/jobs/housekeeping.server.ts). */
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

/** Daily: monitoring alerts of active projects (services/projects/alerts.server.ts), digest emails. */
export const projectAlerts: Task = async () => {
  await refreshAlerts();
};

/** The receipt email of a paid gift, rendered outside the webhook's transaction. */
export const donationReceipt: Task = async (payload) => {
  const accepted = acceptedPayload(DONATION_RECEIPT_TASK, DonationPayload, payload);
  if (!accepted) return;
  const { donationId } = accepted;
  await sendDonationReceipt(donationId);
};

export const donationRefunded: Task = async (payload) => {
  const accepted = acceptedPayload(DONATION_REFUND_TASK, RefundPayload, payload);
  if (!accepted) return;
  const { donationId, reversedFen, amountFen } = accepted;
  await sendDonationRefunded(donationId, reversedFen, amountFen);
};

/**
 * Every background task, by name. Adding one: a function here (or imported from its service)
 * and a line below; jobs are added with `graphile_worker.add_job('<name>', …)` in the caller's
 * transaction.
 */
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

/** Starts the background worker with every task and recurring job of the platform. */
export function startWorker(opts: { pollInterval?: number } = {}): Promise<WorkerHandle> {
  return runWorker({ taskList, cronItems, pollInterval: opts.pollInterval });
}

/** Runs every job that is due now, then returns (tests, one-off scripts). */
export function runDueJobs(): Promise<void> {
  return runJobsOnce(taskList);
}
