import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** An official invites a person to act for a partner unit (结对共建单位成员邀请). */
export interface PartnerInvitationProps {
  locale: Locale;
  name: string;
  inviterName: string;
  unitName: string;
  /** Asia/Shanghai, already formatted */
  expiresAt: string;
  link: string;
}

const params = (p: PartnerInvitationProps) => ({ inviter: p.inviterName, unit: p.unitName, expires: p.expiresAt });
export const subject = (p: PartnerInvitationProps) => translate(p.locale, "email.partnerInvitation.subject", params(p));

export default function PartnerInvitation(p: PartnerInvitationProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.partnerInvitation" params={params(p)} link={p.link} />;
}
