import type { ReminderKind } from "../app/domain/reminders";
import { formatDateTime, translate, type Locale } from "../app/lib/i18n";
import { dayStart } from "../app/lib/time";
import { ActionEmail } from "./action-email";

/** A reminder to a member of a project's implementing organization (domain/reminders.ts). */
export interface GranteeReminderProps {
  locale: Locale;
  name: string;
  kind: ReminderKind;
  referenceNo: string;
  projectTitle: string;
  /** the milestone's position and title (milestone reminders; 0 and "" otherwise) */
  position: number;
  milestone: string;
  /** the due day (or the agreement's day), `YYYY-MM-DD` in Asia/Shanghai */
  dueOn: string;
  /** days left before the due day, days overdue, or days the agreement has waited */
  days: number;
  link: string;
}

/** The Shanghai day written as the app writes dates, in the recipient's language. */
const day = (locale: Locale, d: string) => formatDateTime(locale, dayStart(d), false);

const params = (p: GranteeReminderProps) => ({
  referenceNo: p.referenceNo,
  project: p.projectTitle,
  position: p.position,
  milestone: p.milestone,
  dueOn: day(p.locale, p.dueOn),
  days: Math.abs(p.days),
});

export const subject = (p: GranteeReminderProps) => translate(p.locale, `email.granteeReminder.${p.kind}.subject`, params(p));

export default function GranteeReminder(p: GranteeReminderProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.granteeReminder.${p.kind}`} params={params(p)} link={p.link} />;
}
