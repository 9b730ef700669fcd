import { exportFileName, parseExportFile } from "~/domain/tabular-export";
import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { notFound } from "~/lib/permissions.server";
import { keysetBatches, tabularResponse } from "~/lib/tabular-export.server";
import { shanghaiDay } from "~/lib/time";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { DATASETS, EXPORT_BATCH_SIZE } from "./datasets.server";

/**
 * The officials' exports: `/admin/exports/<dataset>.<xlsx|csv>?<the list page's filters>`.
 * The dataset's definition checks access through its wing (403/404 before anything is read),
 * counts the rows its filters match, and the export is audited ("export.<dataset>": who, format,
 * filters, rows) before the first byte is sent — so no file leaves unrecorded; the count is the
 * rows matching when the download began (rows written during a long download may differ by those).
 * The rows are then read in keyset batches and streamed (lib/tabular-export.server.ts).
 */
export async function exportDataset(
  actor: Pick<Actor, "id" | "grants">,
  file: string,
  search: URLSearchParams,
  locale: Locale,
  options: { batchSize?: number; onBatch?: (rows: number) => void; client?: Db; now?: Date } = {},
): Promise<Response> {
  const parsed = parseExportFile(file);
  if (!parsed) notFound();
  const { dataset, format } = parsed;
  const prepared = await DATASETS[dataset](actor, search, locale);
  const rows = await prepared.count();
  const filters = Object.fromEntries(Object.entries(prepared.filters).filter(([, v]) => v !== null && v !== ""));
  const client = options.client ?? db();
  await client.$transaction((tx) => audit(tx, { actorId: actor.id, action: `export.${dataset}`, objectType: "Export", objectId: dataset, after: { format, filters, rows } }));
  return tabularResponse({
    format,
    filename: exportFileName([dataset, ...prepared.nameParts, shanghaiDay(options.now ?? new Date())], format),
    sheet: dataset,
    columns: prepared.columns,
    batches: keysetBatches(prepared.fetch, options.batchSize ?? EXPORT_BATCH_SIZE, options.onBatch),
  });
}
