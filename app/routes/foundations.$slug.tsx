import { data, Link } from "react-router";
import type { Route } from "./+types/foundations.$slug";
import { EmptyState, PageTitle, Pagination, PerPage } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, namedMeta } from "~/lib/names";
import { foundationDetail } from "~/services/foundations.server";

export async function loader({ params, request }: Route.LoaderArgs) {
  const search = new URL(request.url).searchParams;
  const detail = await foundationDetail(params.slug, search.get("page"), search.get("per"));
  if (!detail) throw data(null, { status: 404 });
  return detail;
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => namedMeta(matches, loaderData?.foundation);

export default function FoundationPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundation: f, balanceFen, transactions, total, page, pages, per, perOptions } = loaderData;
  const kindLabel = (kind: string) => {
    const key = `ledger.kind.${kind}`;
    const label = t(key);
    return label === key ? kind : label;
  };
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="text-sm">
        <Link to="/foundations" className="text-brand-700 underline">
          {t("foundations.title")}
        </Link>
      </nav>
      <PageTitle
        sub={
          <Link to={`/areas/${f.area.code}`} className="underline-offset-4 hover:underline">
            {localName(locale, f.area)}
          </Link>
        }
      >
        {localName(locale, f)}
      </PageTitle>

      <div className="grid gap-4 sm:grid-cols-3">
        <p className="rounded-lg bg-white p-5 shadow-sm sm:col-span-2">{locale === "en" ? f.descriptionEn : f.descriptionZh}</p>
        <dl className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <div>
            <dt className="text-sm text-slate-600">{t("foundations.available")}</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="foundation-balance">
              {formatFen(balanceFen)}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">{t("foundations.filing")}</dt>
            <dd className="text-sm">
              {f.fundraisingFilingNo ? (
                <>
                  {f.fundraisingFilingNo}
                  {f.fundraisingEntity ? <span className="block text-slate-600">{t("foundations.entity", { entity: f.fundraisingEntity })}</span> : null}
                </>
              ) : (
                <>
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("foundations.directed")}</span>
                  <span className="mt-1 block text-slate-600">{t("foundations.directedHint")}</span>
                </>
              )}
            </dd>
          </div>
        </dl>
      </div>

      <section aria-labelledby="tx-h" className="space-y-3">
        <h2 id="tx-h" className="text-xl font-semibold">
          {t("foundations.transactions")}
          <span className="ml-2 text-sm font-normal text-slate-600">{t("foundations.transactions.count", { count: total })}</span>
        </h2>
        {transactions.length === 0 ? (
          <EmptyState title={t("foundations.transactions.empty")} />
        ) : (
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">{t("foundations.col.date")}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{t("foundations.col.description")}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{t("foundations.col.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {transactions.map((tx) => (
                  <tr key={tx.id} className="border-b border-slate-100 align-top last:border-0">
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(locale, tx.occurredAt, false)}</td>
                    <td className="px-3 py-2">
                      <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{kindLabel(tx.kind)}</span>
                      {tx.memo}
                    </td>
                    <td className={`whitespace-nowrap px-3 py-2 text-right font-medium tabular-nums ${tx.amountFen < 0 ? "text-red-800" : "text-emerald-800"}`}>
                      {tx.amountFen > 0 ? "+" : ""}
                      {formatFen(tx.amountFen)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          {total > perOptions[0] ? <PerPage per={per} sizes={perOptions} /> : <span />}
        </div>
        <Pagination page={page} pages={pages} />
      </section>
    </div>
  );
}
