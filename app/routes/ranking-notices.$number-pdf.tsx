import type { Route } from "./+types/ranking-notices.$number-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { pdfResponse, rankingNoticePdf } from "~/services/documents/documents.server";

/** A published quarterly ranking (通报) as a print-ready PDF for the notice board: public, like the page. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const number = /^\d{1,9}$/.test(params.number) ? Number(params.number) : NaN;
  return pdfResponse(await rankingNoticePdf(number, resolveLocale(request, viewer)), { public: true });
}
