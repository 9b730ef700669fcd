import { Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/signup";
import { CheckboxField, FormErrors, getFormProps, PasswordField, SubmitButton, TextField, useZodForm } from "~/components/form";
import { NoticeLink } from "~/components/privacy";
import { SignUpSchema } from "~/domain/auth";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { safeRedirect } from "~/lib/session.server";
import { redirectIfSignedIn, signUp } from "~/services/accounts/auth.server";

export async function loader({ request }: Route.LoaderArgs) {
  await redirectIfSignedIn(request);
  return { locale: resolveLocale(request, null) };
}

/** The form also carries where to go once the address is verified. */
const SignUpForm = SignUpSchema.extend({ redirectTo: z.string().optional() });

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), SignUpForm);
  const hide = { hideFields: ["password"] };
  if (submission.status !== "success") return invalidSubmission(submission, {}, hide);
  const r = await signUp(request, submission.value);
  if (!r.ok) return problemReply(submission, r.problem, {}, hide);
  // signed in already; the verification page says where the link went and offers to resend it
  const next = safeRedirect(submission.value.redirectTo, "");
  return redirect(next ? `/verify?redirectTo=${encodeURIComponent(next)}` : "/verify", { headers: { "Set-Cookie": r.cookie } });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.signup.title")} · ${t("app.name")}` }];
};

export default function SignUp({ actionData }: Route.ComponentProps) {
  const t = useT();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo");
  // an invitation link sends people here with ?email=… so they sign up with the invited address
  const invitedEmail = params.get("email");
  const [form, fields] = useZodForm(SignUpSchema, actionData?.result, {
    id: "sign-up",
    defaultValue: invitedEmail ? { email: invitedEmail } : undefined,
  });
  return (
    <div className="mx-auto w-full max-w-md">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("auth.signup.title")}</h1>
        <p className="mt-2 text-sm text-slate-700">{t("auth.signup.intro")}</p>
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
          <FormErrors form={form} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <TextField meta={fields.name} label={t("auth.field.name")} hint={t("auth.hint.name")} inputProps={{ autoComplete: "name" }} />
          <TextField meta={fields.email} type="email" label={t("auth.field.email")} inputProps={{ autoComplete: "email", inputMode: "email" }} />
          <PasswordField meta={fields.password} label={t("auth.field.password")} isNew />
          <CheckboxField meta={fields.privacy} label={t("privacy.signup.accept")}>
            <NoticeLink />
          </CheckboxField>
          <SubmitButton>{t("auth.signup.submit")}</SubmitButton>
        </Form>
        <p className="mt-6 text-sm text-slate-700">
          {t("auth.signup.haveAccount")}{" "}
          <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login"} className="text-brand-700 underline">
            {t("auth.signup.signInLink")}
          </Link>
        </p>
      </section>
    </div>
  );
}
