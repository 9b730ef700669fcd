import type { Route } from "./+types/projects.$ref.photos.$fileId";
import { publicPhotoResponse } from "~/services/public/project-public.server";

/**
 * A photo of an APPROVED milestone report (or `?thumb=1` its thumbnail): public, without signing
 * in; 404 for anything else, the same for unknown and not (yet) approved (ADR 010).
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const thumb = new URL(request.url).searchParams.get("thumb") === "1";
  return publicPhotoResponse(params.ref, params.fileId, thumb);
}
