import { Form, Link } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.areas.$code";
import { FormActions, getFormProps, replyErrors, replyFor, SelectField, SubmitButton, TextField, useZodForm } from "~/components/form";
import { ConfirmAction, EmptyState, ListRow, Notice, PageTitle, Pagination, Problems, RowList, Section, TextLink } from "~/components/ui";
import { InviteSchema } from "~/domain/staff";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, namedMeta } from "~/lib/names";
import { requireOfficialFor } from "~/lib/permissions.server";
import { areaStaffPage, inviteStaff, revokeGrant, revokeInvitation } from "~/services/accounts/staff.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireOfficialFor(request, { code: params.code });
  return areaStaffPage(viewer, params.code, new URL(request.url).searchParams.get("page"));
}

const Intents = z.discriminatedUnion("intent", [
  InviteSchema.extend({ intent: z.literal("invite") }),
  z.object({ intent: z.literal("revokeGrant"), grantId: z.string({ error: "validation.required" }) }),
  z.object({ intent: z.literal("revokeInvitation"), invitationId: z.string({ error: "validation.required" }) }),
]);

/** What every answer of this page carries besides the form's reply. */
const nothing = { notice: null, noticeEmail: null, existing: null };

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireOfficialFor(request, { code: params.code });
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, nothing);
  const v = submission.value;
  switch (v.intent) {
    case "revokeGrant":
    case "revokeInvitation": {
      const r = v.intent === "revokeGrant" ? await revokeGrant(viewer, v.grantId) : await revokeInvitation(viewer, v.invitationId);
      if (!r.ok) return problemReply(submission, r.problem, nothing);
      return { ...nothing, intent: v.intent, result: submission.reply(), notice: v.intent === "revokeGrant" ? "admin.revoke.done" : "admin.invitation.revoked" };
    }
    case "invite": {
      const r = await inviteStaff(viewer, v);
      if (!r.ok) {
        // an address that has an account: the page offers to grant the role at once instead
        const found = r.problem.detail?.existingAccount;
        return problemReply(submission, r.problem, { ...nothing, existing: found ? { name: found.name, email: v.email, role: v.role, areaId: v.areaId } : null });
      }
      return {
        ...nothing,
        intent: v.intent,
        result: submission.reply({ resetForm: true }),
        notice: r.kind === "invited" ? "admin.invite.sent" : "admin.grant.done",
        noticeEmail: r.email,
      };
    }
  }
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => namedMeta(matches, loaderData?.area);

export default function AdminArea({ loaderData: p, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useZodForm(InviteSchema, replyFor(actionData, "invite"), { id: "invite" });
  const roleName = (role: string) => t(`role.${role}`);
  const existing = actionData?.existing;
  const areaLabel = (a: { nameZh: string; nameEn: string; level: string }) => `${localName(locale, a)}（${t(`area.level.${a.level}`)}）`;
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="flex flex-wrap gap-x-3 text-sm">
        {p.canManage ? (
          <TextLink to="/admin">{t("admin.title")}</TextLink>
        ) : (
          <TextLink to="/me">{t("me.title")}</TextLink>
        )}
        <TextLink to={`/areas/${p.area.code}`}>{t("me.official.publicPage")}</TextLink>
      </nav>
      <PageTitle sub={t(`area.level.${p.area.level}`)}>{t("admin.area.title", { area: localName(locale, p.area) })}</PageTitle>

      {!p.canManage ? <Notice tone="muted" role="note" testId="read-only">{t("admin.area.readOnly")}</Notice> : null}
      {actionData?.notice ? <Notice tone="success">{t(actionData.notice, { email: actionData.noticeEmail ?? "" })}</Notice> : null}
      <Problems errors={replyErrors(actionData, "revokeGrant") ?? replyErrors(actionData, "revokeInvitation")} />

      <Section id="staff-h" title={t("admin.staff.title")} sub={`(${p.total})`}>
        <RowList testId="staff-list" empty={p.grants.length === 0 && <EmptyState title={t("admin.staff.empty")} />}>
          {p.grants.map((g) => (
            <ListRow
              key={g.id}
              aside={
                g.canRevoke ? (
                  <ConfirmAction
                    label={t("admin.revoke")}
                    question={t("admin.revoke.question", { name: g.userName, role: roleName(g.role), area: localName(locale, g.area) })}
                    confirmLabel={t("admin.revoke.confirm")}
                    intent="revokeGrant"
                    hidden={{ grantId: g.id }}
                  />
                ) : null
              }
            >
              <p className="font-medium">
                {g.userName}
                {g.isYou ? <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs font-normal">{t("org.members.you")}</span> : null}
              </p>
              <p className="break-all text-sm text-slate-600">{g.userEmail}</p>
              <p className="mt-1 text-sm">
                <span className="rounded bg-brand-50 px-1.5 py-0.5 text-brand-800">{roleName(g.role)}</span> · {localName(locale, g.area)}
                {g.foundation ? ` · ${localName(locale, g.foundation)}` : ""}
              </p>
              <p className="mt-1 text-xs text-slate-600">
                {t("admin.staff.since", { date: formatDateTime(locale, g.createdAt, false) })}
                {g.grantedBy ? ` · ${t("admin.staff.grantedBy", { name: g.grantedBy })}` : ""}
              </p>
            </ListRow>
          ))}
        </RowList>
        <Pagination page={p.page} pages={p.pages} />
      </Section>

      {p.canManage ? (
        <>
          <Section id="invitations-h" title={t("admin.invitations.title")}>
            <RowList testId="invitation-list" empty={p.invitations.length === 0 && <EmptyState title={t("admin.invitations.empty")} />}>
              {p.invitations.map((i) => (
                <ListRow
                  key={i.id}
                  aside={
                    <ConfirmAction
                      label={t("admin.invitations.revoke")}
                      question={t("admin.invitations.revokeQuestion", { email: i.email })}
                      confirmLabel={t("admin.invitations.revokeConfirm")}
                      intent="revokeInvitation"
                      hidden={{ invitationId: i.id }}
                    />
                  }
                >
                  <p className="break-all font-medium">{i.email}</p>
                  <p className="mt-1 text-sm">
                    {roleName(i.role)} · {localName(locale, i.area)}
                  </p>
                  <p className="mt-1 text-xs text-slate-600">
                    {t("admin.invitations.by", { name: i.invitedBy, date: formatDateTime(locale, i.expiresAt) })}
                  </p>
                </ListRow>
              ))}
            </RowList>
          </Section>

          <Section id="invite-h" title={t("admin.invite.title")} className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
            <p className="text-sm text-slate-700">{t("admin.invite.intro")}</p>
            {existing ? (
              <div role="alert" className="space-y-3 rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="existing-account">
                <p>
                  {t("admin.invite.existing", {
                    email: existing.email,
                    name: existing.name,
                    role: roleName(existing.role),
                    area: (() => {
                      const a = p.areaOptions.find((o) => o.id === existing.areaId);
                      return a ? localName(locale, a) : "";
                    })(),
                  })}
                </p>
                <Form method="post" className="flex flex-wrap gap-3">
                  <input type="hidden" name="email" value={existing.email} />
                  <input type="hidden" name="role" value={existing.role} />
                  <input type="hidden" name="areaId" value={existing.areaId} />
                  <input type="hidden" name="mode" value="grant" />
                  <SubmitButton name="intent" value="invite">
                    {t("admin.invite.grantNow")}
                  </SubmitButton>
                  <Link to="." className="self-center underline">
                    {t("common.cancel")}
                  </Link>
                </Form>
              </div>
            ) : null}
            <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-3 sm:items-start">
              <input type="hidden" name="intent" value="invite" />
              <TextField meta={fields.email} type="email" label={t("admin.invite.email")} inputProps={{ autoComplete: "off", inputMode: "email" }} />
              <SelectField
                meta={fields.role}
                label={t("admin.invite.role")}
                placeholder={t("admin.invite.rolePlaceholder")}
                options={p.grantableRoles.map((r) => ({ value: r, label: roleName(r) }))}
              />
              <SelectField
                meta={fields.areaId}
                label={t("admin.invite.area")}
                placeholder={t("admin.invite.areaPlaceholder")}
                options={p.areaOptions.map((a) => ({ value: a.id, label: areaLabel(a) }))}
              />
              <p className="text-sm text-slate-600 sm:col-span-3">
                {p.foundations.length
                  ? t("admin.invite.foundationHint", { list: p.foundations.map((f) => `${localName(locale, f)}（${localName(locale, f.area)}）`).join("、") })
                  : t("admin.invite.noFoundationHint")}
              </p>
              <FormActions submit={t("admin.invite.submit")} className="sm:col-span-3" />
            </Form>
          </Section>
        </>
      ) : null}
    </div>
  );
}
