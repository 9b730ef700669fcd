import type { ReactNode } from "react";
import type { Route } from "./+types/transparency.gifts.$ref";
import { BudgetSection, ExpensesSection } from "~/components/project-money";
import { BackLink, cell, DataTable, EmptyState, Fact, Notice, Section, TextLink } from "~/components/ui";
import { publicDonorName } from "~/domain/donations";
import { formatFen } from "~/domain/money";
import { formatShare } from "~/domain/transparency";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { traceGift, type GiftTrace, type ProjectMoney } from "~/services/public/transparency.server";

/**
 * The trace of one paid gift (透明度): the gift, its foundation, and where the money went — the
 * project or round it was earmarked for, or, for the general funds, the rounds funded since with
 * the gift's estimated share. Public; 404 for unknown references and unpaid checkouts.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const url = new URL(request.url);
  return traceGift(params.ref, { expensePage: url.searchParams.get("page") });
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => [
  ...pageMeta(matches, "transparency.gift.title", { ref: loaderData?.gift.ref ?? "" }),
  // donors' names are public on the donor wall, but a page per gift is not for search engines
  { name: "robots", content: "noindex, noarchive" },
];

/** Funded projects with award, paid and approved spending, each linking to its public page. */
/** One round of a general gift's trace: its title and phase, what moved into it, its funded projects. */
function RoundItem({ round: r, testId, moved, children }: { round: { code: string; title: string; titleEn?: string | null; phase: string; projects: ProjectMoney[] }; testId: string; moved: string; children?: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <li className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={testId}>
      <h3 className="font-semibold">
        <TextLink to={`/rounds/${encodeURIComponent(r.code)}`}>
          {roundTitle(locale, r)}
        </TextLink>{" "}
        <span className="text-sm font-normal text-slate-600">{t(`rounds.phase.${r.phase}`)}</span>
      </h3>
      <p className="text-sm">{moved}</p>
      {children}
      {r.projects.length === 0 ? <p className="text-sm text-slate-600">{t("transparency.general.noProjects")}</p> : <ProjectsTable projects={r.projects} testId={`projects-${r.code}`} />}
    </li>
  );
}

function ProjectsTable({ projects, testId }: { projects: ProjectMoney[]; testId: string }) {
  const t = useT();
  return (
    <DataTable
      testId={testId}
      headers={[t("transparency.col.project"), t("transparency.col.organization"), t("transparency.col.award"), t("transparency.col.paid"), t("transparency.col.spent"), t("transparency.col.status")]}
    >
      {projects.map((p) => (
        <tr key={p.referenceNo} data-testid={`project-${p.referenceNo}`}>
          <th scope="row" className={`${cell} text-left font-normal`}>
            <TextLink to={`/projects/${encodeURIComponent(p.referenceNo)}`}><span className="font-mono">{p.referenceNo}</span> {p.title}</TextLink>
          </th>
          <td className={cell}>{p.organization}</td>
          <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(p.awardFen)}</td>
          <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(p.paidFen)}</td>
          <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>
            {formatFen(p.spentFen)}
            <span className="block text-xs text-slate-600">{t("transparency.col.expenses", { count: p.expenses })}</span>
          </td>
          <td className={cell}>{t(`projectPublic.status.${p.status}`)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

type Target<K extends GiftTrace["target"]["kind"]> = Extract<GiftTrace["target"], { kind: K }>;

function ProjectTarget({ target }: { target: Target<"project"> }) {
  const t = useT();
  const locale = useLocale();
  const day = (d: Date | string) => formatDateTime(locale, d, false);
  const { project: p, tranches, budget, expenses } = target;
  const ref = encodeURIComponent(p.referenceNo);
  return (
    <div className="space-y-6" data-testid="trace-project">
      <p>{t("transparency.project.intro", { ref: p.referenceNo, title: p.title })}</p>
      <dl className="rounded-lg bg-white p-4 shadow-sm">
        <Fact layout="grid" label={t("transparency.project.organization")}>{p.organization}</Fact>
        <Fact layout="grid" label={t("transparency.project.round")}>
          <TextLink to={`/rounds/${encodeURIComponent(p.round.code)}`}>{roundTitle(locale, p.round)}</TextLink>
        </Fact>
        <Fact layout="grid" label={t("transparency.project.award")}>{formatFen(p.awardFen)}</Fact>
        <Fact layout="grid" label={t("transparency.project.status")}>{t(`projectPublic.status.${p.status}`)}</Fact>
      </dl>
      <TextLink to={`/projects/${ref}`} data-testid="project-page-link" className="inline-block">{t("transparency.project.link")}</TextLink>

      <Section id="paid-h" title={t("transparency.project.paidTitle")} note={t("transparency.project.paidNote")}>
        {tranches.length === 0 ? (
          <EmptyState title={t("transparency.project.paidEmpty")} />
        ) : (
          <>
            <DataTable testId="paid-tranches" headers={[t("transparency.project.col.tranche"), t("transparency.project.col.date"), t("transparency.project.col.amount")]}>
              {tranches.map((tr, i) => (
                <tr key={i}>
                  <td className={cell}>{tr.position !== null ? t("transparency.project.tranche", { n: tr.position, percent: tr.percent ?? "" }) : t("transparency.project.trancheUnknown")}</td>
                  <td className={`${cell} whitespace-nowrap`}>{day(tr.paidAt)}</td>
                  <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(tr.amountFen)}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
        <p className="text-sm" data-testid="paid-total">
          {t("transparency.project.paidTotal", { amount: formatFen(target.paidFen), left: formatFen(Math.max(0, p.awardFen - target.paidFen)) })}
        </p>
      </Section>

      <BudgetSection budget={budget} title={t("transparency.project.spentTitle")} />
      <ExpensesSection expenses={expenses} title={t("transparency.project.expensesTitle")} />
    </div>
  );
}

function RoundTarget({ target }: { target: Target<"round"> }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-4" data-testid="trace-round">
      <p>{t("transparency.round.intro", { title: roundTitle(locale, target.round) })}</p>
      <TextLink to={`/rounds/${encodeURIComponent(target.round.code)}`} className="inline-block">{t("transparency.round.link")}</TextLink>
      {target.projects.length === 0 ? <EmptyState title={t("transparency.round.empty")} /> : <ProjectsTable projects={target.projects} testId="round-projects" />}
    </div>
  );
}

function GeneralTarget({ target, foundation, giftFen }: { target: Target<"general">; foundation: string; giftFen: number }) {
  const t = useT();
  return (
    <div className="space-y-6" data-testid="trace-general">
      <p>{t("transparency.general.intro", { foundation })}</p>
      <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="share-estimate">
        <p>
          {t("transparency.general.method", {
            atArrival: formatFen(target.atArrivalFen),
            since: formatFen(target.inflowsSinceFen),
            pot: formatFen(target.potFen),
            gift: formatFen(giftFen),
            share: formatShare(target.sharePpm),
          })}
        </p>
        <p className="mt-2 font-medium">{t("transparency.general.estimateNote")}</p>
      </div>

      <Section id="since-h" title={t("transparency.general.sinceTitle")}>
        {target.since.length === 0 ? (
          <EmptyState title={t("transparency.general.sinceEmpty", { balance: formatFen(target.availableNowFen) })} />
        ) : (
          <>
            <ul className="space-y-4">
              {target.since.map((r) => (
                <RoundItem key={r.code} round={r} testId={`round-${r.code}`} moved={t("transparency.general.round.moved", { amount: formatFen(r.movedFen) })}>
                  <p className="text-sm font-medium" data-testid="round-estimate">
                    {t("transparency.general.round.estimate", { amount: formatFen(r.estimateFen ?? 0) })}
                  </p>
                </RoundItem>
              ))}
            </ul>
            <p className="text-sm">
              {t("transparency.general.remaining", { estimated: formatFen(target.estimatedTotalFen), balance: formatFen(target.availableNowFen) })}
            </p>
          </>
        )}
      </Section>

      {target.earlier.length ? (
        <Section id="earlier-h" title={t("transparency.general.earlierTitle")} note={t("transparency.general.earlierNote")}>
          <ul className="space-y-4">
            {target.earlier.map((r) => (
              <RoundItem key={r.code} round={r} testId={`earlier-round-${r.code}`} moved={t("transparency.general.round.pool", { amount: formatFen(r.movedFen) })} />
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

export default function GiftTracePage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { gift, foundation, target } = loaderData;
  const foundationName = localName(locale, foundation);
  return (
    <article className="space-y-8">
      <header className="space-y-3">
        <BackLink to="/transparency">{t("transparency.gift.back")}</BackLink>
        <h1 className="text-2xl font-semibold">{t("transparency.gift.title", { ref: gift.ref })}</h1>
        <p className="text-sm text-slate-600">{t("transparency.gift.privacy")}</p>
      </header>

      <Section id="gift-h" title={t("transparency.gift.facts")}>
        <dl className="rounded-lg bg-white p-4 shadow-sm" data-testid="gift-facts">
          <Fact layout="grid" label={t("transparency.gift.donor")}>
            <span data-testid="donor-name">{publicDonorName({ anonymous: gift.anonymous, displayName: gift.donorName }, locale)}</span>
          </Fact>
          <Fact layout="grid" label={t("transparency.gift.amount")}>
            <span className="tabular-nums" data-testid="gift-amount">
              {formatFen(gift.amountFen)}
            </span>
            {gift.refundedFen > 0 ? <span className="ml-2 text-sm text-slate-600">{t("transparency.gift.refunded", { amount: formatFen(gift.refundedFen) })}</span> : null}
            {gift.frequency === "MONTHLY" ? <span className="block text-sm text-slate-600">{t("transparency.gift.monthly")}</span> : null}
          </Fact>
          <Fact layout="grid" label={t("transparency.gift.date")}>{formatDateTime(locale, gift.paidAt)}</Fact>
          <Fact layout="grid" label={t("transparency.gift.status")}>
            <span data-testid="gift-status">{t(`transparency.gift.status.${gift.status}`)}</span>
          </Fact>
          <Fact layout="grid" label={t("transparency.gift.foundation")}>
            <TextLink to={`/foundations/${encodeURIComponent(foundation.slug)}`} data-testid="foundation-link">{foundationName}</TextLink>
          </Fact>
          <Fact layout="grid" label={t("transparency.gift.match")}>
            {gift.matches.length === 0 ? (
              t("transparency.gift.noMatch")
            ) : (
              <ul data-testid="gift-matches">
                {gift.matches.map((m) => (
                  <li key={m.slug}>
                    {t("transparency.gift.matchBy", { amount: formatFen(m.matchedFen), sponsor: m.sponsorName, campaign: locale === "en" ? m.titleEn : m.titleZh })}{" "}
                    <TextLink to={`/campaigns/${encodeURIComponent(m.slug)}`}>{locale === "en" ? m.titleEn : m.titleZh}</TextLink>
                  </li>
                ))}
              </ul>
            )}
          </Fact>
        </dl>
      </Section>

      <Section id="where-h" title={t("transparency.gift.where")}>
        {gift.status === "DISPUTED" && !gift.disputeLost && target.kind !== "returned" ? <Notice tone="warning" role="note" testId="gift-held">{t("transparency.gift.disputed")}</Notice> : null}
        {gift.disputeLost ? <Notice tone="warning" role="note" testId="gift-dispute-lost">{t("transparency.gift.disputeLost")}</Notice> : null}
        {target.kind === "returned" ? (
          <p className="rounded border border-slate-300 bg-white p-3" data-testid="gift-returned">
            {t("transparency.gift.returned")}
          </p>
        ) : (
          <>
            {gift.refundedFen > 0 ? <p className="text-sm text-slate-700">{t("transparency.gift.netNote", { amount: formatFen(gift.netFen) })}</p> : null}
            {gift.matchedFen > 0 ? <p className="text-sm text-slate-700">{t("transparency.gift.matchNote", { amount: formatFen(gift.matchedFen) })}</p> : null}
            {target.kind === "project" ? <ProjectTarget target={target} /> : null}
            {target.kind === "round" ? <RoundTarget target={target} /> : null}
            {target.kind === "general" ? <GeneralTarget target={target} foundation={foundationName} giftFen={gift.netFen} /> : null}
          </>
        )}
      </Section>
    </article>
  );
}
