/**
 * Reminders to the implementing organization of a project (its members with an account): what
 * the daily job (services/projects/reminders.server.ts) sends them. Pure; days are `YYYY-MM-DD`
 * of the Asia/Shanghai calendar.
 *
 * - MILESTONE_DUE_SOON: an ACTIVE project's milestone, not approved, with no report waiting for
 *   an official's decision, due today or within DUE_SOON_DAYS days (the same window as the
 *   officials' DUE_SOON alert, domain/alerts.ts).
 * - MILESTONE_OVERDUE: its due day has passed and it is not approved (a report waiting for a
 *   decision stops it, a returned one does not — as the OVERDUE alert).
 * - AGREEMENT_UNSIGNED: a grant agreement waiting for the organization's acceptance for
 *   AGREEMENT_REMINDER_DAYS days or more (the "agreement ready" email went out when it was made).
 *
 * Each reminder is sent once per occurrence: its key is kind × subject × day (the milestone's due
 * day, the day the agreement was made), so a milestone whose due day moves is a new occurrence,
 * and the same day's reminder is never sent twice. Reports and expenses sent back are told to the
 * organization when the official decides (services/projects/reports.server.ts
 * tellGranteeOfDecision), not by this job.
 */
import { daysBetween, DUE_SOON_DAYS, type AlertMilestone } from "./alerts";

export const REMINDER_KINDS = ["MILESTONE_DUE_SOON", "MILESTONE_OVERDUE", "AGREEMENT_UNSIGNED"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** An agreement still waiting for acceptance this many days after it was made gets one reminder. */
export const AGREEMENT_REMINDER_DAYS = 3;

export interface ReminderProject {
  id: string;
  status: string;
  /** `YYYY-MM-DD`: the day the project and its agreement were made */
  createdOn: string;
  milestones: readonly AlertMilestone[];
}

export interface Reminder {
  kind: ReminderKind;
  /** unique per occurrence: `KIND:subjectId:day` */
  key: string;
  projectId: string;
  /** the milestone, or the project for an agreement */
  subjectId: string;
  /** the milestone's due day, or the agreement's day */
  day: string;
  /** the milestone's position and title (milestone reminders) */
  position: number | null;
  title: string | null;
  /** days until the due day (negative: overdue), or days the agreement has waited */
  days: number;
}

export const reminderKey = (kind: ReminderKind, subjectId: string, day: string) => `${kind}:${subjectId}:${day}`;

/** The reminders the organizations of `projects` should have had by `today`. */
export function granteeReminders(today: string, projects: readonly ReminderProject[]): Reminder[] {
  const out: Reminder[] = [];
  for (const p of projects) {
    if (p.status === "AWAITING_ACCEPTANCE") {
      const waited = daysBetween(p.createdOn, today);
      if (waited >= AGREEMENT_REMINDER_DAYS) {
        out.push({ kind: "AGREEMENT_UNSIGNED", key: reminderKey("AGREEMENT_UNSIGNED", p.id, p.createdOn), projectId: p.id, subjectId: p.id, day: p.createdOn, position: null, title: null, days: waited });
      }
      continue;
    }
    if (p.status !== "ACTIVE") continue;
    for (const m of [...p.milestones].sort((a, b) => a.position - b.position)) {
      if (m.status === "APPROVED" || m.dueOn === null || m.awaitingDecision) continue;
      const left = daysBetween(today, m.dueOn);
      const kind: ReminderKind | null = left < 0 ? "MILESTONE_OVERDUE" : left <= DUE_SOON_DAYS ? "MILESTONE_DUE_SOON" : null;
      if (!kind) continue;
      out.push({ kind, key: reminderKey(kind, m.id, m.dueOn), projectId: p.id, subjectId: m.id, day: m.dueOn, position: m.position, title: m.title, days: left });
    }
  }
  return out;
}

/** Where the organization deals with a reminder, under /projects/:ref. */
export function reminderPath(referenceNo: string, kind: ReminderKind): string {
  const ref = encodeURIComponent(referenceNo);
  return kind === "AGREEMENT_UNSIGNED" ? `/projects/${ref}/agreement` : `/projects/${ref}/reports`;
}
