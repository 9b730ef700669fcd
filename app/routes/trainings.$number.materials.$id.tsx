import type { Route } from "./+types/trainings.$number.materials.$id";
import { notFound } from "~/lib/permissions.server";
import { referenceNumber, rowId } from "~/lib/params.server";
import { requireViewer } from "~/lib/session.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";
import { materialUpload } from "~/services/trainings/trainings.server";

/** A training's material: for its officials and the people signed up (404 for others). */
export async function loader({ request, params }: Route.LoaderArgs) {
  // materials are for officials and those signed up: a visitor is sent to sign in whatever the address holds
  const viewer = await requireViewer(request);
  const id = await materialUpload(referenceNumber(params.number), rowId(params.id), viewer);
  if (!id) notFound();
  const upload = await readUpload(id);
  if (!upload) notFound();
  return uploadResponse(upload);
}
