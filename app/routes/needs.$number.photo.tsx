import type { Route } from "./+types/needs.$number.photo";
import { notFound } from "~/lib/permissions.server";
import { needPhotoId } from "~/services/needs/needs.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";

/** A need's photo. Needs are public, so is their photo; shown inline (images only). */
export async function loader({ params }: Route.LoaderArgs) {
  const n = Number(params.number);
  if (!/^\d{1,9}$/.test(params.number) || !Number.isSafeInteger(n) || n < 1) notFound();
  const id = await needPhotoId(n);
  if (!id) notFound();
  const upload = await readUpload(id);
  if (!upload) notFound();
  return uploadResponse(upload, { inline: true });
}
