import type { Route } from "./+types/judging";
import { Done, EmptyState, PageTitle, TextLink } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { formatPoints } from "~/domain/score-sheet";
import { useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { judgeQueue } from "~/services/review/scoring.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { seats: await judgeQueue(viewer), done: new URL(request.url).searchParams.get("done") };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.queue.title");

export default function JudgingQueue({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { seats, done } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle>{t("review.queue.title")}</PageTitle>
      <Done message={done ? `review.queue.done.${done}` : null} />
      {seats.length === 0 ? (
        <EmptyState title={t("review.queue.empty")}>{t("review.queue.emptyHint")}</EmptyState>
      ) : (
        seats.map((s) => (
          <section key={s.round.code} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-testid={`queue-${s.round.code}`}>
            <h2 className="text-lg font-semibold">
              {s.round.title} <PhaseBadge phase={s.round.phase} />
            </h2>
            <p className="text-sm text-slate-700">
              {t("review.queue.deadline", { date: formatDeadline(locale, s.round.deadline) })} ·{" "}
              <span data-testid="queue-progress">{t("review.queue.progress", { done: s.submitted, total: s.items.length })}</span>
            </p>
            <progress className="w-full" max={Math.max(1, s.items.length)} value={s.submitted} aria-label={t("review.queue.progressLabel")} />
            {s.items.length === 0 ? (
              <p className="text-sm">{t("review.queue.noItems")}</p>
            ) : (
              <ul className="divide-y divide-slate-200">
                {s.items.map((i) => (
                  <li key={i.proposalId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <TextLink to={`/judging/sheets/${i.proposalId}`}><span className="font-mono">{i.referenceNo}</span> {i.title}</TextLink>
                    <span className="text-sm text-slate-700">
                      {i.organization ? `${i.organization} · ` : ""}
                      <span data-testid="sheet-status">{t(`review.sheet.${i.status}`)}</span>
                      {i.total !== null ? ` · ${formatPoints(i.total)}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))
      )}
    </div>
  );
}
