import { renderEmail, type TemplateName, type TemplateProps } from "../../emails";
import type { Tx } from "./db.server";
import { toDbLocale, type Locale } from "./i18n";

export const SEND_EMAIL_TASK = "send_email";
/** graphile-worker retries with exponential backoff (about 2^attempt seconds) up to this many tries. */
export const EMAIL_MAX_ATTEMPTS = 10;

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
 * added in the same transaction (graphile-worker's add_job is plain SQL).
 */
export async function queueEmail<N extends TemplateName>(tx: Tx, input: QueueEmailInput<N>): Promise<string> {
  const rendered = await renderEmail(input.template, input.props, input.locale);
  const message = await tx.emailMessage.create({
    data: {
      toAddress: input.to,
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
    job_key => ${`email:${message.id}`}::text
  )`;
  return message.id;
}
