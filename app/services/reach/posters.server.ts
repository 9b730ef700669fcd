import QRCode from "qrcode";
import { sha256 } from "~/lib/crypto.server";
import { db } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { translate, type Locale } from "~/lib/i18n";
import { localName, roundTitle } from "~/lib/names";
import { PdfWriter } from "~/lib/pdf.server";
import { notFound } from "~/lib/permissions.server";
import { contentDisposition } from "~/lib/uploads.server";

/**
 * Posters for notice boards (docs/decisions/039): an A4 PDF with a QR code of a public page's
 * absolute address (APP_URL), and the QR code alone as PNG or SVG. What a poster is for:
 * - `need`: a community's "post a need" page (`/needs/new?area=CODE`), for communities and villages;
 * - `round`: a round's page (not for a draft round, which is not public);
 * - `foundation`: a foundation's donate page;
 * - `campaign`: a matching campaign's page;
 * - `wishes`: a community's 微心愿 list and volunteering (`/areas/CODE/volunteers`), for communities and villages.
 * Posters only hold a public address and a public name: anyone may download them. The address
 * carries no language: the phone's language picks the page's (Accept-Language).
 */
export const POSTER_KINDS = ["need", "round", "foundation", "campaign", "wishes"] as const;
export type PosterKind = (typeof POSTER_KINDS)[number];
export const POSTER_FILES = ["poster.pdf", "qr.png", "qr.svg"] as const;
export type PosterFile = (typeof POSTER_FILES)[number];

const isKind = (k: string): k is PosterKind => (POSTER_KINDS as readonly string[]).includes(k);
const isFile = (f: string): f is PosterFile => (POSTER_FILES as readonly string[]).includes(f);

/** The page a poster is for: its address, its name in both languages, who issues it, and the date of its data. */
export interface PosterTarget {
  kind: PosterKind;
  key: string;
  url: string;
  name: { zh: string; en: string };
  issuer: { zh: string; en: string };
  date: Date;
}

/** The link to a poster or its QR code, for the page it is for. */
export const posterHref = (kind: PosterKind, key: string, file: PosterFile = "poster.pdf") => `/posters/${kind}/${encodeURIComponent(key)}/${file}`;

/** The public page behind a poster; 404 when there is none (unknown, a draft round, a district). */
export async function posterTarget(kind: string, key: string): Promise<PosterTarget> {
  if (!isKind(kind) || key.length > 100) notFound();
  const base = appUrl();
  const k = encodeURIComponent(key);
  switch (kind) {
    case "need":
    case "wishes": {
      const a = await db().area.findUnique({ where: { code: key }, select: { code: true, nameZh: true, nameEn: true, level: true, createdAt: true, parent: { select: { nameZh: true, nameEn: true } } } });
      if (!a || (a.level !== "COMMUNITY" && a.level !== "VILLAGE")) notFound();
      const url = kind === "need" ? `${base}/needs/new?area=${k}` : `${base}/areas/${k}/volunteers`;
      return { kind, key, url, name: { zh: a.nameZh, en: a.nameEn }, issuer: { zh: a.parent?.nameZh ?? a.nameZh, en: a.parent?.nameEn ?? a.nameEn }, date: a.createdAt };
    }
    case "round": {
      const r = await db().round.findUnique({ where: { code: key }, select: { code: true, title: true, titleEn: true, phase: true, createdAt: true, area: { select: { nameZh: true, nameEn: true } } } });
      if (!r || r.phase === "DRAFT") notFound();
      return { kind, key, url: `${base}/rounds/${k}`, name: { zh: roundTitle("zh-CN", r), en: roundTitle("en", r) }, issuer: { zh: r.area.nameZh, en: r.area.nameEn }, date: r.createdAt };
    }
    case "foundation": {
      const f = await db().foundation.findUnique({ where: { slug: key }, select: { nameZh: true, nameEn: true, createdAt: true } });
      if (!f) notFound();
      return { kind, key, url: `${base}/foundations/${k}/donate`, name: { zh: f.nameZh, en: f.nameEn }, issuer: { zh: f.nameZh, en: f.nameEn }, date: f.createdAt };
    }
    case "campaign": {
      const c = await db().matchingCampaign.findUnique({ where: { slug: key }, select: { titleZh: true, titleEn: true, createdAt: true, foundation: { select: { nameZh: true, nameEn: true } } } });
      if (!c) notFound();
      return { kind, key, url: `${base}/campaigns/${k}`, name: { zh: c.titleZh, en: c.titleEn }, issuer: { zh: c.foundation.nameZh, en: c.foundation.nameEn }, date: c.createdAt };
    }
  }
}

/** The poster: A4 in the toolkit's frame, the page's name, what scanning does, a large QR code and the address spelled out. */
export async function renderPoster(target: PosterTarget, locale: Locale): Promise<Buffer> {
  const t = (key: string) => translate(locale, key);
  const name = localName(locale, { nameZh: target.name.zh, nameEn: target.name.en });
  const w = new PdfWriter({ locale, title: `${t(`poster.${target.kind}.heading`)} · ${name}`, issuer: localName(locale, { nameZh: target.issuer.zh, nameEn: target.issuer.en }), reference: null, date: target.date });
  const doc = w.doc;
  doc.moveDown(1);
  doc.font("bold").fontSize(30).fillColor("black").text(t(`poster.${target.kind}.heading`), w.left, doc.y, { width: w.width, align: "center" });
  doc.moveDown(0.4).font("bold").fontSize(20).text(name, { width: w.width, align: "center" });
  doc.moveDown(0.6).font("body").fontSize(14).text(t(`poster.${target.kind}.body`), { width: w.width, align: "center" });
  doc.moveDown(1.2);
  w.qrCode(QRCode.create(target.url, { errorCorrectionLevel: "M" }).modules, 300);
  doc.moveDown(0.8).font("bold").fontSize(18).text(t("poster.scan"), w.left, doc.y, { width: w.width, align: "center" });
  doc.moveDown(0.4).font("body").fontSize(11).fillColor("#334155").text(target.url, { width: w.width, align: "center" });
  doc.moveDown(1).fontSize(10).text(t("poster.footer"), { width: w.width, align: "center" });
  return w.end();
}

/**
 * Drawn files by what they are drawn from (kind, key, address, names, date, language, file): a
 * burst of downloads of one poster draws it once, as the public notice does (ADR 032).
 */
const cache = new Map<string, Buffer>();
const CACHE_SIZE = 32;

export interface PosterDownload {
  bytes: Buffer;
  contentType: string;
  filename: string;
}

/** A poster or its QR code for anyone; 404 for an unknown kind, file or page. */
export async function posterFile(kind: string, key: string, file: string, locale: Locale): Promise<PosterDownload> {
  if (!isFile(file)) notFound();
  const target = await posterTarget(kind, key);
  const lang = file === "poster.pdf" ? locale : "";
  const cacheKey = JSON.stringify([target, lang, file]);
  let bytes = cache.get(cacheKey);
  if (!bytes) {
    bytes =
      file === "poster.pdf"
        ? await renderPoster(target, locale)
        : file === "qr.png"
          ? await QRCode.toBuffer(target.url, { type: "png", errorCorrectionLevel: "M", margin: 4, width: 1024 })
          : Buffer.from(await QRCode.toString(target.url, { type: "svg", errorCorrectionLevel: "M", margin: 4 }), "utf8");
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, bytes);
  }
  const stem = `${target.key}-${locale === "en" ? "poster" : "海报"}`;
  const [ext, contentType] = file === "poster.pdf" ? ["pdf", "application/pdf"] : file === "qr.png" ? ["png", "image/png"] : ["svg", "image/svg+xml"];
  return { bytes, contentType, filename: file === "poster.pdf" ? `${stem}.${ext}` : `${target.key}-qr.${ext}` };
}

/** The answer: an attachment, public (only a public address in it), revalidated by its ETag (the bytes' SHA-256). */
export function posterResponse(f: PosterDownload, request: Request): Response {
  const etag = `"${sha256(f.bytes)}"`;
  const headers = {
    "Content-Type": f.contentType,
    "Content-Disposition": contentDisposition("attachment", f.filename),
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, no-cache",
    // an SVG opened on its own runs no script of ours nor anyone's
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(f.bytes), { headers: { ...headers, "Content-Length": String(f.bytes.length) } });
}
