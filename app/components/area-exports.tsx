import { inputClass } from "~/components/form";
import { EXPORT_FORMATS } from "~/domain/tabular-export";
import { useT } from "~/lib/i18n";

const PROJECT_STATUSES = ["AWAITING_ACCEPTANCE", "AWAITING_COUNTERSIGN", "ACTIVE", "EVALUATION_FAILED", "CLOSED"] as const;
const EXPENSE_STATUSES = ["SUBMITTED", "RETURNED", "APPROVED"] as const;

/**
 * The officials' dashboard's exports of its area's projects and expenses: two small GET forms
 * whose fields are the export's filters (round, status; and the days an expense was spent on),
 * each sent to /admin/exports/<dataset>.<format> by its "导出 Excel" or "导出 CSV" button. Plain
 * forms, not the router's: the browser downloads the answer.
 */
export function AreaExports({ area }: { area: string }) {
  const t = useT();
  const field = "block text-sm";
  const buttons = (dataset: "projects" | "expenses") =>
    EXPORT_FORMATS.map((format) => (
      <button key={format} type="submit" formAction={`/admin/exports/${dataset}.${format}`} className="rounded border border-brand-700 px-3 py-2 text-sm font-medium text-brand-800 hover:bg-slate-50">
        {t(`exports.${format}`)}
      </button>
    ));
  const round = (id: string) => (
    <label className={field} htmlFor={id}>
      {t("exports.col.round")}
      <input id={id} name="round" maxLength={32} className={inputClass} placeholder={t("exports.filter.roundAll")} />
    </label>
  );
  return (
    <div className="space-y-3" data-testid="area-exports">
      <form method="get" action="/admin/exports/projects.xlsx" aria-label={t("exports.projects.label")} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm">
        <p className="w-full text-sm font-medium">{t("exports.projects.label")}</p>
        <input type="hidden" name="community" value={area} />
        {round("export-projects-round")}
        <label className={field} htmlFor="export-projects-status">
          {t("exports.col.status")}
          <select id="export-projects-status" name="status" defaultValue="" className={inputClass}>
            <option value="">{t("exports.filter.statusAll")}</option>
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>{t(`dashboard.status.${s}`)}</option>
            ))}
          </select>
        </label>
        {buttons("projects")}
      </form>
      <form method="get" action="/admin/exports/expenses.xlsx" aria-label={t("exports.expenses.label")} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm">
        <p className="w-full text-sm font-medium">{t("exports.expenses.label")}</p>
        <input type="hidden" name="community" value={area} />
        {round("export-expenses-round")}
        <label className={field} htmlFor="export-expenses-status">
          {t("exports.col.status")}
          <select id="export-expenses-status" name="status" defaultValue="" className={inputClass}>
            <option value="">{t("exports.filter.statusAll")}</option>
            {EXPENSE_STATUSES.map((s) => (
              <option key={s} value={s}>{t(`monitoring.expenseStatus.${s}`)}</option>
            ))}
          </select>
        </label>
        <label className={field} htmlFor="export-expenses-from">
          {t("exports.filter.from")}
          <input id="export-expenses-from" type="date" name="from" className={inputClass} />
        </label>
        <label className={field} htmlFor="export-expenses-to">
          {t("exports.filter.to")}
          <input id="export-expenses-to" type="date" name="to" className={inputClass} />
        </label>
        {buttons("expenses")}
      </form>
      <p className="text-xs text-slate-600">{t("exports.hint")}</p>
    </div>
  );
}
