import type { ReactNode } from "react";
import { useT } from "~/lib/i18n";

/**
 * A box that scrolls sideways (a wide table on a phone). Keyboard users reach it with Tab and
 * scroll it with the arrow keys: it is focusable, a named region (its label, or "table, scrolls
 * sideways"). `className` adds to its look.
 */
export function ScrollArea({ label, className, children }: { label?: string; className?: string; children: ReactNode }) {
  const t = useT();
  return (
    <div role="region" aria-label={label ?? t("common.scrollArea")} tabIndex={0} className={className ? `overflow-x-auto ${className}` : "overflow-x-auto"}>
      {children}
    </div>
  );
}

/** A cell of a DataTable. */
export const cell = "border-b border-slate-200 px-2 py-1 align-top";

/**
 * A data table that scrolls sideways on phones, with one header row (null headers are left out);
 * when `empty` is given (an EmptyState, a line), it stands instead of the table.
 */
export function DataTable({ testId, headers, empty, label, children }: { testId?: string; headers: readonly (string | null)[]; empty?: ReactNode; label?: string; children: ReactNode }) {
  if (empty) return <>{empty}</>;
  return (
    <ScrollArea label={label}>
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
    </ScrollArea>
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
