import { renderEmail, type TemplateName, type TemplateProps } from "../../emails";
import type { Tx } from "./db.server";
import { fromDbLocale, toDbLocale, type Locale } from "./i18n";

export const SEND_EMAIL_TASK = "send_email";
/**
 * graphile-worker retries a failed job after exp(min(attempt, 10)) seconds (e, e², … ≈ 3, 7,
 * 20, 55 s, 2.5 min, 7 min, 18 min, 50 min, 2.25 h): ten tries span about three and a half
 * hours, enough to ride out a relay restart or a short outage, after which the row is FAILED.
 */
export const EMAIL_MAX_ATTEMPTS = 10;

/** graphile-worker job key of a message's delivery job (one job per message). */
export const emailJobKey = (messageId: string) => `email:${messageId}`;

export interface QueueEmailInput<N extends TemplateName> {
  to: string;
  userId?: string | null;
  locale: Locale;
  template: N;
  props: TemplateProps<N>;
}

/**
 * Renders the email in the recipient's language and puts it in the outbox, in the caller's
 * transaction: it is sent if and only if the change that caused it commits. The delivery job is
 * added in the same transaction (graphile-worker's add_job is plain SQL). The job carries only
 * the message id, so no address or content ends up in the job table or its logs.
 *
 * `tx` must be the transaction of the change (`db().$transaction(async (tx) => …)`); passing
 * `db()` itself queues the email on its own, which is right only when nothing else changes.
 */
export async function queueEmail<N extends TemplateName>(tx: Tx, input: QueueEmailInput<N>): Promise<string> {
  const to = input.to.trim();
  if (!to.includes("@")) throw new Error("queueEmail: the recipient is not an email address");
  const rendered = await renderEmail(input.template, input.props, input.locale);
  const message = await tx.emailMessage.create({
    data: {
      toAddress: to,
      userId: input.userId ?? null,
      locale: toDbLocale(input.locale),
      template: input.template,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    },
    select: { id: true },
  });
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${SEND_EMAIL_TASK}::text,
    json_build_object('messageId', ${message.id}::text),
    max_attempts => ${EMAIL_MAX_ATTEMPTS}::int,
    job_key => ${emailJobKey(message.id)}::text
  )`;
  return message.id;
}

/** A user of the platform as an email is addressed to them. */
export interface EmailRecipient {
  id: string;
  email: string;
  name: string;
  locale: Parameters<typeof fromDbLocale>[0];
}

/**
 * `queueEmail` to a user of the platform: to their address and account, in their language, and
 * greeting them by their name (every template's `name`).
 */
export function queueUserEmail<N extends TemplateName>(tx: Tx, user: EmailRecipient, template: N, props: Omit<TemplateProps<N>, "name">): Promise<string> {
  return queueEmail(tx, { to: user.email, userId: user.id, locale: fromDbLocale(user.locale), template, props: { ...props, name: user.name } as TemplateProps<N> });
}
