import { useSyncExternalStore, type CSSProperties, type ReactElement, type ReactNode } from "react";
import { Form, Link, redirect } from "react-router";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { z } from "zod";
import type { Route } from "./+types/admin.dashboard";
import { CheckboxField, FormActions, FormErrors, getFormProps, inputClass, replyErrors, replyFor, TextareaField, TextField, useZodForm } from "~/components/form";
import { AreaExports } from "~/components/area-exports";
import { RankingTable } from "~/components/ranking-table";
import { cell, ConfirmAction, DataTable, Done, EmptyState, PageTitle, Pagination, Problems, Section, Stat, TextLink } from "~/components/ui";
import { alertDetail, alertPath, ALERT_KINDS } from "~/domain/alerts";
import { formatFen, formatYuanTick } from "~/domain/money";
import { ATTENDANCE_WEIGHT_MAX, COMPONENTS } from "~/domain/org-ranking";
import { NOTE_MAX } from "~/domain/ranking-notice";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { dashboard, setAttendanceWeight, setRankingWeights } from "~/services/areas/dashboard.server";
import { recomputeRanking } from "~/services/areas/ranking.server";
import { publishRankingNotice } from "~/services/areas/ranking-notice.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const search = new URL(request.url).searchParams;
  const view = await dashboard(viewer, {
    area: search.get("area"),
    quarter: search.get("quarter"),
    page: search.get("page"),
    kind: search.get("kind"),
    rpage: search.get("rpage"),
  });
  return { view, done: search.get("done") };
}

type Component = (typeof COMPONENTS)[number];

/**
 * The weights as typed, one text per ranking component: the service reads them as whole
 * percentages that add up to 100 (domain/org-ranking.ts parseWeights) and says what is wrong.
 */
const WeightsSchema = z.object({
  intent: z.literal("weights"),
  area: z.string(),
  ...(Object.fromEntries(COMPONENTS.map((c) => [c, z.string({ error: "validation.required" })])) as Record<Component, z.ZodString>),
});

/** The weight of training attendance as typed: the service reads it as a whole percentage 0–100 (domain/org-ranking.ts parseAttendanceWeight). */
const AttendanceWeightSchema = z.object({
  intent: z.literal("attendanceWeight"),
  area: z.string(),
  attendanceWeight: z.string({ error: "dashboard.attendanceWeight.integer" }),
});

/** Publishing the quarter's ranking (通报): the note, and the box that confirms it cannot be undone. */
const NoticeSchema = z.object({
  intent: z.literal("publishNotice"),
  area: z.string(),
  quarter: z.string(),
  note: z.string({ error: "validation.required" }).max(NOTE_MAX, { error: "rankingNotice.noteLong" }),
  confirm: z.literal("on", { error: "rankingNotice.confirm" }),
});

const Intents = z.discriminatedUnion("intent", [
  WeightsSchema,
  AttendanceWeightSchema,
  NoticeSchema,
  z.object({ intent: z.literal("resetWeights"), area: z.string() }),
  // "recompute now": the ranking of the quarter in view, from the data and weights as they are
  z.object({ intent: z.literal("recompute"), area: z.string(), quarter: z.string() }),
]);

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "weights":
    case "resetWeights": {
      // "resetWeights" goes back to the defaults (or the parent's weights): nothing typed is read
      const r = await setRankingWeights(viewer, v.area, v, v.intent === "resetWeights");
      if (!r.ok) return problemReply(submission, r.problem);
      return redirect(`/admin/dashboard?area=${encodeURIComponent(v.area)}&done=${v.intent}#ranking`);
    }
    case "attendanceWeight": {
      // officials of the area (or above) only: anyone else is refused (403)
      const r = await setAttendanceWeight(viewer, v.area, v.attendanceWeight);
      if (!r.ok) return problemReply(submission, r.problem);
      return redirect(`/admin/dashboard?area=${encodeURIComponent(v.area)}&done=${v.intent}#ranking`);
    }
    case "publishNotice": {
      const r = await publishRankingNotice(viewer, v);
      if (!r.ok) return problemReply(submission, r.problem);
      return redirect(`/ranking-notices/${r.number}?published=1`);
    }
    case "recompute": {
      const r = await recomputeRanking(viewer, v.area, v.quarter);
      if (!r.ok) return problemReply(submission, r.problem);
      return redirect(`/admin/dashboard?${new URLSearchParams({ area: v.area, quarter: v.quarter, done: v.intent })}#ranking`);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "dashboard.title");

/** Renders children only in the browser (charts measure the DOM); the tables carry the same figures. */
const noSubscription = () => () => {};
function ClientOnly({ children }: { children: () => ReactNode }) {
  const browser = useSyncExternalStore(noSubscription, () => true, () => false);
  return browser ? <>{children()}</> : null;
}

/** A chart, drawn in the browser only, in a figure whose caption points at the table that carries the same figures. */
function ChartFigure({ label, className, style, children }: { label: string; className: string; style?: CSSProperties; children: ReactElement }) {
  const t = useT();
  return (
    <ClientOnly>
      {() => (
        <figure className={className} style={style} aria-label={label}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
          <figcaption className="sr-only">{t("dashboard.chart.tableNote")}</figcaption>
        </figure>
      )}
    </ClientOnly>
  );
}

/** Numbered pages for one of the page's lists (`param` names its page number, `label` the list's pages). */
function Pager({ param, page, pages, hash, label }: { param: string; page: number; pages: number; hash: string; label: string }) {
  return <Pagination page={page} pages={pages} param={param} hash={hash} label={label} className="mt-3 flex flex-wrap items-center justify-center gap-1 text-sm" />;
}

/** A panel of the dashboard; `id` is its anchor (the pagers land there). */
function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Section anchor={id} id={`${id}-title`} title={title} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      {children}
    </Section>
  );
}

const yuan = (fen: number) => Math.round(fen) / 100;

export default function DashboardPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const areaName = localName(locale, view.area);
  const query = (extra: Record<string, string>) => new URLSearchParams({ area: view.area.code, quarter: view.quarter, ...extra }).toString();
  const moneyHeads = [t("dashboard.projects"), t("dashboard.money.allocated"), t("dashboard.money.released"), t("dashboard.money.spent"), t("dashboard.money.unspent")];
  const moneyCells = (r: { projects: number; allocatedFen: number; releasedFen: number; spentFen: number; unspentFen: number }) => (
    <>
      <td className={`${cell} text-right`}>{r.projects}</td>
      <td className={`${cell} text-right`}>{formatFen(r.allocatedFen)}</td>
      <td className={`${cell} text-right`}>{formatFen(r.releasedFen)}</td>
      <td className={`${cell} text-right`}>{formatFen(r.spentFen)}</td>
      <td className={`${cell} text-right`}>{formatFen(r.unspentFen)}</td>
    </>
  );
  const communityName = (c: { areaId: string | null; nameZh: string; nameEn: string }) => (c.areaId ? localName(locale, c) : t("dashboard.noCommunity"));
  const [weightsForm, weightFields] = useZodForm(WeightsSchema, replyFor(actionData, "weights"), {
    id: "weights",
    defaultValue: Object.fromEntries(COMPONENTS.map((c) => [c, String(view.weights[c])])),
  });
  const [attendanceForm, attendanceFields] = useZodForm(AttendanceWeightSchema, replyFor(actionData, "attendanceWeight"), {
    id: "attendance-weight",
    defaultValue: { attendanceWeight: String(view.attendanceWeight) },
  });
  const [noticeForm, noticeFields] = useZodForm(NoticeSchema, replyFor(actionData, "publishNotice"), { id: "ranking-notice" });
  const alertTotal = ALERT_KINDS.reduce((s, k) => s + view.alertCounts[k], 0);

  return (
    <div className="space-y-6">
      <PageTitle sub={t("dashboard.sub", { area: areaName })}>{t("dashboard.title")}</PageTitle>
      <Done message={done ? `dashboard.done.${done}` : null} />

      <Form method="get" className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm" aria-label={t("dashboard.filters")}>
        <label className="block text-sm">
          {t("dashboard.area")}
          <select name="area" defaultValue={view.area.code} className={inputClass} data-testid="dashboard-area">
            {view.areas.map((a) => (
              <option key={a.code} value={a.code}>
                {"\u3000".repeat(Math.max(0, a.depth - (view.areas[0]?.depth ?? 0)))}
                {localName(locale, a)}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          {t("dashboard.quarter")}
          <select name="quarter" defaultValue={view.quarter} className={inputClass}>
            {view.quarters.map((q) => (
              <option key={q} value={q}>{q}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-medium text-white">{t("dashboard.show")}</button>
        <a href={`/admin/dashboard/export?${query({})}`} className="ml-auto text-sm text-brand-700 underline" data-testid="dashboard-export" download>
          {t("dashboard.export")}
        </a>
      </Form>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="dashboard-totals">
        {(
          [
            ["allocated", view.total.allocatedFen],
            ["released", view.total.releasedFen],
            ["spent", view.total.spentFen],
            ["unspent", view.total.unspentFen],
          ] as const
        ).map(([k, v]) => (
          <Stat key={k} label={t(`dashboard.money.${k}`)} value={formatFen(v)} valueClassName="text-xl font-semibold" />
        ))}
      </dl>
      <p className="text-sm text-slate-600">{t("dashboard.money.hint")}</p>

      <Section id="exports-h" title={t("exports.area.title")}>
        <AreaExports area={view.area.code} />
      </Section>

      <Panel id="communities" title={t("dashboard.byCommunity")}>
        {view.total.projects === 0 ? <EmptyState title={t("dashboard.empty")} /> : null}
        {/* communities down the side, so every one is named (a row each, none skipped for
            room), the money axis in ¥, the legend in the bars' order (recharts sorts it by name
            unless told not to) */}
        <ChartFigure className="w-full" style={{ height: 96 + 40 * view.communities.length }} label={t("dashboard.chart.money")}>
          <BarChart
            layout="vertical"
            data={view.communities.map((c) => ({ name: communityName(c), allocated: yuan(c.allocatedFen), released: yuan(c.releasedFen), spent: yuan(c.spentFen) }))}
            margin={{ left: 8, right: 16 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" tickFormatter={(v: number) => formatYuanTick(v, locale)} />
            <YAxis type="category" dataKey="name" interval={0} width={88} />
            <Tooltip formatter={(v) => formatFen(Math.round(Number(v) * 100))} />
            <Legend itemSorter={null} />
            <Bar dataKey="allocated" name={t("dashboard.money.allocated")} fill="#9f1239" />
            <Bar dataKey="released" name={t("dashboard.money.released")} fill="#f59e0b" />
            <Bar dataKey="spent" name={t("dashboard.money.spent")} fill="#0f766e" />
          </BarChart>
        </ChartFigure>
        <DataTable testId="dashboard-communities" headers={[t("dashboard.community"), ...moneyHeads, t("dashboard.satisfaction"), t("dashboard.satisfaction.reached")]}>
          {view.communities.map((c) => (
            <tr key={c.areaId ?? "none"} data-testid={`community-${c.code ?? "none"}`}>
              <th scope="row" className={`${cell} text-left font-normal`}>{communityName(c)}</th>
              {moneyCells(c)}
              <td className={`${cell} text-right`} title={t("dashboard.satisfaction.counts", { satisfied: c.callsSatisfied, partly: c.callsPartly, not: c.callsNotSatisfied, unreached: c.callsUnreached })}>
                {c.satisfaction === null ? t("dashboard.satisfaction.none") : `${c.satisfaction.toFixed(1)}`}
              </td>
              <td className={`${cell} text-right`}>{c.callsReached}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <th scope="row" className={`${cell} text-left`}>{t("dashboard.total")}</th>
            {moneyCells(view.total)}
            <td className={cell} />
            <td className={cell} />
          </tr>
        </DataTable>
      </Panel>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Panel id="categories" title={t("dashboard.byCategory")}>
          <DataTable testId="dashboard-categories" headers={[t("dashboard.category"), ...moneyHeads]}>
            {view.categories.map((c) => (
              <tr key={c.key}>
                <th scope="row" className={`${cell} text-left font-normal`}>{c.key ? localName(locale, c) : t("dashboard.noCategory")}</th>
                {moneyCells(c)}
              </tr>
            ))}
          </DataTable>
        </Panel>

        <Panel id="statuses" title={t("dashboard.byStatus")}>
          <ChartFigure className="h-56 w-full" label={t("dashboard.chart.status")}>
            <BarChart data={view.statuses.map((s) => ({ name: t(`dashboard.status.${s.status}`), projects: s.projects }))} layout="vertical" margin={{ left: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={120} />
              <Tooltip />
              <Bar dataKey="projects" name={t("dashboard.projects")} fill="#9f1239" />
            </BarChart>
          </ChartFigure>
          <DataTable testId="dashboard-statuses" headers={[t("dashboard.status"), t("dashboard.projects")]}>
            {view.statuses.map((s) => (
              <tr key={s.status}>
                <th scope="row" className={`${cell} text-left font-normal`}>{t(`dashboard.status.${s.status}`)}</th>
                <td className={`${cell} text-right`}>{s.projects}</td>
              </tr>
            ))}
          </DataTable>
        </Panel>
      </div>

      <Panel id="alerts" title={t("dashboard.alerts")}>
        <nav aria-label={t("dashboard.alerts.filter")} className="flex flex-wrap gap-2 text-sm">
          <Link to={`?${query({})}#alerts`} aria-current={view.alertKind === null ? "true" : undefined} className={view.alertKind === null ? "rounded bg-slate-800 px-2 py-0.5 text-white" : "rounded border border-slate-300 px-2 py-0.5"}>
            {t("dashboard.alerts.all", { count: alertTotal })}
          </Link>
          {ALERT_KINDS.map((k) => (
            <Link key={k} to={`?${query({ kind: k })}#alerts`} aria-current={view.alertKind === k ? "true" : undefined} className={view.alertKind === k ? "rounded bg-slate-800 px-2 py-0.5 text-white" : "rounded border border-slate-300 px-2 py-0.5"}>
              {t("dashboard.alerts.kindCount", { kind: t(`alerts.kind.${k}`), count: view.alertCounts[k] })}
            </Link>
          ))}
        </nav>
        <DataTable
          testId="dashboard-alerts"
          headers={[t("dashboard.alerts.kind"), t("dashboard.alerts.project"), t("dashboard.community"), t("dashboard.alerts.detail"), t("dashboard.alerts.openedAt")]}
          empty={view.alerts.length === 0 && <EmptyState title={t("dashboard.alerts.none")} />}
        >
          {view.alerts.map((a) => {
            const d = alertDetail(a.kind, a.params);
            return (
              <tr key={a.id} data-testid={`alert-${a.kind}`}>
                <td className={`${cell} whitespace-nowrap`}>{t(`alerts.kind.${a.kind}`)}</td>
                <td className={cell}>
                  <TextLink to={alertPath(a.referenceNo, a.kind)}><span className="font-mono">{a.referenceNo}</span> {a.title}</TextLink>
                </td>
                <td className={cell}>{(locale === "en" ? a.communityEn : a.communityZh) ?? ""}</td>
                <td className={cell}>{t(d.key, d.params)}</td>
                <td className={`${cell} whitespace-nowrap`}>{formatDateTime(locale, a.openedAt, false)}</td>
              </tr>
            );
          })}
        </DataTable>
        <Pager param="page" page={view.alertsPage.page} pages={view.alertsPage.pages} hash="alerts" label={t("dashboard.alerts.pages")} />
      </Panel>

      <Panel id="missed-trainings" title={t("dashboard.missedTrainings.title")}>
        {view.missedTrainings.length === 0 ? (
          <EmptyState title={t("dashboard.missedTrainings.empty")} />
        ) : (
          <ul className="divide-y divide-slate-200" data-testid="missed-trainings">
            {view.missedTrainings.map((m) => (
              <li key={`${m.trainingNumber}:${m.organizationId}`} className="flex flex-wrap gap-x-3 py-2 text-sm">
                <span className="font-medium">{m.name}</span>
                <Link to={`/trainings/${m.trainingNumber}`} className="text-brand-700 underline">
                  {m.topic}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel id="ranking" title={t("dashboard.ranking", { quarter: view.quarter })}>
        <p className="text-sm text-slate-600">
          {t("dashboard.weights.current", view.weights)} {view.customWeights ? null : t("dashboard.weights.default")}{" "}
          <span data-testid="attendance-weight-current">
            {view.attendanceWeight > 0 ? t("dashboard.attendanceWeight.current", { weight: view.attendanceWeight }) : t("dashboard.attendanceWeight.off")}
          </span>
        </p>
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600" data-testid="ranking-computed">
          <span>
            {t("dashboard.ranking.computedAt", { at: formatDateTime(locale, view.rankingComputedAt) })}{" "}
            {view.rankingRunning ? t("dashboard.ranking.running") : null}
          </span>
          {view.canRecompute ? (
            <ConfirmAction
              label={t("dashboard.ranking.recompute")}
              question={t("dashboard.ranking.recomputeQuestion", { quarter: view.quarter })}
              confirmLabel={t("dashboard.ranking.recomputeConfirm")}
              intent="recompute"
              hidden={{ area: view.area.code, quarter: view.quarter }}
            />
          ) : null}
        </div>
        <Problems errors={replyErrors(actionData, "recompute")} testId="recompute-problems" />
        {view.flagged.length ? (
          <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="ranking-flagged">
            {t("dashboard.ranking.bottom", { names: view.flagged.join(locale === "en" ? ", " : "、") })}
          </p>
        ) : null}
        <RankingTable rows={view.ranking} testId="dashboard-ranking" empty={view.rankingPage.total === 0 && <EmptyState title={t("dashboard.ranking.none")} />} />
        <Pager param="rpage" page={view.rankingPage.page} pages={view.rankingPage.pages} hash="ranking" label={t("dashboard.ranking.pages")} />
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer">{t("dashboard.ranking.how")}</summary>
          <p className="mt-2">{t("dashboard.ranking.explain")}</p>
          <p className="mt-2" data-testid="ranking-tie-rule">{t("dashboard.ranking.tieRule")}</p>
        </details>

        <p className="text-sm">
          <TextLink to={`/areas/${encodeURIComponent(view.area.code)}/rankings`}>{t("rankingNotice.published")}</TextLink>
        </p>
        {view.rankingRunning ? null : (
          <Form method="post" {...getFormProps(noticeForm)} className="space-y-3 border-t border-slate-200 pt-3" data-testid="notice-form">
            <h3 className="font-medium">{t("rankingNotice.publish", { quarter: view.quarter })}</h3>
            <p className="text-sm text-slate-600">{t("rankingNotice.publishHint")}</p>
            <FormErrors form={noticeForm} />
            <input type="hidden" name="area" value={view.area.code} />
            <input type="hidden" name="quarter" value={view.quarter} />
            <TextareaField meta={noticeFields.note} label={t("rankingNotice.note")} hint={t("rankingNotice.noteHint", { max: NOTE_MAX })} rows={4} />
            <CheckboxField meta={noticeFields.confirm} label={t("rankingNotice.confirmLabel")} />
            <FormActions submit={t("rankingNotice.submit")} intent="publishNotice" />
          </Form>
        )}

        {view.canSetWeights ? (
          <Form method="post" {...getFormProps(weightsForm)} className="space-y-3 border-t border-slate-200 pt-3" data-testid="weights-form">
            <h3 className="font-medium">{t("dashboard.weights")}</h3>
            <p className="text-sm text-slate-600" id="weights-hint">{t("dashboard.weights.hint")}</p>
            <FormErrors form={weightsForm} />
            <input type="hidden" name="area" value={view.area.code} />
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {COMPONENTS.map((c) => (
                <label key={c} className="block text-sm">
                  {t(`dashboard.ranking.${c}`)} (%)
                  <input
                    key={weightFields[c].key}
                    name={weightFields[c].name}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={100}
                    step={1}
                    required
                    defaultValue={weightFields[c].initialValue ?? ""}
                    aria-describedby="weights-hint"
                    className={inputClass}
                  />
                </label>
              ))}
            </div>
            <FormActions submit={t("dashboard.weights.save")} intent="weights" className="flex flex-wrap items-center gap-3" />
          </Form>
        ) : null}
        {view.canSetAttendanceWeight ? (
          <Form method="post" {...getFormProps(attendanceForm)} className="space-y-3 border-t border-slate-200 pt-3" data-testid="attendance-weight-form">
            <h3 className="font-medium">{t("dashboard.attendanceWeight")}</h3>
            <FormErrors form={attendanceForm} />
            <input type="hidden" name="area" value={view.area.code} />
            <TextField
              meta={attendanceFields.attendanceWeight}
              label={t("dashboard.attendanceWeight.label")}
              hint={t("dashboard.attendanceWeight.hint", { max: ATTENDANCE_WEIGHT_MAX })}
              type="number"
              inputProps={{ min: 0, max: ATTENDANCE_WEIGHT_MAX, step: 1, inputMode: "numeric" }}
            />
            <FormActions submit={t("dashboard.attendanceWeight.save")} intent="attendanceWeight" className="flex flex-wrap items-center gap-3" />
          </Form>
        ) : null}
        {view.canSetWeights && view.customWeights ? (
          <ConfirmAction label={t("dashboard.weights.reset")} question={t("dashboard.weights.resetQuestion")} intent="resetWeights" hidden={{ area: view.area.code }} />
        ) : null}
      </Panel>
    </div>
  );
}
