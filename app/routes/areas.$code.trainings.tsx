import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/areas.$code.trainings";
import { CheckboxField, FormActions, FormErrors, getFormProps, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { EmptyState, PageTitle, Section, TextLink } from "~/components/ui";
import { TrainingTime } from "~/components/training";
import { TrainingSchema, TRAINING_AUDIENCES, type TrainingAudience } from "~/domain/trainings";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { areaTrainings, publishTraining } from "~/services/trainings/trainings.server";

/**
 * An area's trainings (能力培训): the upcoming ones with their seats left, public (never who signed
 * up); for its officials also the past ones and the form to publish a training.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  return { ...(await areaTrainings(params.code, viewer)), signedIn: !!viewer };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), TrainingSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  // publishing refuses (403) anyone who is not an official of this area
  const r = await publishTraining(viewer, params.code, submission.value);
  if (!r.ok) return problemReply(submission, r.problem);
  throw redirect(`/trainings/${r.number}`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "trainings.title");

type Row = Awaited<ReturnType<typeof areaTrainings>>["upcoming"][number];

function TrainingList({ rows, testId, empty }: { rows: Row[]; testId: string; empty: string }) {
  const t = useT();
  const locale = useLocale();
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.number} className="space-y-1 p-4">
          <p className="flex flex-wrap items-baseline gap-x-3">
            <Link to={`/trainings/${r.number}`} className="font-medium underline">
              {r.topic}
            </Link>
            {r.required ? <span className="rounded bg-amber-100 px-2 text-xs text-amber-900">{t("trainings.required")}</span> : null}
            {r.cancelled ? (
              <span className="rounded bg-slate-200 px-2 text-xs text-slate-800" data-testid="training-cancelled">
                {t("trainings.cancelled")}
              </span>
            ) : null}
          </p>
          <p className="text-sm text-slate-700">
            <TrainingTime startsAt={r.startsAt} endsAt={r.endsAt} /> · {r.place ?? t("trainings.online")}
          </p>
          <p className="text-sm text-slate-600">
            {t("trainings.trainerIs", { trainer: r.trainer })} · {t(`trainings.audience.${r.audience}`)}
            {r.round ? ` ${r.round.code}` : ""}
            {r.cancelled ? null : ` · ${t("trainings.seats", { left: formatNumber(locale, r.seatsLeft), capacity: formatNumber(locale, r.capacity) })}`}
          </p>
        </li>
      ))}
    </ul>
  );
}

export default function AreaTrainings({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const [form, fields] = useZodForm(TrainingSchema, replyFor(actionData, ""), { id: "publish-training", defaultValue: { audience: "ALL_ORGANIZATIONS" } });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${d.area.code}`}>← {localName(locale, d.area)}</TextLink>
      </p>
      <PageTitle sub={t("trainings.subtitle")}>
        {localName(locale, d.area)} · {t("trainings.title")}
      </PageTitle>
      <Section id="upcoming-h" title={t("trainings.upcoming")}>
        <TrainingList rows={d.upcoming} testId="upcoming-trainings" empty={t("trainings.emptyUpcoming")} />
      </Section>
      {d.official ? (
        <>
          <Section id="past-h" title={t("trainings.past")}>
            <TrainingList rows={d.past} testId="past-trainings" empty={t("trainings.emptyPast")} />
          </Section>
          <Section id="publish-h" title={t("trainings.form.title")} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="publish-training">
            <Form method="post" {...getFormProps(form)} className="space-y-3">
              <FormErrors form={form} />
              <TextField meta={fields.topic} label={t("trainings.form.topic")} />
              <TextField meta={fields.trainer} label={t("trainings.form.trainer")} />
              <TextareaField meta={fields.description} label={t("trainings.form.description")} rows={3} />
              <TextField meta={fields.startsAt} label={t("trainings.form.startsAt")} type="datetime-local" hint={t("trainings.form.timeHint")} />
              <TextField meta={fields.endsAt} label={t("trainings.form.endsAt")} type="datetime-local" hint={t("trainings.form.timeHint")} />
              <TextField meta={fields.place} label={t("trainings.form.place")} hint={t("trainings.form.whereHint")} />
              <TextField meta={fields.onlineUrl} label={t("trainings.form.onlineUrl")} type="url" />
              <TextField meta={fields.capacity} label={t("trainings.form.capacity")} type="number" inputProps={{ min: 1, inputMode: "numeric" }} />
              <SelectField meta={fields.audience} label={t("trainings.form.audience")} options={TRAINING_AUDIENCES.map((a: TrainingAudience) => ({ value: a, label: t(`trainings.audience.${a}`) }))} />
              <SelectField
                meta={fields.roundCode}
                label={t("trainings.form.round")}
                hint={t("trainings.form.roundHint")}
                placeholder={t("trainings.form.noRound")}
                options={d.rounds.map((r) => ({ value: r.code, label: `${r.code} ${r.title}` }))}
              />
              <CheckboxField meta={fields.requiredForGrantees} label={t("trainings.form.required")} />
              <FormActions submit={t("trainings.form.submit")} />
            </Form>
          </Section>
        </>
      ) : null}
    </div>
  );
}
