import { data, Form } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.scores.import";
import { SubmitButton } from "~/components/form";
import { ReviewNav } from "~/components/review-nav";
import { PageTitle, Problems } from "~/components/ui";
import { rubricOf } from "~/domain/rounds";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { roundForOfficial } from "~/services/review/access.server";
import { importScores } from "~/services/review/score-import.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const round = await roundForOfficial(viewer, params.code);
  return { round: { code: round.code, title: round.title, open: round.phase === "REVIEW" && !round.awardsPublishedAt }, criteria: rubricOf(round.rubric).map((c) => ({ key: c.key, nameZh: c.nameZh, nameEn: c.nameEn, maxPoints: c.maxPoints })) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const file = form.get("file");
  const outcome = await importScores(viewer, params.code, file instanceof File ? file : null, { dryRun: form.get("intent") !== "import" });
  return data({ outcome }, { status: outcome.fileError || (!outcome.ok && outcome.rows.length) || outcome.fileProblems.length ? 400 : 200 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "scoreImport.title");

const th = "border-b border-slate-300 px-2 py-1 text-left font-medium";
const td = "border-b border-slate-200 px-2 py-1 align-top";

export default function ScoreImportPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { round, criteria } = loaderData;
  const o = actionData?.outcome;
  return (
    <div className="space-y-6">
      <ReviewNav code={round.code} />
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
        <Form method="post" encType="multipart/form-data" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <label className="block text-sm">
            {t("scoreImport.file")}
            <input type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="mt-1 block" />
          </label>
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
          <Problems errors={[...(o.fileError ? [o.fileError] : []), ...o.fileProblems.map((p) => `scoreImport.problem.${p}`)]} />
          {o.rows.length ? (
            <p role="status" data-testid="import-summary">
              {o.ok
                ? o.dryRun
                  ? t("scoreImport.dryRunOk", { rows: o.rows.length, sheets: o.sheets.length })
                  : t("scoreImport.imported", { sheets: o.imported })
                : t("scoreImport.refused", { bad: o.rows.filter((r) => r.problems.length).length, rows: o.rows.length })}
            </p>
          ) : null}
          {o.rows.length ? (
            <div className="overflow-x-auto">
              <table className="min-w-full bg-white text-sm">
                <thead>
                  <tr>
                    <th className={th}>{t("scoreImport.line")}</th>
                    <th className={th}>{t("review.judges.email")}</th>
                    <th className={th}>{t("review.matrix.proposal")}</th>
                    <th className={th}>{t("scoreImport.criterion")}</th>
                    <th className={th}>{t("scoreImport.check")}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.rows.map((r) => (
                    <tr key={r.line} className={r.problems.length ? "bg-red-50" : ""}>
                      <td className={td}>{r.line}</td>
                      <td className={td}>{r.judge}</td>
                      <td className={td}>{r.proposal}</td>
                      <td className={td}>{r.criterion ?? "—"}</td>
                      <td className={td}>{r.problems.length ? r.problems.map((p) => t(`scoreImport.problem.${p}`)).join("；") : t("scoreImport.rowOk")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
