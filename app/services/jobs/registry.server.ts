import type { CronItem, Task, TaskList } from "graphile-worker";
import { logger as appLogger } from "~/lib/logger.server";
import { sendEmail } from "~/lib/mail-delivery.server";
import { SEND_EMAIL_TASK } from "~/lib/outbox.server";
import { runJobsOnce, runWorker, type WorkerHandle } from "~/lib/worker.server";
import { FINALIZE_TASK, finalizeDueAwards } from "~/services/awards/awards.server";
import { sendDonationReceipt, sendDonationRefunded } from "~/services/giving/donor-mail.server";
import { DONATION_RECEIPT_TASK, DONATION_REFUND_TASK } from "~/services/giving/fulfil.server";
import { CAMPAIGN_CLOSE_TASK, closeEndedCampaigns } from "~/services/giving/campaign-close.server";
import { PERSONAL_DATA_EXPORT_TASK, personalDataExportTask, purgePersonalDataPastRetention } from "~/services/privacy/export.server";
import { ORG_RANKINGS_TASK, refreshRankings } from "~/services/areas/ranking.server";
import { PROJECT_ALERTS_TASK, refreshAlerts } from "~/services/projects/alerts.server";
import { GRANTEE_REMINDERS_TASK, sendGranteeReminders } from "~/services/projects/reminders.server";
import { sendScoringReminders } from "~/services/review/scoring.server";
import { acceptedPayload, DonationPayload, RankingPayload, RefundPayload } from "./access.server";
import { purgeExpired } from "./housekeeping.server";

/**
 * The job registry: every background task the platform runs, and when the recurring ones run.
 * The worker in lib/ only runs what it is given from here.
 */

export const HOUSEKEEPING_TASK = "housekeeping";

const log = appLogger.child({ component: "jobs" });

/**
 * Daily clean-up of rows that have outlived their purpose (services/jobs/housekeeping.server.ts),
 * and of personal data past its retention period: expired data exports, old outbox e-mails
 * (services/privacy/export.server.ts).
 */
export const housekeeping: Task = async () => {
  const purged = await purgeExpired();
  const personal = await purgePersonalDataPastRetention();
  log.info({ purged, personal }, "housekeeping done");
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

/**
 * Daily: reminders to implementing organizations — milestones due within seven days or overdue,
 * agreements waiting for acceptance (services/projects/reminders.server.ts), each sent once.
 */
export const granteeReminders: Task = async () => {
  await sendGranteeReminders();
};

/**
 * The stored quarterly rankings of implementing organizations (services/areas/ranking.server.ts,
 * docs/decisions/021): the quarter just closed, the running quarter, or an area's rankings after
 * its weights changed, as the payload says.
 */
export const orgRankings: Task = async (payload) => {
  const run = acceptedPayload(ORG_RANKINGS_TASK, RankingPayload, payload);
  if (!run) return;
  const { computed } = await refreshRankings(run);
  log.info({ run, computed }, "organization rankings stored");
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

/** Matching campaigns whose end has passed: their unused pools go back to where they came from (services/giving/campaign-close.server.ts). */
export const campaignCloseOut: Task = async () => {
  const { closed, swept } = await closeEndedCampaigns();
  if (closed || swept) log.info({ closed, swept }, "matching campaigns closed out");
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
  [GRANTEE_REMINDERS_TASK]: granteeReminders,
  [PERSONAL_DATA_EXPORT_TASK]: personalDataExportTask,
  [ORG_RANKINGS_TASK]: orgRankings,
  [CAMPAIGN_CLOSE_TASK]: campaignCloseOut,
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * Recurring jobs. graphile-worker evaluates `match` in UTC (03:00 in Asia/Shanghai is 19:00
 * UTC) and schedules each run once across any number of app instances. `backfill`
 * catches up a run missed while no instance was up. Adding one: a task in `taskList` and an
 * item here.
 */
export const cronItems: CronItem[] = [
  recurring(HOUSEKEEPING_TASK, "daily-housekeeping", "0 19 * * *", { key: "daily-housekeeping", maxAttempts: 5, backfill: DAY_MS }),
  // 09:00 in Asia/Shanghai
  recurring(SCORING_REMINDERS_TASK, "daily-scoring-reminders", "0 1 * * *", { key: "scoring-reminders", maxAttempts: 3 }),
  // 07:00 in Asia/Shanghai, before the working day
  recurring(PROJECT_ALERTS_TASK, "daily-project-alerts", "0 23 * * *", { key: "project-alerts", maxAttempts: 3, backfill: DAY_MS }),
  // 08:00 in Asia/Shanghai, at the start of the organizations' working day
  recurring(GRANTEE_REMINDERS_TASK, "daily-grantee-reminders", "0 0 * * *", { key: "grantee-reminders", maxAttempts: 3, backfill: DAY_MS }),
  // campaigns end at a minute of their manager's choosing: closed out within ten minutes
  recurring(CAMPAIGN_CLOSE_TASK, "campaign-close-out", "*/10 * * * *", { key: "campaign-close-out", maxAttempts: 3 }),
  recurring(FINALIZE_TASK, "finalize-awards-backstop", "*/10 * * * *", { key: "finalize-awards", maxAttempts: 3 }),
  // the quarter just closed, at 00:30 in Asia/Shanghai on the first day of the next: 16:30 UTC on
  // 31 March and 31 December, 30 June and 30 September (two items: the months end on other days)
  recurring(ORG_RANKINGS_TASK, "quarterly-org-rankings-31", "30 16 31 3,12 *", { key: "org-rankings-closed", maxAttempts: 5, backfill: 3 * DAY_MS, payload: { period: "closed" } }),
  recurring(ORG_RANKINGS_TASK, "quarterly-org-rankings-30", "30 16 30 6,9 *", { key: "org-rankings-closed", maxAttempts: 5, backfill: 3 * DAY_MS, payload: { period: "closed" } }),
  // the running quarter, at 04:00 in Asia/Shanghai: what reports, expense decisions, call-backs and
  // evaluations the day brought, ranked before the working day (and a closed quarter the run above missed)
  recurring(ORG_RANKINGS_TASK, "daily-org-rankings", "0 20 * * *", { key: "org-rankings-current", maxAttempts: 3, backfill: DAY_MS, payload: { period: "current" } }),
];

/**
 * A recurring job queued under the job key `cron:<key>` in "replace" mode (a run still waiting is
 * replaced, never doubled), catching up what was missed in the last `backfill` ms (none: 0).
 */
function recurring(task: string, identifier: string, match: string, run: { key: string; maxAttempts: number; backfill?: number; payload?: Record<string, unknown> }): CronItem {
  return {
    task,
    identifier,
    match,
    options: { backfillPeriod: run.backfill ?? 0, maxAttempts: run.maxAttempts, jobKey: `cron:${run.key}`, jobKeyMode: "replace" },
    ...(run.payload ? { payload: run.payload } : {}),
  };
}

/** Starts the background worker with every task and recurring job of the platform. */
export function startWorker(opts: { pollInterval?: number } = {}): Promise<WorkerHandle> {
  return runWorker({ taskList, cronItems, pollInterval: opts.pollInterval });
}

/** Runs every job that is due now, then returns (tests, one-off scripts). */
export function runDueJobs(): Promise<void> {
  return runJobsOnce(taskList);
}
