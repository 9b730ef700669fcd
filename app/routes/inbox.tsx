import { data, Form, redirect } from "react-router";
import type { ReactNode } from "react";
import { z } from "zod";
import type { Route } from "./+types/inbox";
import { EmptyState, NumberedPager, PageTitle } from "~/components/ui";
import { CURSOR_PARAM, PAGE_PARAM } from "~/domain/keyset";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { listInbox, markAllRead, markRead } from "~/services/accounts/inbox.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const locale = resolveLocale(request, viewer);
  const search = new URL(request.url).searchParams;
  return { locale, inbox: await listInbox(viewer.id, locale, search.get(CURSOR_PARAM), search.get(PAGE_PARAM)) };
}

const Intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.uuid() }),
  z.object({ intent: z.literal("open"), id: z.uuid() }),
  z.object({ intent: z.literal("readAll") }),
]);

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const back = `/inbox${new URL(request.url).search}`;
  switch (v.intent) {
    case "readAll":
      await markAllRead(viewer.id);
      return redirect(back);
    case "read":
    case "open": {
      const r = await markRead(viewer.id, v.id);
      // another user's notification is reported exactly like a missing one: the not-found page
      if (!r.ok) throw data(null, { status: r.problem.status });
      return redirect(v.intent === "open" && r.link ? r.link : back);
    }
  }
}

/** One button acting on one notification (open it, mark it read). */
function NotificationAction({ id, intent, className, children }: { id: string; intent: "open" | "read"; className: string; children: ReactNode }) {
  return (
    <Form method="post">
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value={intent} aria-describedby={`n-${id}`} className={className}>
        {children}
      </button>
    </Form>
  );
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("inbox.title")} · ${t("app.name")}` }];
};

export default function Inbox({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { inbox } = loaderData;
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle sub={t("inbox.subtitle")}>{t("inbox.title")}</PageTitle>
      {inbox.total === 0 ? (
        <EmptyState title={t("inbox.empty")}>{t("inbox.emptyHint")}</EmptyState>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" data-testid="inbox-unread" aria-live="polite">
              {inbox.unread ? t("inbox.unreadCount", { count: inbox.unread }) : t("inbox.allRead")}
            </p>
            {inbox.unread ? (
              <Form method="post">
                <button type="submit" name="intent" value="readAll" className="rounded border border-slate-300 bg-white px-3 py-2 text-sm">
                  {t("inbox.markAllRead")}
                </button>
              </Form>
            ) : null}
          </div>
          <ul className="space-y-3" aria-label={t("inbox.title")}>
            {inbox.items.map((n) => (
              <li
                key={n.id}
                data-testid="inbox-item"
                data-read={n.read ? "true" : "false"}
                className={
                  n.read
                    ? "rounded-lg border border-slate-200 bg-white p-4"
                    : "rounded-lg border border-brand-100 border-l-4 border-l-brand-700 bg-brand-50 p-4"
                }
              >
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <h2 id={`n-${n.id}`} className={n.read ? "font-medium text-slate-800" : "font-semibold text-slate-900"}>
                    {n.read ? null : (
                      <span className="mr-2 rounded bg-brand-700 px-1.5 py-0.5 align-middle text-xs font-medium text-white">{t("inbox.unread")}</span>
                    )}
                    {n.title}
                  </h2>
                  <time dateTime={n.createdAt} className="text-xs text-slate-600">
                    {n.createdAtText}
                  </time>
                </div>
                <p className="mt-1 text-sm text-slate-700">{n.body}</p>
                {n.link || !n.read ? (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {n.link ? (
                      <NotificationAction id={n.id} intent="open" className="rounded bg-brand-700 px-3 py-2 text-sm font-medium text-white hover:bg-brand-800">
                        {t("inbox.open")}
                      </NotificationAction>
                    ) : null}
                    {n.read ? null : (
                      <NotificationAction id={n.id} intent="read" className="rounded border border-slate-300 bg-white px-3 py-2 text-sm">
                        {t("inbox.markRead")}
                      </NotificationAction>
                    )}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
          <NumberedPager pager={inbox.pager} />
        </>
      )}
    </div>
  );
}
