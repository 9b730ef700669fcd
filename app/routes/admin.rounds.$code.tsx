import { Form, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code";
import { getFormProps, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { FormProblems, PhaseBadge, RoundSettingsFields, type RoundFormValues } from "~/components/round-form";
import { ConfirmAction, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { phaseAtLeast, RoundAdminIntents, roundSettingsOf, RoundSettingsFormSchema, SETTING_FIELDS, type Phase } from "~/domain/rounds";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { adminRoundPage, movePhase, updateRound } from "~/services/rounds/rounds.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await adminRoundPage(viewer, params.code);
  const url = new URL(request.url);
  return { ...page, notice: url.searchParams.has("created") ? "rounds.edit.created" : url.searchParams.has("saved") ? "rounds.edit.saved" : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), RoundAdminIntents);
  // the settings form is drawn from what was typed (rows included), not from Conform's fields
  const values = submission.payload as RoundFormValues;
  if (submission.status !== "success") return invalidSubmission(submission, { values, moved: null as Phase | null });
  const v = submission.value;
  switch (v.intent) {
    case "move": {
      const moved = await movePhase(viewer, params.code, v.to);
      if (!moved.ok) return problemReply(submission, moved.problem, { values: null, moved: null });
      return { intent: v.intent, result: submission.reply(), values: null, moved: moved.phase };
    }
    case "save": {
      const saved = await updateRound(viewer, params.code, roundSettingsOf(v), v.version);
      if (!saved.ok) return problemReply(submission, saved.problem, { values, moved: null });
      return redirect(`/admin/rounds/${params.code}?saved=1`);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData ? [{ title: `${loaderData.round.title} · ${pageMeta(matches, "rounds.admin.title")[0]!.title}` }] : pageMeta(matches, "rounds.admin.title");

export default function AdminRound({ loaderData: p, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const r = p.round;
  const saveResult = replyFor(actionData, "save");
  // Conform is told the saved values, so that a form reset (it happens when the page is rebuilt
  // after a save) returns every input — selects included — to them rather than to blank
  const [form] = useZodForm(RoundSettingsFormSchema, saveResult, { id: `round-${r.code}-${r.version}`, defaultValue: p.values });
  const values = (actionData?.intent === "save" && actionData.values) || p.values;
  const moveErrors = replyFor(actionData, "move")?.error?.[""];
  const phaseName = (phase: string) => t(`rounds.phase.${phase}`);
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="flex flex-wrap gap-x-4 text-sm">
        <TextLink to="/admin/rounds">{t("rounds.admin.title")}</TextLink>
        <TextLink to={`/rounds/${r.code}`}>{t("rounds.edit.publicPage")}</TextLink>
        {phaseAtLeast(r.phase, "SCREENING") ? (
          <TextLink to={`/admin/rounds/${r.code}/screening`}>{t("rounds.edit.screening")}</TextLink>
        ) : null}
      </nav>
      <PageTitle sub={`${r.code} · ${localName(locale, r.area)} · ${localName(locale, r.foundation)}`}>{t("rounds.edit.title", { title: r.title })}</PageTitle>

      {p.notice ? <Notice tone="success" testId="round-notice">{t(p.notice)}</Notice> : null}

      <Section id="phase-h" title={t("rounds.move.title")} size="lg" className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6" testId="phase-panel">
        <p className="flex flex-wrap items-center gap-2">
          {t("rounds.move.current")}
          <PhaseBadge phase={r.phase} />
        </p>
        <p className="text-sm text-slate-700">
          {t("rounds.page.poolBalance")}: <span className="font-semibold tabular-nums">{formatFen(p.poolBalanceFen)}</span> ·{" "}
          {t("rounds.page.count.submitted")}: {p.counts.submitted} · {t("rounds.page.count.eligible")}: {p.counts.eligible}
        </p>
        {actionData?.intent === "move" && actionData.moved ? <Notice tone="success" testId="move-notice">{t("rounds.phase.moved", { phase: phaseName(actionData.moved) })}</Notice> : null}
        <Problems errors={moveErrors} />
        {p.next ? (
          <ConfirmAction
            label={t("rounds.move.button", { phase: phaseName(p.next) })}
            question={t("rounds.move.question", { from: phaseName(r.phase), to: phaseName(p.next) })}
            confirmLabel={t("rounds.move.confirm")}
            intent="move"
            hidden={{ to: p.next }}
          />
        ) : (
          <p className="text-sm text-slate-700">{t("rounds.move.none")}</p>
        )}
        <div>
          <h3 className="text-base font-semibold">{t("rounds.move.history")}</h3>
          <ol className="mt-2 space-y-1 text-sm" data-testid="phase-history">
            {p.history.map((h) => (
              <li key={h.id}>
                <time dateTime={h.at} className="tabular-nums text-slate-600">
                  {formatDateTime(locale, h.at)}
                </time>{" "}
                {t(h.created ? "rounds.move.created" : "rounds.move.entry", { actor: h.actor ?? t("rounds.move.system"), phase: phaseName(h.phase) })}
              </li>
            ))}
          </ol>
        </div>
      </Section>

      <Form method="post" {...getFormProps(form)} key={`${r.version}`} className="space-y-6">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="version" value={r.version} />
        <Notice tone="muted" role="note">
          {t("rounds.edit.fixed")} {p.editable.length < SETTING_FIELDS.length ? t("rounds.edit.frozenNote") : null}
        </Notice>
        <FormProblems status={saveResult?.status} formErrors={form.errors} />
        <RoundSettingsFields formId={form.id} values={values} errors={form.allErrors} editable={p.editable} />
        {p.editable.length ? <SubmitButton>{t("rounds.edit.submit")}</SubmitButton> : null}
      </Form>
    </div>
  );
}
