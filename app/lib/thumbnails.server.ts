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
