import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.budget";
import { FormActions, FormErrors, getFormProps, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { ReadOnlyNotice } from "~/components/project-nav";
import { ConfirmDecision, DecisionFields, decisionShape } from "~/components/project-forms";
import { cell, DataTable, Done, EmptyState, PageTitle, Pagination, Section } from "~/components/ui";
import { REASON_MAX } from "~/domain/monitoring";
import { formatFen } from "~/domain/money";
import { budgetCategoryName } from "~/domain/proposals";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { budgetPage, decideAdjustment, requestAdjustment } from "~/services/projects/expenses.server";

/** The grantee's request to move money between lines; the rules are domain/monitoring.ts `validateAdjustment`. */
const RequestSchema = z.object({
  intent: z.literal("request"),
  fromLineId: z.string({ error: "monitoring.adjustment.error.lineRequired" }),
  toLineId: z.string({ error: "monitoring.adjustment.error.lineRequired" }),
  amount: z.string().default(""),
  reason: z.string({ error: "monitoring.adjustment.error.reasonRequired" }).max(REASON_MAX, "monitoring.adjustment.error.reasonTooLong"),
});
const DecideSchema = z.object({ intent: z.literal("decide"), adjustmentId: z.string(), ...decisionShape });
const Intents = z.discriminatedUnion("intent", [RequestSchema, DecideSchema]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return { view: await budgetPage(viewer, params.ref, url.searchParams.get("page")), done: done && ["requested", "APPROVED", "REJECTED"].includes(done) ? done : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const here = `/projects/${encodeURIComponent(params.ref)}/budget`;
  switch (v.intent) {
    case "request": {
      const r = await requestAdjustment(viewer, params.ref, v);
      return r.ok ? redirect(`${here}?done=requested`) : problemReply(submission, r.problem, { adjustmentId: null });
    }
    case "decide": {
      const r = await decideAdjustment(viewer, params.ref, v.adjustmentId, v);
      return r.ok ? redirect(`${here}?done=${v.decision}`) : problemReply(submission, r.problem, { adjustmentId: v.adjustmentId });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.budget.title");

const pct = (n: number | null) => (n === null ? "—" : `${n}%`);

export default function BudgetPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const p = view.project;
  return (
    <div className="space-y-6">
      <PageTitle>{t("monitoring.budget.title")}</PageTitle>
      <Done message={done ? `monitoring.adjustment.done.${done}` : null} />
      <ReadOnlyNotice writable={p.writable} />

      <Section id="lines-h" title={t("monitoring.budget.lines")} size="lg" className="space-y-2">
        <DataTable
          testId="budget-lines"
          headers={["line", "agreed", "current", "approved", "pending", "used"].map((k) => t(`monitoring.budget.${k}`))}
          empty={view.lines.length === 0 && <EmptyState title={t("monitoring.budget.noLines")} />}
        >
          {view.lines.map((l) => (
            <tr key={l.id} className={l.overBudget ? "bg-red-50" : undefined} data-testid={`line-${l.position}`} data-over={l.overBudget ? "1" : undefined}>
              <td className={cell}>
                {l.position}. {budgetCategoryName(l.category, locale)} · {l.item}
                {l.overBudget ? <strong className="ml-2 text-red-800">{t("monitoring.budget.over")}</strong> : null}
                {!l.overBudget && l.overBudgetIfApproved ? <span className="ml-2 text-amber-800">{t("monitoring.budget.overIfApproved")}</span> : null}
              </td>
              <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(l.agreedFen)}</td>
              <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(l.budgetFen)}</td>
              <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(l.approvedFen)}</td>
              <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(l.pendingFen)}</td>
              <td className={`${cell} text-right whitespace-nowrap ${l.overBudget ? "font-semibold text-red-800" : ""}`}>{pct(l.percentUsed)}</td>
            </tr>
          ))}
          <tr data-testid="off-budget" className={view.offBudget.approvedFen + view.offBudget.pendingFen > 0 ? "bg-amber-50" : undefined}>
            <td className={cell}>{t("monitoring.expense.notInBudget")}</td>
            <td className={cell}>—</td>
            <td className={cell}>—</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.offBudget.approvedFen)}</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.offBudget.pendingFen)}</td>
            <td className={cell}>—</td>
          </tr>
          <tr className="font-semibold">
            <td className={cell}>{t("monitoring.budget.total")}</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.totals.agreedFen)}</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.totals.budgetFen)}</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.totals.approvedFen)}</td>
            <td className={`${cell} text-right whitespace-nowrap`}>{formatFen(view.totals.pendingFen)}</td>
            <td className={cell} />
          </tr>
        </DataTable>
        <p className="text-sm text-slate-600">{t("monitoring.budget.hint")}</p>
      </Section>

      {view.canRequest ? <RequestAdjustment view={view} actionData={actionData} /> : null}

      <Section id="adj-h" title={t("monitoring.adjustment.history")} size="lg">
        {view.adjustments.length === 0 ? (
          <EmptyState title={t("monitoring.adjustment.none")} />
        ) : (
          <ul className="space-y-3" data-testid="adjustments">
            {view.adjustments.map((a) => {
              return (
                <li key={a.id} className="space-y-1 rounded-lg bg-white p-4 text-sm shadow-sm" data-testid={`adjustment-${a.id}`}>
                  <p>
                    <strong>{formatFen(a.amountFen)}</strong> · {a.from} → {a.to} · <span className="font-medium">{t(`monitoring.adjustmentStatus.${a.status}`)}</span>
                  </p>
                  <p className="text-slate-600">{t("monitoring.adjustment.requestedBy", { name: a.requestedBy, date: formatDateTime(locale, a.createdAt) })}</p>
                  <p className="whitespace-pre-line">{a.reason}</p>
                  {a.decidedAt ? (
                    <p className="border-l-4 border-slate-300 pl-2">
                      {t("monitoring.adjustment.decidedBy", { name: a.decidedBy ?? "", date: formatDateTime(locale, a.decidedAt) })}
                      {a.comment ? `：${a.comment}` : null}
                    </p>
                  ) : null}
                  {a.canDecide ? <DecideAdjustment adjustmentId={a.id} actionData={actionData} /> : null}
                </li>
              );
            })}
          </ul>
        )}
        <Pagination page={view.page} pages={view.pages} />
      </Section>
    </div>
  );
}

type View = Route.ComponentProps["loaderData"]["view"];

function RequestAdjustment({ view, actionData }: { view: View; actionData: unknown }) {
  const t = useT();
  const reply = replyFor(actionData, "request");
  const [form, fields] = useZodForm(RequestSchema, reply, { id: "request" });
  const lines = view.lines.map((l) => ({ value: l.id, label: `${l.position}. ${l.item} (${formatFen(l.budgetFen)})` }));
  return (
    <details open={!!reply} className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
      <summary className="cursor-pointer text-lg font-semibold">{t("monitoring.adjustment.new")}</summary>
      <Form method="post" className="mt-4 grid gap-4 sm:grid-cols-2" data-testid="new-adjustment" {...getFormProps(form)}>
        <div className="sm:col-span-2">
          <FormErrors form={form} />
        </div>
        <SelectField meta={fields.fromLineId} label={t("monitoring.adjustment.from")} options={lines} placeholder={t("monitoring.expense.chooseLine")} />
        <SelectField meta={fields.toLineId} label={t("monitoring.adjustment.to")} options={lines} placeholder={t("monitoring.expense.chooseLine")} />
        <TextField meta={fields.amount} label={t("monitoring.adjustment.amount")} inputProps={{ inputMode: "decimal", required: true }} />
        <TextareaField meta={fields.reason} label={t("monitoring.adjustment.reason")} rows={3} className="sm:col-span-2" />
        <FormActions submit={t("monitoring.adjustment.submit")} intent="request" className="sm:col-span-2" />
      </Form>
    </details>
  );
}

function DecideAdjustment({ adjustmentId, actionData }: { adjustmentId: string; actionData: unknown }) {
  const t = useT();
  const mine = actionData && typeof actionData === "object" && (actionData as { adjustmentId?: unknown }).adjustmentId === adjustmentId;
  const [form, fields] = useZodForm(DecideSchema, mine ? replyFor(actionData, "decide") : undefined, { id: `decide-${adjustmentId}` });
  return (
    <Form method="post" className="space-y-2 border-t border-slate-200 pt-3" {...getFormProps(form)}>
      <input type="hidden" name="adjustmentId" value={adjustmentId} />
      <FormErrors form={form} />
      <DecisionFields fields={fields} sendBack="REJECTED" className="" />
      <ConfirmDecision question={t("monitoring.adjustment.question")} />
    </Form>
  );
}
