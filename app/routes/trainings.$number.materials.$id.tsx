import type { Route } from "./+types/trainings.$number.materials.$id";
import { notFound } from "~/lib/permissions.server";
import { getViewer } from "~/lib/session.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";
import { materialUpload } from "~/services/trainings/trainings.server";

/** A training's material: for its officials and the people signed up (404 for others). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const n = Number(params.number);
  if (!/^\d{1,9}$/.test(params.number) || !Number.isSafeInteger(n) || n < 1 || !/^[0-9a-f-]{36}$/.test(params.id)) notFound();
  const id = await materialUpload(n, params.id, await getViewer(request));
  if (!id) notFound();
  const upload = await readUpload(id);
  if (!upload) notFound();
  return uploadResponse(upload);
}
