import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code.scores";
import { FormErrors, getFormProps, inputClass, useZodForm } from "~/components/form";
import { controlProps, rowReply, WrappedField } from "~/components/review-form";
import { cell, DataTable, Done, EmptyState, PageTitle } from "~/components/ui";
import { formatPoints, REOPEN_REASON_MAX, ReopenSheetSchema } from "~/domain/score-sheet";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { reopenSheet, roundSheets } from "~/services/review/scoring.server";

const ReopenIntent = ReopenSheetSchema.extend({ intent: z.literal("reopen") });

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { view: await roundSheets(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ReopenIntent);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await reopenSheet(viewer, params.code, submission.value);
  return r.ok ? redirect(`/admin/rounds/${encodeURIComponent(params.code)}/scores?done=reopened`) : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.scores.title");


export default function ScoresPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle sub={view.round.title}>{t("review.scores.title")}</PageTitle>
      <Done message={done ? `review.scores.done.${done}` : null} />
      {view.round.open ? (
        <p>
          <a href={`/admin/rounds/${view.round.code}/scores/import`} className="text-brand-700 underline">{t("scoreImport.title")}</a>
        </p>
      ) : null}
      <p data-testid="scores-progress">{t("review.scores.progress", { submitted: view.submitted, assigned: view.assigned })}</p>
      <DataTable
        testId="scores-table"
        headers={[t("review.matrix.proposal"), t("review.judges.name"), t("review.scores.status"), t("review.scores.total"), t("review.scores.submittedAt"), t("review.actions")]}
        empty={view.sheets.length === 0 && <EmptyState title={t("review.scores.empty")} />}
      >
        {view.sheets.map((s) => (
          <tr key={s.id} data-testid={`sheet-${s.referenceNo}-${s.judge}`}>
            <td className={cell}><span className="font-mono">{s.referenceNo}</span> {s.title}</td>
            <td className={cell}>{s.judge}</td>
            <td className={cell}>{t(`review.sheet.${s.status}`)}{s.source === "IMPORT" ? ` · ${t("review.scores.imported")}` : ""}</td>
            <td className={cell}>{formatPoints(s.total)}</td>
            <td className={cell}>{s.submittedAt ? formatDateTime(locale, s.submittedAt) : "—"}</td>
            <td className={cell}>
              {s.status === "SUBMITTED" && view.round.open ? (
                <ReopenForm sheetId={s.id} actionData={actionData} />
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

/** Reopening one submitted sheet: a reason, then confirm. Each sheet's form has its own id, so only the one submitted shows its errors. */
function ReopenForm({ sheetId, actionData }: { sheetId: string; actionData: unknown }) {
  const t = useT();
  const reply = rowReply(actionData, "reopen", "sheetId", sheetId);
  const [form, fields] = useZodForm(ReopenIntent, reply, { id: `reopen-${sheetId}` });
  return (
    <details open={reply !== undefined}>
      <summary className="cursor-pointer text-brand-700 underline">{t("review.scores.reopen")}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 space-y-2">
        <input type="hidden" name="intent" value="reopen" />
        <input type="hidden" name="sheetId" value={sheetId} />
        <FormErrors form={form} />
        <WrappedField meta={fields.reason} label={t("review.scores.reopenReason")}>
          <textarea {...controlProps(fields.reason)} required minLength={2} maxLength={REOPEN_REASON_MAX} rows={2} className={inputClass} />
        </WrappedField>
        <button type="submit" className="rounded bg-red-800 px-3 py-1 text-white">{t("review.scores.reopenConfirm")}</button>
      </Form>
    </details>
  );
}
