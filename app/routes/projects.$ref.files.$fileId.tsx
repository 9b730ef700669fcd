import type { Route } from "./+types/projects.$ref.files.$fileId";
import { notFound } from "~/lib/permissions.server";
import { requireViewer } from "~/lib/session.server";
import { reportFileUpload } from "~/services/projects/reports.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";

/**
 * A photo or file of a milestone report (any status), or `?thumb=1` a photo's thumbnail, for the
 * project's grantee and officials only (403 for anyone else). Images and PDFs open in the
 * browser; other files download.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const thumb = new URL(request.url).searchParams.get("thumb") === "1";
  const uploadId = await reportFileUpload(viewer, params.ref, params.fileId, thumb);
  const upload = await readUpload(uploadId);
  if (!upload) notFound();
  return uploadResponse(upload, { inline: true });
}
