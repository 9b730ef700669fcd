import type { FieldMetadata, FormMetadata } from "@conform-to/react";
import { Form } from "react-router";
import { FormErrors, getFormProps, RetryNotice, SubmitButton, TextField } from "~/components/form";
import { useT } from "~/lib/i18n";

/** A full-width button on a phone, its own width from the small breakpoint on. */
const wideOnPhone = "w-full rounded bg-brand-700 px-4 py-3 font-medium text-white hover:bg-brand-800 disabled:opacity-60 sm:w-auto sm:py-2";

/**
 * Step one of every SMS code (signing in with a number, moving to a new number, confirming a
 * deletion): the number to send to and the send button, or, when the number is the account's
 * own (`phone` omitted), the button alone. The form posts `intent` with the number.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function SendCodeForm<S extends Record<string, any>>({
  form,
  phone,
  phoneLabel,
  intent,
  submitLabel,
  retryAfterMinutes,
  note,
}: {
  form: FormMetadata<S, string[]>;
  /** the phone field; omitted when the code goes to the account's own number */
  phone?: FieldMetadata<unknown>;
  phoneLabel?: string;
  intent: string;
  submitLabel: string;
  retryAfterMinutes?: number | null;
  /** what the button does, shown above it (e.g. where the code goes) */
  note?: string;
}) {
  const t = useT();
  return (
    <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4" data-testid="send-code-form">
      <FormErrors form={form} />
      <RetryNotice minutes={retryAfterMinutes} />
      {note ? <p className="text-sm text-slate-800">{note}</p> : null}
      {phone ? <TextField meta={phone} type="tel" label={phoneLabel ?? t("sms.field.phone")} hint={t("sms.hint.phone")} inputProps={{ autoComplete: "tel", inputMode: "tel" }} /> : null}
      <SubmitButton name="intent" value={intent} className={wideOnPhone}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}

/** Step two's heading lines: where the code went (masked) and, in local SMS demo mode only, the code itself. */
export function CodeSent({ sent }: { sent: { masked: string | null; localCode: string | null } }) {
  const t = useT();
  return (
    <>
      {sent.masked ? (
        <p role="status" className="text-sm break-words text-slate-800" data-testid="sms-sent">
          {t("sms.login.sentTo", { phone: sent.masked })}
        </p>
      ) : null}
      {sent.localCode ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm break-words text-amber-950" data-testid="sms-local-code">
          {t("sms.login.localCode")} <code className="font-mono text-base font-semibold">{sent.localCode}</code>
        </p>
      ) : null}
    </>
  );
}

/** The code field of step two: one-time-code autofill and a numeric keyboard on a phone. */
export function CodeField({ meta }: { meta: FieldMetadata<unknown> }) {
  const t = useT();
  return (
    <TextField
      meta={meta}
      label={t("sms.field.code")}
      inputProps={{
        autoComplete: "one-time-code",
        inputMode: "numeric",
        maxLength: 20,
      }}
    />
  );
}

export { wideOnPhone as codeButtonClass };
