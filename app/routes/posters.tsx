import type { Route } from "./+types/posters";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { posterFile, posterResponse } from "~/services/reach/posters.server";

/** A poster (A4 PDF, in the reader's language) or its QR code (PNG, SVG) for a public page: anyone may download it. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  return posterResponse(await posterFile(params.kind, params.key, params.file, resolveLocale(request, viewer)), request);
}
