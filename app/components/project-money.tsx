import { cell, DataTable, EmptyState, Pagination, Section } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { budgetCategoryName } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import type { publicProject } from "~/services/public/project-public.server";

/**
 * The public money of one funded project — spending by budget line against its budget, and the
 * approved expenses with their receipts' hash prefixes — as the project's public page shows it and
 * as the gift trace (/transparency/gifts/<ref>) shows it for a gift earmarked to the project.
 */
type PublicProjectPage = NonNullable<Awaited<ReturnType<typeof publicProject>>>;

export function BudgetSection({ budget, title }: { budget: PublicProjectPage["budget"]; title: string }) {
  const t = useT();
  const locale = useLocale();
  return (
      <Section id="budget-h" title={title} note={t("projectPublic.budget.note")}>
        <DataTable
          testId="budget-table"
          headers={[t("projectPublic.budget.col.line"), t("projectPublic.budget.col.budget"), t("projectPublic.budget.col.spent"), t("projectPublic.budget.col.used")]}
          empty={budget.lines.length === 0 && budget.offBudgetFen === 0 && <EmptyState title={t("projectPublic.budget.empty")} />}
        >
          {budget.lines.map((l) => (
            <tr key={l.position} data-testid={`budget-line-${l.position}`}>
              <td className={cell}>
                {l.item} <span className="text-xs text-slate-600" data-testid="budget-category">{budgetCategoryName(l.category, locale)}</span>
              </td>
              <td className={`${cell} whitespace-nowrap text-right`}>
                {formatFen(l.budgetFen)}
                {l.budgetFen !== l.agreedFen ? <span className="block text-xs text-slate-600">{t("projectPublic.budget.adjusted", { amount: formatFen(l.agreedFen) })}</span> : null}
              </td>
              <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(l.spentFen)}</td>
              <td className={`${cell} whitespace-nowrap text-right`}>
                {l.usedPercent === null ? "—" : `${l.usedPercent}%`}
                {l.usedPercent !== null ? (
                  <span className="mt-1 block h-1.5 w-20 rounded bg-slate-200" aria-hidden="true">
                    <span className={`block h-1.5 rounded ${l.usedPercent > 100 ? "bg-red-600" : "bg-brand-600"}`} style={{ width: `${Math.min(100, l.usedPercent)}%` }} />
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
          {budget.offBudgetFen > 0 ? (
            <tr data-testid="budget-off">
              <td className={cell}>{t("projectPublic.budget.offBudget")}</td>
              <td className={`${cell} text-right`}>—</td>
              <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(budget.offBudgetFen)}</td>
              <td className={`${cell} text-right`}>—</td>
            </tr>
          ) : null}
          <tr className="font-semibold" data-testid="budget-total">
            <td className={cell}>{t("projectPublic.budget.total")}</td>
            <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(budget.budgetTotalFen)}</td>
            <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(budget.spentTotalFen)}</td>
            <td className={`${cell} whitespace-nowrap text-right`}>{budget.budgetTotalFen > 0 ? `${Math.round((budget.spentTotalFen * 100) / budget.budgetTotalFen)}%` : "—"}</td>
          </tr>
        </DataTable>
      </Section>
  );
}

export function ExpensesSection({ expenses, title }: { expenses: PublicProjectPage["expenses"]; title: string }) {
  const t = useT();
  const locale = useLocale();
  const day = (d: Date | string) => formatDateTime(locale, d, false);
  return (
      <Section id="expenses-h" title={title} note={t("projectPublic.expenses.note")}>
        {expenses.total === 0 ? (
          <EmptyState title={t("projectPublic.expenses.empty")} />
        ) : (
          <>
            <DataTable
              testId="expense-table"
              headers={["date", "line", "amount", "description", "receipts"].map((k) => t(`projectPublic.expenses.col.${k}`))}
            >
              {expenses.items.map((e) => (
                <tr key={e.id}>
                  <td className={`${cell} whitespace-nowrap`}>{day(e.spentOn)}</td>
                  <td className={cell}>{e.budgetLine ? e.budgetLine.item : t("projectPublic.expenses.noLine")}</td>
                  <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(e.amountFen)}</td>
                  <td className={cell}>{e.description}</td>
                  <td className={cell}>
                    {t("projectPublic.expenses.receiptCount", { count: e.receiptCount })}
                    {e.receiptHashes.map((h) => (
                      <code key={h} className="block text-xs text-slate-600" data-testid="receipt-hash">
                        {h}
                      </code>
                    ))}
                  </td>
                </tr>
              ))}
            </DataTable>
            <Pagination page={expenses.page} pages={expenses.pages} />
          </>
        )}
      </Section>
  );
}
