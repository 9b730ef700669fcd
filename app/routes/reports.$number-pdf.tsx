import type { Route } from "./+types/reports.$number-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { pdfResponse } from "~/services/documents/documents.server";
import { publishedReportPdf } from "~/services/reports/reports.server";

/** A published report as a print-ready PDF: public, drawn from its stored figures (the Chinese copy is the published bytes). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const number = /^\d{1,9}$/.test(params.number) ? Number(params.number) : NaN;
  return pdfResponse(await publishedReportPdf(number, resolveLocale(request, viewer)), { public: true });
}
