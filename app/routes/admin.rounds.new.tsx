import { DEFAULT_MIN_SCORE } from "~/domain/allocation";
import { DEFAULT_DISAGREEMENT_RANGE } from "~/domain/ranking";
import { Form, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.new";
import { FormActions, getFormProps, useZodForm } from "~/components/form";
import { FormProblems, RoundField, type RoundFormValues, roundInputClass, RoundSettingsFields, RoundStepSection, RoundSteps } from "~/components/round-form";
import { PageTitle, TextLink } from "~/components/ui";
import { fenToInput, formatFen } from "~/domain/money";
import {
  CreateRoundFormSchema,
  CreateRoundSchema,
  DEFAULT_CATEGORIES,
  DEFAULT_JUDGES_PER_PROPOSAL,
  DEFAULT_LABOUR_CAP_PERCENT,
  DEFAULT_MAX_AWARD_FEN,
  DEFAULT_MAX_PROPOSALS_PER_ORG,
  DEFAULT_MIN_AWARD_FEN,
  DEFAULT_NOTICE_DAYS,
  DEFAULT_RUBRIC,
  DEFAULT_TRANCHE_SCHEDULE,
  DEFAULT_WEIGHTS,
  budgetCapFormRows,
  defaultDates,
  toDateInput,
} from "~/domain/rounds";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { createRound, roundFormOptions } from "~/services/rounds/rounds.server";

/** A new round starts from the defaults of the Danghu rules (domain/rounds.ts) and a workable timetable. */
function defaultValues(): RoundFormValues {
  return {
    poolFen: "",
    minAwardFen: fenToInput(DEFAULT_MIN_AWARD_FEN),
    maxAwardFen: fenToInput(DEFAULT_MAX_AWARD_FEN),
    categories: DEFAULT_CATEGORIES.map((c) => ({ ...c })),
    rubric: DEFAULT_RUBRIC.map((c) => ({ ...c, maxPoints: String(c.maxPoints) })),
    judgesPerProposal: String(DEFAULT_JUDGES_PER_PROPOSAL),
    weightReview: String(DEFAULT_WEIGHTS.weightReview),
    weightRoadshow: String(DEFAULT_WEIGHTS.weightRoadshow),
    weightPublicVote: String(DEFAULT_WEIGHTS.weightPublicVote),
    noticeDays: String(DEFAULT_NOTICE_DAYS),
    disagreementRange: String(DEFAULT_DISAGREEMENT_RANGE),
    minScore: String(DEFAULT_MIN_SCORE),
    trancheSchedule: DEFAULT_TRANCHE_SCHEDULE.map((s) => ({ percent: String(s.percent), trigger: s.trigger })),
    labourCapPercent: String(DEFAULT_LABOUR_CAP_PERCENT),
    budgetCaps: budgetCapFormRows([]),
    maxProposalsPerOrg: String(DEFAULT_MAX_PROPOSALS_PER_ORG),
    // a new round takes as topics only needs the community has deliberated (三议)
    requiresDeliberation: "on",
    ...defaultDates(toDateInput(new Date())),
  };
}

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { options: await roundFormOptions(viewer), defaults: defaultValues() };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), CreateRoundSchema);
  // the form is drawn from what was typed (rows included), not from Conform's fields
  const values = submission.payload as RoundFormValues;
  if (submission.status !== "success") return invalidSubmission(submission, { values });
  const created = await createRound(viewer, submission.value);
  if (!created.ok) return problemReply(submission, created.problem, { values });
  // a pool drawn on a higher area's fund is only requested: the page says it waits for approval
  return redirect(`/admin/rounds/${created.code}?${created.poolDrawId ? "requested" : "created"}=1`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "rounds.new.title");

export default function NewRound({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const values = actionData?.values ?? loaderData.defaults;
  // Conform is told the values the inputs start with, so that a form reset returns to them
  const [form] = useZodForm(CreateRoundFormSchema, actionData?.result, { id: "new-round", defaultValue: loaderData.defaults });
  const errors = form.allErrors;
  const { areas, foundations } = loaderData.options;
  const select = (name: "areaId" | "foundationId", options: { value: string; label: string }[], placeholder: string) => (
    <RoundField formId={form.id} name={name} label={t(`rounds.field.${name}`)} errors={errors[name]} required>
      {(p) => (
        <select {...p} name={name} defaultValue={String(values[name] ?? "")} className={roundInputClass}>
          <option value="">{placeholder}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </RoundField>
  );
  return (
    <div className="mx-auto max-w-3xl">
      <nav className="mb-2 text-sm">
        <TextLink to="/admin/rounds">{t("rounds.admin.title")}</TextLink>
      </nav>
      <PageTitle sub={t("rounds.new.subtitle")}>{t("rounds.new.title")}</PageTitle>
      {/* one form in five steps (sections reached from the step list): it works without JavaScript
          and keeps everything typed when the server refuses it */}
      <Form method="post" {...getFormProps(form)} className="space-y-6">
        <RoundSteps />
        <FormProblems status={actionData?.result?.status} formErrors={form.errors} />
        <RoundSettingsFields
          formId={form.id}
          steps
          values={values}
          errors={errors}
          head={
            <>
              <RoundField formId={form.id} name="code" label={t("rounds.field.code")} hint={t("rounds.field.code.hint")} errors={errors.code} required>
                {(p) => <input {...p} name="code" defaultValue={String(values.code ?? "")} maxLength={10} autoCapitalize="characters" spellCheck={false} className={roundInputClass} />}
              </RoundField>
              {select(
                "areaId",
                areas.map((a) => ({ value: a.id, label: `${"　".repeat(Math.max(0, a.depth - 2))}${localName(locale, a)}（${t(`area.level.${a.level}`)}）` })),
                t("rounds.field.areaId.placeholder"),
              )}
              {select(
                "foundationId",
                foundations.map((f) => ({
                  value: f.id,
                  label: t(f.needsApproval ? "rounds.field.foundation.needsApproval" : "rounds.field.foundation.available", { name: localName(locale, f), amount: formatFen(f.availableFen) }),
                })),
                t("rounds.field.foundationId.placeholder"),
              )}
              <RoundField formId={form.id} name="budgetLineNo" label={t("rounds.field.budgetLineNo")} hint={t("rounds.field.budgetLineNo.hint")} errors={errors.budgetLineNo}>
                {(p) => <input {...p} name="budgetLineNo" defaultValue={String(values.budgetLineNo ?? "")} maxLength={60} className={roundInputClass} />}
              </RoundField>
            </>
          }
        />
        <RoundStepSection step="review">
          <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm sm:p-6">
            <p className="text-sm text-slate-700">{t("rounds.steps.reviewHint")}</p>
            <FormActions submit={t("rounds.new.submit")} cancelTo="/admin/rounds" />
          </div>
        </RoundStepSection>
      </Form>
    </div>
  );
}
