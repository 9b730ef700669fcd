import { Button, Section, Text } from "@react-email/components";
import { translate, type Locale } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/**
 * An official's decision on something the grantee filed (监测): a milestone report approved or
 * returned, an expense returned, a budget adjustment approved or rejected. Sent to every member
 * of the implementing organization with an account.
 */
export interface MonitoringDecisionProps {
  locale: Locale;
  name: string;
  referenceNo: string;
  projectTitle: string;
  subject: "report" | "expense" | "adjustment";
  /** what was decided: the milestone's title, "#1a2b3c4d 文具店 ¥120.00", an amount */
  item: string;
  decision: "APPROVED" | "RETURNED" | "REJECTED";
  /** the official's comment; required for RETURNED and REJECTED, may be empty otherwise */
  comment: string;
  link: string;
}

const words = (p: MonitoringDecisionProps) => ({
  what: translate(p.locale, `email.monitoring.subject.${p.subject}`),
  decision: translate(p.locale, `email.monitoring.decision.${p.decision}`),
});

export const subject = (p: MonitoringDecisionProps) => translate(p.locale, "email.monitoring.subjectLine", { referenceNo: p.referenceNo, ...words(p) });

export default function MonitoringDecision(p: MonitoringDecisionProps) {
  const t = (k: string, params?: Record<string, string>) => translate(p.locale, k, params);
  const w = words(p);
  const colon = p.locale === "en" ? ": " : "：";
  const rows: [string, string][] = [
    [t("email.monitoring.project"), `${p.referenceNo} ${p.projectTitle}`],
    [w.what, p.item],
    [t("email.monitoring.decision"), w.decision],
    [t("email.monitoring.comment"), p.comment.trim() || t("email.monitoring.noComment")],
  ];
  return (
    <EmailLayout locale={p.locale} preview={subject(p)}>
      <Text>{t("email.greeting", { name: p.name })}</Text>
      <Text>{t("email.monitoring.body", { referenceNo: p.referenceNo, ...w })}</Text>
      <Section>
        {rows.map(([label, value]) => (
          <Text key={label} style={{ margin: "4px 0" }}>
            {label}
            {colon}
            {value}
          </Text>
        ))}
      </Section>
      <Text>{t(p.decision === "APPROVED" ? "email.monitoring.nextApproved" : "email.monitoring.nextFix")}</Text>
      <Button href={p.link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.monitoring.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link: p.link })}</Text>
    </EmailLayout>
  );
}

MonitoringDecision.PreviewProps = {
  locale: "zh-CN",
  name: "陈晓",
  referenceNo: "JN6-0003",
  projectTitle: "银龄助餐服务",
  subject: "report",
  item: "第一阶段：建立助餐点",
  decision: "RETURNED",
  comment: "请补充活动签到表和照片。",
  link: "http://localhost:3000/projects/JN6-0003/reports/1",
} satisfies MonitoringDecisionProps;
