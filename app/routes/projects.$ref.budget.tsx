import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/projects.$ref.budget";
import { ErrorList, inputClass, SubmitButton } from "~/components/form";
import { ProjectNav } from "~/components/project-nav";
import { cell, DataTable, Done, EmptyState, PageTitle, Pagination, Problems } from "~/components/ui";
import { COMMENT_MAX, REASON_MAX, type AdjustmentInput } from "~/domain/monitoring";
import { formatFen } from "~/domain/money";
import { budgetCategoryName } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { budgetPage, decideAdjustment, requestAdjustment } from "~/services/projects/expenses.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return { view: await budgetPage(viewer, params.ref, url.searchParams.get("page")), done: done && ["requested", "APPROVED", "REJECTED"].includes(done) ? done : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const here = `/projects/${encodeURIComponent(params.ref)}/budget`;
  if (intent === "request") {
    const input: AdjustmentInput = {
      fromLineId: String(form.get("fromLineId") ?? ""),
      toLineId: String(form.get("toLineId") ?? ""),
      amount: String(form.get("amount") ?? ""),
      reason: String(form.get("reason") ?? ""),
    };
    const r = await requestAdjustment(viewer, params.ref, input);
    if (r.ok) return redirect(`${here}?done=requested`);
    return data({ intent: "request" as const, adjustmentId: null, ...r }, { status: 400 });
  }
  if (intent === "decide") {
    const adjustmentId = String(form.get("adjustmentId") ?? "");
    const values = { decision: String(form.get("decision") ?? ""), comment: String(form.get("comment") ?? "") };
    const r = await decideAdjustment(viewer, params.ref, adjustmentId, values);
    if (r.ok) return redirect(`${here}?done=${values.decision}`);
    return data({ intent: "decide" as const, adjustmentId, decision: values, formErrors: r.formErrors }, { status: 400 });
  }
  throw data(null, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "monitoring.budget.title");

const pct = (n: number | null) => (n === null ? "—" : `${n}%`);

export default function BudgetPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const p = view.project;
  const req = actionData?.intent === "request" ? actionData : null;
  const values = req?.values ?? { fromLineId: "", toLineId: "", amount: "", reason: "" };
  const errors: Record<string, string[]> = req?.fieldErrors ?? {};
  const lineOption = (l: (typeof view.lines)[number]) => (
    <option key={l.id} value={l.id}>
      {l.position}. {l.item} ({formatFen(l.budgetFen)})
    </option>
  );
  return (
    <div className="space-y-6">
      <ProjectNav referenceNo={p.referenceNo} official={p.isOfficial} />
      <PageTitle sub={`${p.referenceNo} · ${p.title} · ${p.organization}`}>{t("monitoring.budget.title")}</PageTitle>
      <Done message={done ? `monitoring.adjustment.done.${done}` : null} />
      {!p.writable ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          {t("monitoring.readOnly")}
        </p>
      ) : null}

      <section aria-labelledby="lines-h" className="space-y-2">
        <h2 id="lines-h" className="text-lg font-semibold">
          {t("monitoring.budget.lines")}
        </h2>
        {view.lines.length === 0 ? (
          <EmptyState title={t("monitoring.budget.noLines")} />
        ) : (
          <DataTable
            testId="budget-lines"
            headers={[
              t("monitoring.budget.line"),
              t("monitoring.budget.agreed"),
              t("monitoring.budget.current"),
              t("monitoring.budget.approved"),
              t("monitoring.budget.pending"),
              t("monitoring.budget.used"),
            ]}
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
        )}
        <p className="text-sm text-slate-600">{t("monitoring.budget.hint")}</p>
      </section>

      {view.canRequest ? (
        <details open={!!req} className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
          <summary className="cursor-pointer text-lg font-semibold">{t("monitoring.adjustment.new")}</summary>
          <Form method="post" className="mt-4 grid gap-4 sm:grid-cols-2" data-testid="new-adjustment">
            <div className="sm:col-span-2">
              <Problems errors={req?.formErrors} />
            </div>
            <div>
              <label htmlFor="fromLineId" className="block text-sm font-medium">
                {t("monitoring.adjustment.from")}
              </label>
              <select id="fromLineId" name="fromLineId" required defaultValue={values.fromLineId} aria-invalid={errors.fromLineId ? true : undefined} aria-describedby="from-e" className={inputClass}>
                <option value="">{t("monitoring.expense.chooseLine")}</option>
                {view.lines.map(lineOption)}
              </select>
              <ErrorList id="from-e" errors={errors.fromLineId} />
            </div>
            <div>
              <label htmlFor="toLineId" className="block text-sm font-medium">
                {t("monitoring.adjustment.to")}
              </label>
              <select id="toLineId" name="toLineId" required defaultValue={values.toLineId} aria-invalid={errors.toLineId ? true : undefined} aria-describedby="to-e" className={inputClass}>
                <option value="">{t("monitoring.expense.chooseLine")}</option>
                {view.lines.map(lineOption)}
              </select>
              <ErrorList id="to-e" errors={errors.toLineId} />
            </div>
            <div>
              <label htmlFor="amount" className="block text-sm font-medium">
                {t("monitoring.adjustment.amount")}
              </label>
              <input id="amount" name="amount" inputMode="decimal" required defaultValue={values.amount} aria-invalid={errors.amount ? true : undefined} aria-describedby="amount-e" className={inputClass} />
              <ErrorList id="amount-e" errors={errors.amount} />
            </div>
            <div className="sm:col-span-2">
              <label htmlFor="reason" className="block text-sm font-medium">
                {t("monitoring.adjustment.reason")}
              </label>
              <textarea id="reason" name="reason" rows={3} required maxLength={REASON_MAX} defaultValue={values.reason} aria-invalid={errors.reason ? true : undefined} aria-describedby="reason-e" className={inputClass} />
              <ErrorList id="reason-e" errors={errors.reason} />
            </div>
            <div className="sm:col-span-2">
              <SubmitButton name="intent" value="request">
                {t("monitoring.adjustment.submit")}
              </SubmitButton>
            </div>
          </Form>
        </details>
      ) : null}

      <section aria-labelledby="adj-h" className="space-y-3">
        <h2 id="adj-h" className="text-lg font-semibold">
          {t("monitoring.adjustment.history")}
        </h2>
        {view.adjustments.length === 0 ? (
          <EmptyState title={t("monitoring.adjustment.none")} />
        ) : (
          <ul className="space-y-3" data-testid="adjustments">
            {view.adjustments.map((a) => {
              const mine = actionData?.intent === "decide" && actionData.adjustmentId === a.id ? actionData : null;
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
                  {a.canDecide ? (
                    <Form method="post" className="space-y-2 border-t border-slate-200 pt-3">
                      <input type="hidden" name="adjustmentId" value={a.id} />
                      <Problems errors={mine?.formErrors} />
                      <fieldset>
                        <legend className="text-sm font-medium">{t("monitoring.decision.label")}</legend>
                        <label className="mr-4">
                          <input type="radio" name="decision" value="APPROVED" defaultChecked={(mine?.decision.decision ?? "APPROVED") === "APPROVED"} /> {t("monitoring.decision.approve")}
                        </label>
                        <label>
                          <input type="radio" name="decision" value="REJECTED" defaultChecked={mine?.decision.decision === "REJECTED"} /> {t("monitoring.decision.reject")}
                        </label>
                      </fieldset>
                      <label className="block">
                        {t("monitoring.decision.comment")}
                        <textarea name="comment" rows={2} maxLength={COMMENT_MAX} defaultValue={mine?.decision.comment ?? ""} className={inputClass} />
                      </label>
                      <details>
                        <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("monitoring.decision.decide")}</summary>
                        <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3">
                          <p>{t("monitoring.adjustment.question")}</p>
                          <SubmitButton name="intent" value="decide">
                            {t("common.confirm")}
                          </SubmitButton>
                        </div>
                      </details>
                    </Form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        <Pagination page={view.page} pages={view.pages} />
      </section>
    </div>
  );
}
