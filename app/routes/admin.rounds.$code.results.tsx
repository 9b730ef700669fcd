import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.results";
import { inputClass, SubmitButton } from "~/components/form";
import { ReviewNav } from "~/components/review-nav";
import { ConfirmAction, Done, EmptyState, PageTitle, Problems } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { formatFen } from "~/domain/money";
import { formatScore } from "~/domain/ranking";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { publishAwards, resultsPage, revokeOverride, setOverride, setRoadshowScore } from "~/services/awards/awards.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { page: await resultsPage(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const back = (done: string) => redirect(`/admin/rounds/${encodeURIComponent(params.code)}/results?done=${done}`);
  if (intent === "override") {
    const values = { proposalId: String(form.get("proposalId") ?? ""), kind: String(form.get("kind") ?? ""), amountFen: String(form.get("amountFen") ?? ""), reason: String(form.get("reason") ?? "") };
    const result = await setOverride(viewer, params.code, { ...values, amountFen: values.amountFen || undefined });
    return result.ok ? back("override") : data({ intent, formErrors: result.formErrors, values }, { status: 400 });
  }
  if (intent === "roadshow") {
    const result = await setRoadshowScore(viewer, params.code, String(form.get("proposalId") ?? ""), String(form.get("score") ?? ""));
    return result.ok ? back("roadshow") : data({ intent, formErrors: result.formErrors, values: null }, { status: 400 });
  }
  if (intent === "revoke") {
    const result = await revokeOverride(viewer, params.code, String(form.get("overrideId") ?? ""));
    return result.ok ? back("revoked") : data({ intent, formErrors: result.formErrors, values: null }, { status: 400 });
  }
  if (intent === "publish") {
    const result = await publishAwards(viewer, params.code, { force: form.get("force") === "on" });
    return result.ok ? redirect(`/rounds/${encodeURIComponent(params.code)}/notice?published=1`) : data({ intent, formErrors: result.formErrors, values: null }, { status: 409 });
  }
  return data({ intent, formErrors: ["review.badRequest"], values: null }, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "results.title");

const th = "border-b border-slate-300 px-2 py-1 text-left font-medium whitespace-nowrap";
const td = "border-b border-slate-200 px-2 py-1 align-top";
const score = (n: number | null) => (n === null ? "—" : formatScore(n));

export default function ResultsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { page: p, done } = loaderData;
  const r = p.round;
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.formErrors : null);
  const values = actionData?.intent === "override" ? actionData.values : null;
  return (
    <div className="space-y-6">
      <ReviewNav code={r.code} />
      <PageTitle sub={<>{r.code} · <PhaseBadge phase={r.phase} /></>}>{t("results.title")}</PageTitle>
      <Done message={done ? `results.done.${done}` : null} />
      <section className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm" aria-labelledby="rule-h">
        <h2 id="rule-h" className="font-semibold">{t("results.rule.title")}</h2>
        <p>{t("results.rule.review")}</p>
        <p>{t("results.rule.composite", r.weights)}</p>
        {r.zScore ? <p>{t("results.rule.zScore")}</p> : null}
        <p>{t("results.rule.disagreement", { range: r.disagreementRange })}</p>
        <p>{t("results.rule.ties")}</p>
        <p>{t("results.rule.allocation", { minScore: r.minScore, pool: formatFen(r.poolFen) })}</p>
        <p className="flex flex-wrap gap-3">
          {["csv", "json", "xlsx"].map((f) => (
            <a key={f} href={`/admin/rounds/${r.code}/results/export?format=${f}`} className="text-brand-700 underline" download>
              {t("results.export", { format: f.toUpperCase() })}
            </a>
          ))}
        </p>
      </section>

      <Problems errors={errorsFor("roadshow")} testId="roadshow-problems" />
      <Problems errors={[...p.rankingProblems.map((x) => `results.problem.${x.code}`), ...p.allocationProblems.map((x) => `results.problem.${x.code}`)]} testId="results-problems" />
      {p.totals ? (
        <p data-testid="allocation-totals">
          {t("results.totals", { awarded: formatFen(p.totals.awardedFen), remaining: formatFen(p.totals.remainingPoolFen), pool: formatFen(r.poolFen) })}
        </p>
      ) : null}

      {p.rows.length === 0 ? (
        <EmptyState title={t("results.empty")} />
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full bg-white text-sm" data-testid="ranking-table">
            <thead>
              <tr>
                <th className={th}>{t("results.col.rank")}</th>
                <th className={th}>{t("results.col.proposal")}</th>
                <th className={th}>{t("results.col.judges")}</th>
                <th className={th}>{t("results.col.review")}</th>
                {r.weights.roadshow ? <th className={th}>{t("results.col.roadshow")}</th> : null}
                {r.weights.publicVote ? <th className={th}>{t("results.col.publicVote")}</th> : null}
                <th className={th}>{t("results.col.composite")}</th>
                <th className={th}>{t("results.col.outcome")}</th>
                <th className={th}>{t("results.col.award")}</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((row) => (
                <tr key={row.proposalId} data-testid={`rank-${row.referenceNo}`}>
                  <td className={td}>{row.rank}{row.tieBreak ? <span className="block text-xs text-slate-600">{t(`results.tie.${row.tieBreak}`)}</span> : null}</td>
                  <td className={td}>
                    <span className="font-mono">{row.referenceNo}</span> {row.title}
                    <span className="block text-xs text-slate-600">{row.organization}{row.community ? ` · ${localName(locale, row.community)}` : ""} · {t("results.requested", { amount: formatFen(row.requestedFen) })}</span>
                  </td>
                  <td className={td}>
                    <ul>
                      {row.judgeTotals.map((j) => (
                        <li key={j.judgeId} className={j.dropped ? "text-slate-500 line-through" : ""}>
                          {j.judge}: {formatScore(j.raw)}
                          {j.normalized !== null ? ` → ${formatScore(j.normalized)}` : ""}
                          {j.dropped ? <span className="sr-only">{t(`results.dropped.${j.dropped}`)}</span> : null}
                        </li>
                      ))}
                    </ul>
                    {row.flags.includes("disagreement") ? <span className="mt-1 inline-block rounded bg-amber-100 px-1 text-xs text-amber-900" data-testid="flag-disagreement">{t("results.flag.disagreement", { spread: formatScore(row.disagreement.spread) })}</span> : null}
                  </td>
                  <td className={td}>
                    {score(row.review)}
                    <span className="block text-xs text-slate-600">{row.judgeCount === 0 ? t("results.noSheets") : t(row.trimmed ? "results.trimmed" : "results.plainMean", { n: row.judgeCount })}</span>
                  </td>
                  {r.weights.roadshow ? (
                    <td className={td}>
                      {p.canEdit ? (
                        <Form method="post" className="flex items-center gap-1">
                          <input type="hidden" name="proposalId" value={row.proposalId} />
                          <input name="score" inputMode="decimal" defaultValue={row.roadshow ?? ""} className="w-20 rounded border border-slate-400 px-1 py-0.5" aria-label={t("roadshow.label", { ref: row.referenceNo ?? "" })} />
                          <button type="submit" name="intent" value="roadshow" className="rounded border border-brand-700 px-2 py-0.5 text-xs text-brand-700">{t("roadshow.save")}</button>
                        </Form>
                      ) : (
                        score(row.roadshow)
                      )}
                    </td>
                  ) : null}
                  {r.weights.publicVote ? <td className={td}>{row.publicVotes} → {formatScore(row.publicVote)}</td> : null}
                  <td className={td} data-testid="composite">{score(row.composite)}</td>
                  <td className={td}>
                    {row.line ? t(`results.outcome.${row.line.outcome}`) : "—"}
                    {row.line?.reasonCodes.length ? <span className="block text-xs text-slate-600">{row.line.reasonCodes.map((c) => t(`results.reason.${c}`)).join("；")}</span> : null}
                    {row.override ? (
                      <span className="block text-xs">
                        {t("results.override.current", { kind: t(`results.override.kind.${row.override.kind}`), reason: row.override.reason })}
                        {p.canEdit ? <ConfirmAction label={t("results.override.revoke")} question={t("results.override.revokeQuestion")} intent="revoke" hidden={{ overrideId: row.override.id }} /> : null}
                      </span>
                    ) : null}
                  </td>
                  <td className={td} data-testid="award">{row.line ? formatFen(row.line.awardFen) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {p.canEdit && p.rows.length > 0 ? (
        <>
          <Form method="post" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3" aria-labelledby="override-h">
            <h2 id="override-h" className="font-semibold sm:col-span-3">{t("results.override.title")}</h2>
            <p className="text-sm text-slate-700 sm:col-span-3">{t("results.override.help")}</p>
            <Problems errors={errorsFor("override")} testId="override-problems" />
            <label className="block text-sm">
              {t("results.col.proposal")}
              <select name="proposalId" defaultValue={values?.proposalId ?? ""} className={inputClass}>
                {p.rows.map((row) => <option key={row.proposalId} value={row.proposalId}>{row.referenceNo} {row.title}</option>)}
              </select>
            </label>
            <label className="block text-sm">
              {t("results.override.kindLabel")}
              <select name="kind" defaultValue={values?.kind ?? "exclude"} className={inputClass}>
                {["fund", "exclude", "amount"].map((k) => <option key={k} value={k}>{t(`results.override.kind.${k}`)}</option>)}
              </select>
            </label>
            <label className="block text-sm">
              {t("results.override.amount")}
              <input name="amountFen" inputMode="decimal" defaultValue={values?.amountFen ?? ""} className={inputClass} />
            </label>
            <label className="block text-sm sm:col-span-3">
              {t("results.override.reason")}
              <textarea name="reason" rows={2} maxLength={1000} defaultValue={values?.reason ?? ""} className={inputClass} />
            </label>
            <div className="sm:col-span-3">
              <SubmitButton name="intent" value="override">{t("results.override.submit")}</SubmitButton>
            </div>
          </Form>

          <Form method="post" className="space-y-3 rounded-lg border border-brand-700 bg-white p-4" aria-labelledby="publish-h">
            <h2 id="publish-h" className="font-semibold">{t("results.publish.title")}</h2>
            <p className="text-sm">{t("results.publish.help", { days: r.noticeDays })}</p>
            <Problems errors={errorsFor("publish")} testId="publish-problems" />
            {p.unscored.length || p.drafts ? (
              <p className="text-sm text-amber-900" data-testid="publish-warning">{t("results.publish.incomplete", { unscored: p.unscored.join("、") || "—", drafts: p.drafts })}</p>
            ) : null}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="force" /> {t("results.publish.force")}
            </label>
            <details>
              <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("results.publish.submit")}</summary>
              <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
                <p>{t("results.publish.question")}</p>
                <SubmitButton name="intent" value="publish">{t("results.publish.confirm")}</SubmitButton>
              </div>
            </details>
          </Form>
        </>
      ) : r.published ? (
        <p>
          <Link to={`/rounds/${r.code}/notice`} className="text-brand-700 underline">{t("results.published")}</Link>
        </p>
      ) : null}
    </div>
  );
}
