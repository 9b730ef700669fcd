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
