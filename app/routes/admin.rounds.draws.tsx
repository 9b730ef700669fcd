import { Link } from "react-router";
import type { Route } from "./+types/admin.rounds.draws";
import { cell, DataTable, EmptyState, PageTitle, Pagination } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { pendingDraws } from "~/services/rounds/rounds.server";

/**
 * Pool draws waiting for a decision in the official's areas: those they may decide (a fund of
 * their area, asked for by someone else) and those asked for rounds of their areas. Each links
 * to the round's page, where the decision is taken behind a question.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pendingDraws(viewer, new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "rounds.draws.title");

export default function PendingDraws({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { rows, page, pages } = loaderData;
  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link to="/admin/rounds" className="text-brand-700 underline">
          {t("rounds.admin.title")}
        </Link>
      </nav>
      <PageTitle sub={t("rounds.draws.intro")}>{t("rounds.draws.title")}</PageTitle>
      {rows.length === 0 ? (
        <EmptyState title={t("rounds.draws.none")} />
      ) : (
        <DataTable testId="pending-draws" headers={[t("rounds.draws.round"), t("rounds.draws.fund"), t("rounds.draws.amount"), t("rounds.draws.requested"), null]}>
          {rows.map((d) => (
            <tr key={d.id}>
              <td className={cell}>
                <span className="font-mono">{d.round.code}</span> {d.round.title}
                <span className="block text-xs text-slate-600">{localName(locale, d.round.area)}</span>
              </td>
              <td className={cell}>
                {d.budgetLineNo ? t("rounds.budgetLine.of", { line: d.budgetLineNo }) : localName(locale, d.foundation)}
                <span className="block text-xs text-slate-600">{localName(locale, d.foundation.area)}</span>
              </td>
              <td className={`${cell} text-right tabular-nums`}>{formatFen(d.amountFen)}</td>
              <td className={cell}>
                {d.requestedBy ?? "—"}
                <span className="block text-xs text-slate-600">{formatDateTime(locale, d.requestedAt)}</span>
              </td>
              <td className={cell}>
                {d.mayDecide ? <span className="block font-medium">{t("rounds.draws.yourTurn")}</span> : null}
                {d.requestedByMe ? <span className="block text-xs text-slate-600">{t("rounds.draws.yours")}</span> : null}
                <Link to={`/admin/rounds/${encodeURIComponent(d.round.code)}`} className="text-brand-700 underline">
                  {t("rounds.draws.open")}
                  <span className="sr-only"> {d.round.code}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
