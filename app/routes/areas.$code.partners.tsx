import type { SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/areas.$code.partners";
import { CheckboxField, ConfirmSubmit, FormActions, FormErrors, getFormProps, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { GiftTable, InKindTotals } from "~/components/partners";
import { Done, EmptyState, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { AreaPartnerIntents, IN_KIND_KINDS, VALUATION_BASES, WithdrawSchema } from "~/domain/partners";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { recordGift, withdrawGift } from "~/services/partners/in-kind.server";
import { areaPartnersPage, createUnit, pairUnit } from "~/services/partners/partners.server";

/**
 * A community's partner units (结对共建), for its officials: the units paired with it (now and
 * before, contacts masked), registering and pairing a unit, and the in-kind gifts register with
 * each gift's received-goods note. The public sees the units on the community's page.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  // the register is its officials': a visitor is sent to sign in whatever the address holds
  return areaPartnersPage(params.code, await requireViewer(request));
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await readForm(request);
  // withdrawing a gift is a short form of its own (a row of the register)
  if (form.get("intent") === "withdraw") {
    const submission = parseForm(form, WithdrawSchema);
    if (submission.status !== "success") return invalidSubmission(submission);
    const r = await withdrawGift(viewer, params.code, submission.payload);
    return r.ok ? { intent: "withdraw", result: submission.reply({ resetForm: true }), notice: "partners.done.withdrawn" } : problemReply(submission, r.problem);
  }
  const submission = parseForm(form, AreaPartnerIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  // each service refuses (403) anyone who is not an official of this community
  switch (v.intent) {
    case "create": {
      const r = await createUnit(viewer, params.code, submission.payload);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "partners.done.created" } : problemReply(submission, r.problem);
    }
    case "pair": {
      const r = await pairUnit(viewer, params.code, submission.payload);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "partners.done.paired" } : problemReply(submission, r.problem);
    }
    case "gift": {
      const r = await recordGift(viewer, params.code, submission.payload);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "partners.done.recorded", number: r.number } : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "partners.area.title");

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";
type Reply = SubmissionResult<string[]> | null | undefined;

function CreateForm({ result, today }: { result: Reply; today: string }) {
  const t = useT();
  const [form, fields] = useZodForm(AreaPartnerIntents, result, { id: "unit-create", defaultValue: { startsOn: today } });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextField meta={fields.name} label={t("partners.field.name")} />
      <TextField meta={fields.uscc} label={t("partners.field.uscc")} hint={t("partners.field.usccHint")} inputProps={{ autoComplete: "off" }} />
      <TextareaField meta={fields.intro} label={t("partners.field.intro")} rows={2} />
      <TextField meta={fields.contactName} label={t("partners.field.contactName")} />
      <TextField meta={fields.contactPhone} type="tel" label={t("partners.field.contactPhone")} hint={t("partners.field.contactPhoneHint")} inputProps={{ autoComplete: "off" }} />
      <TextField meta={fields.startsOn} type="date" label={t("partners.field.startsOn")} />
      <FormActions submit={t("partners.create.submit")} intent="create" />
    </Form>
  );
}

function PairForm({ result, today }: { result: Reply; today: string }) {
  const t = useT();
  const [form, fields] = useZodForm(AreaPartnerIntents, result, { id: "unit-pair", defaultValue: { startsOn: today } });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextField meta={fields.uscc} label={t("partners.field.uscc")} inputProps={{ autoComplete: "off" }} />
      <TextField meta={fields.startsOn} type="date" label={t("partners.field.startsOn")} />
      <FormActions submit={t("partners.pair.submit")} intent="pair" />
    </Form>
  );
}

function GiftForm({ result, today, units, projects }: { result: Reply; today: string; units: { id: string; name: string }[]; projects: { referenceNo: string; title: string }[] }) {
  const t = useT();
  const [form, fields] = useZodForm(AreaPartnerIntents, result, { id: "gift-record", defaultValue: { receivedOn: today, giver: units.length ? "UNIT" : "NAMED", kind: "GOODS", recipient: "SHOP", valuationBasis: "MARKET" } });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <SelectField meta={fields.giver} label={t("partners.gift.giverKind")} options={(["UNIT", "NAMED"] as const).map((g) => ({ value: g, label: t(`partners.giverKind.${g}`) }))} />
      <SelectField meta={fields.unitId} label={t("partners.gift.unit")} placeholder="—" options={units.map((u) => ({ value: u.id, label: u.name }))} />
      <TextField meta={fields.giverName} label={t("partners.gift.giverName")} hint={t("partners.gift.giverNameHint")} />
      <CheckboxField meta={fields.giverPublic} label={t("partners.gift.giverPublic")} />
      <SelectField meta={fields.kind} label={t("partners.gift.kind")} options={IN_KIND_KINDS.map((k) => ({ value: k, label: t(`partners.kind.${k}`) }))} />
      <TextareaField meta={fields.description} label={t("partners.gift.description")} rows={2} />
      <div className="grid grid-cols-2 gap-3">
        <TextField meta={fields.quantity} label={t("partners.gift.quantity")} inputProps={{ inputMode: "numeric", autoComplete: "off" }} />
        <TextField meta={fields.unitLabel} label={t("partners.gift.unitLabel")} hint={t("partners.gift.unitLabelHint")} />
      </div>
      <SelectField meta={fields.valuationBasis} label={t("partners.gift.basis")} options={VALUATION_BASES.map((b) => ({ value: b, label: t(`partners.basis.${b}`) }))} />
      <TextField meta={fields.value} label={t("partners.gift.valueYuan")} hint={t("partners.gift.valueHint")} inputProps={{ inputMode: "decimal", autoComplete: "off" }} />
      <SelectField meta={fields.recipient} label={t("partners.gift.recipient")} options={(["SHOP", "AREA", "PROJECT"] as const).map((r) => ({ value: r, label: t(`partners.recipient.${r}`) }))} />
      <SelectField meta={fields.projectRef} label={t("partners.gift.project")} placeholder="—" options={projects.map((p) => ({ value: p.referenceNo, label: `${p.referenceNo} ${p.title}` }))} />
      <TextField meta={fields.receivedOn} type="date" label={t("partners.gift.receivedOn")} />
      <FormActions submit={t("partners.gift.submit")} intent="gift" />
    </Form>
  );
}

export default function AreaPartners({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const busy = useNavigation().state !== "idle";
  const number = actionData && "number" in actionData ? actionData.number : null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      {number ? (
        <p className="text-sm" data-testid="recorded-note">
          <a href={`/in-kind/${number}/note.pdf`} className="font-medium underline">
            {t("partners.note.download", { number })}
          </a>
        </p>
      ) : null}
      <p className="text-sm">
        <TextLink to={`/areas/${d.area.code}`}>← {localName(locale, d.area)}</TextLink>
      </p>
      <PageTitle sub={t("partners.area.subtitle")}>
        {localName(locale, d.area)} · {t("partners.area.title")}
      </PageTitle>

      <Section id="units-h" title={t("partners.area.units")} testId="paired-units">
        {d.pairings.length === 0 ? (
          <EmptyState>{t("partners.area.empty")}</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="p-3">{t("partners.field.name")}</th>
                  <th scope="col" className="p-3">{t("partners.field.uscc")}</th>
                  <th scope="col" className="p-3">{t("partners.field.contact")}</th>
                  <th scope="col" className="p-3">{t("partners.field.pairing")}</th>
                </tr>
              </thead>
              <tbody>
                {d.pairings.map((p) => (
                  <tr key={p.id} className="border-t border-slate-200" data-testid="paired-unit">
                    <td className="p-3">
                      <TextLink to={`/partners/${p.unit.id}/manage`} className="font-medium">
                        {p.unit.name}
                      </TextLink>
                    </td>
                    <td className="p-3 font-mono">{p.unit.uscc}</td>
                    <td className="p-3">
                      {p.unit.contactName} <span className="tabular-nums" data-testid="masked-phone">{p.unit.contactPhone}</span>
                    </td>
                    <td className="p-3">{p.endedOn ? t("partners.pairing.ended", { from: p.startsOn, to: p.endedOn }) : t("partners.pairing.since", { from: p.startsOn })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <div className="grid gap-6 md:grid-cols-2">
        <Section id="create-h" title={t("partners.create.title")} className={panel} testId="create-panel">
          <CreateForm result={replyFor(actionData, "create")} today={d.today} />
        </Section>
        <Section id="pair-h" title={t("partners.pair.title")} note={t("partners.pair.hint")} className={panel} testId="pair-panel">
          <PairForm result={replyFor(actionData, "pair")} today={d.today} />
        </Section>
      </div>

      <Section id="gifts-h" title={t("partners.gifts.title")} note={t("partners.gifts.hint")} testId="gift-register">
        <InKindTotals totals={d.inKind} />
        <Problems errors={replyErrors(actionData, "withdraw")} />
        <GiftTable
          gifts={d.gifts}
          action={(g) => (
            <div className="space-y-2">
              <a href={`/in-kind/${g.number}/note.pdf`} className="inline-block py-1 underline" data-testid="note-link">
                {t("partners.note.link")}
              </a>
              <TextLink to={`/areas/${d.area.code}/in-kind/${g.number}/correct`} className="block py-1" data-testid="correct-link">
                {t("partners.correct.link")}
              </TextLink>
              <Form method="post" className="space-y-1">
                <input type="hidden" name="giftId" value={g.id} />
                <ConfirmSubmit label={t("partners.withdraw.label")} question={t("partners.withdraw.question", { number: g.number })} confirm={t("partners.withdraw.confirm")} intent="withdraw">
                  <label className="block text-sm">
                    <span className="block">{t("partners.withdraw.reason")}</span>
                    <input name="reason" required minLength={4} className="mt-1 w-full rounded border border-slate-400 px-2 py-1" disabled={busy} />
                  </label>
                </ConfirmSubmit>
              </Form>
            </div>
          )}
        />
      </Section>

      <Section id="gift-h" title={t("partners.gift.title")} className={panel} testId="gift-panel">
        <GiftForm result={replyFor(actionData, "gift")} today={d.today} units={d.units} projects={d.projects} />
      </Section>
    </div>
  );
}
