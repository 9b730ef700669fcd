import { Button, Text } from "@react-email/components";
import { translate, type Locale, type Params } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/**
 * The common shape of most notifications: greeting, one or two paragraphs, one button.
 * Each template below fixes its message keys; props fill the placeholders.
 */
export function ActionEmail({
  locale,
  name,
  prefix,
  params,
  link,
}: {
  locale: Locale;
  name: string;
  prefix: string;
  params: Params;
  link: string;
}) {
  const t = (k: string, p?: Params) => translate(locale, k, p);
  return (
    <EmailLayout locale={locale} preview={t(`${prefix}.subject`, params)}>
      <Text>{t("email.greeting", { name })}</Text>
      <Text>{t(`${prefix}.body`, params)}</Text>
      <Button href={link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t(`${prefix}.button`, params)}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link })}</Text>
    </EmailLayout>
  );
}
