import type { Locale } from "~/lib/i18n";
import type { Actor } from "~/services/accounts/actor.server";
import { auditDownload, type PdfFile } from "~/services/documents/documents.server";
import { renderAgreementPdf } from "~/services/documents/render.server";
import { agreementView } from "./projects.server";

/**
 * The grant agreement as a PDF (docs/decisions/011, 032): drawn by the documents' toolkit with
 * both parties' signature and seal blocks, page numbers and the terms' SHA-256 on every page.
 */

export { renderAgreementPdf };

/** The PDF of a project's agreement for someone allowed to see it (grantee, official); audited. */
export async function agreementPdf(viewer: Actor, referenceNo: string, locale: Locale): Promise<PdfFile> {
  const view = await agreementView(viewer, referenceNo);
  const bytes = await renderAgreementPdf(
    view.terms,
    {
      acceptedBy: view.project.acceptedBy,
      acceptedAt: view.project.acceptedAt,
      countersignedBy: view.project.countersignedBy,
      countersignedAt: view.project.countersignedAt,
      termsSha256: view.project.termsSha256,
    },
    locale,
  );
  const file = { bytes, filename: `${referenceNo}-${locale === "en" ? "agreement" : "资助协议"}.pdf` };
  await auditDownload(viewer, "agreement", "Project", view.project.id, file);
  return file;
}
