import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** The final result of a proposal once the public notice (公示) has ended. */
export interface AwardResultProps {
  locale: Locale;
  name: string;
  roundTitle: string;
  referenceNo: string;
  title: string;
  /** FUNDED | PARTIAL | WAITLIST | NOT_FUNDED */
  result: "FUNDED" | "PARTIAL" | "WAITLIST" | "NOT_FUNDED";
  /** formatted, e.g. ¥12,000.00 */
  amount: string;
  requested: string;
  link: string;
}

const params = (p: AwardResultProps) => ({
  round: p.roundTitle,
  referenceNo: p.referenceNo,
  title: p.title,
  amount: p.amount,
  requested: p.requested,
  result: translate(p.locale, `email.awardResult.result.${p.result}`),
});
export const subject = (p: AwardResultProps) => translate(p.locale, `email.awardResult.${p.result}.subject`, params(p));

export default function AwardResult(p: AwardResultProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.awardResult.${p.result}`} params={params(p)} link={p.link} />;
}
