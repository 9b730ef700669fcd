import { Form } from "react-router";
import { CheckboxField, FormActions, FormErrors, getFormProps, replyFor, useZodForm } from "~/components/form";
import { EmptyState, Section } from "~/components/ui";
import { ReportSections, ReportVersions } from "~/components/report-view";
import type { Section as ReportSection } from "~/domain/reports";
import { ReportIntents } from "~/services/reports/report-intents";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";

type Draft = { title: { zh: string; en: string }; asOf: string; sections: ReportSection[]; contentHash: string };

/**
 * The officials' report page: generate a draft (the figures as of now, shown here and as a PDF
 * marked 草稿), then publish it behind a confirmation; the versions already published are listed.
 */
export function ReportAdmin({ actionData, published, draftPdf }: { actionData: unknown; published: Parameters<typeof ReportVersions>[0]["reports"]; draftPdf: string }) {
  const t = useT();
  const locale = useLocale();
  const draft = actionData && typeof actionData === "object" && "draft" in actionData ? (actionData as { draft: Draft }).draft : null;
  const [publishForm, fields] = useZodForm(ReportIntents, replyFor(actionData, "publish"), { id: "report-publish" });
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">{t("report.adminHint")}</p>
      <Form method="post" className="flex flex-wrap items-center gap-4">
        <FormActions submit={t("report.generate")} intent="generate" />
        <a href={draftPdf} className="text-sm text-brand-700 underline" data-testid="report-draft-pdf" download>
          {t("report.draftPdf")}
        </a>
      </Form>
      {draft ? (
        <div className="space-y-4 rounded-lg border-2 border-dashed border-amber-400 p-4" data-testid="report-draft">
          <h2 className="text-lg font-semibold">
            {t("report.draft")} · {locale === "en" ? draft.title.en : draft.title.zh}
          </h2>
          <p className="text-sm text-slate-600">{t("report.draftAsOf", { at: formatDateTime(locale, draft.asOf) })}</p>
          <ReportSections sections={draft.sections} />
          <p className="font-mono text-xs break-all text-slate-600">SHA-256 {draft.contentHash}</p>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(publishForm)} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-testid="report-publish-form">
        <h2 className="font-semibold">{t("report.publish")}</h2>
        <p className="text-sm text-slate-600">{t("report.publishHint")}</p>
        <FormErrors form={publishForm} />
        <CheckboxField meta={fields.confirm} label={t("report.confirmLabel")} />
        <FormActions submit={t("report.publishSubmit")} intent="publish" />
      </Form>
      <Section id="report-published-h" title={t("report.publishedList")}>
        {published.length ? <ReportVersions reports={published} /> : <EmptyState title={t("report.noneYet")} />}
      </Section>
    </div>
  );
}
