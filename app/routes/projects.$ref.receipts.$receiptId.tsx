import type { Route } from "./+types/projects.$ref.receipts.$receiptId";
import { notFound } from "~/lib/permissions.server";
import { requireViewer } from "~/lib/session.server";
import { receiptUpload } from "~/services/projects/expenses.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";

/**
 * A receipt of one of the project's expenses, for its grantee and officials only (403 for anyone
 * else; receipts may carry personal data and are never public). Images and PDFs open inline.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const uploadId = await receiptUpload(viewer, params.ref, params.receiptId);
  const upload = await readUpload(uploadId);
  if (!upload) notFound();
  return uploadResponse(upload, { inline: true });
}
