import type { Route } from "./+types/admin.rounds.$code.screening-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse, screeningPdf } from "~/services/documents/documents.server";

/** The screening results sheet for the file: officials of the round only; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pdfResponse(await screeningPdf(viewer, params.code, resolveLocale(request, viewer)));
}
