import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./env.server";
import { readForm } from "./forms.server";
import { isOversizedFile, multipartBoundary, MultipartError, readMultipart, type MultipartLimits } from "./multipart.server";

const LIMITS: MultipartLimits = { maxFileBytes: 64 * 1024, maxBodyBytes: 64 * 1024 * 1024, maxParts: 1000, maxTextBytes: 3_000_000, maxHeaderBytes: 16 * 1024 };

/** The bytes and Content-Type that fetch would send for `form`. */
async function serialize(form: FormData) {
  const request = new Request("http://localhost/x", { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get("content-type")! };
}

/** `bytes` as a stream of `size`-byte chunks. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/**
 * A multipart body made as it is sent: `before` fields, one file of `fileBytes` bytes produced
 * 16 KiB at a time (never held by the test either), `after` fields. `pulled()` is how many bytes
 * the reader has asked for so far.
 */
function streamedUpload(boundary: string, fileBytes: number, before: Record<string, string>, after: Record<string, string>) {
  const enc = new TextEncoder();
  const field = (name: string, value: string) => enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const head = [...Object.entries(before).map(([k, v]) => field(k, v)), enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="大照片.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`)];
  const tail = [enc.encode("\r\n"), ...Object.entries(after).map(([k, v]) => field(k, v)), enc.encode(`--${boundary}--\r\n`)];
  const chunk = new Uint8Array(16 * 1024).fill(0xab);
  let sent = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let next: Uint8Array | undefined;
      if (head.length) next = head.shift();
      else if (sent < fileBytes) {
        next = chunk.subarray(0, Math.min(chunk.length, fileBytes - sent));
        sent += next.length;
      } else next = tail.shift();
      if (!next) return controller.close();
      pulled += next.length;
      controller.enqueue(next.slice());
    },
  });
  return { stream, pulled: () => pulled };
}

describe("multipart forms read as they stream in", () => {
  it("reads what a browser sends, split at any point: text, names with quotes and Chinese, several files, an empty file input", { timeout: 60_000 }, async () => {
    const form = new FormData();
    form.append("intent", "save");
    form.append("narrative", "第一段\r\n第二段 -- 含有 \"引号\"");
    form.append("lines[0].amount", "120.50");
    // content that nearly repeats the boundary line, and CR/LF everywhere
    const tricky = new Uint8Array(Buffer.from("\r\n--\r\n-\r\n--formdata\r\n\r\n" + "x".repeat(3000) + "\r\n-"));
    form.append("files", new File([tricky], "签到表 \"1\".pdf", { type: "application/pdf" }));
    form.append("files", new File([crypto.randomBytes(20_000)], "b.bin"));
    form.append("photo", new File([], "", { type: "application/octet-stream" }));
    const { bytes, type } = await serialize(form);
    const boundary = multipartBoundary(type)!;
    const expected = await new Request("http://localhost/x", { method: "POST", body: bytes, headers: { "content-type": type } }).formData();

    for (const size of [1, 7, 64, 4096, bytes.length]) {
      const { form: read } = await readMultipart(chunked(bytes, size), boundary, { ...LIMITS, maxFileBytes: 1024 * 1024 });
      expect([...read.keys()], `chunks of ${size}`).toEqual([...expected.keys()]);
      for (const [i, [name, value]] of [...read.entries()].entries()) {
        const want = [...expected.entries()][i]![1];
        if (typeof want === "string") expect(value, name).toBe(want);
        else {
          const file = value as File;
          expect([file.name, file.type, file.size], name).toEqual([want.name, want.type, want.size]);
          expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(await want.arrayBuffer())), name).toBe(true);
        }
      }
    }
  });

  it("cuts a file off at the limit while it streams: fifty times the limit is never held, and the fields around it are kept", async () => {
    const boundary = "----cvpBoundary7MA4YWxkTrZu0gW";
    const fileBytes = 50 * LIMITS.maxFileBytes;
    const body = streamedUpload(boundary, fileBytes, { intent: "save", narrative: "开展助老服务 20 次" }, { beneficiariesServed: "45" });
    const { form, bytesRead, peakHeldBytes } = await readMultipart(body.stream, boundary, LIMITS);

    expect(form.get("intent")).toBe("save");
    expect(form.get("narrative")).toBe("开展助老服务 20 次");
    // the field after the file is read too
    expect(form.get("beneficiariesServed")).toBe("45");
    const photo = form.get("photos");
    expect(isOversizedFile(photo)).toBe(true);
    const file = photo as File;
    // its size is what was sent, so every size check refuses it; none of its bytes were kept
    expect(file.size).toBe(fileBytes);
    expect(file.name).toBe("大照片.jpg");
    expect((await file.arrayBuffer()).byteLength).toBe(0);
    expect(bytesRead).toBe(body.pulled());
    expect(bytesRead).toBeGreaterThan(fileBytes);
    // never more than the limit and one incoming chunk in memory at once
    expect(peakHeldBytes).toBeLessThanOrEqual(LIMITS.maxFileBytes + 16 * 1024 + 1024);
  });

  it("keeps a file of exactly the limit", async () => {
    const boundary = "b0undary";
    const body = streamedUpload(boundary, LIMITS.maxFileBytes, {}, {});
    const { form } = await readMultipart(body.stream, boundary, LIMITS);
    const file = form.get("photos") as File;
    expect(isOversizedFile(file)).toBe(false);
    expect((await file.arrayBuffer()).byteLength).toBe(LIMITS.maxFileBytes);
  });

  it("stops reading at the body limit (413), having read no more than the limit and one chunk", async () => {
    const boundary = "b0undary";
    const body = streamedUpload(boundary, 50 * 1024 * 1024, { intent: "save" }, {});
    const refused = await readMultipart(body.stream, boundary, { ...LIMITS, maxBodyBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MultipartError);
    expect((refused as MultipartError).status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(1024 * 1024 + 2 * 16 * 1024);
  });

  it("refuses out-of-bounds or malformed bodies with 400 while reading", async () => {
    const enc = new TextEncoder();
    const refuse = async (text: string, limits: Partial<MultipartLimits> = {}) => {
      const error = await readMultipart(chunked(enc.encode(text), 5), "b", { ...LIMITS, ...limits }).catch((e: unknown) => e);
      expect(error, text.slice(0, 60)).toBeInstanceOf(MultipartError);
      return (error as MultipartError).status;
    };
    const part = (name: string, value: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    expect(await refuse(`${part("a", "1")}--b`)).toBe(400); // no closing delimiter
    expect(await refuse(`${part("a", "1")}`)).toBe(400);
    expect(await refuse(`${part("a", "1")}${part("b", "2")}--b--`, { maxParts: 1 })).toBe(400);
    expect(await refuse(`${part("a", "x".repeat(100))}--b--`, { maxTextBytes: 50 })).toBe(400);
    expect(await refuse(`--b\r\nContent-Disposition: form-data; name="a"\r\nX: ${"y".repeat(100)}\r\n\r\n1\r\n--b--`, { maxHeaderBytes: 64 })).toBe(400);
    expect(await refuse(`--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--`)).toBe(400);
  });
});

describe("readForm on an oversized upload", () => {
  afterEach(() => {
    delete process.env.UPLOAD_MAX_BYTES;
    resetEnvCache();
  });

  it("answers with the form and an oversized file (UPLOAD_MAX_BYTES), not with the file's bytes", async () => {
    process.env.UPLOAD_MAX_BYTES = String(64 * 1024);
    resetEnvCache();
    const boundary = "xYzBoundary";
    const body = streamedUpload(boundary, 50 * 64 * 1024, { narrative: "路由文字" }, {});
    const request = new Request("http://localhost/projects/x/reports/y", {
      method: "POST",
      body: body.stream,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    const form = await readForm(request);
    expect(form.get("narrative")).toBe("路由文字");
    const photo = form.get("photos") as File;
    expect(photo.size).toBe(50 * 64 * 1024);
    expect(isOversizedFile(photo)).toBe(true);
    expect((await photo.arrayBuffer()).byteLength).toBe(0);
  });
});
