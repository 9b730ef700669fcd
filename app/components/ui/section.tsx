import { useId, type ReactNode } from "react";

const headingClass = {
  xl: "text-xl font-semibold",
  lg: "text-lg font-semibold",
  /** a banner's loud heading */
  bold: "text-lg font-bold",
  /** a small panel's heading, at the text's size */
  base: "font-semibold",
  /** named for screen readers only */
  hidden: "sr-only",
} as const;

/**
 * A titled part of a page: a <section> named by its heading through aria-labelledby. The heading
 * id is the one given (pages and tests that point at it keep it) or else generated; `sub` is a
 * muted figure after the title (a count, a level) — after a space, or with `subGap="margin"` a
 * margin — and `note` a muted line under it. `empty` (a line saying there is nothing yet) stands instead
 * of the children when given.
 */
export function Section({
  anchor,
  id,
  title,
  sub,
  subGap = "space",
  note,
  empty,
  size = "xl",
  level = 2,
  headingClassName,
  className = "space-y-3",
  testId,
  children,
}: {
  /** the section's own id, for a link to it */
  anchor?: string;
  id?: string;
  title: ReactNode;
  sub?: ReactNode;
  subGap?: "space" | "margin";
  note?: ReactNode;
  empty?: ReactNode;
  size?: keyof typeof headingClass;
  level?: 2 | 3;
  headingClassName?: string;
  /** the section's classes; null for none */
  className?: string | null;
  testId?: string;
  children?: ReactNode;
}) {
  const generated = useId();
  const headingId = id ?? `${generated}h`;
  const Heading = level === 3 ? "h3" : "h2";
  return (
    <section aria-labelledby={headingId} id={anchor} className={className ?? undefined} data-testid={testId}>
      <Heading id={headingId} className={headingClassName ? `${headingClassName} ${headingClass[size]}` : headingClass[size]}>
        {title}
        {sub === undefined ? null : subGap === "margin" ? (
          <span className="ml-2 text-sm font-normal text-slate-600">{sub}</span>
        ) : (
          <>
            {" "}
            <span className="text-sm font-normal text-slate-600">{sub}</span>
          </>
        )}
      </Heading>
      {note ? <p className="text-sm text-slate-600">{note}</p> : null}
      {empty ? <p className="text-sm text-slate-600">{empty}</p> : children}
    </section>
  );
}
