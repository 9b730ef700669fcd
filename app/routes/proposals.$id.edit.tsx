import { redirect, type ShouldRevalidateFunctionArgs } from "react-router";
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
import { draftFormOptions, loadProposalFor, removeAttachment, saveDraft, submit } from "~/services/proposals/proposals.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const proposal = await loadProposalFor(viewer, params.id);
  if (!proposal.canEdit) throw redirect(`/proposals/${params.id}`);
  return { proposal, options: await draftFormOptions(viewer, params.id) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ProposalEditIntents);
  // adding/removing a row without JavaScript, or typing the form cannot store: nothing is saved,
  // and the form keeps the version it was loaded with
  if (submission.status !== "success") {
    const posted = Number(submission.payload.version);
    return invalidSubmission(submission, { kind: "form" as const, version: Number.isSafeInteger(posted) ? posted : undefined });
  }
  const v = submission.value;
  switch (v.intent) {
    case "removeAttachment": {
      const removed = await removeAttachment(viewer, params.id, v.attachmentId);
      if (!removed.ok) throw redirect(`/proposals/${params.id}`);
      return { intent: v.intent, result: submission.reply(), kind: "removed" as const };
    }
    case "save":
    case "submit": {
      const { intent, version, attachment, attachmentLabel, ...fields } = v;
      const { draft, sources } = normalizeDraft(fields);
      const file = attachment && attachment.size > 0 ? { file: attachment, label: attachmentLabel } : undefined;
      const saved = await saveDraft(viewer, params.id, draft, version, file);
      if (!saved.ok) {
        const now = saved.problem.detail;
        if (!now || now.status !== "DRAFT") throw redirect(`/proposals/${params.id}`);
        return problemReply(submission, saved.problem, { kind: "conflict" as const, conflict: now, version: now.version });
      }
      const uploadError = saved.upload && "error" in saved.upload ? saved.upload.error : null;
      if (intent === "save") return { intent, result: submission.reply(), kind: "saved" as const, uploadError, version: saved.version };
      const submitted = await submit(viewer, params.id, saved.version);
      if (submitted.ok) throw redirect(`/proposals/${params.id}?submitted=1`);
      const why = submitted.problem.detail;
      if (why && "problems" in why) {
        // each broken rule next to its field, as the form numbers its rows
        const { "": ruleErrors = [], ...fieldErrors } = problemsAsFieldErrors(why.problems, sources);
        // the eligibility rules the organization fails come first: no edit of the draft mends them
        const formErrors = [...(why.ineligible ?? []), ...ruleErrors];
        return problemReply(submission, { ...submitted.problem, formErrors, fieldErrors }, { kind: "problems" as const, uploadError, version: saved.version });
      }
      if (!why || why.status !== "DRAFT") throw redirect(`/proposals/${params.id}`);
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
        completeness={p.completeness}
        lastSaved={p.lastSaved}
        result={result}
        notice={notice}
        attachmentsSection={attachmentsSection}
      />
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
