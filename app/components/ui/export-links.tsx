import { useLocation } from "react-router";
import { EXPORT_FORMATS, type ExportDataset } from "~/domain/tabular-export";
import { useT } from "~/lib/i18n";

/** Query parameters of a list page that are about its page, not its filters: an export leaves them out. */
const PAGE_PARAMS = ["cursor", "page", "per", "done", "unchanged", "_routes"];

/**
 * The export's address for a list: /admin/exports/<dataset>.<format> with the page's current
 * filters (its query string without the page's own position) and `extra` (the round, the
 * foundation, an area the page is about).
 */
export function exportHref(dataset: ExportDataset, format: (typeof EXPORT_FORMATS)[number], search: string, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams(search);
  for (const p of PAGE_PARAMS) params.delete(p);
  for (const [k, v] of Object.entries(extra)) {
    if (v) params.set(k, v);
    else params.delete(k);
  }
  const query = params.toString();
  return `/admin/exports/${dataset}.${format}${query ? `?${query}` : ""}`;
}

/**
 * "导出 Excel" and "导出 CSV" beside a list: downloads of every row its current filters select
 * (services/exports), with a line saying so. Plain links: the browser downloads the file.
 */
export function ExportLinks({ dataset, extra, label, className = "" }: { dataset: ExportDataset; extra?: Record<string, string | null | undefined>; label?: string; className?: string }) {
  const t = useT();
  const { search } = useLocation();
  return (
    <div role="group" aria-label={label ?? t("exports.label")} className={`flex flex-wrap items-center gap-3 text-sm ${className}`} data-testid={`export-${dataset}`}>
      {EXPORT_FORMATS.map((format) => (
        <a key={format} href={exportHref(dataset, format, search, extra)} download className="rounded border border-brand-700 px-3 py-1 font-medium text-brand-800 hover:bg-slate-50">
          {t(`exports.${format}`)}
        </a>
      ))}
      <span className="text-xs text-slate-600">{t("exports.hint")}</span>
    </div>
  );
}
