import type { Route } from "./+types/trainings.$number.certificate-pdf";
import { resolveLocale } from "~/lib/locale.server";
import { referenceNumber } from "~/lib/params.server";
import { requireViewer } from "~/lib/session.server";
import { pdfResponse } from "~/services/documents/documents.server";
import { certificate } from "~/services/trainings/trainings.server";

/** The signed-in person's certificate of attendance (培训证明): only when they attended, 404 otherwise; audited. */
export async function loader({ request, params }: Route.LoaderArgs) {
  // signed in first: a visitor is sent to sign in whatever the address holds
  const viewer = await requireViewer(request);
  const n = referenceNumber(params.number);
  return pdfResponse(await certificate(viewer, n, resolveLocale(request, viewer)));
}
