import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** An official invites an expert to judge one round (评审专家邀请). */
export interface JudgeInvitationProps {
  locale: Locale;
  name: string;
  inviterName: string;
  roundTitle: string;
  /** Asia/Shanghai, already formatted */
  expiresAt: string;
  link: string;
}

const params = (p: JudgeInvitationProps) => ({ inviter: p.inviterName, round: p.roundTitle, expires: p.expiresAt });
export const subject = (p: JudgeInvitationProps) => translate(p.locale, "email.judgeInvitation.subject", params(p));

export default function JudgeInvitation(p: JudgeInvitationProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.judgeInvitation" params={params(p)} link={p.link} />;
}
