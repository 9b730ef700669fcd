import crypto from "node:crypto";
import { donationAmount, type DonationFormInput } from "~/domain/donations";
import { accountCodes, donationAccountCode } from "~/domain/ledger";
import { db, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { toDbLocale, type Locale } from "~/lib/i18n";
import { logger } from "~/lib/logger.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import type { RequestOrigin } from "~/lib/session.server";
import type { Actor } from "~/services/accounts/actor.server";
import { recordConsent } from "~/services/accounts/consent.server";
import { audit } from "~/services/books/audit.server";
import { paymentsMode, stripe } from "~/lib/stripe.server";
import { ensureAccount } from "~/services/books/ledger.server";
import { newDonationIdentity, newSecretToken } from "./identity.server";
import { STRIPE_CLEARING } from "./fulfil.server";
import { admitGift } from "./invitations.server";

/** Where the donor goes next: Stripe Checkout, or the local checkout page in demo payments mode. */
export type CheckoutResult = Result<{ redirectTo: string }>;

/** Rounds and projects a gift to a foundation may be earmarked for (409 when the one asked for takes no gifts), and the campaign that matches it. */
export async function resolveEarmark(
  foundationId: string,
  input: { roundId?: string | null; projectId?: string | null; campaignId?: string | null },
  now = new Date(),
): Promise<Result<{ roundId: string | null; projectId: string | null; campaignId: string | null }>> {
  let roundId: string | null = null;
  let projectId: string | null = null;
  if (input.projectId) {
    const project = await db().project.findFirst({
      where: { id: input.projectId, round: { foundationId }, status: { notIn: ["CLOSED", "EVALUATION_FAILED"] } },
      select: { id: true },
    });
    if (!project) return fail(409, "donation.error.project");
    projectId = project.id;
  } else if (input.roundId) {
    const round = await db().round.findFirst({ where: { id: input.roundId, foundationId, phase: { notIn: ["DRAFT", "CLOSED"] } }, select: { id: true } });
    if (!round) return fail(409, "donation.error.round");
    roundId = round.id;
  }
  // the campaign asked for, or else the open campaign of this foundation that covers the gift
  const campaigns = await db().matchingCampaign.findMany({
    where: { foundationId, startsAt: { lte: now }, endsAt: { gt: now }, ...(input.campaignId ? { id: input.campaignId } : {}) },
    select: { id: true, eligibleProjectIds: true },
    orderBy: { endsAt: "asc" },
  });
  const campaign = campaigns.find((c) => c.eligibleProjectIds.length === 0 || (!!projectId && c.eligibleProjectIds.includes(projectId)));
  return ok({ roundId, projectId, campaignId: campaign?.id ?? null });
}

/**
 * Starts a gift: records it PENDING (nothing is booked yet) and sends the donor to Stripe
 * Checkout — or, in demo payments mode, to the local checkout page. Only the webhook fulfils.
 *
 * The consents the form asked for are recorded with the gift, in the transaction that creates it
 * (a monthly gift's are the recurring gift's, which its charges inherit): the privacy terms
 * (required), and the optional consent to be named publicly. Without that consent the gift is
 * `anonymous` (shown as 爱心人士, its message not published); its receipt still carries the name.
 * `origin` is where the form was sent from (address and browser), recorded with the consents.
 */
export async function startCheckout(
  viewer: Pick<Actor, "id"> | null,
  foundationSlug: string,
  input: DonationFormInput,
  locale: Locale,
  origin: RequestOrigin,
  /** a directed-fundraising invitation's code: required by a fund without a filing (invitations.server.ts) */
  invitationCode: string | null = null,
): Promise<CheckoutResult> {
  const foundation = await db().foundation.findUnique({
    where: { slug: foundationSlug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true },
  });
  if (!foundation) return fail(404, "donation.error.foundation");
  const amount = donationAmount(input.amount);
  if (!amount.ok) return invalid({ amount: [`donation.amount.${amount.problem}`] });
  if (input.frequency === "MONTHLY" && input.method !== "card") return invalid({ method: ["donation.error.monthlyCardOnly"] });
  const earmark = await resolveEarmark(foundation.id, input);
  // the round or project is carried in a hidden field: said about the whole form
  if (!earmark.ok) return earmark;
  // a fund without a filing: only through a valid invitation, which this gift uses once
  const admitted = await admitGift(foundation, invitationCode);
  if (!admitted.ok) return admitted;

  const named = input.publicNaming === "on";
  const common = {
    foundationId: foundation.id,
    roundId: earmark.roundId,
    projectId: earmark.projectId,
    campaignId: earmark.campaignId,
    invitationId: admitted.invitationId,
    amountFen: amount.fen,
    donorName: input.donorName || null,
    anonymous: !named,
    message: input.message || null,
    email: input.email,
    userId: viewer?.id ?? null,
    locale: toDbLocale(locale),
  };
  // the accounts the webhook will post to exist before any event can arrive
  await ensureGivingAccounts(foundation, common);

  const demo = paymentsMode() === "demo";
  const sessionId = demo ? `cs_demo_${crypto.randomBytes(12).toString("hex")}` : null;
  const name = locale === "en" ? foundation.nameEn : foundation.nameZh;
  const base = env().APP_URL;

  if (input.frequency === "MONTHLY") {
    const gift = await db().$transaction(async (tx) => {
      const g = await tx.recurringGift.create({ data: { ...common, token: newSecretToken(), checkoutSessionId: sessionId }, select: { id: true, token: true } });
      await recordGiftConsents(tx, { recurringGiftId: g.id, userId: common.userId }, named, origin);
      return g;
    });
    if (demo) return ok({ redirectTo: `/checkout/demo/${sessionId}` });
    try {
      const session = await stripe().checkout.sessions.create(
        {
          mode: "subscription",
          allowed_payment_method_types: ["card"],
          line_items: [{ quantity: 1, price_data: { currency: "cny", unit_amount: amount.fen, recurring: { interval: "month" }, product_data: { name: `每月捐赠 ${name} / Monthly gift` } } }],
          customer_email: input.email,
          client_reference_id: gift.id,
          metadata: { recurringGiftId: gift.id },
          subscription_data: { metadata: { recurringGiftId: gift.id } },
          success_url: `${base}/giving/monthly/${gift.token}?from=checkout`,
          cancel_url: `${base}${admitted.cancelPath}`,
          locale: locale === "en" ? "en" : "zh",
        },
        { idempotencyKey: `checkout:recurring:${gift.id}` },
      );
      await db().recurringGift.update({ where: { id: gift.id }, data: { checkoutSessionId: session.id } });
      return ok({ redirectTo: session.url! });
    } catch (error) {
      logger.error({ err: error, recurringGift: gift.id }, "Stripe checkout session could not be created");
      return fail(409, "donation.error.provider");
    }
  }

  const donation = await db().$transaction(async (tx) => {
    const d = await tx.donation.create({
      data: { ...common, ...newDonationIdentity(), method: input.method, checkoutSessionId: sessionId, payment: {} },
      select: { id: true, token: true, ref: true },
    });
    await recordGiftConsents(tx, { donationId: d.id, userId: common.userId }, named, origin);
    return d;
  });
  if (demo) return ok({ redirectTo: `/checkout/demo/${sessionId}` });
  try {
    const session = await stripe().checkout.sessions.create(
      {
        mode: "payment",
        allowed_payment_method_types: [input.method],
        ...(input.method === "wechat_pay" ? { payment_method_options: { wechat_pay: { client: "web" } } } : {}),
        line_items: [{ quantity: 1, price_data: { currency: "cny", unit_amount: amount.fen, product_data: { name: `捐赠 ${name} / Gift ${donation.ref}` } } }],
        customer_email: input.email,
        client_reference_id: donation.id,
        metadata: { donationId: donation.id },
        payment_intent_data: { metadata: { donationId: donation.id }, description: `Gift ${donation.ref}` },
        success_url: `${base}/donations/${donation.token}?from=checkout`,
        cancel_url: `${base}${admitted.cancelPath}`,
        locale: locale === "en" ? "en" : "zh",
      },
      { idempotencyKey: `checkout:${donation.id}` },
    );
    await db().donation.update({ where: { id: donation.id }, data: { checkoutSessionId: session.id } });
    return ok({ redirectTo: session.url! });
  } catch (error) {
    logger.error({ err: error, donation: donation.ref }, "Stripe checkout session could not be created");
    return fail(409, "donation.error.provider");
  }
}

/**
 * The consents of a gift as the donor gave them, with the gift's audit record: the privacy terms
 * always (the form requires them), being named publicly only when ticked.
 */
async function recordGiftConsents(
  tx: Tx,
  gift: { donationId: string; userId: string | null } | { recurringGiftId: string; userId: string | null },
  named: boolean,
  origin: RequestOrigin,
) {
  const privacy = await recordConsent(tx, { kind: "DONATION_PRIVACY", ...gift }, origin);
  if (named) await recordConsent(tx, { kind: "PUBLIC_NAMING", ...gift }, origin);
  const [objectType, objectId] = "donationId" in gift ? ["Donation", gift.donationId] : ["RecurringGift", gift.recurringGiftId];
  await audit(tx, { actorId: gift.userId, action: "donation.consents", objectType, objectId, after: { noticeVersion: privacy.noticeVersion, publicNaming: named } });
}

/** The clearing account, and the foundation's or earmark's account a gift will land in. */
export async function ensureGivingAccounts(
  foundation: { id: string; nameZh: string; nameEn: string },
  target: { roundId?: string | null; projectId?: string | null },
) {
  await ensureAccount(db(), { code: STRIPE_CLEARING, kind: "EXTERNAL_CLEARING", nameZh: "Stripe 清算", nameEn: "Stripe clearing" });
  if (target.roundId || target.projectId) {
    await ensureAccount(db(), {
      code: donationAccountCode({ foundationId: foundation.id, ...target }),
      kind: "FOUNDATION_EARMARKED",
      nameZh: `${foundation.nameZh} 定向资金`,
      nameEn: `${foundation.nameEn} — earmarked funds`,
      foundationId: foundation.id,
      ownerId: target.projectId ?? target.roundId ?? null,
    });
  } else {
    await ensureAccount(db(), {
      code: accountCodes.foundationAvailable(foundation.id),
      kind: "FOUNDATION_AVAILABLE",
      nameZh: `${foundation.nameZh} 可用资金`,
      nameEn: `${foundation.nameEn} — available funds`,
      foundationId: foundation.id,
    });
  }
}
