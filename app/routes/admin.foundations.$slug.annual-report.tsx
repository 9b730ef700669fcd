import { Form } from "react-router";
import type { Route } from "./+types/admin.foundations.$slug.annual-report";
import { inputClass } from "~/components/form";
import { ReportAdmin } from "~/components/report-admin";
import { PageTitle } from "~/components/ui";
import { shanghaiDay } from "~/lib/time";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { reportAction } from "~/services/reports/report-actions.server";
import { annualReportTarget, reportsOf } from "~/services/reports/reports.server";

const yearOf = (request: Request) => new URL(request.url).searchParams.get("year") ?? shanghaiDay(new Date()).slice(0, 4);

/** A foundation's annual work report (年度工作报告) of a year: its managers generate a draft and publish it. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const target = await annualReportTarget(viewer, params.slug, yearOf(request));
  const thisYear = Number(shanghaiDay(new Date()).slice(0, 4));
  return {
    slug: params.slug,
    year: target.year!,
    years: [thisYear, thisYear - 1, thisYear - 2],
    published: (await reportsOf({ foundationId: target.foundationId, kind: "ANNUAL" })).filter((r) => r.year === target.year),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  return reportAction(request, viewer, await annualReportTarget(viewer, params.slug, yearOf(request)));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "report.annualTitle");

export default function AnnualReportAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { slug, year, years, published } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle>{t("report.annualHeading", { year })}</PageTitle>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block">{t("report.year")}</span>
          <select name="year" defaultValue={String(year)} className={inputClass}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded border border-slate-300 px-3 py-2 text-sm">
          {t("report.chooseYear")}
        </button>
      </Form>
      <ReportAdmin actionData={actionData} published={published} draftPdf={`/admin/foundations/${encodeURIComponent(slug)}/annual-report.pdf?year=${year}`} />
    </div>
  );
}
