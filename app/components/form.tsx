import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type FormMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ComponentProps, ReactNode } from "react";
import { Link, useNavigation } from "react-router";
import { z as zod } from "zod";
import type { z } from "zod";
import { Problems } from "~/components/ui/feedback";
import { SelectOptions, type OptionGroup, type SelectOption } from "~/components/ui/select-options";
import { useT } from "~/lib/i18n";

export { getFormProps, parseWithZod };

/** Accepts any form: what lets an intent through to the server whatever the browser thinks of it. */
const anything = zod.record(zod.string(), zod.unknown());

/**
 * One Conform form per Zod schema: the same schema validates in the browser (when JS runs) and
 * on the server (always). Error messages are message keys, translated where they are shown.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useZodForm<Schema extends z.ZodType<Record<string, any>, Record<string, any>>>(
  schema: Schema,
  lastResult: SubmissionResult<string[]> | null | undefined,
  options: {
    id?: string;
    defaultValue?: Record<string, unknown>;
    /**
     * Intents (the submit button's `intent` value) the server receives even when the browser
     * finds errors, because it keeps what is valid of them (a draft's save): the errors then come
     * back from the server, next to their fields, with what was typed.
     */
    sendWithErrors?: readonly string[];
  } = {},
) {
  return useForm<z.input<Schema>, z.output<Schema>>({
    id: options.id,
    lastResult: lastResult ?? undefined,
    defaultValue: options.defaultValue as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData, submitter }) => {
      const checked = parseWithZod(formData, { schema });
      const intent = submitter?.name === "intent" ? submitter.value : null;
      if (checked.status === "success" || !intent || !options.sendWithErrors?.includes(intent)) return checked;
      return parseWithZod(formData, { schema: anything }) as unknown as typeof checked;
    },
  });
}

export const inputClass =
  "mt-1 block w-full rounded border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 aria-[invalid=true]:border-red-700 focus:border-brand-700";

/** A field's errors (message keys) under it; `translate` replaces the plain translation (messages with parameters). */
export function ErrorList({ id, errors, translate }: { id?: string; errors?: string[]; translate?: (message: string) => string }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-800" aria-live="polite">
      {errors.map((e) => (
        <li key={e}>{(translate ?? t)(e)}</li>
      ))}
    </ul>
  );
}

/** The errors of a Conform form as a whole (not tied to one field), in the one error list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function FormErrors<S extends Record<string, any>>({ form }: { form: FormMetadata<S, string[]> }) {
  return <Problems errors={form.errors} id={form.errorId} />;
}

/** "The form has errors, see below": said once above a long form whose last submission failed. */
export function ErrorSummary({ lastResult }: { lastResult: SubmissionResult<string[]> | null | undefined }) {
  const t = useT();
  if (lastResult?.status !== "error") return null;
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
      {t("validation.formErrors")}
    </p>
  );
}

/**
 * Conform's reply for one form of a page that has several: the action answers every intent with
 * `{ intent, result }`, and each form takes only its own.
 */
export function replyFor(actionData: unknown, intent: string): SubmissionResult<string[]> | undefined {
  if (!actionData || typeof actionData !== "object") return undefined;
  const answer = actionData as { intent?: unknown; result?: SubmissionResult<string[]> };
  return answer.intent === intent ? answer.result : undefined;
}

/** The errors about the whole form in one intent's reply, for forms that have no Conform form (a ConfirmAction button). */
export function replyErrors(actionData: unknown, intent: string): string[] | undefined {
  return replyFor(actionData, intent)?.error?.[""] ?? undefined;
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  className?: string;
}

/** What a control drawn inside a ControlFrame is given: its id, and the wiring to its hint and errors. */
export interface ControlProps {
  id: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  "aria-required"?: boolean;
}

/**
 * Label, hint and errors around one control. `children` is the control, or draws it with the id
 * and wiring it is given (for controls that are no Conform field: file inputs, forms drawn from
 * what was typed); the errors' list is `errorId` (`${id}-errors` unless said).
 */
export function ControlFrame({
  id,
  label,
  hint,
  errors,
  errorId = `${id}-errors`,
  translate,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  errorId?: string;
  translate?: (message: string) => string;
  className?: string;
  children: ReactNode | ((control: ControlProps) => ReactNode);
}) {
  const described = [hint ? `${id}-hint` : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {typeof children === "function" ? children({ id, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": described }) : children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {/* the line its message takes is kept even while there is none: a message appearing (on
          blur, as the pointer goes to the next control) never moves what is below it */}
      <div className="min-h-5">
        <ErrorList id={errorId} errors={errors} translate={translate} />
      </div>
    </div>
  );
}

/** Label (marked when the field is required), hint and errors around one Conform field's control; the field components below use it, and so can custom ones. */
export function FieldFrame({ meta, label, hint, className, children }: FieldProps & { meta: FieldMetadata<unknown>; children: ReactNode }) {
  const t = useT();
  const marked = (
    <>
      {label}
      {meta.required ? <span className="ml-1 text-red-800" aria-hidden="true">*</span> : null}
      {meta.required ? <span className="sr-only"> ({t("common.required")})</span> : null}
    </>
  );
  return (
    <ControlFrame id={meta.id} label={marked} hint={hint} errors={meta.errors} errorId={meta.errorId} className={className}>
      {children}
    </ControlFrame>
  );
}

export function TextField({
  meta,
  type = "text",
  inputProps,
  ...frame
}: FieldProps & {
  meta: FieldMetadata<string | undefined | null> | FieldMetadata<unknown>;
  type?: "text" | "email" | "password" | "tel" | "url" | "number" | "date" | "datetime-local" | "search";
  inputProps?: Omit<ComponentProps<"input">, "name" | "id" | "type" | "defaultValue">;
}) {
  const m = meta as FieldMetadata<string>;
  const { key, ...props } = getInputProps(m, { type, ariaDescribedBy: frame.hint ? `${m.id}-hint` : undefined });
  return (
    <FieldFrame meta={meta as FieldMetadata<unknown>} {...frame}>
      <input key={key} {...props} {...inputProps} className={inputClass} />
    </FieldFrame>
  );
}

export function TextareaField({
  meta,
  rows = 4,
  ...frame
}: FieldProps & { meta: FieldMetadata<string | undefined | null> | FieldMetadata<unknown>; rows?: number }) {
  const m = meta as FieldMetadata<string>;
  const { key, ...props } = getTextareaProps(m, { ariaDescribedBy: frame.hint ? `${m.id}-hint` : undefined });
  return (
    <FieldFrame meta={meta as FieldMetadata<unknown>} {...frame}>
      <textarea key={key} {...props} rows={rows} className={inputClass} />
    </FieldFrame>
  );
}

/**
 * A checkbox with its label beside it (a consent, an option), its hint and errors. Unticked unless
 * what was typed says otherwise; `children` go after the label (a link to read first).
 */
export function CheckboxField({
  meta,
  label,
  hint,
  describedBy,
  className,
  children,
}: {
  meta: FieldMetadata<string | undefined | null> | FieldMetadata<unknown>;
  label: ReactNode;
  hint?: ReactNode;
  /** ids of text elsewhere on the page that explains the choice */
  describedBy?: string;
  className?: string;
  children?: ReactNode;
}) {
  const m = meta as FieldMetadata<string>;
  const described = [describedBy, hint ? `${m.id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const { key, ...props } = getInputProps(m, { type: "checkbox", value: "on", ariaDescribedBy: described });
  return (
    <div className={className}>
      <div className="flex items-start gap-2">
        <input key={key} {...props} className="mt-1 h-4 w-4 shrink-0" />
        <div>
          <label htmlFor={m.id} className="font-medium text-slate-900">
            {label}
          </label>
          {children}
        </div>
      </div>
      {hint ? (
        <p id={`${m.id}-hint`} className="mt-1 pl-6 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={m.errorId} errors={m.errors} />
    </div>
  );
}

/** A select: `placeholder` is a first option with an empty value; `groups` render as `<optgroup>`s after `options`. */
export function SelectField({
  meta,
  options = [],
  groups = [],
  placeholder,
  ...frame
}: FieldProps & {
  meta: FieldMetadata<string | undefined | null> | FieldMetadata<unknown>;
  options?: readonly SelectOption[];
  groups?: readonly OptionGroup[];
  placeholder?: string;
}) {
  const m = meta as FieldMetadata<string>;
  const { key, ...props } = getSelectProps(m, { ariaDescribedBy: frame.hint ? `${m.id}-hint` : undefined });
  return (
    <FieldFrame meta={meta as FieldMetadata<unknown>} {...frame}>
      <select key={key} {...props} className={inputClass}>
        <SelectOptions empty={placeholder} options={options} groups={groups} />
      </select>
    </FieldFrame>
  );
}

/**
 * A password input: the current password, or (`isNew`) one being chosen — then the rules are its
 * hint and the browser's password manager may offer one.
 */
export function PasswordField({ meta, label, isNew = false }: { meta: FieldMetadata<string | undefined | null> | FieldMetadata<unknown>; label: string; isNew?: boolean }) {
  const t = useT();
  return (
    <TextField
      meta={meta}
      type="password"
      label={label}
      hint={isNew ? t("auth.hint.password") : undefined}
      inputProps={{ autoComplete: isNew ? "new-password" : "current-password" }}
    />
  );
}

/** "Too many attempts: try again in N minutes" after a rate limit refused the form. */
export function RetryNotice({ minutes }: { minutes?: number | null }) {
  const t = useT();
  if (!minutes) return null;
  return (
    <p role="status" className="text-sm text-red-900">
      {t("auth.error.retryIn", { minutes })}
    </p>
  );
}

/** Submit button that says it is working while the form is being submitted. */
export function SubmitButton({ children, name, value, className, formAction }: { children: ReactNode; name?: string; value?: string; className?: string; formAction?: string }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (formAction === undefined || navigation.formAction === formAction);
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={busy}
      aria-busy={busy}
      className={className ?? "rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60"}
    >
      {busy ? t("common.submitting") : children}
    </button>
  );
}

/**
 * The submit row under a form: its button (`intent`: the action's intent), then a link back when
 * `cancelTo` is given, then whatever else the row offers.
 */
export function FormActions({
  submit,
  intent,
  cancelTo,
  className = "flex flex-wrap items-center gap-4",
  children,
}: {
  submit: ReactNode;
  intent?: string;
  cancelTo?: string;
  className?: string;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <div className={className}>
      <SubmitButton name={intent ? "intent" : undefined} value={intent}>
        {submit}
      </SubmitButton>
      {cancelTo ? (
        <Link to={cancelTo} className="text-sm text-slate-700 underline">
          {t("common.cancel")}
        </Link>
      ) : null}
      {children}
    </div>
  );
}

/**
 * A step that cannot be taken back, behind a question (works without JavaScript): the summary
 * opens the question, the button under it submits the form it is in (with `intent`).
 */
export function ConfirmSubmit({
  label,
  question,
  confirm,
  intent,
  className,
  panelClassName = "text-sm",
  open,
  children,
}: {
  label: ReactNode;
  question: ReactNode;
  confirm: ReactNode;
  intent?: string;
  className?: string;
  panelClassName?: string;
  /** open from the start (the server sent the form back asking for the confirmation) */
  open?: boolean;
  /** under the question, before the button: what is being confirmed, errors about it */
  children?: ReactNode;
}) {
  return (
    <details className={className} open={open || undefined}>
      <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{label}</summary>
      <div className={`mt-2 rounded border border-amber-300 bg-amber-50 p-3 ${panelClassName}`.trim()}>
        <p>{question}</p>
        {children}
        <SubmitButton name={intent ? "intent" : undefined} value={intent}>
          {confirm}
        </SubmitButton>
      </div>
    </details>
  );
}
