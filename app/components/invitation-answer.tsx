import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import { SubmitButton } from "~/components/form";
import { Problems } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";

/** What an invitation's page knows of it, whatever it invites to (a staff role, a partner unit). */
export interface InvitationView {
  state: "unknown" | "pending" | "accepted" | "revoked" | "expired";
  invitedEmail?: string;
  expiresAt?: string | Date;
  signedIn?: boolean;
  emailMatches?: boolean;
}

/**
 * The body of an invitation link's page: whom it invites (`summary`), then by its state what the
 * holder can do — accept it, sign in or up with the invited address, sign out of another account —
 * or that it was accepted (`accepted`), revoked or has expired. `here` is the page's own path, where
 * signing in comes back to.
 */
export function InvitationAnswer({ view, here, summary, accepted, errors, testId }: { view: InvitationView; here: string; summary: ReactNode; accepted: ReactNode; errors?: string[] | undefined; testId?: string }) {
  const t = useT();
  const locale = useLocale();
  const redirectTo = encodeURIComponent(here);
  const email = view.invitedEmail ?? "";
  const until = view.expiresAt ? formatDateTime(locale, view.expiresAt) : "";
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm" data-state={view.state} data-testid={testId}>
      {view.state === "unknown" ? (
        <p>{t("invitation.unknown")}</p>
      ) : (
        <>
          <p className="text-lg">{summary}</p>
          <p className="text-sm text-slate-600">{t("invitation.for", { email })}</p>
          <Problems errors={errors} />
          {view.state === "accepted" ? (
            <p role="status">{accepted}</p>
          ) : view.state === "revoked" ? (
            <p role="status">{t("invitation.revoked")}</p>
          ) : view.state === "expired" ? (
            <p role="status">{t("invitation.expired", { date: until })}</p>
          ) : !view.signedIn ? (
            <div className="space-y-3">
              <p>{t("invitation.signInFirst", { email })}</p>
              <p className="flex flex-wrap gap-4">
                <Link to={`/login?redirectTo=${redirectTo}`} className="rounded bg-brand-700 px-4 py-2 font-medium text-white">
                  {t("nav.signIn")}
                </Link>
                <Link to={`/signup?redirectTo=${redirectTo}&email=${encodeURIComponent(email)}`} className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">
                  {t("nav.signUp")}
                </Link>
              </p>
            </div>
          ) : !view.emailMatches ? (
            <div className="space-y-3">
              <p>{t("invitation.wrongAccount", { email })}</p>
              <Form method="post" action="/logout">
                <input type="hidden" name="redirectTo" value={`/login?redirectTo=${redirectTo}`} />
                <button type="submit" className="rounded border border-slate-400 px-4 py-2">
                  {t("nav.signOut")}
                </button>
              </Form>
            </div>
          ) : (
            <Form method="post" className="space-y-3">
              <p className="text-sm text-slate-600">{t("invitation.validUntil", { date: until })}</p>
              <SubmitButton>{t("invitation.accept")}</SubmitButton>
            </Form>
          )}
        </>
      )}
    </section>
  );
}
