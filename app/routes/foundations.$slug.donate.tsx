import { getInputProps } from "@conform-to/react";
import { useState } from "react";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/foundations.$slug.donate";
import { DemoPaymentsBanner, DirectedAudienceLine, FundraisingLine } from "~/components/donation-form";
import { CheckboxField, ErrorList, ErrorSummary, FormActions, FormErrors, getFormProps, inputClass, TextareaField, TextField, useZodForm } from "~/components/form";
import { NoticeLink } from "~/components/privacy";
import { PageTitle, TextLink } from "~/components/ui";
import { DONATION_PRESETS_FEN, DONOR_NAME_MAX, DonationFormSchema, MONTHLY_METHODS, ONE_TIME_METHODS, type PaymentMethod } from "~/domain/donations";
import { fenToInput, formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { getViewer, requestOrigin } from "~/lib/session.server";
import { startCheckout } from "~/services/giving/checkout.server";
import { donatePage } from "~/services/giving/donor-pages.server";
import { requireDonateAccess } from "~/services/giving/invitations.server";

export async function loader({ params, request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const search = new URL(request.url).searchParams;
  // a fund without a public-fundraising filing: 404 unless the link carries a valid invitation
  const { directedTo } = await requireDonateAccess(params.slug, search.get("code"));
  const page = await donatePage(params.slug, { round: search.get("round"), project: search.get("project"), campaign: search.get("campaign") }, viewer);
  if (!page) throw data(null, { status: 404 });
  return { ...page, directedTo, canceled: search.get("canceled") === "1" };
}

export async function action({ params, request }: Route.ActionArgs) {
  const viewer = await getViewer(request);
  // the form posts to the page's own address, which carries the invitation's code
  const code = new URL(request.url).searchParams.get("code");
  await requireDonateAccess(params.slug, code);
  const submission = parseForm(await readForm(request), DonationFormSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const result = await startCheckout(viewer, params.slug, submission.value, resolveLocale(request, viewer), requestOrigin(request), code);
  // Stripe Checkout (an absolute URL) or, in demo payments mode, the local checkout page
  if (result.ok) return redirect(result.redirectTo);
  return problemReply(submission, result.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "donor.donate.metaTitle");

const METHOD_IDS: Record<PaymentMethod, string> = { card: "donate-method-card", alipay: "donate-method-alipay", wechat_pay: "donate-method-wechat" };

export default function Donate({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const [form, fields] = useZodForm(DonationFormSchema, actionData?.result, {
    id: "donate",
    defaultValue: { email: d.viewerEmail, frequency: "ONCE", method: "card" },
  });
  const [frequency, setFrequency] = useState<string>(fields.frequency.initialValue ?? "ONCE");
  const [method, setMethod] = useState<string>(fields.method.initialValue ?? "card");
  const monthly = frequency === "MONTHLY";
  const allowed = monthly ? MONTHLY_METHODS : ONE_TIME_METHODS;
  const chooseFrequency = (value: string) => {
    setFrequency(value);
    if (value === "MONTHLY" && !MONTHLY_METHODS.includes(method as PaymentMethod)) setMethod("card");
  };

  const { key: amountKey, ...amountProps } = getInputProps(fields.amount, { type: "text", ariaDescribedBy: "donate-amount-hint" });
  const { key: nameKey, ...nameProps } = getInputProps(fields.donorName, { type: "text", ariaDescribedBy: "donate-name-hint" });
  const currentAmount = fields.amount.value ?? fields.amount.initialValue ?? "";
  const foundationName = localName(locale, d.foundation);

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <nav aria-label={t("area.breadcrumb")} className="text-sm">
        <TextLink to={`/foundations/${d.foundation.slug}`}>{foundationName}</TextLink>
      </nav>
      <PageTitle sub={t("donor.donate.subtitle")}>{t("donor.donate.title", { foundation: foundationName })}</PageTitle>

      {d.demo ? <DemoPaymentsBanner /> : null}
      {d.canceled ? (
        <p role="status" className="rounded border border-slate-300 bg-slate-50 p-3 text-sm text-slate-900" data-testid="donate-canceled">
          {t("donor.donate.canceled")}
        </p>
      ) : null}

      <section aria-label={t("donor.field.purpose")} className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
        {d.earmarkError ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="earmark-error">
            {t(d.earmarkError)}
          </p>
        ) : null}
        <p data-testid="donate-purpose">
          {d.earmark?.kind === "project" ? (
            <Link to={`/projects/${d.earmark.referenceNo}`} className="underline">
              {t("donor.purpose.project", { ref: d.earmark.referenceNo, title: d.earmark.title })}
            </Link>
          ) : d.earmark?.kind === "round" ? (
            <Link to={`/rounds/${d.earmark.code}`} className="underline">
              {t("donor.purpose.round", { title: d.earmark.title })}
            </Link>
          ) : (
            t("donor.donate.general")
          )}
        </p>
        {d.campaignError ? (
          <p role="alert" className="text-sm text-red-900">
            {t("donor.campaign.unknown")}
          </p>
        ) : null}
        {d.campaign ? (
          <div className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950" data-testid="donate-matching">
            <p className="font-medium">
              {d.campaign.remainingFen > 0
                ? t("donor.campaign.match", {
                    ratio: `${d.campaign.ratioSponsor}:${d.campaign.ratioDonor}`,
                    sponsor: d.campaign.sponsorName,
                    remaining: formatFen(d.campaign.remainingFen),
                  })
                : t("donor.campaign.poolEmpty", { title: locale === "en" ? d.campaign.titleEn : d.campaign.titleZh })}
            </p>
            {d.campaign.remainingFen > 0 && d.campaign.perDonationCapFen ? <p>{t("donor.campaign.cap", { cap: formatFen(d.campaign.perDonationCapFen) })}</p> : null}
            <Link to={`/campaigns/${d.campaign.slug}`} className="underline">
              {t("donor.campaign.link")}
            </Link>
          </div>
        ) : null}
        <div className="text-sm">
          <span className="text-slate-600">{t("donor.donate.fundraising")}：</span>
          <FundraisingLine status={d.fundraising} />
        </div>
        {d.directedTo ? <DirectedAudienceLine audience={d.directedTo} /> : null}
      </section>

      <Form method="post" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <ErrorSummary lastResult={actionData?.result} />
        <FormErrors form={form} />
        {d.carry.roundId ? <input type="hidden" name="roundId" value={d.carry.roundId} /> : null}
        {d.carry.projectId ? <input type="hidden" name="projectId" value={d.carry.projectId} /> : null}
        {d.carry.campaignId ? <input type="hidden" name="campaignId" value={d.carry.campaignId} /> : null}

        <div>
          <label htmlFor={fields.amount.id} className="block text-sm font-medium text-slate-800">
            {t("donor.form.amount")}
            <span className="ml-1 text-red-800" aria-hidden="true">
              *
            </span>
            <span className="sr-only"> ({t("common.required")})</span>
          </label>
          <div role="group" aria-label={t("donor.form.presets")} className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-6">
            {DONATION_PRESETS_FEN.map((fen) => {
              const value = fenToInput(fen);
              return (
                <button
                  key={fen}
                  type="button"
                  aria-pressed={currentAmount === value}
                  onClick={() => form.update({ name: fields.amount.name, value })}
                  className="rounded border border-brand-700 px-2 py-2 text-sm font-medium text-brand-800 tabular-nums aria-pressed:bg-brand-700 aria-pressed:text-white"
                >
                  {formatFen(fen).replace(/\.00$/, "")}
                </button>
              );
            })}
          </div>
          <input key={amountKey} {...amountProps} inputMode="decimal" autoComplete="off" className={inputClass} />
          <p id="donate-amount-hint" className="mt-1 text-sm text-slate-600">
            {t("donor.form.amount.hint")}
          </p>
          <ErrorList id={fields.amount.errorId} errors={fields.amount.errors} />
        </div>

        <fieldset aria-describedby="donate-monthly-hint">
          <legend className="block text-sm font-medium text-slate-800">{t("donor.field.frequency")}</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {(["ONCE", "MONTHLY"] as const).map((f) => (
              <label key={f} className="flex items-center gap-2">
                <input type="radio" name={fields.frequency.name} value={f} checked={frequency === f} onChange={() => chooseFrequency(f)} className="h-4 w-4" />
                {t(`donor.frequency.${f}`)}
              </label>
            ))}
          </div>
          <p id="donate-monthly-hint" className={`mt-1 text-sm ${monthly ? "font-medium text-slate-900" : "text-slate-600"}`} data-testid="monthly-card-only">
            {t("donor.form.frequency.monthlyHint")}
          </p>
          <ErrorList id={fields.frequency.errorId} errors={fields.frequency.errors} />
        </fieldset>

        <fieldset aria-describedby={[fields.method.errors ? fields.method.errorId : "", monthly ? "donate-method-monthly" : ""].filter(Boolean).join(" ") || undefined}>
          <legend className="block text-sm font-medium text-slate-800">{t("donor.field.method")}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-3">
            {ONE_TIME_METHODS.map((m) => {
              const off = !allowed.includes(m);
              return (
                <div key={m} className={`flex items-center gap-2 rounded border px-3 py-2 ${off ? "border-slate-200 text-slate-400" : "border-slate-400"}`}>
                  <input
                    id={METHOD_IDS[m]}
                    type="radio"
                    name={fields.method.name}
                    value={m}
                    checked={method === m}
                    disabled={off}
                    onChange={() => setMethod(m)}
                    className="h-4 w-4"
                  />
                  <label htmlFor={METHOD_IDS[m]} className="flex-1">
                    {t(`donation.method.${m}`)}
                  </label>
                </div>
              );
            })}
          </div>
          {monthly ? (
            <p id="donate-method-monthly" className="mt-1 text-sm text-slate-700">
              {t("donor.form.method.monthlyOff")}
            </p>
          ) : null}
          <ErrorList id={fields.method.errorId} errors={fields.method.errors} />
        </fieldset>

        <div className="space-y-3">
          <div>
            <label htmlFor={fields.donorName.id} className="block text-sm font-medium text-slate-800">
              {t("donor.form.donorName")}
            </label>
            <input key={nameKey} {...nameProps} maxLength={DONOR_NAME_MAX} autoComplete="name" className={inputClass} />
            <p id="donate-name-hint" className="mt-1 text-sm text-slate-600">
              {t("donor.form.donorName.hint")}
            </p>
            <ErrorList id={fields.donorName.errorId} errors={fields.donorName.errors} />
          </div>
        </div>

        <TextareaField meta={fields.message} label={t("donor.form.message")} hint={t("donor.form.message.hint")} rows={3} />
        <TextField meta={fields.email} type="email" label={t("donor.form.email")} hint={t("donor.form.email.hint")} inputProps={{ autoComplete: "email" }} />

        <div className="space-y-2 rounded border border-slate-300 bg-slate-50 p-4 text-sm">
          <div id="donate-privacy" className="space-y-2">
            <h2 className="font-medium text-slate-900">{t("donor.form.privacy")}</h2>
            <p data-testid="stripe-notice">{t("donor.form.privacy.stripe")}</p>
            <p>{t("donor.form.privacy.use")}</p>
          </div>
          <CheckboxField meta={fields.consent} label={t("donor.form.consent")} describedBy="donate-privacy">
            <NoticeLink />
          </CheckboxField>
        </div>

        <fieldset className="space-y-2 rounded border border-slate-300 p-4 text-sm" data-testid="donate-naming">
          <legend className="px-1 font-medium text-slate-900">{t("donor.form.naming")}</legend>
          <CheckboxField meta={fields.publicNaming} label={t("donor.form.naming.consent")} hint={t("donor.form.naming.off")} />
        </fieldset>

        <FormActions submit={t("donor.form.submit")} cancelTo={`/foundations/${d.foundation.slug}`} />
      </Form>
    </div>
  );
}
