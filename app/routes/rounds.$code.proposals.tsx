import { Form, Link } from "react-router";
import type { Route } from "./+types/rounds.$code.proposals";
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

const selectClass = "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900";

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
            <div>
              <label htmlFor="eligible-community" className="block text-sm font-medium text-slate-800">
                {t("screening.filter.community")}
              </label>
              <select id="eligible-community" name="community" defaultValue={query.community ?? ""} className={selectClass}>
                <option value="">{t("screening.filter.allCommunities")}</option>
                {list.communities.map((c) => (
                  <option key={c.code} value={c.code}>
                    {localName(locale, c)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="eligible-category" className="block text-sm font-medium text-slate-800">
                {t("screening.filter.category")}
              </label>
              <select id="eligible-category" name="category" defaultValue={query.category ?? ""} className={selectClass}>
                <option value="">{t("screening.filter.allCategories")}</option>
                {list.categories.map((c) => (
                  <option key={c.key} value={c.key}>
                    {locale === "en" ? c.nameEn : c.nameZh}
                  </option>
                ))}
              </select>
            </div>
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
