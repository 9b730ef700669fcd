import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** Before the scoring deadline, to a judge with unfinished score sheets. */
export interface ScoringReminderProps {
  locale: Locale;
  name: string;
  roundTitle: string;
  unfinished: number;
  /** Asia/Shanghai, already formatted */
  deadline: string;
  link: string;
}

const params = (p: ScoringReminderProps) => ({ round: p.roundTitle, unfinished: p.unfinished, deadline: p.deadline });
export const subject = (p: ScoringReminderProps) => translate(p.locale, "email.scoringReminder.subject", params(p));

export default function ScoringReminder(p: ScoringReminderProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.scoringReminder" params={params(p)} link={p.link} />;
}
