import { data } from "react-router";
import type { Route } from "./+types/areas.$code";
import { LeafTable } from "~/components/area-table";
import { EmptyState, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, namedMeta } from "~/lib/names";
import { areaDetail } from "~/services/areas/areas.server";
import { PosterLinks } from "~/components/poster-links";
import { CommunityPartnersSection } from "~/components/partners";
import { getViewer } from "~/lib/session.server";
import { communityPartnersOf } from "~/services/partners/partners.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const detail = await areaDetail(params.code);
  if (!detail) throw data(null, { status: 404 });
  // a community's partner units (结对共建, ADR 040); its officials also get the link to manage them
  return { ...detail, partners: await communityPartnersOf(params.code, await getViewer(request)) };
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => namedMeta(matches, loaderData?.area);

export default function AreaPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { area, ancestors, organizations, foundations, life, partners } = loaderData;
  const isLeaf = area.level === "COMMUNITY" || area.level === "VILLAGE";
  const parent = ancestors[ancestors.length - 1];
  const facts: [string, string][] = isLeaf
    ? [
        ["areas.col.residents", area.residents === null ? "—" : formatNumber(locale, area.residents)],
        [area.level === "COMMUNITY" ? "areas.col.compounds" : "areas.col.villageGroups", area.subunits === null ? "—" : formatNumber(locale, area.subunits)],
        ["area.organizations", formatNumber(locale, organizations)],
      ]
    : [
        ["home.stats.communities", formatNumber(locale, area.totals.communities)],
        ["home.stats.villages", formatNumber(locale, area.totals.villages)],
        ["areas.col.residents", formatNumber(locale, area.totals.residents)],
        ["area.organizations", formatNumber(locale, organizations)],
      ];
  const leaves = area.children.filter((c) => c.level === "COMMUNITY" || c.level === "VILLAGE");
  const branches = area.children.filter((c) => c.level !== "COMMUNITY" && c.level !== "VILLAGE");
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="text-sm">
        <ol className="flex flex-wrap gap-1 text-slate-600">
          <li>
            <TextLink to="/areas">{t("areas.title")}</TextLink>
          </li>
          {ancestors.map((a) => (
            <li key={a.code}>
              <span aria-hidden="true"> / </span>
              <TextLink to={`/areas/${a.code}`}>{localName(locale, a)}</TextLink>
            </li>
          ))}
        </ol>
      </nav>
      <PageTitle sub={parent ? t("area.partOf", { level: t(`area.level.${area.level}`), parent: localName(locale, parent) }) : t(`area.level.${area.level}`)}>
        {localName(locale, area)}
      </PageTitle>
      {/* a community's or village's poster: "post a need" with its QR code, for the notice board */}
      {isLeaf ? <PosterLinks kind="need" slug={area.code} /> : null}

      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        {facts.map(([k, v]) => (
          <Stat key={k} label={t(k)} value={v} size="2xl" />
        ))}
      </dl>

      <AreaLife code={area.code} life={life} />

      {isLeaf ? (
        <p>
          <TextLink to={`/areas/${area.code}/deliberation`} className="font-medium">
            {t("deliberation.link")} →
          </TextLink>
        </p>
      ) : null}
      {isLeaf ? (
        <p>
          <TextLink to={`/areas/${area.code}/volunteers`} className="font-medium">
            {t("volunteers.link")} →
          </TextLink>
        </p>
      ) : null}

      <p>
        <TextLink to={`/areas/${area.code}/rankings`} className="font-medium" data-testid="area-rankings">
          {t("rankingNotice.listTitle")} →
        </TextLink>
      </p>
      <p>
        <TextLink to={`/areas/${area.code}/showcase`} className="font-medium" data-testid="area-showcase">
          {t("showcase.title")} →
        </TextLink>
      </p>

      {!isLeaf ? (
        <Section id="children-h" title={t("area.children")} className="space-y-4">
          {area.children.length === 0 ? <EmptyState title={t("areas.noChildren")} /> : null}
          {branches.length ? (
            <ul className="grid gap-3 sm:grid-cols-2">
              {branches.map((b) => (
                <li key={b.code} className="rounded-lg bg-white p-4 shadow-sm">
                  <TextLink to={`/areas/${b.code}`} className="font-medium">{localName(locale, b)}</TextLink>
                  <p className="mt-1 text-sm text-slate-700">
                    {t("areas.totals", {
                      communities: formatNumber(locale, b.totals.communities),
                      villages: formatNumber(locale, b.totals.villages),
                      residents: formatNumber(locale, b.totals.residents),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          ) : null}
          {leaves.length ? <LeafTable parent={area} leaves={leaves} /> : null}
        </Section>
      ) : null}

      <Section id="foundations-h" title={t("area.foundations")}>
        {foundations.length === 0 ? (
          <EmptyState title={t("area.foundations.empty")} />
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {foundations.map((f) => (
              <li key={f.slug} className="rounded-lg bg-white p-4 shadow-sm">
                <TextLink to={`/foundations/${f.slug}`} className="font-medium">{localName(locale, f)}</TextLink>
                <p className="mt-1 text-sm text-slate-600">{localName(locale, f.area)}</p>
                <p className="mt-2 text-sm">
                  {t("foundations.available")}: <span className="font-semibold tabular-nums">{formatFen(f.balanceFen)}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {partners ? <CommunityPartnersSection partners={partners} code={area.code} official={partners.official} /> : null}

      <Section id="orgs-h" title={t("area.organizations")}>
        {organizations === 0 ? (
          <EmptyState title={t("area.organizations.empty")}>
            <TextLink to="/organizations/new">{t("org.new.link")}</TextLink>
          </EmptyState>
        ) : (
          <p className="text-slate-700">
            {t("area.organizations.count", { count: formatNumber(locale, organizations) })}{" "}
            <TextLink to="/organizations/new">{t("org.new.link")}</TextLink>
          </p>
        )}
      </Section>
    </div>
  );
}

type Life = Route.ComponentProps["loaderData"]["life"];

/** What is happening in the area: a few needs, rounds and projects, each with its count and a link to the whole list, and the money. */
function AreaLife({ code, life }: { code: string; life: Life }) {
  const t = useT();
  const locale = useLocale();
  const card = "space-y-2 rounded-lg bg-white p-4 shadow-sm";
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="area-life">
      <Section id="life-needs-h" title={t("area.life.needs")} size="lg" className={card}>
        <p className="text-sm text-slate-700">{t("area.life.needs.count", { count: formatNumber(locale, life.needs.count) })}</p>
        {life.needs.items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("area.life.needs.empty")}</p>
        ) : (
          <ul className="space-y-1">
            {life.needs.items.map((n) => (
              <li key={n.number} className="flex flex-wrap justify-between gap-2">
                <TextLink to={`/needs/${n.number}`}>{n.title}</TextLink>
                <span className="text-sm tabular-nums text-slate-600">{t("area.life.votes", { count: formatNumber(locale, n.voteCount) })}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm">
          <TextLink to={`/needs?community=${code}`}>{t("area.life.needs.all")}</TextLink>
        </p>
      </Section>
      <Section id="life-rounds-h" title={t("area.life.rounds")} size="lg" className={card}>
        <p className="text-sm text-slate-700">{t("area.life.rounds.count", { count: formatNumber(locale, life.rounds.count) })}</p>
        {life.rounds.items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("area.life.rounds.empty")}</p>
        ) : (
          <ul className="space-y-1">
            {life.rounds.items.map((r) => (
              <li key={r.code} className="flex flex-wrap justify-between gap-2">
                <TextLink to={`/rounds/${r.code}`}>{r.title}</TextLink>
                <span className="text-sm text-slate-600">{t(`rounds.phase.${r.phase}`)}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm">
          <TextLink to="/rounds">{t("area.life.rounds.all")}</TextLink>
        </p>
      </Section>
      <Section id="life-projects-h" title={t("area.life.projects")} size="lg" className={card}>
        <p className="text-sm text-slate-700">{t("area.life.projects.count", { count: formatNumber(locale, life.projects.count) })}</p>
        {life.projects.items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("area.life.projects.empty")}</p>
        ) : (
          <ul className="space-y-1">
            {life.projects.items.map((p) => (
              <li key={p.referenceNo} className="flex flex-wrap justify-between gap-2">
                <TextLink to={`/projects/${p.referenceNo}`}>{p.title}</TextLink>
                <span className="text-sm tabular-nums text-slate-600">{formatFen(p.awardFen)}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm">
          <TextLink to={`/projects?community=${code}`}>{t("area.life.projects.all")}</TextLink>
        </p>
      </Section>
      <Section id="life-money-h" title={t("area.life.money")} size="lg" className={card}>
        <dl className="grid grid-cols-2 gap-4">
          <Stat label={t("area.life.money.awarded")} value={formatFen(life.money.awardedFen)} />
          <Stat label={t("area.life.money.released")} value={formatFen(life.money.releasedFen)} />
        </dl>
      </Section>
    </div>
  );
}
