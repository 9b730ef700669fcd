import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.evaluation";
import { ErrorList, inputClass, replyFor, SubmitButton } from "~/components/form";
import { cell, DataTable, Done, PageTitle, Problems, Section } from "~/components/ui";
import { EVALUATION_ITEMS, REASONS_MAX, type EvaluationItemKey } from "~/domain/evaluation";
import { fenToInput, formatFen } from "~/domain/money";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { closeEvaluatedProject, evaluationPage, inviteEvaluator, submitEvaluation } from "~/services/projects/evaluation.server";

const DONE = { submitted: "evaluation.done.submitted", invited: "evaluation.done.invited", closed: "evaluation.done.closed" } as const;

/** The sheet sends one score per item (as typed: domain/evaluation.ts `gradeSheet` checks them), reasons and the unspent money. */
const scoreShape = Object.fromEntries(EVALUATION_ITEMS.map((i) => [i.key, z.string().optional()])) as Record<EvaluationItemKey, z.ZodOptional<z.ZodString>>;
const Intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit"), reasons: z.string().default(""), unspent: z.string().default(""), ...scoreShape }),
  z.object({ intent: z.literal("invite"), email: z.string().default("") }),
  z.object({ intent: z.literal("close"), closeUnspent: z.string().default(""), confirm: z.boolean().default(false) }),
]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const done = new URL(request.url).searchParams.get("done");
  return { view: await evaluationPage(viewer, params.ref), done: done && done in DONE ? DONE[done as keyof typeof DONE] : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const back = (done: keyof typeof DONE) => redirect(`/projects/${encodeURIComponent(params.ref)}/evaluation?done=${done}`);
  switch (v.intent) {
    case "invite": {
      const r = await inviteEvaluator(viewer, params.ref, v);
      return r.ok ? back("invited") : problemReply(submission, r.problem);
    }
    case "close": {
      const r = await closeEvaluatedProject(viewer, params.ref, { unspent: v.closeUnspent, confirm: v.confirm });
      return r.ok ? back("closed") : problemReply(submission, r.problem);
    }
    case "submit": {
      const { intent: _intent, reasons, unspent, ...scores } = v;
      const r = await submitEvaluation(viewer, params.ref, { scores, reasons, unspent });
      return r.ok ? back("submitted") : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "evaluation.title");

export default function EvaluationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  /** What one form sent and was told: typed values, errors about the form, errors by field. */
  const mine = (intent: string) => {
    const reply = replyFor(actionData, intent);
    if (!reply) return null;
    const { "": formErrors, ...fieldErrors } = reply.error ?? {};
    return { values: (reply.initialValue ?? {}) as Record<string, string | undefined>, formErrors: formErrors ?? [], fieldErrors };
  };
  const sheet = mine("submit");
  const invite = mine("invite");
  const close = mine("close");
  const fieldError = (a: typeof sheet, name: string) => a?.fieldErrors[name] ?? undefined;
  const described = (id: string, errors?: string[]) => ({ "aria-invalid": errors?.length ? true : undefined, "aria-describedby": errors?.length ? `${id}-error` : undefined });
  const decided = view.decided;
  return (
    <div className="space-y-6">
      <PageTitle>{t("evaluation.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("evaluation.intro", { pass: view.passScore })}</p>
      <Done message={done} />
      <p>
        <span className="rounded bg-slate-100 px-2 py-1 text-sm" data-testid="project-status">
          {t(`project.status.${view.project.status}`)}
        </span>
      </p>

      {decided ? (
        <section className={`space-y-2 rounded-lg border p-4 ${decided.status === "PASSED" ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50"}`} data-testid="evaluation-result">
          <h2 className="text-lg font-semibold">{t(`evaluation.decided.${decided.status}`, { total: decided.total ?? 0 })}</h2>
          <p className="text-sm">
            {decided.evaluator && decided.submittedAt
              ? t("evaluation.decidedBy", { name: decided.evaluator, date: formatDateTime(locale, decided.submittedAt) })
              : decided.submittedAt
                ? t("evaluation.decidedAt", { date: formatDateTime(locale, decided.submittedAt) })
                : null}
          </p>
          <DataTable headers={[t("evaluation.sheet"), t("evaluation.total")]}>
            {view.items.map((i) => (
              <tr key={i.key}>
                <td className={cell}>{t(`evaluation.item.${i.key}`)}</td>
                <td className={cell}>
                  {decided.scores[i.key as keyof typeof decided.scores] ?? "—"} / {i.max}
                </td>
              </tr>
            ))}
          </DataTable>
          {decided.reasons ? <p className="text-sm whitespace-pre-line">{t("evaluation.reasons")}：{decided.reasons}</p> : null}
          {decided.unspentFen !== null ? <p className="text-sm">{t("evaluation.unspent")}：{formatFen(decided.unspentFen)}</p> : null}
        </section>
      ) : !view.open ? (
        <section className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
          <p>{t("evaluation.notOpen")}</p>
          <h2 className="font-medium">{t("evaluation.milestones")}</h2>
          <ul className="list-inside list-disc">
            {view.milestones.map((m) => (
              <li key={m.position}>
                {m.title} — {t(`evaluation.milestoneStatus.${m.status}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.canSubmit ? (
        <Section id="sheet-heading" title={t("evaluation.sheet")} sub={t("evaluation.passScore", { score: view.passScore })} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <Problems errors={sheet?.formErrors} />
          <Form method="post" className="space-y-3" data-testid="evaluation-sheet">
            <input type="hidden" name="intent" value="submit" />
            <div className="grid gap-3 sm:grid-cols-2">
              {view.items.map((i) => {
                const error = fieldError(sheet, i.key);
                return (
                  <div key={i.key}>
                    <label htmlFor={`score-${i.key}`} className="block text-sm font-medium">
                      {t(`evaluation.item.${i.key}`)} <span className="font-normal text-slate-600">（{t("evaluation.max", { max: i.max })}）</span>
                    </label>
                    <input
                      id={`score-${i.key}`}
                      name={i.key}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={i.max}
                      step={1}
                      required
                      defaultValue={sheet?.values[i.key] ?? ""}
                      className={inputClass}
                      {...described(`score-${i.key}`, error)}
                    />
                    <ErrorList id={`score-${i.key}-error`} errors={error} />
                  </div>
                );
              })}
            </div>
            <div>
              <label htmlFor="reasons" className="block text-sm font-medium">
                {t("evaluation.reasons")}
              </label>
              <textarea id="reasons" name="reasons" rows={4} maxLength={REASONS_MAX} defaultValue={sheet?.values.reasons ?? ""} className={inputClass} {...described("reasons", fieldError(sheet, "reasons"))} />
              <p className="mt-1 text-xs text-slate-600">{t("evaluation.reasonsHint")}</p>
              <ErrorList id="reasons-error" errors={fieldError(sheet, "reasons")} />
            </div>
            <UnspentField name="unspent" label={t("evaluation.unspent")} view={view} typed={sheet?.values.unspent} errors={fieldError(sheet, "unspent")} />
            <details>
              <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("evaluation.submit")}</summary>
              <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
                <p>{t("evaluation.submitQuestion")}</p>
                <div className="mt-2">
                  <SubmitButton>{t("evaluation.confirmSubmit")}</SubmitButton>
                </div>
              </div>
            </details>
          </Form>
        </Section>
      ) : null}

      {view.canInvite ? (
        <Section id="invite-heading" title={t("evaluation.invite.title")} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <Problems errors={invite?.formErrors} />
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="invite" />
            <div className="min-w-64 flex-1">
              <label htmlFor="invite-email" className="block text-sm font-medium">
                {t("evaluation.invite.email")}
              </label>
              <input id="invite-email" name="email" type="email" required autoComplete="off" defaultValue={invite?.values.email ?? ""} className={inputClass} {...described("invite-email", fieldError(invite, "email"))} />
              <p className="mt-1 text-xs text-slate-600">{t("evaluation.invite.hint")}</p>
              <ErrorList id="invite-email-error" errors={fieldError(invite, "email")} />
            </div>
            <SubmitButton>{t("evaluation.invite.submit")}</SubmitButton>
          </Form>
        </Section>
      ) : null}

      {view.invitations.length > 0 && !decided ? (
        <Section id="invitations-heading" title={t("evaluation.invitations")} size="lg" className="space-y-2">
          <ul className="list-inside list-disc text-sm" data-testid="invitations">
            {view.invitations.map((i) => (
              <li key={i.id}>
                {i.evaluator}
                {i.evaluatorEmail ? ` <${i.evaluatorEmail}>` : ""} · {t("evaluation.invitedAt", { date: formatDateTime(locale, i.createdAt) })}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {view.role.isOfficial || view.role.isGrantee ? (
        <Section id="tranches-heading" title={t("evaluation.tranches")} size="lg" className="space-y-2">
          <DataTable testId="tranches" headers={[t("evaluation.tranche"), t("evaluations.col.status"), t("evaluation.amount")]}>
            {view.tranches.map((tr) => (
              <tr key={tr.position}>
                <td className={cell}>
                  {tr.position} · {t(`tranche.trigger.${tr.trigger}`)}
                </td>
                <td className={cell}>
                  {t(`tranche.status.${tr.status}`)}
                  {tr.heldReason ? <span className="block text-xs text-slate-700">{tr.heldReason}</span> : null}
                </td>
                <td className={cell}>{formatFen(tr.amountFen)}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
      ) : null}

      {view.project.status === "CLOSED" && view.project.closedAt ? (
        <p className="rounded border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="closed">
          {t("evaluation.closed", { date: formatDateTime(locale, view.project.closedAt), amount: formatFen(view.project.unspentReturnedFen ?? 0) })}
        </p>
      ) : view.role.isOfficial && decided ? (
        <Section id="close-heading" title={t("evaluation.close.title")} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          {view.canClose ? (
            <>
              <p className="text-sm">{t("evaluation.close.explain")}</p>
              <Problems errors={close?.formErrors} />
              <Form method="post" className="space-y-3">
                <input type="hidden" name="intent" value="close" />
                <UnspentField name="closeUnspent" label={t("evaluation.close.unspent")} view={view} typed={close?.values.closeUnspent} errors={fieldError(close, "closeUnspent")} />
                <details>
                  <summary className="inline-block cursor-pointer rounded border border-red-300 px-3 py-1 text-sm text-red-800">{t("evaluation.close.submit")}</summary>
                  <div className="mt-2 rounded border border-red-200 bg-red-50 p-3 text-sm">
                    <label className="flex items-start gap-2">
                      <input type="checkbox" name="confirm" required className="mt-1" /> <span>{t("evaluation.close.question")}</span>
                    </label>
                    <button type="submit" className="mt-2 rounded bg-red-800 px-3 py-1 text-white">
                      {t("evaluation.close.confirm")}
                    </button>
                  </div>
                </details>
              </Form>
            </>
          ) : (
            <p className="text-sm">{t("evaluation.close.waiting")}</p>
          )}
        </Section>
      ) : null}
    </div>
  );
}

/** The unspent money (in yuan), suggested from what was paid and spent; on the sheet and when closing. */
function UnspentField({
  name,
  label,
  view,
  typed,
  errors,
}: {
  name: string;
  label: string;
  view: Route.ComponentProps["loaderData"]["view"];
  typed: string | undefined;
  errors: string[] | undefined;
}) {
  const t = useT();
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={name}
        name={name}
        inputMode="decimal"
        required
        defaultValue={typed ?? fenToInput(view.suggestedUnspentFen)}
        className={inputClass}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${name}-error` : undefined}
      />
      <p className="mt-1 text-xs text-slate-600">{t("evaluation.unspentHint", { paid: formatFen(view.paidFen), spent: formatFen(view.approvedExpensesFen) })}</p>
      <ErrorList id={`${name}-error`} errors={errors} />
    </div>
  );
}
