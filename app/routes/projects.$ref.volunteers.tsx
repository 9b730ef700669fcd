import { Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.volunteers";
import { ErrorList, FormActions, FormErrors, getFormProps, inputClass, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { Done, EmptyState, Notice, PageTitle, Pagination, Section, Stat } from "~/components/ui";
import { formatHours, ReverseSchema, ShiftFields } from "~/domain/volunteers";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { logShift, projectShiftsPage, reverseShift } from "~/services/volunteers/shifts.server";

/**
 * A funded project's volunteer shifts (workspace page): its members and the community's
 * officials log the shifts of the community's confirmed volunteers and reverse mistaken ones.
 * The service authorizes every read and step (`requireProject(…, "member")`).
 */
const Intents = z.discriminatedUnion("intent", [ShiftFields.extend({ intent: z.literal("log") }), ReverseSchema.extend({ intent: z.literal("reverse") })]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return projectShiftsPage(viewer, params.ref, new URL(request.url).searchParams.get("page"));
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const r = v.intent === "log" ? await logShift(viewer, params.ref, v) : await reverseShift(viewer, params.ref, v);
  // a refused reversal opens its own entry's form again, with the reason
  if (!r.ok) return problemReply(submission, r.problem, { entryId: v.intent === "reverse" ? v.entryId : null });
  return { intent: v.intent, result: submission.reply({ resetForm: true }), notice: v.intent === "log" ? "shifts.done.logged" : "shifts.done.reversed" };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "shifts.title");

export default function ProjectVolunteers({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const [form, fields] = useZodForm(ShiftFields, replyFor(actionData, "log"), { id: "shift", defaultValue: { servedOn: d.today } });
  const reverseReply = replyFor(actionData, "reverse");
  const reverseErrors = [...(reverseReply?.error?.reason ?? []), ...(replyErrors(actionData, "reverse") ?? [])];
  const failedEntry = actionData && "entryId" in actionData ? actionData.entryId : null;
  return (
    <div className="space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <PageTitle sub={t("shifts.intro")}>{t("shifts.title")}</PageTitle>
      <dl className="grid grid-cols-2 gap-4" data-testid="shift-stats">
        <Stat label={t("shifts.stats.shifts")} value={formatNumber(locale, d.totals.shifts)} testId="shift-count" />
        <Stat label={t("shifts.stats.hours")} value={t("volunteers.hours", { hours: formatHours(d.totals.minutes) })} testId="shift-hours" />
      </dl>

      <Section id="log-h" title={t("shifts.form.title")} className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
        {!d.canLog ? (
          <Notice tone="muted">{t("shifts.form.closed")}</Notice>
        ) : d.volunteers.length === 0 ? (
          <EmptyState>{t("shifts.form.noVolunteers")}</EmptyState>
        ) : (
          <Form method="post" className="grid gap-3 sm:grid-cols-2" data-testid="shift-form" {...getFormProps(form)}>
            <FormErrors form={form} />
            <SelectField meta={fields.volunteerId} label={t("shifts.form.volunteer")} placeholder={t("shifts.form.choose")} options={d.volunteers.map((v) => ({ value: v.id, label: v.name }))} />
            <TextField meta={fields.servedOn} type="date" label={t("shifts.form.servedOn")} inputProps={{ max: d.today }} />
            <TextField meta={fields.hours} label={t("shifts.form.hours")} hint={t("shifts.form.hoursHint")} inputProps={{ inputMode: "decimal" }} />
            <TextareaField meta={fields.activity} label={t("shifts.form.activity")} rows={2} />
            <FormActions submit={t("shifts.form.submit")} intent="log" className="sm:col-span-2" />
          </Form>
        )}
      </Section>

      <Section id="entries-h" title={t("shifts.list.title")} testId="shift-entries">
        {d.entries.length === 0 ? (
          <EmptyState>{t("shifts.list.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {d.entries.map((e) => (
              <li key={e.id} className="space-y-2 p-4" data-testid="shift-entry">
                <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="tabular-nums">{e.servedOn}</span>
                  <span className="font-medium">{e.volunteer ?? "—"}</span>
                  <span className="tabular-nums">{t("volunteers.hours", { hours: formatHours(e.minutes) })}</span>
                  {e.reversal ? <span className="rounded bg-amber-100 px-2 text-sm text-amber-900">{t("shifts.reversal")}</span> : null}
                  {e.reversed ? <span className="rounded bg-slate-200 px-2 text-sm text-slate-800">{t("shifts.reversed")}</span> : null}
                </p>
                <p className="text-sm text-slate-700">{e.note}</p>
                {d.canLog && !e.reversal && !e.reversed ? (
                  <details className="text-sm" open={failedEntry === e.id || undefined}>
                    <summary className="inline-block cursor-pointer rounded border border-red-300 px-3 py-1 text-red-800">{t("shifts.reverse.label")}</summary>
                    <Form method="post" className="mt-2 space-y-2 rounded border border-red-200 bg-red-50 p-3">
                      <p>{t("shifts.reverse.question")}</p>
                      <input type="hidden" name="entryId" value={e.id} />
                      <label htmlFor={`reason-${e.id}`} className="block font-medium">
                        {t("shifts.reverse.reason")}
                      </label>
                      <textarea id={`reason-${e.id}`} name="reason" required minLength={4} maxLength={500} rows={2} className={inputClass} aria-describedby={failedEntry === e.id ? `reason-${e.id}-error` : undefined} />
                      {failedEntry === e.id ? <ErrorList id={`reason-${e.id}-error`} errors={reverseErrors} /> : null}
                      <button type="submit" name="intent" value="reverse" className="rounded bg-red-800 px-3 py-1 text-white">
                        {t("shifts.reverse.confirm")}
                      </button>
                    </Form>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <Pagination page={d.page} pages={d.pages} label={t("shifts.list.pages")} />
      </Section>
    </div>
  );
}
