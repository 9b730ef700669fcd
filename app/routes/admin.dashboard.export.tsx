import type { Route } from "./+types/admin.dashboard.export";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { dashboardExport } from "~/services/areas/dashboard-export.server";

/** The dashboard of an area as an XLSX workbook (?area=<code>&quarter=2026-Q4), for its officials. */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const search = new URL(request.url).searchParams;
  return dashboardExport(viewer, { area: search.get("area"), quarter: search.get("quarter") }, resolveLocale(request, viewer));
}
