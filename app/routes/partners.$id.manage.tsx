import type { SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import type { Route } from "./+types/partners.$id.manage";
import { ConfirmSubmit, FormActions, FormErrors, getFormProps, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { GiftTable, InKindTotals } from "~/components/partners";
import { Done, EmptyState, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { UnitIntents } from "~/domain/partners";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { inviteMember, resendInvitation, revokeInvitation } from "~/services/partners/invitations.server";
import { adoptProject, editUnit, grantMember, linkSponsor, revokeMember, unitManagePage, unpairUnit } from "~/services/partners/partners.server";

/**
 * A partner unit's management page, for officials of a community it is paired with: its details
 * (the contact's phone masked; typing a new one replaces it), its pairings (ending one asks
 * first), the accounts that act for it and the e-mail invitations to join them (re-sent, or
 * revoked after a confirmation), the projects it adopted and the campaigns it sponsors.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  return unitManagePage(params.id, await getViewer(request));
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), UnitIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const raw = submission.payload;
  const answer = (r: { ok: true } | { ok: false; problem: Parameters<typeof problemReply>[1] }, notice: string) =>
    r.ok ? { intent: v.intent, result: submission.reply({ resetForm: v.intent !== "edit" }), notice } : problemReply(submission, r.problem);
  // every step refuses (403) anyone who is not an official of a community the unit is paired with
  switch (v.intent) {
    case "edit":
      return answer(await editUnit(viewer, params.id, raw), "partners.done.edited");
    case "unpair":
      return answer(await unpairUnit(viewer, params.id, raw), "partners.done.unpaired");
    case "grant":
      return answer(await grantMember(viewer, params.id, raw), "partners.done.granted");
    case "revoke":
      return answer(await revokeMember(viewer, params.id, raw), "partners.done.revoked");
    case "invite":
      return answer(await inviteMember(viewer, params.id, raw), "partners.done.invited");
    case "resendInvitation":
      return answer(await resendInvitation(viewer, params.id, raw), "partners.done.resent");
    case "revokeInvitation":
      return answer(await revokeInvitation(viewer, params.id, raw), "partners.done.invitationRevoked");
    case "adopt":
      return answer(await adoptProject(viewer, params.id, raw), "partners.done.adopted");
    case "sponsor":
      return answer(await linkSponsor(viewer, params.id, raw), "partners.done.sponsor");
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "partners.manage.title");

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";
type Reply = SubmissionResult<string[]> | null | undefined;

function EditForm({ result, unit }: { result: Reply; unit: { name: string; uscc: string; intro: string; contactName: string; contactPhone: string } }) {
  const t = useT();
  const [form, fields] = useZodForm(UnitIntents, result, { id: "unit-edit", defaultValue: { name: unit.name, uscc: unit.uscc, intro: unit.intro, contactName: unit.contactName } });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextField meta={fields.name} label={t("partners.field.name")} />
      <TextField meta={fields.uscc} label={t("partners.field.uscc")} inputProps={{ autoComplete: "off" }} />
      <TextareaField meta={fields.intro} label={t("partners.field.intro")} rows={2} />
      <TextField meta={fields.contactName} label={t("partners.field.contactName")} />
      <TextField meta={fields.contactPhone} type="tel" label={t("partners.field.contactPhoneNew")} hint={t("partners.field.contactPhoneKeep", { phone: unit.contactPhone })} inputProps={{ autoComplete: "off" }} />
      <FormActions submit={t("partners.edit.submit")} intent="edit" />
    </Form>
  );
}

function SmallForm({ id, result, intent, submit, children }: { id: string; result: Reply; intent: string; submit: string; children: (fields: ReturnType<typeof useZodForm<typeof UnitIntents>>[1]) => React.ReactNode }) {
  const [form, fields] = useZodForm(UnitIntents, result, { id });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      {children(fields)}
      <FormActions submit={submit} intent={intent} />
    </Form>
  );
}

export default function ManageUnit({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="flex flex-wrap gap-4 text-sm">
        <TextLink to={`/partners/${d.unit.id}`}>{t("partners.manage.public")}</TextLink>
      </p>
      <PageTitle sub={t("partners.manage.title")}>{d.unit.name}</PageTitle>
      <dl className="grid grid-cols-1 gap-2 rounded-lg bg-white p-4 text-sm shadow-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-600">{t("partners.field.uscc")}</dt>
        <dd className="font-mono">{d.unit.uscc}</dd>
        <dt className="text-slate-600">{t("partners.field.contact")}</dt>
        <dd>
          {d.unit.contactName} <span data-testid="masked-phone">{d.unit.contactPhone}</span>
        </dd>
      </dl>

      <Section id="pairings-h" title={t("partners.manage.pairings")} testId="unit-pairings">
        <Problems errors={replyErrors(actionData, "unpair")} />
        <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
          {d.pairings.map((p) => (
            <li key={p.id} className="flex flex-wrap items-start justify-between gap-3 p-4">
              <span>
                <TextLink to={`/areas/${p.area.code}`}>{localName(locale, p.area)}</TextLink>{" "}
                <span className="text-sm text-slate-600">{p.endedOn ? t("partners.pairing.ended", { from: p.startsOn, to: p.endedOn }) : t("partners.pairing.since", { from: p.startsOn })}</span>
              </span>
              {p.mayEnd ? (
                <Form method="post">
                  <input type="hidden" name="pairingId" value={p.id} />
                  <ConfirmSubmit label={t("partners.unpair.label")} question={t("partners.unpair.question", { area: localName(locale, p.area) })} confirm={t("partners.unpair.confirm")} intent="unpair">
                    <label className="block text-sm">
                      <span className="block">{t("partners.unpair.endedOn")}</span>
                      <input type="date" name="endedOn" defaultValue={d.today} required className="mt-1 rounded border border-slate-400 px-2 py-1" />
                    </label>
                  </ConfirmSubmit>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="edit-h" title={t("partners.edit.title")} className={panel}>
        <EditForm result={replyFor(actionData, "edit")} unit={d.unit} />
      </Section>

      <Section id="members-h" title={t("partners.members.title")} note={t("partners.members.hint")} testId="unit-members">
        <Problems errors={replyErrors(actionData, "revoke")} />
        {d.members.length === 0 ? (
          <EmptyState>{t("partners.members.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {d.members.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <span>
                  {m.name} <span className="text-sm text-slate-600">{m.email}</span> <span className="text-sm text-slate-600">{formatDateTime(locale, m.since, false)}</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="memberId" value={m.id} />
                  <ConfirmSubmit label={t("partners.members.revoke")} question={t("partners.members.revokeQuestion", { name: m.name })} confirm={t("partners.members.revokeConfirm")} intent="revoke" />
                </Form>
              </li>
            ))}
          </ul>
        )}
        <SmallForm id="unit-grant" result={replyFor(actionData, "grant")} intent="grant" submit={t("partners.members.grant")}>
          {(f) => <TextField meta={f.email} type="email" label={t("partners.members.email")} hint={t("partners.members.emailHint")} />}
        </SmallForm>
      </Section>

      <Section id="invitations-h" title={t("partners.invitations.title")} note={t("partners.invitations.hint")} className={panel} testId="unit-invitations">
        <SmallForm id="unit-invite" result={replyFor(actionData, "invite")} intent="invite" submit={t("partners.invitations.submit")}>
          {(f) => <TextField meta={f.email} type="email" label={t("partners.invitations.email")} inputProps={{ autoComplete: "off" }} />}
        </SmallForm>
        <h3 className="font-semibold">{t("partners.invitations.pending")}</h3>
        <Problems errors={[...(replyErrors(actionData, "resendInvitation") ?? []), ...(replyErrors(actionData, "revokeInvitation") ?? [])]} />
        {d.invitations.length === 0 ? (
          <EmptyState>{t("partners.invitations.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {d.invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 p-4" data-testid="pending-invitation" data-state={i.state}>
                <span>
                  <span className="font-medium">{i.email}</span>{" "}
                  <span className="block text-sm text-slate-600">
                    {i.state === "expired" ? t("partners.invitations.expired", { expires: formatDateTime(locale, i.expiresAt) }) : t("partners.invitations.sent", { date: formatDateTime(locale, i.sentAt), expires: formatDateTime(locale, i.expiresAt) })}
                  </span>
                </span>
                <span className="flex flex-wrap gap-2">
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value="resendInvitation" className="rounded border border-brand-700 px-3 py-1 text-sm text-brand-700">
                      {t("partners.invitations.resend")}
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <ConfirmSubmit label={t("partners.invitations.revoke")} question={t("partners.invitations.revokeQuestion", { email: i.email })} confirm={t("partners.invitations.revokeConfirm")} intent="revokeInvitation" />
                  </Form>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="adopt-h" title={t("partners.adopt.title")} note={t("partners.adopt.hint")} className={panel} testId="unit-adopt">
        {d.adoptions.length ? (
          <ul className="list-disc pl-5 text-sm">
            {d.adoptions.map((a) => (
              <li key={a.referenceNo}>
                <TextLink to={`/projects/${a.referenceNo}`}>{a.title}</TextLink> · {a.adoptedOn}
              </li>
            ))}
          </ul>
        ) : null}
        {d.projects.length ? (
          <SmallForm id="unit-adopt" result={replyFor(actionData, "adopt")} intent="adopt" submit={t("partners.adopt.submit")}>
            {(f) => (
              <>
                <SelectField meta={f.projectRef} label={t("partners.gift.project")} placeholder="—" options={d.projects.map((p) => ({ value: p.referenceNo, label: `${p.referenceNo} ${p.title}` }))} />
                <TextField meta={f.note} label={t("partners.adopt.note")} />
                <TextField meta={f.adoptedOn} type="date" label={t("partners.adopt.adoptedOn")} />
              </>
            )}
          </SmallForm>
        ) : (
          <p className="text-sm text-slate-600">{t("partners.adopt.none")}</p>
        )}
      </Section>

      <Section id="sponsor-h" title={t("partners.sponsor.title")} note={t("partners.sponsor.hint")} className={panel} testId="unit-sponsor">
        {d.campaigns.length ? (
          <ul className="list-disc pl-5 text-sm">
            {d.campaigns.map((c) => (
              <li key={c.slug}>
                <TextLink to={`/campaigns/${c.slug}`}>{locale === "en" ? c.titleEn : c.titleZh}</TextLink>
              </li>
            ))}
          </ul>
        ) : null}
        {d.linkable.length ? (
          <SmallForm id="unit-sponsor" result={replyFor(actionData, "sponsor")} intent="sponsor" submit={t("partners.sponsor.submit")}>
            {(f) => (
              <SelectField
                meta={f.campaignSlug}
                label={t("partners.sponsor.campaign")}
                placeholder="—"
                options={d.linkable.map((c) => ({ value: c.slug, label: `${locale === "en" ? c.titleEn : c.titleZh}（${c.sponsorName}）` }))}
              />
            )}
          </SmallForm>
        ) : (
          <p className="text-sm text-slate-600">{t("partners.sponsor.none")}</p>
        )}
      </Section>

      <Section id="gifts-h" title={t("partners.gifts.title")}>
        <InKindTotals totals={d.inKind} />
        <GiftTable
          gifts={d.gifts}
          showGiver={false}
          action={(g) => (
            <a href={`/in-kind/${g.number}/note.pdf`} className="inline-block py-1 underline">
              {t("partners.note.link")}
            </a>
          )}
        />
      </Section>
    </div>
  );
}
