import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

export interface RoleGrantedProps {
  locale: Locale;
  name: string;
  role: string;
  areaNameZh: string;
  areaNameEn: string;
  link: string;
}

const params = (p: RoleGrantedProps) => ({
  role: translate(p.locale, `role.${p.role}`),
  area: p.locale === "en" ? p.areaNameEn : p.areaNameZh,
});

export const subject = (p: RoleGrantedProps) => translate(p.locale, "email.roleGranted.subject", params(p));

export default function RoleGranted(p: RoleGrantedProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.roleGranted" params={params(p)} link={p.link} />;
}

RoleGranted.PreviewProps = {
  locale: "zh-CN",
  name: "张三",
  role: "OFFICIAL",
  areaNameZh: "松枫社区",
  areaNameEn: "Songfeng Community",
  link: "http://localhost:3000/me",
} satisfies RoleGrantedProps;
