import { Form } from "react-router";
import type { Route } from "./+types/admin.rounds";
import { PhaseBadge } from "~/components/round-form";
import { ButtonLink, EmptyState, ListRow, PageTitle, Pagination, RowList, TitleLink } from "~/components/ui";
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
      <Form method="get" className="flex flex-wrap items-end gap-2 text-sm">
        <div>
          <label htmlFor="phase-filter" className="block text-slate-700">
            {t("rounds.admin.filter")}
          </label>
          <select id="phase-filter" name="phase" defaultValue={p.phase ?? ""} className="mt-1 rounded border border-slate-400 bg-white px-2 py-1">
            <option value="">{t("rounds.admin.allPhases")}</option>
            {PHASES.map((ph) => (
              <option key={ph} value={ph}>
                {t(`rounds.phase.${ph}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-slate-400 px-3 py-1">
          {t("rounds.admin.filterApply")}
        </button>
      </Form>
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
