import { Button, Text } from "@react-email/components";
import { translate, type Locale } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

export interface VerifyEmailProps {
  locale: Locale;
  name: string;
  link: string;
}

export const subject = ({ locale }: VerifyEmailProps) => translate(locale, "email.verify.subject");

export default function VerifyEmail({ locale, name, link }: VerifyEmailProps) {
  const t = (k: string, p?: Record<string, string>) => translate(locale, k, p);
  return (
    <EmailLayout locale={locale} preview={t("email.verify.subject")}>
      <Text>{t("email.greeting", { name })}</Text>
      <Text>{t("email.verify.body")}</Text>
      <Button href={link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.verify.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link })}</Text>
    </EmailLayout>
  );
}

VerifyEmail.PreviewProps = { locale: "zh-CN", name: "张三", link: "http://localhost:3000/verify?token=example" } satisfies VerifyEmailProps;
