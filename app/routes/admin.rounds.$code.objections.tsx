import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.rounds.$code.objections";
import { ConfirmSubmit, FormErrors, getFormProps, inputClass, useZodForm } from "~/components/form";
import { controlProps, rowReply, WrappedField } from "~/components/review-form";
import { Done, EmptyState, PageTitle } from "~/components/ui";
import { RESOLVE_ACTIONS, resolveFields, resolveRules } from "~/domain/awards";
import { formatFen } from "~/domain/money";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { resolveObjection, roundObjections } from "~/services/awards/awards.server";

const ResolveIntent = z.object({ intent: z.literal("resolve"), ...resolveFields }).superRefine(resolveRules);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { view: await roundObjections(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ResolveIntent);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await resolveObjection(viewer, params.code, submission.value);
  return r.ok ? redirect(`/admin/rounds/${encodeURIComponent(params.code)}/objections?done=${submission.value.decision}`) : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "objection.adminTitle");

export default function ObjectionsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  return (
    <div className="space-y-6">
      <PageTitle sub={view.round.title}>{t("objection.adminTitle")}</PageTitle>
      <Done message={done ? `objection.done.${done}` : null} />
      {view.objections.length === 0 ? (
        <EmptyState title={t("objection.none")} />
      ) : (
        <ul className="space-y-4">
          {view.objections.map((o) => {
            return (
              <li key={o.id} className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={`objection-${o.proposal.referenceNo}`}>
                <p className="text-sm">
                  <span className="font-mono">{o.proposal.referenceNo}</span> {o.proposal.title} · {t(`results.outcome.${o.award.outcome}`)} {formatFen(o.award.awardFen)} ·{" "}
                  <strong>{t(`objection.status.${o.status}`)}</strong>
                </p>
                <p className="text-sm text-slate-700">{t("objection.by", { name: o.user.name, email: o.user.email ?? "—", date: formatDateTime(locale, o.createdAt) })}</p>
                <p className="whitespace-pre-line">{o.reason}</p>
                {o.attachmentUploadId ? <a href={`/admin/objections/${o.id}/attachment`} className="text-sm text-brand-700 underline">{t("objection.viewAttachment")}</a> : null}
                {o.resolution ? <p className="border-l-4 border-slate-300 pl-2 text-sm">{t("notice.resolution")}：{o.resolution}</p> : null}
                {o.status === "OPEN" ? (
                  <ResolveForm objectionId={o.id} actionData={actionData} />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Dismissing or upholding one objection: each has its own form id, so only the one submitted shows what was typed and its errors. */
function ResolveForm({ objectionId, actionData }: { objectionId: string; actionData: unknown }) {
  const t = useT();
  const [form, fields] = useZodForm(ResolveIntent, rowReply(actionData, "resolve", "objectionId", objectionId), { id: `resolve-${objectionId}` });
  const decision = fields.decision.initialValue ?? "dismiss";
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-3 border-t border-slate-200 pt-3 sm:grid-cols-2">
      <input type="hidden" name="intent" value="resolve" />
      <input type="hidden" name="objectionId" value={objectionId} />
      <div className="sm:col-span-2">
        <FormErrors form={form} />
      </div>
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium">{t("objection.decision")}</legend>
        <label className="mr-4 text-sm"><input type="radio" name={fields.decision.name} value="dismiss" defaultChecked={decision === "dismiss"} /> {t("objection.dismiss")}</label>
        <label className="text-sm"><input type="radio" name={fields.decision.name} value="uphold" defaultChecked={decision === "uphold"} /> {t("objection.uphold")}</label>
      </fieldset>
      <WrappedField meta={fields.action} label={t("objection.action")}>
        <select {...controlProps(fields.action)} defaultValue={fields.action.initialValue ?? "none"} className={inputClass}>
          {RESOLVE_ACTIONS.map((a) => <option key={a} value={a}>{t(`objection.actionKind.${a}`)}</option>)}
        </select>
      </WrappedField>
      <WrappedField meta={fields.amountFen} label={t("results.override.amount")}>
        <input {...controlProps(fields.amountFen)} inputMode="decimal" className={inputClass} />
      </WrappedField>
      <WrappedField meta={fields.resolution} label={t("objection.resolutionLabel")} className="block text-sm sm:col-span-2">
        <textarea {...controlProps(fields.resolution)} rows={3} maxLength={2000} required className={inputClass} />
      </WrappedField>
      <ConfirmSubmit label={t("objection.resolve")} question={t("objection.resolveQuestion")} confirm={t("objection.confirmResolve")} className="sm:col-span-2" />
    </Form>
  );
}
