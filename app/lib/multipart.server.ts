/**
 * A streaming `multipart/form-data` reader. `request.formData()` holds the whole body in memory
 * before anyone can look at it; this one reads the body chunk by chunk and keeps at most
 * `maxFileBytes` of any one file. A file that grows past that is cut off where it crosses the
 * limit: what was kept is dropped, the rest of it is read and thrown away uncounted in memory, and
 * the form gets an `OversizedFile` in its place — so the fields after it are still read, and the
 * page can answer with a field error next to what was typed.
 *
 * Every other dimension is bounded while reading too: the whole body (`maxBodyBytes`, answered 413
 * without reading further), the number of parts, a part's headers, the bytes of text fields.
 */

export interface MultipartLimits {
  /** the most bytes kept of one file; a larger one becomes an OversizedFile */
  maxFileBytes: number;
  /** the whole body; past it, reading stops and the answer is 413 */
  maxBodyBytes: number;
  /** parts (fields and files) */
  maxParts: number;
  /** bytes of all text fields together */
  maxTextBytes: number;
  /** bytes of one part's header block */
  maxHeaderBytes: number;
}

/** Why a multipart body was refused: `status` 400 (malformed or out of bounds) or 413 (too large). */
export class MultipartError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = "MultipartError";
  }
}

/**
 * A file that was larger than the limit: it holds none of its bytes, and its `size` is the number
 * of bytes the browser sent, so every size check (`file.size > limit`) refuses it with its usual
 * "too large" message. Reading its content gives nothing, never a truncated file.
 */
export class OversizedFile extends File {
  readonly oversized = true;
  constructor(
    name: string,
    type: string,
    receivedBytes: number,
    readonly limitBytes: number,
  ) {
    super([], name, { type });
    // Blob's size is a getter on the prototype; the bytes received shadow it on this object
    Object.defineProperty(this, "size", { value: receivedBytes, enumerable: true });
  }
}

export function isOversizedFile(value: unknown): value is OversizedFile {
  return value instanceof OversizedFile;
}

/** The boundary of a multipart Content-Type, or null. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2])! : null;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** One value of a Content-Disposition parameter as browsers write it (`"` as %22, CR/LF as %0D/%0A). */
function dispositionParam(header: string, name: string): string | undefined {
  const star = new RegExp(`;\\s*${name}\\*\\s*=\\s*(?:utf-8|UTF-8)''([^;\\s]*)`).exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      /* fall back to the plain parameter */
    }
  }
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(header);
  if (!m) return undefined;
  const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!;
  return raw.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
}

interface Part {
  name: string;
  filename?: string;
  type: string;
  chunks: Uint8Array<ArrayBuffer>[];
  /** bytes of this part seen so far (kept or not) */
  bytes: number;
  oversized: boolean;
  /** a part with no name: read to find where it ends, then dropped */
  dropped?: boolean;
}

function parseHeaders(block: string): Part | null {
  let disposition = "";
  let type = "";
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") disposition = value;
    else if (key === "content-type") type = value;
  }
  if (!/^form-data\s*(;|$)/i.test(disposition)) throw new MultipartError(400, "part without form-data disposition");
  const name = dispositionParam(disposition, "name");
  if (name === undefined) return null;
  const filename = dispositionParam(disposition, "filename");
  return { name, filename, type: filename === undefined ? "" : type || "application/octet-stream", chunks: [], bytes: 0, oversized: false };
}

/**
 * Reads a multipart body into a FormData within `limits`. Throws MultipartError for a body that is
 * malformed (400) or over `maxBodyBytes` (413); stops reading at that point.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  limits: MultipartLimits,
): Promise<{ form: FormData; bytesRead: number; peakHeldBytes: number }> {
  if (!body) throw new MultipartError(400, "empty body");
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const form = new FormData();
  const decoder = new TextDecoder();
  // the body's first delimiter has no CRLF before it: start as if it had one
  let buffer: Buffer = Buffer.from(CRLF);
  type State = "preamble" | "after-delimiter" | "headers" | "content" | "done";
  // changed inside advance(): declared wide so that the loops below re-read it
  let state = "preamble" as State;
  let part: Part | null = null;
  let parts = 0;
  let textBytes = 0;
  let bytesRead = 0;
  let held = 0;
  let peakHeldBytes = 0;

  const keep = (bytes: Buffer) => {
    if (!part || bytes.length === 0) return;
    part.bytes += bytes.length;
    if (part.oversized || part.dropped) return;
    if (part.filename === undefined) {
      textBytes += bytes.length;
      if (textBytes > limits.maxTextBytes) throw new MultipartError(400, "text fields too long");
    } else if (part.bytes > limits.maxFileBytes) {
      // cut off here: drop what was kept, count the rest without keeping it
      held -= part.chunks.reduce((n, c) => n + c.length, 0);
      part.chunks = [];
      part.oversized = true;
      return;
    }
    part.chunks.push(new Uint8Array(bytes)); // a copy: never pins the whole incoming chunk
    held += bytes.length;
    peakHeldBytes = Math.max(peakHeldBytes, held + buffer.length);
  };

  const finishPart = () => {
    if (!part) return;
    const p = part;
    part = null;
    if (p.dropped) return;
    if (p.filename === undefined) {
      form.append(p.name, decoder.decode(Buffer.concat(p.chunks)));
    } else if (p.oversized) {
      form.append(p.name, new OversizedFile(p.filename, p.type, p.bytes, limits.maxFileBytes));
    } else {
      form.append(p.name, new File(p.chunks, p.filename, { type: p.type }));
    }
  };

  /** Consumes what it can of `buffer`; returns when it needs more bytes. */
  const advance = () => {
    for (;;) {
      if (state === "preamble" || state === "content") {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          // all but a possible beginning of the delimiter is content (or preamble)
          const safe = Math.max(0, buffer.length - (delimiter.length - 1));
          if (state === "content") keep(buffer.subarray(0, safe));
          buffer = buffer.subarray(safe);
          return;
        }
        if (state === "content") {
          keep(buffer.subarray(0, at));
          finishPart();
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = "after-delimiter";
      }
      if (state === "after-delimiter") {
        if (buffer.length < 2) return;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = "done";
          return;
        }
        // transport padding (spaces, tabs) may precede the line break
        const eol = buffer.indexOf(CRLF);
        if (eol < 0) {
          if (buffer.length > 256) throw new MultipartError(400, "malformed delimiter line");
          return;
        }
        if (!/^[ \t]*$/.test(buffer.subarray(0, eol).toString("latin1"))) throw new MultipartError(400, "malformed delimiter line");
        buffer = buffer.subarray(eol + 2);
        state = "headers";
      }
      if (state === "headers") {
        const end = buffer.indexOf(HEADER_END);
        // a part with no headers at all starts with the blank line itself
        const empty = buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a;
        if (end < 0 && !empty) {
          if (buffer.length > limits.maxHeaderBytes) throw new MultipartError(400, "part headers too long");
          return;
        }
        if (end > limits.maxHeaderBytes) throw new MultipartError(400, "part headers too long");
        if (++parts > limits.maxParts) throw new MultipartError(400, "too many fields");
        const block = empty ? "" : buffer.subarray(0, end).toString("utf8");
        buffer = buffer.subarray(empty ? 2 : end + HEADER_END.length);
        part = parseHeaders(block);
        part ??= { name: "", type: "", chunks: [], bytes: 0, oversized: false, dropped: true };
        state = "content";
        continue;
      }
      if (state === "done") return;
    }
  };

  const reader = body.getReader();
  try {
    while (state !== "done") {
      const { done, value } = await reader.read();
      if (done) break;
      bytesRead += value.byteLength;
      if (bytesRead > limits.maxBodyBytes) throw new MultipartError(413, "request body too large");
      buffer = buffer.length ? Buffer.concat([buffer, value]) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      advance();
    }
  } finally {
    // stop here without cancelling: cancelling would tear down the connection the answer goes out on
    reader.releaseLock();
  }
  if (state !== "done") throw new MultipartError(400, "body ended before the closing delimiter");
  return { form, bytesRead, peakHeldBytes };
}
