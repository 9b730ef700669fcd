import { cell, DataTable } from "~/components/ui";
import { RETENTION_ROWS } from "~/domain/privacy-notice";
import { useLocale, useT } from "~/lib/i18n";

/** A link to the privacy notice beside a consent: a new window, so the form keeps what was typed. */
export function NoticeLink({ className = "block text-sm" }: { className?: string }) {
  const t = useT();
  return (
    <a href="/privacy" target="_blank" rel="noopener" className={`${className} text-brand-700 underline`}>
      {t("privacy.link")}
    </a>
  );
}

/** The retention table of the notice, from the one list in domain/privacy-notice.ts. */
export function RetentionTable() {
  const t = useT();
  const lang = useLocale() === "en" ? "en" : "zh";
  return (
    <DataTable testId="retention" headers={[t("privacy.retention.data"), t("privacy.retention.keptFor"), t("privacy.retention.onDeletion")]}>
      {RETENTION_ROWS.map((r) => (
        <tr key={r.data.en}>
          <th scope="row" className={`${cell} text-left font-medium`}>
            {r.data[lang]}
          </th>
          <td className={cell}>{r.keptFor[lang]}</td>
          <td className={cell}>{r.onDeletion[lang]}</td>
        </tr>
      ))}
    </DataTable>
  );
}
