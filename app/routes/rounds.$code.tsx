import { Link } from "react-router";
import type { Route } from "./+types/rounds.$code";
import { PhaseBadge } from "~/components/round-form";
import { AreaLink } from "~/components/area-table";
import { BackLink, ButtonLink, EmptyState, ScrollArea, ListRow, Notice, Pagination, RowList, Section, Stat, TableHead, TextLink, TitleLink } from "~/components/ui";
import { categoryName } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { budgetCategoryName } from "~/domain/proposals";
import { DATE_FIELDS, DATE_OF_PHASE, phaseAtLeast } from "~/domain/rounds";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localeOf, localName, pageMeta, roundTitle, shareMeta } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { publicRoundPage } from "~/services/rounds/rounds.server";
import { reportsOf } from "~/services/reports/listing.server";
import { ReportVersions } from "~/components/report-view";
import { PosterLinks } from "~/components/poster-links";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const url = new URL(request.url);
  const [page, reports] = await Promise.all([publicRoundPage(viewer, params.code, url.searchParams.get("page"), url.searchParams.get("per")), reportsOf({ round: { code: params.code } })]);
  return { ...page, reports };
}

export const meta: Route.MetaFunction = ({ matches, loaderData, location }) =>
  loaderData
    ? shareMeta(matches, {
        title: roundTitle(localeOf(matches), loaderData.round),
        description: loaderData.round.description,
        path: location.pathname,
      })
    : pageMeta(matches, "rounds.title");

export default function RoundPage({ loaderData: p }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const r = p.round;
  const day = (iso: string) => formatDateTime(locale, iso, false);
  const currentDate = DATE_OF_PHASE[r.phase];
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <BackLink to="/rounds">{t("rounds.title")}</BackLink>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{roundTitle(locale, r)}</h1>
          <PhaseBadge phase={r.phase} />
        </div>
        <p className="text-slate-600">
          {r.code} ·{" "}
          <AreaLink area={r.area} />
        </p>
        {r.phase === "DRAFT" ? <Notice tone="warning" role="note" testId="draft-note">{t("rounds.page.draftNote")}</Notice> : <PosterLinks kind="round" slug={r.code} />}
        <div className="flex flex-wrap gap-3 pt-2">
          {r.phase === "PROPOSALS" ? (
            <ButtonLink to={`/rounds/${r.code}/apply`}>{t("rounds.page.apply")}</ButtonLink>
          ) : null}
          {phaseAtLeast(r.phase, "REVIEW") ? (
            <ButtonLink to={`/rounds/${r.code}/proposals`} look="secondary">{t("rounds.page.proposals")}</ButtonLink>
          ) : null}
          {phaseAtLeast(r.phase, "NOTICE") ? (
            <ButtonLink to={`/rounds/${r.code}/notice`} look="secondary">{t("notice.title")}</ButtonLink>
          ) : null}
          {r.phase !== "DRAFT" ? (
            <ButtonLink to={`/rounds/${r.code}/showcase`} look="secondary">{t("report.showcaseLink")}</ButtonLink>
          ) : null}
          {phaseAtLeast(r.phase, "IMPLEMENTATION") ? (
            <ButtonLink to={`/projects?round=${encodeURIComponent(r.code)}`} look="secondary">{t("projectPublic.round.projects")}</ButtonLink>
          ) : null}
          {p.canManage ? (
            <Link to={`/admin/rounds/${r.code}`} className="rounded border border-slate-400 px-4 py-2 text-slate-800">
              {t("rounds.page.manage")}
            </Link>
          ) : null}
        </div>
      </header>

      <Section id="money-h" title={t("rounds.page.pool")} size="hidden" className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">{t("rounds.page.pool")}</p>
          <p className="text-xl font-semibold tabular-nums" data-testid="round-pool">
            {formatFen(r.poolFen)}
          </p>
          <p className="mt-1 text-xs text-slate-600">
            {t("rounds.page.poolBalance")}: {formatFen(p.poolBalanceFen)}
          </p>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">{t("rounds.page.range")}</p>
          <p className="text-xl font-semibold tabular-nums">
            {formatFen(r.minAwardFen)} – {formatFen(r.maxAwardFen)}
          </p>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">{t("rounds.page.foundation")}</p>
          <p className="text-lg font-semibold">
            <TitleLink to={`/foundations/${r.foundation.slug}`}>{localName(locale, r.foundation)}</TitleLink>
          </p>
          {r.budgetLineNo ? (
            <p className="text-sm text-slate-600" data-testid="round-budget-line">
              {t("rounds.page.budgetLine", { line: r.budgetLineNo })}
            </p>
          ) : null}
        </div>
      </Section>

      {r.description ? (
        <Section id="about-h" title={t("rounds.page.description")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
          <p className="mt-2 whitespace-pre-line">{r.description}</p>
        </Section>
      ) : null}

      <Section id="counts-h" title={t("rounds.page.counts")} size="lg">
        <dl className="grid grid-cols-3 gap-3" data-testid="round-counts">
          {(["topics", "submitted", "eligible"] as const).map((k) => (
            <Stat
              key={k}
              label={t(`rounds.page.count.${k}`)}
              value={formatNumber(locale, p.counts[k])}
              testId={`count-${k}`}
              className="rounded-lg bg-white p-4 text-center shadow-sm"
              valueClassName="text-2xl font-semibold tabular-nums"
            />
          ))}
        </dl>
      </Section>

      <Section id="timeline-h" title={t("rounds.page.timeline")} size="lg">
        <ol className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="round-timeline">
          {DATE_FIELDS.map((f) => {
            const current = f === currentDate;
            return (
              <li
                key={f}
                aria-current={current ? "step" : undefined}
                className={`flex flex-wrap justify-between gap-2 px-4 py-2 ${current ? "bg-brand-50 font-semibold text-brand-900" : ""}`}
              >
                <span>
                  {t(`rounds.field.${f}`)}
                  {current ? <span className="ml-2 rounded bg-brand-700 px-1.5 text-xs font-normal text-white">{t("rounds.page.current")}</span> : null}
                </span>
                <time dateTime={r[f]} className="tabular-nums" data-testid={f === "proposalsDeadline" ? "round-deadline" : undefined}>
                  {f === "proposalsDeadline" ? formatDeadline(locale, r[f]) : day(r[f])}
                </time>
              </li>
            );
          })}
        </ol>
      </Section>

      <Section id="rules-h" title={t("rounds.page.rules")} size="lg" className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="rounded-lg bg-white p-5 shadow-sm">
            <h3 className="font-semibold">{t("rounds.page.categories")}</h3>
            <ul className="mt-2 flex flex-wrap gap-2" data-testid="round-categories">
              {r.categories.map((c) => (
                <li key={c.key} className="rounded bg-slate-100 px-2 py-0.5 text-sm">
                  {categoryName(r.categories, c.key, locale)}
                </li>
              ))}
            </ul>
            <h3 className="mt-4 font-semibold">{t("rounds.page.tranches")}</h3>
            <ol className="mt-2 space-y-1 text-sm">
              {r.trancheSchedule.map((s, i) => (
                <li key={i}>{t("rounds.page.tranche", { n: i + 1, percent: s.percent, trigger: t(`rounds.trigger.${s.trigger}`) })}</li>
              ))}
            </ol>
            <ul className="mt-4 space-y-1 text-sm">
              <li>{t("rounds.page.weights", { review: r.weightReview, roadshow: r.weightRoadshow, vote: r.weightPublicVote })}</li>
              <li>{t("rounds.page.judges", { count: r.judgesPerProposal })}</li>
              <li>{t("rounds.page.notice", { days: r.noticeDays })}</li>
              <li>{t("rounds.page.labourCap", { percent: r.labourCapPercent })}</li>
              <li>{t("rounds.page.perOrg", { count: r.maxProposalsPerOrg })}</li>
              {r.budgetCaps.flatMap((c) => {
                const category = budgetCategoryName(c.category, locale);
                return [
                  c.percent !== undefined ? <li key={`${c.category}-p`}>{t("rounds.page.budgetCap.percent", { category, percent: c.percent })}</li> : null,
                  c.maxFen !== undefined ? <li key={`${c.category}-a`}>{t("rounds.page.budgetCap.amount", { category, amount: formatFen(c.maxFen) })}</li> : null,
                ];
              })}
              {r.eligibleOrgKinds.length ? (
                <li>{t("rounds.page.eligibility.kinds", { list: r.eligibleOrgKinds.map((k) => t(`org.kind.${k}`)).join(locale === "en" ? ", " : "、") })}</li>
              ) : null}
              {r.orgInRoundArea ? <li>{t("rounds.page.eligibility.area")}</li> : null}
              {r.maxOpenProjects !== null ? <li>{t("rounds.page.eligibility.openProjects", { max: r.maxOpenProjects })}</li> : null}
              {r.refuseTroubledOrgs ? <li>{t("rounds.page.eligibility.troubled")}</li> : null}
              {r.requiresDeliberation ? <li data-testid="round-deliberation">{t("rounds.page.deliberation")}</li> : null}
            </ul>
          </div>
          <ScrollArea className="rounded-lg bg-white p-5 shadow-sm">
            <table className="w-full text-sm" data-testid="round-rubric">
              <caption className="mb-2 text-left font-semibold">{t("rounds.page.rubric")}</caption>
              <TableHead
                className={null}
                rowClassName="border-b border-slate-200 text-left text-slate-600"
                cellClassName="py-1 font-normal"
                columns={[
                  [t("rounds.page.criterion"), "pr-2"],
                  [t("rounds.page.points"), "text-right"],
                ]}
              />
              <tbody>
                {r.rubric.map((c) => (
                  <tr key={c.key} className="border-b border-slate-100">
                    <td className="py-1 pr-2">{locale === "en" ? c.nameEn : c.nameZh}</td>
                    <td className="py-1 text-right tabular-nums">{c.maxPoints}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </div>
      </Section>

      <Section id="topics-h" title={t("rounds.page.topics")} sub={`(${p.counts.topics})`} note={t("rounds.page.topicsHint")} size="lg">
        <RowList testId="round-topics" empty={p.topics.length === 0 && <EmptyState title={t("rounds.page.topicsEmpty")} />}>
          {p.topics.map((n) => (
            <ListRow key={n.number} className="flex flex-wrap items-start justify-between gap-2 px-4 py-3" aside={<span className="text-sm tabular-nums text-slate-700">{t("rounds.page.votes", { count: n.votes })}</span>}>
              <TitleLink to={n.link} className="font-medium">#{n.number} {n.title}</TitleLink>
              <p className="text-sm text-slate-600">
                {localName(locale, n.community)} · {categoryName(r.categories, n.category, locale)}
              </p>
            </ListRow>
          ))}
        </RowList>
        <Pagination page={p.topicsPage} pages={p.topicsPages} />
        {p.counts.topics > 0 ? (
          <p className="text-sm">
            <TextLink to={`/needs?round=${encodeURIComponent(r.code)}`}>{t("rounds.page.allTopics")}</TextLink>
          </p>
        ) : null}
      </Section>
      {p.reports.length ? (
        <Section id="reports-h" title={t("report.roundReports")}>
          <ReportVersions reports={p.reports} />
        </Section>
      ) : null}
    </article>
  );
}
