import type { ReactNode } from "react";

/** A cell of a DataTable. */
export const cell = "border-b border-slate-200 px-2 py-1 align-top";

/**
 * A data table that scrolls sideways on phones, with one header row (null headers are left out);
 * when `empty` is given (an EmptyState, a line), it stands instead of the table.
 */
export function DataTable({ testId, headers, empty, children }: { testId?: string; headers: readonly (string | null)[]; empty?: ReactNode; children: ReactNode }) {
  if (empty) return <>{empty}</>;
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

/** A column header of TableHead: its text, or its text and the classes it adds to the row's (its alignment, its padding). */
export type Column = ReactNode | readonly [text: ReactNode, classes: string];

const withClasses = (c: Column): c is readonly [ReactNode, string] => Array.isArray(c) && c.length === 2 && typeof c[1] === "string";

/**
 * The header of a hand-laid table: one row of column headers, each with `cellClassName` and its
 * own classes. `className` is the <thead>'s (null for none), `scoped` false leaves out scope="col".
 */
export function TableHead({
  columns,
  cellClassName,
  className = "border-b border-slate-200 text-slate-600",
  rowClassName,
  scoped = true,
}: {
  columns: readonly Column[];
  cellClassName: string;
  className?: string | null;
  rowClassName?: string;
  scoped?: boolean;
}) {
  return (
    <thead className={className ?? undefined}>
      <tr className={rowClassName}>
        {columns.map((c, i) => {
          const [text, classes] = withClasses(c) ? c : [c, ""];
          return (
            <th key={i} scope={scoped ? "col" : undefined} className={classes ? `${cellClassName} ${classes}` : cellClassName}>
              {text}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
