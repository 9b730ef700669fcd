import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To a foundation's managers: a gift disputed by the payer's bank, a refund that failed, a matching campaign closed out. */
export interface FoundationMoneyProps {
  locale: Locale;
  name: string;
  kind: "DISPUTE_OPENED" | "REFUND_FAILED" | "CAMPAIGN_CLOSED";
  /** the gift's reference (G-…) or the campaign's title */
  subjectRef: string;
  /** the amount at stake, formatted */
  amount: string;
  /** the answer's deadline, a failure's reason, where the pool went — in the recipient's language; empty when none */
  detail: string;
  link: string;
}

const params = (p: FoundationMoneyProps) => ({ ref: p.subjectRef, amount: p.amount, detail: p.detail });
export const subject = (p: FoundationMoneyProps) => translate(p.locale, `email.foundationMoney.${p.kind}.subject`, params(p));

export default function FoundationMoney(p: FoundationMoneyProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.foundationMoney.${p.kind}`} params={params(p)} link={p.link} />;
}
