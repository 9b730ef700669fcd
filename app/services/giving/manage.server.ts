import { CampaignFormSchema, shanghaiLocalToDate, type CampaignFormInput } from "~/domain/campaigns";
import { accountCodes, donationAccountCode, GIVING_KINDS, transfer } from "~/domain/ledger";
import { termsProblem } from "~/domain/matching";
import { formatFen, parseMoney } from "~/domain/money";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import type { Viewer } from "~/lib/session.server";
import { paymentsMode, stripe } from "~/lib/stripe.server";
import { audit } from "~/services/books/audit.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { demoCancelSubscription, demoRefundEvent } from "./demo.server";

/**
 * What a foundation manager does with money that came in: refunds, matching campaigns. Every
 * decision is audited; the ledger moves only through postTransaction (refunds: through the
 * provider's charge.refunded event, like a refund started in Stripe's dashboard).
 */

/** The foundation, if the viewer manages it (or administers its area); 403 otherwise, 404 when unknown. */
export async function requireFoundationManager(viewer: Viewer, slug: string) {
  const foundation = await db().foundation.findUnique({
    where: { slug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true, area: { select: { path: true } } },
  });
  if (!foundation) notFound();
  const allowed = viewer.grants.some(
    (g) => (g.role === "FOUNDATION_MANAGER" && g.foundationId === foundation.id) || (g.role === "ADMIN" && foundation.area.path.startsWith(g.areaPath)),
  );
  if (!allowed) forbidden();
  return foundation;
}

export type ActionResult = { ok: true; message?: string } | { ok: false; field?: string; error: string; params?: Record<string, string> };

/**
 * A manager refunds (part of) a paid gift. Under the donation's row lock the amount is checked
 * against what is left after every earlier request, and against the balance of the account the
 * gift sits in (money already paid out cannot come back). The request is recorded and audited,
 * then the provider is asked; the ledger reversal, the match's return and the donor's email follow
 * the provider's charge.refunded event.
 */
export async function requestRefund(viewer: Viewer, slug: string, donationRef: string, input: { amount: string; reason: string }): Promise<ActionResult> {
  const foundation = await requireFoundationManager(viewer, slug);
  const parsed = parseMoney(input.amount, 10_000_000);
  if (!parsed.ok) return { ok: false, field: "amount", error: `donation.amount.${parsed.problem}` };
  if (parsed.fen <= 0) return { ok: false, field: "amount", error: "donation.amount.tooSmall" };
  const reason = input.reason.trim();
  if (reason.length < 2) return { ok: false, field: "reason", error: "refund.error.reason" };

  const prepared = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Donation" WHERE ref = ${donationRef} AND "foundationId" = ${foundation.id} FOR UPDATE`;
    if (!rows.length) notFound();
    const d = await tx.donation.findUniqueOrThrow({
      where: { id: rows[0]!.id },
      select: { id: true, ref: true, amountFen: true, status: true, paymentIntentId: true, foundationId: true, roundId: true, projectId: true, matchedFen: true },
    });
    if (!["SUCCEEDED", "PARTIALLY_REFUNDED"].includes(d.status) || !d.paymentIntentId) return { ok: false as const, field: undefined, error: "refund.error.status", params: undefined };
    const requested = await tx.refundRequest.aggregate({ where: { donationId: d.id }, _sum: { amountFen: true } });
    const left = d.amountFen - (requested._sum.amountFen ?? 0);
    if (parsed.fen > left) return { ok: false as const, field: "amount", error: "refund.error.amount", params: { left: formatFen(Math.max(left, 0)) } };
    const balance = await balanceFen(tx, donationAccountCode(d));
    if (balance < parsed.fen) return { ok: false as const, field: "amount", error: "refund.error.balance", params: { balance: formatFen(balance) } };
    const request = await tx.refundRequest.create({ data: { donationId: d.id, amountFen: parsed.fen, reason, origin: "MANAGER", requestedById: viewer.id } });
    await audit(tx, { actorId: viewer.id, action: "donation.refund.requested", objectType: "Donation", objectId: d.id, after: { ref: d.ref, amountFen: parsed.fen, reason } });
    return { ok: true as const, request, donation: d, refundedTotal: (requested._sum.amountFen ?? 0) + parsed.fen };
  });
  if (!prepared.ok) return { ok: false, field: prepared.field, error: prepared.error, params: prepared.params as Record<string, string> | undefined };

  const { request, donation } = prepared;
  try {
    if (paymentsMode() === "demo") {
      await demoRefundEvent(donation.paymentIntentId!, donation.amountFen, prepared.refundedTotal, donation.id);
    } else {
      const refund = await stripe().refunds.create(
        { payment_intent: donation.paymentIntentId!, amount: parsed.fen, reason: "requested_by_customer", metadata: { donationId: donation.id, refundRequestId: request.id } },
        { idempotencyKey: `refund:${request.id}` },
      );
      await db().refundRequest.update({ where: { id: request.id }, data: { providerRefundId: refund.id } });
    }
  } catch (error) {
    // the provider refused or could not be reached: the request is withdrawn so the amount is free again
    logger.error({ err: error, donation: donation.ref }, "refund could not be started at the payment provider");
    await db().$transaction(async (tx) => {
      await tx.refundRequest.delete({ where: { id: request.id } });
      await audit(tx, { actorId: viewer.id, action: "donation.refund.withdrawn", objectType: "Donation", objectId: donation.id, after: { ref: donation.ref, amountFen: parsed.fen, reason: "provider-error" } });
    });
    return { ok: false, error: "refund.error.provider" };
  }
  return { ok: true };
}

/** Reads the campaign form into terms; the first problem as a field and message key. */
export function campaignTerms(input: CampaignFormInput) {
  const startsAt = shanghaiLocalToDate(input.startsAt);
  const endsAt = shanghaiLocalToDate(input.endsAt);
  if (!startsAt || !endsAt) return { ok: false as const, field: "endsAt", error: "matching.error.window" };
  let cap: number | null = null;
  if (input.perDonationCap) {
    const c = parseMoney(input.perDonationCap, 10_000_000);
    if (!c.ok || c.fen <= 0) return { ok: false as const, field: "perDonationCap", error: "matching.error.cap" };
    cap = c.fen;
  }
  const pool = parseMoney(input.pool, 100_000_000_00);
  if (!pool.ok || pool.fen <= 0) return { ok: false as const, field: "pool", error: "campaign.error.pool" };
  const terms = { ratioSponsor: input.ratioSponsor, ratioDonor: input.ratioDonor, perDonationCapFen: cap, startsAt, endsAt };
  const problem = termsProblem(terms);
  if (problem) return { ok: false as const, field: problem === "matching.error.window" ? "endsAt" : problem === "matching.error.cap" ? "perDonationCap" : "ratioSponsor", error: problem };
  return { ok: true as const, terms, poolFen: pool.fen };
}

/**
 * Creates a matching campaign and funds its pool from the sponsor (government appropriation or
 * company) in one transaction: the pool is a ledger account, its balance is what can be matched.
 */
export async function createCampaign(viewer: Viewer, slug: string, raw: unknown): Promise<ActionResult & { campaignSlug?: string }> {
  const foundation = await requireFoundationManager(viewer, slug);
  const parsed = CampaignFormSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, field: String(issue.path[0] ?? ""), error: issue.message };
  }
  const input = parsed.data;
  const read = campaignTerms(input);
  if (!read.ok) return read;
  const refs = (input.eligibleProjects ?? "").split(/[\s,，、]+/).filter(Boolean);
  const projects = refs.length
    ? await db().project.findMany({ where: { referenceNo: { in: refs }, round: { foundationId: foundation.id } }, select: { id: true, referenceNo: true } })
    : [];
  const unknown = refs.filter((r) => !projects.some((p) => p.referenceNo === r));
  if (unknown.length) return { ok: false, field: "eligibleProjects", error: "campaign.error.projects", params: { refs: unknown.join(", ") } };
  if (await db().matchingCampaign.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
    return { ok: false, field: "slug", error: "campaign.error.slugTaken" };
  }

  const campaign = await db().$transaction(async (tx) => {
    const c = await tx.matchingCampaign.create({
      data: {
        slug: input.slug,
        foundationId: foundation.id,
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        descriptionZh: input.descriptionZh ?? "",
        descriptionEn: input.descriptionEn ?? "",
        sponsorName: input.sponsorName,
        sponsorKind: input.sponsorKind,
        ratioSponsor: read.terms.ratioSponsor,
        ratioDonor: read.terms.ratioDonor,
        perDonationCapFen: read.terms.perDonationCapFen,
        startsAt: read.terms.startsAt,
        endsAt: read.terms.endsAt,
        eligibleProjectIds: projects.map((p) => p.id),
        createdById: viewer.id,
      },
    });
    await fundPool(tx, c, foundation, read.poolFen, viewer.id, "initial");
    await audit(tx, {
      actorId: viewer.id,
      action: "campaign.created",
      objectType: "MatchingCampaign",
      objectId: c.id,
      after: { slug: c.slug, sponsor: c.sponsorName, ratio: `${c.ratioSponsor}:${c.ratioDonor}`, capFen: c.perDonationCapFen, poolFen: read.poolFen, startsAt: c.startsAt, endsAt: c.endsAt, eligible: refs },
    });
    return c;
  });
  return { ok: true, campaignSlug: campaign.slug };
}

type CampaignForFunding = { id: string; slug: string; sponsorName: string; sponsorKind: "GOVERNMENT" | "COMPANY"; titleZh: string; titleEn: string };

async function fundPool(
  tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0],
  c: CampaignForFunding,
  foundation: { id: string },
  amountFen: number,
  actorId: string,
  key: string,
) {
  const source = c.sponsorKind === "GOVERNMENT" ? accountCodes.externalAppropriation(`campaign:${c.id}`) : accountCodes.externalSponsor(c.id);
  await ensureAccount(tx, {
    code: source,
    kind: c.sponsorKind === "GOVERNMENT" ? "EXTERNAL_APPROPRIATION" : "EXTERNAL_SPONSOR",
    nameZh: `配捐方 ${c.sponsorName}`,
    nameEn: `Sponsor ${c.sponsorName}`,
    ownerId: c.id,
  });
  await ensureAccount(tx, {
    code: accountCodes.matchingPool(c.id),
    kind: "MATCHING_POOL",
    nameZh: `配捐资金池 ${c.titleZh}`,
    nameEn: `Matching pool — ${c.titleEn}`,
    foundationId: foundation.id,
    ownerId: c.id,
  });
  return postTransaction(tx, {
    idempotencyKey: `campaign:${c.id}:fund:${key}`,
    kind: GIVING_KINDS.campaignFunding,
    memo: `配捐资金注入 ${c.slug} / Matching pool funded`,
    actorId,
    entries: transfer(source, accountCodes.matchingPool(c.id), amountFen),
  });
}

/** Adds money to a campaign's pool (the sponsor tops it up). `requestKey` makes a resubmitted form post once. */
export async function topUpCampaign(viewer: Viewer, slug: string, campaignSlug: string, amount: string, requestKey: string): Promise<ActionResult> {
  const foundation = await requireFoundationManager(viewer, slug);
  const c = await db().matchingCampaign.findFirst({ where: { slug: campaignSlug, foundationId: foundation.id } });
  if (!c) notFound();
  const parsed = parseMoney(amount, 100_000_000_00);
  if (!parsed.ok || parsed.fen <= 0) return { ok: false, field: "amount", error: "campaign.error.pool" };
  await db().$transaction(async (tx) => {
    const posted = await fundPool(tx, c, foundation, parsed.fen, viewer.id, `topup:${requestKey}`);
    // a resubmitted form posts nothing and records nothing
    if (posted.created) await audit(tx, { actorId: viewer.id, action: "campaign.topped-up", objectType: "MatchingCampaign", objectId: c.id, after: { amountFen: parsed.fen } });
  });
  return { ok: true };
}

/** The donor's monthly gift by its secret token (the link in every monthly receipt). */
export async function monthlyGift(token: string) {
  return db().recurringGift.findUnique({
    where: { token },
    select: {
      id: true, token: true, amountFen: true, status: true, canceledAt: true, createdAt: true, subscriptionId: true, customerId: true, email: true,
      donorName: true, anonymous: true,
      foundation: { select: { slug: true, nameZh: true, nameEn: true } },
      donations: { select: { ref: true, token: true, amountFen: true, status: true, receiptNo: true, paidAt: true }, orderBy: { createdAt: "desc" }, take: 24 },
    },
  });
}

/**
 * Cancels a monthly gift: at Stripe (the subscription ends; the webhook records it), or in demo
 * mode by the same customer.subscription.deleted event Stripe would send.
 */
export async function cancelMonthly(token: string): Promise<ActionResult> {
  const gift = await monthlyGift(token);
  if (!gift) notFound();
  if (gift.status === "CANCELED") return { ok: true };
  if (!gift.subscriptionId) return { ok: false, error: "monthly.error.notStarted" };
  try {
    if (paymentsMode() === "demo") await demoCancelSubscription({ id: gift.id, subscriptionId: gift.subscriptionId, customerId: gift.customerId });
    else await stripe().subscriptions.cancel(gift.subscriptionId);
  } catch (error) {
    logger.error({ err: error }, "monthly gift could not be cancelled at the payment provider");
    return { ok: false, error: "monthly.error.provider" };
  }
  return { ok: true };
}

/** Stripe's customer portal for a monthly gift (change the card, see invoices, cancel); null in demo mode. */
export async function customerPortalUrl(token: string): Promise<string | null> {
  const gift = await monthlyGift(token);
  if (!gift) notFound();
  if (paymentsMode() === "demo" || !gift.customerId) return null;
  const session = await stripe().billingPortal.sessions.create({ customer: gift.customerId, return_url: `${env().APP_URL}/giving/monthly/${token}` });
  return session.url;
}
