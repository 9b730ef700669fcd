import { Form, Link } from "react-router";
import type { Route } from "./+types/areas.$code.volunteers";
import { CheckboxField, FormActions, FormErrors, getFormProps, replyFor, TextareaField, TextField, useZodForm } from "~/components/form";
import { PosterLinks } from "~/components/poster-links";
import { Done, EmptyState, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { TakerText, WishStatusBadge, type WishRow } from "~/components/wish";
import { formatHours, VolunteerIntents } from "~/domain/volunteers";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { getViewer, requireViewer } from "~/lib/session.server";
import { communityVolunteering, decideVolunteer, register, setSmallWishLimit } from "~/services/volunteers/volunteers.server";

/**
 * A community's volunteering: its small wishes by state with the counts and hours (public), the
 * volunteer wall (names only with consent), the viewer's registration (报到) and, for its
 * officials, the registrations to confirm.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  return { ...(await communityVolunteering(params.code, viewer)), signedIn: !!viewer };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), VolunteerIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "register": {
      const r = await register(viewer, params.code, v);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: "volunteers.done.registered" } : problemReply(submission, r.problem);
    }
    case "decide": {
      // deciding refuses (403) anyone who is not an official of this community
      const r = await decideVolunteer(viewer, params.code, v);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "volunteers.done.decided" } : problemReply(submission, r.problem);
    }
    case "limit": {
      // refuses (403) anyone who is not an official of this community
      const r = await setSmallWishLimit(viewer, params.code, v);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: "volunteers.done.limit" } : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "volunteers.title");

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";

function WishList({ rows, testId }: { rows: WishRow[]; testId: string }) {
  const t = useT();
  if (rows.length === 0) return <EmptyState>{t("volunteers.list.empty")}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm" data-testid={testId}>
      {rows.map((w) => (
        <li key={w.number} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-4">
          <Link to={`/needs/${w.number}/wish`} className="font-medium underline">
            {w.title}
          </Link>
          <WishStatusBadge status={w.status} />
          <span className="text-sm text-slate-600">{w.valueFen === 0 ? t("volunteers.value.none") : t("volunteers.value.amount", { amount: formatFen(w.valueFen) })}</span>
          {w.taker ? (
            <span className="text-sm text-slate-700">
              <TakerText taker={w.taker} />
            </span>
          ) : null}
          {w.minutes !== null ? <span className="text-sm text-slate-600">{t("volunteers.hours", { hours: formatHours(w.minutes) })}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export default function CommunityVolunteers({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const [form, fields] = useZodForm(VolunteerIntents, replyFor(actionData, "register"), {
    id: "volunteer-register",
    defaultValue: d.mine
      ? { partyMember: d.mine.partyMember ? "on" : undefined, partyBranch: d.mine.partyBranch ?? "", skills: d.mine.skills, availability: d.mine.availability, showOnWall: d.mine.showOnWall ? "on" : undefined }
      : undefined,
  });
  const [limitForm, limitFields] = useZodForm(VolunteerIntents, replyFor(actionData, "limit"), { id: "wish-limit", defaultValue: { limit: String(d.limitFen / 100) } });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="text-sm">
        <TextLink to={`/areas/${d.area.code}`}>← {localName(locale, d.area)}</TextLink>
      </p>
      <PageTitle sub={t("volunteers.subtitle")}>
        {localName(locale, d.area)} · {t("volunteers.title")}
      </PageTitle>
      <PosterLinks kind="wishes" slug={d.area.code} />
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="wish-stats">
        <Stat label={t("volunteers.stats.open")} value={formatNumber(locale, d.counts.open)} testId="stat-open" />
        <Stat label={t("volunteers.stats.taken")} value={formatNumber(locale, d.counts.taken)} testId="stat-taken" />
        <Stat label={t("volunteers.stats.fulfilled")} value={formatNumber(locale, d.counts.fulfilled)} testId="stat-fulfilled" />
        <Stat label={t("volunteers.stats.hours")} value={t("volunteers.hours", { hours: formatHours(d.minutes) })} testId="stat-hours" />
      </dl>
      <p className="text-sm text-slate-600" data-testid="wish-limit">{t("volunteers.limit", { limit: formatFen(d.limitFen) })}</p>

      <Section id="open-h" title={t("volunteers.list.open")}>
        <WishList rows={d.open} testId="open-wishes" />
      </Section>
      <Section id="taken-h" title={t("volunteers.list.taken")}>
        <WishList rows={d.taken} testId="taken-wishes" />
      </Section>
      <Section id="done-h" title={t("volunteers.list.done")}>
        <WishList rows={d.done} testId="done-wishes" />
      </Section>

      <Section id="wall-h" title={t("volunteers.wall.title")} note={t("volunteers.wall.hint")} testId="volunteer-wall">
        <p className="text-sm text-slate-600">
          {t("volunteers.stats.volunteers")}: {formatNumber(locale, d.volunteers)}
        </p>
        {d.wall.length === 0 ? (
          <EmptyState>{t("volunteers.wall.empty")}</EmptyState>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {d.wall.map((v) => (
              <li key={v.id}>
                <Link to={`/volunteers/${v.id}`} className="inline-block rounded-full bg-white px-3 py-1 text-sm shadow-sm underline">
                  {v.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="register-h" title={d.mine ? t("volunteers.mine.title") : t("volunteers.register.title")} className={panel} testId="register-panel">
        {!d.signedIn ? (
          <p className="text-sm">
            <TextLink to={`/login?redirectTo=${encodeURIComponent(`/areas/${d.area.code}/volunteers`)}`}>{t("volunteers.register.signIn")}</TextLink>
          </p>
        ) : (
          <>
            {d.mine ? (
              <div className="space-y-1 text-sm">
                <p data-testid="my-status">{t("volunteers.mine.status", { status: t(`volunteers.status.${d.mine.status}`) })}</p>
                {d.mine.status === "DECLINED" && d.mine.declineReason ? <p>{t("volunteers.mine.declined", { reason: d.mine.declineReason })}</p> : null}
                <p>
                  <TextLink to={`/volunteers/${d.mine.id}`}>{t("volunteers.mine.page")}</TextLink>
                </p>
              </div>
            ) : null}
            <Form method="post" {...getFormProps(form)} className="space-y-3">
              <FormErrors form={form} />
              <CheckboxField meta={fields.partyMember} label={t("volunteers.register.partyMember")} />
              <TextField meta={fields.partyBranch} label={t("volunteers.register.partyBranch")} hint={t("volunteers.register.partyBranchHint")} />
              <TextareaField meta={fields.skills} label={t("volunteers.register.skills")} rows={2} />
              <TextField meta={fields.availability} label={t("volunteers.register.availability")} />
              <CheckboxField meta={fields.showOnWall} label={t("volunteers.register.showOnWall")} />
              <FormActions submit={d.mine ? t("volunteers.register.update") : t("volunteers.register.submit")} intent="register" />
            </Form>
          </>
        )}
      </Section>

      {d.official ? (
        <Section id="limit-h" title={t("volunteers.limitForm.title")} className={panel} testId="limit-panel">
          <Form method="post" {...getFormProps(limitForm)} className="space-y-3">
            <FormErrors form={limitForm} />
            <TextField meta={limitFields.limit} label={t("volunteers.limitForm.limit")} hint={t("volunteers.limitForm.hint")} inputProps={{ inputMode: "numeric" }} />
            <FormActions submit={t("volunteers.limitForm.submit")} intent="limit" />
          </Form>
        </Section>
      ) : null}

      {d.official ? (
        <Section id="pending-h" title={t("volunteers.pending.title")} testId="pending-volunteers">
          {d.pending.length === 0 ? (
            <EmptyState>{t("volunteers.pending.empty")}</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
              {d.pending.map((p) => (
                <li key={p.id} className="space-y-2 p-4" data-testid="pending-volunteer">
                  <p className="flex flex-wrap gap-x-3">
                    <span className="font-medium">{p.name}</span>
                    <span className="text-sm text-slate-600">{p.email}</span>
                    <span className="text-sm text-slate-600">{formatDateTime(locale, p.since, false)}</span>
                  </p>
                  {p.partyMember ? <p className="text-sm">{t("volunteers.pending.party", { branch: p.partyBranch ?? "" })}</p> : null}
                  <p className="text-sm text-slate-700">{t("volunteers.pending.skills", { skills: p.skills, availability: p.availability })}</p>
                  <Form method="post" className="flex flex-wrap items-end gap-3">
                    <input type="hidden" name="volunteerId" value={p.id} />
                    <button type="submit" name="intent" value="decide" className="rounded bg-brand-700 px-3 py-1 text-sm font-medium text-white">
                      {t("volunteers.pending.confirm")}
                    </button>
                    <input type="hidden" name="decision" value="CONFIRM" />
                  </Form>
                  <Form method="post" className="flex flex-wrap items-end gap-3">
                    <input type="hidden" name="volunteerId" value={p.id} />
                    <input type="hidden" name="decision" value="DECLINE" />
                    <label className="text-sm">
                      <span className="block">{t("volunteers.pending.reason")}</span>
                      <input name="reason" className="mt-1 rounded border border-slate-400 px-2 py-1" />
                    </label>
                    <button type="submit" name="intent" value="decide" className="rounded border border-red-300 px-3 py-1 text-sm text-red-800">
                      {t("volunteers.pending.decline")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
        </Section>
      ) : null}
    </div>
  );
}
