import { formatDateTime, translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To each person signed up for a training whose time or place an official changed: when and where it is now. */
export interface TrainingChangedProps {
  locale: Locale;
  name: string;
  number: number;
  topic: string;
  /** the start as it is now (ISO), shown in Asia/Shanghai */
  startsAt: string;
  /** the place, or the online link, as it is now */
  where: string;
  link: string;
}

const params = (p: TrainingChangedProps) => ({ number: p.number, topic: p.topic, when: formatDateTime(p.locale, p.startsAt), where: p.where });
export const subject = (p: TrainingChangedProps) => translate(p.locale, "email.trainingChanged.subject", params(p));

export default function TrainingChanged(p: TrainingChangedProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.trainingChanged" params={params(p)} link={p.link} />;
}
