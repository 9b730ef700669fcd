import { Form, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/login";
import { FormActions, FormErrors, getFormProps, PasswordField, RetryNotice, TextField, useZodForm } from "~/components/form";
import { SignInSchema } from "~/domain/auth";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { safeRedirect } from "~/lib/session.server";
import { isWechatBrowser } from "~/domain/wechat";
import { AFTER_SIGN_IN, demoAccounts, redirectIfSignedIn, retryMinutesOf, signIn } from "~/services/accounts/auth.server";
import { wechatConfigured } from "~/services/accounts/wechat.server";

export async function loader({ request }: Route.LoaderArgs) {
  await redirectIfSignedIn(request);
  // WeChat sign-in when configured; first (above the password form) inside WeChat's browser
  const wechat = wechatConfigured() ? { first: isWechatBrowser(request.headers.get("user-agent")) } : null;
  return { locale: resolveLocale(request, null), demo: demoAccounts(), wechat };
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), SignInSchema);
  const hide = { hideFields: ["password"] };
  if (submission.status !== "success") return invalidSubmission(submission, { retryAfterMinutes: null }, hide);
  const r = await signIn(request, submission.value);
  if (!r.ok) return problemReply(submission, r.problem, { retryAfterMinutes: retryMinutesOf(r.problem) }, hide);
  return redirect(safeRedirect(submission.value.redirectTo, AFTER_SIGN_IN), { headers: { "Set-Cookie": r.cookie } });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.login.title")} · ${t("app.name")}` }];
};

// one key per action response: a failed attempt leaves an empty password field, with or without JS
const attemptKeys = new WeakMap<object, number>();
let attempts = 0;
function attemptKey(actionData: object | undefined): number {
  if (!actionData) return 0;
  if (!attemptKeys.has(actionData)) attemptKeys.set(actionData, ++attempts);
  return attemptKeys.get(actionData)!;
}

/** The 微信登录 button: a form post that sends the browser to WeChat's authorisation page. */
function WechatSignIn({ redirectTo, first }: { redirectTo: string; first: boolean }) {
  const t = useT();
  return (
    <Form method="post" action="/auth/wechat" reloadDocument className={first ? "space-y-2" : "mt-6 space-y-2 border-t border-slate-200 pt-5"} data-testid="wechat-sign-in">
      <input type="hidden" name="intent" value="signIn" />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" className="w-full rounded-md bg-emerald-700 px-4 py-3 font-medium text-white hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-800">
        {t("wechat.signIn")}
      </button>
      <p className="text-sm text-slate-700">{t("wechat.signInHint")}</p>
    </Form>
  );
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  const [form, fields] = useZodForm(SignInSchema, actionData?.result, { id: "sign-in" });
  const signupHref = redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : "/signup";
  return (
    <div className="mx-auto w-full max-w-md space-y-6">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("auth.login.title")}</h1>
        {loaderData.wechat?.first ? (
          <div className="mt-4 space-y-4">
            <WechatSignIn redirectTo={redirectTo} first />
            <p className="text-sm font-medium text-slate-700">{t("wechat.or")}</p>
          </div>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
          <FormErrors form={form} />
          <RetryNotice minutes={actionData?.retryAfterMinutes} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField meta={fields.email} type="email" label={t("auth.field.email")} inputProps={{ autoComplete: "email", inputMode: "email" }} />
          <PasswordField key={attemptKey(actionData)} meta={fields.password} label={t("auth.field.password")} />
          <FormActions submit={t("auth.login.submit")} className="flex flex-wrap items-center justify-between gap-3">
            <Link to="/forgot-password" className="text-sm text-brand-700 underline">
              {t("auth.login.forgot")}
            </Link>
          </FormActions>
        </Form>
        {loaderData.wechat && !loaderData.wechat.first ? <WechatSignIn redirectTo={redirectTo} first={false} /> : null}
        <p className="mt-4 text-sm">
          <Link to={redirectTo ? `/login/phone?redirectTo=${encodeURIComponent(redirectTo)}` : "/login/phone"} className="text-brand-700 underline">
            {t("sms.login.link")}
          </Link>
        </p>
        <p className="mt-6 text-sm text-slate-700">
          {t("auth.login.noAccount")}{" "}
          <Link to={signupHref} className="text-brand-700 underline">
            {t("auth.login.signUpLink")}
          </Link>
        </p>
      </section>

      {loaderData.demo ? (
        <aside aria-labelledby="demo-accounts-h" className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm" data-testid="demo-accounts">
          <h2 id="demo-accounts-h" className="text-base font-semibold text-amber-950">
            {t("auth.demo.title")}
          </h2>
          <p className="mt-1 text-amber-950">
            {t("auth.demo.body")} <code className="rounded bg-white px-1.5 py-0.5 font-mono">{loaderData.demo.password}</code>
          </p>
          <ul className="mt-3 space-y-2">
            {loaderData.demo.accounts.map((a) => (
              <li key={a.email} className="flex flex-col sm:flex-row sm:items-baseline sm:gap-2">
                <span className="font-medium text-amber-950">{t(`auth.demo.role.${a.role}`)}</span>
                {/* never broken mid-word: on a narrow screen only after the @ */}
                <code className="font-mono break-normal text-slate-800">
                  {a.email.split("@")[0]}@<wbr />
                  {a.email.split("@")[1]}
                </code>
                <span className="text-slate-600">{a.name}</span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}
