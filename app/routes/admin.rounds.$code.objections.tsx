import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.objections";
import { inputClass, SubmitButton } from "~/components/form";
import { ReviewNav } from "~/components/review-nav";
import { Done, EmptyState, PageTitle, Problems } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { resolveObjection, roundObjections } from "~/services/awards/awards.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { view: await roundObjections(viewer, params.code), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const objectionId = String(form.get("objectionId") ?? "");
  const values = {
    decision: String(form.get("decision") ?? ""),
    resolution: String(form.get("resolution") ?? ""),
    action: String(form.get("action") ?? "none"),
    amountFen: String(form.get("amountFen") ?? ""),
  };
  const result = await resolveObjection(viewer, params.code, objectionId, { ...values, amountFen: values.amountFen || undefined });
  if (result.ok) return redirect(`/admin/rounds/${encodeURIComponent(params.code)}/objections?done=${values.decision}`);
  return data({ objectionId, values, formErrors: result.formErrors }, { status: 400 });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "objection.adminTitle");

export default function ObjectionsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  return (
    <div className="space-y-6">
      <ReviewNav code={view.round.code} />
      <PageTitle sub={view.round.title}>{t("objection.adminTitle")}</PageTitle>
      <Done message={done ? `objection.done.${done}` : null} />
      {view.objections.length === 0 ? (
        <EmptyState title={t("objection.none")} />
      ) : (
        <ul className="space-y-4">
          {view.objections.map((o) => {
            const mine = actionData?.objectionId === o.id ? actionData : null;
            return (
              <li key={o.id} className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={`objection-${o.proposal.referenceNo}`}>
                <p className="text-sm">
                  <span className="font-mono">{o.proposal.referenceNo}</span> {o.proposal.title} · {t(`results.outcome.${o.award.outcome}`)} {formatFen(o.award.awardFen)} ·{" "}
                  <strong>{t(`objection.status.${o.status}`)}</strong>
                </p>
                <p className="text-sm text-slate-700">{t("objection.by", { name: o.user.name, email: o.user.email, date: formatDateTime(locale, o.createdAt) })}</p>
                <p className="whitespace-pre-line">{o.reason}</p>
                {o.attachmentUploadId ? <a href={`/admin/objections/${o.id}/attachment`} className="text-sm text-brand-700 underline">{t("objection.viewAttachment")}</a> : null}
                {o.resolution ? <p className="border-l-4 border-slate-300 pl-2 text-sm">{t("notice.resolution")}：{o.resolution}</p> : null}
                {o.status === "OPEN" ? (
                  <Form method="post" className="grid gap-3 border-t border-slate-200 pt-3 sm:grid-cols-2">
                    <input type="hidden" name="objectionId" value={o.id} />
                    <Problems errors={mine?.formErrors} />
                    <fieldset className="sm:col-span-2">
                      <legend className="text-sm font-medium">{t("objection.decision")}</legend>
                      <label className="mr-4 text-sm"><input type="radio" name="decision" value="dismiss" defaultChecked={(mine?.values.decision ?? "dismiss") === "dismiss"} /> {t("objection.dismiss")}</label>
                      <label className="text-sm"><input type="radio" name="decision" value="uphold" defaultChecked={mine?.values.decision === "uphold"} /> {t("objection.uphold")}</label>
                    </fieldset>
                    <label className="block text-sm">
                      {t("objection.action")}
                      <select name="action" defaultValue={mine?.values.action ?? "none"} className={inputClass}>
                        {["none", "exclude", "amount", "fund"].map((a) => <option key={a} value={a}>{t(`objection.actionKind.${a}`)}</option>)}
                      </select>
                    </label>
                    <label className="block text-sm">
                      {t("results.override.amount")}
                      <input name="amountFen" inputMode="decimal" defaultValue={mine?.values.amountFen ?? ""} className={inputClass} />
                    </label>
                    <label className="block text-sm sm:col-span-2">
                      {t("objection.resolutionLabel")}
                      <textarea name="resolution" rows={3} maxLength={2000} required defaultValue={mine?.values.resolution ?? ""} className={inputClass} />
                    </label>
                    <details className="sm:col-span-2">
                      <summary className="inline-block cursor-pointer rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("objection.resolve")}</summary>
                      <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
                        <p>{t("objection.resolveQuestion")}</p>
                        <SubmitButton>{t("objection.confirmResolve")}</SubmitButton>
                      </div>
                    </details>
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
