import { Form, Link } from "react-router";
import type { Route } from "./+types/needs";
import { FilterSelect, selectClass } from "~/components/filters";
import { NeedCard, useCategoryName } from "~/components/need-card";
import { ButtonLink, EmptyState, PageTitle, Pagination, PerPage, TextLink } from "~/components/ui";
import { NEED_CATEGORIES } from "~/domain/categories";
import { NEED_PAGE_SIZES, NEED_SORTS, NEED_STATUSES, parseNeedListQuery } from "~/domain/needs";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { listNeeds, needAreaGroups } from "~/services/needs/needs.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const query = parseNeedListQuery(new URL(request.url).searchParams);
  const [list, groups] = await Promise.all([listNeeds(query, viewer?.id ?? null), needAreaGroups()]);
  return { query, list, groups: groups.map(({ communities, ...g }) => ({ ...g, communities: communities.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })) })), signedIn: !!viewer };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "needs.title");

export default function Needs({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const category = useCategoryName();
  const { query, list, groups, signedIn } = loaderData;
  const filtered = !!(query.community || query.category || query.status || query.q || query.round);
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle sub={t("needs.subtitle")}>{list.round ? t("needs.roundTopics", { round: list.round.title }) : t("needs.title")}</PageTitle>
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

      <Form method="get" role="search" aria-label={t("needs.filters")} className="mb-6 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6">
        <div className="lg:col-span-2">
          <label htmlFor="needs-q" className="block text-sm font-medium text-slate-800">
            {t("needs.filter.q")}
          </label>
          <input id="needs-q" type="search" name="q" defaultValue={query.q} placeholder={t("needs.filter.qPlaceholder")} maxLength={50} className={selectClass} />
        </div>
        <FilterSelect
          id="needs-community"
          name="community"
          label={t("needs.filter.community")}
          value={query.community}
          allLabel={t("needs.filter.allCommunities")}
          groups={groups.map((g) => ({
            label: localName(locale, g),
            options: [
              { value: g.code, label: t("needs.filter.wholeSubdistrict", { name: localName(locale, g) }) },
              ...g.communities.map((c) => ({ value: c.code, label: localName(locale, c) })),
            ],
          }))}
        />
        <FilterSelect
          id="needs-category"
          name="category"
          label={t("needs.filter.category")}
          value={query.category}
          allLabel={t("needs.filter.allCategories")}
          options={NEED_CATEGORIES.map((c) => ({ value: c, label: category(c) }))}
        />
        <FilterSelect
          id="needs-status"
          name="status"
          label={t("needs.filter.status")}
          value={query.status}
          allLabel={t("needs.filter.allStatuses")}
          options={NEED_STATUSES.map((s) => ({ value: s, label: t(`needs.status.${s}`) }))}
        />
        <FilterSelect
          id="needs-sort"
          name="sort"
          label={t("needs.filter.sort")}
          value={query.sort}
          options={NEED_SORTS.map((s) => ({ value: s, label: t(`needs.sort.${s}`) }))}
        />
        {query.round ? <input type="hidden" name="round" value={query.round} /> : null}
        {query.per !== NEED_PAGE_SIZES[0] ? <input type="hidden" name="per" value={query.per} /> : null}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-6">
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
            {t("needs.filter.apply")}
          </button>
          {filtered ? (
            <Link to="/needs" className="text-sm text-slate-700 underline">
              {t("needs.filter.clear")}
            </Link>
          ) : null}
        </div>
      </Form>

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" data-testid="needs-total" aria-live="polite">
          {t("needs.total", { count: list.total })}
        </p>
        <PerPage per={list.per} sizes={NEED_PAGE_SIZES} />
      </div>
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
      <Pagination page={list.page} pages={list.pages} />
    </div>
  );
}
