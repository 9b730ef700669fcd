import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/account.phone";
import {
  FormErrors,
  getFormProps,
  SelectField,
  SubmitButton,
  replyFor,
  useZodForm,
} from "~/components/form";
import { codeButtonClass, CodeField, CodeSent, SendCodeForm } from "~/components/send-code";
import { Notice, PageTitle, Section, TextLink } from "~/components/ui";
import {
  ChangePhoneSchema,
  NotifyBySchema,
  SendCodeSchema,
} from "~/domain/sms";
import {
  invalidSubmission,
  parseForm,
  problemReply,
  readForm,
} from "~/lib/forms.server";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { requireViewer } from "~/lib/session.server";
import { sendCodeReply } from "~/services/accounts/code-reply.server";
import {
  changePhone,
  phoneSummary,
  sendCode,
  setNotifyBy,
} from "~/services/accounts/phone.server";

/** The viewer's own number (masked) and where their notices go; every action acts on the viewer's account only. */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    locale: viewer.locale,
    phone: await phoneSummary(viewer),
    notice:
      notice === "phoneChanged" || notice === "notifySaved" ? notice : null,
  };
}

const Intents = z.discriminatedUnion("intent", [
  SendCodeSchema.extend({ intent: z.literal("send") }),
  ChangePhoneSchema.extend({ intent: z.literal("change") }),
  NotifyBySchema.extend({ intent: z.literal("notify") }),
]);

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  const none = { retryAfterMinutes: null, sent: null, phone: null };
  if (submission.status !== "success")
    return invalidSubmission(submission, none, { hideFields: ["code"] });
  const v = submission.value;
  switch (v.intent) {
    case "send":
      return sendCodeReply(submission, "send", await sendCode(request, v.phone, "CHANGE_PHONE", viewer), none, { phone: v.phone });
    case "change": {
      const r = await changePhone(viewer, v);
      if (!r.ok)
        return problemReply(
          submission,
          r.problem,
          { ...none, phone: v.phone, sent: { masked: null, localCode: null } },
          { hideFields: ["code"] },
        );
      return redirect("/account/phone?notice=phoneChanged");
    }
    case "notify": {
      const r = await setNotifyBy(viewer, v.notifyBy);
      if (!r.ok) return problemReply(submission, r.problem, none);
      return redirect("/account/phone?notice=notifySaved");
    }
  }
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("sms.account.title")} · ${t("app.name")}` }];
};

export default function AccountPhone({
  loaderData,
  actionData,
}: Route.ComponentProps) {
  const t = useT();
  const { phone: mine, notice } = loaderData;
  const [sendForm, sendFields] = useZodForm(
    SendCodeSchema,
    replyFor(actionData, "send"),
    { id: "phone-send" },
  );
  const [changeForm, changeFields] = useZodForm(
    ChangePhoneSchema,
    replyFor(actionData, "change"),
    { id: "phone-change" },
  );
  const [notifyForm, notifyFields] = useZodForm(
    NotifyBySchema,
    replyFor(actionData, "notify"),
    { id: "notify-by", defaultValue: { notifyBy: mine.notifyBy } },
  );
  const phone = actionData?.phone ?? null;
  const sent = actionData?.sent ?? null;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <PageTitle>{t("sms.account.title")}</PageTitle>
      <p>
        <TextLink to="/account">{t("sms.account.back")}</TextLink>
      </p>
      {notice ? (
        <Notice tone="success">{t(`sms.account.notice.${notice}`)}</Notice>
      ) : null}

      <Section
        id="phone-h"
        title={t("sms.account.phone")}
        size="lg"
        className="rounded-lg bg-white p-5 shadow-sm"
      >
        <p className="mt-2 text-sm" data-testid="account-phone">
          {mine.masked
            ? t("sms.account.current", { phone: mine.masked })
            : t("sms.account.none")}
        </p>
        {phone && sent ? (
          <Form
            method="post"
            {...getFormProps(changeForm)}
            className="mt-4 space-y-4"
          >
            <FormErrors form={changeForm} />
            <CodeSent sent={sent} />
            <input type="hidden" name="phone" value={phone} />
            <CodeField meta={changeFields.code} />
            <SubmitButton name="intent" value="change" className={codeButtonClass}>
              {t("sms.account.confirm")}
            </SubmitButton>
          </Form>
        ) : null}
        <SendCodeForm
          form={sendForm}
          phone={sendFields.phone}
          phoneLabel={t("sms.account.newPhone")}
          intent="send"
          submitLabel={phone ? t("sms.login.resend") : t("sms.login.send")}
          retryAfterMinutes={actionData?.intent === "send" ? actionData.retryAfterMinutes : null}
        />
      </Section>

      <Section
        id="notify-h"
        title={t("sms.account.notifyBy")}
        size="lg"
        className="rounded-lg bg-white p-5 shadow-sm"
      >
        <Form
          method="post"
          {...getFormProps(notifyForm)}
          className="mt-3 space-y-4"
        >
          <FormErrors form={notifyForm} />
          <SelectField
            meta={notifyFields.notifyBy}
            label={t("sms.account.notifyByLabel")}
            options={[
              { value: "EMAIL", label: t("sms.account.byEmail") },
              { value: "SMS", label: t("sms.account.bySms") },
            ]}
          />
          <SubmitButton name="intent" value="notify">
            {t("sms.account.save")}
          </SubmitButton>
        </Form>
      </Section>
    </div>
  );
}
