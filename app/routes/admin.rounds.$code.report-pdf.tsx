import type { Route } from "./+types/admin.rounds.$code.report-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse } from "~/services/documents/documents.server";
import { draftPdf, roundReportTarget } from "~/services/reports/reports.server";

/** The draft of a round's closing report as a PDF marked 草稿: officials of its area, audited as a generation. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pdfResponse(await draftPdf(viewer, await roundReportTarget(viewer, params.code), resolveLocale(request, viewer)));
}
