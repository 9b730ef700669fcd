import { Form } from "react-router";
import type { Route } from "./+types/areas.$code.in-kind.$number.correct";
import { FormErrors, getFormProps, FormActions, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { Done, PageTitle, Section, TextLink } from "~/components/ui";
import { CorrectGiftSchema, VALUATION_BASES } from "~/domain/partners";
import { fenToInput, formatFen } from "~/domain/money";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { requireViewer } from "~/lib/session.server";
import { correctGift, giftCorrectionPage } from "~/services/partners/in-kind.server";

/**
 * Correcting a recorded in-kind gift, for officials of the receiving community: the correctable
 * fields as they should read and why; a new row supersedes the current one (the register is
 * append-only), and the gift's history is listed below.
 */
const numberOf = (raw: string) => {
  if (!/^\d{1,9}$/.test(raw)) notFound();
  return Number(raw);
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return giftCorrectionPage(params.code, numberOf(params.number), viewer);
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  numberOf(params.number);
  const submission = parseForm(await readForm(request), CorrectGiftSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  // the service refuses (403) anyone who is not an official of this community, 404 a gift of another
  const r = await correctGift(viewer, params.code, submission.payload);
  return r.ok ? { intent: "correct", result: submission.reply({ resetForm: true }), notice: "partners.done.corrected", number: r.number } : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "partners.correct.title");

export default function CorrectGift({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const g = d.gift;
  const [form, fields] = useZodForm(CorrectGiftSchema, actionData?.result, {
    // a new id after each correction: the form starts again from the current row
    id: `gift-correct-${g.id}`,
    defaultValue: {
      giftId: g.id,
      description: g.description,
      quantity: String(g.quantity),
      valuationBasis: g.valuationBasis,
      value: fenToInput(g.valueFen),
      recipient: g.recipient,
      projectRef: g.project?.referenceNo ?? "",
    },
  });
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const recipientText = (h: (typeof d.history)[number]) => (h.project ? `${h.project.referenceNo} ${h.project.title}` : t(`partners.recipient.${h.recipient}`));
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={notice} />
      <p className="text-sm">
        <TextLink to={`/areas/${d.area.code}/partners`}>← {t("partners.correct.back")}</TextLink>
      </p>
      <PageTitle sub={t("partners.correct.subtitle")}>
        {localName(locale, d.area)} · {t("partners.correct.title")}
      </PageTitle>
      <p className="font-medium" data-testid="current-number">
        {t("partners.correct.current", { number: g.number })}
        {g.correctedOn ? <span className="ml-2 rounded bg-sky-100 px-2 py-0.5 text-sm text-sky-900">{t("partners.gift.correctedOn", { date: g.correctedOn })}</span> : null}
      </p>
      {g.withdrawn ? (
        <p role="status" className="rounded bg-slate-100 p-3">
          {t("partners.correct.withdrawn")}
        </p>
      ) : (
        <Section id="correct-h" title={t("partners.correct.title")} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="correct-panel">
          <p className="text-sm text-slate-700">
            {t("partners.gift.giver")}：{g.giver.name ?? t("partners.giver.anonymous")} · {t(`partners.kind.${g.kind}`)} · {t("partners.gift.receivedOn")}：{g.receivedOn}
          </p>
          <Form method="post" {...getFormProps(form)} className="space-y-3">
            <FormErrors form={form} />
            <input type="hidden" name="giftId" value={g.id} />
            <TextareaField meta={fields.description} label={t("partners.gift.description")} rows={2} />
            <TextField meta={fields.quantity} label={`${t("partners.gift.quantity")}（${g.unitLabel}）`} inputProps={{ inputMode: "numeric", autoComplete: "off" }} />
            <SelectField meta={fields.valuationBasis} label={t("partners.gift.basis")} options={VALUATION_BASES.map((b) => ({ value: b, label: t(`partners.basis.${b}`) }))} />
            <TextField meta={fields.value} label={t("partners.gift.valueYuan")} hint={t("partners.gift.valueHint")} inputProps={{ inputMode: "decimal", autoComplete: "off" }} />
            <SelectField meta={fields.recipient} label={t("partners.gift.recipient")} options={(["SHOP", "AREA", "PROJECT"] as const).map((r) => ({ value: r, label: t(`partners.recipient.${r}`) }))} />
            <SelectField meta={fields.projectRef} label={t("partners.gift.project")} placeholder="—" options={d.projects.map((p) => ({ value: p.referenceNo, label: `${p.referenceNo} ${p.title}` }))} />
            <TextareaField meta={fields.reason} label={t("partners.correct.reason")} rows={2} />
            <FormActions submit={t("partners.correct.submit")} />
          </Form>
        </Section>
      )}
      <Section id="history-h" title={t("partners.correct.history")} testId="gift-history">
        <ol className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
          {d.history.map((h, i) => (
            <li key={h.number} className="space-y-1 p-4 text-sm" data-testid="history-row">
              <p className="font-medium">
                No. {h.number} · {i === 0 ? t("partners.correct.original") : h.withdrawn ? t("partners.correct.withdrawal") : t("partners.correct.correction")} · {formatDateTime(locale, h.createdAt)}
              </p>
              <p>
                {h.description} · {formatNumber(locale, h.quantity)} {h.unitLabel} · {h.valueFen === null ? t("partners.basis.NONE") : `${formatFen(h.valueFen)}（${t(`partners.basis.${h.valuationBasis}`)}）`} · {recipientText(h)}
              </p>
              {h.reason ? <p className="text-slate-600">{h.reason}</p> : null}
            </li>
          ))}
        </ol>
      </Section>
    </div>
  );
}
