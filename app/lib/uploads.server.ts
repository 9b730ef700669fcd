import crypto from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import type { Upload } from "~/generated/prisma/client";
import { env } from "~/lib/env.server";
import type { Db, Tx } from "~/lib/db.server";
import { db } from "~/lib/db.server";
import type { Params } from "~/lib/i18n";
import { storage as configuredStorage, type Storage } from "~/lib/storage.server";
import { withoutMetadata } from "~/lib/thumbnails.server";
import type { MessageKey } from "~/locales";

/**
 * Uploaded files (receipts, photos, attachments). The real type is judged from the bytes
 * (magic numbers), never from the name or the browser's claimed MIME type; the stored object
 * gets a server-made name; the row records size and SHA-256.
 */

export type UploadKind = "image" | "pdf" | "spreadsheet" | "document" | "csv";

interface Accepted {
  mime: string;
  ext: string;
}

// Only formats a browser or office suite opens safely. No SVG (script inside), no HEIC (no
// browser shows it), no legacy .xls/.doc (their container also carries macros and can't be told
// apart reliably by magic bytes).
const ACCEPTED: Record<Exclude<UploadKind, "csv">, Accepted[]> = {
  image: [
    { mime: "image/jpeg", ext: "jpg" },
    { mime: "image/png", ext: "png" },
    { mime: "image/apng", ext: "png" },
    { mime: "image/webp", ext: "webp" },
    { mime: "image/gif", ext: "gif" },
  ],
  pdf: [{ mime: "application/pdf", ext: "pdf" }],
  spreadsheet: [
    { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ext: "xlsx" },
    { mime: "application/vnd.oasis.opendocument.spreadsheet", ext: "ods" },
  ],
  document: [
    { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ext: "docx" },
    { mime: "application/vnd.oasis.opendocument.text", ext: "odt" },
  ],
};

const INLINE_MIME = new Set(["image/jpeg", "image/png", "image/apng", "image/webp", "image/gif", "application/pdf"]);

export type UploadErrorCode = "empty" | "too-large" | "wrong-type";

/** A file the user can replace: show `messageKey` (with `params`) next to the field. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    readonly messageKey: MessageKey,
    readonly params: Params = {},
  ) {
    super(`upload refused: ${code}`);
    this.name = "UploadError";
  }
}

/** "10 MB", "512 KB": the limit as people read it (1 MB = 1024 KB, as file managers count). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit]}`;
}

/** The extensions accepted for `kinds`, for the wrong-type message and for `accept=` attributes. */
export function acceptedExtensions(kinds: readonly UploadKind[]): string[] {
  const exts = new Set<string>();
  for (const k of kinds) {
    if (k === "csv") exts.add("csv");
    else for (const a of ACCEPTED[k]) exts.add(a.ext);
  }
  return [...exts];
}

// Bytes that never occur in text: NUL and C0 controls other than tab, LF, FF, CR and ESC.
function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/** The real type of `bytes` when it is one of `kinds`, else null. */
export async function detectType(bytes: Uint8Array, kinds: readonly UploadKind[]): Promise<Accepted | null> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    for (const k of kinds) {
      if (k === "csv") continue;
      const match = ACCEPTED[k].find((a) => a.mime === detected.mime);
      if (match) return match;
    }
    return null;
  }
  // CSV has no magic number: accept text (UTF-8 or GBK as Excel in China saves it) that no
  // binary format claimed. Served as an attachment with nosniff, it is inert.
  if (kinds.includes("csv") && looksLikeText(bytes)) return { mime: "text/csv", ext: "csv" };
  return null;
}

/**
 * A file name safe to store and show: no directories, no control or bidi-override characters
 * ("gpj.exe" shown as "exe.jpg"), nothing Windows refuses, at most 120 characters with the
 * extension kept.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  let clean = base
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const chars = [...clean];
  if (chars.length > 120) {
    const dot = clean.lastIndexOf(".");
    const ext = dot > 0 ? [...clean.slice(dot)].slice(0, 16).join("") : "";
    clean = chars.slice(0, 120 - ext.length).join("").trimEnd() + ext;
  }
  return clean || "file";
}

export interface SaveUploadInput {
  file: File;
  kinds: readonly UploadKind[];
  /** a smaller limit than UPLOAD_MAX_BYTES for this field; never a larger one */
  maxBytes?: number;
  uploaderId: string | null;
  /** the configured storage unless given (tests) */
  storage?: Storage;
}

/**
 * Checks and stores one uploaded file and records it. Throws UploadError for a file the user
 * should replace. The object is written before the row, so a row never points at nothing; if
 * the row cannot be written the object is removed again.
 *
 * Inside a caller's transaction (`client` = tx) the object is written immediately but the row
 * only commits with the caller: if the caller later rolls back, the object is left without a
 * row. Such orphans are harmless (unreachable: only rows are served) and a sweep can delete
 * objects with no Upload row.
 */
export async function saveUpload(client: Tx | Db, input: SaveUploadInput): Promise<Upload> {
  const limit = Math.min(input.maxBytes ?? Infinity, env().UPLOAD_MAX_BYTES);
  // the size is known before reading: a file over UPLOAD_MAX_BYTES was cut off while the form
  // streamed in (readForm keeps none of its bytes, only its size), and is refused here
  if (input.file.size === 0) throw new UploadError("empty", "upload.error.empty");
  if (input.file.size > limit) throw new UploadError("too-large", "upload.error.tooLarge", { limit: formatBytes(limit) });
  let bytes: Uint8Array = new Uint8Array(await input.file.arrayBuffer());
  if (bytes.byteLength === 0) throw new UploadError("empty", "upload.error.empty");
  if (bytes.byteLength > limit) throw new UploadError("too-large", "upload.error.tooLarge", { limit: formatBytes(limit) });

  const type = await detectType(bytes, input.kinds);
  if (!type) {
    const allowed = acceptedExtensions(input.kinds).map((e) => e.toUpperCase()).join(", ");
    throw new UploadError("wrong-type", "upload.error.wrongType", { allowed });
  }

  // one path for every image: no GPS position or camera details are ever stored
  const cleaned = await withoutMetadata(bytes, type.mime);
  if (!cleaned) {
    const allowed = acceptedExtensions(input.kinds).map((e) => e.toUpperCase()).join(", ");
    throw new UploadError("wrong-type", "upload.error.wrongType", { allowed });
  }
  bytes = cleaned;

  const now = new Date();
  const month = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  const storageKey = `${month}/${crypto.randomUUID()}.${type.ext}`;
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const store = input.storage ?? configuredStorage();

  await store.put(storageKey, bytes, type.mime);
  try {
    return await client.upload.create({
      data: {
        storageKey,
        originalName: sanitizeFileName(input.file.name),
        mimeType: type.mime,
        sizeBytes: bytes.byteLength,
        sha256,
        uploadedById: input.uploaderId,
      },
    });
  } catch (error) {
    await store.delete(storageKey).catch(() => {});
    throw error;
  }
}

/**
 * An upload's row and bytes, or null when there is no such row. The caller authorizes access
 * to the object first. Bytes that no longer match the recorded SHA-256 are an error, not data.
 */
export async function readUpload(
  id: string,
  opts: { client?: Tx | Db; storage?: Storage } = {},
): Promise<{ row: Upload; bytes: Uint8Array } | null> {
  const row = await (opts.client ?? db()).upload.findUnique({ where: { id } });
  if (!row) return null;
  const bytes = await (opts.storage ?? configuredStorage()).get(row.storageKey);
  if (!bytes) throw new Error(`upload ${row.id}: stored object ${row.storageKey} is missing`);
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== row.sha256) throw new Error(`upload ${row.id}: stored object ${row.storageKey} does not match its SHA-256`);
  return { row, bytes };
}

/** The name a download is saved under: the original name, ending in the real type's extension. */
export function downloadName(row: Pick<Upload, "originalName" | "storageKey">): string {
  const ext = row.storageKey.slice(row.storageKey.lastIndexOf(".") + 1);
  const name = row.originalName;
  const lower = name.toLowerCase();
  const same = lower.endsWith(`.${ext}`) || (ext === "jpg" && lower.endsWith(".jpeg"));
  // "invoice.html" that is really a PNG is saved as "invoice.html.png", never opened as HTML
  return same ? name : `${name}.${ext}`;
}

/** RFC 6266/5987: an ASCII fallback for old clients, the exact UTF-8 name for the rest. */
export function contentDisposition(type: "attachment" | "inline", filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The HTTP response serving an upload, for a route that has already authorized the viewer for
 * this object. Downloads by default; `inline` (e.g. photos on a project page) only for images
 * and PDFs. `nosniff` stops a browser second-guessing the detected type.
 */
export function uploadResponse(
  upload: { row: Pick<Upload, "originalName" | "storageKey" | "mimeType">; bytes: Uint8Array },
  opts: { inline?: boolean } = {},
): Response {
  const { row, bytes } = upload;
  const inline = !!opts.inline && INLINE_MIME.has(row.mimeType);
  const headers = new Headers({
    "Content-Type": row.mimeType,
    "Content-Length": String(bytes.byteLength),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", downloadName(row)),
    "X-Content-Type-Options": "nosniff",
    // authorized per viewer: no shared cache may keep it
    "Cache-Control": "private, no-cache",
  });
  // should a browser render a download anyway, it runs nothing from it
  if (!inline) headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  // storage returns bytes over a plain ArrayBuffer (never shared memory)
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
}
