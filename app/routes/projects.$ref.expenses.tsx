import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/projects.$ref.expenses";
import { ErrorList, inputClass, SubmitButton } from "~/components/form";
import { ProjectNav } from "~/components/project-nav";
import { Done, EmptyState, PageTitle, Pagination, Problems } from "~/components/ui";
import { COMMENT_MAX, DESCRIPTION_MAX, EXPENSE_FILTERS, NOT_IN_BUDGET, PAYEE_MAX, RECEIPT_ACCEPT, type ExpenseInput } from "~/domain/monitoring";
import { fenToInput, formatFen } from "~/domain/money";
import { budgetCategoryName } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { decideExpense, expensesPage, resubmitExpense, submitExpense } from "~/services/projects/expenses.server";
import { chosenFiles } from "~/services/projects/reports.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    view: await expensesPage(viewer, params.ref, { page: url.searchParams.get("page"), status: url.searchParams.get("status") }),
    done: done && ["submitted", "duplicate", "resubmitted", "APPROVED", "RETURNED"].includes(done) ? done : null,
  };
}

const fields = (form: FormData): ExpenseInput => ({
  spentOn: String(form.get("spentOn") ?? ""),
  payee: String(form.get("payee") ?? ""),
  amount: String(form.get("amount") ?? ""),
  budgetLineId: String(form.get("budgetLineId") ?? ""),
  description: String(form.get("description") ?? ""),
});

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const here = `/projects/${encodeURIComponent(params.ref)}/expenses`;
  const expenseId = String(form.get("expenseId") ?? "");
  const version = Number.parseInt(String(form.get("version") ?? ""), 10);
  if (intent === "submit") {
    const r = await submitExpense(viewer, params.ref, fields(form), chosenFiles(form.getAll("receipts")));
    if (r.ok) return redirect(`${here}?done=${r.duplicateReceipt ? "duplicate" : "submitted"}`);
    return data({ intent: "submit" as const, expenseId: null, ...r }, { status: 400 });
  }
  if (intent === "resubmit") {
    const r = await resubmitExpense(viewer, params.ref, expenseId, { ...fields(form), version }, chosenFiles(form.getAll("receipts")));
    if (r.ok) return redirect(`${here}?done=resubmitted`);
    return data({ intent: "resubmit" as const, expenseId, ...r }, { status: 400 });
  }
  if (intent === "decide") {
    const values = { decision: String(form.get("decision") ?? ""), comment: String(form.get("comment") ?? "") };
    const r = await decideExpense(viewer, params.ref, expenseId, { ...values, version });
    if (r.ok) return redirect(`${here}?done=${values.decision}`);
    return data({ intent: "decide" as const, expenseId, decision: values, formErrors: r.formErrors }, { status: 400 });
  }
  throw data(null, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.expenses.title");

type View = Route.ComponentProps["loaderData"]["view"];

/** The fields of an expense, for a new one and for correcting a returned one. */
function ExpenseFields({ idPrefix, view, values, errors }: { idPrefix: string; view: View; values: ExpenseInput; errors: Record<string, string[]> }) {
  const t = useT();
  const locale = useLocale();
  const id = (f: string) => `${idPrefix}-${f}`;
  const invalid = (f: string) => (errors[f]?.length ? true : undefined);
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <label htmlFor={id("spentOn")} className="block text-sm font-medium">
          {t("monitoring.expense.spentOn")}
        </label>
        <input
          id={id("spentOn")}
          name="spentOn"
          type="date"
          required
          max={view.today}
          min={view.agreementDay ?? undefined}
          defaultValue={values.spentOn}
          aria-invalid={invalid("spentOn")}
          aria-describedby={`${id("spentOn")}-e`}
          className={inputClass}
        />
        <ErrorList id={`${id("spentOn")}-e`} errors={errors.spentOn} />
      </div>
      <div>
        <label htmlFor={id("amount")} className="block text-sm font-medium">
          {t("monitoring.expense.amount")}
        </label>
        <input
          id={id("amount")}
          name="amount"
          inputMode="decimal"
          required
          defaultValue={values.amount}
          aria-invalid={invalid("amount")}
          aria-describedby={`${id("amount")}-e`}
          className={inputClass}
        />
        <ErrorList id={`${id("amount")}-e`} errors={errors.amount} />
      </div>
      <div>
        <label htmlFor={id("payee")} className="block text-sm font-medium">
          {t("monitoring.expense.payee")}
        </label>
        <input
          id={id("payee")}
          name="payee"
          required
          maxLength={PAYEE_MAX}
          defaultValue={values.payee}
          aria-invalid={invalid("payee")}
          aria-describedby={`${id("payee")}-e`}
          className={inputClass}
        />
        <ErrorList id={`${id("payee")}-e`} errors={errors.payee} />
      </div>
      <div>
        <label htmlFor={id("line")} className="block text-sm font-medium">
          {t("monitoring.expense.line")}
        </label>
        <select
          id={id("line")}
          name="budgetLineId"
          required
          defaultValue={values.budgetLineId}
          aria-invalid={invalid("budgetLineId")}
          aria-describedby={`${id("line")}-e`}
          className={inputClass}
        >
          <option value="">{t("monitoring.expense.chooseLine")}</option>
          {view.lines.map((l) => (
            <option key={l.id} value={l.id}>
              {l.position}. {budgetCategoryName(l.category, locale)} · {l.item}
            </option>
          ))}
          <option value={NOT_IN_BUDGET}>{t("monitoring.expense.notInBudget")}</option>
        </select>
        <ErrorList id={`${id("line")}-e`} errors={errors.budgetLineId} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={id("description")} className="block text-sm font-medium">
          {t("monitoring.expense.description")}
        </label>
        <textarea
          id={id("description")}
          name="description"
          rows={2}
          maxLength={DESCRIPTION_MAX}
          defaultValue={values.description}
          aria-describedby={`${id("description")}-e`}
          className={inputClass}
        />
        <ErrorList id={`${id("description")}-e`} errors={errors.description} />
      </div>
    </div>
  );
}

function UploadProblem({ problem }: { problem: { name: string; key: string; params: Record<string, string | number> } | null | undefined }) {
  const t = useT();
  if (!problem) return null;
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="upload-error">
      {t("monitoring.upload.failed", { name: problem.name || t("monitoring.upload.aFile") })} {t(problem.key, problem.params)} {t("monitoring.upload.chooseAgain")}
    </p>
  );
}

const EMPTY: ExpenseInput = { spentOn: "", payee: "", amount: "", budgetLineId: "", description: "" };

export default function ExpensesPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const p = view.project;
  const base = `/projects/${encodeURIComponent(p.referenceNo)}`;
  const newResult = actionData?.intent === "submit" ? actionData : null;
  return (
    <div className="space-y-6">
      <ProjectNav referenceNo={p.referenceNo} official={p.isOfficial} />
      <PageTitle sub={`${p.referenceNo} · ${p.title} · ${p.organization}`}>{t("monitoring.expenses.title")}</PageTitle>
      <Done message={done ? `monitoring.expense.done.${done}` : null} />
      {!p.writable ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          {t("monitoring.readOnly")}
        </p>
      ) : null}

      {p.isGrantee && p.writable ? (
        <details open={!!newResult} className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
          <summary className="cursor-pointer text-lg font-semibold">{t("monitoring.expense.new")}</summary>
          <Form method="post" encType="multipart/form-data" className="mt-4 space-y-4" data-testid="new-expense">
            <Problems errors={newResult?.formErrors} />
            <UploadProblem problem={newResult?.uploadError} />
            <ExpenseFields idPrefix="new" view={view} values={newResult?.values ?? EMPTY} errors={newResult?.fieldErrors ?? {}} />
            <div>
              <label htmlFor="new-receipts" className="block text-sm font-medium">
                {t("monitoring.expense.receipts")}
              </label>
              <input id="new-receipts" name="receipts" type="file" multiple required accept={RECEIPT_ACCEPT} aria-describedby="new-receipts-hint new-receipts-e" className="mt-1 block text-sm" />
              <p id="new-receipts-hint" className="mt-1 text-sm text-slate-600">
                {t("monitoring.expense.receiptsHint")}
              </p>
              <ErrorList id="new-receipts-e" errors={newResult?.fieldErrors.receipts} />
            </div>
            <SubmitButton name="intent" value="submit">
              {t("monitoring.expense.submit")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}

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
            const mine = actionData && "expenseId" in actionData && actionData.expenseId === e.id ? actionData : null;
            const fix = mine?.intent === "resubmit" ? mine : null;
            const decided = mine?.intent === "decide" ? mine : null;
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

                {e.canDecide ? (
                  <Form method="post" className="space-y-2 border-t border-slate-200 pt-3" data-testid="decide-expense">
                    <input type="hidden" name="expenseId" value={e.id} />
                    <input type="hidden" name="version" value={e.version} />
                    <Problems errors={decided?.formErrors} />
                    <fieldset>
                      <legend className="text-sm font-medium">{t("monitoring.decision.label")}</legend>
                      <label className="mr-4 text-sm">
                        <input type="radio" name="decision" value="APPROVED" defaultChecked={(decided?.decision.decision ?? "APPROVED") === "APPROVED"} /> {t("monitoring.decision.approve")}
                      </label>
                      <label className="text-sm">
                        <input type="radio" name="decision" value="RETURNED" defaultChecked={decided?.decision.decision === "RETURNED"} /> {t("monitoring.decision.return")}
                      </label>
                    </fieldset>
                    <label className="block text-sm">
                      {t("monitoring.decision.comment")}
                      <textarea name="comment" rows={2} maxLength={COMMENT_MAX} defaultValue={decided?.decision.comment ?? ""} className={inputClass} />
                    </label>
                    <SubmitButton name="intent" value="decide">
                      {t("monitoring.decision.decide")}
                    </SubmitButton>
                  </Form>
                ) : null}

                {e.canEdit ? (
                  <details open={!!fix} className="border-t border-slate-200 pt-3">
                    <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("monitoring.expense.correct")}</summary>
                    <Form method="post" encType="multipart/form-data" className="mt-3 space-y-3">
                      <input type="hidden" name="expenseId" value={e.id} />
                      <input type="hidden" name="version" value={e.version} />
                      <Problems errors={fix?.formErrors} />
                      <UploadProblem problem={fix?.uploadError} />
                      <ExpenseFields
                        idPrefix={`fix-${e.id}`}
                        view={view}
                        values={
                          fix?.values ?? {
                            spentOn: e.spentOn,
                            payee: e.payee,
                            amount: fenToInput(e.amountFen),
                            budgetLineId: e.budgetLineId ?? NOT_IN_BUDGET,
                            description: e.description,
                          }
                        }
                        errors={fix?.fieldErrors ?? {}}
                      />
                      <div>
                        <label htmlFor={`fix-${e.id}-receipts`} className="block text-sm font-medium">
                          {t("monitoring.expense.moreReceipts")}
                        </label>
                        <input id={`fix-${e.id}-receipts`} name="receipts" type="file" multiple accept={RECEIPT_ACCEPT} className="mt-1 block text-sm" />
                        <ErrorList errors={fix?.fieldErrors.receipts} />
                      </div>
                      <SubmitButton name="intent" value="resubmit">
                        {t("monitoring.expense.resubmit")}
                      </SubmitButton>
                    </Form>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={view.page} pages={view.pages} />
    </div>
  );
}
