import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/verify";
import { SubmitButton } from "~/components/form";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { getViewer, requireViewer, safeRedirect } from "~/lib/session.server";
import { AFTER_SIGN_IN, resendVerification, retryMinutesOf, verifyEmail } from "~/services/accounts/auth.server";
import { TextLink } from "~/components/ui";

/**
 * /verify?token=… uses an emailed verification link (anyone holding the link may use it; it
 * only confirms the address). /verify alone is the signed-in viewer's "check your inbox" page
 * with a form to send the link again.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const locale = resolveLocale(request, viewer);
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  const next = safeRedirect(url.searchParams.get("redirectTo"), AFTER_SIGN_IN);
  if (token !== null) {
    const result = await verifyEmail(token);
    return {
      locale,
      next,
      fromLink: true,
      verified: result.ok || !!viewer?.emailVerified,
      error: result.ok ? null : (result.problem.formErrors[0] ?? null),
      alreadyVerified: result.ok ? false : (result.problem.detail?.alreadyVerified ?? false),
      signedIn: !!viewer,
      email: null,
      canResend: !result.ok && !!viewer && !viewer.emailVerified,
    };
  }
  if (!viewer) return redirect("/login?redirectTo=%2Fverify");
  return {
    locale,
    next,
    fromLink: false,
    verified: viewer.emailVerified,
    error: null,
    alreadyVerified: viewer.emailVerified,
    signedIn: true,
    email: viewer.email,
    canResend: !viewer.emailVerified,
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  // the resend form has no fields: nothing to parse
  const r = await resendVerification(viewer);
  if (!r.ok) return data({ sent: false, retryAfterMinutes: retryMinutesOf(r.problem) }, { status: r.problem.status });
  return { sent: !r.alreadyVerified, retryAfterMinutes: null };
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("auth.verify.title")} · ${t("app.name")}` }];
};

export default function Verify({ loaderData: d, actionData }: Route.ComponentProps) {
  const t = useT();
  let message: { text: string; tone: "ok" | "error" | "info" };
  if (d.fromLink && !d.error) message = { text: t("auth.verify.done"), tone: "ok" };
  else if (d.error) message = { text: t(d.error), tone: "error" };
  else if (d.verified) message = { text: t("auth.verify.alreadyVerified"), tone: "ok" };
  else message = { text: t("auth.verify.checkInbox", { email: d.email ?? "" }), tone: "info" };
  const toneClass = {
    ok: "border-green-300 bg-green-50 text-green-900",
    error: "border-red-300 bg-red-50 text-red-900",
    info: "border-slate-200 bg-slate-50 text-slate-800",
  }[message.tone];

  return (
    <div className="mx-auto w-full max-w-md">
      <section className="rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <h1 className="text-2xl font-semibold">{t("auth.verify.title")}</h1>
        <p role={message.tone === "error" ? "alert" : "status"} className={`mt-4 rounded border p-3 ${toneClass}`} data-testid="verify-message">
          {message.text}
        </p>
        {d.error === "auth.error.verifyUsed" && d.alreadyVerified ? <p className="mt-2 text-sm text-slate-700">{t("auth.verify.alreadyVerified")}</p> : null}

        {d.canResend ? (
          <div className="mt-4 space-y-3">
            {!d.fromLink ? <p className="text-sm text-slate-700">{t("auth.verify.notReceived")}</p> : null}
            {actionData?.sent ? (
              <p role="status" className="text-sm text-green-900">
                {t("auth.verify.resent")}
              </p>
            ) : null}
            {actionData?.retryAfterMinutes ? (
              <p role="alert" className="text-sm text-red-900">
                {t("auth.error.rateLimited")} {t("auth.error.retryIn", { minutes: actionData.retryAfterMinutes })}
              </p>
            ) : null}
            <Form method="post" action="/verify">
              <SubmitButton formAction="/verify">{t("auth.verify.resend")}</SubmitButton>
            </Form>
          </div>
        ) : null}

        {!d.signedIn && d.error && d.error !== "auth.error.verifyUsed" ? (
          <p className="mt-4 text-sm text-slate-700">{t("auth.verify.signInToResend")}</p>
        ) : null}

        <p className="mt-6">
          {d.signedIn ? (
            <TextLink to={d.next} className="font-medium">{t("auth.verify.continue")}</TextLink>
          ) : (
            <TextLink to="/login" className="font-medium">{t("nav.signIn")}</TextLink>
          )}
        </p>
      </section>
    </div>
  );
}
