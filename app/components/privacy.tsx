import { cell, DataTable } from "~/components/ui";
import { RETENTION_ROWS } from "~/domain/personal-data";
import { useT } from "~/lib/i18n";

/** A link to the privacy notice beside a consent: a new window, so the form keeps what was typed. */
export function NoticeLink({ className = "block text-sm" }: { className?: string }) {
  const t = useT();
  return (
    <a href="/privacy" target="_blank" rel="noopener" className={`${className} text-brand-700 underline`}>
      {t("privacy.link")}
    </a>
  );
}

/**
 * The canonical retention table (domain/personal-data.ts RETENTION) in the reader's language: a
 * table from small tablets up, on a phone one block per kind of data (three columns of long text
 * do not fit its width).
 */
export function RetentionTable() {
  const t = useT();
  const [data, keptFor, onDeletion] = [t("privacy.retention.col.data"), t("privacy.retention.col.keptFor"), t("privacy.retention.col.onDeletion")];
  return (
    <div data-testid="retention-table">
      <ul className="space-y-3 sm:hidden">
        {RETENTION_ROWS.map((r) => (
          <li key={r.key} className="rounded border border-slate-200 bg-white p-3 text-sm">
            <p className="font-medium text-slate-900">{t(`privacy.retention.${r.key}.data`)}</p>
            <dl className="mt-1 space-y-1">
              <div>
                <dt className="text-xs text-slate-600">{keptFor}</dt>
                <dd>{t(`privacy.retention.${r.key}.keptFor`)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">{onDeletion}</dt>
                <dd>{t(`privacy.retention.${r.key}.onDeletion`)}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <DataTable headers={[data, keptFor, onDeletion]}>
          {RETENTION_ROWS.map((r) => (
            <tr key={r.key}>
              <th scope="row" className={`${cell} text-left font-medium`}>
                {t(`privacy.retention.${r.key}.data`)}
              </th>
              <td className={cell}>{t(`privacy.retention.${r.key}.keptFor`)}</td>
              <td className={cell}>{t(`privacy.retention.${r.key}.onDeletion`)}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    </div>
  );
}
