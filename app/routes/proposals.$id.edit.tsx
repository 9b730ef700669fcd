import { redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import type { z } from "zod";
import type { Route } from "./+types/proposals.$id.edit";
import { ProposalForm } from "~/components/proposal-form";
import { ProposalStatus } from "~/components/proposal-status";
import { EligibilityNotice } from "~/components/eligibility-notice";
import { ConfirmAction, Notice, PageTitle, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { normalizeDraft, problemsAsFieldErrors, ProposalEditIntents } from "~/domain/proposals";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { checkSubmission, deleteDraft, draftFormOptions, loadProposalFor, removeAttachment, saveDraft, submit } from "~/services/proposals/proposals.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const proposal = await loadProposalFor(viewer, params.id);
  if (!proposal.canEdit) throw redirect(`/proposals/${params.id}`);
  return { proposal, options: await draftFormOptions(viewer, params.id) };
}

/**
 * The draft's fields as they are valid: the form without the fields whose values the schema
 * refused (a typo in one amount, a date that does not exist), parsed again. Null when what is
 * left still does not parse (a whole list refused) or the form was not a save or a submission.
 */
function validPart(form: FormData, error: Record<string, string[] | null> | null | undefined) {
  const refused = new Set(Object.entries(error ?? {}).filter(([, e]) => e?.length).map(([name]) => name));
  if (!refused.size || refused.has("version")) return null;
  const kept = new FormData();
  for (const [name, value] of form) if (!refused.has(name)) kept.append(name, value);
  const again = parseForm(kept, ProposalEditIntents);
  return again.status === "success" && (again.value.intent === "save" || again.value.intent === "submit") ? again.value : null;
}

type SaveIntent = Extract<z.output<typeof ProposalEditIntents>, { intent: "save" | "submit" }>;

/** Saves the form's draft (with its new attachment): the new version and what became of the attachment, or the draft as it is now. */
async function saveForm(viewer: Awaited<ReturnType<typeof requireViewer>>, id: string, v: SaveIntent) {
  const { intent: _intent, version, attachment, attachmentLabel, ...rest } = v;
  const fields = "confirmed" in rest ? (({ confirmed: _c, ...f }) => f)(rest) : rest;
  const { draft, sources } = normalizeDraft(fields);
  const file = attachment && attachment.size > 0 ? { file: attachment, label: attachmentLabel } : undefined;
  const saved = await saveDraft(viewer, id, draft, version, file);
  return { saved, sources };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await readForm(request);
  const submission = parseForm(form, ProposalEditIntents);
  // adding/removing a row without JavaScript: nothing is saved, and the form keeps the version it was loaded with
  if (submission.status !== "success") {
    const posted = Number(submission.payload.version);
    const version = Number.isSafeInteger(posted) ? posted : undefined;
    // a value the draft cannot store (an amount mistyped): what is valid is saved all the same,
    // the refused fields keep what was typed, each with its message; a submission stops there
    const valid = submission.status === "error" ? validPart(form, submission.error) : null;
    if (valid) {
      const { saved } = await saveForm(viewer, params.id, valid);
      if (saved.ok) {
        const uploadError = saved.upload && "error" in saved.upload ? saved.upload.error : null;
        return invalidSubmission(submission, { kind: "partial" as const, version: saved.version, uploadError });
      }
      const now = saved.problem.detail;
      if (!now || now.status !== "DRAFT") throw redirect(`/proposals/${params.id}`);
      return problemReply(submission, saved.problem, { kind: "conflict" as const, conflict: now, version: now.version });
    }
    return invalidSubmission(submission, { kind: "form" as const, version });
  }
  const v = submission.value;
  switch (v.intent) {
    case "removeAttachment": {
      const removed = await removeAttachment(viewer, params.id, v.attachmentId);
      if (!removed.ok) throw redirect(`/proposals/${params.id}`);
      return { intent: v.intent, result: submission.reply(), kind: "removed" as const };
    }
    case "deleteDraft": {
      const deleted = await deleteDraft(viewer, params.id);
      if (!deleted.ok) throw redirect(`/proposals/${params.id}`);
      throw redirect(`/rounds/${deleted.roundCode}/apply?deleted=1`);
    }
    case "save":
    case "submit": {
      const { saved, sources } = await saveForm(viewer, params.id, v);
      if (!saved.ok) {
        const now = saved.problem.detail;
        if (!now || now.status !== "DRAFT") throw redirect(`/proposals/${params.id}`);
        return problemReply(submission, saved.problem, { kind: "conflict" as const, conflict: now, version: now.version });
      }
      const uploadError = saved.upload && "error" in saved.upload ? saved.upload.error : null;
      if (v.intent === "save") return { intent: v.intent, result: submission.reply(), kind: "saved" as const, uploadError, version: saved.version };
      // first the rules, then the question: nobody is asked to confirm what the round would refuse
      const submitted = v.confirmed === "1" ? await submit(viewer, params.id, saved.version) : await checkSubmission(viewer, params.id);
      if (submitted.ok && v.confirmed !== "1") return { intent: v.intent, result: submission.reply(), kind: "confirm" as const, uploadError, version: saved.version };
      if (submitted.ok) throw redirect(`/proposals/${params.id}?submitted=1`);
      const why = submitted.problem.detail;
      if (why && "problems" in why) {
        // each broken rule next to its field, as the form numbers its rows; the organization's
        // eligibility (no edit of the draft mends it) comes first among the form's errors
        const { "": formErrors = [], ...fieldErrors } = problemsAsFieldErrors(why.problems, sources);
        return problemReply(submission, { ...submitted.problem, formErrors, fieldErrors }, { kind: "problems" as const, uploadError, version: saved.version });
      }
      if (!why || !("status" in why) || why.status !== "DRAFT") throw redirect(`/proposals/${params.id}`);
      return problemReply(submission, submitted.problem, { kind: "form" as const, version: why.version });
    }
  }
}

/** Progress and "last saved" follow every save, also one whose submission was refused (a 4xx answer). */
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod === "POST" ? true : defaultShouldRevalidate;
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "proposal.edit.title");

export default function EditProposal({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { proposal: p, options } = loaderData;
  const conflict = actionData && "conflict" in actionData ? actionData.conflict : null;
  const uploadError = actionData && "uploadError" in actionData ? actionData.uploadError : null;
  // the draft form's reply: also that of a row added or removed without JavaScript (no intent)
  const result = actionData && actionData.intent !== "removeAttachment" ? actionData.result : undefined;

  const notice = (
    <>
      {conflict ? (
        <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950" data-testid="conflict">
          <p>{t("proposal.conflict", { name: conflict.savedBy ?? "—", at: formatDateTime(locale, conflict.savedAt) })}</p>
          <a href={`/proposals/${p.id}/edit`} target="_blank" rel="noreferrer" className="underline">
            {t("proposal.conflict.open")}
          </a>
        </div>
      ) : null}
      {actionData?.kind === "saved" ? <Notice tone="success">{t("proposal.saved")}</Notice> : null}
      {actionData?.kind === "partial" ? <Notice tone="success">{t("proposal.savedPartly")}</Notice> : null}
      {uploadError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {t("proposal.attachment.refused", { reason: t(uploadError) })}
        </p>
      ) : null}
    </>
  );

  const attachmentsSection = p.attachments.length ? (
    <ul className="divide-y divide-slate-100 text-sm">
      {p.attachments.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <a href={`/proposals/${p.id}/attachments/${a.id}`} className="text-brand-700 underline">
            {a.label ? `${a.label}（${a.name}）` : a.name}
          </a>
          <span className="text-xs text-slate-500">{Math.ceil(a.sizeBytes / 1024)} KB</span>
        </li>
      ))}
    </ul>
  ) : (
    <p className="text-sm text-slate-600">{t("proposal.attachment.none")}</p>
  );

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageTitle sub={`${p.organization.name} · ${p.round.title}`}>
        {p.draft.title || t("proposal.untitled")} <ProposalStatus status={p.status} />
      </PageTitle>
      <p className="text-sm text-slate-600">
        {t("proposal.edit.rules", {
          min: formatFen(p.round.minAwardFen),
          max: formatFen(p.round.maxAwardFen),
          deadline: formatDeadline(locale, p.round.proposalsDeadline),
        })}{" "}
        <TextLink to={`/proposals/${p.id}`}>{t("proposal.preview")}</TextLink>
      </p>
      <EligibilityNotice messages={p.ineligible} />
      <ProposalForm
        id={p.id}
        version={(actionData && "version" in actionData ? actionData.version : undefined) ?? p.version}
        draft={p.draft}
        round={p.round}
        communities={options.communities}
        topics={options.topics}
        progress={p.progress}
        problemsHeading={actionData?.kind === "partial" ? (actionData.intent === "submit" ? "proposal.problems.partialSubmit" : "proposal.problems.partialSave") : undefined}
        confirming={actionData?.kind === "confirm" ? { title: p.draft.title, totalFen: p.totals.totalFen } : null}
        lastSaved={p.lastSaved}
        result={result}
        notice={notice}
        attachmentsSection={attachmentsSection}
      />
      <section aria-labelledby="delete-draft-h" className="rounded-lg bg-white p-4 shadow-sm">
        <h2 id="delete-draft-h" className="text-sm font-medium">
          {t("proposal.draft.deleteTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("proposal.draft.deleteHint")}</p>
        <div className="mt-2">
          <ConfirmAction
            label={t("proposal.draft.delete")}
            question={t("proposal.draft.deleteQuestion", { title: p.draft.title || t("proposal.untitled"), count: p.attachments.length })}
            confirmLabel={t("proposal.draft.deleteConfirm")}
            intent="deleteDraft"
          />
        </div>
      </section>
      {p.attachments.length ? (
        <section aria-labelledby="remove-attachments-h" className="rounded-lg bg-white p-4 shadow-sm">
          <h2 id="remove-attachments-h" className="text-sm font-medium">
            {t("proposal.attachment.removeTitle")}
          </h2>
          <ul className="mt-2 space-y-2">
            {p.attachments.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2 text-sm">
                <span>{a.label || a.name}</span>
                <ConfirmAction
                  label={t("proposal.attachment.remove")}
                  question={t("proposal.attachment.removeQuestion", { name: a.name })}
                  intent="removeAttachment"
                  hidden={{ attachmentId: a.id }}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
