import type { NeedEvent, NeedRuling } from "../app/domain/needs";
import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/**
 * To the followers of a need: it became a round's call topic, a project answering it was funded, an
 * official replied, a step of its deliberation; and to its author, an official's ruling on it.
 */
export interface NeedUpdateProps {
  locale: Locale;
  name: string;
  kind: NeedEvent | NeedRuling;
  number: number;
  title: string;
  /** the round's title, the project, the reply's text, the deliberated matter's title, or the ruling's reason */
  detail: string;
  link: string;
}

const params = (p: NeedUpdateProps) => ({ number: p.number, title: p.title, detail: p.detail });
export const subject = (p: NeedUpdateProps) => translate(p.locale, `email.need.${p.kind}.subject`, params(p));

export default function NeedUpdate(p: NeedUpdateProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={`email.need.${p.kind}`} params={params(p)} link={p.link} />;
}
