import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code";
import { getFormProps, inputClass, replyErrors, replyFor, SubmitButton, TextareaField, useZodForm } from "~/components/form";
import { FormProblems, PhaseBadge, RoundSettingsFields, RoundStepSection, RoundSteps, type RoundFormValues } from "~/components/round-form";
import { ConfirmAction, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { ApproveDrawSchema, RejectDrawSchema, WithdrawDrawSchema } from "~/domain/pool-draws";
import { phaseAtLeast, RoundAdminIntents, roundSettingsOf, RoundSettingsFormSchema, SETTING_FIELDS, type Phase } from "~/domain/rounds";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { adminRoundPage, approveDraw, movePhase, rejectDraw, updateRound, withdrawDraw } from "~/services/rounds/rounds.server";

/** What `?created`, `?requested`, `?saved` and `?drawRequested` after a redirect say. */
const NOTICES = [
  ["requested", "rounds.edit.requested"],
  ["created", "rounds.edit.created"],
  ["drawRequested", "rounds.edit.drawRequested"],
  ["saved", "rounds.edit.saved"],
] as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await adminRoundPage(viewer, params.code);
  const url = new URL(request.url);
  return { ...page, notice: NOTICES.find(([param]) => url.searchParams.has(param))?.[1] ?? null };
}

/** The settings and phase forms, and the decisions on a pool draw. */
const Intents = z.discriminatedUnion("intent", [...RoundAdminIntents.options, ApproveDrawSchema, RejectDrawSchema, WithdrawDrawSchema]);

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
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
      return redirect(`/admin/rounds/${params.code}?${saved.poolDrawId ? "drawRequested" : "saved"}=1`);
    }
    case "approveDraw": {
      const r = await approveDraw(viewer, params.code, { drawId: v.drawId, reason: v.reason });
      if (!r.ok) return problemReply(submission, r.problem, { values: null, moved: null });
      return { intent: v.intent, result: submission.reply({ resetForm: true }), values: null, moved: null, notice: "rounds.draw.approved" };
    }
    case "rejectDraw": {
      const r = await rejectDraw(viewer, params.code, { drawId: v.drawId, reason: v.reason });
      if (!r.ok) return problemReply(submission, r.problem, { values: null, moved: null });
      return { intent: v.intent, result: submission.reply({ resetForm: true }), values: null, moved: null, notice: "rounds.draw.rejected" };
    }
    case "withdrawDraw": {
      const r = await withdrawDraw(viewer, params.code, { drawId: v.drawId });
      if (!r.ok) return problemReply(submission, r.problem, { values: null, moved: null });
      return { intent: v.intent, result: submission.reply({ resetForm: true }), values: null, moved: null, notice: "rounds.draw.withdrawn" };
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
      <PageTitle sub={`${r.code} · ${localName(locale, r.area)} · ${localName(locale, r.foundation)}${r.budgetLineNo ? ` · ${t("rounds.budgetLine.of", { line: r.budgetLineNo })}` : ""}`}>{t("rounds.edit.title", { title: r.title })}</PageTitle>

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

      {p.draws.rows.length ? <PoolDraws draws={p.draws} actionData={actionData} /> : null}

      {/* the same form in steps as the set-up page (one form, sections reached from the step
          list): it works without JavaScript and keeps everything typed when the server refuses it */}
      <Form method="post" {...getFormProps(form)} key={`${r.version}`} className="space-y-6">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="version" value={r.version} />
        <RoundSteps edit />
        <Notice tone="muted" role="note">
          {t("rounds.edit.fixed")} {p.editable.length < SETTING_FIELDS.length ? t("rounds.edit.frozenNote") : null}
        </Notice>
        <FormProblems status={saveResult?.status} formErrors={form.errors} />
        <RoundSettingsFields formId={form.id} values={values} errors={form.allErrors} editable={p.editable} steps />
        <RoundStepSection step="review" edit>
          <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm sm:p-6">
            <p className="text-sm text-slate-700">{t(p.editable.length ? "rounds.steps.reviewHintEdit" : "rounds.edit.frozenNote")}</p>
            {p.editable.length ? <SubmitButton>{t("rounds.edit.submit")}</SubmitButton> : null}
          </div>
        </RoundStepSection>
      </Form>
    </div>
  );
}

type Draws = Route.ComponentProps["loaderData"]["draws"];

/**
 * The round's pool draws on a higher area's fund: the one waiting, with approve and reject (each
 * behind a question) for an official of the fund's area who did not ask, or withdraw for whoever
 * asked; and the decided ones, with who decided and why.
 */
function PoolDraws({ draws, actionData }: { draws: Draws; actionData: Route.ComponentProps["actionData"] }) {
  const t = useT();
  const locale = useLocale();
  const area = localName(locale, draws.fundArea);
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const errors = replyErrors(actionData, "approveDraw") ?? replyErrors(actionData, "rejectDraw") ?? replyErrors(actionData, "withdrawDraw");
  return (
    <section aria-labelledby="draws-h" className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6" data-testid="pool-draws">
      <h2 id="draws-h" className="text-lg font-semibold">
        {t("rounds.draw.title")}
      </h2>
      <p className="text-sm text-slate-700">{t("rounds.draw.intro", { area })}</p>
      {notice ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="draw-notice">
          {t(notice)}
        </p>
      ) : null}
      <Problems errors={errors} />
      <ul className="space-y-3">
        {draws.rows.map((d) => (
          <li key={d.id} className="rounded border border-slate-200 p-3 text-sm" data-testid={`draw-${d.status}`}>
            <p>
              <span className="font-medium">{t(`rounds.draw.status.${d.status}`)}</span> ·{" "}
              {t("rounds.draw.line", { person: d.requestedBy ?? "—", at: formatDateTime(locale, d.requestedAt), amount: formatFen(d.amountFen) })}
            </p>
            {d.decidedAt ? (
              <p className="text-slate-700">{t("rounds.draw.decidedBy", { person: d.decidedBy ?? "—", at: formatDateTime(locale, d.decidedAt) })}</p>
            ) : null}
            {d.reason ? <p className="text-slate-700">{t("rounds.draw.reason", { reason: d.reason })}</p> : null}
            {d.status === "PENDING" ? (
              d.mayDecide ? (
                <DrawDecision id={d.id} amount={formatFen(d.amountFen)} actionData={actionData} />
              ) : (
                <div className="mt-2 space-y-2">
                  <p className="text-slate-700">{t(d.requestedByMe ? "rounds.draw.waitingOthers" : "rounds.draw.waiting", { area })}</p>
                  {d.mayWithdraw ? (
                    <ConfirmAction
                      label={t("rounds.draw.withdraw")}
                      question={t("rounds.draw.withdraw.question", { amount: formatFen(d.amountFen) })}
                      confirmLabel={t("rounds.draw.withdraw.confirm")}
                      intent="withdrawDraw"
                      hidden={{ drawId: d.id }}
                    />
                  ) : null}
                </div>
              )
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Approve (with an optional note) or reject (saying why) one waiting draw; each asks before it submits. */
function DrawDecision({ id, amount, actionData }: { id: string; amount: string; actionData: Route.ComponentProps["actionData"] }) {
  const t = useT();
  const approveReply = replyFor(actionData, "approveDraw");
  const rejectReply = replyFor(actionData, "rejectDraw");
  const [approve] = useZodForm(ApproveDrawSchema, approveReply, { id: `approve-${id}` });
  const [reject, rejectFields] = useZodForm(RejectDrawSchema, rejectReply, { id: `reject-${id}` });
  // a refused decision comes back with its question open, so that its errors are seen
  const openOn = (reply: typeof approveReply) => (reply?.status === "error" ? true : undefined);
  const noteId = `${approve.id}-note`;
  return (
    <div className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start">
      <details className="sm:flex-1" open={openOn(approveReply)} data-testid="approve-draw">
        <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("rounds.draw.approve")}</summary>
        <Form method="post" {...getFormProps(approve)} className="mt-2 space-y-2 rounded border border-amber-300 bg-amber-50 p-3">
          <input type="hidden" name="intent" value="approveDraw" />
          <input type="hidden" name="drawId" value={id} />
          <div>
            <label htmlFor={noteId} className="block text-sm font-medium text-slate-800">
              {t("rounds.draw.approve.note")}
            </label>
            <textarea id={noteId} name="reason" rows={2} maxLength={500} className={inputClass} />
          </div>
          <p>{t("rounds.draw.approve.question", { amount })}</p>
          <SubmitButton>{t("rounds.draw.approve.confirm")}</SubmitButton>
        </Form>
      </details>
      <details className="sm:flex-1" open={openOn(rejectReply)} data-testid="reject-draw">
        <summary className="inline-block cursor-pointer rounded border border-red-300 px-4 py-2 text-red-800">{t("rounds.draw.reject")}</summary>
        <Form method="post" {...getFormProps(reject)} className="mt-2 space-y-2 rounded border border-red-200 bg-red-50 p-3">
          <input type="hidden" name="intent" value="rejectDraw" />
          <input type="hidden" name="drawId" value={id} />
          <TextareaField meta={rejectFields.reason} label={t("rounds.draw.reject.reason")} rows={3} />
          <p>{t("rounds.draw.reject.question", { amount })}</p>
          <SubmitButton className="rounded bg-red-800 px-4 py-2 font-medium text-white disabled:opacity-60">{t("rounds.draw.reject.confirm")}</SubmitButton>
        </Form>
      </details>
    </div>
  );
}
