import type Stripe from "stripe";
import { formatFen } from "~/domain/money";
import { refundFailureKey, type DisputeNotice, type PaymentFact } from "~/domain/payment-facts";
import type { Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { formatDateTime, fromDbLocale, translate } from "~/lib/i18n";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { audit } from "~/services/books/audit.server";

/**
 * What a foundation's managers must hear about money without looking: a gift disputed by the
 * payer's bank (with the deadline for answering), a refund the provider could not make, a
 * matching campaign closed out. Each is told once — by email through the outbox and in the inbox
 * — in the transaction of the change that causes it, so a rolled-back or repeated event tells
 * nobody twice.
 */

export type ManagerNoticeKind = "DISPUTE_OPENED" | "REFUND_FAILED" | "CAMPAIGN_CLOSED";

/** The foundation's managers as they stand (live grants, accounts not erased). */
async function managersOf(tx: Tx, foundationId: string) {
  return tx.user.findMany({
    where: { deletedAt: null, grants: { some: { role: "FOUNDATION_MANAGER", foundationId, revokedAt: null } } },
    select: { id: true, email: true, name: true, locale: true },
    orderBy: { id: "asc" },
  });
}

/**
 * Tells every manager of the foundation. `detail` is given per language (a date in Asia/Shanghai,
 * a reason): the inbox renders the pair in the reader's language, the email in the recipient's.
 */
export async function tellManagers(
  tx: Tx,
  foundationId: string,
  n: { kind: ManagerNoticeKind; ref: string; amountFen: number; detail: { zh: string; en: string }; link: string },
) {
  const amount = formatFen(n.amountFen);
  for (const user of await managersOf(tx, foundationId)) {
    await notify(tx, { userId: user.id, kind: `giving.${n.kind}`, params: { ref: n.ref, amount, detailZh: n.detail.zh, detailEn: n.detail.en }, link: n.link });
    const locale = fromDbLocale(user.locale);
    await queueUserEmail(tx, user, "foundation-money", { kind: n.kind, subjectRef: n.ref, amount, detail: locale === "en" ? n.detail.en : n.detail.zh, link: `${appUrl()}${n.link}` });
  }
}

const giftLink = (slug: string, ref: string) => `/admin/foundations/${encodeURIComponent(slug)}/donations/${encodeURIComponent(ref)}`;

/** A moment in both languages (Asia/Shanghai), or the words for "not given". */
function when(at: Date | null): { zh: string; en: string } {
  if (!at) return { zh: translate("zh-CN", "giving.notice.noDeadline"), en: translate("en", "giving.notice.noDeadline") };
  return { zh: formatDateTime("zh-CN", at), en: formatDateTime("en", at) };
}

interface GiftRow {
  id: string;
  ref: string;
  amountFen: number;
  foundation: { id: string; slug: string };
}

const findGift = (tx: Tx, donationId: string): Promise<GiftRow | null> =>
  tx.donation.findUnique({ where: { id: donationId }, select: { id: true, ref: true, amountFen: true, foundation: { select: { id: true, slug: true } } } });

/**
 * The first event of a dispute, whichever arrives first and however often: the dispute's row is
 * written (its id is Stripe's, so every later event of it finds the row and does nothing), the
 * managers are told the gift, the amount and the deadline for evidence, and it is audited.
 * Runs under the PaymentIntent's lock in the event's transaction.
 */
export async function recordDispute(tx: Tx, donationId: string, dispute: DisputeNotice) {
  const gift = await findGift(tx, donationId);
  if (!gift) return;
  const dueBy = dispute.dueBy ? new Date(dispute.dueBy * 1000) : null;
  const inserted = await tx.$executeRaw`
    INSERT INTO "PaymentDispute" (id, "donationId", "amountFen", reason, "dueBy", "createdAt")
    VALUES (${dispute.id}, ${gift.id}, ${dispute.amountFen}, ${dispute.reason}, ${dueBy}, now())
    ON CONFLICT (id) DO NOTHING`;
  if (!inserted) return;
  await audit(tx, {
    actorId: null,
    action: "donation.dispute.opened",
    objectType: "Donation",
    objectId: gift.id,
    after: { ref: gift.ref, dispute: dispute.id, amountFen: dispute.amountFen, reason: dispute.reason, dueBy: dueBy?.toISOString() ?? null },
  });
  await tellManagers(tx, gift.foundation.id, { kind: "DISPUTE_OPENED", ref: gift.ref, amountFen: dispute.amountFen, detail: when(dueBy), link: giftLink(gift.foundation.slug, gift.ref) });
}

/**
 * A refund the provider could not make (told once per refund: the caller calls this only when
 * the failure changed the payment's state). The request it answers — by the provider's refund id,
 * else the id in its metadata, else the oldest open request of that amount — is marked FAILED, so
 * its amount may be asked for again; the managers are told; it is audited.
 */
export async function recordRefundFailure(tx: Tx, donationId: string, refund: Stripe.Refund, at: Date) {
  const gift = await findGift(tx, donationId);
  if (!gift) return;
  const reason = refund.failure_reason ?? null;
  const request =
    (await tx.refundRequest.findFirst({ where: { donationId, providerRefundId: refund.id }, select: { id: true } })) ??
    (refund.metadata?.refundRequestId ? await tx.refundRequest.findFirst({ where: { donationId, id: refund.metadata.refundRequestId }, select: { id: true } }) : null) ??
    (await tx.refundRequest.findFirst({ where: { donationId, status: "REQUESTED", amountFen: refund.amount }, orderBy: { createdAt: "asc" }, select: { id: true } }));
  if (request) {
    await tx.refundRequest.update({ where: { id: request.id }, data: { status: "FAILED", failedAt: at, failureReason: reason, providerRefundId: refund.id } });
  }
  await audit(tx, {
    actorId: null,
    action: "donation.refund.failed",
    objectType: "Donation",
    objectId: gift.id,
    after: { ref: gift.ref, refund: refund.id, amountFen: refund.amount, reason, request: request?.id ?? null },
  });
  await tellManagers(tx, gift.foundation.id, {
    kind: "REFUND_FAILED",
    ref: gift.ref,
    amountFen: refund.amount,
    detail: { zh: translate("zh-CN", refundFailureKey(reason)), en: translate("en", refundFailureKey(reason)) },
    link: giftLink(gift.foundation.slug, gift.ref),
  });
}

/** Disputes among facts that were parked until a gift claimed their PaymentIntent: recorded and told now (once each, as ever). */
export async function recordParkedDisputes(tx: Tx, donationId: string, facts: readonly PaymentFact[]) {
  for (const f of facts) if ((f.kind === "disputeOpened" || f.kind === "disputeClosed") && f.notice) await recordDispute(tx, donationId, f.notice);
}
