import type { Route } from "./+types/reports.$number-xlsx";
import { CONTENT_TYPES } from "~/lib/tabular-export.server";
import { contentDisposition } from "~/lib/uploads.server";
import { publishedReportXlsx } from "~/services/reports/reports.server";

/** A published report's figures as a spreadsheet (XLSX): public, like the report. */
export async function loader({ params }: Route.LoaderArgs) {
  const file = await publishedReportXlsx(/^\d{1,9}$/.test(params.number) ? Number(params.number) : NaN);
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": CONTENT_TYPES.xlsx,
      "Content-Disposition": contentDisposition("attachment", file.filename),
      "Content-Length": String(file.bytes.length),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "public, no-cache",
    },
  });
}
