import type { ReactNode } from "react";

/** How a Fact lays out its label and value (its row's classes, and the defaults for dt and dd). */
const layouts = {
  /** label over value */
  stack: { row: undefined, label: "text-slate-600", value: undefined },
  /** label at the left, value at the right, on one line while there is room */
  row: { row: "flex flex-wrap justify-between gap-2", label: "text-slate-600", value: undefined },
  /** label in the first of three columns from sm up */
  grid: { row: "py-1 sm:grid sm:grid-cols-3 sm:gap-4", label: "text-sm font-medium text-slate-600", value: "sm:col-span-2" },
} as const;

/**
 * One label and its value in a <dl>: in its own <div> laid out by `layout` (or `className`), or
 * `bare` — dt and dd straight in a grid <dl>. `hint` is a muted second <dd>.
 */
export function Fact({
  label,
  children,
  layout = "stack",
  className,
  labelClassName,
  valueClassName,
  testId,
  hint,
  bare,
}: {
  label: ReactNode;
  children: ReactNode;
  layout?: keyof typeof layouts;
  className?: string;
  labelClassName?: string;
  valueClassName?: string;
  testId?: string;
  hint?: ReactNode;
  bare?: boolean;
}) {
  const l = layouts[layout];
  const pair = (
    <>
      <dt className={labelClassName ?? l.label}>{label}</dt>
      <dd className={valueClassName ?? l.value} data-testid={testId}>
        {children}
      </dd>
      {hint ? <dd className="text-xs text-slate-600">{hint}</dd> : null}
    </>
  );
  return bare ? pair : <div className={className ?? l.row}>{pair}</div>;
}
