import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/judging.invitations.$token";
import { inputClass, SubmitButton } from "~/components/form";
import { PageTitle, Problems } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { CONFLICT_KINDS } from "~/domain/judges";
import { acceptJudgeInvitation, declineJudgeInvitation, judgeInvitation, parseAcceptForm } from "~/services/review/judges.server";

/** Rows offered for declarations without JavaScript; blank rows are ignored. */
const ROWS = 4;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const view = await judgeInvitation(params.token, viewer);
  return data({ view, here: `/judging/invitations/${encodeURIComponent(params.token)}` }, { status: view.state === "unknown" ? 404 : 200 });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  if (form.get("intent") === "decline") {
    const result = await declineJudgeInvitation(viewer, params.token);
    return result.ok ? redirect("/judging?done=declined") : data({ formErrors: result.formErrors, values: null }, { status: 409 });
  }
  const input = parseAcceptForm(form);
  const result = await acceptJudgeInvitation(viewer, params.token, input);
  if (result.ok) return redirect("/judging?done=accepted");
  return data({ formErrors: result.formErrors, values: input }, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.accept.title");

export default function JudgeInvitationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, here } = loaderData;
  const values = actionData?.values ?? null;
  const redirectTo = encodeURIComponent(here);
  if (view.state === "unknown") {
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <PageTitle>{t("review.accept.title")}</PageTitle>
        <p>{t("review.accept.state.unknown")}</p>
      </div>
    );
  }
  const v = view as Exclude<typeof view, { state: "unknown" }> & { seat: { name: string; email: string; expiresAt: string; employerUsccs: string[] } };
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageTitle sub={`${v.round!.code} · ${localName(locale, v.round!.area)}`}>{t("review.accept.title")}</PageTitle>
      <p className="text-lg">{t("review.accept.summary", { name: v.seat.name, round: v.round!.title })}</p>
      {v.state !== "pending" ? (
        <p role="status" data-testid="invitation-state">
          {t(`review.accept.state.${v.state}`)}{" "}
          {v.state === "accepted" ? (
            <Link to="/judging" className="text-brand-700 underline">{t("review.queue.title")}</Link>
          ) : null}
        </p>
      ) : !v.signedIn ? (
        <div className="space-y-3">
          <p>{t("review.accept.signInFirst", { email: v.seat.email })}</p>
          <p className="flex flex-wrap gap-4">
            <Link to={`/login?redirectTo=${redirectTo}`} className="rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("nav.signIn")}</Link>
            <Link to={`/signup?redirectTo=${redirectTo}&email=${encodeURIComponent(v.seat.email)}`} className="rounded border border-brand-700 px-4 py-2 font-medium text-brand-700">{t("nav.signUp")}</Link>
          </p>
        </div>
      ) : !v.emailMatches ? (
        <p role="alert">{t("review.accept.wrongAccount")}</p>
      ) : (
        <Form method="post" className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <p className="text-sm text-slate-700">{t("review.accept.expires", { date: formatDateTime(locale, v.seat.expiresAt) })}</p>
          <Problems errors={actionData?.formErrors} />
          <fieldset className="space-y-3">
            <legend className="font-semibold">{t("review.accept.declareTitle")}</legend>
            <p className="text-sm text-slate-700">{t("review.accept.declareHelp")}</p>
            {v.organizations.length === 0 ? <p className="text-sm">{t("review.accept.noOrganizations")}</p> : null}
            {Array.from({ length: ROWS }, (_, i) => (
              <div key={i} className="grid gap-2 sm:grid-cols-3" data-testid={`declaration-${i}`}>
                <label className="block text-sm">
                  {t("review.accept.organization", { n: i + 1 })}
                  <select name="organizationId" defaultValue={values?.rows[i]?.organizationId ?? ""} className={inputClass}>
                    <option value="">{t("review.accept.none")}</option>
                    {v.organizations.map((o) => (
                      <option key={o.id} value={o.id}>{o.name}</option>
                    ))}
                  </select>
                </label>
                <label className="block text-sm">
                  {t("review.accept.kind")}
                  <select name="kind" defaultValue={values?.rows[i]?.kind ?? ""} className={inputClass}>
                    <option value="">—</option>
                    {CONFLICT_KINDS.map((k) => (
                      <option key={k} value={k}>{t(`review.kind.${k}`)}</option>
                    ))}
                  </select>
                </label>
                <label className="block text-sm">
                  {t("review.accept.note")}
                  <input name="note" maxLength={200} defaultValue={values?.rows[i]?.note ?? ""} className={inputClass} />
                </label>
              </div>
            ))}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="noConflicts" defaultChecked={values?.noConflicts ?? false} /> {t("review.accept.noConflicts")}
            </label>
          </fieldset>
          <label className="block text-sm">
            {t("review.invite.employerUsccs")}
            <input name="employerUsccs" defaultValue={values?.employerUsccs ?? v.seat.employerUsccs.join(" ")} className={inputClass} />
          </label>
          <div className="flex flex-wrap gap-3">
            <SubmitButton name="intent" value="accept">{t("review.accept.submit")}</SubmitButton>
            <button type="submit" name="intent" value="decline" formNoValidate className="rounded border border-slate-400 px-4 py-2">{t("review.accept.decline")}</button>
          </div>
        </Form>
      )}
    </div>
  );
}
