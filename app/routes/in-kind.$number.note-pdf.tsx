import type { Route } from "./+types/in-kind.$number.note-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { notFound } from "~/lib/permissions.server";
import { requireViewer } from "~/lib/session.server";
import { auditDownload, pdfResponse } from "~/services/documents/documents.server";
import { giftNotePdf } from "~/services/partners/in-kind.server";

/** An in-kind gift's received-goods note (收货确认单): for the receiving community's officials and the giving unit's members; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  if (!/^\d{1,9}$/.test(params.number)) notFound();
  const file = await giftNotePdf(viewer, Number(params.number), resolveLocale(request, viewer));
  await auditDownload(viewer, "in-kind-note", "InKindGift", params.number, file);
  return pdfResponse(file);
}
