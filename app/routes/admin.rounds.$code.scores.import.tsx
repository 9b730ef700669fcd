import { Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code.scores.import";
import { ErrorList, FormErrors, getFormProps, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { cell, DataTable, PageTitle } from "~/components/ui";
import { rubricOf } from "~/domain/rounds";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { roundForOfficial } from "~/services/review/access.server";
import { importScores, type ImportReport } from "~/services/review/score-import.server";

/** One form, two buttons: a dry run checks every row and writes nothing; an import writes all or nothing. */
const ImportIntent = z.object({
  intent: z.enum(["dryRun", "import"]),
  file: z.instanceof(File, { message: "scoreImport.noFile" }),
});

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const round = await roundForOfficial(viewer, params.code);
  return { round: { code: round.code, title: round.title, open: round.phase === "REVIEW" && !round.awardsPublishedAt }, criteria: rubricOf(round.rubric).map((c) => ({ key: c.key, nameZh: c.nameZh, nameEn: c.nameEn, maxPoints: c.maxPoints })) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ImportIntent);
  if (submission.status !== "success") return invalidSubmission(submission, { report: null, clean: false });
  const r = await importScores(viewer, params.code, submission.value.file, { dryRun: submission.value.intent !== "import" });
  if (!r.ok) return problemReply(submission, r.problem, { report: r.problem.detail ?? null, clean: false });
  const { ok: _ok, ...report } = r;
  return { intent: submission.value.intent, result: submission.reply(), report: report as ImportReport, clean: true };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "scoreImport.title");


export default function ScoreImportPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { round, criteria } = loaderData;
  const o = actionData?.report ?? null;
  const [form, fields] = useZodForm(ImportIntent, replyFor(actionData, "dryRun") ?? replyFor(actionData, "import"), { id: "import" });
  return (
    <div className="space-y-6">
      <PageTitle sub={round.title}>{t("scoreImport.title")}</PageTitle>
      <section className="space-y-2 rounded-lg bg-white p-4 text-sm shadow-sm">
        <p>{t("scoreImport.help")}</p>
        <p>{t("scoreImport.wide")}</p>
        <p>{t("scoreImport.long")}</p>
        <p>
          {t("scoreImport.criteria")}：{criteria.map((c) => `${c.key}（${c.nameZh}，≤${c.maxPoints}）`).join("、")}
        </p>
        <p>
          <a href={`/admin/rounds/${round.code}/scores/template`} className="text-brand-700 underline" download>{t("scoreImport.template")}</a>
        </p>
      </section>
      {round.open ? (
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <FormErrors form={form} />
          <label className="block text-sm">
            {t("scoreImport.file")}
            <input type="file" name={fields.file.name} required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-invalid={fields.file.errors ? true : undefined} aria-describedby={fields.file.errors ? fields.file.errorId : undefined} className="mt-1 block" />
          </label>
          <ErrorList id={fields.file.errorId} errors={fields.file.errors} />
          <div className="flex flex-wrap gap-3">
            <SubmitButton name="intent" value="dryRun" className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">{t("scoreImport.dryRun")}</SubmitButton>
            <SubmitButton name="intent" value="import">{t("scoreImport.import")}</SubmitButton>
          </div>
          <p className="text-xs text-slate-600">{t("scoreImport.allOrNothing")}</p>
        </Form>
      ) : (
        <p>{t("scoreImport.closed")}</p>
      )}
      {o ? (
        <section className="space-y-3" aria-live="polite" data-testid="import-result">
          {o.rows.length ? (
            <p role="status" data-testid="import-summary">
              {actionData?.clean
                ? o.dryRun
                  ? t("scoreImport.dryRunOk", { rows: o.rows.length, sheets: o.sheets.length })
                  : t("scoreImport.imported", { sheets: o.imported })
                : t("scoreImport.refused", { bad: o.rows.filter((r) => r.problems.length).length, rows: o.rows.length })}
            </p>
          ) : null}
          {o.rows.length ? (
            <DataTable headers={[t("scoreImport.line"), t("review.judges.email"), t("review.matrix.proposal"), t("scoreImport.criterion"), t("scoreImport.check")]}>
              {o.rows.map((r) => (
                <tr key={r.line} className={r.problems.length ? "bg-red-50" : ""}>
                  <td className={cell}>{r.line}</td>
                  <td className={cell}>{r.judge}</td>
                  <td className={cell}>{r.proposal}</td>
                  <td className={cell}>{r.criterion ?? "—"}</td>
                  <td className={cell}>{r.problems.length ? r.problems.map((p) => t(`scoreImport.problem.${p}`)).join("；") : t("scoreImport.rowOk")}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
