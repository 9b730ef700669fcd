import type { Route } from "./+types/rounds";
import { EmptyState, PageTitle, Pagination, TitleLink } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { listPublicRounds } from "~/services/rounds/rounds.server";

export async function loader({ request }: Route.LoaderArgs) {
  return listPublicRounds(new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "rounds.title");

export default function Rounds({ loaderData: p }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const day = (iso: string) => formatDateTime(locale, iso, false);
  return (
    <div>
      <PageTitle sub={t("rounds.subtitle")}>{t("rounds.title")}</PageTitle>
      {p.rounds.length === 0 ? (
        <EmptyState title={t("rounds.empty")}>{t("rounds.emptyHint")}</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="round-list">
          {p.rounds.map((r) => (
            <li key={r.code} className="rounded-lg bg-white p-5 shadow-sm" data-testid="round-card">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <h2 className="text-lg font-semibold">
                  <TitleLink to={`/rounds/${r.code}`}>{roundTitle(locale, r)}</TitleLink>
                </h2>
                <PhaseBadge phase={r.phase} />
              </div>
              <p className="mt-1 text-sm text-slate-600">
                {r.code} · {localName(locale, r.area)}
              </p>
              <ul className="mt-3 space-y-1 text-sm">
                <li className="font-semibold tabular-nums">{t("rounds.card.pool", { amount: formatFen(r.poolFen) })}</li>
                <li>{t("rounds.card.range", { min: formatFen(r.minAwardFen), max: formatFen(r.maxAwardFen) })}</li>
                <li>{t("rounds.card.dates", { from: day(r.needsStartsAt), to: day(r.closesAt) })}</li>
                <li>{t("rounds.card.deadline", { date: formatDeadline(locale, r.proposalsDeadline) })}</li>
              </ul>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={p.page} pages={p.pages} />
    </div>
  );
}
