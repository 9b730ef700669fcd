import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/areas.$code.deliberation";
import { FormActions, FormErrors, getFormProps, replyFor, TextareaField, TextField, useZodForm } from "~/components/form";
import { MatterStatusBadge, useRulesText } from "~/components/matter-steps";
import { EmptyState, PageTitle, Section, TextLink } from "~/components/ui";
import { CommunityIntents } from "~/domain/deliberation";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { communityDeliberation, proposeMatter } from "~/services/deliberation/deliberation.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  return communityDeliberation(params.code, await getViewer(request));
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), CommunityIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  // proposing refuses (403) anyone who is neither an official nor the branch secretary of this community
  const r = await proposeMatter(viewer, params.code, v);
  if (!r.ok) return problemReply(submission, r.problem);
  return redirect(`/deliberation/${r.number}?proposed=1`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "deliberation.title");

export default function CommunityDeliberation({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const rulesText = useRulesText();
  const { area, matters, allowed, openNeeds, rules } = loaderData;
  const [form, fields] = useZodForm(CommunityIntents, replyFor(actionData, "propose"), { id: "propose-matter" });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${area.code}`}>← {localName(locale, area)}</TextLink>
      </p>
      <PageTitle sub={t("deliberation.subtitle")}>
        {localName(locale, area)} · {t("deliberation.title")}
      </PageTitle>
      <p className="text-sm text-slate-600" data-testid="community-rules">
        {rulesText(rules)}
      </p>
      {allowed.grant ? (
        <p className="flex flex-wrap gap-x-4 text-sm">
          <TextLink to={`/areas/${area.code}/deliberation/roles`}>{t("deliberation.roles.link")}</TextLink>
          <TextLink to={`/areas/${area.code}/deliberation/rules`}>{t("deliberation.rulesForm.link")}</TextLink>
        </p>
      ) : null}
      <Section id="matters-h" title={t("deliberation.list.title")} testId="matter-list">
        {matters.length === 0 ? (
          <EmptyState>{t("deliberation.list.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {matters.map((m) => (
              <li key={m.number} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-4">
                <Link to={`/deliberation/${m.number}`} className="font-medium underline">
                  {m.title}
                </Link>
                <MatterStatusBadge status={m.status} />
                <span className="text-sm text-slate-600">{formatDateTime(locale, m.proposedAt, false)}</span>
                <span className="text-sm text-slate-600">{t("deliberation.list.needs", { count: m.needs })}</span>
                {m.resolution ? <span className="text-sm text-slate-600">{t("deliberation.list.votes", { for: m.resolution.votesFor, present: m.resolution.present })}</span> : null}
                {m.remarks ? <span className="text-sm text-amber-900">{t("deliberation.list.remarks", { count: m.remarks })}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
      {allowed.propose ? (
        <Section id="propose-h" title={t("deliberation.form.propose")} note={t("deliberation.form.proposeHint")} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="propose-panel">
          {openNeeds.length === 0 ? <p className="text-sm text-slate-600">{t("deliberation.form.noOpenNeeds")}</p> : null}
          <Form method="post" {...getFormProps(form)} className="space-y-3">
            <FormErrors form={form} />
            <TextField meta={fields.title} label={t("deliberation.form.title")} />
            <TextField
              meta={fields.needs}
              label={t("deliberation.form.needs")}
              hint={t("deliberation.form.needsHint", { list: openNeeds.map((n) => `#${n.number} ${n.title}`).join("；") || "—" })}
              inputProps={{ autoComplete: "off" }}
            />
            <TextareaField meta={fields.rationale} label={t("deliberation.form.rationale")} rows={4} />
            <FormActions submit={t("deliberation.form.submitPropose")} intent="propose" />
          </Form>
        </Section>
      ) : null}
    </div>
  );
}
