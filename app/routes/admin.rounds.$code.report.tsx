import type { Route } from "./+types/admin.rounds.$code.report";
import { ReportAdmin } from "~/components/report-admin";
import { PageTitle } from "~/components/ui";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { reportAction } from "~/services/reports/report-actions.server";
import { reportsOf, roundReportTarget } from "~/services/reports/reports.server";

/** A round's closing report (结项报告): officials of its area generate a draft and publish it. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const target = await roundReportTarget(viewer, params.code);
  return { code: params.code, published: await reportsOf({ roundId: target.roundId! }) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  return reportAction(request, viewer, await roundReportTarget(viewer, params.code));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "report.roundTitle");

export default function RoundReportAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  return (
    <div className="space-y-6">
      <PageTitle>{t("report.roundTitle")}</PageTitle>
      <ReportAdmin actionData={actionData} published={loaderData.published} draftPdf={`/admin/rounds/${encodeURIComponent(loaderData.code)}/report.pdf`} />
    </div>
  );
}
