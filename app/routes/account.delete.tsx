import { Form, redirect } from "react-router";
import { z } from "zod";
import { getInputProps } from "@conform-to/react";
import type { Route } from "./+types/account.delete";
import { ErrorList, FormErrors, getFormProps, PasswordField, replyFor, RetryNotice, SubmitButton, useZodForm } from "~/components/form";
import { RetentionTable } from "~/components/privacy";
import { CodeField, CodeSent, SendCodeForm } from "~/components/send-code";
import { VerifyCodeSchema } from "~/domain/sms";
import { sendDeletionCode } from "~/services/accounts/phone.server";
import { BackLink, Notice, PageTitle, Section, TextLink } from "~/components/ui";
import { BLOCKER_KEYS, DeleteAccountSchema } from "~/domain/personal-data";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { sendCodeReply } from "~/services/accounts/code-reply.server";
import { blockersOf, deleteOwnAccount, deletionConfirmation, pseudonymOf } from "~/services/privacy/erasure.server";

/**
 * "Delete my account": what is erased and what must be kept (the retention table), what blocks
 * it now, and the confirmation: an explicit box and the proof the account takes (its password; an
 * account made with a number, which has none, a code sent to its number; an account made through
 * WeChat, with neither, a WeChat sign-in at most ten minutes old). After deletion the browser's
 * session is gone and the page says it is done.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const done = new URL(request.url).searchParams.get("done") === "1";
  if (done && !(await getViewer(request))) return { done: true as const };
  const viewer = await requireViewer(request);
  const blockers = await blockersOf(viewer.id);
  return {
    done: false as const,
    pseudonym: pseudonymOf(viewer.id).name,
    blockers,
    confirmation: await deletionConfirmation(viewer),
  };
}

const ConfirmOnly = DeleteAccountSchema.omit({ password: true });
const WithCode = ConfirmOnly.extend({ code: VerifyCodeSchema.shape.code });
const Intents = z.discriminatedUnion("intent", [
  DeleteAccountSchema.extend({ intent: z.literal("delete") }),
  ConfirmOnly.extend({ intent: z.literal("deleteSignedInRecently") }),
  z.object({ intent: z.literal("sendDeleteCode") }),
  WithCode.extend({ intent: z.literal("deleteWithCode") }),
]);

/** Passwords and codes never come back to the browser. */
const hide = { hideFields: ["password", "code"] };

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  const none = { retryAfterMinutes: null, sent: null };
  if (submission.status !== "success") return invalidSubmission(submission, { ...none, sent: codeStep(submission.payload) }, hide);
  const v = submission.value;
  if (v.intent === "sendDeleteCode") return sendCodeReply(submission, "sendDeleteCode", await sendDeletionCode(request, viewer), none, {});
  const proof = v.intent === "delete" ? v.password : v.intent === "deleteWithCode" ? { smsCode: v.code } : null;
  const r = await deleteOwnAccount(request, viewer, proof, v.confirm === "on");
  if (!r.ok)
    return problemReply(
      submission,
      r.problem,
      {
        retryAfterMinutes: r.problem.status === 429 ? 15 : null,
        sent: v.intent === "deleteWithCode" ? { masked: null, localCode: null } : null,
      },
      hide,
    );
  return redirect("/account/delete?done=1", {
    headers: { "Set-Cookie": r.cookie },
  });
}

/** A code form that failed stays on the code step. */
const codeStep = (payload: Record<string, unknown>) => (payload.intent === "deleteWithCode" ? { masked: null, localCode: null } : null);

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "privacy.delete.title");

export default function AccountDelete({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const method = loaderData.done ? "password" : loaderData.confirmation.method;
  const schema = method === "password" ? DeleteAccountSchema : method === "sms" ? WithCode : ConfirmOnly;
  const intent = method === "password" ? "delete" : method === "sms" ? "deleteWithCode" : "deleteSignedInRecently";
  const [form, fields] = useZodForm(schema, replyFor(actionData, intent), {
    id: "delete-account",
  });
  const [sendForm] = useZodForm(z.object({}), replyFor(actionData, "sendDeleteCode"), { id: "delete-send-code" });
  const sent = actionData && "sent" in actionData ? actionData.sent : null;
  if (loaderData.done) {
    return (
      <div className="mx-auto w-full max-w-2xl space-y-6">
        <PageTitle>{t("privacy.delete.title")}</PageTitle>
        <Notice tone="success" testId="deleted">
          {t("privacy.delete.done")}
        </Notice>
        <TextLink to="/">{t("app.name")}</TextLink>
      </div>
    );
  }
  const { key: confirmKey, ...confirmProps } = getInputProps(fields.confirm, {
    type: "checkbox",
    value: "on",
  });
  return (
    <div className="mx-auto w-full max-w-3xl space-y-6">
      <BackLink to="/account#privacy-h">{t("auth.account.title")}</BackLink>
      <PageTitle>{t("privacy.delete.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("privacy.delete.intro", { pseudonym: loaderData.pseudonym })}</p>
      <RetentionTable />
      {loaderData.blockers.length ? (
        <Section id="blocked-h" title={t("privacy.delete.blockedTitle")} size="lg" testId="delete-blockers">
          <ul className="list-inside list-disc space-y-1 text-sm">
            {loaderData.blockers.map((b, i) => (
              <li key={i}>
                {t(BLOCKER_KEYS[b.kind])}
                {b.kind === "soleManager" ? ` (${b.organizationName})` : null}
                {b.kind === "monthlyGift" ? (
                  <>
                    {" "}
                    <TextLink to={`/giving/monthly/${b.token}`}>{t("privacy.delete.cancelMonthly")}</TextLink>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : method === "wechat" && !loaderData.confirmation.recent ? (
        <Notice tone="warning" role="note" testId="delete-sign-in-again">
          {t("privacy.delete.signInAgain")}
        </Notice>
      ) : (
        <>
          {method === "sms" ? (
            <section className="rounded-lg border border-red-200 bg-white p-5 shadow-sm" aria-labelledby="delete-code-h">
              <h2 id="delete-code-h" className="font-semibold">
                {t("privacy.delete.byCodeTitle")}
              </h2>
              <SendCodeForm
                form={sendForm}
                intent="sendDeleteCode"
                note={t("privacy.delete.byCodeNote", {
                  phone: loaderData.confirmation.maskedPhone ?? "",
                })}
                submitLabel={sent ? t("sms.login.resend") : t("sms.login.send")}
                retryAfterMinutes={actionData && "intent" in actionData && actionData.intent === "sendDeleteCode" ? actionData.retryAfterMinutes : null}
              />
            </section>
          ) : null}
          {method !== "sms" || sent ? (
            <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg border border-red-200 bg-white p-5 shadow-sm">
              <FormErrors form={form} />
              <RetryNotice minutes={actionData && "intent" in actionData && actionData.intent === "sendDeleteCode" ? null : actionData?.retryAfterMinutes} />
              {method === "password" ? (
                <PasswordField
                  meta={
                    (
                      fields as typeof fields & {
                        password: typeof fields.confirm;
                      }
                    ).password
                  }
                  label={t("privacy.delete.password")}
                />
              ) : null}
              {method === "sms" && sent ? (
                <>
                  <CodeSent sent={sent} />
                  <CodeField
                    meta={
                      (
                        fields as typeof fields & {
                          code: typeof fields.confirm;
                        }
                      ).code
                    }
                  />
                </>
              ) : null}
              <div>
                <label className="flex items-start gap-2 text-sm">
                  <input key={confirmKey} {...confirmProps} className="mt-1 h-4 w-4" />
                  <span>{t("privacy.delete.confirm")}</span>
                </label>
                <ErrorList id={fields.confirm.errorId} errors={fields.confirm.errors} />
              </div>
              <SubmitButton name="intent" value={intent} className="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60">
                {t("privacy.delete.submit")}
              </SubmitButton>
            </Form>
          ) : null}
        </>
      )}
    </div>
  );
}
