import type { Route } from "./+types/proposals.$id.attachments.$attachmentId";
import { requireViewer } from "~/lib/session.server";
import { attachmentFor } from "~/services/proposals/proposals.server";
import { uploadResponse } from "~/lib/uploads.server";

/** An attachment of a proposal, for exactly those who may see the proposal; always a download. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return uploadResponse(await attachmentFor(viewer, params.id, params.attachmentId));
}
