import type { Route } from "./+types/needs";
import { NeedCard, useCategoryName } from "~/components/need-card";
import { ButtonLink, EmptyState, NumberedPager, PageTitle, PerPage, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterInput, FilterSelect, KeepParam, useCommunityGroups } from "~/components/ui/filters";
import { NEED_CATEGORIES } from "~/domain/categories";
import { NEED_PAGE_SIZES, NEED_SORTS, NEED_STATUSES, parseNeedListQuery } from "~/domain/needs";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { listNeeds, publicNeedAreaGroups } from "~/services/needs/needs.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const query = parseNeedListQuery(new URL(request.url).searchParams);
  const [list, groups] = await Promise.all([listNeeds(query, viewer?.id ?? null), publicNeedAreaGroups(context?.publicDataVersion)]);
  return { query, list, groups: groups.map(({ communities, ...g }) => ({ ...g, communities: communities.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })) })), signedIn: !!viewer };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "needs.title");

export default function Needs({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const category = useCategoryName();
  const communityGroups = useCommunityGroups();
  const locale = useLocale();
  const { query, list, groups, signedIn } = loaderData;
  const filtered = !!(query.community || query.category || query.status || query.q || query.round);
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle sub={t("needs.subtitle")}>{list.round ? t("needs.roundTopics", { round: roundTitle(locale, list.round) }) : t("needs.title")}</PageTitle>
        <ButtonLink to="/needs/new">{t("needs.post")}</ButtonLink>
      </div>
      {list.round ? (
        <p className="mb-4 text-sm">
          <TextLink to={`/rounds/${list.round.code}`}>{t("needs.roundTopics.back")}</TextLink>
        </p>
      ) : null}
      {list.unknownRound ? (
        <p role="status" className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {t("needs.unknownRound")}
        </p>
      ) : null}

      <FilterBar label={t("needs.filters")} idPrefix="needs" values={query} className="mb-6 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6">
        <FilterInput name="q" label={t("needs.filter.q")} placeholder={t("needs.filter.qPlaceholder")} maxLength={50} className="lg:col-span-2" />
        <FilterSelect name="community" label={t("needs.filter.community")} allLabel={t("needs.filter.allCommunities")} groups={communityGroups(groups, "needs.filter.wholeSubdistrict")} />
        <FilterSelect name="category" label={t("needs.filter.category")} allLabel={t("needs.filter.allCategories")} options={NEED_CATEGORIES.map((c) => ({ value: c, label: category(c) }))} />
        <FilterSelect name="status" label={t("needs.filter.status")} allLabel={t("needs.filter.allStatuses")} options={NEED_STATUSES.map((s) => ({ value: s, label: t(`needs.status.${s}`) }))} />
        <FilterSelect name="sort" label={t("needs.filter.sort")} options={NEED_SORTS.map((s) => ({ value: s, label: t(`needs.sort.${s}`) }))} />
        <KeepParam name="round" value={query.round} />
        <KeepParam name="per" value={query.per !== NEED_PAGE_SIZES[0] ? query.per : null} />
        <FilterActions apply={t("needs.filter.apply")} clear={t("needs.filter.clear")} clearTo={filtered ? "/needs" : null} className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-6" />
      </FilterBar>

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" data-testid="needs-total" aria-live="polite">
          {t("needs.total", { count: list.total })}
        </p>
        <PerPage per={list.per} sizes={NEED_PAGE_SIZES} />
      </div>
      {list.ownCommunity && list.items.some((n) => n.own) ? (
        <p className="mb-3 text-sm text-slate-700" data-testid="own-community-first">
          {t("needs.ownCommunityFirst", { community: localName(locale, list.ownCommunity) })}
        </p>
      ) : null}
      {list.items.length === 0 ? (
        <EmptyState title={t("needs.empty")}>
          {t("needs.emptyHint")}{" "}
          <TextLink to="/needs/new">{t("needs.post")}</TextLink>
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {list.items.map((n) => (
            <NeedCard key={n.number} need={n} signedIn={signedIn} />
          ))}
        </ul>
      )}
      <NumberedPager pager={list.pager} />
    </div>
  );
}
