import { formatDateTime, translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To each person signed up for a training that an official cancelled, with the reason. */
export interface TrainingCancelledProps {
  locale: Locale;
  name: string;
  number: number;
  topic: string;
  /** the start as it was (ISO), shown in Asia/Shanghai */
  startsAt: string;
  reason: string;
  link: string;
}

const params = (p: TrainingCancelledProps) => ({ number: p.number, topic: p.topic, when: formatDateTime(p.locale, p.startsAt), reason: p.reason });
export const subject = (p: TrainingCancelledProps) => translate(p.locale, "email.trainingCancelled.subject", params(p));

export default function TrainingCancelled(p: TrainingCancelledProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.trainingCancelled" params={params(p)} link={p.link} />;
}
