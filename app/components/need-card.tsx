import type { SubmissionResult } from "@conform-to/react";
import { useSyncExternalStore } from "react";
import { useFetcher, useLocation } from "react-router";
import { categoryName, DEFAULT_CATEGORIES } from "~/domain/categories";
import type { NeedCard as NeedCardData, NeedStatus } from "~/domain/needs";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { Badge, TextLink, TitleLink } from "~/components/ui";

const STATUS_STYLE: Record<NeedStatus, string> = {
  OPEN: "bg-sky-100 text-sky-900",
  PUBLISHED: "bg-emerald-100 text-emerald-900",
  MERGED: "bg-slate-200 text-slate-800",
  REJECTED: "bg-red-100 text-red-900",
};

export function NeedStatusBadge({ status }: { status: NeedStatus }) {
  const t = useT();
  return <Badge tone={STATUS_STYLE[status]} className="inline-block rounded px-2 py-0.5 text-xs font-medium" testId="need-status">{t(`needs.status.${status}`)}</Badge>;
}

export function useCategoryName() {
  const locale = useLocale();
  return (key: string) => categoryName(DEFAULT_CATEGORIES, key, locale);
}

const noSubscription = () => () => {};
/** false while the server renders and during hydration, true once JavaScript runs. */
export const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false);

/**
 * Upvote / remove-vote button. With JavaScript it posts through a fetcher (no page change) and
 * shows the new count at once; without, it is a plain form that comes back to this page.
 */
export function VoteButton({
  number,
  voted,
  voteCount,
  signedIn,
  votable,
}: {
  number: number;
  voted: boolean;
  voteCount: number;
  signedIn: boolean;
  votable: boolean;
}) {
  const t = useT();
  const fetcher = useFetcher<{ result?: SubmissionResult<string[]> }>();
  const location = useLocation();
  const hydrated = useHydrated();
  const pending = fetcher.formData?.get("intent");
  const shownVoted = pending ? pending === "vote" : voted;
  const shownCount = pending ? voteCount + (pending === "vote" && !voted ? 1 : pending === "unvote" && voted ? -1 : 0) : voteCount;
  // the action answers a refused vote with Conform's reply: its message is about the whole form
  const problem = fetcher.data?.result?.error?.[""]?.[0] ?? null;
  const count = (
    <span className="text-lg font-semibold tabular-nums" data-testid="vote-count" aria-label={`${t("needs.votesLabel")}: ${shownCount}`}>
      {shownCount}
    </span>
  );
  if (!signedIn || !votable) {
    return (
      <div className="flex items-center gap-2">
        {count}
        {!signedIn && votable ? (
          <TextLink to={`/login?redirectTo=${encodeURIComponent(location.pathname + location.search)}`} className="text-sm">{t("needs.signInToVote")}</TextLink>
        ) : null}
      </div>
    );
  }
  return (
    <fetcher.Form method="post" action={`/needs/${number}`} className="flex flex-wrap items-center gap-2">
      {count}
      {hydrated ? null : <input type="hidden" name="redirectTo" value={location.pathname + location.search} />}
      <button
        type="submit"
        name="intent"
        value={shownVoted ? "unvote" : "vote"}
        aria-pressed={shownVoted}
        aria-label={shownVoted ? t("needs.unvoteFor", { number }) : t("needs.voteFor", { number })}
        // "vote" is the call to action; "voted" (press again to withdraw) is a quieter secondary button
        className={
          shownVoted
            ? "rounded border border-slate-300 bg-slate-50 px-3 py-1 text-sm text-slate-700"
            : "rounded border border-brand-700 bg-brand-700 px-3 py-1 text-sm font-medium text-white"
        }
        data-style={shownVoted ? "secondary" : "primary"}
      >
        {shownVoted ? `✓ ${t("needs.voted")}` : `👍 ${t("needs.vote")}`}
      </button>
      {problem ? (
        <span role="alert" className="text-sm text-red-800">
          {t(problem)}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export function NeedCard({ need, signedIn }: { need: NeedCardData; signedIn: boolean }) {
  const t = useT();
  const locale = useLocale();
  const category = useCategoryName();
  return (
    <li className="flex flex-col gap-3 rounded-lg bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between" data-testid="need-card">
      <div className="min-w-0">
        <h2 className="text-lg font-semibold">
          <TitleLink to={`/needs/${need.number}`}>{need.title}</TitleLink>
        </h2>
        <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
          <span>{t("needs.number", { number: need.number })}</span>
          <NeedStatusBadge status={need.status} />
          <span>{localName(locale, need.area)}</span>
          <span>{category(need.category)}</span>
          <span>{formatDateTime(locale, need.createdAt, false)}</span>
          {need.hasPhoto ? <span>{t("needs.withPhoto")}</span> : null}
          {need.own ? <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">{t("needs.yourCommunity")}</span> : null}
        </p>
        {need.snippet ? (
          <p className="mt-2 text-sm text-slate-700" data-testid="need-snippet">
            {need.snippet}
          </p>
        ) : null}
      </div>
      <VoteButton
        number={need.number}
        voted={need.voted}
        voteCount={need.voteCount}
        signedIn={signedIn}
        votable={need.status === "OPEN" || need.status === "PUBLISHED"}
      />
    </li>
  );
}
