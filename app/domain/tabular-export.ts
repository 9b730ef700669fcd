/**
 * The pure parts of the officials' exports (services/exports, lib/tabular-export.server.ts):
 * which datasets and formats exist, how a header reads in both languages, and how a value becomes
 * a CSV field. Nothing here touches the database or a stream.
 */

export const EXPORT_DATASETS = ["needs", "proposals", "projects", "expenses", "donations"] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];
export const EXPORT_FORMATS = ["xlsx", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A cell: text, a number (money in yuan, counts) or empty. Dates are text in Asia/Shanghai. */
export type CellValue = string | number | null;

/** One column: its header's message key and how a row gives its value. */
export interface ExportColumn<R> {
  /** message key; the header reads "中文 / English" */
  header: string;
  value: (row: R) => CellValue;
  /** XLSX column width in characters (default 16) */
  width?: number;
}

/**
 * "needs.xlsx" → { dataset: "needs", format: "xlsx" }; null for anything else (the route answers 404).
 */
export function parseExportFile(file: string): { dataset: ExportDataset; format: ExportFormat } | null {
  const m = /^([a-z]+)\.([a-z]+)$/.exec(file);
  if (!m) return null;
  const [, dataset, format] = m;
  if (!(EXPORT_DATASETS as readonly string[]).includes(dataset!) || !(EXPORT_FORMATS as readonly string[]).includes(format!)) return null;
  return { dataset: dataset as ExportDataset, format: format as ExportFormat };
}

/**
 * One header for both languages, Chinese first: "需求编号 / Need no.". A file is read by people of
 * either language and passed on, so it does not depend on who downloaded it.
 */
export function bilingualHeader(zh: string, en: string): string {
  return zh === en || !en ? zh : `${zh} / ${en}`;
}

/**
 * Text that a spreadsheet would run as a formula (it starts with = + - @, or a tab or carriage
 * return that some programs skip before one) gets a leading apostrophe, so a title such as
 * "=HYPERLINK(…)" typed by a resident stays text when an official opens the file.
 */
export function formulaSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * A value as a CSV field (RFC 4180): numbers as they are (a negative amount is a number, not a
 * formula), text guarded against formulas and quoted when it holds a comma, a quote or a line
 * break; null is an empty field.
 */
export function csvField(value: CellValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const s = formulaSafe(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with Windows line ends (what Excel writes and expects). */
export function csvRecord(values: readonly CellValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** A download's file name: ASCII letters, digits, dots and dashes only (it goes in a header). */
export function exportFileName(parts: readonly (string | null | undefined)[], format: ExportFormat): string {
  const stem = parts
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, ""))
    .filter(Boolean)
    .join("-");
  return `${stem || "export"}.${format}`;
}
