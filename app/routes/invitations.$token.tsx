import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/invitations.$token";
import { InvitationAnswer } from "~/components/invitation-answer";
import { PageTitle } from "~/components/ui";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { acceptInvitation, invitationByToken } from "~/services/accounts/staff.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const view = await invitationByToken(params.token, viewer);
  return data({ view, here: `/invitations/${encodeURIComponent(params.token)}` }, { status: view.state === "unknown" ? 404 : 200 });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  // the accept form has no fields: nothing to parse
  const r = await acceptInvitation(viewer, params.token);
  if (r.ok) return redirect("/me?welcome=role");
  return data({ problem: r.problem }, { status: r.problem.status });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "invitation.title");

const link = "text-brand-700 underline underline-offset-4";

export default function InvitationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, here } = loaderData;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageTitle>{t("invitation.title")}</PageTitle>
      <InvitationAnswer
        view={view}
        here={here}
        errors={actionData?.problem.formErrors}
        summary={view.state === "unknown" ? null : t("invitation.summary", { inviter: view.inviterName, role: t(`role.${view.role}`), area: localName(locale, view.area) })}
        accepted={
          view.state === "unknown" ? null : (
            <>
              {t("invitation.accepted")}{" "}
              <Link to="/me" className={link}>
                {t("me.title")}
              </Link>
            </>
          )
        }
      />
    </div>
  );
}
