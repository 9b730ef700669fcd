import type { Route } from "./+types/admin.audit.export";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { auditLogCsv, parseAuditFilters } from "~/services/books/audit-log.server";

/** The audit log as CSV, with the page's filters and the reader's scope; audited ("audit.export"). */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return auditLogCsv(viewer, parseAuditFilters(new URL(request.url).searchParams), { locale: resolveLocale(request, viewer) });
}
