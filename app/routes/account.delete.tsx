import { Form, redirect } from "react-router";
import { z } from "zod";
import { getInputProps } from "@conform-to/react";
import type { Route } from "./+types/account.delete";
import { ErrorList, FormErrors, getFormProps, PasswordField, replyFor, RetryNotice, SubmitButton, useZodForm } from "~/components/form";
import { RetentionTable } from "~/components/privacy";
import { BackLink, Notice, PageTitle, Section, TextLink } from "~/components/ui";
import { BLOCKER_KEYS, DeleteAccountSchema } from "~/domain/personal-data";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { blockersOf, deleteOwnAccount, deletionConfirmation, pseudonymOf } from "~/services/privacy/erasure.server";

/**
 * "Delete my account": what is erased and what must be kept (the retention table), what blocks
 * it now, and the confirmation (password and an explicit box; an account made through WeChat, which
 * has no password, signs in with WeChat again instead). After deletion the browser's
 * session is gone and the page says it is done.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const done = new URL(request.url).searchParams.get("done") === "1";
  if (done && !(await getViewer(request))) return { done: true as const };
  const viewer = await requireViewer(request);
  const blockers = await blockersOf(viewer.id);
  return { done: false as const, pseudonym: pseudonymOf(viewer.id).name, blockers, confirmation: await deletionConfirmation(viewer) };
}

const Intents = z.discriminatedUnion("intent", [
  DeleteAccountSchema.extend({ intent: z.literal("delete") }),
  DeleteAccountSchema.omit({ password: true }).extend({ intent: z.literal("deleteSignedInRecently") }),
]);

/** Passwords never come back to the browser. */
const hide = { hideFields: ["password"] };

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { retryAfterMinutes: null }, hide);
  const v = submission.value;
  const r = await deleteOwnAccount(request, viewer, v.intent === "delete" ? v.password : null, v.confirm === "on");
  if (!r.ok) return problemReply(submission, r.problem, { retryAfterMinutes: r.problem.status === 429 ? 15 : null }, hide);
  return redirect("/account/delete?done=1", { headers: { "Set-Cookie": r.cookie } });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "privacy.delete.title");

export default function AccountDelete({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const passwordless = !loaderData.done && loaderData.confirmation.passwordless;
  const [form, fields] = useZodForm(passwordless ? DeleteAccountSchema.omit({ password: true }) : DeleteAccountSchema, replyFor(actionData, passwordless ? "deleteSignedInRecently" : "delete"), { id: "delete-account" });
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
  const { key: confirmKey, ...confirmProps } = getInputProps(fields.confirm, { type: "checkbox", value: "on" });
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
      ) : loaderData.confirmation.passwordless && !loaderData.confirmation.recent ? (
        <Notice tone="warning" role="note" testId="delete-sign-in-again">
          {t("privacy.delete.signInAgain")}
        </Notice>
      ) : (
        <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg border border-red-200 bg-white p-5 shadow-sm">
          <FormErrors form={form} />
          <RetryNotice minutes={actionData?.retryAfterMinutes} />
          {passwordless ? null : <PasswordField meta={(fields as typeof fields & { password: typeof fields.confirm }).password} label={t("privacy.delete.password")} />}
          <div>
            <label className="flex items-start gap-2 text-sm">
              <input key={confirmKey} {...confirmProps} className="mt-1 h-4 w-4" />
              <span>{t("privacy.delete.confirm")}</span>
            </label>
            <ErrorList id={fields.confirm.errorId} errors={fields.confirm.errors} />
          </div>
          <SubmitButton name="intent" value={passwordless ? "deleteSignedInRecently" : "delete"} className="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60">
            {t("privacy.delete.submit")}
          </SubmitButton>
        </Form>
      )}
    </div>
  );
}
