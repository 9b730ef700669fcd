import type { Route } from "./+types/admin.objections.$id.attachment";
import { requireViewer } from "~/lib/session.server";
import { objectionAttachment } from "~/services/awards/awards.server";
import { uploadResponse } from "~/lib/uploads.server";

/** An objection's attachment: officials of the round's area only (it may identify the objector). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return uploadResponse(await objectionAttachment(viewer, params.id));
}
