import type { Route } from "./+types/deliberation.$number.attachments.$id";
import { notFound } from "~/lib/permissions.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";
import { reviewAttachmentUpload } from "~/services/deliberation/deliberation.server";

/** A photo or scanned sign-in sheet of a review meeting: public, as the record is (两公开). */
export async function loader({ params }: Route.LoaderArgs) {
  const n = Number(params.number);
  if (!/^\d{1,9}$/.test(params.number) || !Number.isSafeInteger(n) || n < 1 || !/^[0-9a-f-]{36}$/.test(params.id)) notFound();
  const id = await reviewAttachmentUpload(n, params.id);
  if (!id) notFound();
  const upload = await readUpload(id);
  if (!upload) notFound();
  return uploadResponse(upload, { inline: true });
}
