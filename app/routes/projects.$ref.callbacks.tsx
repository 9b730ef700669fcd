import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.callbacks";
import { inputClass, replyFor, SubmitButton } from "~/components/form";
import { NO_STORE, noStore } from "~/components/project-forms";
import { cell, DataTable, Done, EmptyState, PageTitle, Problems, Section } from "~/components/ui";
import { CALL_NOTE_MAX, CALL_OUTCOMES, CALL_SAMPLE_SIZE_MAX, isMonthKey, SEED_MAX, type OutcomeCounts } from "~/domain/callbacks";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { revealBeneficiary } from "~/services/projects/beneficiaries.server";
import { callBeneficiaryId, callbacksPage, drawCallSample, recordCall, setCallSampleSize } from "~/services/projects/callbacks.server";

const DONE = { drawn: "callback.done.drawn", recorded: "callback.done.recorded", size: "callback.done.size" } as const;

/** The forms of the page; the month (hidden) brings the official back to the month they were on. */
const month = z.string().default("");
const Intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reveal"), callId: z.string() }),
  z.object({ intent: z.literal("draw"), month, seed: z.string().default("") }),
  z.object({ intent: z.literal("size"), month, size: z.string().default("") }),
  z.object({ intent: z.literal("record"), month, callId: z.string(), outcome: z.string().default(""), note: z.string().default("") }),
]);

/** Dialling needs the full phone number (an audited reveal): never cache this page or its answers. */
export const headers = () => NO_STORE;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return data(
    { view: await callbacksPage(viewer, params.ref, url.searchParams.get("month")), done: done && done in DONE ? DONE[done as keyof typeof DONE] : null },
    { headers: NO_STORE },
  );
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return noStore(invalidSubmission(submission, { callId: null, revealed: null }));
  const v = submission.value;
  const month = "month" in v ? v.month : "";
  const back = (done: keyof typeof DONE) => redirect(`/projects/${encodeURIComponent(params.ref)}/callbacks?${new URLSearchParams({ ...(isMonthKey(month) ? { month } : {}), done })}`);
  switch (v.intent) {
    case "reveal": {
      const beneficiaryId = await callBeneficiaryId(viewer, params.ref, v.callId);
      const revealed = await revealBeneficiary(viewer, params.ref, beneficiaryId, "callback");
      return data({ intent: v.intent, result: submission.reply(), callId: v.callId, revealed }, { headers: NO_STORE });
    }
    case "draw": {
      const r = await drawCallSample(viewer, params.ref, v);
      return r.ok ? back("drawn") : noStore(problemReply(submission, r.problem, { callId: null, revealed: null }));
    }
    case "size": {
      const r = await setCallSampleSize(viewer, params.ref, v);
      return r.ok ? back("size") : noStore(problemReply(submission, r.problem, { callId: null, revealed: null }));
    }
    case "record": {
      const r = await recordCall(viewer, params.ref, v);
      return r.ok ? back("recorded") : noStore(problemReply(submission, r.problem, { callId: v.callId, revealed: null }));
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "callback.title");

function Score({ label, score, counts, testId }: { label: string; score: number | null; counts: OutcomeCounts; testId: string }) {
  const t = useT();
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm" data-testid={testId}>
      <p className="text-sm text-slate-600">{label}</p>
      <p className="text-2xl font-semibold">{score === null ? t("callback.score.none") : t("callback.score.value", { score })}</p>
      <p className="mt-1 text-xs text-slate-600">{t("callback.counts", { ...counts })}</p>
    </div>
  );
}

export default function CallbacksPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const { sample } = view;
  const drawReply = replyFor(actionData, "draw");
  const sizeReply = replyFor(actionData, "size");
  const recordReply = replyFor(actionData, "record");
  return (
    <div className="space-y-6">
      <PageTitle>{t("callback.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("callback.intro")}</p>
      <Done message={done} />

      <Form method="get" className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          {t("callback.month")}
          <input type="month" name="month" defaultValue={view.month} max={view.currentMonth} className={inputClass} />
        </label>
        <button type="submit" className="rounded border border-slate-400 px-3 py-2 text-sm">
          {t("callback.monthGo")}
        </button>
      </Form>

      <div className="grid gap-3 sm:grid-cols-2">
        <Score label={`${t("callback.score.month")} · ${view.month}`} score={view.monthScore} counts={view.monthCounts} testId="score-month" />
        <Score label={t("callback.score.overall")} score={view.satisfaction.overall.score} counts={view.satisfaction.overall.counts} testId="score-overall" />
      </div>
      <p className="text-xs text-slate-600">{t("callback.score.formula")}</p>

      {sample ? (
        <Section id="sample-heading" title={view.month} size="lg">
          <p className="text-sm" data-testid="sample-info">
            {t("callback.sample.info", { date: formatDateTime(locale, sample.drawnAt), name: sample.drawnBy, size: sample.size })} <code className="rounded bg-slate-100 px-1 font-mono" data-testid="sample-seed">{sample.seed}</code>
          </p>
          <p className="text-xs text-slate-600">
            {t("callback.sample.reproducible")} {sample.verified ? t("callback.sample.verified") : <strong className="text-red-800">{t("callback.sample.mismatch")}</strong>}
          </p>
          <Problems errors={recordReply?.error?.[""]} />
          <DataTable testId="calls" headers={[t("callback.col.beneficiary"), t("callback.col.phone"), t("callback.col.outcome")]}>
            {view.calls.map((c) => {
              const revealed = actionData?.intent === "reveal" && actionData.callId === c.id ? actionData.revealed : null;
              const mine = recordReply && actionData?.callId === c.id ? (recordReply.initialValue as { outcome?: string; note?: string } | null) : null;
              return (
                <tr key={c.id} data-testid={`call-${c.id}`}>
                  <td className={cell}>{revealed ? revealed.name : c.beneficiary.name}</td>
                  <td className={`${cell} whitespace-nowrap`}>
                    {revealed ? (
                      <>
                        <a href={`tel:${revealed.phone}`} className="font-mono text-brand-700 underline">
                          {revealed.phone}
                        </a>
                        <span className="block text-xs text-slate-600">{t("beneficiary.revealed.note")}</span>
                      </>
                    ) : (
                      <>
                        <span className="font-mono">{c.beneficiary.phone}</span>{" "}
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="reveal" />
                          <input type="hidden" name="callId" value={c.id} />
                          <button type="submit" className="rounded border border-slate-400 px-2 py-0.5 text-xs" aria-label={t("beneficiary.revealLabel", { name: c.beneficiary.name })}>
                            {t("callback.reveal")}
                          </button>
                        </Form>
                      </>
                    )}
                  </td>
                  <td className={cell}>
                    {c.outcome ? (
                      <p className="text-sm">
                        <strong>{t(`callback.outcome.${c.outcome}`)}</strong>
                        {c.calledAt ? <span className="text-xs text-slate-600"> · {t("callback.calledAt", { date: formatDateTime(locale, c.calledAt) })}</span> : null}
                        {c.note ? <span className="block text-xs whitespace-pre-line text-slate-700">{c.note}</span> : null}
                      </p>
                    ) : (
                      <p className="text-sm text-slate-600">{t("callback.outcome.pending")}</p>
                    )}
                    {view.canRecord ? (
                      <Form method="post" className="mt-2 space-y-2">
                        <input type="hidden" name="intent" value="record" />
                        <input type="hidden" name="callId" value={c.id} />
                        <input type="hidden" name="month" value={view.month} />
                        <fieldset>
                          <legend className="sr-only">{t("callback.col.outcome")}</legend>
                          <div className="flex flex-wrap gap-x-3 gap-y-1">
                            {CALL_OUTCOMES.map((o) => (
                              <label key={o} className="text-sm">
                                <input type="radio" name="outcome" value={o} required defaultChecked={(mine?.outcome ?? c.outcome) === o} /> {t(`callback.outcome.${o}`)}
                              </label>
                            ))}
                          </div>
                        </fieldset>
                        <label className="block text-sm">
                          {t("callback.col.note")}
                          <textarea name="note" rows={2} maxLength={CALL_NOTE_MAX} defaultValue={mine?.note ?? c.note} className={inputClass} />
                        </label>
                        <SubmitButton className="rounded bg-brand-700 px-3 py-1 text-sm font-medium text-white disabled:opacity-60">{t("callback.record")}</SubmitButton>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </Section>
      ) : (
        <Section id="draw-heading" title={t("callback.draw.title", { month: view.month })} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <EmptyState title={t("callback.noSample")} />
          {view.planned.beneficiaries === 0 ? (
            <p className="text-sm">{t("callback.noBeneficiaries")}</p>
          ) : view.planned.configured !== null ? (
            <p className="text-sm">{t("callback.draw.configured", { size: view.planned.size, beneficiaries: view.planned.beneficiaries })}</p>
          ) : (
            <p className="text-sm">
              {t("callback.draw.default", { size: view.planned.size, projects: view.planned.activeProjects, target: view.planned.monthlyTarget, beneficiaries: view.planned.beneficiaries })}
            </p>
          )}
          {!view.canRecord ? <p className="text-sm text-amber-900">{t("callback.notActive")}</p> : null}
          {view.canDraw ? (
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="draw" />
              <input type="hidden" name="month" value={view.month} />
              <Problems errors={drawReply?.error?.[""]} />
              <label className="block text-sm">
                {t("callback.draw.seed")}
                <input name="seed" maxLength={SEED_MAX} autoComplete="off" defaultValue={String(drawReply?.initialValue?.seed ?? "")} className={inputClass} aria-describedby="seed-hint" />
                <span id="seed-hint" className="mt-1 block text-xs text-slate-600">
                  {t("callback.draw.seedHint")}
                </span>
              </label>
              <SubmitButton>{t("callback.draw.submit")}</SubmitButton>
            </Form>
          ) : null}
        </Section>
      )}

      <Section id="size-heading" title={t("callback.size.title")} size="lg" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
        <Problems errors={sizeReply?.error?.[""]} />
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="size" />
          <input type="hidden" name="month" value={view.month} />
          <label className="text-sm">
            {t("callback.size.label")}
            <input
              name="size"
              type="number"
              inputMode="numeric"
              min={1}
              max={CALL_SAMPLE_SIZE_MAX}
              defaultValue={sizeReply ? String(sizeReply.initialValue?.size ?? "") : (view.planned.configured ?? "")}
              className={inputClass}
            />
          </label>
          <SubmitButton>{t("callback.size.submit")}</SubmitButton>
        </Form>
      </Section>

      <Section id="history-heading" title={t("callback.history.title")} size="lg">
        <DataTable
          testId="callback-history"
          headers={[t("callback.col.month"), t("callback.col.size"), t("callback.col.score"), t("callback.col.outcome")]}
          empty={view.satisfaction.months.length === 0 && <EmptyState />}
        >
          {view.satisfaction.months.map((m) => (
            <tr key={m.month}>
              <td className={cell}>
                <a href={`?month=${m.month}`} className="text-brand-700 underline">
                  {m.month}
                </a>
              </td>
              <td className={cell}>{m.size}</td>
              <td className={cell}>{m.score === null ? "—" : m.score}</td>
              <td className={`${cell} text-xs`}>{t("callback.counts", { ...m.counts })}</td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </div>
  );
}
