import { Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/login.phone";
import {
  CheckboxField,
  FormErrors,
  getFormProps,
  SubmitButton,
  TextField,
  useZodForm,
  replyFor,
} from "~/components/form";
import { codeButtonClass, CodeField, CodeSent, SendCodeForm } from "~/components/send-code";
import { NoticeLink } from "~/components/privacy";
import { SendCodeSchema, VerifyCodeSchema } from "~/domain/sms";
import {
  invalidSubmission,
  parseForm,
  problemReply,
  readForm,
} from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { safeRedirect } from "~/lib/session.server";
import { sendCodeReply } from "~/services/accounts/code-reply.server";
import {
  AFTER_SIGN_IN,
  redirectIfSignedIn,
} from "~/services/accounts/auth.server";
import { sendCode, signInWithCode } from "~/services/accounts/phone.server";

export async function loader({ request }: Route.LoaderArgs) {
  await redirectIfSignedIn(request);
  return { locale: resolveLocale(request, null) };
}

const Intents = z.discriminatedUnion("intent", [
  SendCodeSchema.extend({ intent: z.literal("send") }),
  VerifyCodeSchema.extend({ intent: z.literal("verify") }),
]);

/**
 * Step one sends a code and answers with the number to confirm (and, in local SMS mode and demo
 * mode only, the code itself: this response goes to the person who asked and nowhere else).
 * Step two checks the code and signs in, or signs up a number that has no account yet.
 */
export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), Intents);
  const none = { retryAfterMinutes: null, sent: null, phone: null };
  if (submission.status !== "success")
    return invalidSubmission(submission, none, { hideFields: ["code"] });
  const v = submission.value;
  if (v.intent === "send") return sendCodeReply(submission, "send", await sendCode(request, v.phone, "SIGN_IN"), none, { phone: v.phone });
  const r = await signInWithCode(request, v);
  if (!r.ok)
    return problemReply(
      submission,
      r.problem,
      { ...none, phone: v.phone, sent: { masked: null, localCode: null } },
      { hideFields: ["code"] },
    );
  return redirect(safeRedirect(v.redirectTo, AFTER_SIGN_IN), { headers: { "Set-Cookie": r.cookie } });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("sms.login.title")} · ${t("app.name")}` }];
};

export default function PhoneLogin({ actionData }: Route.ComponentProps) {
  const t = useT();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  const [sendForm, sendFields] = useZodForm(
    SendCodeSchema,
    replyFor(actionData, "send"),
    { id: "sms-send" },
  );
  const [form, fields] = useZodForm(
    VerifyCodeSchema,
    replyFor(actionData, "verify"),
    { id: "sms-verify" },
  );
  const phone = actionData?.phone ?? null;
  const sent = actionData?.sent ?? null;
  return (
    <div className="mx-auto w-full max-w-md space-y-6">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("sms.login.title")}</h1>
        <p className="mt-2 text-sm text-slate-700">{t("sms.login.intro")}</p>
        {phone && sent ? (
          <Form
            method="post"
            {...getFormProps(form)}
            className="mt-4 space-y-4"
          >
            <FormErrors form={form} />
            <CodeSent sent={sent} />
            <input type="hidden" name="phone" value={phone} />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <CodeField meta={fields.code} />
            <fieldset className="space-y-3 rounded border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium">
                {t("sms.login.newAccount")}
              </legend>
              <TextField
                meta={fields.name}
                label={t("auth.field.name")}
                hint={t("auth.hint.name")}
                inputProps={{ autoComplete: "name" }}
              />
              <CheckboxField
                meta={fields.privacy}
                label={t("privacy.signup.accept")}
              >
                <NoticeLink />
              </CheckboxField>
            </fieldset>
            <SubmitButton name="intent" value="verify" className={codeButtonClass}>
              {t("sms.login.verify")}
            </SubmitButton>
          </Form>
        ) : null}
        <SendCodeForm
          form={sendForm}
          phone={sendFields.phone}
          intent="send"
          submitLabel={phone ? t("sms.login.resend") : t("sms.login.send")}
          retryAfterMinutes={actionData?.intent === "send" ? actionData.retryAfterMinutes : null}
        />
        <p className="mt-6 text-sm text-slate-700">
          <Link
            to={
              redirectTo
                ? `/login?redirectTo=${encodeURIComponent(redirectTo)}`
                : "/login"
            }
            className="text-brand-700 underline"
          >
            {t("sms.login.byEmail")}
          </Link>
        </p>
      </section>
    </div>
  );
}
