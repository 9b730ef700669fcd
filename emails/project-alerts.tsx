import { Button, Section, Text } from "@react-email/components";
import { alertDetail, type AlertKind } from "../app/domain/alerts";
import { translate, type Locale, type Params } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/** The daily digest of new monitoring alerts, to an official of the projects' area. */
export interface ProjectAlertsProps {
  locale: Locale;
  name: string;
  /** all new alerts; `items` may list fewer (the rest is "and N more") */
  count: number;
  items: { referenceNo: string; title: string; kind: AlertKind; params: Record<string, string | number> }[];
  link: string;
}

export const subject = (p: ProjectAlertsProps) => translate(p.locale, "email.projectAlerts.subject", { count: p.count });

export default function ProjectAlerts(p: ProjectAlertsProps) {
  const t = (k: string, params?: Params) => translate(p.locale, k, params);
  const more = p.count - p.items.length;
  return (
    <EmailLayout locale={p.locale} preview={subject(p)}>
      <Text>{t("email.greeting", { name: p.name })}</Text>
      <Text>{t("email.projectAlerts.body", { count: p.count })}</Text>
      <Section>
        {p.items.map((item, i) => {
          const detail = alertDetail(item.kind, item.params);
          return (
            <Text key={i} style={{ margin: "4px 0" }}>
              {t("email.projectAlerts.item", { referenceNo: item.referenceNo, title: item.title, kind: t(`alerts.kind.${item.kind}`), detail: t(detail.key, detail.params) })}
            </Text>
          );
        })}
        {more > 0 ? <Text>{t("email.projectAlerts.more", { count: more })}</Text> : null}
      </Section>
      <Button href={p.link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.projectAlerts.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link: p.link })}</Text>
    </EmailLayout>
  );
}
