import { Form, Link } from "react-router";
import type { Route } from "./+types/forgot-password";
import { FormErrors, getFormProps, SubmitButton, TextField, useZodForm, RetryNotice } from "~/components/form";
import { ForgotPasswordSchema } from "~/domain/auth";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { requestPasswordReset, retryMinutesOf } from "~/services/accounts/auth.server";

/** Open to everyone, signed in or not; the answer never says whether the address has an account. */
export async function loader({ request }: Route.LoaderArgs) {
  return { locale: resolveLocale(request, await getViewer(request)) };
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), ForgotPasswordSchema);
  if (submission.status !== "success") return invalidSubmission(submission, { sentTo: null, retryAfterMinutes: null });
  const r = await requestPasswordReset(request, submission.value.email);
  if (!r.ok) return problemReply(submission, r.problem, { sentTo: null, retryAfterMinutes: retryMinutesOf(r.problem) });
  return { result: submission.reply(), sentTo: submission.value.email, retryAfterMinutes: null };
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.forgot.title")} · ${t("app.name")}` }];
};

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const t = useT();
  const [form, fields] = useZodForm(ForgotPasswordSchema, actionData?.result, { id: "forgot-password" });
  return (
    <div className="mx-auto w-full max-w-md">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("auth.forgot.title")}</h1>
        <p className="mt-2 text-sm text-slate-700">{t("auth.forgot.intro")}</p>
        {actionData?.sentTo ? (
          <p role="status" className="mt-4 rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="reset-sent">
            {t("auth.forgot.sent", { email: actionData.sentTo })}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
          <FormErrors form={form} />
          <RetryNotice minutes={actionData?.retryAfterMinutes} />
          <TextField meta={fields.email} type="email" label={t("auth.field.email")} inputProps={{ autoComplete: "email", inputMode: "email" }} />
          <SubmitButton>{t("auth.forgot.submit")}</SubmitButton>
        </Form>
        <p className="mt-6 text-sm">
          <Link to="/login" className="text-brand-700 underline">
            {t("auth.forgot.backToSignIn")}
          </Link>
        </p>
      </section>
    </div>
  );
}
