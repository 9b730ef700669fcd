import type { Route } from "./+types/needs.$number.wish.photo";
import { notFound } from "~/lib/permissions.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";
import { wishPhotoUpload } from "~/services/volunteers/volunteers.server";

/** The photo of a fulfilled small wish: public, as the wish is; shown inline (images only). */
export async function loader({ params }: Route.LoaderArgs) {
  const n = Number(params.number);
  if (!/^\d{1,9}$/.test(params.number) || !Number.isSafeInteger(n) || n < 1) notFound();
  const id = await wishPhotoUpload(n);
  if (!id) notFound();
  const upload = await readUpload(id);
  if (!upload) notFound();
  return uploadResponse(upload, { inline: true });
}
