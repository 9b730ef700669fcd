import type { SubmissionResult } from "@conform-to/react";
import { Form, useLocation } from "react-router";
import { FormErrors, getFormProps, replyFor, TextareaField, useZodForm } from "~/components/form";
import { Badge, EmptyState, Problems, Section, TextLink } from "~/components/ui";
import { CommentSchema, HideSchema } from "~/domain/needs";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import type { CommentView } from "~/services/needs/conversation.server";

export interface ConversationData {
  comments: CommentView[];
  total: number;
  following: boolean;
  canModerate: boolean;
}

function CommentForm({ intent, result }: { intent: "comment" | "reply"; result: SubmissionResult<string[]> | null }) {
  const t = useT();
  const [form, fields] = useZodForm(CommentSchema, result, { id: `need-${intent}` });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" preventScrollReset>
      <FormErrors form={form} />
      <TextareaField
        meta={fields.body}
        label={intent === "reply" ? t("needs.reply.label") : t("needs.comment.label")}
        hint={intent === "reply" ? t("needs.reply.hint") : t("needs.comment.publicHint")}
        rows={3}
      />
      <button
        type="submit"
        name="intent"
        value={intent}
        className={intent === "reply" ? "rounded bg-emerald-800 px-3 py-1 text-white" : "rounded bg-brand-700 px-3 py-1 text-white"}
      >
        {intent === "reply" ? t("needs.reply.submit") : t("needs.comment.submit")}
      </button>
    </Form>
  );
}

function HideForm({ commentId, result }: { commentId: string; result: SubmissionResult<string[]> | null }) {
  const t = useT();
  const [form, fields] = useZodForm(HideSchema, result, { id: `need-hide-${commentId}` });
  return (
    <details className="mt-2 text-sm" open={!!result && result.status === "error"}>
      <summary className="inline-block cursor-pointer rounded border border-red-300 px-2 py-0.5 text-red-800">{t("needs.comment.hide")}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 space-y-2 rounded border border-red-200 bg-red-50 p-3" preventScrollReset>
        <p>{t("needs.comment.hideQuestion")}</p>
        <FormErrors form={form} />
        <input type="hidden" name="comment" value={commentId} />
        <TextareaField meta={fields.reason} label={t("needs.comment.hideReason")} rows={2} />
        <button type="submit" name="intent" value="hide" className="rounded bg-red-800 px-3 py-1 text-white">
          {t("needs.comment.hideConfirm")}
        </button>
      </Form>
    </details>
  );
}

/** Follow / unfollow: a plain form, so it works without JavaScript. */
export function FollowButton({ following, signedIn }: { following: boolean; signedIn: boolean }) {
  const t = useT();
  if (!signedIn) return null;
  return (
    <Form method="post" className="flex flex-wrap items-center gap-2 text-sm" preventScrollReset>
      {following ? <span data-testid="following">{t("needs.following")}</span> : null}
      <button
        type="submit"
        name="intent"
        value={following ? "unfollow" : "follow"}
        aria-pressed={following}
        className="rounded border border-slate-400 bg-white px-3 py-1 font-medium text-slate-800"
      >
        {following ? t("needs.unfollow") : `☆ ${t("needs.follow")}`}
      </button>
      <span className="basis-full text-slate-600">{t("needs.follow.hint")}</span>
    </Form>
  );
}

/** A need's conversation: the comments (hidden ones as "hidden by an official" and the reason), the forms to comment and, for the area's officials, to reply and hide. */
export function NeedConversation({
  conversation,
  signedIn,
  open,
  actionData,
}: {
  conversation: ConversationData;
  signedIn: boolean;
  /** whether new comments may be posted (not on a merged need) */
  open: boolean;
  actionData: unknown;
}) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const hideReply = replyFor(actionData, "hide");
  // the comment whose hiding was refused: its form opens again with the errors
  const hidingId = hideReply?.status === "error" ? ((hideReply.initialValue?.comment as string | undefined) ?? null) : null;
  return (
    <Section id="conversation-h" title={t("needs.conversation.title")} size="lg" sub={t("needs.conversation.count", { count: conversation.total })} testId="need-conversation">
      {conversation.comments.length === 0 ? (
        <EmptyState title={t("needs.conversation.empty")} />
      ) : (
        <ol className="space-y-3">
          {conversation.comments.map((c) => (
            <li key={c.id} className={`rounded-lg p-4 shadow-sm ${c.official ? "border border-emerald-300 bg-emerald-50" : "bg-white"}`} data-testid="need-comment">
              <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
                <span className="font-medium">
                  {c.author}
                  {c.isYou ? t("needs.comment.you") : ""}
                </span>
                {c.official ? (
                  <Badge tone="bg-emerald-800 text-white" className="rounded px-2 py-0.5 text-xs font-medium" testId="official-reply">
                    {t("needs.comment.official")}
                  </Badge>
                ) : null}
                <span>{formatDateTime(locale, c.createdAt)}</span>
              </p>
              {c.hidden ? (
                <p className="mt-2 italic text-slate-700" data-testid="comment-hidden">
                  {t("needs.comment.hidden")}
                  {c.hidden.reason ? ` · ${t("needs.comment.hiddenReason", { reason: c.hidden.reason })}` : ""}
                </p>
              ) : (
                <p className="mt-2 whitespace-pre-line">{c.body}</p>
              )}
              {conversation.canModerate && !c.hidden ? <HideForm commentId={c.id} result={hidingId === c.id ? (hideReply ?? null) : null} /> : null}
            </li>
          ))}
        </ol>
      )}
      {conversation.total > conversation.comments.length ? (
        <p className="text-sm text-slate-600">{t("needs.conversation.olderNotShown", { shown: conversation.comments.length })}</p>
      ) : null}
      {hideReply?.error?.[""] && !hidingId ? <Problems errors={hideReply.error[""]} /> : null}
      {!signedIn ? (
        <p>
          <TextLink to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("needs.comment.signIn")}</TextLink>
        </p>
      ) : open ? (
        <div className="space-y-4 rounded-lg bg-white p-4 shadow-sm">
          <CommentForm intent="comment" result={replyFor(actionData, "comment") ?? null} />
          {conversation.canModerate ? (
            <div className="border-t border-slate-100 pt-4">
              <CommentForm intent="reply" result={replyFor(actionData, "reply") ?? null} />
            </div>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
