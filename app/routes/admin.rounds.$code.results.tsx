import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code.results";
import { ConfirmSubmit, FormActions, FormErrors, getFormProps, inputClass, replyFor, useZodForm } from "~/components/form";
import { controlProps, replyErrors, WrappedField } from "~/components/review-form";
import { cell, ConfirmAction, DataTable, Done, EmptyState, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { NoticeCounting } from "~/components/notice-counting";
import { withParams } from "~/domain/messages";
import { overrideFields, overrideRules } from "~/domain/allocation";
import { RoadshowSchema } from "~/domain/awards";
import { formatFen } from "~/domain/money";
import { formatScore } from "~/domain/ranking";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { publishAwards, resultsPage, revokeOverride, setOverride, setRoadshowScore } from "~/services/awards/awards.server";

const OverrideIntent = z.object({ intent: z.literal("override"), ...overrideFields }).superRefine(overrideRules);
const RoadshowIntent = RoadshowSchema.extend({ intent: z.literal("roadshow") });
const RevokeIntent = z.object({ intent: z.literal("revoke"), overrideId: z.string().min(1) });
const PublishIntent = z.object({ intent: z.literal("publish"), force: z.boolean().optional().default(false) });
const Intents = z.discriminatedUnion("intent", [OverrideIntent, RoadshowIntent, RevokeIntent, PublishIntent]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { page: await resultsPage(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const back = (done: string) => redirect(`/admin/rounds/${encodeURIComponent(params.code)}/results?done=${done}`);
  const v = submission.value;
  switch (v.intent) {
    case "override": {
      const r = await setOverride(viewer, params.code, v);
      return r.ok ? back("override") : problemReply(submission, r.problem);
    }
    case "roadshow": {
      const r = await setRoadshowScore(viewer, params.code, v.proposalId, v.score);
      return r.ok ? back("roadshow") : problemReply(submission, r.problem);
    }
    case "revoke": {
      const r = await revokeOverride(viewer, params.code, v.overrideId);
      return r.ok ? back("revoked") : problemReply(submission, r.problem);
    }
    case "publish": {
      const r = await publishAwards(viewer, params.code, { force: v.force });
      return r.ok ? redirect(`/rounds/${encodeURIComponent(params.code)}/notice?published=1`) : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "results.title");

const score = (n: number | null) => (n === null ? "—" : formatScore(n));

export default function ResultsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { page: p, done } = loaderData;
  const r = p.round;
  const [override, overrideFieldsMeta] = useZodForm(OverrideIntent, replyFor(actionData, "override"), { id: "override" });
  const [publish] = useZodForm(PublishIntent, replyFor(actionData, "publish"), { id: "publish" });
  const f = overrideFieldsMeta;
  return (
    <div className="space-y-6">
      <PageTitle sub={<>{r.code} · <PhaseBadge phase={r.phase} /></>}>{t("results.title")}</PageTitle>
      <Done message={done ? `results.done.${done}` : null} />
      <Section id="rule-h" title={t("results.rule.title")} size="base" className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm">
        <p>{t("results.rule.review")}</p>
        <p>{t("results.rule.composite", r.weights)}</p>
        {r.zScore ? <p>{t("results.rule.zScore")}</p> : null}
        <p>{t("results.rule.disagreement", { range: r.disagreementRange })}</p>
        <p>{t("results.rule.ties")}</p>
        <p>{t("results.rule.allocation", { minScore: r.minScore, pool: formatFen(r.poolFen) })}</p>
        <p className="flex flex-wrap gap-3">
          <a href={`/admin/rounds/${r.code}/results.pdf`} className="font-medium text-brand-700 underline" download data-testid="results-pdf">
            {t("doc.results.download")}
          </a>
          {["csv", "json", "xlsx"].map((f) => (
            <a key={f} href={`/admin/rounds/${r.code}/results/export?format=${f}`} className="text-brand-700 underline" download>
              {t("results.export", { format: f.toUpperCase() })}
            </a>
          ))}
        </p>
      </Section>

      <Problems errors={[...replyErrors(replyFor(actionData, "roadshow")), ...replyErrors(replyFor(actionData, "revoke"))]} testId="roadshow-problems" />
      <Problems errors={[...p.rankingProblems.map((x) => `results.problem.${x.code}`), ...p.allocationProblems.map((x) => `results.problem.${x.code}`)]} testId="results-problems" />
      {p.totals ? (
        <p data-testid="allocation-totals">
          {t("results.totals", { awarded: formatFen(p.totals.awardedFen), remaining: formatFen(p.totals.remainingPoolFen), pool: formatFen(r.poolFen) })}
        </p>
      ) : null}

      <DataTable
        testId="ranking-table"
        headers={["rank", "proposal", "judges", "review", r.weights.roadshow ? "roadshow" : null, r.weights.publicVote ? "publicVote" : null, "composite", "outcome", "award"].map((c) => (c ? t(`results.col.${c}`) : null))}
        empty={p.rows.length === 0 && <EmptyState title={t("results.empty")} />}
      >
        {p.rows.map((row) => (
          <tr key={row.proposalId} data-testid={`rank-${row.referenceNo}`}>
            <td className={cell}>{row.rank}{row.tieBreak ? <span className="block text-xs text-slate-600">{t(`results.tie.${row.tieBreak}`)}</span> : null}</td>
            <td className={cell}>
              <span className="font-mono">{row.referenceNo}</span> {row.title}
              <span className="block text-xs text-slate-600">{row.organization}{row.community ? ` · ${localName(locale, row.community)}` : ""} · {t("results.requested", { amount: formatFen(row.requestedFen) })}</span>
            </td>
            <td className={cell}>
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
            <td className={cell}>
              {score(row.review)}
              <span className="block text-xs text-slate-600">{row.judgeCount === 0 ? t("results.noSheets") : t(row.trimmed ? "results.trimmed" : "results.plainMean", { n: row.judgeCount })}</span>
            </td>
            {r.weights.roadshow ? (
              <td className={cell}>
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
            {r.weights.publicVote ? <td className={cell}>{row.publicVotes} → {formatScore(row.publicVote)}</td> : null}
            <td className={cell} data-testid="composite">{score(row.composite)}</td>
            <td className={cell}>
              {row.line ? t(`results.outcome.${row.line.outcome}`) : "—"}
              {row.line?.reasonCodes.length ? <span className="block text-xs text-slate-600">{row.line.reasonCodes.map((c) => t(`results.reason.${c}`)).join("；")}</span> : null}
              {row.override ? (
                <span className="block text-xs">
                  {t("results.override.current", { kind: t(`results.override.kind.${row.override.kind}`), reason: row.override.reason })}
                  {p.canEdit ? <ConfirmAction label={t("results.override.revoke")} question={t("results.override.revokeQuestion")} intent="revoke" hidden={{ overrideId: row.override.id }} /> : null}
                </span>
              ) : null}
            </td>
            <td className={cell} data-testid="award">{row.line ? formatFen(row.line.awardFen) : "—"}</td>
          </tr>
        ))}
      </DataTable>

      {p.canEdit && p.rows.length > 0 ? (
        <>
          <Form method="post" {...getFormProps(override)} className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3" aria-labelledby="override-h">
            <h2 id="override-h" className="font-semibold sm:col-span-3">{t("results.override.title")}</h2>
            <p className="text-sm text-slate-700 sm:col-span-3">{t("results.override.help")}</p>
            <div className="sm:col-span-3" data-testid="override-problems">
              <FormErrors form={override} />
            </div>
            <WrappedField meta={f.proposalId} label={t("results.col.proposal")}>
              <select {...controlProps(f.proposalId)} className={inputClass}>
                {p.rows.map((row) => <option key={row.proposalId} value={row.proposalId}>{row.referenceNo} {row.title}</option>)}
              </select>
            </WrappedField>
            <WrappedField meta={f.kind} label={t("results.override.kindLabel")}>
              <select {...controlProps(f.kind)} defaultValue={f.kind.initialValue ?? "exclude"} className={inputClass}>
                {["fund", "exclude", "amount"].map((k) => <option key={k} value={k}>{t(`results.override.kind.${k}`)}</option>)}
              </select>
            </WrappedField>
            <WrappedField meta={f.amountFen} label={t("results.override.amount")}>
              <input {...controlProps(f.amountFen)} inputMode="decimal" className={inputClass} />
            </WrappedField>
            <WrappedField meta={f.reason} label={t("results.override.reason")} className="block text-sm sm:col-span-3">
              <textarea {...controlProps(f.reason)} rows={2} maxLength={1000} className={inputClass} />
            </WrappedField>
            <FormActions submit={t("results.override.submit")} intent="override" className="sm:col-span-3" />
          </Form>

          <Form method="post" {...getFormProps(publish)} className="space-y-3 rounded-lg border border-brand-700 bg-white p-4" aria-labelledby="publish-h">
            <h2 id="publish-h" className="font-semibold">{t("results.publish.title")}</h2>
            <p className="text-sm">{t("results.publish.help", { days: r.noticeDays })}</p>
            {p.noticePreview?.ok ? (
              <div className="rounded bg-slate-50 p-3 text-sm" data-testid="notice-preview">
                <p>{t("notice.counting.preview")}</p>
                <NoticeCounting end={p.noticePreview.end} basis={p.noticePreview.basis} testId="notice-preview-counting" />
              </div>
            ) : p.noticePreview ? (
              <Problems errors={[withParams("publish.calendarMissing", { year: p.noticePreview.missingYear })]} testId="notice-preview-missing" />
            ) : null}
            <p className="text-sm">
              <TextLink to="/admin/calendar">{t("calendar.link")}</TextLink>
            </p>
            <Problems errors={publish.errors} testId="publish-problems" />
            {p.unscored.length || p.drafts ? (
              <p className="text-sm text-amber-900" data-testid="publish-warning">{t("results.publish.incomplete", { unscored: p.unscored.join("、") || "—", drafts: p.drafts })}</p>
            ) : null}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="force" /> {t("results.publish.force")}
            </label>
            <ConfirmSubmit label={t("results.publish.submit")} question={t("results.publish.question")} confirm={t("results.publish.confirm")} intent="publish" />
          </Form>
        </>
      ) : r.published ? (
        <p>
          <TextLink to={`/rounds/${r.code}/notice`}>{t("results.published")}</TextLink>
        </p>
      ) : null}
    </div>
  );
}
