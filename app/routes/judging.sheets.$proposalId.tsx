import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/judging.sheets.$proposalId";
import { ErrorList, FormErrors, getFormProps, inputClass, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { controlProps, LockedSheet, SheetBadge, WrappedField } from "~/components/review-form";
import { PageTitle, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { sheetFields, sheetInputOf } from "~/domain/score-sheet";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { CONFLICT_KINDS, DeclareConflictSchema } from "~/domain/judges";
import { declareProposalConflict } from "~/services/review/judges.server";
import { saveSheet, sheetFor } from "~/services/review/scoring.server";

/** The sheet's form has two buttons (save a draft, submit); the conflict declaration is a form of its own. */
const SheetIntents = z.discriminatedUnion("intent", [z.object({ intent: z.literal("draft"), ...sheetFields }), z.object({ intent: z.literal("submit"), ...sheetFields })]);
const ConflictIntent = DeclareConflictSchema.extend({ intent: z.literal("conflict") });
const Intents = z.discriminatedUnion("intent", [...SheetIntents.options, ConflictIntent]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  // 403 unless the viewer holds a live assignment on it without a conflict of interest
  return { view: await sheetFor(viewer, params.proposalId), saved: new URL(request.url).searchParams.get("saved") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  if (v.intent === "conflict") {
    const r = await declareProposalConflict(viewer, params.proposalId, v);
    return r.ok ? redirect(`/judging?done=${r.reassigned ? "conflictReassigned" : "conflictShort"}`) : problemReply(submission, r.problem);
  }
  const view = await sheetFor(viewer, params.proposalId);
  const submit = v.intent === "submit";
  const r = await saveSheet(viewer, params.proposalId, { ...sheetInputOf(v, view.rubric), version: v.version, submit });
  if (r.ok) return redirect(submit ? "/judging?done=submitted" : `/judging/sheets/${encodeURIComponent(params.proposalId)}?saved=1`);
  return problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.sheet.title");

export default function ScoreSheetPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, saved } = loaderData;
  const { proposal, rubric, sheet, round } = view;
  const snap = proposal.snapshot as {
    summary?: string;
    activityPlan?: string;
    beneficiaryCount?: number;
    community?: { nameZh: string; nameEn: string } | null;
    milestones?: { title: string; dueOn?: string | null; deliverable?: string }[];
    budgetLines?: { category: string; item: string; quantity: number; unitPriceFen: number; totalFen: number }[];
    team?: { name: string; role?: string }[];
  };
  const locked = sheet?.status === "SUBMITTED" || !round.open;
  const [form] = useZodForm(SheetIntents, replyFor(actionData, "draft") ?? replyFor(actionData, "submit"), { id: "sheet" });
  const [conflict, conflictFields] = useZodForm(ConflictIntent, replyFor(actionData, "conflict"), { id: "conflict" });
  // what was typed before a refused save, else the sheet as saved
  const typed = form.initialValue as { score?: Record<string, string>; comment?: Record<string, string>; overallComment?: string } | undefined;
  const scoreValue = (key: string) => typed?.score?.[key] ?? (sheet?.scores[key] !== undefined ? String(sheet.scores[key]) : "");
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to="/judging">{t("review.queue.title")}</TextLink>
      </p>
      <PageTitle sub={`${proposal.referenceNo} · ${round.title}${round.blind ? ` · ${t("review.sheet.blind")}` : ""}`}>{proposal.title}</PageTitle>
      <Section id="proposal-h" title={t("review.sheet.proposal")} size="lg" className="space-y-2 rounded-lg bg-white p-4 text-sm shadow-sm" testId="sheet-proposal">
        {proposal.organization ? <p>{t("review.sheet.organization")}：{proposal.organization}</p> : null}
        <p>{t("review.sheet.requested")}：{formatFen(proposal.requestedFen ?? 0)}</p>
        {snap.community ? <p>{t("review.sheet.community")}：{localName(locale, snap.community)}</p> : null}
        {snap.summary ? <p className="whitespace-pre-line">{snap.summary}</p> : null}
        {snap.activityPlan ? <details><summary>{t("review.sheet.plan")}</summary><p className="whitespace-pre-line">{snap.activityPlan}</p></details> : null}
        {snap.budgetLines?.length ? (
          <details>
            <summary>{t("review.sheet.budget")}</summary>
            <ul>{snap.budgetLines.map((l, i) => <li key={i}>{l.item} × {l.quantity} = {formatFen(l.totalFen)}</li>)}</ul>
          </details>
        ) : null}
        {snap.milestones?.length ? (
          <details>
            <summary>{t("review.sheet.milestones")}</summary>
            <ul>{snap.milestones.map((m, i) => <li key={i}>{m.title}{m.dueOn ? ` · ${formatDateTime(locale, m.dueOn, false)}` : ""}</li>)}</ul>
          </details>
        ) : null}
        {snap.team?.length ? <p>{t("review.sheet.team")}：{snap.team.map((m) => `${m.name}${m.role ? `（${m.role}）` : ""}`).join("、")}</p> : null}
      </Section>

      {saved ? <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm">{t("review.sheet.saved")}</p> : null}
      {sheet?.status === "SUBMITTED" ? <p role="status" data-testid="sheet-locked" className="rounded border border-slate-300 bg-slate-50 p-3 text-sm">{t("review.sheet.locked", { date: sheet.submittedAt ? formatDateTime(locale, sheet.submittedAt) : "" })}</p> : null}
      {!round.open ? <p role="status" className="text-sm">{t("review.sheet.closed")}</p> : null}

      {sheet?.status === "SUBMITTED" ? (
        <LockedSheet rubric={rubric} sheet={sheet} />
      ) : (
        <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="sheet-h">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="sheet-h" className="text-lg font-semibold">{t("review.sheet.title")}</h2>
            <SheetBadge status={sheet?.status ?? "NONE"} />
          </div>
          <FormErrors form={form} />
          <input type="hidden" name="version" value={sheet?.version ?? 0} />
          {rubric.map((c) => {
            const errors = form.allErrors[`score.${c.key}`];
            return (
              <fieldset key={c.key} className="grid gap-2 border-t border-slate-200 pt-3 sm:grid-cols-[1fr_8rem]">
                <legend className="sr-only">{localName(locale, c)}</legend>
                <label className="block text-sm sm:col-span-1">
                  <span className="font-medium">{localName(locale, c)}</span> <span className="text-slate-600">{t("review.sheet.max", { max: c.maxPoints })}</span>
                  <textarea name={`comment.${c.key}`} rows={2} maxLength={1000} disabled={locked} defaultValue={typed?.comment?.[c.key] ?? sheet?.comments[c.key] ?? ""} className={inputClass} aria-label={t("review.sheet.comment", { criterion: localName(locale, c) })} />
                </label>
                <label className="block text-sm">
                  {t("review.sheet.score", { criterion: localName(locale, c) })}
                  <input
                    name={`score.${c.key}`}
                    inputMode="decimal"
                    type="number"
                    min={0}
                    max={c.maxPoints}
                    step={0.5}
                    disabled={locked}
                    defaultValue={scoreValue(c.key)}
                    aria-invalid={errors ? true : undefined}
                    aria-describedby={errors ? `err-${c.key}` : undefined}
                    className={inputClass}
                  />
                  <ErrorList id={`err-${c.key}`} errors={errors} />
                </label>
              </fieldset>
            );
          })}
          <label className="block text-sm">
            {t("review.sheet.overall")}
            <textarea name="overallComment" rows={3} maxLength={2000} disabled={locked} defaultValue={typed?.overallComment ?? sheet?.overallComment ?? ""} className={inputClass} />
          </label>
          {!locked ? (
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton name="intent" value="draft" className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">{t("review.sheet.saveDraft")}</SubmitButton>
              <details className="inline-block">
                <summary className="cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("review.sheet.submit")}</summary>
                <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
                  <p>{t("review.sheet.submitQuestion")}</p>
                  <SubmitButton name="intent" value="submit">{t("review.sheet.confirmSubmit")}</SubmitButton>
                </div>
              </details>
            </div>
          ) : null}
        </Form>
      )}

      {round.open ? (
        <details className="rounded-lg border border-red-200 bg-white p-4" open={replyFor(actionData, "conflict") !== undefined}>
          <summary className="cursor-pointer font-medium text-red-800">{t("review.conflictForm.title")}</summary>
          <Form method="post" {...getFormProps(conflict)} className="mt-3 space-y-3">
            <p className="text-sm">{t("review.conflictForm.help")}</p>
            <FormErrors form={conflict} />
            <WrappedField meta={conflictFields.kind} label={t("review.accept.kind")}>
              <select {...controlProps(conflictFields.kind)} required className={inputClass} defaultValue={conflictFields.kind.initialValue ?? ""}>
                <option value="" disabled>—</option>
                {CONFLICT_KINDS.map((k) => <option key={k} value={k}>{t(`review.kind.${k}`)}</option>)}
              </select>
            </WrappedField>
            <WrappedField meta={conflictFields.note} label={t("review.accept.note")}>
              <input {...controlProps(conflictFields.note)} maxLength={200} className={inputClass} />
            </WrappedField>
            <SubmitButton name="intent" value="conflict" className="rounded bg-red-800 px-4 py-2 font-medium text-white">{t("review.conflictForm.submit")}</SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

