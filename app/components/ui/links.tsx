import type { ReactNode } from "react";
import { Link, type LinkProps } from "react-router";

/** The app's inline link: brand colour, underlined; `className` adds to it (its weight, its size). */
export function TextLink({ className, ...props }: LinkProps) {
  return <Link {...props} className={className ? `${className} text-brand-700 underline` : "text-brand-700 underline"} />;
}

/** A link back to the page above this one. */
export function BackLink({ to, label, className = "text-sm", children }: { to: string; label?: string; className?: string; children: ReactNode }) {
  return (
    <nav aria-label={label} className={className}>
      <TextLink to={to}>{children}</TextLink>
    </nav>
  );
}

/** A title that leads to its page (a card's, a row's): brand colour, underlined on hover; `className` adds to it. */
export function TitleLink({ className, ...props }: LinkProps) {
  return <Link {...props} className={className ? `${className} text-brand-700 underline-offset-4 hover:underline` : "text-brand-700 underline-offset-4 hover:underline"} />;
}

const buttonLook = {
  primary: "rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800",
  secondary: "rounded border border-brand-700 px-4 py-2 font-medium text-brand-800",
} as const;

/** A link that looks like a button (the next step on a page); `className` adds to its look (its place, its size). */
export function ButtonLink({ look = "primary", className, ...props }: LinkProps & { look?: keyof typeof buttonLook }) {
  return <Link {...props} className={className ? `${className} ${buttonLook[look]}` : buttonLook[look]} />;
}
