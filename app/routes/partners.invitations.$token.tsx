import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/partners.invitations.$token";
import { SubmitButton } from "~/components/form";
import { PageTitle, Problems } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { acceptPartnerInvitation, partnerInvitationByToken } from "~/services/partners/invitations.server";

/**
 * The link of an invitation to act for a partner unit: whoever holds it sees whom it invites;
 * the invited person signs in (or signs up) with that address and accepts once.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const view = await partnerInvitationByToken(params.token, viewer);
  return data({ view, here: `/partners/invitations/${encodeURIComponent(params.token)}` }, { status: view.state === "unknown" ? 404 : 200 });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  // the accept form has no fields: nothing to parse
  const r = await acceptPartnerInvitation(viewer, params.token);
  if (r.ok) return redirect(`/partners/${r.unitId}?welcome=member`);
  return data({ problem: r.problem }, { status: r.problem.status });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "partners.invitation.title");

const link = "text-brand-700 underline underline-offset-4";

export default function PartnerInvitationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, here } = loaderData;
  const redirectTo = encodeURIComponent(here);
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageTitle>{t("partners.invitation.title")}</PageTitle>
      <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm" data-state={view.state} data-testid="partner-invitation">
        {view.state === "unknown" ? (
          <p>{t("invitation.unknown")}</p>
        ) : (
          <>
            <p className="text-lg">{t("partners.invitation.summary", { inviter: view.inviterName, unit: view.unit.name })}</p>
            <p className="text-sm text-slate-600">{t("invitation.for", { email: view.invitedEmail })}</p>
            <Problems errors={actionData?.problem.formErrors} />
            {view.state === "accepted" ? (
              <p role="status">
                {t("partners.invitation.accepted")}{" "}
                <Link to={`/partners/${view.unit.id}`} className={link}>
                  {t("partners.invitation.unitPage")}
                </Link>
              </p>
            ) : view.state === "revoked" ? (
              <p role="status">{t("invitation.revoked")}</p>
            ) : view.state === "expired" ? (
              <p role="status">{t("invitation.expired", { date: formatDateTime(locale, view.expiresAt) })}</p>
            ) : !view.signedIn ? (
              <div className="space-y-3">
                <p>{t("invitation.signInFirst", { email: view.invitedEmail })}</p>
                <p className="flex flex-wrap gap-4">
                  <Link to={`/login?redirectTo=${redirectTo}`} className="rounded bg-brand-700 px-4 py-2 font-medium text-white">
                    {t("nav.signIn")}
                  </Link>
                  <Link to={`/signup?redirectTo=${redirectTo}&email=${encodeURIComponent(view.invitedEmail)}`} className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">
                    {t("nav.signUp")}
                  </Link>
                </p>
              </div>
            ) : !view.emailMatches ? (
              <div className="space-y-3">
                <p>{t("invitation.wrongAccount", { email: view.invitedEmail })}</p>
                <Form method="post" action="/logout">
                  <input type="hidden" name="redirectTo" value={`/login?redirectTo=${redirectTo}`} />
                  <button type="submit" className="rounded border border-slate-400 px-4 py-2">
                    {t("nav.signOut")}
                  </button>
                </Form>
              </div>
            ) : (
              <Form method="post" className="space-y-3">
                <p className="text-sm text-slate-600">{t("invitation.validUntil", { date: formatDateTime(locale, view.expiresAt) })}</p>
                <SubmitButton>{t("invitation.accept")}</SubmitButton>
              </Form>
            )}
          </>
        )}
      </section>
    </div>
  );
}
