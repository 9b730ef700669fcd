import type { Route } from "./+types/reports.$number";
import { ReportSections, ReportVersions } from "~/components/report-view";
import { Done, PageTitle, Section, TextLink } from "~/components/ui";
import { reportTitle } from "~/domain/reports";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { publishedReport } from "~/services/reports/reports.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const report = await publishedReport(/^\d{1,9}$/.test(params.number) ? Number(params.number) : NaN);
  return { report, done: new URL(request.url).searchParams.get("published") ? "report.done" : null };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "report.publicTitle");

/** A published report (结项报告 or 年度工作报告): its figures, its files and fingerprints, every version. */
export default function PublishedReportPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { report: r, done } = loaderData;
  const back = r.round ? { to: `/rounds/${encodeURIComponent(r.round.code)}`, label: r.round.code } : { to: `/foundations/${encodeURIComponent(r.foundation.slug)}`, label: localName(locale, r.foundation) };
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <TextLink to={back.to}>← {back.label}</TextLink>
      </p>
      <Done message={done} />
      <PageTitle sub={t("report.byline", { issuer: locale === "en" ? r.figures.issuer.en : r.figures.issuer.zh, at: formatDateTime(locale, r.publishedAt) })}>
        <span data-testid="report-title">{reportTitle(r.figures, locale)}</span> · {t("report.version", { version: r.version })}
      </PageTitle>
      {r.latest ? (
        <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="report-superseded">
          {t("report.superseded", { version: r.latest.version })} <TextLink to={`/reports/${r.latest.number}`}>{t("report.openLatest")}</TextLink>
        </p>
      ) : null}
      <p className="text-sm text-slate-700">
        {t("report.periodLine", { from: r.figures.period.from, to: r.figures.period.to, asOf: formatDateTime(locale, r.figures.asOf) })}
      </p>
      <p className="flex flex-wrap gap-4">
        <a href={`/reports/${r.number}/pdf`} className="text-brand-700 underline" data-testid="report-pdf" download>
          {t("report.downloadPdf")}
        </a>
        <a href={`/reports/${r.number}/xlsx`} className="text-brand-700 underline" data-testid="report-xlsx" download>
          {t("report.downloadXlsx")}
        </a>
      </p>
      <ReportSections sections={r.sections} />
      <div className="space-y-1 text-xs break-all text-slate-600">
        <p data-testid="report-hash">{t("report.hash", { hash: r.contentHash })}</p>
        <p data-testid="report-pdf-hash">{t("report.pdfHash", { hash: r.pdfSha256 })}</p>
      </div>
      <Section id="report-versions-h" title={t("report.versions")}>
        <ReportVersions reports={r.versions} current={r.number} />
      </Section>
    </div>
  );
}
