import type { Route } from "./+types/account.export.download";
import { requireViewer } from "~/lib/session.server";
import { downloadExport } from "~/services/privacy/export.server";

/**
 * The ZIP of a data export, for the signed-in person it belongs to only (audited). Another
 * account's link is 404, as an unknown one; an expired one 410.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const r = await downloadExport(viewer, token);
  if (!r.ok) throw new Response(null, { status: r.problem.status === 409 ? 410 : 404 });
  return new Response(r.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${r.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
