import type { Route } from "./+types/projects.$ref";
import { ProjectNav } from "~/components/project-nav";
import { BudgetSection, ExpensesSection } from "~/components/project-money";
import { BackLink, ButtonLink, cell, DataTable, EmptyState, Fact, Section, Stat, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta, roundTitle, shareMeta } from "~/lib/names";
import { getViewer } from "~/lib/session.server";
import { formatHours } from "~/domain/volunteers";
import { publicProject, workspaceAccess } from "~/services/public/project-public.server";
import { publicProjectShifts } from "~/services/volunteers/shifts.server";
import { ProjectPartnersSection } from "~/components/partners";
import { projectPartnersOf } from "~/services/partners/partners.server";

/**
 * The public page of one funded project (两公开): public fields only (ADR 010). Members of the
 * implementing organization and officials of its area also get the workspace link.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const url = new URL(request.url);
  const page = await publicProject(params.ref, { expensePage: url.searchParams.get("page") });
  return { ...page, volunteering: await publicProjectShifts(params.ref), workspace: await workspaceAccess(viewer, params.ref), partners: await projectPartnersOf(params.ref) };
}

export const meta: Route.MetaFunction = ({ matches, loaderData, location }) => [
  ...(loaderData
    ? shareMeta(matches, { title: `${loaderData.project.referenceNo} ${loaderData.project.title}`, description: loaderData.project.summary, path: location.pathname })
    : pageMeta(matches, "projectPublic.list.title")),
  { name: "robots", content: "noarchive, noimageindex" },
];

export default function ProjectPublicPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { project: p, tranches, milestones, budget, expenses, satisfaction, volunteering, workspace, partners } = loaderData;
  const ref = encodeURIComponent(p.referenceNo);
  const day = (d: Date | string) => formatDateTime(locale, d, false);
  const called = satisfaction.SATISFIED + satisfaction.PARTLY + satisfaction.NOT_SATISFIED + satisfaction.UNREACHED;
  return (
    <article className="space-y-8">
      <header className="space-y-3">
        <BackLink to="/projects">{t("projectPublic.page.back")}</BackLink>
        {workspace ? (
          <div className="space-y-2 rounded-lg border border-brand-200 bg-white p-3">
            <ProjectNav referenceNo={p.referenceNo} status={p.status} official={workspace.official} />
            <ButtonLink to={`/projects/${ref}/agreement`} data-testid="workspace-link" className="inline-block">{t("projectPublic.page.workspace")}</ButtonLink>
          </div>
        ) : null}
        <div>
          <p className="font-mono text-sm text-slate-600">{p.referenceNo}</p>
          <h1 className="text-2xl font-semibold">{p.title}</h1>
          <p className="mt-1 text-slate-700" data-testid="project-status">
            {t(`projectPublic.status.${p.status}`)}
          </p>
        </div>
        <p className="text-sm text-slate-600">{t("projectPublic.page.privacy")}</p>
      </header>

      <Section id="summary-h" title={t("projectPublic.page.summary")}>
        <p className="whitespace-pre-line">{p.summary || t("projectPublic.page.noSummary")}</p>
      </Section>

      <Section id="facts-h" title={t("projectPublic.page.facts")}>
        <dl className="rounded-lg bg-white p-4 shadow-sm">
          <Fact layout="grid" label={t("projectPublic.page.organization")}>{p.organization.name}</Fact>
          <Fact layout="grid" label={t("projectPublic.page.community")}>{p.community ? localName(locale, p.community) : localName(locale, p.round.area)}</Fact>
          <Fact layout="grid" label={t("projectPublic.page.round")}>
            <TextLink to={`/rounds/${encodeURIComponent(p.round.code)}`}>{roundTitle(locale, p.round)}</TextLink>
          </Fact>
          <Fact layout="grid" label={t("projectPublic.page.award")}>{formatFen(p.awardFen)}</Fact>
          <Fact layout="grid" label={t("projectPublic.page.released")}>
            <span data-testid="released-total">{formatFen(p.releasedFen)}</span>
          </Fact>
          {p.beneficiaryCount !== null ? <Fact layout="grid" label={t("projectPublic.page.plannedBeneficiaries")}>{formatNumber(locale, p.beneficiaryCount)}</Fact> : null}
          {p.countersignedAt ? <Fact layout="grid" label={t("projectPublic.page.signed")}>{day(p.countersignedAt)}</Fact> : null}
          {p.closedAt ? <Fact layout="grid" label={t("projectPublic.page.closed")}>{day(p.closedAt)}</Fact> : null}
          {p.unspentReturnedFen !== null ? <Fact layout="grid" label={t("projectPublic.page.unspentReturned")}>{formatFen(p.unspentReturnedFen)}</Fact> : null}
        </dl>
      </Section>

      <Section id="tranches-h" title={t("projectPublic.tranches.title")}>
        <DataTable
          testId="tranche-table"
          headers={[t("projectPublic.tranches.col.position"), t("projectPublic.tranches.col.condition"), t("projectPublic.tranches.col.amount"), t("projectPublic.tranches.col.state")]}
          empty={tranches.length === 0 && <EmptyState title={t("projectPublic.tranches.empty")} />}
        >
          {tranches.map((tr) => (
            <tr key={tr.position} data-testid={`tranche-${tr.position}`}>
              <td className={cell}>{t("projectPublic.tranche.position", { n: tr.position, percent: tr.percent })}</td>
              <td className={cell}>
                {tr.trigger === "MIDTERM"
                  ? tr.milestonePosition !== null
                    ? t("projectPublic.tranche.MIDTERM", { n: tr.milestonePosition })
                    : t("projectPublic.tranche.MIDTERM.none")
                  : t(`projectPublic.tranche.${tr.trigger}`)}
              </td>
              <td className={`${cell} whitespace-nowrap text-right`}>{formatFen(tr.amountFen)}</td>
              <td className={cell}>{t(`projectPublic.tranche.state.${tr.state}`, { date: tr.releasedAt ? day(tr.releasedAt) : "" })}</td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="milestones-h" title={t("projectPublic.milestones.title")}>
        {milestones.length === 0 ? (
          <EmptyState title={t("projectPublic.milestones.empty")} />
        ) : (
          <ol className="space-y-4">
            {milestones.map((m) => (
              <li key={m.position} className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={`milestone-${m.position}`}>
                <h3 className="font-semibold">{t("projectPublic.milestone.heading", { n: m.position, title: m.title })}</h3>
                <p className="text-sm text-slate-600">
                  {m.dueOn ? `${t("projectPublic.milestone.due", { date: day(m.dueOn) })} · ` : ""}
                  {m.status === "APPROVED" && m.approvedAt ? t("projectPublic.milestone.APPROVED", { date: day(m.approvedAt) }) : t("projectPublic.milestone.PENDING")}
                </p>
                {m.deliverable ? <p className="text-sm">{t("projectPublic.milestone.deliverable", { text: m.deliverable })}</p> : null}
                {m.reports.length === 0 ? (
                  <p className="text-sm text-slate-600">{t("projectPublic.milestone.noReport")}</p>
                ) : (
                  m.reports.map((r) => (
                    <div key={r.id} className="space-y-2 border-l-4 border-brand-200 pl-3" data-testid="approved-report">
                      <h4 className="text-sm font-medium">{t("projectPublic.report.approved", { date: r.decidedAt ? day(r.decidedAt) : "—" })}</h4>
                      <p className="whitespace-pre-line">{r.narrative}</p>
                      {r.beneficiariesServed !== null ? <p className="text-sm">{t("projectPublic.report.served", { count: formatNumber(locale, r.beneficiariesServed) })}</p> : null}
                      {r.photos.length ? (
                        <ul className="flex flex-wrap gap-2" aria-label={t("projectPublic.report.photos")}>
                          {r.photos.map((ph, i) => (
                            <li key={ph.id}>
                              <a href={`/projects/${ref}/photos/${ph.id}`} className="block">
                                <img
                                  src={`/projects/${ref}/photos/${ph.id}?thumb=1`}
                                  alt={ph.caption || t("projectPublic.report.photoAlt", { n: m.position, i: i + 1 })}
                                  loading="lazy"
                                  className="h-28 w-28 rounded object-cover"
                                />
                              </a>
                              {ph.caption ? <span className="block max-w-28 text-xs text-slate-600">{ph.caption}</span> : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                  ))
                )}
              </li>
            ))}
          </ol>
        )}
      </Section>

      <BudgetSection budget={budget} title={t("projectPublic.budget.title")} />
      <ExpensesSection expenses={expenses} title={t("projectPublic.expenses.title")} />

      <Section id="satisfaction-h" title={t("projectPublic.satisfaction.title")} note={t("projectPublic.satisfaction.note")}>
        {called === 0 && satisfaction.pending === 0 ? (
          <EmptyState title={t("projectPublic.satisfaction.none")} />
        ) : (
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="satisfaction">
            {(["SATISFIED", "PARTLY", "NOT_SATISFIED", "UNREACHED", "pending"] as const).map((k) => (
              <Stat
                key={k}
                label={t(`projectPublic.satisfaction.${k}`)}
                value={formatNumber(locale, satisfaction[k])}
                testId={`satisfaction-${k}`}
                className="rounded-lg bg-white p-3 text-center shadow-sm"
                valueClassName="text-2xl font-semibold"
              />
            ))}
          </dl>
        )}
      </Section>

      <Section id="volunteering-h" title={t("shifts.public.title")} testId="project-volunteering">
        {!volunteering || volunteering.shifts === 0 ? (
          <EmptyState title={t("shifts.public.none")} />
        ) : (
          <div className="space-y-2">
            <p data-testid="project-shifts">{t("shifts.public.summary", { shifts: formatNumber(locale, volunteering.shifts), hours: formatHours(volunteering.minutes) })}</p>
            {volunteering.wall.length ? (
              <p className="text-sm text-slate-700">
                {t("shifts.public.wall")}{" "}
                {volunteering.wall.map((v, i) => (
                  <span key={v.id}>
                    {i ? "、" : ""}
                    <TextLink to={`/volunteers/${v.id}`}>{v.name}</TextLink>
                  </span>
                ))}
              </p>
            ) : null}
          </div>
        )}
      </Section>
      {partners ? <ProjectPartnersSection partners={partners} /> : null}
    </article>
  );
}
