import { z } from "zod";
import { decodeCursor, NO_NUMBERED_PAGES, numberedLinksOf, numberedPage, parsePageNumber, type NumberedLinks } from "~/domain/keyset";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { formatDateTime, translate, type Locale, type Params } from "~/lib/i18n";
import { fail, ok, type Result } from "~/lib/result";
import { messages } from "~/locales";
import { safeRedirect } from "~/lib/session.server";

export const INBOX_PAGE_SIZE = 20;

/** One notification as the inbox page shows it (a DTO: no user id, no raw params). */
export interface InboxItem {
  id: string;
  title: string;
  body: string;
  /** an in-app path, or null */
  link: string | null;
  read: boolean;
  createdAt: string;
  createdAtText: string;
}

export interface InboxPage {
  items: InboxItem[];
  pager: NumberedLinks;
  total: number;
  unread: number;
}

const ROLES = new Set(["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "ADMIN", "MENTOR", "RESIDENT", "APPLICANT", "DONOR"]);

/**
 * The placeholders of a notification in the reader's language (conventions in
 * app/locales/inbox.json): `role` through the role names, `xZh`/`xEn` pairs as `x`.
 */
export function localizeParams(locale: Locale, raw: unknown): Params {
  const params: Params = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return params;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === "string" || typeof value === "number") params[key] = value;
  }
  for (const key of Object.keys(params)) {
    const base = /^(.+)Zh$/.exec(key)?.[1];
    // the pair wins over a plain `x` that a caller may pass alongside it
    if (base && `${base}En` in params) {
      params[base] = locale === "en" ? params[`${base}En`]! : params[key]!;
    }
  }
  if (typeof params.role === "string" && ROLES.has(params.role)) params.role = translate(locale, `role.${params.role}`);
  return params;
}

const known = (key: string) => key in messages;

/** Title and body of a notification in `locale`; an unknown kind gets a generic text, never a raw key. */
export function renderNotification(locale: Locale, kind: string, rawParams: unknown): { title: string; body: string } {
  const params = localizeParams(locale, rawParams);
  const titleKey = known(`inbox.${kind}.title`) ? `inbox.${kind}.title` : "inbox.generic.title";
  const bodyKey = known(`inbox.${kind}.body`) ? `inbox.${kind}.body` : "inbox.generic.body";
  return { title: translate(locale, titleKey, params), body: translate(locale, bodyKey, params) };
}

/** Only a path on this site is ever offered as a link (never `javascript:` or another origin). */
export function safeInAppLink(link: string | null | undefined): string | null {
  return safeRedirect(link, "") || null;
}

/** A notification's place in the inbox: [createdAt in ms, id]. */
const NotificationKey = z.tuple([z.number().int(), z.string().min(1).max(64)]);
type NotificationKey = z.infer<typeof NotificationKey>;
const INBOX_ROW = { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true } as const satisfies Prisma.NotificationSelect;
type InboxRow = Prisma.NotificationGetPayload<{ select: typeof INBOX_ROW }>;

/**
 * The reader's own notifications, newest first, one numbered page of INBOX_PAGE_SIZE
 * (`numberedPage` in `~/domain/keyset`: `page` is the page's `?page=`, `cursor` the `?cursor=` of
 * previous / next, bound to the reader; the index Notification(userId, createdAt, id) serves
 * previous / next as a range, however long the inbox grows, and a page asked by its number is
 * located from the nearer end over the index's keys only).
 */
export async function listInbox(userId: string, locale: Locale, cursor: string | null = null, pageNumber: string | null = null): Promise<InboxPage> {
  const [total, unread] = await Promise.all([
    db().notification.count({ where: { userId } }),
    db().notification.count({ where: { userId, readAt: null } }),
  ]);
  const scope = JSON.stringify(["inbox", userId]);
  const page = total
    ? await numberedPage<InboxRow, NotificationKey>({
        scope,
        cursor: decodeCursor(cursor, scope, NotificationKey),
        page: parsePageNumber(pageNumber),
        per: INBOX_PAGE_SIZE,
        total,
        keyOf: (n) => [n.createdAt.getTime(), n.id],
        fetch: ({ key, backward, take }) => {
          const at = key ? new Date(key[0]) : null;
          const beyond: Prisma.NotificationWhereInput =
            key && at
              ? backward
                ? { createdAt: { gte: at }, OR: [{ createdAt: { gt: at } }, { id: { gt: key[1] } }] }
                : { createdAt: { lte: at }, OR: [{ createdAt: { lt: at } }, { id: { lt: key[1] } }] }
              : {};
          const order = backward ? "asc" : "desc";
          return db().notification.findMany({ where: { userId, ...beyond }, orderBy: [{ createdAt: order }, { id: order }], take, select: INBOX_ROW });
        },
        keyAt: async (skip, backward) => {
          const order = backward ? "asc" : "desc";
          const [n] = await db().notification.findMany({ where: { userId }, orderBy: [{ createdAt: order }, { id: order }], skip, take: 1, select: { createdAt: true, id: true } });
          return n ? [n.createdAt.getTime(), n.id] : null;
        },
      })
    : { items: [] as InboxRow[], ...NO_NUMBERED_PAGES };
  const rows = page.items;
  return {
    total,
    unread,
    pager: numberedLinksOf(page),
    items: rows.map((n) => ({
      id: n.id,
      ...renderNotification(locale, n.kind, n.params),
      link: safeInAppLink(n.link),
      read: n.readAt !== null,
      createdAt: n.createdAt.toISOString(),
      createdAtText: formatDateTime(locale, n.createdAt),
    })),
  };
}

/**
 * Marks one of the reader's notifications read and returns where it points (null when it has
 * no in-app link). A 404 when the reader has no such notification: someone else's id is
 * indistinguishable from a missing one.
 */
export async function markRead(userId: string, id: string): Promise<Result<{ link: string | null }>> {
  const owned = await db().notification.findFirst({ where: { id, userId }, select: { link: true, readAt: true } });
  if (!owned) return fail(404, "inbox.notFound");
  if (!owned.readAt) await db().notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: new Date() } });
  return ok({ link: safeInAppLink(owned.link) });
}

/** Marks every unread notification of the reader read; returns how many changed. */
export async function markAllRead(userId: string): Promise<number> {
  const { count } = await db().notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return count;
}
