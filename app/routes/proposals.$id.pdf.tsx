import type { Route } from "./+types/proposals.$id.pdf";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse, proposalPdf } from "~/services/documents/documents.server";

/** The proposal as filed (申报书), from its snapshot: for its organization's members and the round's officials, 404 for others; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return pdfResponse(await proposalPdf(viewer, params.id, resolveLocale(request, viewer)));
}
