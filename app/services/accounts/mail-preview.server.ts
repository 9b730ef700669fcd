import { data } from "react-router";
import { canAdminister, isAdmin } from "~/domain/permissions";
import { pageOf } from "~/domain/money";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { formatDateTime, type Locale } from "~/lib/i18n";
import type { Viewer } from "~/lib/session.server";

export const MAIL_PAGE_SIZE = 25;

/**
 * Who may open /admin/mail, and what they see there.
 *
 * - Local mail mode (no SMTP_HOST): nothing leaves the machine, so this page is the only way
 *   to read what the system sent — sign-up links included. Administrators and officials of a
 *   subdistrict or above see every message with its content. Letting subdistrict officials read
 *   everyone's mail is a development/demo convenience (the demo district has no administrator)
 *   and is acceptable only because local mode is not for production use.
 * - SMTP mode: the page is a delivery log for administrators (recipient, subject, status,
 *   attempts, last error) and never shows content; officials are refused.
 *
 * Returns null for anyone else.
 */
export function mailAccess(viewer: Viewer): { showBodies: boolean; localMode: boolean } | null {
  const localMode = !env().SMTP_CONFIGURED;
  // canAdminister: an administrator, or an official of a subdistrict, district or city
  if (localMode && canAdminister(viewer)) return { showBodies: true, localMode };
  if (!localMode && isAdmin(viewer)) return { showBodies: false, localMode };
  return null;
}

/** mailAccess, or a 403 response for the route to throw. */
export function requireMailAccess(viewer: Viewer) {
  const access = mailAccess(viewer);
  if (!access) throw data(null, { status: 403 });
  return access;
}

export interface MailRow {
  id: string;
  to: string;
  subject: string;
  template: string;
  locale: "zh_CN" | "en";
  status: "QUEUED" | "SENT" | "STORED_LOCALLY" | "FAILED";
  attempts: number;
  createdAt: string;
  createdAtText: string;
}

/** Newest first, one page. The caller has checked access with requireMailAccess. */
export async function listMail(locale: Locale, requestedPage = 1) {
  const total = await db().emailMessage.count();
  const { page, pages, skip, take } = pageOf(requestedPage, total, MAIL_PAGE_SIZE);
  const rows = await db().emailMessage.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip,
    take,
    select: { id: true, toAddress: true, subject: true, template: true, locale: true, status: true, attempts: true, createdAt: true },
  });
  const items: MailRow[] = rows.map((m) => ({
    id: m.id,
    to: m.toAddress,
    subject: m.subject,
    template: m.template,
    locale: m.locale,
    status: m.status,
    attempts: m.attempts,
    createdAt: m.createdAt.toISOString(),
    createdAtText: formatDateTime(locale, m.createdAt),
  }));
  return { items, page, pages, total };
}

/**
 * One message. Its text and HTML are included only when `showBodies` (local mode); the HTML is
 * shown by the page in a sandboxed iframe, never inserted into the page itself.
 */
export async function getMail(locale: Locale, id: string, showBodies: boolean) {
  const m = await db().emailMessage.findUnique({ where: { id } });
  if (!m) return null;
  return {
    id: m.id,
    to: m.toAddress,
    subject: m.subject,
    template: m.template,
    locale: m.locale,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    messageId: m.messageId,
    createdAtText: formatDateTime(locale, m.createdAt),
    sentAtText: m.sentAt ? formatDateTime(locale, m.sentAt) : null,
    text: showBodies ? m.text : null,
    html: showBodies ? m.html : null,
  };
}
