import { Form, Link } from "react-router";
import type { Route } from "./+types/needs";
import { NeedCard, useCategoryName } from "~/components/need-card";
import { EmptyState, PageTitle, Pagination, PerPage } from "~/components/ui";
import { NEED_CATEGORIES } from "~/domain/categories";
import { NEED_PAGE_SIZES, NEED_SORTS, NEED_STATUSES, parseNeedListQuery } from "~/domain/needs";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { listNeeds, needAreaGroups } from "~/services/needs.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const query = parseNeedListQuery(new URL(request.url).searchParams);
  const [list, groups] = await Promise.all([listNeeds(query, viewer?.id ?? null), needAreaGroups()]);
  return { query, list, groups: groups.map(({ communities, ...g }) => ({ ...g, communities: communities.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })) })), signedIn: !!viewer };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "needs.title");

const selectClass = "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900";

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
        <Link to="/needs/new" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          {t("needs.post")}
        </Link>
      </div>
      {list.round ? (
        <p className="mb-4 text-sm">
          <Link to={`/rounds/${list.round.code}`} className="text-brand-700 underline">
            {t("needs.roundTopics.back")}
          </Link>
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
        <div>
          <label htmlFor="needs-community" className="block text-sm font-medium text-slate-800">
            {t("needs.filter.community")}
          </label>
          <select id="needs-community" name="community" defaultValue={query.community ?? ""} className={selectClass}>
            <option value="">{t("needs.filter.allCommunities")}</option>
            {groups.map((g) => (
              <optgroup key={g.code} label={localName(locale, g)}>
                <option value={g.code}>{t("needs.filter.wholeSubdistrict", { name: localName(locale, g) })}</option>
                {g.communities.map((c) => (
                  <option key={c.code} value={c.code}>
                    {localName(locale, c)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="needs-category" className="block text-sm font-medium text-slate-800">
            {t("needs.filter.category")}
          </label>
          <select id="needs-category" name="category" defaultValue={query.category ?? ""} className={selectClass}>
            <option value="">{t("needs.filter.allCategories")}</option>
            {NEED_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {category(c)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="needs-status" className="block text-sm font-medium text-slate-800">
            {t("needs.filter.status")}
          </label>
          <select id="needs-status" name="status" defaultValue={query.status ?? ""} className={selectClass}>
            <option value="">{t("needs.filter.allStatuses")}</option>
            {NEED_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`needs.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="needs-sort" className="block text-sm font-medium text-slate-800">
            {t("needs.filter.sort")}
          </label>
          <select id="needs-sort" name="sort" defaultValue={query.sort} className={selectClass}>
            {NEED_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`needs.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
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
          <Link to="/needs/new" className="text-brand-700 underline">
            {t("needs.post")}
          </Link>
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
