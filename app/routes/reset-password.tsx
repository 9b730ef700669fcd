import { Form, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/reset-password";
import { FormErrors, getFormProps, PasswordField, SubmitButton, useZodForm } from "~/components/form";
import { ResetPasswordSchema } from "~/domain/auth";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { checkResetToken, resetPassword } from "~/services/accounts/auth.server";

/**
 * /reset-password?token=… shows the new-password form while the link is usable, and why not
 * otherwise. Opening the page does not use the link (mail scanners open links too); saving does.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkResetToken(token);
  return { locale: resolveLocale(request, await getViewer(request)), error: check.ok ? null : (check.problem.formErrors[0] ?? null) };
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), ResetPasswordSchema);
  const hide = { hideFields: ["password"] };
  if (submission.status !== "success") return invalidSubmission(submission, {}, hide);
  const r = await resetPassword(request, submission.value.token, submission.value.password);
  if (!r.ok) return problemReply(submission, r.problem, {}, hide);
  return redirect("/account?notice=passwordReset", { headers: { "Set-Cookie": r.cookie } });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.reset.title")} · ${t("app.name")}` }];
};

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [form, fields] = useZodForm(ResetPasswordSchema, actionData?.result, { id: "reset-password" });
  return (
    <div className="mx-auto w-full max-w-md">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("auth.reset.title")}</h1>
        {loaderData.error ? (
          <>
            <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 p-3 text-red-900" data-testid="reset-error">
              {t(loaderData.error)}
            </p>
            <p className="mt-4">
              <Link to="/forgot-password" className="font-medium text-brand-700 underline">
                {t("auth.reset.requestNew")}
              </Link>
            </p>
          </>
        ) : (
          <>
            <p className="mt-2 text-sm text-slate-700">{t("auth.reset.intro")}</p>
            <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
              <FormErrors form={form} />
              <input type="hidden" name="token" value={token} />
              <PasswordField meta={fields.password} label={t("auth.field.newPassword")} isNew />
              <SubmitButton>{t("auth.reset.submit")}</SubmitButton>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}
