import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/judging.invitations.$token";
import { FormErrors, getFormProps, inputClass, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { controlProps, WrappedField } from "~/components/review-form";
import { PageTitle, TextLink } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { acceptInvitationFields, acceptInvitationRules, CONFLICT_KINDS } from "~/domain/judges";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { acceptJudgeInvitation, declineJudgeInvitation, judgeInvitation } from "~/services/review/judges.server";

/** Rows offered for declarations without JavaScript; blank rows are ignored. */
const ROWS = 4;

const AcceptIntent = z.object({ intent: z.literal("accept"), ...acceptInvitationFields }).superRefine(acceptInvitationRules);
const DeclineIntent = z.object({ intent: z.literal("decline") });
const Intents = z.discriminatedUnion("intent", [AcceptIntent, DeclineIntent]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const view = await judgeInvitation(params.token, viewer);
  return data({ view, here: `/judging/invitations/${encodeURIComponent(params.token)}` }, { status: view.state === "unknown" ? 404 : 200 });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "decline": {
      const r = await declineJudgeInvitation(viewer, params.token);
      return r.ok ? redirect("/judging?done=declined") : problemReply(submission, r.problem);
    }
    case "accept": {
      const r = await acceptJudgeInvitation(viewer, params.token, v);
      return r.ok ? redirect("/judging?done=accepted") : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.accept.title");

export default function JudgeInvitationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, here } = loaderData;
  // both buttons belong to one form: its errors are those of whichever was pressed
  const [form, fields] = useZodForm(Intents, replyFor(actionData, "accept") ?? replyFor(actionData, "decline"), { id: "answer" });
  const rows = fields.rows.getFieldList();
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
            <TextLink to="/judging">{t("review.queue.title")}</TextLink>
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
        <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <p className="text-sm text-slate-700">{t("review.accept.expires", { date: formatDateTime(locale, v.seat.expiresAt) })}</p>
          <FormErrors form={form} />
          <fieldset className="space-y-3">
            <legend className="font-semibold">{t("review.accept.declareTitle")}</legend>
            <p className="text-sm text-slate-700">{t("review.accept.declareHelp")}</p>
            {v.organizations.length === 0 ? <p className="text-sm">{t("review.accept.noOrganizations")}</p> : null}
            {Array.from({ length: ROWS }, (_, i) => {
              const row = rows[i]?.getFieldset();
              const typed = (name: "organizationId" | "kind" | "note") => {
                const value = row?.[name].initialValue;
                return typeof value === "string" ? value : "";
              };
              return (
              <div key={i} className="grid gap-2 sm:grid-cols-3" data-testid={`declaration-${i}`}>
                <label className="block text-sm">
                  {t("review.accept.organization", { n: i + 1 })}
                  <select name={`${fields.rows.name}[${i}].organizationId`} defaultValue={typed("organizationId")} className={inputClass}>
                    <option value="">{t("review.accept.none")}</option>
                    {v.organizations.map((o) => (
                      <option key={o.id} value={o.id}>{o.name}</option>
                    ))}
                  </select>
                </label>
                <label className="block text-sm">
                  {t("review.accept.kind")}
                  <select name={`${fields.rows.name}[${i}].kind`} defaultValue={typed("kind")} className={inputClass}>
                    <option value="">—</option>
                    {CONFLICT_KINDS.map((k) => (
                      <option key={k} value={k}>{t(`review.kind.${k}`)}</option>
                    ))}
                  </select>
                </label>
                <label className="block text-sm">
                  {t("review.accept.note")}
                  <input name={`${fields.rows.name}[${i}].note`} maxLength={200} defaultValue={typed("note")} className={inputClass} />
                </label>
              </div>
              );
            })}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name={fields.noConflicts.name} defaultChecked={fields.noConflicts.initialValue === "on"} /> {t("review.accept.noConflicts")}
            </label>
          </fieldset>
          <WrappedField meta={fields.employerUsccs} label={t("review.invite.employerUsccs")}>
            <input {...controlProps(fields.employerUsccs)} defaultValue={fields.employerUsccs.initialValue ?? v.seat.employerUsccs.join(" ")} className={inputClass} />
          </WrappedField>
          <div className="flex flex-wrap gap-3">
            <SubmitButton name="intent" value="accept">{t("review.accept.submit")}</SubmitButton>
            <button type="submit" name="intent" value="decline" formNoValidate className="rounded border border-slate-400 px-4 py-2">{t("review.accept.decline")}</button>
          </div>
        </Form>
      )}
    </div>
  );
}
