import { useState, type FormEvent } from "react";
import { Form, Link, redirect, useLocation, useNavigation } from "react-router";
import { ControlFrame, inputClass, parseWithZod } from "~/components/form";
import type { Route } from "./+types/admin.rounds.$code.screening";
import { ProposalStatus } from "~/components/proposal-status";
import { ProposalCells, ProposalColumnHeads, RoundProposalFilters } from "~/components/round-proposals";
import { EmptyState, ScrollArea, ExportLinks, NumberedPager, PageTitle, PerPage, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterInput, FilterSelect, KeepParam } from "~/components/ui/filters";
import {
  parseScreeningQuery,
  REASON_MAX,
  SCREENABLE_STATUSES,
  ScreeningFormSchema,
  SCREENING_OUTCOMES,
  SCREENING_PAGE_SIZES,
  type ScreeningForm,
  type ScreeningOutcome,
} from "~/domain/screening";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { decide, screeningQueue } from "~/services/rounds/screening.server";

/** The label and colours of each outcome's buttons: the bulk ones above the table, and each row's own. */
const OUTCOME_BUTTON: Record<ScreeningOutcome, { label: string; bulk: string; row: string }> = {
  ELIGIBLE: { label: "screening.eligible", bulk: "bg-emerald-700 hover:bg-emerald-800", row: "border-emerald-700 text-emerald-800" },
  INELIGIBLE: { label: "screening.ineligible", bulk: "bg-red-800 hover:bg-red-900", row: "border-red-800 text-red-800" },
};

/** What a refused form had typed: its reason, and the rows it had checked (none when one row's button was pressed). */
function typedOf(payload: ScreeningForm | undefined) {
  if (!payload) return null;
  const ids = payload.single ? [] : [payload.ids ?? []].flat();
  return { ids, reason: payload.reason ?? "" };
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  // 403 unless the viewer is an official of the round's area (or above)
  const queue = await screeningQueue(viewer, params.code, parseScreeningQuery(url.searchParams));
  const done = Number.parseInt(url.searchParams.get("done") ?? "", 10);
  const unchanged = (url.searchParams.get("unchanged") ?? "").split(",").filter((s) => /^[A-Za-z0-9-]{1,40}$/.test(s));
  return { queue, done: Number.isFinite(done) ? done : null, unchanged };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ScreeningFormSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const result = await decide(viewer, params.code, submission.value);
  if (!result.ok) return problemReply(submission, result.problem);
  // back to the same filtered page; built from the route, not request.url, whose path is the
  // `.data` endpoint when the form was submitted by client-side navigation
  const query = new URL(request.url).searchParams;
  query.delete("_routes");
  query.set("done", String(result.decided));
  if (result.unchanged.length) query.set("unchanged", result.unchanged.slice(0, 20).join(","));
  else query.delete("unchanged");
  return redirect(`/admin/rounds/${encodeURIComponent(params.code)}/screening?${query}`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "screening.title");


export default function Screening({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const navigation = useNavigation();
  const { queue, done, unchanged } = loaderData;
  const r = queue.round;
  const [clientErrors, setClientErrors] = useState<{ reason?: string[]; form?: string[] } | null>(null);
  const refused = actionData?.result.error;
  const serverErrors = refused ? { reason: refused.reason ?? undefined, form: [...(refused[""] ?? []), ...(refused.ids ?? []), ...(refused.outcome ?? [])] } : null;
  const errors = clientErrors ?? serverErrors;
  const typed = refused ? typedOf(actionData.result.initialValue as ScreeningForm | undefined) : null;
  const busy = navigation.state === "submitting";

  // the same schema the server uses, before anything is sent
  const validate = (e: FormEvent<HTMLFormElement>) => {
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const parsed = parseWithZod(new FormData(e.currentTarget, submitter), { schema: ScreeningFormSchema });
    if (parsed.status === "success") return setClientErrors(null);
    e.preventDefault();
    const { reason, ...others } = parsed.error ?? {};
    setClientErrors({ reason: reason ?? [], form: Object.values(others).flatMap((m) => m ?? []) });
  };

  const statusHref = (s: string | null) => {
    const p = new URLSearchParams(location.search);
    if (s) p.set("status", s);
    else p.delete("status");
    p.delete("page");
    p.delete("cursor");
    p.delete("done");
    p.delete("unchanged");
    return `${location.pathname}?${p}`;
  };
  const allCount = SCREENABLE_STATUSES.reduce((n, s) => n + queue.counts[s], 0);
  const query = new URLSearchParams(location.search);
  const activeStatus = SCREENABLE_STATUSES.find((x) => x === query.get("status")) ?? null;

  return (
    <div>
      <PageTitle sub={t("screening.subtitle", { round: `${r.code} · ${r.title}` })}>{t("screening.title")}</PageTitle>

      {!queue.canDecide ? (
        <p role="note" className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="screening-readonly">
          {t("screening.readOnly", { phase: t(`rounds.phase.${r.phase}`) })}
        </p>
      ) : null}
      {done !== null && !actionData ? (
        <div role="status" className="mb-4 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="screening-done">
          <p>{t("screening.done", { count: done })}</p>
          {unchanged.length ? <p>{t("screening.done.unchanged", { list: unchanged.join(locale === "en" ? ", " : "、") })}</p> : null}
        </div>
      ) : null}

      <nav aria-label={t("screening.counts")} className="mb-4">
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="status-counts">
          {[null, ...SCREENABLE_STATUSES].map((s) => (
            <li key={s ?? "all"}>
              <Link
                to={statusHref(s)}
                aria-current={activeStatus === s ? "page" : undefined}
                className={`inline-block rounded border px-3 py-1 ${activeStatus === s ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white"}`}
              >
                {s ? t(`proposal.status.${s}`) : t("screening.all")} · {s ? queue.counts[s] : allCount}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <FilterBar label={t("screening.filters")} idPrefix="screening" values={Object.fromEntries(query)} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5">
        <FilterInput name="q" label={t("screening.filter.q")} maxLength={50} className="lg:col-span-2" />
        <FilterSelect name="status" label={t("screening.filter.status")} allLabel={t("screening.filter.allStatuses")} options={SCREENABLE_STATUSES.map((s) => ({ value: s, label: t(`proposal.status.${s}`) }))} />
        <RoundProposalFilters communities={queue.communities} categories={queue.categories} />
        <KeepParam name="per" value={query.get("per") || null} />
        <FilterActions apply={t("screening.filter.apply")} />
      </FilterBar>

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" data-testid="screening-total">
          {t("screening.total", { count: queue.total })}
        </p>
        <PerPage per={queue.per} sizes={SCREENING_PAGE_SIZES} />
      </div>
      <ExportLinks dataset="proposals" extra={{ round: r.code }} className="mb-3" />
      <p className="mb-3 text-sm">
        <a href={`/admin/rounds/${r.code}/screening.pdf`} className="font-medium text-brand-700 underline" download data-testid="screening-pdf">{t("doc.screening.download")}</a>
      </p>

      {queue.items.length === 0 ? (
        <EmptyState title={t("screening.empty")} />
      ) : (
        <Form method="post" key={actionData ? JSON.stringify(typed) : "fresh"} onSubmit={queue.canDecide ? validate : undefined} aria-label={t("screening.title")}>
          {queue.canDecide ? (
            <fieldset className="mb-4 space-y-3 rounded-lg bg-white p-4 shadow-sm" data-testid="decision-panel">
              <legend className="px-1 font-semibold">{t("screening.bulk.legend")}</legend>
              {errors?.form?.length ? (
                <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="screening-errors">
                  <ul>
                    {errors.form.map((e) => (
                      <li key={e}>{t(e)}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <ControlFrame id="screening-reason" label={t("screening.reason")} hint={t("screening.reason.hint")} errors={errors?.reason}>
                {(p) => <textarea {...p} name="reason" rows={3} maxLength={REASON_MAX} defaultValue={typed?.reason ?? ""} className={inputClass} />}
              </ControlFrame>
              <div className="flex flex-wrap gap-3">
                {SCREENING_OUTCOMES.map((o) => (
                  <button key={o} type="submit" name="outcome" value={o} disabled={busy} className={`rounded px-4 py-2 font-medium text-white disabled:opacity-60 ${OUTCOME_BUTTON[o].bulk}`}>
                    {t(OUTCOME_BUTTON[o].label)}
                  </button>
                ))}
              </div>
            </fieldset>
          ) : null}

          <ScrollArea className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm" data-testid="screening-table">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  {queue.canDecide ? (
                    <th scope="col" className="px-3 py-2">
                      <span className="sr-only">{t("screening.col.select")}</span>
                    </th>
                  ) : null}
                  <ProposalColumnHeads />
                  <th scope="col" className="px-3 py-2">{t("screening.col.submittedAt")}</th>
                  <th scope="col" className="px-3 py-2">{t("screening.col.decision")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {queue.items.map((p) => {
                  const latest = p.decisions[p.decisions.length - 1];
                  return (
                    <tr key={p.id} data-testid={`screening-row-${p.referenceNo}`} className="align-top">
                      {queue.canDecide ? (
                        <td className="px-3 py-2">
                          <input
                            type="checkbox"
                            name="ids"
                            value={p.id}
                            id={`select-${p.id}`}
                            defaultChecked={typed?.ids.includes(p.id) ?? false}
                            aria-label={t("screening.select", { referenceNo: p.referenceNo })}
                            className="h-5 w-5"
                          />
                        </td>
                      ) : null}
                      <ProposalCells
                        p={p}
                        categories={queue.categories}
                        title={
                          <TextLink to={`/proposals/${p.id}`}>{p.title}</TextLink>
                        }
                      />
                      <td className="px-3 py-2 whitespace-nowrap">{p.submittedAt ? formatDateTime(locale, p.submittedAt) : ""}</td>
                      <td className="px-3 py-2" data-testid="screening-decision">
                        {p.status === "SUBMITTED" ? <span className="text-slate-600">{t("screening.decision.pending")}</span> : <ProposalStatus status={p.status} />}
                        {latest ? (
                          <div className="mt-1 space-y-0.5">
                            <p className="whitespace-pre-wrap" data-testid="screening-reason">
                              {latest.reason || <span className="text-slate-500">{t("screening.decision.noReason")}</span>}
                            </p>
                            <p className="text-xs text-slate-600">
                              {t("screening.decision.by", { name: latest.by, at: formatDateTime(locale, latest.at) })}
                              {latest.reversal ? ` ${t("screening.decision.reversal")}` : ""}
                            </p>
                          </div>
                        ) : null}
                        {p.decisions.length > 1 ? (
                          <details className="mt-1 text-xs">
                            <summary className="cursor-pointer text-brand-700">{t("screening.history", { count: p.decisions.length })}</summary>
                            <ol className="mt-1 space-y-1">
                              {p.decisions.map((d) => (
                                <li key={d.id}>
                                  {t(`proposal.status.${d.outcome}`)} · {d.reason || t("screening.decision.noReason")} ·{" "}
                                  {t("screening.decision.by", { name: d.by, at: formatDateTime(locale, d.at) })}
                                  {d.reversal ? ` ${t("screening.decision.reversal")}` : ""}
                                </li>
                              ))}
                            </ol>
                          </details>
                        ) : null}
                        {queue.canDecide ? (
                          <div role="group" aria-label={t("screening.row.actions", { referenceNo: p.referenceNo })} className="mt-2 flex gap-2">
                            {SCREENING_OUTCOMES.filter((o) => o !== p.status).map((o) => (
                              <button
                                key={o}
                                type="submit"
                                name="single"
                                value={`${o}:${p.id}`}
                                disabled={busy}
                                aria-label={`${t(OUTCOME_BUTTON[o].label)} ${p.referenceNo}`}
                                className={`rounded border px-2 py-0.5 ${OUTCOME_BUTTON[o].row}`}
                              >
                                {t(OUTCOME_BUTTON[o].label)}
                              </button>
                            ))}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollArea>
        </Form>
      )}
      <NumberedPager pager={queue.pager} />
    </div>
  );
}
