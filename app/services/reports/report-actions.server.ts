import { redirect } from "react-router";
import { reportSections } from "~/domain/reports";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import type { Actor } from "~/services/accounts/actor.server";
import { ReportIntents } from "./report-intents";
import { generateDraft, publishReport, type ReportTarget } from "./reports.server";


/** The action of a report page: the draft comes back to the page; a publication goes to the published report. */
export async function reportAction(request: Request, viewer: Pick<Actor, "id">, target: ReportTarget) {
  const submission = parseForm(await readForm(request), ReportIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  if (submission.value.intent === "generate") {
    const { figures, contentHash } = await generateDraft(viewer, target);
    return { intent: "generate" as const, draft: { title: figures.title, asOf: figures.asOf, sections: reportSections(figures), contentHash } };
  }
  const r = await publishReport(viewer, target, { confirm: true });
  if (!r.ok) return problemReply(submission, r.problem);
  return redirect(`/reports/${r.number}?published=1`);
}
