import type { Route } from "./+types/admin.rounds.$code.results-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse, resultsPdf } from "~/services/documents/documents.server";

/** The ranking and awards sheet for the file: officials of the round only; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pdfResponse(await resultsPdf(viewer, params.code, resolveLocale(request, viewer)));
}
