import type { SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/needs.$number";
import { wishOfNeed } from "~/services/volunteers/volunteers.server";
import { WishStatusBadge } from "~/components/wish";
import { FormErrors, getFormProps, inputClass, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { NeedStatusBadge, useCategoryName, VoteButton } from "~/components/need-card";
import { FollowButton, NeedConversation } from "~/components/need-conversation";
import { MatterStatusBadge, MatterSteps } from "~/components/matter-steps";
import { Done, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { MergeSchema, NeedIntents, PublishSchema, ReasonSchema } from "~/domain/needs";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta, roundTitle, shareMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { getViewer, requireViewer, safeRedirect } from "~/lib/session.server";
import { hideComment, postComment, setFollow } from "~/services/needs/conversation.server";
import { mergeCandidates, mergeNeed, needDetail, publishNeed, rejectNeed, reopenNeed, setVote } from "~/services/needs/needs.server";

function needNumber(raw: string | undefined): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw ?? "") || !Number.isSafeInteger(n) || n < 1) notFound();
  return n;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const number = needNumber(params.number);
  const viewer = await getViewer(request);
  const url = new URL(request.url);
  // a curator looking for the need to merge this one into types words of it (or its number)
  const mergeQuery = (url.searchParams.get(MERGE_QUERY) ?? "").slice(0, 100);
  const [detail, wish, candidates] = await Promise.all([
    needDetail(number, viewer),
    wishOfNeed(number, viewer),
    mergeQuery.trim() ? mergeCandidates(viewer, number, mergeQuery) : Promise.resolve(null),
  ]);
  return { ...detail, wish, merge: { query: mergeQuery, candidates }, back: backOf(url.searchParams.get(BACK)) };
}

/** The query parameter of a merge search. */
const MERGE_QUERY = "mergeq";
/** The query parameter naming the list a need was opened from (the officials' list keeps its filters). */
const BACK = "back";

/** Where "back" leads: the officials' needs list the need was opened from (with its filters), else the public list. */
function backOf(raw: string | null): { to: string; admin: boolean } {
  if (raw && /^\/admin\/needs(\?[^#\s]*)?$/.test(raw) && !raw.startsWith("//")) return { to: raw, admin: true };
  return { to: "/needs", admin: false };
}

const CURATIONS = { reject: rejectNeed, reopen: reopenNeed, merge: mergeNeed, publish: publishNeed } as const;
type Curation = keyof typeof CURATIONS;

export async function action({ request, params }: Route.ActionArgs) {
  const number = needNumber(params.number);
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), NeedIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  switch (v.intent) {
    case "vote":
    case "unvote": {
      const vote = await setVote(viewer, number, v.intent === "vote");
      if (!vote.ok) return problemReply(submission, vote.problem);
      // a form posted without JavaScript (from the list) goes back where it came from
      if (v.redirectTo !== undefined) return redirect(safeRedirect(v.redirectTo, `/needs/${number}`));
      return { intent: v.intent, result: submission.reply(), notice: null };
    }
    case "comment":
    case "reply": {
      // a reply as an official refuses (403) anyone who does not curate this need's area
      const r = await postComment(viewer, number, v, v.intent === "reply");
      if (!r.ok) return problemReply(submission, r.problem);
      return { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "needs.comment.posted" };
    }
    case "hide": {
      const r = await hideComment(viewer, number, v);
      if (!r.ok) return problemReply(submission, r.problem);
      return { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "needs.comment.hiddenDone" };
    }
    case "follow":
    case "unfollow": {
      const r = await setFollow(viewer, number, v.intent === "follow");
      if (!r.ok) return problemReply(submission, r.problem);
      return { intent: v.intent, result: submission.reply(), notice: v.intent === "follow" ? "needs.followed" : "needs.unfollowed" };
    }
    default: {
      // each curation refuses (403) anyone who may not curate this need, before it changes anything
      const r = await CURATIONS[v.intent](viewer, number, v);
      if (!r.ok) return problemReply(submission, r.problem);
      return { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "needs.curate.done" };
    }
  }
}

export const meta: Route.MetaFunction = ({ data: need, matches, location }) =>
  need ? shareMeta(matches, { title: need.title, description: need.description, path: location.pathname }) : pageMeta(matches, "needs.page.title");

const detailsSummary = "cursor-pointer rounded border px-3 py-1 text-sm";

/** A decision behind a confirmation step (works without JavaScript), with the field it needs. */
function CurationForm({
  intent,
  label,
  question,
  actionData,
  danger,
  open = false,
  children,
}: {
  intent: Curation;
  label: string;
  question: string;
  actionData: unknown;
  danger?: boolean;
  /** shown open (a search for it was just made) */
  open?: boolean;
  children: (result: SubmissionResult<string[]> | null) => ReactNode;
}) {
  const mine = replyFor(actionData, intent);
  return (
    <details className="rounded border border-slate-200 bg-white p-3" open={open || (!!mine && mine.status === "error")}>
      <summary className={`${detailsSummary} ${danger ? "border-red-300 text-red-800" : "border-slate-300 text-slate-800"} inline-block`}>{label}</summary>
      <div className="mt-3 space-y-3 text-sm">
        <p>{question}</p>
        {children(mine ?? null)}
      </div>
    </details>
  );
}

function ReasonForm({ intent, result, confirm }: { intent: "reject" | "reopen"; result: SubmissionResult<string[]> | null; confirm: string }) {
  const t = useT();
  const [form, fields] = useZodForm(ReasonSchema, result, { id: `need-${intent}` });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextareaField meta={fields.reason} label={t("needs.curate.reason")} rows={3} />
      <button type="submit" name="intent" value={intent} className="rounded bg-red-800 px-3 py-1 text-white">
        {confirm}
      </button>
    </Form>
  );
}

/**
 * Merging: find the need to merge into by words of it (a GET search that works without
 * JavaScript, keeping the list the page was opened from), pick it from what was found, or type its
 * number.
 */
function MergeForm({ result, merge, back }: { result: SubmissionResult<string[]> | null; merge: MergeSearch; back: string | null }) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useZodForm(MergeSchema, result, { id: "need-merge" });
  const found = merge.candidates ?? [];
  return (
    <div className="space-y-3">
      <Form method="get" role="search" className="flex flex-wrap items-end gap-2" preventScrollReset>
        {back ? <input type="hidden" name={BACK} value={back} /> : null}
        <label className="grow">
          <span className="block text-sm font-medium">{t("needs.curate.search")}</span>
          <input type="search" name={MERGE_QUERY} defaultValue={merge.query} maxLength={100} className={inputClass} data-testid="merge-search" />
        </label>
        <button type="submit" className="rounded border border-slate-400 px-3 py-2">
          {t("needs.curate.searchButton")}
        </button>
      </Form>
      {merge.candidates !== null && found.length === 0 ? <p className="text-slate-600" role="status">{t("needs.curate.searchNone", { query: merge.query })}</p> : null}
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <FormErrors form={form} />
        {found.length ? (
          <SelectField
            meta={fields.target}
            label={t("needs.curate.pick")}
            placeholder={t("needs.curate.pickPlaceholder")}
            options={found.map((c) => ({
              value: String(c.number),
              label: `#${c.number} ${c.title}（${localName(locale, c.area)} · ${t(`needs.status.${c.status}`)} · ${t("needs.votes", { count: c.voteCount })}）`,
            }))}
          />
        ) : (
          <TextField meta={fields.target} label={t("needs.curate.target")} inputProps={{ inputMode: "numeric", autoComplete: "off" }} />
        )}
        <button type="submit" name="intent" value="merge" className="rounded bg-red-800 px-3 py-1 text-white">
          {t("needs.curate.confirm")}
        </button>
      </Form>
    </div>
  );
}

type MergeSearch = { query: string; candidates: Awaited<ReturnType<typeof mergeCandidates>> | null };

/**
 * Publishing as a topic. A round that takes only deliberated topics and would refuse this need
 * (no passed resolution yet) is named before the form is sent, with where the community deliberates.
 */
function PublishForm({
  result,
  rounds,
  number,
  areaCode,
}: {
  result: SubmissionResult<string[]> | null;
  rounds: { code: string; title: string; undeliberated: boolean }[];
  number: number;
  areaCode: string;
}) {
  const t = useT();
  const [form, fields] = useZodForm(PublishSchema, result, { id: "need-publish" });
  if (rounds.length === 0) return <p className="text-slate-600">{t("needs.curate.noRounds")}</p>;
  const waiting = rounds.filter((r) => r.undeliberated);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      {waiting.length ? (
        <Notice tone="warning" role="note" testId="publish-undeliberated">
          {t("needs.curate.undeliberated", { number, rounds: waiting.map((r) => `${r.title}（${r.code}）`).join("、") })}{" "}
          <TextLink to={`/areas/${areaCode}/deliberation`}>{t("needs.curate.toDeliberation")}</TextLink>
        </Notice>
      ) : null}
      <SelectField
        meta={fields.round}
        label={t("needs.curate.round")}
        options={rounds.map((r) => ({ value: r.code, label: `${r.title}（${r.code}）${r.undeliberated ? t("needs.curate.roundUndeliberated") : ""}` }))}
      />
      <button type="submit" name="intent" value="publish" className="rounded bg-brand-700 px-3 py-1 text-white">
        {t("needs.curate.confirm")}
      </button>
    </Form>
  );
}

export default function NeedPage({ loaderData: need, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const category = useCategoryName();
  const [params] = useSearchParams();
  const date = formatDateTime(locale, need.createdAt, false);
  const votable = need.status === "OPEN" || need.status === "PUBLISHED";
  const voteReply = replyFor(actionData, "vote") ?? replyFor(actionData, "unvote");
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      {params.get("posted") ? <Notice tone="success">{t("needs.posted")}</Notice> : null}
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="text-sm">
        <TextLink to={need.back.to}>← {t(need.back.admin ? "needs.backToAdminList" : "needs.backToList")}</TextLink>
      </p>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{t("needs.number", { number: need.number })}</span>
            <NeedStatusBadge status={need.status} />
            <span>
              {need.area.parent ? `${localName(locale, need.area.parent)} · ` : ""}
              <Link to={`/needs?community=${need.area.code}`} className="underline">
                {localName(locale, need.area)}
              </Link>
            </span>
            <span>{category(need.category)}</span>
          </span>
        }
      >
        {need.title}
      </PageTitle>

      {need.wish.status ? (
        <p className="flex flex-wrap items-center gap-2" data-testid="need-wish">
          <TextLink to={`/needs/${need.number}/wish`} className="font-medium">
            {t("wish.link")} →
          </TextLink>
          <WishStatusBadge status={need.wish.status} />
        </p>
      ) : need.wish.mayMark ? (
        <p className="text-sm" data-testid="need-wish">
          <TextLink to={`/needs/${need.number}/wish`}>{t("wish.linkMark")}</TextLink>
        </p>
      ) : null}

      {need.status === "REJECTED" && need.rejectionReason ? (
        <section className="rounded border border-red-200 bg-red-50 p-4" data-testid="rejection-reason">
          <h2 className="font-medium text-red-900">{t("needs.rejectedReason")}</h2>
          <p className="mt-1 whitespace-pre-line text-red-900">{need.rejectionReason}</p>
        </section>
      ) : null}
      {need.mergedInto ? (
        <p className="rounded border border-slate-300 bg-slate-100 p-4">
          {t("needs.mergedInto")}{" "}
          <TextLink to={`/needs/${need.mergedInto.number}`} className="font-medium">#{need.mergedInto.number} {need.mergedInto.title}</TextLink>
        </p>
      ) : null}
      {need.round ? (
        <p className="rounded border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
          {t("needs.topicOf")}{" "}
          <Link to={`/rounds/${need.round.code}`} className="font-medium underline">
            {roundTitle(locale, need.round)}
          </Link>
        </p>
      ) : null}

      <div className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
        {need.hasPhoto ? (
          <img
            src={`/needs/${need.number}/photo`}
            alt={t("needs.photoAlt", { title: need.title })}
            className="max-h-96 w-auto rounded border border-slate-200"
            loading="lazy"
          />
        ) : null}
        <p className="whitespace-pre-line">{need.description}</p>
        <p className="text-sm text-slate-600">
          {need.author.isYou && need.author.name ? t("needs.postedByYou", { name: need.author.name, date }) : t("needs.postedBy", { date })}
        </p>
        <div className="border-t border-slate-100 pt-4">
          <FollowButton following={need.conversation.following} signedIn={need.viewer.signedIn} />
        </div>
        <div className="border-t border-slate-100 pt-4">
          <VoteButton number={need.number} voted={need.viewer.voted} voteCount={need.voteCount} signedIn={need.viewer.signedIn} votable={votable} />
          {!votable ? <p className="mt-2 text-sm text-slate-600">{t("needs.voteClosed")}</p> : null}
          {voteReply?.error?.[""] ? (
            <div className="mt-2">
              <Problems errors={voteReply.error[""]} testId="vote-problems" />
            </div>
          ) : null}
        </div>
      </div>

      {need.mergedFrom.length ? (
        <section>
          <h2 className="text-lg font-semibold">{t("needs.mergedFrom")}</h2>
          <ul className="mt-2 list-disc pl-6">
            {need.mergedFrom.map((m) => (
              <li key={m.number}>
                <TextLink to={`/needs/${m.number}`}>#{m.number} {m.title}</TextLink>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {need.matters.length ? (
        <Section id="deliberation-h" title={t("deliberation.needPage.title")} size="lg" testId="need-deliberation">
          {need.matters.map((m) => (
            <div key={m.number} className="space-y-2">
              <p className="flex flex-wrap items-center gap-2">
                <TextLink to={`/deliberation/${m.number}`} className="font-medium">
                  {t("deliberation.matter.number", { number: m.number })} {m.title}
                </TextLink>
                <MatterStatusBadge status={m.status} />
              </p>
              <MatterSteps matter={m} />
            </div>
          ))}
        </Section>
      ) : null}

      <NeedConversation conversation={need.conversation} signedIn={need.viewer.signedIn} open={need.status !== "MERGED"} actionData={actionData} />

      {need.viewer.canCurate && (need.status === "OPEN" || need.status === "REJECTED") ? (
        <Section id="curate-h" title={t("needs.curate.title")} size="lg" className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5" testId="curate-panel">
          <p className="text-sm text-slate-600">{t("needs.curate.hint")}</p>
          {need.status === "OPEN" ? (
            <div className="space-y-3">
              <CurationForm intent="publish" label={t("needs.curate.publish")} question={t("needs.curate.publishQuestion")} actionData={actionData}>
                {(result) => <PublishForm result={result} rounds={need.eligibleRounds} number={need.number} areaCode={need.area.code} />}
              </CurationForm>
              {need.heldBy ? (
                // the community is deliberating it (or resolved to make it a topic): no rejecting or merging it away meanwhile
                <Notice tone="muted" role="note" testId="held-by-matter">
                  {t("needs.curate.heldBy", { matter: need.heldBy.number })}{" "}
                  <TextLink to={`/deliberation/${need.heldBy.number}`}>{t("deliberation.matter.number", { number: need.heldBy.number })}</TextLink>
                </Notice>
              ) : (
                <>
                  <CurationForm intent="merge" label={t("needs.curate.merge")} question={t("needs.curate.mergeQuestion")} actionData={actionData} danger open={need.merge.candidates !== null}>
                    {(result) => <MergeForm result={result} merge={need.merge} back={need.back.admin ? need.back.to : null} />}
                  </CurationForm>
                  <CurationForm intent="reject" label={t("needs.curate.reject")} question={t("needs.curate.rejectQuestion")} actionData={actionData} danger>
                    {(result) => <ReasonForm intent="reject" result={result} confirm={t("needs.curate.reject")} />}
                  </CurationForm>
                </>
              )}
            </div>
          ) : (
            <CurationForm intent="reopen" label={t("needs.curate.reopen")} question={t("needs.curate.reopenQuestion")} actionData={actionData}>
              {(result) => <ReasonForm intent="reopen" result={result} confirm={t("needs.curate.reopen")} />}
            </CurationForm>
          )}
        </Section>
      ) : null}
    </article>
  );
}
