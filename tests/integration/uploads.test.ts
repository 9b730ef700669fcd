import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { assertStorageKey, LocalStorage, S3Storage, storage } from "~/lib/storage.server";
import { translate } from "~/lib/i18n";
import {
  contentDisposition,
  downloadName,
  readUpload,
  sanitizeFileName,
  saveUpload,
  uploadResponse,
  UploadError,
} from "~/lib/uploads.server";
import { db, makeUser, uid } from "../support/db";

// A complete 1×1 PNG (signature, IHDR, IDAT, IEND, valid CRCs).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A minimal PDF: header, one object, trailer. */
function pdf(padding = 0): Uint8Array<ArrayBuffer> {
  const body = `%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n${"%".repeat(padding)}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

async function refused(p: Promise<unknown>): Promise<UploadError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

let root: string;
let local: LocalStorage;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-uploads-"));
  local = new LocalStorage(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("LocalStorage", () => {
  it("round-trips bytes, creating directories, and deletes", async () => {
    const key = `2026/01/${crypto.randomUUID()}.bin`;
    const bytes = crypto.randomBytes(5000);
    await local.put(key, bytes, "application/octet-stream");
    expect(fs.existsSync(path.join(root, "2026", "01"))).toBe(true);
    expect(Buffer.from((await local.get(key))!)).toEqual(bytes);
    await local.delete(key);
    expect(await local.get(key)).toBeNull();
    await local.delete(key); // deleting twice is fine
    // no temporary files left behind
    expect(filesUnder(root)).toEqual([]);
  });

  it("refuses keys that could leave its directory", async () => {
    for (const key of ["../x.png", "/etc/passwd", "a/../../b.png", "a//b", ".hidden", "a\\b.png", "A.png", "", "a/./b"]) {
      expect(() => assertStorageKey(key), key).toThrow(/invalid storage key/);
      await expect(local.put(key, new Uint8Array([1]), "x")).rejects.toThrow(/invalid storage key/);
      await expect(local.get(key)).rejects.toThrow(/invalid storage key/);
    }
    expect(filesUnder(root)).toEqual([]);
  });

  it("is what storage() gives without S3_BUCKET: DATA_DIR/uploads", () => {
    const s = storage();
    expect(s).toBeInstanceOf(LocalStorage);
    expect((s as LocalStorage).root).toBe(path.resolve(process.env.DATA_DIR!, "uploads"));
  });
});

describe("saveUpload", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await makeUser()).id;
  });

  it("stores a real PNG under a server-made name and records its SHA-256", async () => {
    const file = new File([PNG], "../../收据 照片.PNG", { type: "image/png" });
    const row = await saveUpload(db(), { file, kinds: ["image"], uploaderId: userId, storage: local });
    expect(row).toMatchObject({ mimeType: "image/png", sizeBytes: PNG.byteLength, originalName: "收据 照片.PNG", uploadedById: userId });
    expect(row.storageKey).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}\.png$/);
    expect(row.sha256).toBe(crypto.createHash("sha256").update(PNG).digest("hex"));
    expect(Buffer.from(fs.readFileSync(path.join(root, row.storageKey)))).toEqual(PNG);
    expect(await db().upload.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });

  it("stores every photo without its GPS position or camera details, turned upright by its EXIF orientation", async () => {
    // a 40×20 JPEG that says "rotate 90°" and carries a GPS position and a camera make
    const original = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#c00" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: "PhoneMaker", Model: "X1" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "30/1 42/1 0/1" } })
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    const row = await saveUpload(db(), { file: new File([new Uint8Array(original)], "need.jpg"), kinds: ["image"], uploaderId: userId, storage: local });
    const stored = fs.readFileSync(path.join(root, row.storageKey));
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(stored.includes(Buffer.from("PhoneMaker"))).toBe(false);
    expect([after.width, after.height]).toEqual([20, 40]);
    expect(row.sha256).toBe(sha256(stored));
    expect(row.sizeBytes).toBe(stored.byteLength);
  });

  it("judges the type by the bytes, not by the claimed name or MIME type", async () => {
    const bytes = pdf();
    const file = new File([bytes], "photo.png", { type: "image/png" });
    const row = await saveUpload(db(), { file, kinds: ["image", "pdf"], uploaderId: null, storage: local });
    expect(row.mimeType).toBe("application/pdf");
    expect(row.storageKey).toMatch(/\.pdf$/);
    expect(row.sha256).toBe(sha256(bytes));
  });

  it("refuses text dressed up as a PNG", async () => {
    const before = filesUnder(root).length;
    const file = new File(["<script>alert(1)</script>"], "receipt.png", { type: "image/png" });
    const error = await refused(saveUpload(db(), { file, kinds: ["image", "pdf"], uploaderId: userId, storage: local }));
    expect(error.code).toBe("wrong-type");
    expect(error.messageKey).toBe("upload.error.wrongType");
    expect(translate("zh-CN", error.messageKey, error.params)).toBe("不支持该文件类型（按文件内容识别，允许：JPG, PNG, WEBP, GIF, PDF）");
    expect(filesUnder(root).length).toBe(before);
  });

  it("refuses a real PDF where only images are allowed", async () => {
    const error = await refused(saveUpload(db(), { file: new File([pdf()], "a.pdf"), kinds: ["image"], uploaderId: null, storage: local }));
    expect(error.code).toBe("wrong-type");
  });

  it("refuses an empty file", async () => {
    const error = await refused(saveUpload(db(), { file: new File([], "empty.png"), kinds: ["image"], uploaderId: null, storage: local }));
    expect(error.code).toBe("empty");
    expect(translate("en", error.messageKey, error.params)).toMatch(/empty/);
  });

  it("refuses a file over the field's limit", async () => {
    const error = await refused(saveUpload(db(), { file: new File([pdf(3000)], "big.pdf"), kinds: ["pdf"], maxBytes: 2048, uploaderId: null, storage: local }));
    expect(error.code).toBe("too-large");
    expect(translate("zh-CN", error.messageKey, error.params)).toBe("文件过大（上限 2 KB）");
    expect(translate("en", error.messageKey, error.params)).toBe("File too large (limit 2 KB)");
  });

  describe("with UPLOAD_MAX_BYTES", () => {
    const saved = process.env.UPLOAD_MAX_BYTES;
    afterEach(() => {
      if (saved === undefined) delete process.env.UPLOAD_MAX_BYTES;
      else process.env.UPLOAD_MAX_BYTES = saved;
      resetEnvCache();
    });

    it("refuses a file over the configured limit, which a field cannot raise", async () => {
      process.env.UPLOAD_MAX_BYTES = String(10 * 1024 * 1024);
      resetEnvCache();
      const tooBig = new File([pdf(10 * 1024 * 1024)], "big.pdf");
      const error = await refused(saveUpload(db(), { file: tooBig, kinds: ["pdf"], maxBytes: 50 * 1024 * 1024, uploaderId: null, storage: local }));
      expect(error.code).toBe("too-large");
      expect(translate("zh-CN", error.messageKey, error.params)).toBe("文件过大（上限 10 MB）");
      expect(translate("en", error.messageKey, error.params)).toBe("File too large (limit 10 MB)");
    });
  });

  it("accepts CSV text (UTF-8 or GBK) only where CSV is allowed, and no binary junk", async () => {
    const csv = new TextEncoder().encode("评委,项目,得分\r\n张三,社区食堂,88\r\n");
    const row = await saveUpload(db(), { file: new File([csv], "scores.xlsx"), kinds: ["spreadsheet", "csv"], uploaderId: null, storage: local });
    expect(row).toMatchObject({ mimeType: "text/csv", sizeBytes: csv.byteLength });
    expect(row.storageKey).toMatch(/\.csv$/);
    const gbk = Uint8Array.from([0xc6, 0xc0, 0xce, 0xaf, 0x2c, 0xb5, 0xc3, 0xb7, 0xd6, 0x0d, 0x0a]); // 评委,得分 in GBK
    expect((await saveUpload(db(), { file: new File([gbk], "gbk.csv"), kinds: ["csv"], uploaderId: null, storage: local })).mimeType).toBe("text/csv");
    expect((await refused(saveUpload(db(), { file: new File([csv], "scores.csv"), kinds: ["image"], uploaderId: null, storage: local }))).code).toBe("wrong-type");
    const junk = Uint8Array.from([0x00, 0x01, 0x02, 0xff, 0x10]);
    expect((await refused(saveUpload(db(), { file: new File([junk], "x.csv"), kinds: ["csv"], uploaderId: null, storage: local }))).code).toBe("wrong-type");
  });

  it("removes the stored object when the row cannot be written", async () => {
    const before = filesUnder(root);
    const file = new File([PNG], "x.png");
    // an uploader that does not exist: the foreign key refuses the row
    await expect(saveUpload(db(), { file, kinds: ["image"], uploaderId: `missing-${uid()}`, storage: local })).rejects.toThrow();
    expect(filesUnder(root)).toEqual(before);
  });

  it("inside a transaction that fails, the row is rolled back and the object removed", async () => {
    const before = filesUnder(root);
    await expect(
      db().$transaction(async (tx) => {
        await saveUpload(tx, { file: new File([PNG], "ok.png"), kinds: ["image"], uploaderId: null, storage: local });
        // a second upload in the same transaction whose row fails
        await saveUpload(tx, { file: new File([PNG], "bad.png"), kinds: ["image"], uploaderId: `missing-${uid()}`, storage: local });
      }),
    ).rejects.toThrow();
    // the second object is gone; the first is an orphan without a row (see saveUpload's comment)
    const added = filesUnder(root).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(await db().upload.count({ where: { storageKey: path.relative(root, added[0]!) } })).toBe(0);
    fs.rmSync(added[0]!);
  });
});

describe("readUpload and uploadResponse", () => {
  it("serve the bytes as an attachment with the detected type and nosniff", async () => {
    const row = await saveUpload(db(), { file: new File([PNG], "发票 2026.html"), kinds: ["image"], uploaderId: null, storage: local });
    const read = await readUpload(row.id, { storage: local });
    expect(read!.row).toEqual(row);
    expect(Buffer.from(read!.bytes)).toEqual(PNG);

    const res = uploadResponse(read!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-length")).toBe(String(PNG.byteLength));
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="__ 2026.html.png"; filename*=UTF-8''${encodeURIComponent("发票 2026.html.png")}`,
    );
    expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);

    const inline = uploadResponse(read!, { inline: true });
    expect(inline.headers.get("content-disposition")).toMatch(/^inline; /);
  });

  it("never serves a non-image inline", async () => {
    const row = await saveUpload(db(), { file: new File([new TextEncoder().encode("a,b\n")], "t.csv"), kinds: ["csv"], uploaderId: null, storage: local });
    const res = uploadResponse((await readUpload(row.id, { storage: local }))!, { inline: true });
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; /);
  });

  it("returns null for an unknown id and refuses bytes that no longer match their SHA-256", async () => {
    expect(await readUpload(crypto.randomUUID(), { storage: local })).toBeNull();
    const row = await saveUpload(db(), { file: new File([pdf()], "a.pdf"), kinds: ["pdf"], uploaderId: null, storage: local });
    fs.writeFileSync(path.join(root, row.storageKey), pdf(1));
    await expect(readUpload(row.id, { storage: local })).rejects.toThrow(/SHA-256/);
    fs.rmSync(path.join(root, row.storageKey));
    await expect(readUpload(row.id, { storage: local })).rejects.toThrow(/missing/);
  });
});

describe("file names", () => {
  it("sanitizes what the browser sent", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\me\\发票.pdf")).toBe("发票.pdf");
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName("a\u0000b\nc.png")).toBe("abc.png");
    expect(sanitizeFileName('what?"<>|*.png')).toBe("what______.png");
    expect(sanitizeFileName("  ..hidden. ")).toBe("hidden");
    expect(sanitizeFileName("...")).toBe("file");
    const long = sanitizeFileName(`${"长".repeat(300)}.xlsx`);
    expect([...long]).toHaveLength(120);
    expect(long.endsWith(".xlsx")).toBe(true);
  });

  it("downloads under the real type's extension", () => {
    expect(downloadName({ originalName: "照片.JPEG", storageKey: "2026/01/x.jpg" })).toBe("照片.JPEG");
    expect(downloadName({ originalName: "invoice.html", storageKey: "2026/01/x.png" })).toBe("invoice.html.png");
    expect(contentDisposition("attachment", `a"b;c%.pdf`)).toBe(`attachment; filename="a_b_c_.pdf"; filename*=UTF-8''a%22b%3Bc%25.pdf`);
  });
});

/**
 * A minimal S3-compatible endpoint (path-style: /bucket/key) on loopback: PUT, GET and DELETE
 * of objects, kept in memory. It does not check signatures but records the headers, so the
 * test can see the real SDK signed and sent each request.
 */
async function startS3Stub() {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: { method: string; url: string; authorization: string; contentType?: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = decodeURIComponent(new URL(req.url!, "http://stub").pathname);
      requests.push({ method: req.method!, url, authorization: String(req.headers.authorization ?? ""), contentType: req.headers["content-type"] });
      if (req.method === "PUT") {
        objects.set(url, { body: Buffer.concat(chunks), contentType: String(req.headers["content-type"] ?? "") });
        res.writeHead(200, { ETag: `"${crypto.createHash("md5").update(Buffer.concat(chunks)).digest("hex")}"` }).end();
      } else if (req.method === "GET") {
        const o = objects.get(url);
        if (!o) {
          res
            .writeHead(404, { "Content-Type": "application/xml" })
            .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${url}</Key></Error>`);
        } else res.writeHead(200, { "Content-Type": o.contentType, "Content-Length": o.body.byteLength }).end(o.body);
      } else if (req.method === "DELETE") {
        objects.delete(url);
        res.writeHead(204).end();
      } else res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${port}`, objects, requests, close: () => new Promise((r) => server.close(r)) };
}

describe("S3Storage against an S3-compatible endpoint", () => {
  let stub: Awaited<ReturnType<typeof startS3Stub>>;
  let s3: S3Storage;
  beforeAll(async () => {
    stub = await startS3Stub();
    s3 = new S3Storage({ bucket: "cvp-test", region: "cn-north-1", endpoint: stub.endpoint, accessKeyId: "AKIDTEST", secretAccessKey: "secret", forcePathStyle: true });
  });
  afterAll(async () => {
    s3?.destroy();
    await stub?.close();
  });

  it("puts, gets and deletes objects with signed path-style requests", async () => {
    const key = `2026/02/${crypto.randomUUID()}.bin`;
    const bytes = crypto.randomBytes(3000);
    await s3.put(key, bytes, "application/pdf");
    expect(stub.objects.get(`/cvp-test/${key}`)?.body).toEqual(bytes);
    expect(stub.objects.get(`/cvp-test/${key}`)?.contentType).toBe("application/pdf");
    expect(Buffer.from((await s3.get(key))!)).toEqual(bytes);
    await s3.delete(key);
    expect(stub.objects.has(`/cvp-test/${key}`)).toBe(false);
    expect(await s3.get(key)).toBeNull();
    expect(stub.requests.map((r) => r.method)).toEqual(["PUT", "GET", "DELETE", "GET"]);
    for (const r of stub.requests) expect(r.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/cn-north-1\/s3\/aws4_request/);
  });

  it("carries saveUpload and readUpload end to end", async () => {
    const row = await saveUpload(db(), { file: new File([PNG], "s3.png"), kinds: ["image"], uploaderId: null, storage: s3 });
    expect(stub.objects.get(`/cvp-test/${row.storageKey}`)?.contentType).toBe("image/png");
    const read = await readUpload(row.id, { storage: s3 });
    expect(Buffer.from(read!.bytes)).toEqual(PNG);
    expect(sha256(read!.bytes)).toBe(row.sha256);
  });

  it("refuses bad keys before any request", async () => {
    const count = stub.requests.length;
    await expect(s3.put("../escape", new Uint8Array([1]), "x")).rejects.toThrow(/invalid storage key/);
    expect(stub.requests.length).toBe(count);
  });

  describe("storage() with S3 configured", () => {
    const vars = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE"] as const;
    const saved = Object.fromEntries(vars.map((v) => [v, process.env[v]]));
    afterEach(() => {
      for (const v of vars) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
      resetEnvCache();
    });

    it("picks S3 from the environment and talks to the configured endpoint", async () => {
      Object.assign(process.env, {
        S3_BUCKET: "from-env",
        S3_ENDPOINT: stub.endpoint,
        S3_REGION: "us-east-1",
        S3_ACCESS_KEY_ID: "AKIDENV",
        S3_SECRET_ACCESS_KEY: "secret",
        S3_FORCE_PATH_STYLE: "true",
      });
      resetEnvCache();
      const s = storage();
      expect(s.kind).toBe("s3");
      await s.put("env/check.txt", new TextEncoder().encode("hi"), "text/plain");
      expect(stub.objects.get("/from-env/env/check.txt")?.body.toString()).toBe("hi");
      expect(stub.requests.at(-1)?.authorization).toMatch(/Credential=AKIDENV\//);
    });
  });
});
