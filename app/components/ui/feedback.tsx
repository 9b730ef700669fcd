import type { ReactNode } from "react";
import { useT } from "~/lib/i18n";

/** The one error list of a form (message keys, translated here), announced to screen readers. */
export function Problems({ errors, testId, id }: { errors?: readonly string[] | null; testId?: string; id?: string }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div role="alert" id={id} className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid={testId ?? "form-problems"}>
      <ul className="list-inside list-disc">
        {errors.map((e) => (
          <li key={e}>{t(e)}</li>
        ))}
      </ul>
    </div>
  );
}

const tones = {
  success: "rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900",
  warning: "rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950",
  muted: "rounded border border-slate-300 bg-slate-100 p-3 text-sm text-slate-800",
} as const;

/** A line that tells what happened (role status) or what holds here (role note), in a tinted box. */
export function Notice({ tone, role = "status", testId, children }: { tone: keyof typeof tones; role?: "status" | "note"; testId?: string; children: ReactNode }) {
  return (
    <p role={role} className={tones[tone]} data-testid={testId}>
      {children}
    </p>
  );
}

/** What an action did (a message key), after it redirected here. */
export function Done({ message }: { message?: string | null }) {
  const t = useT();
  if (!message) return null;
  return (
    <Notice tone="success" testId="done">
      {t(message)}
    </Notice>
  );
}
