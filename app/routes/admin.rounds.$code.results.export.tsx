import type { Route } from "./+types/admin.rounds.$code.results.export";
import { requireViewer } from "~/lib/session.server";
import { officialResultsExport } from "~/services/review/results-export.server";

/** The results with judge names, for officials of the round's area (?format=csv|json|xlsx). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return officialResultsExport(viewer, params.code, new URL(request.url).searchParams.get("format"));
}
