import { getInputProps } from "@conform-to/react";
import { Form, redirect } from "react-router";
import type { Route } from "./+types/admin.foundations.$slug.campaigns.new";
import { ConfirmSubmit, ErrorSummary, FieldFrame, FormErrors, SubmitButton, getFormProps, inputClass, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { TextLink } from "~/components/ui";
import { PageTitle } from "~/components/ui";
import { CampaignFormSchema, CampaignIntents } from "~/domain/campaigns";
import { formatFen } from "~/domain/money";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { requireFoundationManager } from "~/services/giving/access.server";
import { createCampaign, reviewCampaign } from "~/services/giving/manage.server";

/** "YYYY-MM-DDTHH:mm" of an instant in Asia/Shanghai (UTC+8, no daylight saving): a datetime-local value. */
const shanghaiLocal = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const foundation = await requireFoundationManager(viewer, params.slug);
  // a round hour from the next hour on, for 30 days
  const start = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000);
  return {
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn, directed: !foundation.fundraisingFilingNo || !foundation.fundraisingEntity },
    defaults: { startsAt: shanghaiLocal(start), endsAt: shanghaiLocal(new Date(start.getTime() + 30 * 86_400_000)), ratioSponsor: "1", ratioDonor: "1" },
  };
}

/**
 * Two steps over the same fields: "review" checks everything and asks for the confirmation
 * (nothing is written); "create" — the confirmation's button — creates the campaign and books its
 * pool, checking everything again.
 */
export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  await requireFoundationManager(viewer, params.slug);
  const submission = parseForm(await readForm(request), CampaignIntents);
  if (submission.status !== "success") return invalidSubmission(submission, { confirm: null });
  const v = submission.value;
  switch (v.intent) {
    case "review": {
      const r = await reviewCampaign(viewer, params.slug, v);
      if (!r.ok) return problemReply(submission, r.problem, { confirm: null });
      return { intent: v.intent, result: submission.reply(), confirm: { poolFen: r.poolFen } };
    }
    case "create": {
      const r = await createCampaign(viewer, params.slug, v);
      if (r.ok) return redirect(`/campaigns/${encodeURIComponent(r.campaignSlug)}`);
      return problemReply(submission, r.problem, { confirm: null });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "campaignNew.title");

export default function NewCampaign({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { foundation, defaults } = loaderData;
  const [form, fields] = useZodForm(CampaignFormSchema, actionData?.result, { id: "new-campaign", defaultValue: defaults });
  const confirm = actionData?.confirm ?? null;
  const dateTime = (meta: typeof fields.startsAt, label: string) => {
    const { key, ...props } = getInputProps(meta, { type: "datetime-local", ariaDescribedBy: `${meta.id}-hint` });
    return (
      <FieldFrame meta={meta} label={label} hint={t("campaignNew.field.timeHint")}>
        <input key={key} {...props} className={inputClass} />
      </FieldFrame>
    );
  };
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageTitle sub={t("campaignNew.subtitle")}>{t("campaignNew.title")}</PageTitle>
      {foundation.directed ? (
        <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {t("campaignNew.directed")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <ErrorSummary lastResult={actionData?.result} />
        <FormErrors form={form} />

        <fieldset className="space-y-4">
          <legend className="text-lg font-semibold">{t("campaignNew.section.about")}</legend>
          <TextField meta={fields.slug} label={t("campaignNew.field.slug")} hint={t("campaignNew.field.slugHint")} inputProps={{ autoCapitalize: "none", spellCheck: false }} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.titleZh} label={t("campaignNew.field.titleZh")} />
            <TextField meta={fields.titleEn} label={t("campaignNew.field.titleEn")} hint={t("campaignNew.field.titleEnHint")} />
          </div>
          <TextareaField meta={fields.descriptionZh} label={t("campaignNew.field.descriptionZh")} rows={4} />
          <TextareaField meta={fields.descriptionEn} label={t("campaignNew.field.descriptionEn")} rows={4} />
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-semibold">{t("campaignNew.section.sponsor")}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.sponsorName} label={t("campaignNew.field.sponsorName")} />
            <SelectField
              meta={fields.sponsorKind}
              label={t("campaignNew.field.sponsorKind")}
              placeholder={t("campaignNew.field.sponsorKindChoose")}
              options={[
                { value: "GOVERNMENT", label: t("campaignPage.sponsorKind.GOVERNMENT") },
                { value: "COMPANY", label: t("campaignPage.sponsorKind.COMPANY") },
              ]}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.ratioSponsor} type="number" label={t("campaignNew.field.ratioSponsor")} inputProps={{ min: 1, max: 100, step: 1 }} />
            <TextField meta={fields.ratioDonor} type="number" label={t("campaignNew.field.ratioDonor")} inputProps={{ min: 1, max: 100, step: 1 }} />
          </div>
          <p className="text-sm text-slate-600">{t("campaignNew.field.ratioHint")}</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.pool} label={t("campaignNew.field.pool")} hint={t("campaignNew.field.poolHint")} inputProps={{ inputMode: "decimal" }} />
            <TextField meta={fields.perDonationCap} label={t("campaignNew.field.cap")} hint={t("campaignNew.field.capHint")} inputProps={{ inputMode: "decimal" }} />
          </div>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-semibold">{t("campaignNew.section.window")}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            {dateTime(fields.startsAt, t("campaignNew.field.startsAt"))}
            {dateTime(fields.endsAt, t("campaignNew.field.endsAt"))}
          </div>
          <TextField meta={fields.eligibleProjects} label={t("campaignNew.field.projects")} hint={t("campaignNew.field.projectsHint")} />
        </fieldset>

        {/* review first: Enter in a field reviews, only the confirmation's button books the pool */}
        <div className="flex flex-wrap items-center gap-4">
          <SubmitButton name="intent" value="review">
            {t("campaignNew.review")}
          </SubmitButton>
          <TextLink to={`/admin/foundations/${foundation.slug}`} className="text-sm">
            {t("common.cancel")}
          </TextLink>
        </div>
        {confirm ? (
          <ConfirmSubmit label={t("campaignNew.submit")} question={t("campaignNew.confirm.question")} confirm={t("campaignNew.confirm.submit")} intent="create" open>
            <p className="my-2 font-semibold tabular-nums" data-testid="confirm-pool">
              {t("campaignNew.confirm.amount", { amount: formatFen(confirm.poolFen) })}
            </p>
          </ConfirmSubmit>
        ) : null}
      </Form>
    </div>
  );
}
