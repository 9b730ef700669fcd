import type { ReactNode } from "react";
import { EmptyState, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import type { GiftView } from "~/services/partners/partners.server";

/**
 * Partner units (结对共建) and in-kind gifts as pages show them: always labelled in-kind (实物),
 * beside money but never added to it.
 */

export type InKindSum = { valuedFen: number; valued: number; unvalued: number };

/** The in-kind total: the valued gifts' sum, and how many carry no value. */
export function InKindTotals({ totals }: { totals: InKindSum }) {
  const t = useT();
  const locale = useLocale();
  return (
    <p className="text-sm text-slate-700" data-testid="in-kind-total">
      <span className="mr-2 rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("partners.inKind.badge")}</span>
      {t("partners.inKind.total", { amount: formatFen(totals.valuedFen), count: formatNumber(locale, totals.valued) })}
      {totals.unvalued ? ` · ${t("partners.inKind.unvalued", { count: formatNumber(locale, totals.unvalued) })}` : ""}
    </p>
  );
}

function giverText(g: GiftView, t: ReturnType<typeof useT>): ReactNode {
  if (g.giver.kind === "unit") return <TextLink to={`/partners/${g.giver.id}`}>{g.giver.name}</TextLink>;
  return g.giver.name ?? t("partners.giver.anonymous");
}

/** The gifts, one row each: giver, what, quantity, valuation and its basis, received by and when. */
export function GiftTable({ gifts, action, showGiver = true }: { gifts: readonly GiftView[]; action?: (g: GiftView) => ReactNode; showGiver?: boolean }) {
  const t = useT();
  const locale = useLocale();
  if (gifts.length === 0) return <EmptyState>{t("partners.gifts.empty")}</EmptyState>;
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
      <table className="w-full text-left text-sm" data-testid="gift-table">
        <caption className="sr-only">{t("partners.gifts.caption")}</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="p-3">{t("partners.gift.receivedOn")}</th>
            {showGiver ? <th scope="col" className="p-3">{t("partners.gift.giver")}</th> : null}
            <th scope="col" className="p-3">{t("partners.gift.description")}</th>
            <th scope="col" className="p-3 text-right">{t("partners.gift.quantity")}</th>
            <th scope="col" className="p-3 text-right">{t("partners.gift.value")}</th>
            <th scope="col" className="p-3">{t("partners.gift.receivedBy")}</th>
            {action ? <th scope="col" className="p-3"><span className="sr-only">{t("partners.gifts.actions")}</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {gifts.map((g) => (
            <tr key={g.id} className="border-t border-slate-200 align-top" data-testid="gift-row">
              <td className="p-3 tabular-nums">{g.receivedOn}</td>
              {showGiver ? <td className="p-3">{giverText(g, t)}</td> : null}
              <td className="p-3">
                <span className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">{t(`partners.kind.${g.kind}`)}</span>
                {g.description}
                {g.correctedOn ? (
                  <span className="ml-1 inline-block rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900" data-testid="corrected">
                    {t("partners.gift.correctedOn", { date: g.correctedOn })}
                  </span>
                ) : null}
              </td>
              <td className="p-3 text-right tabular-nums">
                {formatNumber(locale, g.quantity)} {g.unitLabel}
              </td>
              <td className="p-3 text-right tabular-nums">
                {g.valueFen === null ? t("partners.basis.NONE") : formatFen(g.valueFen)}
                {g.valueFen === null ? null : <span className="block text-xs text-slate-600">{t(`partners.basis.${g.valuationBasis}`)}</span>}
              </td>
              <td className="p-3">
                {g.project ? (
                  <TextLink to={`/projects/${g.project.referenceNo}`}>{g.project.title}</TextLink>
                ) : g.forCharityShop ? (
                  `${localName(locale, g.area)} · ${t("partners.gift.shop")}`
                ) : (
                  localName(locale, g.area)
                )}
              </td>
              {action ? <td className="p-3">{action(g)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type CommunityPartnersView = {
  units: { id: string; name: string; since: string; inKind: InKindSum; wishes: number; adopted: { referenceNo: string; title: string }[] }[];
  inKind: InKindSum;
  gifts: GiftView[];
};

/** A community's public page: its partner units and what they gave, labelled in-kind. */
export function CommunityPartnersSection({ partners, code, official }: { partners: CommunityPartnersView; code: string; official: boolean }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Section id="partners-h" title={t("partners.community.title")} note={t("partners.community.hint")} testId="community-partners">
      {official ? (
        <p className="text-sm">
          <TextLink to={`/areas/${code}/partners`}>{t("partners.community.manage")} →</TextLink>
        </p>
      ) : null}
      {partners.units.length === 0 ? (
        <EmptyState>{t("partners.community.empty")}</EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {partners.units.map((u) => (
            <li key={u.id} className="space-y-1 rounded-lg bg-white p-4 shadow-sm" data-testid="community-partner">
              <TextLink to={`/partners/${u.id}`} className="font-medium">
                {u.name}
              </TextLink>
              <p className="text-sm text-slate-600">{t("partners.pairing.since", { from: u.since })}</p>
              <InKindTotals totals={u.inKind} />
              {u.wishes ? <p className="text-sm">{t("partners.community.wishes", { count: formatNumber(locale, u.wishes) })}</p> : null}
              {u.adopted.length ? (
                <p className="text-sm">
                  {t("partners.community.adopted")}{" "}
                  {u.adopted.map((p, i) => (
                    <span key={p.referenceNo}>
                      {i ? "、" : ""}
                      <TextLink to={`/projects/${p.referenceNo}`}>{p.title}</TextLink>
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {partners.gifts.length ? (
        <>
          <h3 className="text-lg font-semibold">{t("partners.community.gifts")}</h3>
          <InKindTotals totals={partners.inKind} />
          <GiftTable gifts={partners.gifts} />
        </>
      ) : null}
    </Section>
  );
}

export type ProjectPartnersView = {
  adoptions: { id: string; name: string; adoptedOn: string; note: string }[];
  gifts: GiftView[];
  inKind: InKindSum;
};

/** A project's public page: the partner units that adopted it and the in-kind gifts it received (not in its money). */
export function ProjectPartnersSection({ partners }: { partners: ProjectPartnersView }) {
  const t = useT();
  if (partners.adoptions.length === 0 && partners.gifts.length === 0) return null;
  return (
    <Section id="project-partners-h" title={t("partners.project.title")} note={t("partners.project.hint")} testId="project-partners">
      {partners.adoptions.length ? (
        <ul className="space-y-1">
          {partners.adoptions.map((a) => (
            <li key={a.id}>
              {t("partners.project.adoptedBy")} <TextLink to={`/partners/${a.id}`}>{a.name}</TextLink> <span className="text-sm text-slate-600">{t("partners.public.adoptedOn", { date: a.adoptedOn })}</span>
              {a.note ? <span className="block text-sm text-slate-700">{a.note}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {partners.gifts.length ? (
        <>
          <InKindTotals totals={partners.inKind} />
          <GiftTable gifts={partners.gifts} />
        </>
      ) : null}
    </Section>
  );
}
