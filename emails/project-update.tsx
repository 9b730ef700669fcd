import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/** To a grantee's members: the agreement is ready or countersigned, a tranche paid or held, the project closed. */
export interface ProjectUpdateProps {
  locale: Locale;
  name: string;
  referenceNo: string;
  title: string;
  kind: "AGREEMENT_READY" | "AGREEMENT_COUNTERSIGNED" | "TRANCHE_RELEASED" | "TRANCHE_HELD" | "PROJECT_CLOSED";
  /** the tranche's or the returned amount, formatted; empty when not relevant */
  amount: string;
  /** bank transfer reference, hold reasons, … ; empty when not relevant */
  detail: string;
  link: string;
}

const params = (p: ProjectUpdateProps) => ({ referenceNo: p.referenceNo, title: p.title, amount: p.amount, detail: p.detail });
export const subject = (p: ProjectUpdateProps) => translate(p.locale, `email.project.${p.kind}.subject`, params(p));

export default function ProjectUpdate(p: ProjectUpdateProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.project.${p.kind}`} params={params(p)} link={p.link} />;
}
