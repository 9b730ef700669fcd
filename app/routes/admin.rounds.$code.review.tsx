import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.review";
import { inputClass, SubmitButton } from "~/components/form";
import { ReviewNav } from "~/components/review-nav";
import { cell, ConfirmAction, DataTable, Done, EmptyState, PageTitle, Pagination, Problems } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { withParams } from "~/domain/messages";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { autoAssign, inviteJudge, removeJudge, reviewOverview, swapJudge } from "~/services/review/judges.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  return { overview: await reviewOverview(viewer, params.code, url.searchParams.get("page")), done: url.searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const back = (done: string) => redirect(`/admin/rounds/${encodeURIComponent(params.code)}/review?done=${done}`);
  if (intent === "invite") {
    const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), employerUsccs: String(form.get("employerUsccs") ?? "") };
    const result = await inviteJudge(viewer, params.code, values);
    return result.ok ? back(result.resent ? "resent" : "invited") : data({ intent, formErrors: result.formErrors, values }, { status: 400 });
  }
  if (intent === "assign") {
    const result = await autoAssign(viewer, params.code);
    if (result.ok) return back("assigned");
    const errors = result.problems.length
      ? result.problems.map((p) => {
          const name = (id: string) => result.names[id] ?? id;
          if (p.code === "notEnoughEligibleJudges")
            return withParams("review.assign.notEnough", {
              proposal: name(p.proposalId),
              eligible: p.eligible,
              required: p.required,
              conflicted: p.conflicted.map((c) => name(c.judgeId)).join("、") || "—",
            });
          if (p.code === "tooFewJudges") return withParams("review.assign.tooFew", { judges: p.judges, required: p.required });
          return `review.assign.${p.code}`;
        })
      : ["review.assign.closed"];
    return data({ intent, formErrors: errors, values: null }, { status: 409 });
  }
  if (intent === "swap") {
    const input = {
      proposalId: String(form.get("proposalId") ?? ""),
      fromSeatId: String(form.get("fromSeatId") ?? ""),
      toSeatId: String(form.get("toSeatId") ?? ""),
      confirmSubmitted: form.get("confirmSubmitted") === "on",
    };
    const result = await swapJudge(viewer, params.code, input);
    return result.ok ? back("swapped") : data({ intent, formErrors: [`review.swap.problem.${result.problem}`], values: null }, { status: 409 });
  }
  if (intent === "remove") {
    await removeJudge(viewer, params.code, String(form.get("seatId") ?? ""));
    return back("removed");
  }
  return data({ intent, formErrors: ["review.badRequest"], values: null }, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.title");

const th = "border-b border-slate-300 px-2 py-1 text-left font-medium whitespace-nowrap";


export default function ReviewPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { overview: o, done } = loaderData;
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.formErrors : null);
  const values = actionData?.intent === "invite" ? actionData.values : null;
  return (
    <div className="space-y-8">
      <ReviewNav code={o.round.code} />
      <PageTitle sub={<>{o.round.code} · <PhaseBadge phase={o.round.phase} /></>}>{t("review.title")}</PageTitle>
      <Done message={done ? `review.done.${done}` : null} />
      <p className="text-sm text-slate-700">{t("review.intro", { k: o.round.k })}</p>

      <section aria-labelledby="judges-h" className="space-y-3">
        <h2 id="judges-h" className="text-xl font-semibold">{t("review.judges.title", { count: o.seats.length })}</h2>
        {o.seats.length === 0 ? (
          <EmptyState title={t("review.judges.empty")} />
        ) : (
          <DataTable testId="judges-table" headers={[t("review.judges.name"), t("review.judges.email"), t("review.judges.status"), t("review.judges.load"), t("review.judges.conflicts"), t("review.actions")]}>
                {o.seats.map((s) => (
                  <tr key={s.id} data-testid={`judge-${s.email}`}>
                    <td className={cell}>{s.name}</td>
                    <td className={cell}>{s.email}</td>
                    <td className={cell}>
                      {t(`review.status.${s.expired ? "EXPIRED" : s.status}`)}
                      {s.acceptedAt ? <span className="block text-xs text-slate-600">{formatDateTime(locale, s.acceptedAt)}</span> : null}
                    </td>
                    <td className={cell}>{s.load}</td>
                    <td className={cell}>
                      {s.conflicts.length === 0 ? (
                        "—"
                      ) : (
                        <ul>
                          {s.conflicts.map((c) => (
                            <li key={c.id}>
                              {c.organization?.name ?? c.proposal?.referenceNo} · {t(`review.kind.${c.kind}`)}
                              {c.note ? `（${c.note}）` : ""}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className={cell}>
                      {s.status !== "REMOVED" && o.canInvite ? (
                        <ConfirmAction label={t("review.judges.remove")} question={t("review.judges.removeQuestion", { name: s.name, load: s.load })} intent="remove" hidden={{ seatId: s.id }} />
                      ) : null}
                    </td>
                  </tr>
                ))}
          </DataTable>
        )}
        {o.canInvite ? (
          <Form method="post" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2" aria-labelledby="invite-h">
            <h3 id="invite-h" className="font-semibold sm:col-span-2">{t("review.invite.title")}</h3>
            <Problems errors={errorsFor("invite")} />
            <label className="block text-sm">
              {t("review.invite.name")}
              <input name="name" required maxLength={60} defaultValue={values?.name ?? ""} className={inputClass} />
            </label>
            <label className="block text-sm">
              {t("review.invite.email")}
              <input name="email" type="email" required defaultValue={values?.email ?? ""} className={inputClass} />
            </label>
            <label className="block text-sm sm:col-span-2">
              {t("review.invite.employerUsccs")}
              <input name="employerUsccs" defaultValue={values?.employerUsccs ?? ""} className={inputClass} aria-describedby="uscc-hint" />
              <span id="uscc-hint" className="text-xs text-slate-600">{t("review.invite.employerUsccsHint")}</span>
            </label>
            <div className="sm:col-span-2">
              <SubmitButton name="intent" value="invite">{t("review.invite.submit")}</SubmitButton>
            </div>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="matrix-h" className="space-y-3">
        <h2 id="matrix-h" className="text-xl font-semibold">{t("review.matrix.title")}</h2>
        <p className="text-sm" data-testid="matrix-summary">
          {t("review.matrix.summary", { proposals: o.total, assigned: o.assignedTotal, short: o.short })}{" "}
          {o.balance ? t(o.balance.max - o.balance.min <= 1 ? "review.matrix.balanced" : "review.matrix.unbalanced", o.balance) : null}
        </p>
        <Problems errors={errorsFor("assign")} testId="assign-problems" />
        {o.canAssign ? (
          <Form method="post">
            <SubmitButton name="intent" value="assign">{t("review.assign.submit")}</SubmitButton>
          </Form>
        ) : (
          <p className="text-sm text-slate-600">{t("review.assign.onlyInReview")}</p>
        )}
        {o.rows.length === 0 ? (
          <EmptyState title={t("review.matrix.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full bg-white text-sm" data-testid="assignment-matrix">
              <thead>
                <tr>
                  <th className={th}>{t("review.matrix.proposal")}</th>
                  {o.acceptedSeats.map((s) => (
                    <th key={s.id} className={th}>{s.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {o.rows.map((r) => (
                  <tr key={r.id} data-testid={`matrix-${r.referenceNo}`}>
                    <td className={cell}>
                      <span className="font-mono">{r.referenceNo}</span> {r.title}
                      <span className="block text-xs text-slate-600">{r.organization} · {t("review.matrix.judgesOf", { n: r.judges, k: o.round.k })}</span>
                    </td>
                    {r.cells.map((c) => (
                      <td key={c.seatId} className={`${cell} text-center`}>
                        {c.state === "assigned" ? (
                          <span title={t(`review.sheet.${c.sheet ?? "NONE"}`)}>{c.sheet === "SUBMITTED" ? "✔" : c.sheet === "DRAFT" ? "✎" : "●"}<span className="sr-only">{t(`review.sheet.${c.sheet ?? "NONE"}`)}</span></span>
                        ) : c.state === "conflict" ? (
                          <span className="text-red-800" title={t(`review.conflict.${c.reason}`)}>✕<span className="sr-only">{t(`review.conflict.${c.reason}`)}</span></span>
                        ) : (
                          ""
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-xs text-slate-600">{t("review.matrix.legend")}</p>
        <Pagination page={o.page} pages={o.pageCount} />
        {o.canAssign && o.rows.length > 0 ? (
          <Form method="post" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3" aria-labelledby="swap-h">
            <h3 id="swap-h" className="font-semibold sm:col-span-3">{t("review.swap.title")}</h3>
            <Problems errors={errorsFor("swap")} testId="swap-problems" />
            <label className="block text-sm">
              {t("review.matrix.proposal")}
              <select name="proposalId" className={inputClass} required>
                {o.rows.map((r) => (
                  <option key={r.id} value={r.id}>{r.referenceNo}</option>
                ))}
              </select>
            </label>
            <label className="block text-sm">
              {t("review.swap.from")}
              <select name="fromSeatId" className={inputClass} required>
                {o.acceptedSeats.map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </select>
            </label>
            <label className="block text-sm">
              {t("review.swap.to")}
              <select name="toSeatId" className={inputClass} required>
                {o.acceptedSeats.map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-2 text-sm sm:col-span-3">
              <input type="checkbox" name="confirmSubmitted" /> {t("review.swap.confirmSubmitted")}
            </label>
            <div className="sm:col-span-3">
              <SubmitButton name="intent" value="swap">{t("review.swap.submit")}</SubmitButton>
            </div>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
