import type { Route } from "./+types/rounds.$code.notice.export";
import { publicResultsExport } from "~/services/review/results-export.server";

/** Open data: the published results, judges anonymised (?format=csv|json|xlsx). */
export async function loader({ request, params }: Route.LoaderArgs) {
  return publicResultsExport(params.code, new URL(request.url).searchParams.get("format"));
}
