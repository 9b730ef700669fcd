import { Form } from "react-router";
import type { Route } from "./+types/areas.$code.deliberation.roles";
import { FormActions, FormErrors, getFormProps, replyFor, SelectField, TextField, useZodForm } from "~/components/form";
import { DeliberationSettingsFrame } from "~/components/matter-steps";
import { EmptyState, Section } from "~/components/ui";
import { COMMUNITY_ROLES, RolesIntents } from "~/domain/deliberation";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { communityRoles, grantCommunityRole, revokeCommunityRole } from "~/services/deliberation/deliberation.server";

/** The community's self-government roles: its officials grant and revoke them; anyone else gets 403. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return communityRoles(await requireViewer(request), params.code);
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), RolesIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "grant": {
      const r = await grantCommunityRole(viewer, params.code, v);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "deliberation.roles.granted" } : problemReply(submission, r.problem);
    }
    case "revoke": {
      const r = await revokeCommunityRole(viewer, params.code, v.grantId);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: "deliberation.roles.revoked" } : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "deliberation.roles.title");

export default function CommunityRoles({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { area, grants } = loaderData;
  const [form, fields] = useZodForm(RolesIntents, replyFor(actionData, "grant"), { id: "grant-role" });
  return (
    <DeliberationSettingsFrame area={area} title={t("deliberation.roles.title")} hint={t("deliberation.roles.hint")} done={actionData && "notice" in actionData ? actionData.notice : null}>
      <Section id="roles-h" title={t("deliberation.roles.title")} testId="role-list">
        {grants.length === 0 ? (
          <EmptyState>{t("deliberation.roles.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {grants.map((g) => (
              <li key={g.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-4">
                <span className="font-medium">{g.name}</span>
                <span className="text-sm text-slate-600">{g.email}</span>
                <span>{t(`deliberation.role.${g.role}`)}</span>
                <span className="text-sm text-slate-600">{formatDateTime(locale, g.since, false)}</span>
                <Form method="post" className="ml-auto">
                  <input type="hidden" name="grantId" value={g.id} />
                  <button type="submit" name="intent" value="revoke" className="rounded border border-red-300 px-2 py-0.5 text-sm text-red-800">
                    {t("deliberation.roles.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="grant-h" title={t("deliberation.roles.grant")} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="grant-panel">
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <FormErrors form={form} />
          <TextField meta={fields.email} type="email" label={t("deliberation.roles.email")} />
          <SelectField meta={fields.role} label={t("deliberation.roles.role")} placeholder="—" options={COMMUNITY_ROLES.map((r) => ({ value: r, label: t(`deliberation.role.${r}`) }))} />
          <FormActions submit={t("deliberation.roles.grant")} intent="grant" />
        </Form>
      </Section>
    </DeliberationSettingsFrame>
  );
}
