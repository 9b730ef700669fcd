import type { ReactNode } from "react";
import { Link } from "react-router";

/** Rows on one white card, divided by hairlines (an <ol> where their order means something). */
export function RowList({ testId, ordered, children }: { testId?: string; ordered?: boolean; children: ReactNode }) {
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

/** A link back to the page above this one. */
export function BackLink({ to, label, className = "text-sm", children }: { to: string; label?: string; className?: string; children: ReactNode }) {
  return (
    <nav aria-label={label} className={className}>
      <Link to={to} className="text-brand-700 underline">
        {children}
      </Link>
    </nav>
  );
}
