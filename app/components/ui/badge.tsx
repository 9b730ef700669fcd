import type { ReactNode } from "react";

/** A small coloured label: `tone` its colours (the text carries the meaning, not the colour), `className` its shape and size. */
export function Badge({ tone, className, testId, children }: { tone: string; className: string; testId?: string; children: ReactNode }) {
  return (
    <span className={`${className} ${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}
