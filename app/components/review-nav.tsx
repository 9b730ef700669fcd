import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { useT } from "~/lib/i18n";

/** The officials' pages of a round's review, from judges to objections. */
export function ReviewNav({ code }: { code: string }) {
  const t = useT();
  const links: [string, string][] = [
    [`/admin/rounds/${code}`, "review.nav.round"],
    [`/admin/rounds/${code}/review`, "review.nav.judges"],
    [`/admin/rounds/${code}/scores`, "review.nav.scores"],
    [`/admin/rounds/${code}/results`, "review.nav.results"],
    [`/admin/rounds/${code}/objections`, "review.nav.objections"],
    [`/rounds/${code}/notice`, "review.nav.notice"],
  ];
  return (
    <nav aria-label={t("review.nav.label")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {links.map(([to, key]) => (
        <NavLink key={to} to={to} end className={({ isActive }) => (isActive ? "font-semibold text-slate-900" : "text-brand-700 underline")}>
          {t(key)}
        </NavLink>
      ))}
    </nav>
  );
}

/** A form-level error list, announced to screen readers. */
export function Problems({ errors, testId }: { errors?: readonly string[] | null; testId?: string }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid={testId ?? "form-problems"}>
      <ul className="list-inside list-disc">
        {errors.map((e) => (
          <li key={e}>{t(e)}</li>
        ))}
      </ul>
    </div>
  );
}

export function Done({ message }: { message?: string | null }) {
  const t = useT();
  if (!message) return null;
  return (
    <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="done">
      {t(message)}
    </p>
  );
}

/** A table cell of the review pages' data tables. */
export const cell = "border-b border-slate-200 px-2 py-1 align-top";

/** A data table that scrolls sideways on phones, with one header row (null headers are left out). */
export function DataTable({ testId, headers, children }: { testId?: string; headers: readonly (string | null)[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full bg-white text-sm" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((h, i) =>
              h === null ? null : (
                <th key={i} scope="col" className="border-b border-slate-300 px-2 py-1 text-left font-medium whitespace-nowrap">
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
