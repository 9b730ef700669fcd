import type { Route } from "./+types/evaluations";
import { cell, DataTable, EmptyState, PageTitle, Section, TextLink } from "~/components/ui";
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

/** The first cells of a row: the project (a link to its evaluation) and its organization. */
function ProjectCells({ project: p }: { project: { referenceNo: string; title: string; organization: string } }) {
  return (
    <>
      <td className={cell}>
        <TextLink to={projectLink(p.referenceNo)}>
          <span className="font-mono">{p.referenceNo}</span> {p.title}
        </TextLink>
      </td>
      <td className={cell}>{p.organization}</td>
    </>
  );
}

export default function EvaluationsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { queue } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle>{t("evaluations.title")}</PageTitle>
      <Section id="mine-heading" title={t("evaluations.mine")} size="lg" className="space-y-2">
        <DataTable
          testId="my-evaluations"
          headers={[t("evaluations.col.project"), t("evaluations.col.organization"), t("evaluations.col.status"), t("evaluations.col.total")]}
          empty={queue.mine.length === 0 && <EmptyState title={t("evaluations.noneMine")} />}
        >
          {queue.mine.map((e) => (
            <tr key={e.id}>
              <ProjectCells project={e} />
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
      </Section>
      {queue.isOfficial ? (
        <Section id="ready-heading" title={t("evaluations.ready")} size="lg" className="space-y-2">
          <DataTable
            testId="ready-evaluations"
            headers={[t("evaluations.col.project"), t("evaluations.col.organization"), t("evaluations.col.status")]}
            empty={queue.ready.length === 0 && <EmptyState title={t("evaluations.noneReady")} />}
          >
            {queue.ready.map((p) => (
              <tr key={p.referenceNo}>
                <ProjectCells project={p} />
                <td className={cell}>{p.invited ? t("evaluations.invitedCount", { count: p.invited }) : t("evaluations.open")}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
      ) : null}
    </div>
  );
}
