import { Link } from "react-router";
import type { Route } from "./+types/admin.rounds";
import { PhaseBadge } from "~/components/round-form";
import { ButtonLink, EmptyState, ListRow, PageTitle, Pagination, RowList, TitleLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterSelect } from "~/components/ui/filters";
import { formatFen } from "~/domain/money";
import { PHASES } from "~/domain/rounds";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { listOfficialRounds, pendingDrawCount } from "~/services/rounds/rounds.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const list = await listOfficialRounds(viewer, url.searchParams.get("page"), url.searchParams.get("phase"));
  return { ...list, drawsToDecide: await pendingDrawCount(viewer) };
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
        <ButtonLink to="/admin/rounds/new">{t("rounds.admin.new")}</ButtonLink>
      </div>
      <p className="text-sm">
        <Link to="/admin/rounds/draws" className={p.drawsToDecide ? "font-medium text-brand-700 underline" : "text-brand-700 underline"} data-testid="draws-link">
          {t("rounds.draws.link", { count: p.drawsToDecide })}
        </Link>
      </p>
      <FilterBar compact values={{ phase: p.phase }} className="flex flex-wrap items-end gap-2 text-sm">
        <FilterSelect id="phase-filter" name="phase" label={t("rounds.admin.filter")} allLabel={t("rounds.admin.allPhases")} options={PHASES.map((ph) => ({ value: ph, label: t(`rounds.phase.${ph}`) }))} />
        <FilterActions apply={t("rounds.admin.filterApply")} />
      </FilterBar>
      <RowList testId="admin-round-list" empty={p.rounds.length === 0 && <EmptyState title={t("rounds.admin.empty")} />}>
        {p.rounds.map((r) => (
          <ListRow key={r.code} aside={<PhaseBadge phase={r.phase} />}>
            <p className="font-medium">
              <TitleLink to={`/admin/rounds/${r.code}`}>{r.title}</TitleLink>
            </p>
            <p className="text-sm text-slate-600">
              {r.code} · {localName(locale, r.area)} · {formatFen(r.poolFen)}
            </p>
            <p className="text-sm text-slate-600">
              {t("rounds.card.dates", { from: day(r.needsStartsAt), to: day(r.closesAt) })} · {t("rounds.card.submitted", { count: r.submitted })}
            </p>
          </ListRow>
        ))}
      </RowList>
      <Pagination page={p.page} pages={p.pages} />
    </div>
  );
}
