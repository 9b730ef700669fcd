import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/projects.$ref.reports.$reportId";
import { ErrorList, inputClass, SubmitButton } from "~/components/form";
import { ProjectNav } from "~/components/project-nav";
import { ConfirmAction, Done, PageTitle, Problems } from "~/components/ui";
import { COMMENT_MAX, NARRATIVE_MAX, PHOTO_ACCEPT, REPORT_FILE_ACCEPT } from "~/domain/monitoring";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { chosenFiles, decideReport, removeReportFile, reportView, saveReport } from "~/services/projects/reports.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const done = new URL(request.url).searchParams.get("done");
  return { view: await reportView(viewer, params.ref, params.reportId), done: done && ["saved", "submitted", "removed", "APPROVED", "RETURNED"].includes(done) ? done : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const here = `/projects/${encodeURIComponent(params.ref)}/reports/${encodeURIComponent(params.reportId)}`;
  const version = Number.parseInt(String(form.get("version") ?? ""), 10);
  if (intent === "save" || intent === "submit") {
    const r = await saveReport(
      viewer,
      params.ref,
      params.reportId,
      { narrative: String(form.get("narrative") ?? ""), beneficiariesServed: String(form.get("beneficiariesServed") ?? ""), version, submit: intent === "submit" },
      { photos: chosenFiles(form.getAll("photos")), files: chosenFiles(form.getAll("files")) },
    );
    if (r.ok) return redirect(`${here}?done=${r.submitted ? "submitted" : "saved"}`);
    return data({ intent: "save" as const, ...r }, { status: 400 });
  }
  if (intent === "remove") {
    const r = await removeReportFile(viewer, params.ref, params.reportId, String(form.get("fileId") ?? ""));
    if (r.ok) return redirect(`${here}?done=removed`);
    return data({ intent: "remove" as const, formErrors: r.formErrors }, { status: 400 });
  }
  if (intent === "decide") {
    const values = { decision: String(form.get("decision") ?? ""), comment: String(form.get("comment") ?? "") };
    const r = await decideReport(viewer, params.ref, params.reportId, { ...values, version });
    if (r.ok) return redirect(`${here}?done=${values.decision}`);
    return data({ intent: "decide" as const, values, formErrors: r.formErrors }, { status: 400 });
  }
  throw data(null, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.report.title");

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

export default function ReportPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const { project: p, report } = view;
  const base = `/projects/${encodeURIComponent(p.referenceNo)}`;
  const saveResult = actionData?.intent === "save" ? actionData : null;
  const decideResult = actionData?.intent === "decide" ? actionData : null;
  const values = saveResult?.values ?? { narrative: report.narrative, beneficiariesServed: report.beneficiariesServed === null ? "" : String(report.beneficiariesServed) };
  const version = saveResult?.version ?? report.version;
  const err = (field: string) => saveResult?.fieldErrors[field];
  return (
    <div className="space-y-6">
      <ProjectNav referenceNo={p.referenceNo} official={p.isOfficial} />
      <p className="text-sm">
        <Link to={`${base}/reports`} className="text-brand-700 underline">
          ← {t("monitoring.reports.title")}
        </Link>
      </p>
      <PageTitle sub={`${p.referenceNo} · ${p.title}`}>
        {t("monitoring.report.heading", { position: report.milestone.position, title: report.milestone.title })}
      </PageTitle>
      <Done message={done ? `monitoring.report.done.${done}` : null} />
      {!p.writable ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          {t("monitoring.readOnly")}
        </p>
      ) : null}

      <section className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm" aria-labelledby="state-h">
        <h2 id="state-h" className="sr-only">
          {t("monitoring.report.status")}
        </h2>
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
      </section>

      {view.canEdit ? (
        <Form
          key={`${report.version}-${version}`}
          method="post"
          encType="multipart/form-data"
          className="space-y-4 rounded-lg bg-white p-4 shadow-sm sm:p-6"
          aria-labelledby="edit-h"
        >
          <h2 id="edit-h" className="text-lg font-semibold">
            {t("monitoring.report.edit")}
          </h2>
          <input type="hidden" name="version" value={version} />
          <Problems errors={saveResult?.formErrors} />
          {saveResult?.uploadError ? (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="upload-error">
              {t("monitoring.upload.failed", { name: saveResult.uploadError.name || t("monitoring.upload.aFile") })} {t(saveResult.uploadError.key, saveResult.uploadError.params)}
            </p>
          ) : null}
          <div>
            <label htmlFor="narrative" className="block text-sm font-medium">
              {t("monitoring.report.narrative")}
            </label>
            <textarea
              id="narrative"
              name="narrative"
              rows={8}
              maxLength={NARRATIVE_MAX}
              defaultValue={values.narrative}
              aria-invalid={err("narrative") ? true : undefined}
              aria-describedby="narrative-hint narrative-error"
              className={inputClass}
            />
            <p id="narrative-hint" className="mt-1 text-sm text-slate-600">
              {t("monitoring.report.narrativeHint")}
            </p>
            <ErrorList id="narrative-error" errors={err("narrative")} />
          </div>
          <div className="max-w-xs">
            <label htmlFor="beneficiariesServed" className="block text-sm font-medium">
              {t("monitoring.report.beneficiaries")}
            </label>
            <input
              id="beneficiariesServed"
              name="beneficiariesServed"
              inputMode="numeric"
              defaultValue={values.beneficiariesServed}
              aria-invalid={err("beneficiariesServed") ? true : undefined}
              aria-describedby="beneficiaries-error"
              className={inputClass}
            />
            <ErrorList id="beneficiaries-error" errors={err("beneficiariesServed")} />
          </div>
          <div>
            <label htmlFor="photos" className="block text-sm font-medium">
              {t("monitoring.report.addPhotos")}
            </label>
            <input id="photos" name="photos" type="file" multiple accept={PHOTO_ACCEPT} aria-describedby="photos-hint" className="mt-1 block text-sm" />
            <p id="photos-hint" className="mt-1 text-sm text-slate-600">
              {t("monitoring.report.photosHint")}
            </p>
          </div>
          <div>
            <label htmlFor="files" className="block text-sm font-medium">
              {t("monitoring.report.addFiles")}
            </label>
            <input id="files" name="files" type="file" multiple accept={REPORT_FILE_ACCEPT} aria-describedby="files-hint" className="mt-1 block text-sm" />
            <p id="files-hint" className="mt-1 text-sm text-slate-600">
              {t("monitoring.report.filesHint")}
            </p>
          </div>
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
        <section className="space-y-3 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="text-h">
          <h2 id="text-h" className="text-lg font-semibold">
            {t("monitoring.report.narrative")}
          </h2>
          <p className="whitespace-pre-line">{report.narrative || "—"}</p>
          <p className="text-sm">
            {t("monitoring.report.beneficiaries")}：
            <strong>{report.beneficiariesServed === null ? "—" : formatNumber(locale, report.beneficiariesServed)}</strong>
          </p>
        </section>
      )}

      <section className="space-y-3" aria-labelledby="photos-h">
        <h2 id="photos-h" className="text-lg font-semibold">
          {t("monitoring.report.photos")}
        </h2>
        {actionData?.intent === "remove" ? <Problems errors={actionData.formErrors} /> : null}
        {view.photos.length === 0 ? (
          <p className="text-sm text-slate-600">{t("monitoring.report.noPhotos")}</p>
        ) : (
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
        )}
      </section>

      <section className="space-y-3" aria-labelledby="files-h">
        <h2 id="files-h" className="text-lg font-semibold">
          {t("monitoring.report.files")}
        </h2>
        {view.files.length === 0 ? (
          <p className="text-sm text-slate-600">{t("monitoring.report.noFiles")}</p>
        ) : (
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
        )}
      </section>

      {view.canDecide ? (
        <Form method="post" className="space-y-3 rounded-lg bg-white p-4 shadow-sm sm:p-6" aria-labelledby="decide-h" data-testid="decide-report">
          <h2 id="decide-h" className="text-lg font-semibold">
            {t("monitoring.decision.title")}
          </h2>
          <input type="hidden" name="version" value={report.version} />
          <Problems errors={decideResult?.formErrors} />
          <fieldset>
            <legend className="text-sm font-medium">{t("monitoring.decision.label")}</legend>
            <label className="mr-4 text-sm">
              <input type="radio" name="decision" value="APPROVED" defaultChecked={(decideResult?.values.decision ?? "APPROVED") === "APPROVED"} /> {t("monitoring.decision.approve")}
            </label>
            <label className="text-sm">
              <input type="radio" name="decision" value="RETURNED" defaultChecked={decideResult?.values.decision === "RETURNED"} /> {t("monitoring.decision.return")}
            </label>
          </fieldset>
          <label className="block text-sm">
            {t("monitoring.decision.comment")}
            <textarea name="comment" rows={3} maxLength={COMMENT_MAX} defaultValue={decideResult?.values.comment ?? ""} className={inputClass} />
          </label>
          <p className="text-sm text-slate-600">{t("monitoring.decision.reportHint")}</p>
          <details>
            <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("monitoring.decision.decide")}</summary>
            <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
              <p>{t("monitoring.decision.question")}</p>
              <SubmitButton name="intent" value="decide">
                {t("common.confirm")}
              </SubmitButton>
            </div>
          </details>
        </Form>
      ) : null}

      <section className="space-y-2" aria-labelledby="history-h">
        <h2 id="history-h" className="text-lg font-semibold">
          {t("monitoring.decision.history")}
        </h2>
        {view.decisions.length === 0 ? (
          <p className="text-sm text-slate-600">{t("monitoring.decision.noHistory")}</p>
        ) : (
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
        )}
      </section>
    </div>
  );
}
