import { Button, Section, Text } from "@react-email/components";
import { translate, type Locale } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/** The result of screening (资格审查) for one proposal, sent to every member of its organization with an account. */
export interface ScreeningDecisionProps {
  locale: Locale;
  name: string;
  referenceNo: string;
  title: string;
  roundTitle: string;
  outcome: "ELIGIBLE" | "INELIGIBLE";
  /** true when the decision changes an earlier one */
  reversal: boolean;
  /** the official's reason; may be empty for an eligible decision */
  reason: string;
  link: string;
}

const outcomeName = (p: ScreeningDecisionProps) => translate(p.locale, `email.screening.outcome.${p.outcome}`);

export const subject = (p: ScreeningDecisionProps) =>
  translate(p.locale, p.reversal ? "email.screening.subjectReversed" : "email.screening.subject", { referenceNo: p.referenceNo, outcome: outcomeName(p) });

export default function ScreeningDecision(p: ScreeningDecisionProps) {
  const t = (k: string, params?: Record<string, string>) => translate(p.locale, k, params);
  const rows: [string, string][] = [
    [t("email.screening.referenceNo"), p.referenceNo],
    [t("email.screening.title"), p.title],
    [t("email.screening.round"), p.roundTitle],
    [t("email.screening.outcome"), outcomeName(p)],
    [t("email.screening.reason"), p.reason.trim() || t("email.screening.noReason")],
  ];
  return (
    <EmailLayout locale={p.locale} preview={subject(p)}>
      <Text>{t("email.greeting", { name: p.name })}</Text>
      <Text>
        {t(p.reversal ? "email.screening.bodyReversed" : "email.screening.body", { referenceNo: p.referenceNo, outcome: outcomeName(p) })}
      </Text>
      <Section>
        {rows.map(([label, value]) => (
          <Text key={label} style={{ margin: "4px 0" }}>
            {label}
            {p.locale === "en" ? ": " : "："}
            {value}
          </Text>
        ))}
      </Section>
      <Text>{t(p.outcome === "ELIGIBLE" ? "email.screening.nextEligible" : "email.screening.nextIneligible")}</Text>
      <Button href={p.link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.screening.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link: p.link })}</Text>
    </EmailLayout>
  );
}

ScreeningDecision.PreviewProps = {
  locale: "zh-CN",
  name: "陈晓",
  referenceNo: "JN7-0042",
  title: "银龄助餐服务",
  roundTitle: "当湖街道第七届社区公益微创投",
  outcome: "INELIGIBLE",
  reversal: false,
  reason: "预算表缺少人员劳务费明细。",
  link: "http://localhost:3000/proposals/123",
} satisfies ScreeningDecisionProps;
