import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

export interface ResetPasswordProps {
  locale: Locale;
  name: string;
  link: string;
}

export const subject = ({ locale }: ResetPasswordProps) => translate(locale, "email.reset.subject");

export default function ResetPassword({ locale, name, link }: ResetPasswordProps) {
  return <ActionEmail locale={locale} name={name} prefix="email.reset" params={{}} link={link} />;
}

ResetPassword.PreviewProps = { locale: "zh-CN", name: "张三", link: "http://localhost:3000/reset-password?token=example" } satisfies ResetPasswordProps;
