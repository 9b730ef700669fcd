import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** An official invites someone to carry out the final evaluation of a funded project (结项评估邀请). */
export interface EvaluationInvitationProps {
  locale: Locale;
  name: string;
  inviterName: string;
  referenceNo: string;
  title: string;
  organization: string;
  link: string;
}

const params = (p: EvaluationInvitationProps) => ({ inviter: p.inviterName, referenceNo: p.referenceNo, title: p.title, organization: p.organization });
export const subject = (p: EvaluationInvitationProps) => translate(p.locale, "email.evaluationInvitation.subject", params(p));

export default function EvaluationInvitation(p: EvaluationInvitationProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.evaluationInvitation" params={params(p)} link={p.link} />;
}
