import type { Route } from "./+types/projects.$ref.agreement-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse } from "~/services/documents/documents.server";
import { agreementPdf } from "~/services/projects/agreement-pdf.server";

/** The grant agreement as a PDF, in the viewer's language, for its grantee and officials; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pdfResponse(await agreementPdf(viewer, params.ref, resolveLocale(request, viewer)));
}
