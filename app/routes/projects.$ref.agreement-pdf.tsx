import type { Route } from "./+types/projects.$ref.agreement-pdf";
import { contentDisposition } from "~/lib/uploads.server";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { agreementPdf } from "~/services/projects/agreement-pdf.server";

/** The grant agreement as a PDF, in the viewer's language, for its grantee and officials. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const { bytes, filename } = await agreementPdf(viewer, params.ref, resolveLocale(request, viewer));
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("attachment", filename),
      "Cache-Control": "private, no-store",
    },
  });
}
