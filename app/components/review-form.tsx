import type { FieldMetadata, SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { ErrorList, replyFor } from "~/components/form";

/**
 * The review and award pages label their controls by wrapping them (`<label>Name <input/></label>`),
 * so that a control's accessible name is exactly its label. These connect such a control to its
 * Conform field: its name, what was typed (kept after an error) and its errors next to it.
 */

/** Name, the value typed before the last submission, and the error wiring of one control. */
export function controlProps(meta: FieldMetadata<unknown>) {
  const typed = meta.initialValue;
  return {
    name: meta.name,
    defaultValue: typeof typed === "string" ? typed : undefined,
    "aria-invalid": meta.errors ? true : undefined,
    "aria-describedby": meta.errors ? meta.errorId : undefined,
  } as const;
}

/** A label wrapping its control, with the field's errors below it. */
export function WrappedField({ meta, label, className, children }: { meta: FieldMetadata<unknown>; label: ReactNode; className?: string; children: ReactNode }) {
  return (
    <div className={className ?? "block text-sm"}>
      <label className="block">
        {label}
        {children}
      </label>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Every error of a form's last reply, its own and its fields', for forms shown many times on a page (one row each) that report in one list. */
export function replyErrors(reply: SubmissionResult<string[]> | undefined): string[] {
  return Object.values(reply?.error ?? {}).flatMap((errors) => errors ?? []);
}

/**
 * The reply for one row's form on a page that repeats a form (one per sheet, one per objection):
 * only the row whose hidden `field` holds `value` in what was submitted takes it, so the other
 * rows stay blank. Give each row's form its own id as well (`${intent}-${value}`).
 */
export function rowReply(actionData: unknown, intent: string, field: string, value: string): SubmissionResult<string[]> | undefined {
  const reply = replyFor(actionData, intent);
  const submitted = reply?.initialValue as Record<string, unknown> | null | undefined;
  return submitted?.[field] === value ? reply : undefined;
}
