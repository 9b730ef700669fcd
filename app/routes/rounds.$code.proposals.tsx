import { Form, Link, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rounds.$code.proposals";
import { ProposalCells, ProposalColumnHeads, RoundProposalFilters } from "~/components/round-proposals";
import { EmptyState, ScrollArea, NumberedPager, PageTitle, PerPage, Problems, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, KeepParam } from "~/components/ui/filters";
import { formatFen } from "~/domain/money";
import { parseEligibleListQuery, SCREENING_PAGE_SIZES } from "~/domain/screening";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { getViewer, requireViewer } from "~/lib/session.server";
import { publicVoteState, setPublicVote } from "~/services/awards/awards.server";
import { eligibleListRound, publicEligibleList } from "~/services/rounds/screening.server";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  // public: no personal data and nothing but eligible proposals, and only once screening is over
  const url = new URL(request.url);
  const query = parseEligibleListQuery(url.searchParams);
  // the round is read once, for the list and the vote state; the two are read together
  const [viewer, round] = await Promise.all([getViewer(request), eligibleListRound(params.code)]);
  const [list, votes] = await Promise.all([publicEligibleList(round, query, context?.publicDataVersion), publicVoteState(viewer, round)]);
  return { query, list, votes, signedIn: !!viewer, here: `${url.pathname}${url.search}` };
}

const referenceNo = z.string().min(1).max(40);
/** A public vote for an eligible proposal, or its withdrawal. */
const VoteIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("vote"), referenceNo }),
  z.object({ intent: z.literal("unvote"), referenceNo }),
]);

/** A resident's public vote (where the round weighs public votes), one per account per proposal. */
export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), VoteIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const result = await setPublicVote(viewer, params.code, v.referenceNo, v.intent === "vote");
  if (!result.ok) return problemReply(submission, result.problem);
  return redirect(`/rounds/${encodeURIComponent(params.code)}/proposals`);
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData
    ? [{ title: `${loaderData.list.round.title} · ${pageMeta(matches, "screening.public.title")[0]!.title}` }]
    : pageMeta(matches, "screening.public.title");


export default function EligibleProposals({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { query, list, votes, signedIn, here } = loaderData;
  const r = list.round;
  return (
    <div>
      <nav className="mb-2 text-sm">
        <TextLink to={`/rounds/${r.code}`}>{t("screening.public.backToRound")}</TextLink>
      </nav>
      <PageTitle sub={t("screening.public.subtitle", { round: r.title })}>{t("screening.public.title")}</PageTitle>

      {list.state === "notYet" ? (
        <p role="status" className="rounded border border-slate-300 bg-white p-4 text-slate-700" data-testid="eligible-not-yet">
          {t("screening.public.notYet")}
        </p>
      ) : list.state === "screening" ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-4 text-amber-950" data-testid="eligible-screening">
          <p className="font-semibold">{t("screening.public.inProgress")}</p>
          <p className="mt-1 text-sm">{t("screening.public.inProgressCount", { count: formatNumber(locale, list.submitted) })}</p>
        </div>
      ) : (
        <>
          <FilterBar label={t("screening.filters")} idPrefix="eligible" values={query} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-3">
            <RoundProposalFilters communities={list.communities} categories={list.categories} />
            <KeepParam name="per" value={query.per !== SCREENING_PAGE_SIZES[0] ? query.per : null} />
            <FilterActions apply={t("screening.filter.apply")} />
          </FilterBar>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" data-testid="eligible-total">
              {t("screening.public.total", { count: formatNumber(locale, list.total), amount: formatFen(list.totalFen) })}
            </p>
            <PerPage per={list.per} sizes={SCREENING_PAGE_SIZES} />
          </div>
          {votes.open ? <p className="mb-3 text-sm text-slate-700">{t("publicVote.help")}</p> : null}
          {actionData?.result.error?.[""] ? (
            <div className="mb-3">
              <Problems errors={actionData.result.error[""]} />
            </div>
          ) : null}
          {list.applicantsHidden ? (
            <p role="note" className="mb-3 text-sm text-slate-700" data-testid="applicants-hidden">
              {t("screening.public.applicantsHiddenNote")}
            </p>
          ) : null}
          {list.items.length === 0 ? (
            <EmptyState title={t("screening.public.empty")} />
          ) : (
            <ScrollArea className="rounded-lg bg-white shadow-sm">
              <table className="w-full text-left text-sm" data-testid="eligible-table">
                <caption className="sr-only">{t("screening.public.title")}</caption>
                <thead className="border-b border-slate-200 text-slate-600">
                  <tr>
                    <ProposalColumnHeads />
                    {votes.enabled ? <th scope="col" className="px-3 py-2">{t("publicVote.column")}</th> : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.items.map((p) => (
                    <tr key={p.referenceNo}>
                      <ProposalCells p={p} categories={list.categories} title={p.title} />
                      {votes.enabled ? (
                        <td className="px-3 py-2 whitespace-nowrap" data-testid={`votes-${p.referenceNo}`}>
                          <span className="tabular-nums">{votes.counts[p.referenceNo] ?? 0}</span>{" "}
                          {votes.open && signedIn ? (
                            <Form method="post" className="inline">
                              <input type="hidden" name="referenceNo" value={p.referenceNo} />
                              {votes.mine.includes(p.referenceNo) ? (
                                <button type="submit" name="intent" value="unvote" className="rounded border border-slate-400 px-2 py-0.5 text-xs" aria-label={t("publicVote.withdrawFor", { ref: p.referenceNo })}>{t("publicVote.withdraw")}</button>
                              ) : (
                                <button type="submit" name="intent" value="vote" className="rounded bg-brand-700 px-2 py-0.5 text-xs text-white" aria-label={t("publicVote.voteFor", { ref: p.referenceNo })}>{t("publicVote.vote")}</button>
                              )}
                            </Form>
                          ) : votes.open ? (
                            <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="text-xs text-brand-700 underline">{t("publicVote.signIn")}</Link>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
          <NumberedPager pager={list.pager} />
        </>
      )}
    </div>
  );
}
