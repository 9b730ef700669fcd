import { Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.calendar";
import { FormErrors, getFormProps, replyFor, SubmitButton, TextareaField, TextField, useZodForm } from "~/components/form";
import { formatRanges } from "~/components/notice-counting";
import { cell, DataTable, Done, EmptyState, PageTitle } from "~/components/ui";
import { CALENDAR_YEARS, yearEntryFields } from "~/domain/statutory-calendar";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { calendarPage, checkCalendarYear, saveCalendarYear } from "~/services/areas/calendar.server";

/**
 * The working-day calendar for officials: every year known with its holidays (放假) and make-up working
 * days (调休上班) and where they come from; officials who administer add a year the package lacks or
 * correct one (check, then confirm), each entry audited. See docs/decisions/016-statutory-working-days.md.
 */

const CheckIntent = z.object({ intent: z.literal("check"), ...yearEntryFields });
const SaveIntent = z.object({ intent: z.literal("save"), ...yearEntryFields, reviewed: z.string().max(20_000).optional().default("") });
const Intents = z.discriminatedUnion("intent", [CheckIntent, SaveIntent]);

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const year = Number(url.searchParams.get("year"));
  return { page: await calendarPage(viewer, Number.isInteger(year) && year >= CALENDAR_YEARS.min && year <= CALENDAR_YEARS.max ? year : null), done: url.searchParams.get("saved") ? "calendar.saved" : null };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "check": {
      const r = await checkCalendarYear(viewer, v);
      return r.ok ? { intent: v.intent, result: submission.reply(), preview: r.preview } : problemReply(submission, r.problem);
    }
    case "save": {
      const r = await saveCalendarYear(viewer, v);
      return r.ok ? redirect(`/admin/calendar?saved=${r.year}`) : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "calendar.title");

export default function CalendarPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { page, done } = loaderData;
  const list = (ranges: Parameters<typeof formatRanges>[1]) => (ranges.length ? formatRanges(locale, ranges) : t("calendar.none"));
  return (
    <div className="space-y-6">
      <PageTitle>{t("calendar.title")}</PageTitle>
      <Done message={done} />
      <p className="text-sm text-slate-700">{t("calendar.intro", { version: page.packageVersion })}</p>
      {page.missing.length ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="calendar-missing">
          {t("calendar.missing", { years: page.missing.join(locale === "en" ? ", " : "、") })}
        </p>
      ) : null}

      <section aria-labelledby="years-h" className="space-y-2">
        <h2 id="years-h" className="text-xl font-semibold">{t("calendar.years")}</h2>
        <DataTable testId="calendar-years" headers={[t("calendar.col.year"), t("calendar.col.source"), t("calendar.col.holidays"), t("calendar.col.makeup")]}>
          {page.years.map((y) => (
            <tr key={y.year} data-testid={`calendar-${y.year}`}>
              <td className={cell}>
                <span className="font-semibold">{y.year}</span>
                {page.canEdit ? (
                  <Link to={`/admin/calendar?year=${y.year}#calendar-year`} className="block text-xs text-brand-700 underline">{t("calendar.correct", { year: y.year })}</Link>
                ) : null}
              </td>
              <td className={cell} data-testid="calendar-source">
                {t(y.origin === "package" ? "calendar.origin.package" : "calendar.origin.officials", { detail: y.detail })}
                {y.enteredBy !== null && y.enteredAt ? <span className="block text-xs text-slate-600">{t("calendar.enteredBy", { name: y.enteredBy, date: formatDateTime(locale, y.enteredAt) })}</span> : null}
              </td>
              <td className={cell}>
                <span className="block text-xs text-slate-600">{t("calendar.days", { count: y.holidayCount })}</span>
                {list(y.holidays)}
              </td>
              <td className={cell}>
                <span className="block text-xs text-slate-600">{t("calendar.days", { count: y.makeupCount })}</span>
                {list(y.makeupWorkdays)}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      {page.canEdit ? (
        // keyed by the year asked for: following "correct 2026" starts a form with that year's days
        <YearForm key={page.form?.year ?? "new"} initial={page.form} actionData={actionData} />
      ) : (
        <p className="text-sm text-slate-700">{t("calendar.readOnly")}</p>
      )}

      <section aria-labelledby="history-h" className="space-y-2">
        <h2 id="history-h" className="text-xl font-semibold">{t("calendar.history")}</h2>
        {page.history.length === 0 ? (
          <EmptyState title={t("calendar.history.empty")} />
        ) : (
          <DataTable testId="calendar-history" headers={[t("calendar.col.enteredAt"), t("calendar.col.year"), t("calendar.col.days"), t("calendar.col.source"), t("calendar.col.enteredBy")]}>
            {page.history.map((h) => (
              <tr key={h.id}>
                <td className={cell}>{formatDateTime(locale, h.createdAt)}</td>
                <td className={cell}>{h.year}</td>
                <td className={cell}>{h.holidayCount} / {h.makeupCount}</td>
                <td className={cell}>{h.source}</td>
                <td className={cell}>{h.enteredBy}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

/** Add or correct a year: check (validated, the changes shown), then confirm with the checked entry's digest. */
function YearForm({ initial, actionData }: { initial: Route.ComponentProps["loaderData"]["page"]["form"]; actionData: Route.ComponentProps["actionData"] }) {
  const t = useT();
  const locale = useLocale();
  const reply = replyFor(actionData, "check") ?? replyFor(actionData, "save");
  const [form, fields] = useZodForm(Intents, reply, { id: "calendar-year", defaultValue: initial ?? undefined });
  const preview = actionData && "preview" in actionData ? actionData.preview : null;
  const list = (ranges: Parameters<typeof formatRanges>[1]) => (ranges.length ? formatRanges(locale, ranges) : t("calendar.none"));
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="form-h">
      <h2 id="form-h" className="text-xl font-semibold">{t("calendar.form.title")}</h2>
      <p className="text-sm text-slate-700">{t("calendar.form.help")}</p>
      <FormErrors form={form} />
      <TextField meta={fields.year} type="number" label={t("calendar.field.year")} inputProps={{ inputMode: "numeric", min: CALENDAR_YEARS.min, max: CALENDAR_YEARS.max }} />
      <TextareaField meta={fields.holidays} rows={6} label={t("calendar.field.holidays")} hint={t("calendar.field.holidays.hint")} />
      <TextareaField meta={fields.makeupWorkdays} rows={3} label={t("calendar.field.makeup")} hint={t("calendar.field.makeup.hint")} />
      <TextField meta={fields.source} label={t("calendar.field.source")} />
      <SubmitButton name="intent" value="check">{t("calendar.check")}</SubmitButton>
      {preview ? (
        <div className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="calendar-preview" aria-live="polite">
          <h3 className="font-semibold">{t("calendar.preview.title", { year: preview.entry.year })}</h3>
          <p>{t(`calendar.preview.replaces.${preview.replaces ?? "new"}`, { year: preview.entry.year })}</p>
          <p>{t("calendar.preview.holidays", { count: preview.entry.holidays.length, list: list(preview.holidays) })}</p>
          <p>{t("calendar.preview.makeup", { count: preview.entry.makeupWorkdays.length, list: list(preview.makeupWorkdays) })}</p>
          {preview.replaces ? (
            <p data-testid="calendar-changes">
              {t("calendar.preview.changes", {
                ha: list(preview.changes.holidaysAdded.map((d) => ({ from: d, to: d }))),
                hr: list(preview.changes.holidaysRemoved.map((d) => ({ from: d, to: d }))),
                ma: list(preview.changes.makeupAdded.map((d) => ({ from: d, to: d }))),
                mr: list(preview.changes.makeupRemoved.map((d) => ({ from: d, to: d }))),
              })}
            </p>
          ) : null}
          <input type="hidden" name="reviewed" value={preview.digest} />
          <SubmitButton name="intent" value="save">{t("calendar.save")}</SubmitButton>
        </div>
      ) : null}
    </Form>
  );
}
