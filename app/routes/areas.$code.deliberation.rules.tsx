import type { FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form } from "react-router";
import type { Route } from "./+types/areas.$code.deliberation.rules";
import { FormActions, FormErrors, getFormProps, replyFor, SelectField, TextField, useZodForm } from "~/components/form";
import { DeliberationSettingsFrame, useRulesText } from "~/components/matter-steps";
import { Section } from "~/components/ui";
import { rulesFormValues, RulesIntents } from "~/domain/deliberation";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { communityRules, setCommunityRules } from "~/services/deliberation/deliberation.server";

/** The community's voting rules: its officials set them; anyone else gets 403. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return communityRules(await requireViewer(request), params.code);
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), RulesIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await setCommunityRules(viewer, params.code, submission.value);
  return r.ok ? { intent: "rules", result: submission.reply(), notice: "deliberation.rulesForm.saved" } : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "deliberation.rulesForm.title");

const numeric = { inputMode: "numeric" as const, autoComplete: "off" };

/** One threshold of the rules: "more than" or "at least", and the fraction. */
function ThresholdFieldset({ legend, fields: [comparison, num, den], children }: { legend: string; fields: [FieldMetadata<unknown>, FieldMetadata<unknown>, FieldMetadata<unknown>]; children?: ReactNode }) {
  const t = useT();
  const comparisons = [
    { value: "MORE_THAN", label: t("deliberation.rulesForm.moreThan") },
    { value: "AT_LEAST", label: t("deliberation.rulesForm.atLeast") },
  ];
  return (
    <fieldset className="space-y-2">
      <legend className="font-medium">{legend}</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField meta={comparison} label={t("deliberation.rulesForm.comparison")} options={comparisons} />
        <TextField meta={num} label={t("deliberation.rulesForm.num")} inputProps={numeric} />
        <TextField meta={den} label={t("deliberation.rulesForm.den")} inputProps={numeric} />
      </div>
      {children}
    </fieldset>
  );
}

export default function CommunityRules({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const rulesText = useRulesText();
  const { area, rules, own } = loaderData;
  const [form, fields] = useZodForm(RulesIntents, replyFor(actionData, "rules"), { id: "deliberation-rules", defaultValue: rulesFormValues(rules) });
  return (
    <DeliberationSettingsFrame area={area} title={t("deliberation.rulesForm.title")} hint={t("deliberation.rulesForm.hint")} done={actionData && "notice" in actionData ? actionData.notice : null}>
      <p className="text-sm text-slate-700" data-testid="current-rules">
        {rulesText(rules)} {own ? null : t("deliberation.rulesForm.defaults")}
      </p>
      <Section id="rules-h" title={t("deliberation.rulesForm.set")} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="rules-panel">
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors form={form} />
          <ThresholdFieldset legend={t("deliberation.rulesForm.quorum")} fields={[fields.quorumComparison, fields.quorumNum, fields.quorumDen]} />
          <ThresholdFieldset legend={t("deliberation.rulesForm.majority")} fields={[fields.majorityComparison, fields.majorityNum, fields.majorityDen]}>
            <SelectField
              meta={fields.majorityOf}
              label={t("deliberation.rulesForm.majorityOf")}
              options={[
                { value: "PRESENT", label: t("deliberation.rules.ofPresent") },
                { value: "VOTES_CAST", label: t("deliberation.rules.ofVotesCast") },
              ]}
            />
          </ThresholdFieldset>
          <FormActions submit={t("deliberation.rulesForm.submit")} intent="rules" />
        </Form>
      </Section>
    </DeliberationSettingsFrame>
  );
}
