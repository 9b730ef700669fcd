import type { ReactNode } from "react";
import { cell, DataTable } from "~/components/ui";
import { COMPONENTS, type OrgRankingRow } from "~/domain/org-ranking";
import { useLocale, useT } from "~/lib/i18n";

/** A score of the ranking as the rules state it: one decimal; "—" without data. */
const score = (v: number | null) => (v === null ? "—" : v.toFixed(1));

/**
 * The quarterly organisation ranking as a table: rank, organisation (with why it scored its worst
 * where it did not report), each measure, the combined score (or why it has none) and the flag of
 * the bottom three. The officials' dashboard and a published ranking notice (通报) show the same rows.
 */
export function RankingTable({ rows, testId, label, empty }: { rows: readonly OrgRankingRow[]; testId: string; label?: string; empty?: ReactNode }) {
  const t = useT();
  return (
    <DataTable
      testId={testId}
      label={label}
      headers={[t("dashboard.ranking.rank"), t("dashboard.ranking.organization"), ...COMPONENTS.map((c) => t(`dashboard.ranking.${c}`)), t("dashboard.ranking.combined"), ""]}
      empty={empty}
    >
      {rows.map((r) => (
        <RankingRow key={r.organizationId} row={r} />
      ))}
    </DataTable>
  );
}

function RankingRow({ row: r }: { row: OrgRankingRow }) {
  const t = useT();
  const locale = useLocale();
  const notes = [
    r.missing.length ? t("dashboard.ranking.missing", { measures: r.missing.map((c) => t(`dashboard.ranking.${c}`)).join(locale === "en" ? ", " : "、") }) : null,
    r.overdueMilestones ? t("dashboard.ranking.overdue", { count: r.overdueMilestones }) : null,
    r.silentProjects ? t("dashboard.ranking.silent", { count: r.silentProjects }) : null,
  ].filter(Boolean);
  return (
    <tr className={r.flagged ? "bg-amber-50" : undefined} data-testid={r.flagged ? "ranking-row-flagged" : "ranking-row"}>
      <td className={`${cell} text-right`}>{r.rank ?? "—"}</td>
      <th scope="row" className={`${cell} text-left font-normal`}>
        {r.name}
        {notes.length ? (
          <span className="block text-xs text-amber-900" data-testid="ranking-missing">
            {notes.join(locale === "en" ? "; " : "；")}
          </span>
        ) : null}
      </th>
      {COMPONENTS.map((c) => (
        <td key={c} className={`${cell} text-right`}>
          {score(r.components[c])}
          {r.missing.includes(c) ? t("dashboard.ranking.missingMark") : null}
        </td>
      ))}
      <td className={`${cell} text-right font-semibold`}>{r.combined === null ? t(r.unranked ? `dashboard.ranking.unranked.${r.unranked}` : "dashboard.ranking.noData") : score(r.combined)}</td>
      <td className={cell}>{r.flagged ? <strong className="text-amber-900">{t("dashboard.ranking.flagged")}</strong> : null}</td>
    </tr>
  );
}
