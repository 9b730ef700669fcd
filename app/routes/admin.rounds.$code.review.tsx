import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code.review";
import { FormActions, FormErrors, getFormProps, inputClass, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { controlProps, WrappedField } from "~/components/review-form";
import { cell, ConfirmAction, DataTable, Done, EmptyState, PageTitle, Pagination, Problems, Section } from "~/components/ui";
import { PhaseBadge } from "~/components/round-form";
import { InviteJudgeSchema } from "~/domain/judges";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { autoAssign, inviteJudge, removeJudge, reviewOverview, swapJudge } from "~/services/review/judges.server";

const InviteIntent = InviteJudgeSchema.extend({ intent: z.literal("invite") });
const AssignIntent = z.object({ intent: z.literal("assign") });
const SwapIntent = z.object({
  intent: z.literal("swap"),
  proposalId: z.string().min(1),
  fromSeatId: z.string().min(1),
  toSeatId: z.string().min(1),
  confirmSubmitted: z.boolean().optional().default(false),
});
const RemoveIntent = z.object({ intent: z.literal("remove"), seatId: z.string().min(1) });
const Intents = z.discriminatedUnion("intent", [InviteIntent, AssignIntent, SwapIntent, RemoveIntent]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  return { overview: await reviewOverview(viewer, params.code, url.searchParams.get("page")), done: url.searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const back = (done: string) => redirect(`/admin/rounds/${encodeURIComponent(params.code)}/review?done=${done}`);
  const v = submission.value;
  switch (v.intent) {
    case "invite": {
      const r = await inviteJudge(viewer, params.code, v);
      return r.ok ? back(r.resent ? "resent" : "invited") : problemReply(submission, r.problem);
    }
    case "assign": {
      const r = await autoAssign(viewer, params.code);
      return r.ok ? back("assigned") : problemReply(submission, r.problem);
    }
    case "swap": {
      const r = await swapJudge(viewer, params.code, v);
      return r.ok ? back("swapped") : problemReply(submission, r.problem);
    }
    case "remove": {
      const r = await removeJudge(viewer, params.code, v.seatId);
      return r.ok ? back("removed") : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "review.title");



export default function ReviewPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { overview: o, done } = loaderData;
  const [invite, inviteFields] = useZodForm(InviteIntent, replyFor(actionData, "invite"), { id: "invite" });
  const [assign] = useZodForm(AssignIntent, replyFor(actionData, "assign"), { id: "assign" });
  const [swap, swapFields] = useZodForm(SwapIntent, replyFor(actionData, "swap"), { id: "swap" });
  return (
    <div className="space-y-8">
      <PageTitle sub={<>{o.round.code} · <PhaseBadge phase={o.round.phase} /></>}>{t("review.title")}</PageTitle>
      <Done message={done ? `review.done.${done}` : null} />
      <p className="text-sm text-slate-700">{t("review.intro", { k: o.round.k })}</p>

      <Section id="judges-h" title={t("review.judges.title", { count: o.seats.length })}>
        <DataTable
          testId="judges-table"
          headers={[t("review.judges.name"), t("review.judges.email"), t("review.judges.status"), t("review.judges.load"), t("review.judges.conflicts"), t("review.actions")]}
          empty={o.seats.length === 0 && <EmptyState title={t("review.judges.empty")} />}
        >
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
        {o.canInvite ? (
          <Form method="post" {...getFormProps(invite)} className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2" aria-labelledby="invite-h">
            <h3 id="invite-h" className="font-semibold sm:col-span-2">{t("review.invite.title")}</h3>
            <div className="sm:col-span-2">
              <FormErrors form={invite} />
            </div>
            <WrappedField meta={inviteFields.name} label={t("review.invite.name")}>
              <input {...controlProps(inviteFields.name)} required maxLength={60} className={inputClass} />
            </WrappedField>
            <WrappedField meta={inviteFields.email} label={t("review.invite.email")}>
              <input {...controlProps(inviteFields.email)} type="email" required className={inputClass} />
            </WrappedField>
            <WrappedField meta={inviteFields.employerUsccs} label={t("review.invite.employerUsccs")} className="block text-sm sm:col-span-2">
              <input {...controlProps(inviteFields.employerUsccs)} className={inputClass} aria-describedby="uscc-hint" />
              <span id="uscc-hint" className="text-xs text-slate-600">{t("review.invite.employerUsccsHint")}</span>
            </WrappedField>
            <FormActions submit={t("review.invite.submit")} intent="invite" className="sm:col-span-2" />
          </Form>
        ) : null}
      </Section>

      <Section id="matrix-h" title={t("review.matrix.title")}>
        <p className="text-sm" data-testid="matrix-summary">
          {t("review.matrix.summary", { proposals: o.total, assigned: o.assignedTotal, short: o.short })}{" "}
          {o.balance ? t(o.balance.max - o.balance.min <= 1 ? "review.matrix.balanced" : "review.matrix.unbalanced", o.balance) : null}
        </p>
        <Problems errors={assign.errors} testId="assign-problems" />
        {o.canAssign ? (
          <Form method="post" {...getFormProps(assign)}>
            <SubmitButton name="intent" value="assign">{t("review.assign.submit")}</SubmitButton>
          </Form>
        ) : (
          <p className="text-sm text-slate-600">{t("review.assign.onlyInReview")}</p>
        )}
        <DataTable
          testId="assignment-matrix"
          headers={[t("review.matrix.proposal"), ...o.acceptedSeats.map((s) => s.name)]}
          empty={o.rows.length === 0 && <EmptyState title={t("review.matrix.empty")} />}
        >
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
        </DataTable>
        <p className="text-xs text-slate-600">{t("review.matrix.legend")}</p>
        <Pagination page={o.page} pages={o.pageCount} />
        {o.canAssign && o.rows.length > 0 ? (
          <Form method="post" {...getFormProps(swap)} className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3" aria-labelledby="swap-h">
            <h3 id="swap-h" className="font-semibold sm:col-span-3">{t("review.swap.title")}</h3>
            <Problems errors={swap.errors} testId="swap-problems" />
            <WrappedField meta={swapFields.proposalId} label={t("review.matrix.proposal")}>
              <select {...controlProps(swapFields.proposalId)} className={inputClass} required>
                {o.rows.map((r) => (
                  <option key={r.id} value={r.id}>{r.referenceNo}</option>
                ))}
              </select>
            </WrappedField>
            {([["fromSeatId", "review.swap.from"], ["toSeatId", "review.swap.to"]] as const).map(([name, label]) => (
              <WrappedField key={name} meta={swapFields[name]} label={t(label)}>
                <select {...controlProps(swapFields[name])} className={inputClass} required>
                  {o.acceptedSeats.map((s) => (
                    <option key={s.id} value={s.id}>{s.name}</option>
                  ))}
                </select>
              </WrappedField>
            ))}
            <label className="flex items-center gap-2 text-sm sm:col-span-3">
              <input type="checkbox" name="confirmSubmitted" /> {t("review.swap.confirmSubmitted")}
            </label>
            <FormActions submit={t("review.swap.submit")} intent="swap" className="sm:col-span-3" />
          </Form>
        ) : null}
      </Section>
    </div>
  );
}
