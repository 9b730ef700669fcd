import { Form } from "react-router";
import type { Route } from "./+types/organizations.$id.incubation";
import { FormActions, FormErrors, getFormProps, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { Done, EmptyState, Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { IncubationIntents, nextStage, type IncubationStage } from "~/domain/incubation";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { rowId } from "~/lib/params.server";
import { requireViewer } from "~/lib/session.server";
import { incubationAction, incubationPage } from "~/services/trainings/incubation.server";

/**
 * An organization's incubation (培育孵化): stage and its dates, goals, mentor, and the mentoring
 * log. Its members, its mentor and the officials of its area see it (404 for anyone else); the
 * officials take it in, move it on and assign the mentor; the mentor and officials write the log.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return incubationPage(rowId(params.id), viewer);
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), IncubationIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  // each intent checks the viewer against this organization's incubation
  const r = await incubationAction(viewer, rowId(params.id), v);
  return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: `incubation.done.${v.intent}` } : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "incubation.title");

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";

export default function IncubationPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const d = loaderData;
  const inc = d.incubation;
  const mentorOptions = d.mentors.map((m) => ({ value: m.id, label: m.name }));
  const [enterForm, enterFields] = useZodForm(IncubationIntents, replyFor(actionData, "enter"), { id: "incubation-enter", defaultValue: { enteredOn: d.today } });
  const [advanceForm, advanceFields] = useZodForm(IncubationIntents, replyFor(actionData, "advance"), { id: "incubation-advance", defaultValue: { on: d.today } });
  const [mentorForm, mentorFields] = useZodForm(IncubationIntents, replyFor(actionData, "mentor"), { id: "incubation-mentor", defaultValue: { mentorId: inc?.mentorId ?? "" } });
  const [logForm, logFields] = useZodForm(IncubationIntents, replyFor(actionData, "log"), { id: "incubation-log", defaultValue: { heldOn: d.today } });
  const next = inc ? nextStage(inc.stage) : null;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="text-sm">
        <TextLink to={`/organizations/${d.organization.id}`}>← {d.organization.name}</TextLink>
      </p>
      <PageTitle sub={t("incubation.subtitle")}>
        {d.organization.name} · {t("incubation.title")}
      </PageTitle>

      {inc ? (
        <dl className="grid gap-3 sm:grid-cols-2" data-testid="incubation-facts">
          <Fact label={t("incubation.stage")}>
            <span data-testid="incubation-stage">{t(`incubation.stages.${inc.stage}`)}</span>
          </Fact>
          <Fact label={t("incubation.mentor")}>{inc.mentor ?? t("incubation.noMentor")}</Fact>
          <Fact label={t("incubation.stages.ENTERED")}>{inc.enteredOn}</Fact>
          <Fact label={t("incubation.stages.NURTURING")}>{inc.nurturingOn ?? "—"}</Fact>
          <Fact label={t("incubation.stages.GRADUATED")}>{inc.graduatedOn ?? "—"}</Fact>
          <Fact label={t("incubation.goals")}>
            <span className="whitespace-pre-line">{inc.goals}</span>
          </Fact>
        </dl>
      ) : (
        <EmptyState>{t("incubation.notIncubated")}</EmptyState>
      )}

      {d.official && !inc ? (
        <Section id="enter-h" title={t("incubation.enter.title")} className={panel} testId="incubation-enter">
          <Form method="post" {...getFormProps(enterForm)} className="space-y-3">
            <FormErrors form={enterForm} />
            <TextField meta={enterFields.enteredOn} label={t("incubation.enter.on")} type="date" />
            <TextareaField meta={enterFields.goals} label={t("incubation.goals")} rows={3} />
            <SelectField meta={enterFields.mentorId} label={t("incubation.mentor")} placeholder={t("incubation.noMentor")} options={mentorOptions} hint={t("incubation.mentorHint")} />
            <FormActions submit={t("incubation.enter.submit")} intent="enter" />
          </Form>
        </Section>
      ) : null}

      {d.official && inc ? (
        <Section id="manage-h" title={t("incubation.manage")} className={panel}>
          {next ? (
            <Form method="post" {...getFormProps(advanceForm)} className="space-y-3">
              <FormErrors form={advanceForm} />
              <input type="hidden" name="to" value={next} />
              <TextField meta={advanceFields.on} label={t("incubation.advance.on", { stage: t(`incubation.stages.${next as IncubationStage}`) })} type="date" />
              <FormActions submit={t(`incubation.advance.to${next}`)} intent="advance" />
            </Form>
          ) : (
            <p className="text-sm">{t("incubation.graduated")}</p>
          )}
          <Form method="post" {...getFormProps(mentorForm)} className="space-y-3">
            <FormErrors form={mentorForm} />
            <SelectField meta={mentorFields.mentorId} label={t("incubation.mentor")} placeholder={t("incubation.noMentor")} options={mentorOptions} hint={t("incubation.mentorHint")} />
            <FormActions submit={t("incubation.mentorSave")} intent="mentor" />
          </Form>
        </Section>
      ) : null}

      {inc ? (
        <Section id="log-h" title={t("incubation.log.title")} testId="mentor-log">
          {inc.logs.length === 0 ? (
            <EmptyState>{t("incubation.log.empty")}</EmptyState>
          ) : (
            <ol className="space-y-3">
              {inc.logs.map((l) => (
                <li key={l.id} className="space-y-1 rounded-lg bg-white p-4 shadow-sm" data-testid="mentor-log-entry">
                  <p className="flex flex-wrap gap-x-3">
                    <span className="font-medium">{l.topic}</span>
                    <span className="text-sm text-slate-600">
                      {l.heldOn} · {l.author}
                    </span>
                    {l.project ? <span className="text-sm text-slate-600">{`${l.project.referenceNo} ${l.project.title}`}</span> : null}
                  </p>
                  <p className="whitespace-pre-line text-sm">
                    <span className="font-medium">{t("incubation.log.advice")}：</span>
                    {l.advice}
                  </p>
                  {l.followUps ? (
                    <p className="whitespace-pre-line text-sm">
                      <span className="font-medium">{t("incubation.log.followUps")}：</span>
                      {l.followUps}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {d.mayLog ? (
            <Form method="post" {...getFormProps(logForm)} className={`mt-4 ${panel}`}>
              <h3 className="font-medium">{t("incubation.log.add")}</h3>
              <FormErrors form={logForm} />
              <TextField meta={logFields.heldOn} label={t("incubation.log.heldOn")} type="date" />
              <TextField meta={logFields.topic} label={t("incubation.log.topic")} />
              <TextareaField meta={logFields.advice} label={t("incubation.log.advice")} rows={4} />
              <TextareaField meta={logFields.followUps} label={t("incubation.log.followUps")} rows={2} />
              {d.projects.length ? (
                <SelectField meta={logFields.projectId} label={t("incubation.log.project")} placeholder={t("incubation.log.wholeOrganization")} options={d.projects.map((p) => ({ value: p.id, label: `${p.referenceNo} ${p.title}` }))} />
              ) : null}
              <FormActions submit={t("incubation.log.submit")} intent="log" />
            </Form>
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}
