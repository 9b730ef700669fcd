import { Button, Section, Text } from "@react-email/components";
import { translate, type Locale, type Params } from "../app/lib/i18n";
import { EmailLayout } from "./layout";

/** To the donor when a gift is paid (one-time, or each monthly charge): the numbered receipt. */
export interface DonationReceiptProps {
  locale: Locale;
  /** the donor's name, or 爱心人士 */
  name: string;
  receiptNo: string;
  foundation: string;
  /** formatted, e.g. ¥200.00 */
  amount: string;
  /** the match drawn for it, formatted; empty when none */
  matched: string;
  /** the sponsor of the match; empty when none */
  sponsor: string;
  /** Asia/Shanghai date and time */
  paidAt: string;
  /** card | alipay | wechat_pay */
  method: string;
  /** the round or project it is earmarked for; empty when the foundation's general funds */
  purpose: string;
  monthly: boolean;
  /** public-fundraising filing no. and entity, or empty (directed) */
  filing: string;
  /** printable receipt */
  link: string;
}

const prefix = (p: DonationReceiptProps) => (p.monthly ? "email.donationReceipt.monthly" : "email.donationReceipt.once");
export const subject = (p: DonationReceiptProps) => translate(p.locale, `${prefix(p)}.subject`, { receiptNo: p.receiptNo, amount: p.amount, foundation: p.foundation });

export default function DonationReceipt(p: DonationReceiptProps) {
  const t = (k: string, params?: Params) => translate(p.locale, k, params);
  const rows: [string, string][] = [
    [t("email.donationReceipt.receiptNo"), p.receiptNo],
    [t("email.donationReceipt.foundation"), p.foundation],
    [t("email.donationReceipt.amount"), p.amount],
    [t("email.donationReceipt.paidAt"), p.paidAt],
    [t("email.donationReceipt.method"), t(`donation.method.${p.method}`)],
    [t("email.donationReceipt.purpose"), p.purpose || t("email.donationReceipt.general")],
  ];
  if (p.matched) rows.push([t("email.donationReceipt.matched"), t("email.donationReceipt.matchedBy", { amount: p.matched, sponsor: p.sponsor })]);
  return (
    <EmailLayout locale={p.locale} preview={subject(p)}>
      <Text>{t("email.greeting", { name: p.name })}</Text>
      <Text>{t(`${prefix(p)}.body`, { amount: p.amount, foundation: p.foundation })}</Text>
      <Section>
        {rows.map(([label, value]) => (
          <Text key={label} style={{ margin: "2px 0" }}>
            {label}：{value}
          </Text>
        ))}
      </Section>
      <Text style={{ fontSize: "12px" }}>{p.filing ? t("email.donationReceipt.filing", { filing: p.filing }) : t("email.donationReceipt.directed")}</Text>
      <Button href={p.link} style={{ backgroundColor: "#9f1239", color: "#fff", padding: "10px 16px" }}>
        {t("email.donationReceipt.button")}
      </Button>
      <Text style={{ fontSize: "12px" }}>{t("email.linkFallback", { link: p.link })}</Text>
      <Text style={{ fontSize: "12px" }}>{t("email.donationReceipt.stripe")}</Text>
    </EmailLayout>
  );
}
