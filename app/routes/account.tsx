import { data, Form, redirect, useLocation } from "react-router";
import type { Route } from "./+types/account";
import { FormErrors, getFormProps, parseWithZod, SelectField, SubmitButton, TextField, useZodForm, RetryNotice } from "~/components/form";
import { PageTitle } from "~/components/ui";
import { ChangePasswordSchema, LanguageSchema, retryAfterMinutes } from "~/domain/auth";
import { formatDateTime, useLocale, useT, DEFAULT_LOCALE, makeT, type Locale } from "~/lib/i18n";
import { requireViewer } from "~/lib/session.server";
import { accountSummary, changePassword } from "~/services/accounts/auth.server";
import { setLanguage } from "~/services/accounts/language.server";

const NOTICES = ["passwordChanged", "passwordReset", "languageSaved"] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    locale: viewer.locale,
    account: await accountSummary(viewer),
    notice: (NOTICES as readonly string[]).includes(notice ?? "") ? (notice as Notice) : null,
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "language") {
    const submission = parseWithZod(formData, { schema: LanguageSchema });
    if (submission.status !== "success") {
      return data({ intent: "language" as const, result: submission.reply(), retryAfterMinutes: null }, { status: 400 });
    }
    const cookie = await setLanguage(request, submission.value.locale);
    return redirect("/account?notice=languageSaved", { headers: { "Set-Cookie": cookie } });
  }

  if (intent === "password") {
    const hideFields = ["currentPassword", "newPassword"];
    const submission = parseWithZod(formData, { schema: ChangePasswordSchema });
    if (submission.status !== "success") {
      return data({ intent: "password" as const, result: submission.reply({ hideFields }), retryAfterMinutes: null }, { status: 400 });
    }
    const outcome = await changePassword(request, viewer, submission.value.currentPassword, submission.value.newPassword);
    if (!outcome.ok) {
      return data(
        {
          intent: "password" as const,
          result: submission.reply({ hideFields, formErrors: outcome.formErrors, fieldErrors: outcome.fieldErrors }),
          retryAfterMinutes: outcome.retryAfterSeconds ? retryAfterMinutes(outcome.retryAfterSeconds) : null,
        },
        { status: outcome.retryAfterSeconds ? 429 : 400 },
      );
    }
    return redirect("/account?notice=passwordChanged", { headers: { "Set-Cookie": outcome.cookie } });
  }

  throw data(null, { status: 400 });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.account.title")} · ${t("app.name")}` }];
};

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const { account, notice } = loaderData;
  const [langForm, langFields] = useZodForm(LanguageSchema, actionData?.intent === "language" ? actionData.result : null, {
    id: "language",
    defaultValue: { locale: account.locale },
  });
  const [pwForm, pwFields] = useZodForm(ChangePasswordSchema, actionData?.intent === "password" ? actionData.result : null, {
    id: "change-password",
  });

  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <PageTitle>{t("auth.account.title")}</PageTitle>

      {notice ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="account-notice">
          {t(`auth.account.notice.${notice}`)}
        </p>
      ) : null}

      <section aria-labelledby="profile-h" className="rounded-lg bg-white p-5 shadow-sm">
        <h2 id="profile-h" className="text-lg font-semibold">
          {t("auth.account.profile")}
        </h2>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-slate-600">{t("auth.field.name")}</dt>
          <dd data-testid="account-name">{account.name}</dd>
          <dt className="text-slate-600">{t("auth.field.email")}</dt>
          <dd className="break-all" data-testid="account-email">{account.email}</dd>
          <dt className="text-slate-600">{t("auth.account.emailStatus")}</dt>
          <dd>{account.emailVerified ? t("auth.account.verified") : t("auth.account.unverified")}</dd>
          <dt className="text-slate-600">{t("auth.account.memberSince")}</dt>
          <dd>{formatDateTime(locale, account.createdAt, false)}</dd>
          <dt className="text-slate-600">{t("auth.account.sessions")}</dt>
          <dd>{account.sessions}</dd>
          <dt className="text-slate-600">{t("auth.account.roles")}</dt>
          <dd>
            {account.roles.length ? (
              <ul>
                {account.roles.map((r, i) => (
                  <li key={i}>
                    {t(`role.${r.role}`)} · {locale === "en" ? r.areaEn : r.areaZh}
                  </li>
                ))}
              </ul>
            ) : (
              t("auth.account.residentOnly")
            )}
          </dd>
          {account.organizations.length ? (
            <>
              <dt className="text-slate-600">{t("auth.account.organizations")}</dt>
              <dd>
                <ul>
                  {account.organizations.map((o) => (
                    <li key={o.id}>{o.name}</li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="language-h" className="rounded-lg bg-white p-5 shadow-sm">
        <h2 id="language-h" className="text-lg font-semibold">
          {t("auth.account.language")}
        </h2>
        <Form method="post" {...getFormProps(langForm)} className="mt-3 space-y-4">
          <FormErrors form={langForm} />
          <SelectField
            meta={langFields.locale}
            label={t("lang.label")}
            options={[
              { value: "zh-CN", label: t("auth.account.lang.zh-CN") },
              { value: "en", label: t("auth.account.lang.en") },
            ]}
          />
          <SubmitButton name="intent" value="language">
            {t("auth.account.languageSave")}
          </SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="password-h" className="rounded-lg bg-white p-5 shadow-sm">
        <h2 id="password-h" className="text-lg font-semibold">
          {t("auth.account.password")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("auth.account.passwordIntro")}</p>
        {/* a new key after each redirect empties the password inputs */}
        <Form key={location.key} method="post" {...getFormProps(pwForm)} className="mt-3 space-y-4">
          <FormErrors form={pwForm} />
          <RetryNotice minutes={actionData?.intent === "password" ? actionData.retryAfterMinutes : null} />
          {/* lets password managers know which account the new password belongs to */}
          <input type="email" name="username" autoComplete="username" value={account.email} readOnly hidden />
          <TextField
            meta={pwFields.currentPassword}
            type="password"
            label={t("auth.field.currentPassword")}
            inputProps={{ autoComplete: "current-password" }}
          />
          <TextField
            meta={pwFields.newPassword}
            type="password"
            label={t("auth.field.newPassword")}
            hint={t("auth.hint.password")}
            inputProps={{ autoComplete: "new-password" }}
          />
          <SubmitButton name="intent" value="password">
            {t("auth.account.passwordSubmit")}
          </SubmitButton>
        </Form>
      </section>
    </div>
  );
}
