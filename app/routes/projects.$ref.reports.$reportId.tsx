import type { ReactNode } from "react";
import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.reports.$reportId";
import { FormErrors, getFormProps, replyFor, SubmitButton, TextareaField, TextField, useZodForm } from "~/components/form";
import { ReadOnlyNotice } from "~/components/project-nav";
import { ConfirmDecision, DecisionFields, decisionShape, FilesField, filesField, versionField } from "~/components/project-forms";
import { ConfirmAction, Done, PageTitle, Section, TextLink } from "~/components/ui";
import { NARRATIVE_MAX, PHOTO_ACCEPT, REPORT_FILE_ACCEPT } from "~/domain/monitoring";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { chosenFiles, decideReport, removeReportFile, reportView, saveReport } from "~/services/projects/reports.server";

/** The report's text and files; "save" keeps a draft, "submit" saves and submits (two buttons of one form). */
const reportShape = {
  version: versionField,
  narrative: z.string().max(NARRATIVE_MAX, "monitoring.report.error.narrativeTooLong").default(""),
  beneficiariesServed: z.string().default(""),
  photos: filesField,
  files: filesField,
};
const SaveSchema = z.object({ intent: z.literal("save"), ...reportShape });
const SubmitSchema = z.object({ intent: z.literal("submit"), ...reportShape });
const ReportForm = z.discriminatedUnion("intent", [SaveSchema, SubmitSchema]);
const RemoveSchema = z.object({ intent: z.literal("remove"), fileId: z.string() });
const DecideSchema = z.object({ intent: z.literal("decide"), version: versionField, ...decisionShape });
const Intents = z.discriminatedUnion("intent", [SaveSchema, SubmitSchema, RemoveSchema, DecideSchema]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const done = new URL(request.url).searchParams.get("done");
  return { view: await reportView(viewer, params.ref, params.reportId), done: done && ["saved", "submitted", "removed", "APPROVED", "RETURNED"].includes(done) ? done : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const here = `/projects/${encodeURIComponent(params.ref)}/reports/${encodeURIComponent(params.reportId)}`;
  switch (v.intent) {
    case "save":
    case "submit": {
      const r = await saveReport(
        viewer,
        params.ref,
        params.reportId,
        { narrative: v.narrative, beneficiariesServed: v.beneficiariesServed, version: v.version, submit: v.intent === "submit" },
        { photos: chosenFiles(v.photos), files: chosenFiles(v.files) },
      );
      if (r.ok) return redirect(`${here}?done=${r.submitted ? "submitted" : "saved"}`);
      return problemReply(submission, r.problem);
    }
    case "remove": {
      const r = await removeReportFile(viewer, params.ref, params.reportId, v.fileId);
      return r.ok ? redirect(`${here}?done=removed`) : problemReply(submission, r.problem);
    }
    case "decide": {
      const r = await decideReport(viewer, params.ref, params.reportId, v);
      return r.ok ? redirect(`${here}?done=${v.decision}`) : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.report.title");

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

export default function ReportPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const { project: p, report } = view;
  const base = `/projects/${encodeURIComponent(p.referenceNo)}`;
  const saveReply = replyFor(actionData, "save") ?? replyFor(actionData, "submit");
  // a refused save may still have saved the text: the version to send next is the one it left
  const savedVersion = saveReply && actionData && "detail" in actionData ? (actionData.detail as { version?: number } | null)?.version : undefined;
  const version = savedVersion ?? report.version;
  const [editForm, edit] = useZodForm(ReportForm, saveReply, {
    id: "report",
    defaultValue: { narrative: report.narrative, beneficiariesServed: report.beneficiariesServed === null ? "" : String(report.beneficiariesServed) },
  });
  const [decideForm, decide] = useZodForm(DecideSchema, replyFor(actionData, "decide"), { id: "decide" });
  const [removeForm] = useZodForm(RemoveSchema, replyFor(actionData, "remove"), { id: "remove" });
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to={`${base}/reports`}>← {t("monitoring.reports.title")}</TextLink>
      </p>
      <PageTitle>{t("monitoring.report.heading", { position: report.milestone.position, title: report.milestone.title })}</PageTitle>
      <Done message={done ? `monitoring.report.done.${done}` : null} />
      <ReadOnlyNotice writable={p.writable} />

      <Section id="state-h" title={t("monitoring.report.status")} size="hidden" className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm">
        <p>
          {t("monitoring.report.status")}：<strong data-testid="report-status">{t(`monitoring.reportStatus.${report.status}`)}</strong>
          {report.submittedAt ? ` · ${t("monitoring.report.submittedAt", { date: formatDateTime(locale, report.submittedAt) })}` : null}
        </p>
        {report.milestone.deliverable ? <p className="text-slate-600">{t("monitoring.milestone.deliverable")}：{report.milestone.deliverable}</p> : null}
        {report.milestone.dueOn ? <p className="text-slate-600">{t("monitoring.milestone.due")}：{formatDateTime(locale, report.milestone.dueOn, false)}</p> : null}
        {report.status === "RETURNED" && report.comment ? (
          <p className="border-l-4 border-amber-400 pl-2" data-testid="return-comment">
            {t("monitoring.report.returnedWith")}：{report.comment}
          </p>
        ) : null}
      </Section>

      {view.canEdit ? (
        <Form
          method="post"
          encType="multipart/form-data"
          className="space-y-4 rounded-lg bg-white p-4 shadow-sm sm:p-6"
          aria-labelledby="edit-h"
          {...getFormProps(editForm)}
        >
          <h2 id="edit-h" className="text-lg font-semibold">
            {t("monitoring.report.edit")}
          </h2>
          <input type="hidden" name="version" value={version} />
          <FormErrors form={editForm} />
          <TextareaField meta={edit.narrative} label={t("monitoring.report.narrative")} hint={t("monitoring.report.narrativeHint")} rows={8} />
          <TextField meta={edit.beneficiariesServed} label={t("monitoring.report.beneficiaries")} className="max-w-xs" inputProps={{ inputMode: "numeric" }} />
          <FilesField meta={edit.photos} label={t("monitoring.report.addPhotos")} hint={t("monitoring.report.photosHint")} accept={PHOTO_ACCEPT} />
          <FilesField meta={edit.files} label={t("monitoring.report.addFiles")} hint={t("monitoring.report.filesHint")} accept={REPORT_FILE_ACCEPT} />
          <div className="flex flex-wrap gap-3">
            <SubmitButton name="intent" value="save" className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">
              {t("monitoring.report.saveDraft")}
            </SubmitButton>
            <SubmitButton name="intent" value="submit">
              {t(report.status === "RETURNED" ? "monitoring.report.resubmit" : "monitoring.report.submit")}
            </SubmitButton>
          </div>
          <p className="text-sm text-slate-600">{t("monitoring.report.submitHint")}</p>
        </Form>
      ) : (
        <Section id="text-h" title={t("monitoring.report.narrative")} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <p className="whitespace-pre-line">{report.narrative || "—"}</p>
          <p className="text-sm">
            {t("monitoring.report.beneficiaries")}：
            <strong>{report.beneficiariesServed === null ? "—" : formatNumber(locale, report.beneficiariesServed)}</strong>
          </p>
        </Section>
      )}

      <FormErrors form={removeForm} />
      <Listing id="photos-h" title={t("monitoring.report.photos")} empty={view.photos.length === 0 ? t("monitoring.report.noPhotos") : null}>
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="photos">
          {view.photos.map((ph) => (
            <li key={ph.id} className="space-y-1 rounded bg-white p-2 shadow-sm">
              <a href={`${base}/files/${ph.id}`} target="_blank" rel="noreferrer">
                <img src={`${base}/files/${ph.id}?thumb=1`} alt={ph.caption || ph.name} loading="lazy" className="aspect-[4/3] w-full rounded object-cover" />
              </a>
              <p className="truncate text-xs text-slate-600" title={ph.name}>
                {ph.name}
              </p>
              {view.canEdit ? (
                <ConfirmAction
                  label={t("monitoring.report.remove")}
                  question={t("monitoring.report.removeQuestion", { name: ph.name })}
                  intent="remove"
                  hidden={{ fileId: ph.id }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      </Listing>

      <Listing id="files-h" title={t("monitoring.report.files")} empty={view.files.length === 0 ? t("monitoring.report.noFiles") : null}>
        <ul className="space-y-2" data-testid="files">
          {view.files.map((f) => (
            <li key={f.id} className="flex flex-wrap items-center gap-3 rounded bg-white p-2 text-sm shadow-sm">
              <a href={`${base}/files/${f.id}`} className="text-brand-700 underline">
                {f.name}
              </a>
              <span className="text-slate-600">{kb(f.sizeBytes)}</span>
              {view.canEdit ? (
                <ConfirmAction label={t("monitoring.report.remove")} question={t("monitoring.report.removeQuestion", { name: f.name })} intent="remove" hidden={{ fileId: f.id }} />
              ) : null}
            </li>
          ))}
        </ul>
      </Listing>

      {view.canDecide ? (
        <Form method="post" className="space-y-3 rounded-lg bg-white p-4 shadow-sm sm:p-6" aria-labelledby="decide-h" data-testid="decide-report" {...getFormProps(decideForm)}>
          <h2 id="decide-h" className="text-lg font-semibold">
            {t("monitoring.decision.title")}
          </h2>
          <input type="hidden" name="version" value={report.version} />
          <FormErrors form={decideForm} />
          <DecisionFields fields={decide} sendBack="RETURNED" rows={3} />
          <p className="text-sm text-slate-600">{t("monitoring.decision.reportHint")}</p>
          <ConfirmDecision question={t("monitoring.decision.question")} className="text-sm" />
        </Form>
      ) : null}

      <Listing id="history-h" title={t("monitoring.decision.history")} empty={view.decisions.length === 0 ? t("monitoring.decision.noHistory") : null} className="space-y-2">
        <ol className="space-y-2" data-testid="decisions">
          {view.decisions.map((d) => (
            <li key={d.id} className="rounded bg-white p-3 text-sm shadow-sm">
              <p>
                <strong>{t(`monitoring.decisionKind.${d.decision}`)}</strong> · {d.by} · {formatDateTime(locale, d.at)}
              </p>
              {d.comment ? <p className="whitespace-pre-line">{d.comment}</p> : null}
            </li>
          ))}
        </ol>
      </Listing>
    </div>
  );
}

/** A section of the report page: its heading, then the list, or a line saying there is nothing yet. */
function Listing({ id, title, empty, className = "space-y-3", children }: { id: string; title: string; empty: string | null; className?: string; children: ReactNode }) {
  return (
    <Section id={id} title={title} size="lg" className={className} empty={empty}>
      {children}
    </Section>
  );
}
