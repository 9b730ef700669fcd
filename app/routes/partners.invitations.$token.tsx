import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/partners.invitations.$token";
import { InvitationAnswer } from "~/components/invitation-answer";
import { PageTitle } from "~/components/ui";
import { useT } from "~/lib/i18n";
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
  const { view, here } = loaderData;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageTitle>{t("partners.invitation.title")}</PageTitle>
      <InvitationAnswer
        view={view}
        here={here}
        testId="partner-invitation"
        errors={actionData?.problem.formErrors}
        summary={view.state === "unknown" ? null : t("partners.invitation.summary", { inviter: view.inviterName, unit: view.unit.name })}
        accepted={
          view.state === "unknown" ? null : (
            <>
              {t("partners.invitation.accepted")}{" "}
              <Link to={`/partners/${view.unit.id}`} className={link}>
                {t("partners.invitation.unitPage")}
              </Link>
            </>
          )
        }
      />
    </div>
  );
}
