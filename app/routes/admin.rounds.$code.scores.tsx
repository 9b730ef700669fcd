import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.scores";
import { inputClass } from "~/components/form";
import { ReviewNav } from "~/components/review-nav";
import { cell, DataTable, Done, EmptyState, PageTitle, Problems } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { reopenSheet, roundSheets } from "~/services/review/scoring.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { view: await roundSheets(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const sheetId = String(form.get("sheetId") ?? "");
  const result = await reopenSheet(viewer, params.code, sheetId, String(form.get("reason") ?? ""));
  if (result.ok) return redirect(`/admin/rounds/${encodeURIComponent(params.code)}/scores?done=reopened`);
  return data({ sheetId, formErrors: result.formErrors }, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.scores.title");


export default function ScoresPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  return (
    <div className="space-y-6">
      <ReviewNav code={view.round.code} />
      <PageTitle sub={view.round.title}>{t("review.scores.title")}</PageTitle>
      <Done message={done ? `review.scores.done.${done}` : null} />
      {view.round.open ? (
        <p>
          <a href={`/admin/rounds/${view.round.code}/scores/import`} className="text-brand-700 underline">{t("scoreImport.title")}</a>
        </p>
      ) : null}
      <p data-testid="scores-progress">{t("review.scores.progress", { submitted: view.submitted, assigned: view.assigned })}</p>
      {view.sheets.length === 0 ? (
        <EmptyState title={t("review.scores.empty")} />
      ) : (
        <DataTable testId="scores-table" headers={[t("review.matrix.proposal"), t("review.judges.name"), t("review.scores.status"), t("review.scores.total"), t("review.scores.submittedAt"), t("review.actions")]}>
              {view.sheets.map((s) => (
                <tr key={s.id} data-testid={`sheet-${s.referenceNo}-${s.judge}`}>
                  <td className={cell}><span className="font-mono">{s.referenceNo}</span> {s.title}</td>
                  <td className={cell}>{s.judge}</td>
                  <td className={cell}>{t(`review.sheet.${s.status}`)}{s.source === "IMPORT" ? ` · ${t("review.scores.imported")}` : ""}</td>
                  <td className={cell}>{s.total}</td>
                  <td className={cell}>{s.submittedAt ? formatDateTime(locale, s.submittedAt) : "—"}</td>
                  <td className={cell}>
                    {s.status === "SUBMITTED" && view.round.open ? (
                      <details>
                        <summary className="cursor-pointer text-brand-700 underline">{t("review.scores.reopen")}</summary>
                        <Form method="post" className="mt-2 space-y-2">
                          <input type="hidden" name="sheetId" value={s.id} />
                          {actionData?.sheetId === s.id ? <Problems errors={actionData.formErrors} /> : null}
                          <label className="block text-sm">
                            {t("review.scores.reopenReason")}
                            <textarea name="reason" required minLength={2} maxLength={500} rows={2} className={inputClass} />
                          </label>
                          <button type="submit" className="rounded bg-red-800 px-3 py-1 text-white">{t("review.scores.reopenConfirm")}</button>
                        </Form>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
        </DataTable>
      )}
    </div>
  );
}
