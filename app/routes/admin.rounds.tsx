import { Link } from "react-router";
import type { Route } from "./+types/admin.rounds";
import { PhaseBadge } from "~/components/round-form";
import { EmptyState, PageTitle, Pagination } from "~/components/ui";
import { FilterActions, FilterBar, FilterSelect } from "~/components/ui/filters";
import { formatFen } from "~/domain/money";
import { PHASES } from "~/domain/rounds";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { listOfficialRounds } from "~/services/rounds/rounds.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  return listOfficialRounds(viewer, url.searchParams.get("page"), url.searchParams.get("phase"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "rounds.admin.title");

export default function AdminRounds({ loaderData: p }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const day = (iso: string) => formatDateTime(locale, iso, false);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle sub={t("rounds.admin.subtitle")}>{t("rounds.admin.title")}</PageTitle>
        <Link to="/admin/rounds/new" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          {t("rounds.admin.new")}
        </Link>
      </div>
      <FilterBar compact values={{ phase: p.phase }} className="flex flex-wrap items-end gap-2 text-sm">
        <FilterSelect id="phase-filter" name="phase" label={t("rounds.admin.filter")} allLabel={t("rounds.admin.allPhases")} options={PHASES.map((ph) => ({ value: ph, label: t(`rounds.phase.${ph}`) }))} />
        <FilterActions apply={t("rounds.admin.filterApply")} />
      </FilterBar>
      {p.rounds.length === 0 ? (
        <EmptyState title={t("rounds.admin.empty")} />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="admin-round-list">
          {p.rounds.map((r) => (
            <li key={r.code} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <p className="font-medium">
                  <Link to={`/admin/rounds/${r.code}`} className="text-brand-700 underline-offset-4 hover:underline">
                    {r.title}
                  </Link>
                </p>
                <p className="text-sm text-slate-600">
                  {r.code} · {localName(locale, r.area)} · {formatFen(r.poolFen)}
                </p>
                <p className="text-sm text-slate-600">
                  {t("rounds.card.dates", { from: day(r.needsStartsAt), to: day(r.closesAt) })} · {t("rounds.card.submitted", { count: r.submitted })}
                </p>
              </div>
              <PhaseBadge phase={r.phase} />
            </li>
          ))}
        </ul>
      )}
      <Pagination page={p.page} pages={p.pages} />
    </div>
  );
}
