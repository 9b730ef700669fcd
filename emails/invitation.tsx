import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

export interface InvitationProps {
  locale: Locale;
  /** the invitee's email (no name is known yet) */
  name: string;
  inviterName: string;
  /** Role enum value: OFFICIAL | JUDGE | FOUNDATION_MANAGER | ADMIN */
  role: string;
  areaNameZh: string;
  areaNameEn: string;
  link: string;
}

const params = (p: InvitationProps) => ({
  inviter: p.inviterName,
  role: translate(p.locale, `role.${p.role}`),
  area: p.locale === "en" ? p.areaNameEn : p.areaNameZh,
});

export const subject = (p: InvitationProps) => translate(p.locale, "email.invitation.subject", params(p));

export default function Invitation(p: InvitationProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.invitation" params={params(p)} link={p.link} />;
}

Invitation.PreviewProps = {
  locale: "zh-CN",
  name: "judge@example.com",
  inviterName: "王建国",
  role: "JUDGE",
  areaNameZh: "当湖街道",
  areaNameEn: "Danghu Subdistrict",
  link: "http://localhost:3000/invitations/example",
} satisfies InvitationProps;
