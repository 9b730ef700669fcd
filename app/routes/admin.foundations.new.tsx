import { Form, redirect } from "react-router";
import type { Route } from "./+types/admin.foundations.new";
import { ErrorSummary, FormActions, FormErrors, getFormProps, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { PageTitle, TextLink } from "~/components/ui";
import { FoundationFormSchema } from "~/domain/funds";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { checkFoundation, createFoundation, fundAreaOptions } from "~/services/giving/funds.server";
import { fundScope } from "~/services/giving/access.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  fundScope(viewer);
  return { areas: await fundAreaOptions(viewer) };
}

/** One step: every problem of the form and of the database (area, slug, prefix taken) comes back at once, with what was typed. */
export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  fundScope(viewer);
  const submission = parseForm(await readForm(request), FoundationFormSchema);
  if (submission.status !== "success") {
    // the database's problems too (a prefix already taken), not only once the form's are fixed
    const checked = await checkFoundation(viewer, submission.payload);
    return checked.ok ? invalidSubmission(submission) : problemReply(submission, checked.problem);
  }
  const r = await createFoundation(viewer, submission.value);
  if (r.ok) return redirect(`/admin/foundations/${encodeURIComponent(r.slug)}/money?created=1`);
  return problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "funds.create.title");

export default function NewFoundation({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useZodForm(FoundationFormSchema, actionData?.result, { id: "new-foundation" });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav className="text-sm">
        <TextLink to="/admin/foundations">{t("funds.list.title")}</TextLink>
      </nav>
      <PageTitle sub={t("funds.create.subtitle")}>{t("funds.create.title")}</PageTitle>
      <Form method="post" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <ErrorSummary lastResult={actionData?.result} />
        <FormErrors form={form} />
        <fieldset className="space-y-4">
          <legend className="text-lg font-semibold">{t("funds.create.section.about")}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.nameZh} label={t("funds.field.nameZh")} />
            <TextField meta={fields.nameEn} label={t("funds.field.nameEn")} hint={t("funds.field.nameEnHint")} />
          </div>
          <SelectField
            meta={fields.areaId}
            label={t("funds.field.areaId")}
            placeholder={t("funds.field.areaChoose")}
            options={loaderData.areas.map((a) => ({ value: a.id, label: `${"　".repeat(a.depth)}${localName(locale, a)}（${t(`area.level.${a.level}`)}）` }))}
          />
          <TextField meta={fields.slug} label={t("funds.field.slug")} hint={t("funds.field.slugHint")} inputProps={{ autoCapitalize: "none", spellCheck: false }} />
          <TextareaField meta={fields.descriptionZh} label={t("funds.field.descriptionZh")} rows={3} />
          <TextareaField meta={fields.descriptionEn} label={t("funds.field.descriptionEn")} rows={3} />
        </fieldset>
        <fieldset className="space-y-4">
          <legend className="text-lg font-semibold">{t("funds.create.section.receipts")}</legend>
          <TextField meta={fields.receiptPrefix} label={t("funds.field.receiptPrefix")} hint={t("funds.field.receiptPrefixHint")} inputProps={{ autoCapitalize: "characters", spellCheck: false, maxLength: 8 }} />
          <SelectField
            meta={fields.filing}
            label={t("funds.field.filing")}
            placeholder={t("funds.field.filingChoose")}
            options={[
              { value: "filed", label: t("funds.field.filing.filed") },
              { value: "none", label: t("funds.field.filing.none") },
            ]}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.fundraisingFilingNo} label={t("funds.field.filingNo")} hint={t("funds.field.filingNoHint")} />
            <TextField meta={fields.fundraisingEntity} label={t("funds.field.entity")} />
          </div>
        </fieldset>
        <FormActions submit={t("funds.create.submit")} cancelTo="/admin/foundations" />
      </Form>
    </div>
  );
}
