import { Link } from "react-router";
import type { Route } from "./+types/proposals";
import { ProposalStatus } from "~/components/proposal-status";
import { EmptyState, ScrollArea, NumberedPager, PageTitle, PerPage, Section, TableHead, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterSelect, KeepParam } from "~/components/ui/filters";
import { CURSOR_PARAM, PAGE_PARAM } from "~/domain/keyset";
import { formatFen, perPageOf } from "~/domain/money";
import { PROPOSAL_PAGE_SIZES, PROPOSAL_STATUSES } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { myProposals } from "~/services/proposals/proposals.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const per = perPageOf(url.searchParams.get("per"), PROPOSAL_PAGE_SIZES, PROPOSAL_PAGE_SIZES[0]);
  const status = url.searchParams.get("status");
  const list = await myProposals(viewer, { page: url.searchParams.get(PAGE_PARAM), cursor: url.searchParams.get(CURSOR_PARAM), per, status });
  return { ...list, per, status: PROPOSAL_STATUSES.find((s) => s === status) ?? "" };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "proposal.list.title");

export default function Proposals({ loaderData: d }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageTitle sub={t("proposal.list.subtitle")}>{t("proposal.list.title")}</PageTitle>

      <Section id="open-rounds-h" title={t("proposal.list.openRounds")}>
        {d.openRounds.length ? (
          <ul className="grid gap-3 sm:grid-cols-2">
            {d.openRounds.map((r) => (
              <li key={r.code} className="rounded-lg bg-white p-4 shadow-sm">
                <p className="font-medium">{r.title}</p>
                <p className="text-sm text-slate-600">
                  {localName(locale, r.area)} · {formatFen(r.minAwardFen)}–{formatFen(r.maxAwardFen)}
                </p>
                <p className="text-sm text-slate-600">{t("proposal.list.deadline", { at: formatDeadline(locale, r.proposalsDeadline) })}</p>
                <Link to={`/rounds/${r.code}/apply`} className="mt-2 inline-block rounded bg-brand-700 px-3 py-1 text-sm text-white">
                  {t("proposal.apply.cta")}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title={t("proposal.list.noOpenRounds")} />
        )}
      </Section>

      <Section id="mine-h" title={t("proposal.list.mine")} sub={`(${d.total})`}>
        {!d.hasOrganization ? (
          <EmptyState title={t("proposal.list.noOrganization")}>
            <TextLink to="/organizations/new">{t("proposal.apply.createOrganization")}</TextLink>
          </EmptyState>
        ) : (
          <>
            <FilterBar compact values={{ status: d.status }} className="flex flex-wrap items-end gap-3">
              <FilterSelect id="status" name="status" label={t("proposal.list.status")} allLabel={t("proposal.list.allStatuses")} options={PROPOSAL_STATUSES.map((s) => ({ value: s, label: t(`proposal.status.${s}`) }))} />
              <KeepParam name="per" value={d.per} />
              <FilterActions apply={t("proposal.list.filter")} />
            </FilterBar>
            {d.proposals.length ? (
              <ScrollArea className="rounded-lg bg-white shadow-sm">
                <table className="w-full text-sm">
                  <TableHead
                    className={null}
                    rowClassName="text-left text-slate-600"
                    cellClassName="p-2"
                    scoped={false}
                    columns={[t("proposal.field.title"), t("proposal.list.round"), t("proposal.list.status"), t("proposal.referenceNo"), [t("proposal.requested"), "text-right"], t("proposal.list.updated")]}
                  />
                  <tbody>
                    {d.proposals.map((p) => (
                      <tr key={p.id} className="border-t border-slate-100">
                        <td className="p-2">
                          <TextLink to={p.status === "DRAFT" ? `/proposals/${p.id}/edit` : `/proposals/${p.id}`}>{p.title || t("proposal.untitled")}</TextLink>
                          <span className="block text-xs text-slate-500">{p.organization}</span>
                        </td>
                        <td className="p-2">{p.round.title}</td>
                        <td className="p-2">
                          <ProposalStatus status={p.status} />
                        </td>
                        <td className="p-2 font-mono">{p.referenceNo ?? "—"}</td>
                        <td className="p-2 text-right tabular-nums">{formatFen(p.amountFen)}</td>
                        <td className="p-2 text-slate-600">{formatDateTime(locale, p.updatedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
            ) : (
              <EmptyState title={t("proposal.list.empty")}>{t("proposal.list.emptyHint")}</EmptyState>
            )}
            <NumberedPager pager={d.pager} />
            <PerPage per={d.per} sizes={PROPOSAL_PAGE_SIZES} />
          </>
        )}
      </Section>
    </div>
  );
}
