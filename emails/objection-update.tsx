import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To the person who objected: their objection was received, upheld or dismissed. */
export interface ObjectionUpdateProps {
  locale: Locale;
  name: string;
  roundTitle: string;
  referenceNo: string;
  status: "RECEIVED" | "UPHELD" | "DISMISSED";
  /** the official's published resolution; empty while received */
  resolution: string;
  link: string;
}

const params = (p: ObjectionUpdateProps) => ({ round: p.roundTitle, referenceNo: p.referenceNo, resolution: p.resolution });
export const subject = (p: ObjectionUpdateProps) => translate(p.locale, `email.objection.${p.status}.subject`, params(p));

export default function ObjectionUpdate(p: ObjectionUpdateProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.objection.${p.status}`} params={params(p)} link={p.link} />;
}
