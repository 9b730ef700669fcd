import { data, Link, redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import type { Route } from "./+types/proposals.$id.edit";
import { parseWithZod } from "~/components/form";
import { ProposalForm } from "~/components/proposal-form";
import { ProposalStatus } from "~/components/proposal-status";
import { ConfirmAction, PageTitle } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { DraftSchema, normalizeDraft, problemsAsFieldErrors } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
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
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "removeAttachment") {
    const removed = await removeAttachment(viewer, params.id, String(formData.get("attachmentId") ?? ""));
    if (!removed.ok) throw redirect(`/proposals/${params.id}`);
    return data({ kind: "removed" as const });
  }
  const submission = parseWithZod(formData, { schema: DraftSchema });
  const postedVersion = Number(formData.get("version"));
  // adding/removing a row without JavaScript, or typing the form cannot store: nothing is saved
  if (submission.status !== "success") {
    return data({ kind: "form" as const, result: submission.reply(), version: postedVersion }, { status: submission.status === "error" ? 400 : 200 });
  }

  const { draft, sources } = normalizeDraft(submission.value);
  const file = formData.get("attachment");
  const attachment = file instanceof File && file.size > 0 ? { file, label: String(formData.get("attachmentLabel") ?? "") } : undefined;
  const saved = await saveDraft(viewer, params.id, draft, postedVersion, attachment);
  if (!saved.ok && saved.reason === "notDraft") throw redirect(`/proposals/${params.id}`);
  if (!saved.ok) {
    return data(
      { kind: "conflict" as const, result: submission.reply({ formErrors: ["proposal.conflict.short"] }), conflict: saved, version: saved.version },
      { status: 409 },
    );
  }
  const uploadError = saved.upload && "error" in saved.upload ? saved.upload.error : null;
  if (intent === "submit") {
    const submitted = await submit(viewer, params.id, saved.version);
    if (submitted.ok) throw redirect(`/proposals/${params.id}?submitted=1`);
    if (submitted.reason === "notDraft") throw redirect(`/proposals/${params.id}`);
    if (submitted.reason === "problems") {
      const { "": formErrors, ...fieldErrors } = problemsAsFieldErrors(submitted.problems, sources);
      return data(
        { kind: "problems" as const, result: submission.reply({ formErrors: formErrors ?? [], fieldErrors }), uploadError, version: saved.version },
        { status: 400 },
      );
    }
    return data({ kind: "form" as const, result: submission.reply({ formErrors: ["proposal.conflict.short"] }), version: submitted.version }, { status: 409 });
  }
  return data({ kind: "saved" as const, result: submission.reply(), uploadError, version: saved.version });
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
  const conflict = actionData?.kind === "conflict" ? actionData.conflict : null;
  const uploadError = actionData && "uploadError" in actionData ? actionData.uploadError : null;
  const result = actionData && "result" in actionData ? actionData.result : undefined;

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
      {actionData?.kind === "saved" ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">
          {t("proposal.saved")}
        </p>
      ) : null}
      {uploadError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {t("proposal.attachment.refused", { reason: t(uploadError.key, uploadError.params) })}
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
          deadline: formatDateTime(locale, p.round.proposalsDeadline),
        })}{" "}
        <Link to={`/proposals/${p.id}`} className="text-brand-700 underline">
          {t("proposal.preview")}
        </Link>
      </p>
      <ProposalForm
        id={p.id}
        version={actionData && "version" in actionData ? actionData.version : p.version}
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
