import { Link } from "react-router";
import type { Route } from "./+types/projects";
import { cell, DataTable, EmptyState, PageTitle, Pagination, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterInput, FilterSelect, useCommunityGroups } from "~/components/ui/filters";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { PUBLIC_PROJECT_STATUSES } from "~/services/public/access.server";
import { listPublicProjects, parsePublicProjectQuery, publicProjectFilters } from "~/services/public/project-public.server";

/** Every funded project (两公开): public, without signing in. */
export async function loader({ request }: Route.LoaderArgs) {
  const query = parsePublicProjectQuery(new URL(request.url).searchParams);
  const [list, filters] = await Promise.all([listPublicProjects(query), publicProjectFilters()]);
  return { query, list, filters, statuses: PUBLIC_PROJECT_STATUSES };
}

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageMeta(matches, "projectPublic.list.title"),
  // public on purpose; keep no cached copies after a correction, and photos out of image search
  { name: "robots", content: "noarchive, noimageindex" },
];

export default function Projects({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const communityGroups = useCommunityGroups();
  const { query, list, filters, statuses } = loaderData;
  const filtered = !!(query.round || query.community || query.status || query.q);
  return (
    <div>
      <PageTitle sub={t("projectPublic.list.subtitle")}>{t("projectPublic.list.title")}</PageTitle>

      <FilterBar label={t("projectPublic.filters")} idPrefix="projects" values={query} className="mb-6 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5">
        <FilterInput name="q" label={t("projectPublic.filter.q")} placeholder={t("projectPublic.filter.qPlaceholder")} maxLength={50} className="lg:col-span-2" />
        <FilterSelect name="round" label={t("projectPublic.filter.round")} allLabel={t("projectPublic.filter.allRounds")} options={filters.rounds.map((r) => ({ value: r.code, label: `${r.code} ${roundTitle(locale, r)}` }))} />
        <FilterSelect name="community" label={t("projectPublic.filter.community")} allLabel={t("projectPublic.filter.allCommunities")} groups={communityGroups(filters.groups, "projectPublic.filter.wholeSubdistrict")} />
        <FilterSelect name="status" label={t("projectPublic.filter.status")} allLabel={t("projectPublic.filter.allStatuses")} options={statuses.map((s) => ({ value: s, label: t(`projectPublic.status.${s}`) }))} />
        <FilterActions apply={t("projectPublic.filter.apply")} clear={t("projectPublic.filter.clear")} clearTo={filtered ? "/projects" : null} className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5" />
      </FilterBar>

      <p className="mb-3 text-sm text-slate-700" data-testid="projects-total" aria-live="polite">
        {t("projectPublic.list.total", { count: list.total })}
      </p>
      <DataTable
        testId="projects-table"
        headers={["reference", "title", "organization", "community", "round", "award", "status", "released"].map((k) => t(`projectPublic.col.${k}`))}
        empty={list.items.length === 0 && <EmptyState title={t("projectPublic.list.empty")}>{t("projectPublic.list.emptyHint")}</EmptyState>}
      >
        {list.items.map((p) => (
          <tr key={p.referenceNo} data-testid={`project-${p.referenceNo}`}>
            <td className={`${cell} font-mono whitespace-nowrap`}>{p.referenceNo}</td>
            <td className={cell}>
              <TextLink to={`/projects/${encodeURIComponent(p.referenceNo)}`}>{p.title}</TextLink>
            </td>
            <td className={cell}>{p.organization}</td>
            <td className={cell}>{p.community ? localName(locale, p.community) : "—"}</td>
            <td className={cell}>
              <Link to={`/rounds/${encodeURIComponent(p.round.code)}`} className="underline-offset-4 hover:underline">
                {roundTitle(locale, p.round)}
              </Link>
            </td>
            <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(p.awardFen)}</td>
            <td className={cell}>{t(`projectPublic.status.${p.status}`)}</td>
            <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(p.releasedFen)}</td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={list.page} pages={list.pages} />
    </div>
  );
}
