import type { Route } from "./+types/admin.foundations.$slug.appropriations.$id.attachment";
import { requireViewer } from "~/lib/session.server";
import { uploadResponse } from "~/lib/uploads.server";
import { appropriationAttachment } from "~/services/giving/funds.server";

/** An appropriation's document scan: the officials who set up the foundation's money only. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return uploadResponse(await appropriationAttachment(viewer, params.slug, params.id));
}
