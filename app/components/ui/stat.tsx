import type { ReactNode } from "react";
import { Fact } from "./facts";

const card = "rounded-lg bg-white p-4 shadow-sm";

/** The sizes of a Stat: its card, label and figure classes (lg: a small figure in a summary row, without a card). */
const sizes = {
  lg: { card: null, label: "text-slate-600", value: "text-lg font-semibold tabular-nums" },
  xl: { card, label: "text-sm text-slate-600", value: "mt-1 text-xl font-semibold tabular-nums" },
  "2xl": { card, label: "text-sm text-slate-600", value: "mt-1 text-2xl font-semibold tabular-nums" },
} as const;

/**
 * A figure with its label, inside a <dl>: on a white card (but for size lg) unless `className` says otherwise; `sub`
 * is a muted line under the figure inside its <dd>, `hint` a muted <dd> of its own.
 */
export function Stat({
  label,
  value,
  sub,
  hint,
  testId,
  size = "xl",
  className = sizes[size].card,
  labelClassName = sizes[size].label,
  valueClassName = sizes[size].value,
}: {
  label: ReactNode;
  value: ReactNode;
  sub?: ReactNode;
  hint?: ReactNode;
  testId?: string;
  size?: keyof typeof sizes;
  /** the card's classes; null for none */
  className?: string | null;
  labelClassName?: string;
  valueClassName?: string;
}) {
  return (
    <Fact label={label} className={className ?? undefined} labelClassName={labelClassName} valueClassName={valueClassName} testId={testId} hint={hint}>
      {value}
      {sub ? <span className="block text-sm font-normal text-slate-600">{sub}</span> : null}
    </Fact>
  );
}
