import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { bilingualHeader, csvRecord, type CellValue, type ExportColumn, type ExportFormat } from "~/domain/tabular-export";
import { translate } from "./i18n";
import { logger } from "./logger.server";

/**
 * Streams a table to the browser as XLSX or CSV: a column list and an async iterator of row
 * batches in, a Response out. Rows are written batch by batch as the client reads them, so a file
 * of any length holds one batch in memory (the XLSX through exceljs' streaming WorkbookWriter,
 * which writes each committed row into the zip as it goes; the CSV as text with a UTF-8 BOM so
 * Excel reads Chinese correctly). Headers read "中文 / English" whoever downloads the file.
 */

export interface TabularExport<R> {
  format: ExportFormat;
  filename: string;
  /** the worksheet's name (XLSX) */
  sheet: string;
  columns: readonly ExportColumn<R>[];
  batches: AsyncIterable<readonly R[]>;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

export const headersOf = (columns: readonly ExportColumn<unknown>[]) => columns.map((c) => bilingualHeader(translate("zh-CN", c.header), translate("en", c.header)));

/**
 * Reads rows in batches by keyset: `fetch(after, take)` returns up to `take` rows after the last
 * row of the previous batch (null for the first); the walk ends at a short batch. `onBatch` counts
 * the reads (tests, logs).
 */
export async function* keysetBatches<R>(fetch: (after: R | null, take: number) => Promise<R[]>, size: number, onBatch?: (rows: number) => void): AsyncGenerator<R[]> {
  let after: R | null = null;
  for (;;) {
    const rows = await fetch(after, size);
    onBatch?.(rows.length);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows.at(-1)!;
  }
}

/**
 * A byte stream of the strings `source` yields, read only as the consumer asks for more; a failure
 * while streaming is logged (as `what`) and ends the stream with that error; a cancelled download
 * stops the source.
 */
export function textStream(source: AsyncGenerator<string>, what: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logger.error({ err: error }, `${what} failed while streaming`);
        controller.error(error);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

function csvBody<R>(spec: TabularExport<R>): ReadableStream<Uint8Array> {
  async function* chunks(): AsyncGenerator<string> {
    yield "\uFEFF" + csvRecord(headersOf(spec.columns as readonly ExportColumn<unknown>[]));
    for await (const batch of spec.batches) yield batch.map((r) => csvRecord(spec.columns.map((c) => c.value(r)))).join("");
  }
  return textStream(chunks(), "export");
}

function xlsxBody<R>(spec: TabularExport<R>): ReadableStream<Uint8Array> {
  // exceljs writes the zip into `out`; the next batch is read only once the reader has drained
  // what the previous one wrote, so a slow download does not pile rows up in memory
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const drained = () => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once("drain", resolve).once("close", resolve)) : Promise.resolve());
  const iterator = spec.batches[Symbol.asyncIterator]();
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(spec.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = spec.columns.map((c, i) => ({ key: String(i), width: c.width ?? 16 }));
    const head = sheet.addRow(headersOf(spec.columns as readonly ExportColumn<unknown>[]));
    head.font = { bold: true };
    head.commit();
    for (;;) {
      await drained();
      if (out.destroyed) {
        await iterator.return?.(undefined);
        return;
      }
      const next = await iterator.next();
      if (next.done) break;
      for (const r of next.value) sheet.addRow(spec.columns.map((c): CellValue => c.value(r))).commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    logger.error({ err: error }, "export failed while streaming");
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** The table as a download: streamed, private, never cached. */
export function tabularResponse<R>(spec: TabularExport<R>): Response {
  return new Response(spec.format === "xlsx" ? xlsxBody(spec) : csvBody(spec), {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[spec.format],
      "Content-Disposition": `attachment; filename="${spec.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
