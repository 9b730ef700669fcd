import type { Route } from "./+types/admin.foundations.$slug.annual-report-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse } from "~/services/documents/documents.server";
import { annualReportTarget, draftPdf } from "~/services/reports/reports.server";

/** The draft of a foundation's annual report as a PDF marked 草稿: its managers, audited as a generation. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const target = await annualReportTarget(viewer, params.slug, new URL(request.url).searchParams.get("year"));
  return pdfResponse(await draftPdf(viewer, target, resolveLocale(request, viewer)));
}
