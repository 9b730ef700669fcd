import { data, Link } from "react-router";
import type { Route } from "./+types/foundations.$slug";
import { DonorWall, FundraisingStatus, useKindLabel } from "~/components/giving-public";
import { EmptyState, PageTitle, Pagination, PerPage } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, namedMeta } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { foundationPage } from "~/services/giving/foundation-pages.server";

export async function loader({ params, request }: Route.LoaderArgs) {
  const search = new URL(request.url).searchParams;
  const viewer = await getViewer(request);
  const page = await foundationPage(params.slug, { page: search.get("page"), per: search.get("per"), donors: search.get("donors") }, viewer);
  if (!page) throw data(null, { status: 404 });
  return page;
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => namedMeta(matches, loaderData?.foundation);

type Data = Route.ComponentProps["loaderData"];

const card = "rounded-lg bg-white p-4 shadow-sm sm:p-5";
const th = "px-3 py-2 font-medium";
const td = "px-3 py-2";
const num = "px-3 py-2 text-right tabular-nums whitespace-nowrap";

/** One line of the flows tables: label and signed amount. Rows are plain `<tr>` (the bench counts movement rows). */
function FlowRow({ label, fen, strong, testId }: { label: string; fen: number; strong?: boolean; testId?: string }) {
  return (
    <tr>
      <th scope="row" className={`${td} text-left ${strong ? "font-semibold" : "font-normal"}`}>
        {label}
      </th>
      <td className={`${num} ${strong ? "font-semibold" : ""}`} data-testid={testId}>
        {formatFen(fen)}
      </td>
    </tr>
  );
}

function Balance({ summary }: { summary: Data["summary"] }) {
  const t = useT();
  return (
    <section aria-labelledby="balance-h" className="space-y-3">
      <h2 id="balance-h" className="text-xl font-semibold">
        {t("foundationPage.balance.title")}
      </h2>
      <div className="grid gap-4 sm:grid-cols-3">
        <dl className={`${card} space-y-3 sm:col-span-2`}>
          <div>
            <dt className="text-sm text-slate-600">{t("foundationPage.balance.total")}</dt>
            <dd className="text-3xl font-semibold tabular-nums" data-testid="foundation-balance">
              {formatFen(summary.balanceFen)}
            </dd>
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <dt className="text-sm text-slate-600">{t("foundationPage.balance.available")}</dt>
              <dd className="text-xl font-medium tabular-nums" data-testid="foundation-available">
                {formatFen(summary.availableFen)}
              </dd>
              <dd className="text-xs text-slate-600">{t("foundationPage.balance.availableHint")}</dd>
            </div>
            <div>
              <dt className="text-sm text-slate-600">{t("foundationPage.balance.earmarked")}</dt>
              <dd className="text-xl font-medium tabular-nums" data-testid="foundation-earmarked">
                {formatFen(summary.earmarkedFen)}
              </dd>
              <dd className="text-xs text-slate-600">{t("foundationPage.balance.earmarkedHint")}</dd>
            </div>
          </div>
          {summary.earmarks.some((e) => e.balanceFen !== 0) ? (
            <div>
              <dt className="sr-only">{t("foundationPage.balance.earmarkList")}</dt>
              <dd>
                <ul className="space-y-1 text-sm">
                  {summary.earmarks
                    .filter((e) => e.balanceFen !== 0)
                    .map((e) => (
                      <li key={e.ownerId} className="flex flex-wrap justify-between gap-2">
                        <span>
                          {e.target === "project" && e.code ? (
                            <Link to={`/projects/${encodeURIComponent(e.code)}`} className="text-brand-700 underline">
                              {t("foundationPage.balance.earmarkProject", { target: `${e.code} ${e.title ?? ""}` })}
                            </Link>
                          ) : e.code ? (
                            <Link to={`/rounds/${encodeURIComponent(e.code)}`} className="text-brand-700 underline">
                              {t("foundationPage.balance.earmarkRound", { target: e.title ?? e.code })}
                            </Link>
                          ) : (
                            t("foundationPage.balance.earmarkUnknown")
                          )}
                        </span>
                        <span className="tabular-nums">{formatFen(e.balanceFen)}</span>
                      </li>
                    ))}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
        <dl className={`${card} space-y-3`}>
          <div>
            <dt className="text-sm text-slate-600">{t("foundationPage.balance.pools")}</dt>
            <dd className="text-xl font-medium tabular-nums" data-testid="foundation-pools">
              {formatFen(summary.matchingPoolsFen)}
            </dd>
            <dd className="text-xs text-slate-600">{t("foundationPage.balance.poolsHint")}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">{t("foundationPage.balance.downstream")}</dt>
            <dd className="text-sm tabular-nums">
              {t("foundationPage.balance.downstreamDetail", {
                pools: formatFen(summary.roundPoolsHeldFen),
                committed: formatFen(summary.committedHeldFen),
                paid: formatFen(summary.paidOutFen),
              })}
            </dd>
          </div>
        </dl>
      </div>
      <p className="text-sm text-slate-600">{t("foundationPage.balance.fromLedger")}</p>
    </section>
  );
}

function Flows({ summary }: { summary: Data["summary"] }) {
  const t = useT();
  const f = summary.flows;
  return (
    <section aria-labelledby="flows-h" className="space-y-3">
      <h2 id="flows-h" className="text-xl font-semibold">
        {t("foundationPage.flows.title")}
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        <div className={`${card} overflow-x-auto`}>
          <table className="w-full text-sm" data-testid="inflows">
            <caption className="pb-2 text-left font-semibold">{t("foundationPage.flows.in")}</caption>
            <tbody className="divide-y divide-slate-100">
              <FlowRow label={t("foundationPage.flows.donations")} fen={f.donationsFen} />
              <FlowRow label={t("foundationPage.flows.refunds")} fen={f.refundsFen} />
              <FlowRow label={t("foundationPage.flows.matches")} fen={f.matchesFen} />
              <FlowRow label={t("foundationPage.flows.matchReturns")} fen={f.matchReturnsFen} />
              <FlowRow label={t("foundationPage.flows.appropriations")} fen={f.appropriationsFen} />
              <FlowRow label={t("foundationPage.flows.inNet")} fen={f.inflowFen} strong testId="inflow-net" />
            </tbody>
          </table>
        </div>
        <div className={`${card} overflow-x-auto`}>
          <table className="w-full text-sm" data-testid="outflows">
            <caption className="pb-2 text-left font-semibold">{t("foundationPage.flows.out")}</caption>
            <tbody className="divide-y divide-slate-100">
              <FlowRow label={t("foundationPage.flows.roundPools")} fen={f.roundPoolsFen} />
              <FlowRow label={t("foundationPage.flows.roundPoolReturns")} fen={-f.roundPoolReturnsFen} />
              <FlowRow label={t("foundationPage.flows.outNet")} fen={f.outflowFen} strong testId="outflow-net" />
              {f.projectReturnsFen !== 0 ? <FlowRow label={t("foundationPage.flows.projectReturns")} fen={f.projectReturnsFen} /> : null}
              {f.otherFen !== 0 ? <FlowRow label={t("foundationPage.flows.other")} fen={f.otherFen} /> : null}
            </tbody>
          </table>
          <p className="mt-3 text-sm text-slate-700" data-testid="balance-identity">
            {t(f.projectReturnsFen !== 0 || f.otherFen !== 0 ? "foundationPage.flows.identityReturns" : "foundationPage.flows.identity", {
              in: formatFen(f.inflowFen),
              out: formatFen(f.outflowFen),
              back: formatFen(f.projectReturnsFen + f.otherFen),
              balance: formatFen(summary.balanceFen),
            })}
          </p>
        </div>
      </div>
      {summary.years.length > 1 ? (
        <details className={card}>
          <summary className="cursor-pointer font-medium">{t("foundationPage.years.title")}</summary>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-sm" data-testid="years">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className={`${th} text-left`}>{t("foundationPage.years.year")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("foundationPage.flows.inNet")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("foundationPage.flows.outNet")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("foundationPage.years.net")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {summary.years.map((y) => (
                  <tr key={y.year}>
                    <th scope="row" className={`${td} text-left font-normal tabular-nums`}>{y.year}</th>
                    <td className={num}>{formatFen(y.inflowFen)}</td>
                    <td className={num}>{formatFen(y.outflowFen)}</td>
                    <td className={num}>{formatFen(y.netFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}

function Rounds({ rounds }: { rounds: Data["summary"]["rounds"] }) {
  const t = useT();
  if (rounds.length === 0) return null;
  return (
    <section aria-labelledby="rounds-h" className="space-y-3">
      <h2 id="rounds-h" className="text-xl font-semibold">
        {t("foundationPage.rounds.title")}
      </h2>
      <p className="text-sm text-slate-600">{t("foundationPage.rounds.hint")}</p>
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
        <table className="w-full text-sm" data-testid="rounds">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className={`${th} text-left`}>{t("foundationPage.rounds.round")}</th>
              <th scope="col" className={`${th} text-right`}>{t("foundationPage.rounds.pooled")}</th>
              <th scope="col" className={`${th} text-right`}>{t("foundationPage.rounds.committed")}</th>
              <th scope="col" className={`${th} text-right`}>{t("foundationPage.rounds.paid")}</th>
              <th scope="col" className={`${th} text-right`}>{t("foundationPage.rounds.inPool")}</th>
              <th scope="col" className={`${th} text-right`}>{t("foundationPage.rounds.unpaid")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rounds.map((r) => (
              <tr key={r.id}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <Link to={`/rounds/${encodeURIComponent(r.code)}`} className="text-brand-700 underline">
                    {r.title}
                  </Link>{" "}
                  <span className="text-xs text-slate-600">{r.code}</span>
                </th>
                <td className={num}>{formatFen(r.pooledFen)}</td>
                <td className={num}>{formatFen(r.committedFen)}</td>
                <td className={num}>{formatFen(r.paidFen)}</td>
                <td className={num}>{formatFen(r.poolBalanceFen)}</td>
                <td className={num}>{formatFen(r.unpaidFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Campaigns({ campaigns }: { campaigns: Data["campaigns"] }) {
  const t = useT();
  const locale = useLocale();
  if (campaigns.length === 0) return null;
  return (
    <section aria-labelledby="campaigns-h" className="space-y-3">
      <h2 id="campaigns-h" className="text-xl font-semibold">
        {t("foundationPage.campaigns.title")}
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2" data-testid="campaigns">
        {campaigns.map((c) => (
          <li key={c.slug} className={card}>
            <p className="flex flex-wrap items-center gap-2">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${c.phase === "open" ? "bg-emerald-100 text-emerald-900" : c.phase === "upcoming" ? "bg-sky-100 text-sky-900" : "bg-slate-100 text-slate-700"}`}>
                {t(`givingPublic.phase.${c.phase}`)}
              </span>
              <Link to={`/campaigns/${c.slug}`} className="font-semibold text-brand-700 underline-offset-4 hover:underline">
                {locale === "en" ? c.titleEn : c.titleZh}
              </Link>
            </p>
            <p className="mt-1 text-sm text-slate-700">
              {t("givingPublic.campaign.sponsorRatio", { sponsor: c.sponsorName, ratio: `${c.ratioSponsor}:${c.ratioDonor}` })}
            </p>
            <p className="text-sm text-slate-600">
              {formatDateTime(locale, c.startsAt, false)} – {formatDateTime(locale, c.endsAt, false)} · {t("givingPublic.campaign.remaining", { amount: formatFen(c.remainingFen) })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function FoundationPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const kindLabel = useKindLabel();
  const { foundation: f, summary, transactions, total, page, pages, per, perOptions } = loaderData;
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="text-sm">
        <Link to="/foundations" className="text-brand-700 underline">
          {t("foundations.title")}
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle
          sub={
            <Link to={`/areas/${f.area.code}`} className="underline-offset-4 hover:underline">
              {localName(locale, f.area)}
            </Link>
          }
        >
          {localName(locale, f)}
        </PageTitle>
        <div className="flex flex-wrap items-center gap-3">
          {loaderData.manages ? (
            <Link to={`/admin/foundations/${f.slug}`} className="rounded border border-brand-700 px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50" data-testid="manage-link">
              {t("foundationPage.manage")}
            </Link>
          ) : null}
          <Link
            to={`/foundations/${f.slug}/donate`}
            className="rounded-lg bg-brand-700 px-6 py-3 text-lg font-semibold text-white shadow hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
            data-testid="give-button"
          >
            {t("givingPublic.give")}
          </Link>
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        <p className={`${card} whitespace-pre-line sm:col-span-2`}>{locale === "en" ? f.descriptionEn : f.descriptionZh}</p>
        <div className={card}>
          <h2 className="mb-2 text-sm font-semibold text-slate-700">{t("givingPublic.filing.title")}</h2>
          <FundraisingStatus status={loaderData.fundraising} />
        </div>
      </div>

      <Balance summary={summary} />
      <Flows summary={summary} />
      <Rounds rounds={summary.rounds} />
      <Campaigns campaigns={loaderData.campaigns} />
      <DonorWall donors={loaderData.donors} param="donors" headingId="donors-h" />

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
                  <th scope="col" className={th}>{t("foundations.col.date")}</th>
                  <th scope="col" className={th}>{t("foundations.col.description")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("foundations.col.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {transactions.map((tx) => (
                  <tr key={tx.id} className="border-b border-slate-100 align-top last:border-0">
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(locale, tx.occurredAt, false)}</td>
                    <td className="px-3 py-2">
                      <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{kindLabel(tx.kind)}</span>
                      {tx.earmarked ? <span className="mr-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">{t("foundationPage.tx.earmarked")}</span> : null}
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
