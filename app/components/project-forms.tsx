import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { z } from "zod";
import { ConfirmSubmit, ErrorList, inputClass } from "~/components/form";
import { COMMENT_MAX } from "~/domain/monitoring";
import { useT } from "~/lib/i18n";

/**
 * Pieces the forms of a funded project's workspace share: the official's decision (on a report,
 * an expense, a budget adjustment) and the file choosers of reports and expenses.
 */

/** The fields of an official's decision; the rules (a return needs a comment …) are the service's. */
export const decisionShape = {
  decision: z.string().default(""),
  comment: z.string().default(""),
};

/** Files chosen in one multiple file input (none: an empty list). */
export const filesField = z.array(z.instanceof(File)).default([]);

/** The version of the row the page showed (optimistic concurrency). */
export const versionField = z.number({ error: "monitoring.stale" }).int();

const SEND_BACK = { RETURNED: "monitoring.decision.return", REJECTED: "monitoring.decision.reject" } as const;

/**
 * Approve (chosen by default) or send back — return a report or an expense, reject a budget
 * adjustment — with a comment; what was chosen and typed stays after a refusal.
 */
export function DecisionFields({
  fields,
  sendBack,
  rows = 2,
  className = "text-sm",
}: {
  fields: { decision: FieldMetadata<string | undefined>; comment: FieldMetadata<string | undefined> };
  sendBack: keyof typeof SEND_BACK;
  rows?: number;
  className?: string;
}) {
  const t = useT();
  const choices = [
    ["APPROVED", "monitoring.decision.approve"],
    [sendBack, SEND_BACK[sendBack]],
  ] as const;
  const chosen = (fields.decision.initialValue as string | undefined) ?? choices[0]![0];
  const { key, ...comment } = getTextareaProps(fields.comment as FieldMetadata<string>);
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium">{t("monitoring.decision.label")}</legend>
        {choices.map(([value, label], i) => (
          <label key={value} className={i < choices.length - 1 ? `mr-4 ${className}` : className}>
            <input type="radio" name={fields.decision.name} value={value} defaultChecked={chosen === value} /> {t(label)}
          </label>
        ))}
      </fieldset>
      <label className={`block ${className}`}>
        {t("monitoring.decision.comment")}
        <textarea key={key} {...comment} rows={rows} maxLength={COMMENT_MAX} className={inputClass} />
      </label>
      <ErrorList id={fields.comment.errorId} errors={fields.comment.errors} />
    </>
  );
}

/**
 * A multiple file input with its hint; a refused file (which one, and why) is shown right under
 * it. The files themselves must be chosen again (a browser cannot be given them back).
 */
export function FilesField({
  meta,
  label,
  hint,
  accept,
  required = false,
}: {
  meta: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  accept: string;
  required?: boolean;
}) {
  const hintId = `${meta.id}-hint`;
  const errors = meta.errors;
  return (
    <div>
      <label htmlFor={meta.id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={meta.id}
        name={meta.name}
        type="file"
        multiple
        aria-required={required || undefined}
        accept={accept}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${hint ? hintId : ""} ${meta.errorId}`.trim()}
        className="mt-1 block text-sm"
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <div role="alert" className="mt-1 rounded border border-red-300 bg-red-50 p-2" data-testid="upload-error">
          <ErrorList id={meta.errorId} errors={errors} />
        </div>
      ) : null}
    </div>
  );
}

/** Pages that show beneficiaries' personal data (even masked) must not be cached anywhere. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** The same answer (`data(…)` from an action or a loader), never cached. */
export function noStore<T extends { init: ResponseInit | null }>(answer: T): T {
  answer.init = { ...answer.init, headers: { ...(answer.init?.headers as Record<string, string> | undefined), ...NO_STORE } };
  return answer;
}

/**
 * A decision's submit button behind a question (it cannot be taken back): the summary opens
 * the question, the button under it submits the form it is in with `intent`.
 */
export function ConfirmDecision({ question, intent = "decide", className = "" }: { question: string; intent?: string; className?: string }) {
  const t = useT();
  return <ConfirmSubmit label={t("monitoring.decision.decide")} question={question} confirm={t("common.confirm")} intent={intent} panelClassName={className} />;
}
