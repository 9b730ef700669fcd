import { Form, Link } from "react-router";
import type { Route } from "./+types/rounds.$code.proposals";
import { FilterSelect } from "~/components/filters";
import { EmptyState, PageTitle, Pagination, PerPage } from "~/components/ui";
import { categoryName } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { parseEligibleListQuery, SCREENING_PAGE_SIZES } from "~/domain/screening";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { publicEligibleList } from "~/services/screening.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  // public: no personal data and nothing but eligible proposals, and only once screening is over
  const query = parseEligibleListQuery(new URL(request.url).searchParams);
  return { query, list: await publicEligibleList(params.code, query) };
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData
    ? [{ title: `${loaderData.list.round.title} · ${pageMeta(matches, "screening.public.title")[0]!.title}` }]
    : pageMeta(matches, "screening.public.title");


export default function EligibleProposals({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { query, list } = loaderData;
  const r = list.round;
  return (
    <div>
      <nav className="mb-2 text-sm">
        <Link to={`/rounds/${r.code}`} className="text-brand-700 underline">
          {t("screening.public.backToRound")}
        </Link>
      </nav>
      <PageTitle sub={t("screening.public.subtitle", { round: r.title })}>{t("screening.public.title")}</PageTitle>

      {list.state === "notYet" ? (
        <p role="status" className="rounded border border-slate-300 bg-white p-4 text-slate-700" data-testid="eligible-not-yet">
          {t("screening.public.notYet")}
        </p>
      ) : list.state === "screening" ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-4 text-amber-950" data-testid="eligible-screening">
          <p className="font-semibold">{t("screening.public.inProgress")}</p>
          <p className="mt-1 text-sm">{t("screening.public.inProgressCount", { count: formatNumber(locale, list.submitted) })}</p>
        </div>
      ) : (
        <>
          <Form method="get" role="search" aria-label={t("screening.filters")} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3">
            <FilterSelect
              id="eligible-community"
              name="community"
              label={t("screening.filter.community")}
              value={query.community}
              allLabel={t("screening.filter.allCommunities")}
              options={list.communities.map((c) => ({ value: c.code, label: localName(locale, c) }))}
            />
            <FilterSelect
              id="eligible-category"
              name="category"
              label={t("screening.filter.category")}
              value={query.category}
              allLabel={t("screening.filter.allCategories")}
              options={list.categories.map((c) => ({ value: c.key, label: localName(locale, c) }))}
            />
            {query.per !== SCREENING_PAGE_SIZES[0] ? <input type="hidden" name="per" value={query.per} /> : null}
            <div className="flex items-end">
              <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
                {t("screening.filter.apply")}
              </button>
            </div>
          </Form>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" data-testid="eligible-total">
              {t("screening.public.total", { count: formatNumber(locale, list.total), amount: formatFen(list.totalFen) })}
            </p>
            <PerPage per={list.per} sizes={SCREENING_PAGE_SIZES} />
          </div>
          {list.items.length === 0 ? (
            <EmptyState title={t("screening.public.empty")} />
          ) : (
            <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
              <table className="w-full text-left text-sm" data-testid="eligible-table">
                <caption className="sr-only">{t("screening.public.title")}</caption>
                <thead className="border-b border-slate-200 text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">{t("screening.col.reference")}</th>
                    <th scope="col" className="px-3 py-2">{t("screening.col.title")}</th>
                    <th scope="col" className="px-3 py-2">{t("screening.col.organization")}</th>
                    <th scope="col" className="px-3 py-2">{t("screening.col.community")}</th>
                    <th scope="col" className="px-3 py-2">{t("screening.col.category")}</th>
                    <th scope="col" className="px-3 py-2 text-right">{t("screening.col.amount")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.items.map((p) => (
                    <tr key={p.referenceNo}>
                      <td className="px-3 py-2 whitespace-nowrap tabular-nums">{p.referenceNo}</td>
                      <td className="px-3 py-2">{p.title}</td>
                      <td className="px-3 py-2">{p.organization}</td>
                      <td className="px-3 py-2">{p.community ? localName(locale, p.community) : ""}</td>
                      <td className="px-3 py-2">{categoryName(list.categories, p.category, locale)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{p.requested}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={list.page} pages={list.pages} />
        </>
      )}
    </div>
  );
}
