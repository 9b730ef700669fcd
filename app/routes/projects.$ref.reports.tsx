import { Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.reports";
import { FormErrors, replyFor, useZodForm } from "~/components/form";
import { ReadOnlyNotice } from "~/components/project-nav";
import { cell, DataTable, Done, EmptyState, PageTitle, Pagination } from "~/components/ui";
import { withParams } from "~/domain/messages";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { reportsPage, startReport } from "~/services/projects/reports.server";

/** The grantee starts the report of a milestone (one button per row). */
const StartSchema = z.object({ intent: z.literal("start"), milestoneId: z.string() });

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  return { view: await reportsPage(viewer, params.ref, url.searchParams.get("page")) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), StartSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await startReport(viewer, params.ref, submission.value.milestoneId);
  if (r.ok) return redirect(`/projects/${encodeURIComponent(params.ref)}/reports/${r.reportId}`);
  return problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.reports.title");

export default function ReportsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view } = loaderData;
  const p = view.project;
  const base = `/projects/${encodeURIComponent(p.referenceNo)}`;
  const [startForm] = useZodForm(StartSchema, replyFor(actionData, "start"), { id: "start" });
  return (
    <div className="space-y-6">
      <PageTitle>{t("monitoring.reports.title")}</PageTitle>
      <ReadOnlyNotice writable={p.writable} />
      <FormErrors form={startForm} />
      {p.isOfficial && view.awaiting > 0 ? <Done message={withParams("monitoring.reports.awaiting", { count: view.awaiting })} /> : null}
      <DataTable
        testId="milestones"
        headers={[t("monitoring.milestone.position"), t("monitoring.milestone.title"), t("monitoring.milestone.due"), t("monitoring.milestone.status"), t("monitoring.report.status"), ""]}
        empty={view.milestones.length === 0 && <EmptyState title={t("monitoring.reports.noMilestones")} />}
      >
        {view.milestones.map((m) => (
          <tr key={m.id} data-testid={`milestone-${m.position}`}>
            <td className={cell}>{m.position}</td>
            <td className={cell}>
              <span className="font-medium">{m.title}</span>
              {m.deliverable ? <p className="text-slate-600">{m.deliverable}</p> : null}
            </td>
            <td className={cell}>{m.dueOn ? formatDateTime(locale, m.dueOn, false) : "—"}</td>
            <td className={cell}>{t(`monitoring.milestoneStatus.${m.status}`)}</td>
            <td className={cell}>
              {m.report ? (
                <>
                  <span className="font-medium">{t(`monitoring.reportStatus.${m.report.status}`)}</span>
                  <p className="text-slate-600">{t("monitoring.report.updated", { date: formatDateTime(locale, m.report.updatedAt) })}</p>
                </>
              ) : (
                t("monitoring.report.none")
              )}
            </td>
            <td className={cell}>
              {m.report ? (
                <Link to={`${base}/reports/${m.report.id}`} className="text-brand-700 underline">
                  {t("monitoring.report.open")}
                </Link>
              ) : p.isGrantee && p.writable && m.status === "PENDING" ? (
                <Form method="post">
                  <input type="hidden" name="milestoneId" value={m.id} />
                  <button type="submit" name="intent" value="start" className="rounded bg-brand-700 px-3 py-1 text-white">
                    {t("monitoring.report.start")}
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={view.page} pages={view.pages} />
    </div>
  );
}
