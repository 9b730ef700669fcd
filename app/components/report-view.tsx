import { Link } from "react-router";
import { cell, DataTable, Section } from "~/components/ui";
import { barText, valueText, type Section as ReportSection } from "~/domain/reports";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";

/**
 * A report's sections as a page (docs/decisions/043): the same sections the PDF and the
 * spreadsheet draw, each its figures, its bars (drawn as plain HTML, with the figure beside each)
 * and its table. Used by the public report page and the officials' draft.
 */
export function ReportSections({ sections }: { sections: readonly ReportSection[] }) {
  const t = useT();
  const locale = useLocale();
  const text = (v: Parameters<typeof valueText>[0]) => valueText(v, locale, t);
  return (
    <>
      {sections.map((s) => {
        const max = Math.max(1, ...s.bars.map((b) => Math.abs(b.value)));
        return (
          <Section key={s.key} id={`report-${s.key}`} title={t(s.heading)}>
            <div className="space-y-3" data-testid={`report-section-${s.key}`}>
              {s.empty ? <p className="text-sm text-slate-600">{t(s.empty)}</p> : null}
              {s.rows.length ? (
                <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2">
                  {s.rows.map((r) => (
                    <div key={r.label} className="flex justify-between gap-3 border-b border-slate-100 py-1">
                      <dt className="text-slate-700">{t(r.label)}</dt>
                      <dd className="font-medium tabular-nums" data-testid={r.label}>
                        {text(r.value)}
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : null}
              {s.bars.some((b) => b.value !== 0) ? (
                <ul className="space-y-1" aria-label={t("report.chart", { section: t(s.heading) })}>
                  {s.bars.map((b) => (
                    <li key={b.label.zh} className="grid grid-cols-[7rem_1fr] items-center gap-2 text-sm">
                      <span>{locale === "en" ? b.label.en : b.label.zh}</span>
                      <span className="flex items-center gap-2">
                        <span className="inline-block h-3 rounded bg-teal-700" style={{ width: `${Math.round((Math.abs(b.value) / max) * 70)}%` }} aria-hidden="true" />
                        <span className="tabular-nums">{barText(b)}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {s.table ? (
                <DataTable label={t(s.heading)} headers={s.table.headers.map((h) => t(h))}>
                  {s.table.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((v, j) => (
                        <td key={j} className={cell}>
                          {text(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </DataTable>
              ) : null}
            </div>
          </Section>
        );
      })}
    </>
  );
}

/** The published versions of a report subject (or of a round's / foundation's reports), each with its fingerprint. */
export function ReportVersions({ reports, current }: { reports: readonly { number: number; version: number; publishedAt: string; contentHash: string; year?: number | null; kind?: string }[]; current?: number }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm" data-testid="report-versions">
      {reports.map((r) => (
        <li key={r.number} className="space-y-1 p-3 text-sm" data-testid="report-version">
          {r.number === current ? (
            <span className="font-medium">{t("report.versionCurrent", { version: r.version })}</span>
          ) : (
            <Link to={`/reports/${r.number}`} className="font-medium underline">
              {r.kind === "ANNUAL" && r.year ? `${t("report.annualHeading", { year: r.year })} · ` : r.kind === "ROUND" ? `${t("report.roundHeading")} · ` : ""}
              {t("report.version", { version: r.version })}
            </Link>
          )}{" "}
          <span className="text-slate-600">{t("report.publishedAt", { at: formatDateTime(locale, r.publishedAt) })}</span>
          <p className="font-mono text-xs break-all text-slate-600">SHA-256 {r.contentHash}</p>
        </li>
      ))}
    </ul>
  );
}
