import type { Route } from "./+types/rounds.$code.notice-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { noticePdf, pdfResponse } from "~/services/documents/documents.server";

/** The public notice (公示) as a print-ready PDF: public once the awards are published, like the notice page; 404 before. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  return pdfResponse(await noticePdf(params.code, resolveLocale(request, viewer)), { public: true });
}
