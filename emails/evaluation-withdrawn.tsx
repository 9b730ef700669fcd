import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** An evaluation invitation lapsed: another evaluator decided the project first (评估邀请撤回). */
export interface EvaluationWithdrawnProps {
  locale: Locale;
  name: string;
  referenceNo: string;
  title: string;
  link: string;
}

const params = (p: EvaluationWithdrawnProps) => ({ referenceNo: p.referenceNo, title: p.title });
export const subject = (p: EvaluationWithdrawnProps) => translate(p.locale, "email.evaluationWithdrawn.subject", params(p));

export default function EvaluationWithdrawn(p: EvaluationWithdrawnProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.evaluationWithdrawn" params={params(p)} link={p.link} />;
}
