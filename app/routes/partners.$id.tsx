import type { Route } from "./+types/partners.$id";
import { GiftTable, InKindTotals } from "~/components/partners";
import { WishStatusBadge } from "~/components/wish";
import { EmptyState, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatHours, type WishStatus } from "~/domain/volunteers";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { publicUnit } from "~/services/partners/partners.server";

/**
 * A partner unit's public page: who it is (never its contact), the communities it is paired
 * with, the money its sponsored matching campaigns gave, and — labelled in-kind, never added to
 * money — the goods and services it gave, the small wishes it took and the projects it adopted.
 */
export async function loader({ params }: Route.LoaderArgs) {
  return publicUnit(params.id);
}

export const meta: Route.MetaFunction = ({ data }) => (data ? [{ title: data.unit.name }] : []);

export default function PartnerUnitPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const matchedFen = d.campaigns.reduce((s, c) => s + c.matchedFen, 0);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageTitle sub={t("partners.public.subtitle")}>{d.unit.name}</PageTitle>
      {d.unit.intro ? <p className="whitespace-pre-line text-slate-800">{d.unit.intro}</p> : null}
      <p className="text-sm text-slate-600">
        {t("partners.field.uscc")}: <span className="font-mono">{d.unit.uscc}</span>
      </p>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label={t("partners.public.matched")} value={formatFen(matchedFen)} />
        <Stat label={t("partners.public.inKind")} value={formatFen(d.inKind.valuedFen)} testId="unit-in-kind" />
        <Stat label={t("partners.public.wishes")} value={formatNumber(locale, d.wishes.length)} />
        <Stat label={t("partners.public.hours")} value={t("volunteers.hours", { hours: formatHours(d.minutes) })} />
      </dl>

      <Section id="pairings-h" title={t("partners.public.pairings")}>
        {d.pairings.length === 0 ? (
          <EmptyState>{t("partners.public.noPairings")}</EmptyState>
        ) : (
          <ul className="space-y-1">
            {d.pairings.map((p) => (
              <li key={`${p.area.code}-${p.startsOn}`}>
                <TextLink to={`/areas/${p.area.code}`}>{localName(locale, p.area)}</TextLink>{" "}
                <span className="text-sm text-slate-600">{p.endedOn ? t("partners.pairing.ended", { from: p.startsOn, to: p.endedOn }) : t("partners.pairing.since", { from: p.startsOn })}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="money-h" title={t("partners.public.money")} note={t("partners.public.moneyHint")}>
        {d.campaigns.length === 0 ? (
          <EmptyState>{t("partners.public.noCampaigns")}</EmptyState>
        ) : (
          <ul className="space-y-1">
            {d.campaigns.map((c) => (
              <li key={c.slug} className="flex flex-wrap justify-between gap-2">
                <TextLink to={`/campaigns/${c.slug}`}>{locale === "en" ? c.titleEn : c.titleZh}</TextLink>
                <span className="tabular-nums">{t("partners.public.matchedIn", { amount: formatFen(c.matchedFen) })}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="in-kind-h" title={t("partners.public.gifts")} note={t("partners.public.giftsHint")} testId="unit-gifts">
        <InKindTotals totals={d.inKind} />
        <GiftTable gifts={d.gifts} showGiver={false} />
      </Section>

      <Section id="wishes-h" title={t("partners.public.wishList")}>
        {d.wishes.length === 0 ? (
          <EmptyState>{t("partners.public.noWishes")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {d.wishes.map((w) => (
              <li key={w.number} className="flex flex-wrap items-center gap-3 p-3">
                <TextLink to={`/needs/${w.number}/wish`}>{w.title}</TextLink>
                <WishStatusBadge status={w.status as WishStatus} />
                <span className="text-sm text-slate-600">{localName(locale, w.area)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="adopted-h" title={t("partners.public.adopted")}>
        {d.adoptions.length === 0 ? (
          <EmptyState>{t("partners.public.noAdoptions")}</EmptyState>
        ) : (
          <ul className="space-y-1">
            {d.adoptions.map((a) => (
              <li key={a.referenceNo}>
                <TextLink to={`/projects/${a.referenceNo}`}>{a.title}</TextLink> <span className="text-sm text-slate-600">{t("partners.public.adoptedOn", { date: a.adoptedOn })}</span>
                {a.note ? <span className="block text-sm text-slate-700">{a.note}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
