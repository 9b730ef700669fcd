import { renderEmail, type TemplateName, type TemplateProps } from "../../emails";
import { isSmsNoticeTemplate, noticeChannel, smsNoticeText, smsSummary } from "~/domain/sms";
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
  await addDeliveryJob(tx, message.id);
  return message.id;
}

/** The delivery job of one outbox row, email or SMS, added in the caller's transaction. */
async function addDeliveryJob(tx: Tx, messageId: string): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${SEND_EMAIL_TASK}::text,
    json_build_object('messageId', ${messageId}::text),
    max_attempts => ${EMAIL_MAX_ATTEMPTS}::int,
    job_key => ${emailJobKey(messageId)}::text
  )`;
}

/**
 * Puts an SMS notice in the outbox, in the caller's transaction, like `queueEmail`: same table
 * (channel SMS), same delivery job, same retries. `phoneEnc` is the account's encrypted number,
 * stored as it is; the summary is the email's subject in the recipient's language.
 */
async function queueSms<N extends TemplateName>(tx: Tx, input: { phoneEnc: string; userId: string; locale: Locale; template: N; props: TemplateProps<N> & { link: string } }): Promise<string> {
  const rendered = await renderEmail(input.template, input.props, input.locale);
  const params = { summary: smsSummary(rendered.subject), link: input.props.link };
  const message = await tx.emailMessage.create({
    data: {
      channel: "SMS",
      toAddress: input.phoneEnc,
      userId: input.userId,
      locale: toDbLocale(input.locale),
      template: input.template,
      subject: params.summary,
      html: "",
      text: smsNoticeText(params),
      smsParams: params,
    },
    select: { id: true },
  });
  await addDeliveryJob(tx, message.id);
  return message.id;
}

/** A user of the platform as a notice is addressed to them. */
export interface EmailRecipient {
  id: string;
  email: string | null;
  name: string;
  locale: Parameters<typeof fromDbLocale>[0];
}

/**
 * A notice to a user of the platform: to their account, in their language, greeting them by their
 * name (every template's `name`). It goes as an email to their address, or as an SMS to their
 * verified number when the template is a notice that may (domain/sms.ts) and they chose SMS or
 * have no email (docs/decisions/044). An account with neither gets none (its in-app inbox still
 * does): null then, the outbox row's id otherwise.
 */
export async function queueUserEmail<N extends TemplateName>(tx: Tx, user: EmailRecipient, template: N, props: Omit<TemplateProps<N>, "name">): Promise<string | null> {
  const full = { ...props, name: user.name } as TemplateProps<N>;
  const locale = fromDbLocale(user.locale);
  if (isSmsNoticeTemplate(template) && typeof (full as { link?: unknown }).link === "string") {
    const contact = await tx.user.findUnique({ where: { id: user.id }, select: { phoneEnc: true, notifyBy: true } });
    const channel = contact ? noticeChannel({ email: user.email, hasPhone: !!contact.phoneEnc, notifyBy: contact.notifyBy }) : null;
    if (channel === "SMS" && contact?.phoneEnc) {
      return queueSms(tx, { phoneEnc: contact.phoneEnc, userId: user.id, locale, template, props: full as TemplateProps<N> & { link: string } });
    }
  }
  if (!user.email) return null;
  return queueEmail(tx, { to: user.email, userId: user.id, locale, template, props: full });
}
