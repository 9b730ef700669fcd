import type { Route } from "./+types/open-data.$file";
import { openDataResponse } from "~/services/public/open-data.server";

/**
 * One dataset as a file: /open-data/donations.csv or /open-data/donations.json (stable
 * addresses, documented on /open-data). Unknown names and formats are 404. Public.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  return openDataResponse(params.file, { ifNoneMatch: request.headers.get("if-none-match") });
}
