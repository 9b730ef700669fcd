import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/admin.rounds.$code";
import { getFormProps, parseWithZod, SubmitButton, useZodForm } from "~/components/form";
import { FormProblems, PhaseBadge, RoundSettingsFields, type RoundFormValues } from "~/components/round-form";
import { ConfirmAction, PageTitle } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { phaseAtLeast, RoundSettingsFormSchema, RoundSettingsSchema, SETTING_FIELDS } from "~/domain/rounds";
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
  const formData = await request.formData();
  if (formData.get("intent") === "move") {
    const moved = await movePhase(viewer, params.code, String(formData.get("to") ?? ""));
    return data(
      { intent: "move" as const, moved: moved.ok ? moved.phase : null, problem: moved.ok ? null : moved.problem, result: null, values: null },
      { status: moved.ok ? 200 : 409 },
    );
  }
  const submission = parseWithZod(formData, { schema: RoundSettingsSchema });
  const values = submission.payload as RoundFormValues;
  if (submission.status !== "success") {
    return data({ intent: "save" as const, moved: null, problem: null, result: submission.reply(), values }, { status: 400 });
  }
  const version = Number.parseInt(String(formData.get("version") ?? ""), 10);
  const saved = await updateRound(viewer, params.code, submission.value, version);
  if (!saved.ok) {
    return data(
      { intent: "save" as const, moved: null, problem: null, result: submission.reply({ fieldErrors: saved.fieldErrors, formErrors: saved.formErrors }), values },
      { status: saved.formErrors?.length ? 409 : 400 },
    );
  }
  return redirect(`/admin/rounds/${params.code}?saved=1`);
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData ? [{ title: `${loaderData.round.title} · ${pageMeta(matches, "rounds.admin.title")[0]!.title}` }] : pageMeta(matches, "rounds.admin.title");

export default function AdminRound({ loaderData: p, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const r = p.round;
  const saveResult = actionData?.intent === "save" ? actionData.result : null;
  // Conform is told the saved values, so that a form reset (it happens when the page is rebuilt
  // after a save) returns every input — selects included — to them rather than to blank
  const [form] = useZodForm(RoundSettingsFormSchema, saveResult, { id: `round-${r.code}-${r.version}`, defaultValue: p.values });
  const values = (actionData?.intent === "save" && actionData.values) || p.values;
  const phaseName = (phase: string) => t(`rounds.phase.${phase}`);
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="flex flex-wrap gap-x-4 text-sm">
        <Link to="/admin/rounds" className="text-brand-700 underline">
          {t("rounds.admin.title")}
        </Link>
        <Link to={`/rounds/${r.code}`} className="text-brand-700 underline">
          {t("rounds.edit.publicPage")}
        </Link>
        {phaseAtLeast(r.phase, "SCREENING") ? (
          <Link to={`/admin/rounds/${r.code}/screening`} className="text-brand-700 underline">
            {t("rounds.edit.screening")}
          </Link>
        ) : null}
      </nav>
      <PageTitle sub={`${r.code} · ${localName(locale, r.area)} · ${localName(locale, r.foundation)}`}>{t("rounds.edit.title", { title: r.title })}</PageTitle>

      {p.notice ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="round-notice">
          {t(p.notice)}
        </p>
      ) : null}

      <section aria-labelledby="phase-h" className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6" data-testid="phase-panel">
        <h2 id="phase-h" className="text-lg font-semibold">
          {t("rounds.move.title")}
        </h2>
        <p className="flex flex-wrap items-center gap-2">
          {t("rounds.move.current")}
          <PhaseBadge phase={r.phase} />
        </p>
        <p className="text-sm text-slate-700">
          {t("rounds.page.poolBalance")}: <span className="font-semibold tabular-nums">{formatFen(p.poolBalanceFen)}</span> ·{" "}
          {t("rounds.page.count.submitted")}: {p.counts.submitted} · {t("rounds.page.count.eligible")}: {p.counts.eligible}
        </p>
        {actionData?.intent === "move" && actionData.moved ? (
          <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="move-notice">
            {t("rounds.phase.moved", { phase: phaseName(actionData.moved) })}
          </p>
        ) : null}
        {actionData?.intent === "move" && actionData.problem ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
            {t(actionData.problem)}
          </p>
        ) : null}
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
      </section>

      <Form method="post" {...getFormProps(form)} key={`${r.version}`} className="space-y-6">
        <input type="hidden" name="version" value={r.version} />
        <p role="note" className="rounded border border-slate-300 bg-slate-100 p-3 text-sm text-slate-800">
          {t("rounds.edit.fixed")} {p.editable.length < SETTING_FIELDS.length ? t("rounds.edit.frozenNote") : null}
        </p>
        <FormProblems status={saveResult?.status} formErrors={form.errors} />
        <RoundSettingsFields formId={form.id} values={values} errors={form.allErrors} editable={p.editable} />
        {p.editable.length ? <SubmitButton>{t("rounds.edit.submit")}</SubmitButton> : null}
      </Form>
    </div>
  );
}
