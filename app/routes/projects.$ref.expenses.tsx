import { Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.expenses";
import { FormErrors, getFormProps, replyFor, SelectField, SubmitButton, TextareaField, TextField, useZodForm } from "~/components/form";
import { ReadOnlyNotice } from "~/components/project-nav";
import { DecisionFields, decisionShape, FilesField, filesField, versionField } from "~/components/project-forms";
import { Done, EmptyState, PageTitle, Pagination } from "~/components/ui";
import { DESCRIPTION_MAX, EXPENSE_FILTERS, NOT_IN_BUDGET, PAYEE_MAX, RECEIPT_ACCEPT } from "~/domain/monitoring";
import { fenToInput, formatFen, moneyMessage, parseMoney } from "~/domain/money";
import { budgetCategoryName, MAX_BUDGET_TOTAL_FEN } from "~/domain/proposals";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { decideExpense, expensesPage, resubmitExpense, submitExpense } from "~/services/projects/expenses.server";
import { chosenFiles } from "~/services/projects/reports.server";

/** What an expense form sends; the rules (a real day, money, a line of this project) are domain/monitoring.ts `validateExpense`. */
const expenseShape = {
  spentOn: z.string({ error: "monitoring.expense.error.dateRequired" }),
  // checked where it is typed as on the server (domain/money.ts), so the message shows on the page, in the page's language
  amount: z.string({ error: "money.required" }).superRefine((raw, ctx) => {
    const money = parseMoney(raw, MAX_BUDGET_TOTAL_FEN);
    if (!money.ok) ctx.addIssue({ code: "custom", message: moneyMessage(money.problem) });
    else if (money.fen <= 0) ctx.addIssue({ code: "custom", message: "money.tooSmall" });
  }),
  payee: z.string({ error: "monitoring.expense.error.payeeRequired" }).max(PAYEE_MAX, "monitoring.expense.error.payeeTooLong"),
  budgetLineId: z.string({ error: "monitoring.expense.error.lineRequired" }),
  description: z.string().max(DESCRIPTION_MAX, "monitoring.expense.error.descriptionTooLong").default(""),
  receipts: filesField,
};
const SubmitSchema = z.object({
  intent: z.literal("submit"),
  ...expenseShape,
  receipts: filesField.refine((files) => files.some((f) => f.size > 0), "monitoring.expense.error.receiptRequired"),
});
const ResubmitSchema = z.object({ intent: z.literal("resubmit"), expenseId: z.string(), version: versionField, ...expenseShape });
const DecideSchema = z.object({ intent: z.literal("decide"), expenseId: z.string(), version: versionField, ...decisionShape });
const Intents = z.discriminatedUnion("intent", [SubmitSchema, ResubmitSchema, DecideSchema]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    view: await expensesPage(viewer, params.ref, { page: url.searchParams.get("page"), status: url.searchParams.get("status") }),
    done: done && ["submitted", "duplicate", "resubmitted", "APPROVED", "RETURNED"].includes(done) ? done : null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const here = `/projects/${encodeURIComponent(params.ref)}/expenses`;
  switch (v.intent) {
    case "submit": {
      const r = await submitExpense(viewer, params.ref, v, chosenFiles(v.receipts));
      return r.ok ? redirect(`${here}?done=${r.duplicateReceipt ? "duplicate" : "submitted"}`) : problemReply(submission, r.problem, { expenseId: null });
    }
    case "resubmit": {
      const r = await resubmitExpense(viewer, params.ref, v.expenseId, v, chosenFiles(v.receipts));
      return r.ok ? redirect(`${here}?done=resubmitted`) : problemReply(submission, r.problem, { expenseId: v.expenseId });
    }
    case "decide": {
      const r = await decideExpense(viewer, params.ref, v.expenseId, v);
      return r.ok ? redirect(`${here}?done=${v.decision}`) : problemReply(submission, r.problem, { expenseId: v.expenseId });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.expenses.title");

type View = Route.ComponentProps["loaderData"]["view"];
type Expense = View["expenses"][number];
type ExpenseFieldSet = Pick<ReturnType<typeof useZodForm<typeof SubmitSchema>>[1], "spentOn" | "amount" | "payee" | "budgetLineId" | "description">;

/** The reply of the form for this intent and this expense (several expenses each have their forms). */
function replyForExpense(actionData: unknown, intent: string, expenseId: string | null) {
  const mine = actionData && typeof actionData === "object" && (actionData as { expenseId?: unknown }).expenseId === expenseId;
  return mine ? replyFor(actionData, intent) : undefined;
}

/** The fields of an expense, for a new one and for correcting a returned one. */
function ExpenseFields({ view, fields }: { view: View; fields: ExpenseFieldSet }) {
  const t = useT();
  const locale = useLocale();
  const lines = [
    ...view.lines.map((l) => ({ value: l.id, label: `${l.position}. ${budgetCategoryName(l.category, locale)} · ${l.item}` })),
    { value: NOT_IN_BUDGET, label: t("monitoring.expense.notInBudget") },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField meta={fields.spentOn} type="date" label={t("monitoring.expense.spentOn")} inputProps={{ max: view.today, min: view.agreementDay ?? undefined }} />
      <TextField meta={fields.amount} label={t("monitoring.expense.amount")} inputProps={{ inputMode: "decimal", "aria-required": true }} />
      <TextField meta={fields.payee} label={t("monitoring.expense.payee")} />
      <SelectField meta={fields.budgetLineId} label={t("monitoring.expense.line")} options={lines} placeholder={t("monitoring.expense.chooseLine")} />
      <TextareaField meta={fields.description} label={t("monitoring.expense.description")} rows={2} className="sm:col-span-2" />
    </div>
  );
}

function NewExpense({ view, actionData }: { view: View; actionData: unknown }) {
  const t = useT();
  const reply = replyForExpense(actionData, "submit", null);
  const [form, fields] = useZodForm(SubmitSchema, reply, { id: "new-expense" });
  return (
    <details open={!!reply} className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
      <summary className="cursor-pointer text-lg font-semibold">{t("monitoring.expense.new")}</summary>
      <Form method="post" encType="multipart/form-data" className="mt-4 space-y-4" data-testid="new-expense" {...getFormProps(form)}>
        <FormErrors form={form} />
        <ExpenseFields view={view} fields={fields} />
        <FilesField meta={fields.receipts} label={t("monitoring.expense.receipts")} hint={t("monitoring.expense.receiptsHint")} accept={RECEIPT_ACCEPT} required />
        <SubmitButton name="intent" value="submit">
          {t("monitoring.expense.submit")}
        </SubmitButton>
      </Form>
    </details>
  );
}

function DecideExpense({ expense, actionData }: { expense: Expense; actionData: unknown }) {
  const t = useT();
  const [form, fields] = useZodForm(DecideSchema, replyForExpense(actionData, "decide", expense.id), { id: `decide-${expense.id}` });
  return (
    <Form method="post" className="space-y-2 border-t border-slate-200 pt-3" data-testid="decide-expense" {...getFormProps(form)}>
      <input type="hidden" name="expenseId" value={expense.id} />
      <input type="hidden" name="version" value={expense.version} />
      <FormErrors form={form} />
      <DecisionFields fields={fields} sendBack="RETURNED" />
      <SubmitButton name="intent" value="decide">
        {t("monitoring.decision.decide")}
      </SubmitButton>
    </Form>
  );
}

function CorrectExpense({ view, expense: e, actionData }: { view: View; expense: Expense; actionData: unknown }) {
  const t = useT();
  const reply = replyForExpense(actionData, "resubmit", e.id);
  const [form, fields] = useZodForm(ResubmitSchema, reply, {
    id: `fix-${e.id}`,
    defaultValue: { spentOn: e.spentOn, payee: e.payee, amount: fenToInput(e.amountFen), budgetLineId: e.budgetLineId ?? NOT_IN_BUDGET, description: e.description },
  });
  return (
    <details open={!!reply} className="border-t border-slate-200 pt-3">
      <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("monitoring.expense.correct")}</summary>
      <Form method="post" encType="multipart/form-data" className="mt-3 space-y-3" {...getFormProps(form)}>
        <input type="hidden" name="expenseId" value={e.id} />
        <input type="hidden" name="version" value={e.version} />
        <FormErrors form={form} />
        {/* the same fields as a new expense's (the correction form adds the expense and its version) */}
        <ExpenseFields view={view} fields={fields as unknown as ExpenseFieldSet} />
        <FilesField meta={fields.receipts} label={t("monitoring.expense.moreReceipts")} accept={RECEIPT_ACCEPT} />
        <SubmitButton name="intent" value="resubmit">
          {t("monitoring.expense.resubmit")}
        </SubmitButton>
      </Form>
    </details>
  );
}

export default function ExpensesPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const p = view.project;
  const base = `/projects/${encodeURIComponent(p.referenceNo)}`;
  return (
    <div className="space-y-6">
      <PageTitle>{t("monitoring.expenses.title")}</PageTitle>
      <Done message={done ? `monitoring.expense.done.${done}` : null} />
      <ReadOnlyNotice writable={p.writable} />

      {p.isGrantee && p.writable ? <NewExpense view={view} actionData={actionData} /> : null}

      <nav aria-label={t("monitoring.expense.filter")} className="flex flex-wrap gap-2 text-sm">
        {EXPENSE_FILTERS.map((s) => {
          const count = s === "all" ? undefined : view.counts[s];
          const label = `${t(`monitoring.expenseFilter.${s}`)}${count !== undefined ? ` (${count})` : ""}`;
          return s === view.status ? (
            <span key={s} aria-current="true" className="rounded bg-slate-800 px-2 py-0.5 text-white">
              {label}
            </span>
          ) : (
            <Link key={s} to={s === "all" ? base + "/expenses" : `${base}/expenses?status=${s}`} className="rounded border border-slate-300 px-2 py-0.5">
              {label}
            </Link>
          );
        })}
      </nav>

      {view.expenses.length === 0 ? (
        <EmptyState title={t(view.status === "all" ? "monitoring.expenses.none" : "monitoring.expenses.noneFiltered")} />
      ) : (
        <ul className="space-y-3" data-testid="expenses">
          {view.expenses.map((e) => {
            return (
              <li key={e.id} className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={`expense-${e.ref.slice(1)}`}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p>
                    <span className="font-mono text-sm text-slate-600">{e.ref}</span> <strong>{formatFen(e.amountFen)}</strong> · {e.payee} ·{" "}
                    {formatDateTime(locale, `${e.spentOn}T00:00:00+08:00`, false)}
                  </p>
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-sm font-medium" data-testid="expense-status">
                    {t(`monitoring.expenseStatus.${e.status}`)}
                  </span>
                </div>
                <p className="text-sm">
                  {t("monitoring.expense.line")}：
                  {e.line ? (
                    `${e.line.position}. ${budgetCategoryName(e.line.category, locale)} · ${e.line.item}`
                  ) : (
                    <span className="font-medium text-amber-800">{t("monitoring.expense.notInBudget")}</span>
                  )}
                </p>
                {e.description ? <p className="text-sm whitespace-pre-line text-slate-700">{e.description}</p> : null}
                {e.duplicateReceipt ? (
                  <div role="note" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900" data-testid="duplicate-flag">
                    <strong>{t("monitoring.expense.duplicate")}</strong>{" "}
                    {e.duplicates.length
                      ? t("monitoring.expense.duplicateWhere", { where: e.duplicates.map((d) => `${d.referenceNo} ${d.expenseRef}`).join("、") })
                      : null}
                  </div>
                ) : null}
                <ul className="flex flex-wrap gap-3 text-sm">
                  {e.receipts.map((r) => (
                    <li key={r.id}>
                      <a href={`${base}/receipts/${r.id}`} target="_blank" rel="noreferrer" className="text-brand-700 underline">
                        {r.name}
                      </a>
                    </li>
                  ))}
                </ul>
                {e.comment ? (
                  <p className="border-l-4 border-amber-400 pl-2 text-sm">
                    {t("monitoring.expense.officialComment")}：{e.comment}
                  </p>
                ) : null}

                {e.canDecide ? <DecideExpense expense={e} actionData={actionData} /> : null}
                {e.canEdit ? <CorrectExpense view={view} expense={e} actionData={actionData} /> : null}
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={view.page} pages={view.pages} />
    </div>
  );
}
