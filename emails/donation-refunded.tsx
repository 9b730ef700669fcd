import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To the donor when (part of) a gift has been refunded, by a manager or from Stripe's dashboard. */
export interface DonationRefundedProps {
  locale: Locale;
  name: string;
  receiptNo: string;
  foundation: string;
  /** refunded by this refund, formatted */
  amount: string;
  /** refunded in all so far, formatted */
  total: string;
  reason: string;
  link: string;
}

const params = (p: DonationRefundedProps) => ({ receiptNo: p.receiptNo, foundation: p.foundation, amount: p.amount, total: p.total, reason: p.reason });
export const subject = (p: DonationRefundedProps) => translate(p.locale, "email.donationRefunded.subject", params(p));

export default function DonationRefunded(p: DonationRefundedProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix="email.donationRefunded" params={params(p)} link={p.link} />;
}
