import { stringify } from "csv-stringify/sync";
import type { Route } from "./+types/admin.rounds.$code.scores.template";
import { rubricOf } from "~/domain/rounds";
import { importTemplate } from "~/domain/score-import";
import { requireViewer } from "~/lib/session.server";
import { roundForOfficial } from "~/services/review/access.server";

/** A CSV template for paper score sheets of this round's rubric (officials of the area). */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const round = await roundForOfficial(viewer, params.code);
  const body = "\uFEFF" + stringify(importTemplate(rubricOf(round.rubric)));
  return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${round.code}-scores-template.csv"` } });
}
