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

/** The canonical retention table (domain/personal-data.ts RETENTION) in the reader's language. */
export function RetentionTable() {
  const t = useT();
  return (
    <DataTable testId="retention-table" headers={[t("privacy.retention.col.data"), t("privacy.retention.col.keptFor"), t("privacy.retention.col.onDeletion")]}>
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
  );
}
