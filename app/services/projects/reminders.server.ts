import type { AlertMilestone } from "~/domain/alerts";
import { granteeReminders, reminderPath, type Reminder, type ReminderKind } from "~/domain/reminders";
import { db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { shanghaiDay } from "~/lib/time";

/**
 * The daily reminders to implementing organizations (graphile-worker task `grantee_reminders`,
 * cron in services/jobs/registry.server.ts; rules in domain/reminders.ts): a milestone due within
 * seven days, a milestone overdue, an agreement waiting for acceptance. Each goes, by email in
 * the reader's language and as an inbox note, to every member of the project's organization who
 * has an account (an erased account gets nothing). There is no SMS channel on the platform yet,
 * so nothing is sent by SMS.
 *
 * Exactly once per occurrence: the GranteeReminder row (its key is unique: kind × subject × day)
 * is inserted in the same transaction as the emails and notes it queues. A second run, or a second
 * worker running at the same moment, finds the key taken (the insert waits for the first
 * transaction and then inserts nothing) and sends nothing; a failure rolls back the row with the
 * emails, so the next run sends it.
 *
 * Reports and expenses sent back are not this job's: the organization is told when the official
 * decides, in the decision's transaction (reports.server.ts tellGranteeOfDecision).
 */

export const GRANTEE_REMINDERS_TASK = "grantee_reminders";

const log = logger.child({ component: "reminders" });

interface ProjectRow {
  id: string;
  status: string;
  createdAt: Date;
  referenceNo: string;
  title: string;
  organizationId: string;
}

/** The projects that can need a reminder, their milestones, and every reminder they should have had by `now`. */
async function dueReminders(now: Date): Promise<{ reminders: Reminder[]; projects: Map<string, ProjectRow> }> {
  const projects = await db().project.findMany({
    where: { status: { in: ["ACTIVE", "AWAITING_ACCEPTANCE"] } },
    select: { id: true, status: true, createdAt: true, referenceNo: true, title: true, organizationId: true },
  });
  const milestones = await db().$queryRaw<(Omit<AlertMilestone, "dueOn"> & { projectId: string; dueOn: Date | null })[]>`
    SELECT m.id, m."projectId", m.position, m.title, m."dueOn", m.status::text AS status,
           EXISTS (SELECT 1 FROM "MilestoneReport" r WHERE r."milestoneId" = m.id AND r.status = 'SUBMITTED') AS "awaitingDecision"
      FROM "ProjectMilestone" m JOIN "Project" p ON p.id = m."projectId"
     WHERE p.status = 'ACTIVE' AND m.status <> 'APPROVED' AND m."dueOn" IS NOT NULL`;
  const byProject = new Map<string, AlertMilestone[]>();
  for (const m of milestones) {
    byProject.set(m.projectId, [...(byProject.get(m.projectId) ?? []), { id: m.id, position: m.position, title: m.title, status: m.status, awaitingDecision: m.awaitingDecision, dueOn: shanghaiDay(m.dueOn) }]);
  }
  const reminders = granteeReminders(
    shanghaiDay(now),
    projects.map((p) => ({ id: p.id, status: p.status, createdOn: shanghaiDay(p.createdAt), milestones: byProject.get(p.id) ?? [] })),
  );
  return { reminders, projects: new Map(projects.map((p) => [p.id, p])) };
}

/** Members of the organization with a live account, as an email is addressed to them. */
function members(tx: Tx, organizationId: string) {
  return tx.user.findMany({
    where: { deletedAt: null, memberships: { some: { organizationId } } },
    select: { id: true, email: true, name: true, locale: true },
    orderBy: { id: "asc" },
  });
}

/** Sends one reminder unless its key was sent already; true when this call sent it. */
async function sendOne(r: Reminder, project: ProjectRow, now: Date): Promise<{ sent: boolean; emails: number }> {
  return db().$transaction(async (tx) => {
    // the unique key claims the occurrence: a concurrent run waits here for this transaction, then inserts nothing
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "GranteeReminder" (id, key, kind, "projectId", "subjectId", "onDay", "sentAt")
      VALUES (gen_random_uuid()::text, ${r.key}, ${r.kind}::"GranteeReminderKind", ${r.projectId}, ${r.subjectId}, ${r.day}::date, ${now})
      ON CONFLICT (key) DO NOTHING
      RETURNING id`;
    if (!claimed.length) return { sent: false, emails: 0 };
    const link = reminderPath(project.referenceNo, r.kind);
    const people = await members(tx, project.organizationId);
    const milestone = r.title ?? "";
    const position = r.position ?? 0;
    for (const user of people) {
      await queueUserEmail(tx, user, "grantee-reminder", {
        kind: r.kind,
        referenceNo: project.referenceNo,
        projectTitle: project.title,
        position,
        milestone,
        dueOn: r.day,
        days: r.days,
        link: `${appUrl()}${link}`,
      });
      await notify(tx, {
        userId: user.id,
        kind: `reminder.${r.kind}`,
        params: { referenceNo: project.referenceNo, project: project.title, position, milestone, dueOn: r.day, days: Math.abs(r.days) },
        link,
      });
    }
    await tx.granteeReminder.update({ where: { id: claimed[0]!.id }, data: { recipients: people.length } });
    return { sent: true, emails: people.length };
  });
}

export interface RemindersResult {
  sent: number;
  emails: number;
  byKind: Partial<Record<ReminderKind, number>>;
}

/** Runs the daily reminders at `now`; see the module comment. */
export async function sendGranteeReminders(now = new Date()): Promise<RemindersResult> {
  const { reminders, projects } = await dueReminders(now);
  // the keys sent already are skipped without a transaction each; the insert still decides a race
  const done = new Set<string>();
  for (let i = 0; i < reminders.length; i += 1_000) {
    const rows = await db().granteeReminder.findMany({ where: { key: { in: reminders.slice(i, i + 1_000).map((r) => r.key) } }, select: { key: true } });
    for (const row of rows) done.add(row.key);
  }
  const result: RemindersResult = { sent: 0, emails: 0, byKind: {} };
  for (const r of reminders) {
    if (done.has(r.key)) continue;
    const { sent, emails } = await sendOne(r, projects.get(r.projectId)!, now);
    if (!sent) continue;
    result.sent++;
    result.emails += emails;
    result.byKind[r.kind] = (result.byKind[r.kind] ?? 0) + 1;
  }
  log.info(result, "grantee reminders sent");
  return result;
}
