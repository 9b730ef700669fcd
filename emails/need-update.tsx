import type { NeedEvent, NeedRuling } from "../app/domain/needs";
import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

/**
 * To the followers of a need: it became a round's call topic, a project answering it was funded, an
 * official replied, a step of its deliberation; and an official's ruling on it, to its author (as
 * theirs) and to its followers (`follower`: as a need they follow).
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
  /** a ruling told to a follower, not to the author */
  follower?: boolean;
}

const RULINGS: readonly string[] = ["REJECTED", "REOPENED", "MERGED"] satisfies NeedRuling[];
const prefix = (p: NeedUpdateProps) => (p.follower && RULINGS.includes(p.kind) ? `email.need.follow.${p.kind}` : `email.need.${p.kind}`);
const params = (p: NeedUpdateProps) => ({ number: p.number, title: p.title, detail: p.detail });
export const subject = (p: NeedUpdateProps) => translate(p.locale, `${prefix(p)}.subject`, params(p));

export default function NeedUpdate(p: NeedUpdateProps) {
  return <ActionEmail locale={p.locale} name={p.name} prefix={prefix(p)} params={params(p)} link={p.link} />;
}
