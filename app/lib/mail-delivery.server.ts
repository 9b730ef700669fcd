import type { JobHelpers, Task } from "graphile-worker";
import type { EmailMessage } from "~/generated/prisma/client";
import { db } from "./db.server";
import { env } from "./env.server";
import { logger as appLogger } from "./logger.server";
import { smtpTransport } from "./mailer.server";
import { decryptPii } from "./pii.server";
import { smsProvider, SmsSendError, type SmsParams } from "./sms.server";

const log = appLogger.child({ component: "mail" });

/** What an SMTP failure tells us, without the recipient address or server banner text. */
export interface SmtpFailure {
  /** e.g. ECONNECTION, EENVELOPE, EAUTH, EMESSAGE, ETIMEDOUT */
  code: string;
  responseCode: number | null;
  /** the server refused this message for good (5xx on the envelope): retrying cannot help */
  permanent: boolean;
  /** for the outbox row (seen by administrators only), at most 500 characters */
  detail: string;
}

export function describeSmtpFailure(error: unknown): SmtpFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "ERROR";
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : null;
  const permanent = code === "EENVELOPE" && responseCode !== null && responseCode >= 500 && responseCode < 600;
  const detail = String(e.message ?? error).slice(0, 500);
  return { code, responseCode, permanent, detail };
}

/** The Message-ID of an outbox row: stable across retries, so a receiver can drop a duplicate. */
export function outboxMessageId(id: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
  return `<outbox.${id}@${domain}>`;
}

/**
 * Delivers one outbox message.
 *
 * At-least-once: a crash between the SMTP hand-off and the status update re-sends the message
 * when the job is retried (with the same Message-ID); it is never lost. Status transitions:
 * QUEUED → SENT (SMTP accepted it), QUEUED → STORED_LOCALLY (local mail mode: kept for
 * /admin/mail), QUEUED → FAILED (the last attempt failed, or the server refused the envelope
 * for good). Every attempt increments `attempts`; a failed one records `lastError`.
 *
 * Logs carry the message id, template and attempt only: never the address, subject or body
 * (the error thrown for graphile-worker's own log and `last_error` column is sanitised too).
 */
export const sendEmail: Task = async (payload, helpers) => {
  const { messageId } = payload as { messageId: string };
  const message = await db().emailMessage.findUnique({ where: { id: messageId } });
  if (!message) {
    log.warn({ messageId }, "outbox message not found; nothing to deliver");
    return;
  }
  // a retry after a crash that followed a successful hand-off, or a duplicate job
  if (message.status !== "QUEUED") return;
  if (message.channel === "SMS") return deliverSms(message, helpers);
  // an address under .invalid (RFC 2606: an account made through WeChat, an erased one) is never
  // delivered: failed at once, with no SMTP hand-off and no retries
  if (message.toAddress.toLowerCase().endsWith(".invalid")) {
    await db().emailMessage.update({ where: { id: messageId }, data: { status: "FAILED", attempts: { increment: 1 }, lastError: "recipient address is not deliverable (.invalid)" } });
    log.info({ messageId, template: message.template }, "email not sent: the recipient address is not deliverable");
    return;
  }

  const transport = smtpTransport();
  if (!transport) {
    await db().emailMessage.update({
      where: { id: messageId },
      data: { status: "STORED_LOCALLY", attempts: { increment: 1 }, sentAt: new Date(), lastError: null },
    });
    log.info({ messageId, template: message.template }, "email kept for the local mail preview (no SMTP configured)");
    return;
  }

  const from = env().MAIL_FROM;
  let accepted: { messageId: string };
  try {
    accepted = await transport.sendMail({
      from,
      to: message.toAddress,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: outboxMessageId(message.id, from),
      headers: { "X-Outbox-Id": message.id },
    });
  } catch (error) {
    const failure = describeSmtpFailure(error);
    const maxAttempts = helpers.job.max_attempts;
    const final = failure.permanent || helpers.job.attempts >= maxAttempts;
    await db().emailMessage.update({
      where: { id: messageId },
      data: { attempts: { increment: 1 }, lastError: failure.detail, status: final ? "FAILED" : "QUEUED" },
    });
    log.warn(
      { messageId, template: message.template, attempt: helpers.job.attempts, maxAttempts, code: failure.code, responseCode: failure.responseCode, final },
      "email delivery failed",
    );
    // a permanent refusal completes the job (the row says FAILED); anything else is retried by
    // graphile-worker with exponential backoff until max_attempts
    if (failure.permanent) return;
    throw new Error(`SMTP delivery failed: ${failure.code}${failure.responseCode ? ` ${failure.responseCode}` : ""}`);
  }
  // if this update fails the job is retried and the message sent again (at-least-once)
  await db().emailMessage.update({
    where: { id: messageId },
    data: { status: "SENT", attempts: { increment: 1 }, sentAt: new Date(), messageId: accepted.messageId, lastError: null },
  });
  log.info({ messageId, template: message.template, attempt: helpers.job.attempts }, "email sent");
};

/**
 * Delivers one SMS row of the outbox, with the same statuses, attempts and retries as an email:
 * QUEUED → SENT (the provider accepted it; its id kept in messageId), QUEUED → STORED_LOCALLY
 * (local SMS mode), QUEUED → FAILED (the last attempt failed, or the provider refused the
 * number or template for good). The number is decrypted only to hand it to the provider, and
 * logs carry the row id and template only.
 */
async function deliverSms(message: EmailMessage, helpers: JobHelpers): Promise<void> {
  const provider = smsProvider();
  if (!provider) {
    await db().emailMessage.update({ where: { id: message.id }, data: { status: "STORED_LOCALLY", attempts: { increment: 1 }, sentAt: new Date(), lastError: null } });
    log.info({ messageId: message.id, template: message.template }, "SMS kept in the outbox (local SMS mode)");
    return;
  }
  let providerId: string;
  try {
    ({ providerId } = await provider.send(decryptPii(message.toAddress), "notice", message.smsParams as SmsParams));
  } catch (error) {
    const failure = error instanceof SmsSendError ? error : new SmsSendError("ERROR", String(error).slice(0, 300), false);
    const final = failure.permanent || helpers.job.attempts >= helpers.job.max_attempts;
    await db().emailMessage.update({
      where: { id: message.id },
      data: { attempts: { increment: 1 }, lastError: `${failure.code}: ${failure.message}`.slice(0, 500), status: final ? "FAILED" : "QUEUED" },
    });
    log.warn({ messageId: message.id, template: message.template, attempt: helpers.job.attempts, code: failure.code, final }, "SMS delivery failed");
    if (failure.permanent) return;
    throw new Error(`SMS delivery failed: ${failure.code}`);
  }
  await db().emailMessage.update({
    where: { id: message.id },
    data: { status: "SENT", attempts: { increment: 1 }, sentAt: new Date(), messageId: providerId, lastError: null },
  });
  log.info({ messageId: message.id, template: message.template, attempt: helpers.job.attempts }, "SMS sent");
}
