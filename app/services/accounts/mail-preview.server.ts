import { pageOf } from "~/domain/money";
import { db } from "~/lib/db.server";
import { formatDateTime, type Locale } from "~/lib/i18n";
import { redactActionLinks } from "~/domain/mail-redaction";
import { maskPhone } from "~/domain/pii";
import { normalizeEmail } from "~/domain/staff";
import { decryptPii } from "~/lib/pii.server";
import { audit } from "~/services/books/audit.server";

/** What /admin/mail lists and shows; who may open it is decided by mailAccess (access.server.ts). */

export const MAIL_PAGE_SIZE = 25;

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

type StoredHead = Pick<MailRow, "id" | "subject" | "template" | "locale" | "status" | "attempts"> & { toAddress: string; createdAt: Date; channel: "EMAIL" | "SMS" };

/** What both the list and one message show of a stored email, or SMS notice (its number masked). */
const mailHead = (locale: Locale, m: StoredHead) => ({
  id: m.id,
  to: m.channel === "SMS" ? `SMS ${maskPhone(decryptPii(m.toAddress))}` : m.toAddress,
  subject: m.subject,
  template: m.template,
  locale: m.locale,
  status: m.status,
  attempts: m.attempts,
  createdAtText: formatDateTime(locale, m.createdAt),
});

/** Newest first, one page. The caller has checked access with requireMailAccess (access.server.ts). */
export async function listMail(locale: Locale, requestedPage = 1) {
  const total = await db().emailMessage.count();
  const { page, pages, skip, take } = pageOf(requestedPage, total, MAIL_PAGE_SIZE);
  const rows = await db().emailMessage.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip,
    take,
    select: { id: true, channel: true, toAddress: true, subject: true, template: true, locale: true, status: true, attempts: true, createdAt: true },
  });
  const items: MailRow[] = rows.map((m) => ({ ...mailHead(locale, m), createdAt: m.createdAt.toISOString() }));
  return { items, page, pages, total };
}

/**
 * One message, as `viewer` may see it. Its text and HTML are included only when `showBodies`
 * (local mode); the HTML is shown by the page in a sandboxed iframe, never inserted into the
 * page itself. Links that act for the recipient (reset, verify, invitations, a donor's secret
 * pages) are hidden from everyone but the recipient. Every view is audited.
 */
export async function getMail(viewer: { id: string; email: string | null }, locale: Locale, id: string, showBodies: boolean) {
  const m = await db().emailMessage.findUnique({ where: { id } });
  if (!m) return null;
  const ownMail = m.channel === "EMAIL" && !!viewer.email && normalizeEmail(viewer.email) === normalizeEmail(m.toAddress);
  const shown = (content: string) => (ownMail ? content : redactActionLinks(content));
  await db().$transaction((tx) =>
    audit(tx, { actorId: viewer.id, action: "mail.view", objectType: "EmailMessage", objectId: m.id, after: { template: m.template, bodies: showBodies, linksHidden: !ownMail } }),
  );
  return {
    ...mailHead(locale, m),
    lastError: m.lastError,
    messageId: m.messageId,
    sentAtText: m.sentAt ? formatDateTime(locale, m.sentAt) : null,
    text: showBodies ? shown(m.text) : null,
    html: showBodies ? shown(m.html) : null,
    linksHidden: showBodies && !ownMail,
  };
}
