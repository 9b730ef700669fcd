import { Form, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/organizations.$id";
import { getFormProps, replyErrors, replyFor, SubmitButton, TextField, useZodForm } from "~/components/form";
import { ConfirmAction, Fact, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { AddMemberSchema } from "~/domain/organizations";
import { RESIDENT_TEAM_MIN_MEMBERS } from "~/domain/permissions";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { requireManagerOf } from "~/services/accounts/access.server";
import { addMember, organizationPage, removeMember } from "~/services/accounts/organizations.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return organizationPage(viewer, params.id);
}

const Intents = z.discriminatedUnion("intent", [
  AddMemberSchema.extend({ intent: z.literal("addMember") }),
  z.object({ intent: z.literal("removeMember"), memberId: z.string({ error: "validation.required" }) }),
]);

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  // only members with accounts change the member list: others are refused before what they typed is read
  await requireManagerOf(viewer, params.id);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { added: false });
  const v = submission.value;
  switch (v.intent) {
    case "removeMember": {
      const r = await removeMember(viewer, params.id, v.memberId);
      return r.ok ? { intent: v.intent, result: submission.reply(), added: false } : problemReply(submission, r.problem, { added: false });
    }
    case "addMember": {
      const r = await addMember(viewer, params.id, v);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), added: true } : problemReply(submission, r.problem, { added: false });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "org.page.title");

export default function OrganizationPage({ loaderData: org, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const [form, fields] = useZodForm(AddMemberSchema, replyFor(actionData, "addMember"), { id: "add-member" });
  const teamAtMinimum = org.kind === "RESIDENT_TEAM" && org.members.length <= RESIDENT_TEAM_MIN_MEMBERS;
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      {params.get("created") ? <Notice tone="success">{t("org.created")}</Notice> : null}
      <PageTitle sub={`${t(`org.kind.${org.kind}`)} · ${localName(locale, org.area)}`}>{org.name}</PageTitle>

      <dl className="grid gap-3 rounded-lg bg-white p-5 text-sm shadow-sm sm:grid-cols-2">
        {org.uscc ? (
          <Fact label={t("org.field.uscc")} valueClassName="font-mono">{org.uscc}</Fact>
        ) : null}
        {org.filingNo ? (
          <Fact label={t("org.field.filingNo")}>{org.filingNo}</Fact>
        ) : null}
        <Fact label={t("org.field.area")}>
          <TextLink to={`/areas/${org.area.code}`}>{localName(locale, org.area)}</TextLink>
        </Fact>
        <Fact label={t("org.registeredAt")}>{formatDateTime(locale, org.createdAt, false)}</Fact>
      </dl>

      <Section id="members-h" title={t("org.members")} sub={`(${org.members.length})`}>
        {org.kind === "RESIDENT_TEAM" ? <p className="text-sm text-slate-600">{t("org.members.teamRule")}</p> : null}
        <Problems errors={replyErrors(actionData, "removeMember")} />
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="org-members">
          {org.members.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
              <span>
                <span className="font-medium">{m.name}</span>
                {m.position ? <span className="ml-2 text-sm text-slate-600">{m.position}</span> : null}
                {m.isYou ? <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs">{t("org.members.you")}</span> : null}
                {m.hasAccount && !m.isYou ? <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs">{t("org.members.hasAccount")}</span> : null}
              </span>
              {org.canManage ? (
                teamAtMinimum ? (
                  <span className="text-xs text-slate-500">{t("org.members.cannotRemove")}</span>
                ) : (
                  <ConfirmAction
                    label={t("org.members.remove")}
                    question={t("org.members.removeQuestion", { name: m.name })}
                    confirmLabel={t("org.members.removeConfirm")}
                    intent="removeMember"
                    hidden={{ memberId: m.id }}
                  />
                )
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      {org.canManage ? (
        <Section id="add-member-h" title={t("org.members.add")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
          {actionData?.added ? (
            <p role="status" className="mt-2 text-sm text-emerald-800">
              {t("org.members.added")}
            </p>
          ) : null}
          <Form method="post" {...getFormProps(form)} className="mt-3 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
            <input type="hidden" name="intent" value="addMember" />
            <TextField meta={fields.name} label={t("org.field.memberNameOnly")} inputProps={{ autoComplete: "off" }} />
            <TextField meta={fields.position} label={t("org.field.memberPositionOnly")} inputProps={{ autoComplete: "off" }} />
            <SubmitButton>{t("org.members.addSubmit")}</SubmitButton>
          </Form>
        </Section>
      ) : (
        <p className="text-sm text-slate-600">{t("org.readOnly")}</p>
      )}
    </div>
  );
}
