import type { Route } from "./+types/admin.exports.$file";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { exportDataset } from "~/services/exports/exports.server";

/**
 * An officials' export as a download: /admin/exports/needs.xlsx?status=OPEN&community=…, with
 * the list page's own filters (needs, proposals, projects, expenses, donations; xlsx or csv).
 * Access per dataset, audited, streamed (services/exports).
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return exportDataset(viewer, params.file, new URL(request.url).searchParams, resolveLocale(request, viewer));
}
