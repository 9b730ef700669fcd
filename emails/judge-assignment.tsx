import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** A judge received proposals to score (automatic assignment, a swap or a reassignment after a conflict). */
export interface JudgeAssignmentProps {
  locale: Locale;
  name: string;
  roundTitle: string;
  count: number;
  /** Asia/Shanghai, already formatted */
  deadline: string;
  link: string;
}

const params = (p: JudgeAssignmentProps) => ({ round: p.roundTitle, count: p.count, deadline: p.deadline });
export const subject = (p: JudgeAssignmentProps) => translate(p.locale, "email.judgeAssignment.subject", params(p));

export default function JudgeAssignment(p: JudgeAssignmentProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.judgeAssignment" params={params(p)} link={p.link} />;
}
