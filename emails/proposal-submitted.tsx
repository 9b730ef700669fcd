import { Button, Section, Text } from "@react-email/components";
import { translate, type Locale } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/** The receipt of a submitted proposal (申报回执): what was submitted, its reference number, where to follow it. */
export interface ProposalSubmittedProps {
  locale: Locale;
  name: string;
  referenceNo: string;
  title: string;
  organization: string;
  /** formatted, e.g. ¥12,000.00 */
  amount: string;
  roundTitle: string;
  submittedAt: string;
  link: string;
}

export const subject = (p: ProposalSubmittedProps) => translate(p.locale, "email.proposalSubmitted.subject", { referenceNo: p.referenceNo, title: p.title });

export default function ProposalSubmitted(p: ProposalSubmittedProps) {
  const t = (k: string, params?: Record<string, string>) => translate(p.locale, k, params);
  const rows: [string, string][] = [
    [t("email.proposalSubmitted.referenceNo"), p.referenceNo],
    [t("email.proposalSubmitted.title"), p.title],
    [t("email.proposalSubmitted.organization"), p.organization],
    [t("email.proposalSubmitted.round"), p.roundTitle],
    [t("email.proposalSubmitted.amount"), p.amount],
    [t("email.proposalSubmitted.submittedAt"), p.submittedAt],
  ];
  return (
    <EmailLayout locale={p.locale} preview={subject(p)}>
      <Text>{t("email.greeting", { name: p.name })}</Text>
      <Text>{t("email.proposalSubmitted.body", { referenceNo: p.referenceNo })}</Text>
      <Section>
        {rows.map(([label, value]) => (
          <Text key={label} style={{ margin: "4px 0" }}>
            {label}
            {p.locale === "en" ? ": " : "："}
            {value}
          </Text>
        ))}
      </Section>
      <Text>{t("email.proposalSubmitted.next")}</Text>
      <Button href={p.link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.proposalSubmitted.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link: p.link })}</Text>
    </EmailLayout>
  );
}

ProposalSubmitted.PreviewProps = {
  locale: "zh-CN",
  name: "王芳",
  referenceNo: "JN7-0042",
  title: "银龄助餐服务",
  organization: "松枫社区邻里互助队",
  amount: "¥12,000.00",
  roundTitle: "当湖街道第七届社区公益创投",
  submittedAt: "2026/11/23 10:00",
  link: "http://localhost:3000/proposals/123",
} satisfies ProposalSubmittedProps;
