import { Form, redirect, useLocation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/account";
import { FormErrors, getFormProps, PasswordField, replyErrors, replyFor, RetryNotice, SelectField, SubmitButton, TextField, useZodForm } from "~/components/form";
import { Fact, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { AddEmailSchema, ChangePasswordSchema, LanguageSchema } from "~/domain/auth";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT, DEFAULT_LOCALE, makeT, type Locale } from "~/lib/i18n";
import { requireViewer } from "~/lib/session.server";
import { accountSummary, addEmailAndPassword, addEmailState, changePassword, retryMinutesOf } from "~/services/accounts/auth.server";
import { setLanguage } from "~/services/accounts/language.server";
import { latestExport, requestExport } from "~/services/privacy/export.server";
import { wechatConfigured, wechatLinked } from "~/services/accounts/wechat.server";
import { undeliverableEmail } from "~/domain/wechat";

const NOTICES = ["passwordChanged", "passwordReset", "languageSaved", "exportRequested", "wechatLinked", "emailAdded"] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    locale: viewer.locale,
    account: await accountSummary(viewer),
    dataExport: await latestExport(viewer.id),
    /** WeChat sign-in, when configured: whether this account has it linked */
    wechat: wechatConfigured() ? { linked: await wechatLinked(viewer.id) } : null,
    /** an account made with a number or through WeChat: may add an address and a password, soon after signing in */
    addEmail: await addEmailState(viewer),
    notice: (NOTICES as readonly string[]).includes(notice ?? "") ? (notice as Notice) : null,
  };
}

const Intents = z.discriminatedUnion("intent", [
  LanguageSchema.extend({ intent: z.literal("language") }),
  ChangePasswordSchema.extend({ intent: z.literal("password") }),
  z.object({ intent: z.literal("export") }),
  AddEmailSchema.extend({ intent: z.literal("addEmail") }),
]);

/** Passwords never come back to the browser: a refused form returns with them empty. */
const hide = { hideFields: ["currentPassword", "newPassword", "password"] };

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { retryAfterMinutes: null }, hide);
  const v = submission.value;
  switch (v.intent) {
    case "language": {
      const cookie = await setLanguage(request, v.locale);
      return redirect("/account?notice=languageSaved", { headers: { "Set-Cookie": cookie } });
    }
    case "password": {
      const r = await changePassword(request, viewer, v.currentPassword, v.newPassword);
      if (!r.ok) return problemReply(submission, r.problem, { retryAfterMinutes: retryMinutesOf(r.problem) }, hide);
      return redirect("/account?notice=passwordChanged", { headers: { "Set-Cookie": r.cookie } });
    }
    case "addEmail": {
      const r = await addEmailAndPassword(request, viewer, v);
      if (!r.ok) return problemReply(submission, r.problem, { retryAfterMinutes: retryMinutesOf(r.problem) }, hide);
      return redirect("/account?notice=emailAdded", { headers: { "Set-Cookie": r.cookie } });
    }
    case "export": {
      const r = await requestExport(viewer);
      if (!r.ok) return problemReply(submission, r.problem, { retryAfterMinutes: null });
      return redirect("/account?notice=exportRequested#privacy-h");
    }
  }
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.account.title")} · ${t("app.name")}` }];
};

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const { account, notice, dataExport, wechat, addEmail } = loaderData;
  const [addForm, addFields] = useZodForm(AddEmailSchema, replyFor(actionData, "addEmail"), { id: "add-email" });
  const exportProblems = replyErrors(actionData, "export");
  const [langForm, langFields] = useZodForm(LanguageSchema, replyFor(actionData, "language"), {
    id: "language",
    defaultValue: { locale: account.locale },
  });
  const [pwForm, pwFields] = useZodForm(ChangePasswordSchema, replyFor(actionData, "password"), {
    id: "change-password",
  });

  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <PageTitle>{t("auth.account.title")}</PageTitle>

      {notice ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="account-notice">
          {notice === "exportRequested" ? t("privacy.export.requested") : notice === "wechatLinked" ? t("wechat.account.done") : t(`auth.account.notice.${notice}`)}
        </p>
      ) : null}

      <Section id="profile-h" title={t("auth.account.profile")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <Fact bare label={t("auth.field.name")} testId="account-name">{account.name}</Fact>
          <Fact bare label={t("auth.field.email")} valueClassName="break-all" testId="account-email">{undeliverableEmail(account.email) ? "—" : account.email}</Fact>
          <Fact bare label={t("auth.account.emailStatus")}>{account.emailVerified ? t("auth.account.verified") : t("auth.account.unverified")}</Fact>
          <Fact bare label={t("sms.account.phone")} testId="account-phone">
            <TextLink to="/account/phone">{account.phone ?? t("sms.account.link")}</TextLink>
          </Fact>
          <Fact bare label={t("auth.account.memberSince")}>{formatDateTime(locale, account.createdAt, false)}</Fact>
          <Fact bare label={t("auth.account.sessions")}>{account.sessions}</Fact>
          <Fact bare label={t("auth.account.roles")}>
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
          </Fact>
          {account.organizations.length ? (
            <Fact bare label={t("auth.account.organizations")}>
              <ul>
                {account.organizations.map((o) => (
                  <li key={o.id}>{o.name}</li>
                ))}
              </ul>
            </Fact>
          ) : null}
        </dl>
      </Section>

      {wechat ? (
        <Section id="wechat-h" title={t("wechat.account.title")} size="lg" className="rounded-lg bg-white p-5 shadow-sm" testId="account-wechat">
          {wechat.linked ? (
            <p className="mt-1 text-sm text-slate-700">{t("wechat.account.linked")}</p>
          ) : (
            <Form method="post" action="/auth/wechat" reloadDocument className="mt-1 space-y-3">
              <p className="text-sm text-slate-700">{t("wechat.account.notLinked")}</p>
              <input type="hidden" name="intent" value="link" />
              <SubmitButton>{t("wechat.account.link")}</SubmitButton>
            </Form>
          )}
        </Section>
      ) : null}

      <Section id="language-h" title={t("auth.account.language")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
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
      </Section>

      {/* an account made with a mobile number or through WeChat has no password to change */}
      {account.email && !undeliverableEmail(account.email) ? (
        <Section id="password-h" title={t("auth.account.password")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
          <p className="mt-1 text-sm text-slate-700">{t("auth.account.passwordIntro")}</p>
          {/* a new key after each redirect empties the password inputs */}
          <Form key={location.key} method="post" {...getFormProps(pwForm)} className="mt-3 space-y-4">
            <FormErrors form={pwForm} />
            <RetryNotice minutes={actionData?.intent === "password" ? actionData.retryAfterMinutes : null} />
            {/* lets password managers know which account the new password belongs to */}
            <input type="email" name="username" autoComplete="username" value={account.email ?? ""} readOnly hidden />
            <PasswordField meta={pwFields.currentPassword} label={t("auth.field.currentPassword")} />
            <PasswordField meta={pwFields.newPassword} label={t("auth.field.newPassword")} isNew />
            <SubmitButton name="intent" value="password">
              {t("auth.account.passwordSubmit")}
            </SubmitButton>
          </Form>
        </Section>
      ) : null}

      {addEmail ? (
        <Section id="add-email-h" title={t("auth.addEmail.title")} size="lg" className="rounded-lg bg-white p-5 shadow-sm" testId="account-add-email">
          {addEmail.recent ? (
            <Form key={location.key} method="post" {...getFormProps(addForm)} className="mt-1 space-y-4">
              <p className="text-sm text-slate-700">{t("auth.addEmail.intro")}</p>
              <FormErrors form={addForm} />
              <RetryNotice minutes={actionData?.intent === "addEmail" ? actionData.retryAfterMinutes : null} />
              <TextField meta={addFields.email} type="email" label={t("auth.field.email")} inputProps={{ autoComplete: "email" }} />
              <PasswordField meta={addFields.password} label={t("auth.field.newPassword")} isNew />
              <SubmitButton name="intent" value="addEmail">
                {t("auth.addEmail.submit")}
              </SubmitButton>
            </Form>
          ) : (
            <Notice tone="muted" role="note" testId="add-email-sign-in-again">
              {t("auth.addEmail.signInAgain")}
            </Notice>
          )}
        </Section>
      ) : null}

      <Section id="privacy-h" title={t("privacy.section.title")} size="lg" className="rounded-lg bg-white p-5 shadow-sm" testId="account-privacy">
        <p className="mt-1 text-sm text-slate-700">{t("privacy.section.intro")}</p>
        {dataExport ? (
          <div className="mt-3">
            <Notice tone={dataExport.state === "ready" ? "success" : "muted"} testId="export-state">
              {t(`privacy.export.state.${dataExport.state}`, { at: formatDateTime(locale, dataExport.state === "ready" ? dataExport.expiresAt! : dataExport.requestedAt) })}
              {dataExport.byOfficial ? ` ${t("privacy.export.byOfficial")}` : null}
            </Notice>
          </div>
        ) : null}
        <Form method="post" className="mt-3 space-y-3">
          <Problems errors={exportProblems} />
          <p className="text-sm text-slate-700">{t("privacy.export.requestHint")}</p>
          {dataExport?.state === "requested" ? null : (
            <SubmitButton name="intent" value="export">
              {t("privacy.export.request")}
            </SubmitButton>
          )}
        </Form>
        <p className="mt-4 text-sm">
          <TextLink to="/account/delete">{t("privacy.delete.link")}</TextLink>
        </p>
      </Section>
    </div>
  );
}
