import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/foundations.$slug";
import { getFormProps, SubmitButton, TextField, useZodForm } from "~/components/form";
import { DonorWall, FundraisingStatus, useKindLabel } from "~/components/giving-public";
import { AreaLink } from "~/components/area-table";
import { BackLink, EmptyState, ScrollArea, Fact, NumberedPager, PageTitle, PerPage, Section, Stat, TableHead, TextLink, TitleLink } from "~/components/ui";
import { CampaignProgress, MoneyFlowChart } from "~/components/charts";
import { CURSOR_PARAM, PAGE_PARAM } from "~/domain/keyset";
import { memoIn } from "~/domain/ledger";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, namedMeta, roundTitle, shareMeta, localeOf } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { foundationPage } from "~/services/giving/foundation-pages.server";
import { openWithCode } from "~/services/giving/invitations.server";
import { PosterLinks } from "~/components/poster-links";
import { ReportVersions } from "~/components/report-view";

export async function loader({ params, request }: Route.LoaderArgs) {
  const search = new URL(request.url).searchParams;
  const viewer = await getViewer(request);
  const page = await foundationPage(
    params.slug,
    { page: search.get(PAGE_PARAM), cursor: search.get(CURSOR_PARAM), per: search.get("per"), donors: search.get("donors"), donorsPage: search.get("donorsPage") },
    viewer,
  );
  if (!page) throw data(null, { status: 404 });
  return page;
}

/** "我有定向募捐码": a code handed to a defined group opens the donate page of a fund without a filing. */
const CodeSchema = z.object({ code: z.string({ error: "directed.error.unknown" }).trim().min(1, "directed.error.unknown").max(40, "directed.error.unknown") });

export async function action({ params, request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), CodeSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await openWithCode(params.slug, submission.value.code);
  if (r.ok) return redirect(r.path);
  return problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches, loaderData, location }) =>
  loaderData
    ? shareMeta(matches, {
        title: localName(localeOf(matches), loaderData.foundation),
        description: localeOf(matches) === "en" ? loaderData.foundation.descriptionEn : loaderData.foundation.descriptionZh,
        path: location.pathname,
      })
    : namedMeta(matches, undefined);

type Data = Route.ComponentProps["loaderData"];

const card = "rounded-lg bg-white p-4 shadow-sm sm:p-5";
const th = "px-3 py-2 font-medium";
const td = "px-3 py-2";
const num = "px-3 py-2 text-right tabular-nums whitespace-nowrap";
/** a part of the balance, under the total */
const part = "text-xl font-medium tabular-nums";

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
    <Section id="balance-h" title={t("foundationPage.balance.title")}>
      <div className="grid gap-4 sm:grid-cols-3">
        {/* a <dl> holds only its label-and-value groups: the row of two is a <dl> of its own */}
        <div className={`${card} space-y-3 sm:col-span-2`}>
          <dl>
            <Stat label={t("foundationPage.balance.total")} value={formatFen(summary.balanceFen)} testId="foundation-balance" className={null} valueClassName="text-3xl font-semibold tabular-nums" />
          </dl>
          <dl className="grid gap-3 sm:grid-cols-2">
            <Stat label={t("foundationPage.balance.available")} value={formatFen(summary.availableFen)} hint={t("foundationPage.balance.availableHint")} testId="foundation-available" className={null} valueClassName={part} />
            <Stat label={t("foundationPage.balance.earmarked")} value={formatFen(summary.earmarkedFen)} hint={t("foundationPage.balance.earmarkedHint")} testId="foundation-earmarked" className={null} valueClassName={part} />
          </dl>
          {summary.earmarks.some((e) => e.balanceFen !== 0) ? (
            <dl>
              <Fact label={t("foundationPage.balance.earmarkList")} labelClassName="sr-only">
              <ul className="space-y-1 text-sm">
                {summary.earmarks
                  .filter((e) => e.balanceFen !== 0)
                  .map((e) => (
                    <li key={e.ownerId} className="flex flex-wrap justify-between gap-2">
                      <span>
                        {e.target === "project" && e.code ? (
                          <TextLink to={`/projects/${encodeURIComponent(e.code)}`}>{t("foundationPage.balance.earmarkProject", { target: `${e.code} ${e.title ?? ""}` })}</TextLink>
                        ) : e.code ? (
                          <TextLink to={`/rounds/${encodeURIComponent(e.code)}`}>{t("foundationPage.balance.earmarkRound", { target: e.title ?? e.code })}</TextLink>
                        ) : (
                          t("foundationPage.balance.earmarkUnknown")
                        )}
                      </span>
                      <span className="tabular-nums">{formatFen(e.balanceFen)}</span>
                    </li>
                  ))}
              </ul>
              </Fact>
            </dl>
          ) : null}
        </div>
        <dl className={`${card} space-y-3`}>
          <Stat label={t("foundationPage.balance.pools")} value={formatFen(summary.matchingPoolsFen)} hint={t("foundationPage.balance.poolsHint")} testId="foundation-pools" className={null} valueClassName={part} />
          <Stat
            label={t("foundationPage.balance.downstream")}
            value={t("foundationPage.balance.downstreamDetail", { pools: formatFen(summary.roundPoolsHeldFen), committed: formatFen(summary.committedHeldFen), paid: formatFen(summary.paidOutFen) })}
            className={null}
            valueClassName="text-sm tabular-nums"
          />
        </dl>
      </div>
      <p className="text-sm text-slate-600">{t("foundationPage.balance.fromLedger")}</p>
    </Section>
  );
}

function Flows({ summary }: { summary: Data["summary"] }) {
  const t = useT();
  const f = summary.flows;
  const committedFen = summary.rounds.reduce((sum, r) => sum + r.committedFen, 0);
  const paidFen = summary.rounds.reduce((sum, r) => sum + r.paidFen, 0);
  return (
    <Section id="flows-h" title={t("foundationPage.flows.title")}>
      <MoneyFlowChart
        caption={t("charts.flow.caption")}
        stages={[
          { key: "in", label: t("charts.flow.inNet"), fen: f.inflowFen },
          { key: "fund", label: t("charts.flow.fund"), fen: summary.balanceFen },
          { key: "rounds", label: t("charts.flow.rounds"), fen: f.roundPoolsFen - f.roundPoolReturnsFen },
          { key: "projects", label: t("charts.flow.projects"), fen: committedFen, partFen: paidFen, partLabel: t("charts.flow.paidPart", { amount: formatFen(paidFen) }) },
        ]}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <ScrollArea className={card}>
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
        </ScrollArea>
        <ScrollArea className={card}>
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
        </ScrollArea>
      </div>
      {summary.years.length > 1 ? (
        <details className={card}>
          <summary className="cursor-pointer font-medium">{t("foundationPage.years.title")}</summary>
          <ScrollArea className="mt-3">
            <table className="w-full text-sm" data-testid="years">
              <TableHead
                cellClassName={th}
                columns={[
                  [t("foundationPage.years.year"), "text-left"],
                  [t("foundationPage.flows.inNet"), "text-right"],
                  [t("foundationPage.flows.outNet"), "text-right"],
                  [t("foundationPage.years.net"), "text-right"],
                ]}
              />
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
          </ScrollArea>
        </details>
      ) : null}
    </Section>
  );
}

/** The money columns of the rounds table: their label (foundationPage.rounds.<key>) and figure. */
const ROUND_COLUMNS = [
  ["pooled", "pooledFen"],
  ["committed", "committedFen"],
  ["paid", "paidFen"],
  ["inPool", "poolBalanceFen"],
  ["unpaid", "unpaidFen"],
] as const;

function Rounds({ rounds }: { rounds: Data["summary"]["rounds"] }) {
  const locale = useLocale();
  const t = useT();
  if (rounds.length === 0) return null;
  return (
    <Section id="rounds-h" title={t("foundationPage.rounds.title")}>
      <p className="text-sm text-slate-600">{t("foundationPage.rounds.hint")}</p>
      <ScrollArea className="rounded-lg bg-white shadow-sm">
        <table className="w-full text-sm" data-testid="rounds">
          <TableHead cellClassName={th} columns={[[t("foundationPage.rounds.round"), "text-left"], ...ROUND_COLUMNS.map(([k]) => [t(`foundationPage.rounds.${k}`), "text-right"] as const)]} />
          <tbody className="divide-y divide-slate-100">
            {rounds.map((r) => (
              <tr key={r.id}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <TextLink to={`/rounds/${encodeURIComponent(r.code)}`}>
                    {roundTitle(locale, r)}
                  </TextLink>{" "}
                  <span className="text-xs text-slate-600">{r.code}</span>
                </th>
                {ROUND_COLUMNS.map(([k, fen]) => (
                  <td key={k} className={num}>
                    {formatFen(r[fen])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </Section>
  );
}

function Campaigns({ campaigns }: { campaigns: Data["campaigns"] }) {
  const t = useT();
  const locale = useLocale();
  if (campaigns.length === 0) return null;
  return (
    <Section id="campaigns-h" title={t("foundationPage.campaigns.title")}>
      <ul className="grid gap-4 sm:grid-cols-2" data-testid="campaigns">
        {campaigns.map((c) => (
          <li key={c.slug} className={card}>
            <p className="flex flex-wrap items-center gap-2">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${c.phase === "open" ? "bg-emerald-100 text-emerald-900" : c.phase === "upcoming" ? "bg-sky-100 text-sky-900" : "bg-slate-100 text-slate-700"}`}>
                {t(`givingPublic.phase.${c.phase}`)}
              </span>
              <TitleLink to={`/campaigns/${c.slug}`} className="font-semibold">{locale === "en" ? c.titleEn : c.titleZh}</TitleLink>
            </p>
            <p className="mt-1 text-sm text-slate-700">
              {t("givingPublic.campaign.sponsorRatio", { sponsor: c.sponsorName, ratio: `${c.ratioSponsor}:${c.ratioDonor}` })}
            </p>
            <p className="text-sm text-slate-600">
              {formatDateTime(locale, c.startsAt, false)} – {formatDeadline(locale, c.endsAt)} · {t("givingPublic.campaign.remaining", { amount: formatFen(c.remainingFen) })}
            </p>
            <div className="mt-2">
              <CampaignProgress matchedFen={c.matchedFen} fundedFen={c.fundedFen} raisedFen={c.raisedFen} testId={`campaign-progress-${c.slug}`} />
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/**
 * A fund without a filing: it raises only from a defined group, and whoever was given a code
 * types it here (the page asks no one else for a gift).
 */
function DirectedOnly({ lastResult }: { lastResult: Parameters<typeof useZodForm>[1] }) {
  const t = useT();
  const [form, fields] = useZodForm(CodeSchema, lastResult, { id: "directed-code" });
  return (
    <section aria-labelledby="directed-h" className={`${card} space-y-3 border border-amber-300`} data-testid="directed-only">
      <h2 id="directed-h" className="font-semibold">{t("directed.page.title")}</h2>
      <p className="text-sm text-slate-700">{t("directed.page.body")}</p>
      <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
        <TextField meta={fields.code} label={t("directed.page.codeLabel")} hint={t("directed.page.codeHint")} inputProps={{ autoComplete: "off", autoCapitalize: "characters", spellCheck: false }} className="min-w-0 flex-1" />
        <SubmitButton>{t("directed.page.codeSubmit")}</SubmitButton>
      </Form>
    </section>
  );
}

export default function FoundationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const kindLabel = useKindLabel();
  const { foundation: f, summary, transactions, total, pager, per, perOptions } = loaderData;
  return (
    <div className="space-y-8">
      <BackLink to="/foundations" label={t("area.breadcrumb")}>
        {t("foundations.title")}
      </BackLink>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle
          sub={<AreaLink area={f.area} />}
        >
          {localName(locale, f)}
        </PageTitle>
        <PosterLinks kind="foundation" slug={f.slug} />
        <div className="flex flex-wrap items-center gap-3">
          {loaderData.manages ? (
            <Link to={`/admin/foundations/${f.slug}`} className="rounded border border-brand-700 px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50" data-testid="manage-link">
              {t("foundationPage.manage")}
            </Link>
          ) : null}
          {loaderData.fundraising.kind === "public" ? (
            <Link
              to={`/foundations/${f.slug}/donate`}
              className="rounded-lg bg-brand-700 px-6 py-3 text-lg font-semibold text-white shadow hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
              data-testid="give-button"
            >
              {t("givingPublic.give")}
            </Link>
          ) : null}
        </div>
      </div>
      {loaderData.fundraising.kind === "directed" ? <DirectedOnly lastResult={actionData?.result} /> : null}

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
      {loaderData.reports.length ? (
        <Section id="annual-reports-h" title={t("report.annualReports")}>
          <ReportVersions reports={loaderData.reports} />
        </Section>
      ) : null}
      <Campaigns campaigns={loaderData.campaigns} />
      <DonorWall donors={loaderData.donors} param="donorsPage" cursorParam="donors" headingId="donors-h" />

      <Section id="tx-h" title={t("foundations.transactions")} sub={t("foundations.transactions.count", { count: total })} subGap="margin">
        {transactions.length === 0 ? (
          <EmptyState title={t("foundations.transactions.empty")} />
        ) : (
          <ScrollArea className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm">
              <TableHead cellClassName={th} columns={[t("foundations.col.date"), t("foundations.col.description"), [t("foundations.col.amount"), "text-right"]]} />
              <tbody>
                {transactions.map((tx) => (
                  <tr key={tx.id} className="border-b border-slate-100 align-top last:border-0">
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(locale, tx.occurredAt, false)}</td>
                    <td className="px-3 py-2">
                      <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{kindLabel(tx.kind)}</span>{" "}
                      {tx.earmarked ? (
                        <>
                          <span className="mr-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">{t("foundationPage.tx.earmarked")}</span>{" "}
                        </>
                      ) : null}
                      <span data-testid="tx-memo">{memoIn(tx.memo, locale)}</span>
                    </td>
                    <td className={`whitespace-nowrap px-3 py-2 text-right font-medium tabular-nums ${tx.amountFen < 0 ? "text-red-800" : "text-emerald-800"}`}>
                      {tx.amountFen > 0 ? "+" : ""}
                      {formatFen(tx.amountFen)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          {total > perOptions[0] ? <PerPage per={per} sizes={perOptions} /> : <span />}
        </div>
        <NumberedPager pager={pager} label={t("foundations.transactions.pager")} hash="tx-h" />
      </Section>
    </div>
  );
}
