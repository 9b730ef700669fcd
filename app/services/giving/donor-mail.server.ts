import { receiptDonorName } from "~/domain/donations";
import { fundraisingStatus } from "~/domain/campaigns";
import { formatFen } from "~/domain/money";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { formatDateTime, fromDbLocale, translate } from "~/lib/i18n";
import { notify } from "~/lib/notify.server";
import { queueEmail } from "~/lib/outbox.server";

/**
 * The donor's emails, rendered by a job queued in the payment's transaction (rendering takes
 * milliseconds the webhook should not hold its locks for). The job runs at least once; the email
 * goes into the outbox in the job's own transaction.
 */

const donationForMail = {
  id: true, ref: true, token: true, amountFen: true, matchedFen: true, refundedFen: true, receiptNo: true, paidAt: true, method: true,
  frequency: true, email: true, userId: true, locale: true, donorName: true, anonymous: true,
  foundation: { select: { nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true } },
  round: { select: { title: true } },
  project: { select: { referenceNo: true, title: true } },
  matches: { select: { matchedFen: true, campaign: { select: { sponsorName: true } } } },
} as const;

export async function sendDonationReceipt(donationId: string) {
  const d = await db().donation.findUnique({ where: { id: donationId }, select: donationForMail });
  if (!d?.receiptNo || !d.paidAt) return;
  const locale = fromDbLocale(d.locale);
  const foundation = locale === "en" ? d.foundation.nameEn : d.foundation.nameZh;
  const filing = fundraisingStatus(d.foundation);
  const purpose = d.project ? `${d.project.referenceNo} ${d.project.title}` : (d.round?.title ?? "");
  const amount = formatFen(d.amountFen);
  await db().$transaction(async (tx) => {
    await queueEmail(tx, {
      to: d.email,
      userId: d.userId,
      locale,
      template: "donation-receipt",
      props: {
        name: receiptDonorName(d, locale),
        receiptNo: d.receiptNo!,
        foundation,
        amount,
        matched: d.matchedFen > 0 ? formatFen(d.matchedFen) : "",
        sponsor: d.matches.map((m) => m.campaign.sponsorName).join("、"),
        paidAt: formatDateTime(locale, d.paidAt!),
        method: d.method,
        purpose,
        monthly: d.frequency === "MONTHLY",
        filing: filing.kind === "public" ? `${filing.filingNo} / ${filing.entity}` : "",
        link: `${env().APP_URL}/donations/${d.token}/receipt`,
      },
    });
    if (d.userId) {
      await notify(tx, { userId: d.userId, kind: "donation.receipt", params: { receiptNo: d.receiptNo!, foundation, amount }, link: `/donations/${d.token}` });
    }
  });
}

export async function sendDonationRefunded(donationId: string, reversedFen: number, amountFen: number) {
  const d = await db().donation.findUnique({ where: { id: donationId }, select: donationForMail });
  if (!d?.receiptNo) return;
  const locale = fromDbLocale(d.locale);
  // the reason of the latest request; a lost dispute has none
  const latest = await db().refundRequest.findFirst({ where: { donationId }, orderBy: { createdAt: "desc" }, select: { reason: true } });
  let reason = latest?.reason ?? "";
  const amount = formatFen(amountFen);
  const foundation = locale === "en" ? d.foundation.nameEn : d.foundation.nameZh;
  reason ||= translate(locale, "refund.reason.dispute");
  await db().$transaction(async (tx) => {
    await queueEmail(tx, {
      to: d.email,
      userId: d.userId,
      locale,
      template: "donation-refunded",
      props: {
        name: receiptDonorName(d, locale),
        receiptNo: d.receiptNo!,
        foundation,
        amount,
        total: formatFen(reversedFen),
        reason,
        link: `${env().APP_URL}/donations/${d.token}`,
      },
    });
    if (d.userId) {
      await notify(tx, { userId: d.userId, kind: "donation.refunded", params: { receiptNo: d.receiptNo!, amount, reason }, link: `/donations/${d.token}` });
    }
  });
}
