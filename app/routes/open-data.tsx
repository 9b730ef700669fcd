import type { Route } from "./+types/open-data";
import { cell, DataTable, PageTitle, Section, TextLink } from "~/components/ui";
import { dataFileUrl, OPEN_DATA_FORMATS, OPEN_DATA_LICENCE, OPEN_DATA_VERSION } from "~/domain/open-data";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { openDataCatalogue } from "~/services/public/open-data.server";

/** The open data catalogue: every public dataset, its columns, size, latest change and its CSV/JSON addresses. Public. */
export async function loader() {
  return { datasets: await openDataCatalogue() };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "openData.title");

export default function OpenDataPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const en = locale === "en";
  return (
    <div className="space-y-8">
      <PageTitle sub={t("openData.subtitle")}>{t("openData.title")}</PageTitle>

      <Section id="conventions-h" title={t("openData.conventions.title")} size="lg" className="space-y-2 rounded-lg bg-white p-4 text-sm shadow-sm sm:p-6">
        <p data-testid="licence">
          {t("openData.licence", { licence: OPEN_DATA_LICENCE.name, source: t("app.name") })}{" "}
          <a href={OPEN_DATA_LICENCE.url} className="text-brand-700 underline" rel="license noopener noreferrer" target="_blank">
            {OPEN_DATA_LICENCE.url}
          </a>
        </p>
        <ul className="list-disc space-y-1 pl-5 text-slate-700">
          <li>{t("openData.conventions.money")}</li>
          <li>{t("openData.conventions.time")}</li>
          <li>{t("openData.conventions.csv")}</li>
          <li>{t("openData.conventions.json")}</li>
          <li>{t("openData.conventions.privacy")}</li>
          <li>{t("openData.conventions.version", { version: OPEN_DATA_VERSION })}</li>
        </ul>
        <p>
          <TextLink to="/transparency">{t("openData.trace")}</TextLink>
        </p>
      </Section>

      <Section id="datasets-h" title={t("openData.datasets")} className="space-y-4">
        <ul className="space-y-4">
          {loaderData.datasets.map((d) => {
            const title = en ? d.titleEn : d.titleZh;
            return (
              <li key={d.name} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-testid={`dataset-${d.name}`}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h3 id={`ds-${d.name}`} className="text-lg font-semibold">
                      {title} <code className="text-sm font-normal text-slate-600">{d.name}</code>
                    </h3>
                    <p className="mt-1 text-sm text-slate-700">{en ? d.descriptionEn : d.descriptionZh}</p>
                    <p className="mt-1 text-sm text-slate-600">
                      <span data-testid="row-count">{t("openData.rows", { count: formatNumber(locale, d.rows) })}</span>
                      {" · "}
                      {d.lastUpdated ? t("openData.updated", { date: formatDateTime(locale, d.lastUpdated) }) : t("openData.empty")}
                    </p>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    {OPEN_DATA_FORMATS.map((f) => (
                      <a
                        key={f}
                        href={dataFileUrl(d.name, f)}
                        className="rounded border border-brand-700 px-3 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50"
                        aria-label={t("openData.downloadLabel", { name: title, format: f.toUpperCase() })}
                        download={`${d.name}.${f}`}
                      >
                        {t("openData.download", { format: f.toUpperCase() })}
                      </a>
                    ))}
                  </div>
                </div>
                <p className="break-all text-xs text-slate-600">
                  {OPEN_DATA_FORMATS.map((f) => (
                    <code key={f} className="mr-3">
                      {dataFileUrl(d.name, f)}
                    </code>
                  ))}
                </p>
                <details>
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("openData.columns", { count: d.columns.length })}</summary>
                  <div className="mt-2">
                    <DataTable testId={`columns-${d.name}`} headers={[t("openData.col.name"), t("openData.col.type"), t("openData.col.description")]}>
                      {d.columns.map((c) => (
                        <tr key={c.name}>
                          <td className={`${cell} whitespace-nowrap font-mono`}>{c.name}</td>
                          <td className={`${cell} whitespace-nowrap`}>{t(`openData.type.${c.type}`)}</td>
                          <td className={cell}>{en ? c.en : c.zh}</td>
                        </tr>
                      ))}
                    </DataTable>
                  </div>
                </details>
              </li>
            );
          })}
        </ul>
      </Section>
    </div>
  );
}
