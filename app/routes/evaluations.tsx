import { Link } from "react-router";
import type { Route } from "./+types/evaluations";
import { cell, DataTable, EmptyState, PageTitle, Section } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { evaluationQueue } from "~/services/projects/evaluation.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { queue: await evaluationQueue(viewer) };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "evaluations.title");

const projectLink = (ref: string) => `/projects/${encodeURIComponent(ref)}/evaluation`;

export default function EvaluationsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { queue } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle>{t("evaluations.title")}</PageTitle>
      <Section id="mine-heading" title={t("evaluations.mine")} size="lg" className="space-y-2">
        {queue.mine.length === 0 ? (
          <EmptyState title={t("evaluations.noneMine")} />
        ) : (
          <DataTable testId="my-evaluations" headers={[t("evaluations.col.project"), t("evaluations.col.organization"), t("evaluations.col.status"), t("evaluations.col.total")]}>
            {queue.mine.map((e) => (
              <tr key={e.id}>
                <td className={cell}>
                  <Link to={projectLink(e.referenceNo)} className="text-brand-700 underline">
                    <span className="font-mono">{e.referenceNo}</span> {e.title}
                  </Link>
                </td>
                <td className={cell}>{e.organization}</td>
                <td className={cell}>
                  {t(`evaluation.status.${e.status}`)}
                  <span className="block text-xs text-slate-600">
                    {e.submittedAt ? t("evaluation.decidedAt", { date: formatDateTime(locale, e.submittedAt) }) : t("evaluation.invitedAt", { date: formatDateTime(locale, e.invitedAt) })}
                  </span>
                </td>
                <td className={cell}>{e.total ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Section>
      {queue.isOfficial ? (
        <Section id="ready-heading" title={t("evaluations.ready")} size="lg" className="space-y-2">
          {queue.ready.length === 0 ? (
            <EmptyState title={t("evaluations.noneReady")} />
          ) : (
            <DataTable testId="ready-evaluations" headers={[t("evaluations.col.project"), t("evaluations.col.organization"), t("evaluations.col.status")]}>
              {queue.ready.map((p) => (
                <tr key={p.referenceNo}>
                  <td className={cell}>
                    <Link to={projectLink(p.referenceNo)} className="text-brand-700 underline">
                      <span className="font-mono">{p.referenceNo}</span> {p.title}
                    </Link>
                  </td>
                  <td className={cell}>{p.organization}</td>
                  <td className={cell}>{p.invited ? t("evaluations.invitedCount", { count: p.invited }) : t("evaluations.open")}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Section>
      ) : null}
    </div>
  );
}
