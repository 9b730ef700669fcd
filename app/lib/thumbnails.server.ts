import sharp from "sharp";
import { THUMBNAIL_WIDTH, type PHOTO_MIME_TYPES } from "~/domain/monitoring";

/**
 * Photos of milestone reports: checks that the bytes really are a JPEG, PNG or WebP image that
 * decodes, and makes a JPEG thumbnail at most THUMBNAIL_WIDTH wide (never enlarged, turned
 * upright from EXIF, metadata such as GPS position dropped).
 */

const FORMAT_MIME: Record<string, (typeof PHOTO_MIME_TYPES)[number]> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

export type PhotoProblem = "wrong-type" | "corrupt";

// a photo wider or taller than this is refused rather than decoded (decompression bombs)
const MAX_PIXELS = 60_000_000;

export async function makeThumbnail(
  bytes: Uint8Array,
  width: number = THUMBNAIL_WIDTH,
): Promise<{ ok: true; mime: string; thumbnail: Buffer; width: number; height: number } | { ok: false; problem: PhotoProblem }> {
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata()).format;
  } catch {
    return { ok: false, problem: "corrupt" };
  }
  const mime = format ? FORMAT_MIME[format] : undefined;
  if (!mime) return { ok: false, problem: "wrong-type" };
  try {
    // failOn "error": a truncated or damaged image is refused, not half-drawn
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error" })
      .rotate()
      .resize({ width, withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 78, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, mime, thumbnail: data, width: info.width, height: info.height };
  } catch {
    return { ok: false, problem: "corrupt" };
  }
}

const REENCODE: Record<string, "jpeg" | "png" | "webp"> = { "image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp" };

/**
 * Every uploaded photo goes through here before it is stored: EXIF, XMP and IPTC (GPS position,
 * camera, owner) are dropped and the EXIF orientation is applied to the pixels, so the image
 * stays upright without it. An image that carries none of that is stored as it came. GIFs are
 * stored as they are (sharp would flatten an animation); they carry no EXIF.
 * Returns null for bytes that do not decode.
 */
export async function withoutMetadata(bytes: Uint8Array, mime: string): Promise<Uint8Array | null> {
  const format = REENCODE[mime];
  if (!format) return bytes;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    if (!meta.exif && !meta.xmp && !meta.iptc && !(meta.comments?.length) && (meta.orientation ?? 1) === 1) return bytes;
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error" }).rotate();
    const out = format === "jpeg" ? image.jpeg({ quality: 90, mozjpeg: true }) : format === "png" ? image.png() : image.webp({ quality: 90 });
    return new Uint8Array(await out.toBuffer());
  } catch {
    return null;
  }
}
