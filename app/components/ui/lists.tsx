import type { ReactNode } from "react";

/**
 * Rows on one white card, divided by hairlines (an <ol> where their order means something); when
 * `empty` is given (an EmptyState), it stands instead of the list.
 */
export function RowList({ testId, ordered, empty, children }: { testId?: string; ordered?: boolean; empty?: ReactNode; children: ReactNode }) {
  if (empty) return <>{empty}</>;
  const List = ordered ? "ol" : "ul";
  return (
    <List className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid={testId}>
      {children}
    </List>
  );
}

/**
 * A row of a RowList: what it is (a title and meta lines) at the left, `aside` (a figure, a badge,
 * an action) at the right; `className` for a row laid out otherwise.
 */
export function ListRow({
  aside,
  className = "flex flex-wrap items-start justify-between gap-3 px-4 py-3",
  mainClassName = "min-w-0",
  testId,
  children,
}: {
  aside?: ReactNode;
  className?: string;
  mainClassName?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <li className={className} data-testid={testId}>
      <div className={mainClassName}>{children}</div>
      {aside}
    </li>
  );
}
