import type { ReactNode } from "react";

/** A cell of a DataTable. */
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

/** A column header of TableHead: its text, or its text and alignment. */
export type Column = ReactNode | readonly [text: ReactNode, align: "left" | "right"];

const isAligned = (c: Column): c is readonly [ReactNode, "left" | "right"] => Array.isArray(c) && c.length === 2 && (c[1] === "left" || c[1] === "right");

/** The header of a hand-laid table: one row of column headers, each with `cellClassName` (and its alignment). */
export function TableHead({ columns, cellClassName, className = "border-b border-slate-200 text-slate-600" }: { columns: readonly Column[]; cellClassName: string; className?: string }) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((c, i) => {
          const [text, align] = isAligned(c) ? c : [c, null];
          return (
            <th key={i} scope="col" className={align ? `${cellClassName} ${align === "right" ? "text-right" : "text-left"}` : cellClassName}>
              {text}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
