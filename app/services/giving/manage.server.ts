import { CAMPAIGN_CAP_MAX_FEN, CampaignFormSchema, shanghaiLocalToDate, type CampaignFormInput } from "~/domain/campaigns";
import { postingAmount, postingMessage } from "~/domain/posting-limits";
import { accountCodes, donationAccountCode, GIVING_KINDS, transfer } from "~/domain/ledger";
import { termsProblem, type MatchingCampaignTerms } from "~/domain/matching";
import { formatFen, moneyMessage, parseMoney } from "~/domain/money";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import type { Actor } from "~/services/accounts/actor.server";
import { paymentsMode, stripe } from "~/lib/stripe.server";
import { audit } from "~/services/books/audit.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { withParams } from "~/domain/messages";
import { mayRefund, requireFoundationManager } from "./access.server";
import { demoCancelSubscription, demoRefundEvent } from "./demo.server";
import { newStripeId } from "./stripe-objects.server";
import { managerDonationDetail } from "./foundation-pages.server";

/**
 * What a foundation manager does with money that came in: refunds, matching campaigns. Every
 * decision is audited; the ledger moves only through postTransaction (refunds: through the
 * provider's charge.refunded event, like a refund started in Stripe's dashboard).
 */

/** The amount a manager typed for a refund, in fen (more than nothing, at most a gift's limit). */
function refundAmount(amount: string): Result<{ fen: number }> {
  const parsed = parseMoney(amount, 10_000_000);
  if (!parsed.ok) return invalid({ amount: [parsed.problem === "required" ? "refund.amount.required" : moneyMessage(parsed.problem)] });
  if (parsed.fen <= 0) return invalid({ amount: ["refund.amount.zero"] });
  return ok({ fen: parsed.fen });
}

/** More than is left to refund of the gift. */
const beyondLeft = (leftFen: number) => fail(400, [], { fieldErrors: { amount: [withParams("refund.error.amount", { left: formatFen(Math.max(leftFen, 0)) })] } });

/**
 * The first step of a refund: the amount and the gift are checked as requestRefund will check
 * them, nothing is sent; the page then asks the manager to confirm.
 */
export async function reviewRefund(actor: Pick<Actor, "grants">, slug: string, donationRef: string, input: { amount: string }): Promise<Result<{ amountFen: number }>> {
  const foundation = await requireFoundationManager(actor, slug);
  const detail = await managerDonationDetail(foundation.id, donationRef);
  if (!detail) notFound();
  const amount = refundAmount(input.amount);
  if (!amount.ok) return amount;
  if (!detail.refundable) return fail(409, "refund.error.status");
  if (amount.fen > detail.leftFen) return beyondLeft(detail.leftFen);
  return ok({ amountFen: amount.fen });
}

/**
 * A manager refunds (part of) a paid gift. Under the donation's row lock the amount is checked
 * against what is left after every earlier request, and against the balance of the account the
 * gift sits in (money already paid out cannot come back). The request is recorded and audited,
 * then the provider is asked; the ledger reversal, the match's return and the donor's email follow
 * the provider's charge.refunded event.
 */
export async function requestRefund(viewer: Pick<Actor, "id" | "grants">, slug: string, donationRef: string, input: { amount: string; reason: string }): Promise<Result> {
  const foundation = await requireFoundationManager(viewer, slug);
  const parsed = refundAmount(input.amount);
  if (!parsed.ok) return parsed;
  const reason = input.reason.trim();
  if (reason.length < 2) return invalid({ reason: ["refund.error.reason"] });

  const prepared = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Donation" WHERE ref = ${donationRef} AND "foundationId" = ${foundation.id} FOR UPDATE`;
    if (!rows.length) notFound();
    const d = await tx.donation.findUniqueOrThrow({
      where: { id: rows[0]!.id },
      select: { id: true, ref: true, amountFen: true, status: true, paymentIntentId: true, foundationId: true, roundId: true, projectId: true, matchedFen: true },
    });
    if (!mayRefund(d)) return fail(409, "refund.error.status");
    // a refund that failed gave nothing back: its amount may be asked for again
    const requested = await tx.refundRequest.aggregate({ where: { donationId: d.id, status: { not: "FAILED" } }, _sum: { amountFen: true } });
    const left = d.amountFen - (requested._sum.amountFen ?? 0);
    if (parsed.fen > left) return beyondLeft(left);
    const balance = await balanceFen(tx, donationAccountCode(d));
    if (balance < parsed.fen) return fail(409, [], { fieldErrors: { amount: [withParams("refund.error.balance", { balance: formatFen(balance) })] } });
    const request = await tx.refundRequest.create({ data: { donationId: d.id, amountFen: parsed.fen, reason, origin: "MANAGER", requestedById: viewer.id } });
    await audit(tx, { actorId: viewer.id, action: "donation.refund.requested", objectType: "Donation", objectId: d.id, after: { ref: d.ref, amountFen: parsed.fen, reason } });
    return ok({ request, donation: d, refundedTotal: (requested._sum.amountFen ?? 0) + parsed.fen });
  });
  if (!prepared.ok) return prepared;

  const { request, donation } = prepared;
  try {
    if (paymentsMode() === "demo") {
      // a refund id, as Stripe gives one: a later refund.failed names it
      await db().refundRequest.update({ where: { id: request.id }, data: { providerRefundId: newStripeId("re_demo") } });
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
    return fail(409, "refund.error.provider");
  }
  return ok();
}

/** The field each problem of the terms is shown next to. */
const TERMS_FIELD = { "matching.error.window": "endsAt", "matching.error.cap": "perDonationCap", "matching.error.ratio": "ratioSponsor" } as const;

/**
 * Reads the campaign form into terms (the schema has already said every problem it sees at once;
 * this reads the amounts and times it checked, and checks the terms' rule once more).
 */
export function campaignTerms(input: CampaignFormInput): Result<{ terms: MatchingCampaignTerms; poolFen: number }> {
  const startsAt = shanghaiLocalToDate(input.startsAt);
  const endsAt = shanghaiLocalToDate(input.endsAt);
  const problems: Record<string, string[]> = {};
  if (!startsAt || !endsAt) problems.endsAt = ["matching.error.window"];
  let cap: number | null = null;
  if (input.perDonationCap) {
    const c = parseMoney(input.perDonationCap, CAMPAIGN_CAP_MAX_FEN);
    if (!c.ok || c.fen <= 0) problems.perDonationCap = ["matching.error.cap"];
    else cap = c.fen;
  }
  const pool = postingAmount(input.pool);
  if (!pool.ok) problems.pool = [postingMessage(pool.problem)];
  if (Object.keys(problems).length || !startsAt || !endsAt || !pool.ok) return invalid(problems);
  const terms = { ratioSponsor: input.ratioSponsor, ratioDonor: input.ratioDonor, perDonationCapFen: cap, startsAt, endsAt };
  const problem = termsProblem(terms);
  if (problem) return invalid({ [TERMS_FIELD[problem]]: [problem] });
  return ok({ terms, poolFen: pool.fen });
}

/** Every check of a new campaign before anything is written: the form, the terms, the projects, the address. */
async function checkCampaign(foundation: { id: string }, raw: unknown) {
  const parsed = CampaignFormSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  const read = campaignTerms(input);
  if (!read.ok) return read;
  const refs = (input.eligibleProjects ?? "").split(/[\s,，、]+/).filter(Boolean);
  const projects = refs.length
    ? await db().project.findMany({ where: { referenceNo: { in: refs }, round: { foundationId: foundation.id } }, select: { id: true, referenceNo: true } })
    : [];
  const unknown = refs.filter((r) => !projects.some((p) => p.referenceNo === r));
  if (unknown.length) return invalid({ eligibleProjects: [withParams("campaign.error.projects", { refs: unknown.join(", ") })] });
  if (await db().matchingCampaign.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
    return fail(409, [], { fieldErrors: { slug: ["campaign.error.slugTaken"] } });
  }
  return ok({ input, read, refs, projects });
}

/** The first step of a new campaign: everything is checked as createCampaign will check it, nothing is written; the page then asks to confirm the pool. */
export async function reviewCampaign(viewer: Pick<Actor, "grants">, slug: string, raw: unknown): Promise<Result<{ poolFen: number }>> {
  const foundation = await requireFoundationManager(viewer, slug);
  const checked = await checkCampaign(foundation, raw);
  return checked.ok ? ok({ poolFen: checked.read.poolFen }) : checked;
}

/**
 * Creates a matching campaign and funds its pool from the sponsor (government appropriation or
 * company) in one transaction: the pool is a ledger account, its balance is what can be matched.
 */
export async function createCampaign(viewer: Pick<Actor, "id" | "grants">, slug: string, raw: unknown): Promise<Result<{ campaignSlug: string }>> {
  const foundation = await requireFoundationManager(viewer, slug);
  const checked = await checkCampaign(foundation, raw);
  if (!checked.ok) return checked;
  const { input, read, refs, projects } = checked;

  const campaign = await db().$transaction(async (tx) => {
    const c = await tx.matchingCampaign.create({
      data: {
        slug: input.slug,
        foundationId: foundation.id,
        titleZh: input.titleZh,
        // no English title: the Chinese one stands in on English pages
        titleEn: input.titleEn || input.titleZh,
        descriptionZh: input.descriptionZh ?? "",
        descriptionEn: input.descriptionEn ?? "",
        sponsorName: input.sponsorName,
        sponsorKind: input.sponsorKind,
        ...read.terms,
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
  return ok({ campaignSlug: campaign.slug });
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
export async function topUpCampaign(viewer: Pick<Actor, "id" | "grants">, slug: string, campaignSlug: string, amount: string, requestKey: string): Promise<Result> {
  const foundation = await requireFoundationManager(viewer, slug);
  const c = await db().matchingCampaign.findFirst({ where: { slug: campaignSlug, foundationId: foundation.id } });
  if (!c) notFound();
  const parsed = postingAmount(amount);
  if (!parsed.ok) return invalid({ amount: [postingMessage(parsed.problem)] });
  await db().$transaction(async (tx) => {
    const posted = await fundPool(tx, c, foundation, parsed.fen, viewer.id, `topup:${requestKey}`);
    // a resubmitted form posts nothing and records nothing
    if (posted.created) await audit(tx, { actorId: viewer.id, action: "campaign.topped-up", objectType: "MatchingCampaign", objectId: c.id, after: { amountFen: parsed.fen } });
  });
  return ok();
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
export async function cancelMonthly(token: string): Promise<Result> {
  const gift = await monthlyGift(token);
  if (!gift) notFound();
  if (gift.status === "CANCELED") return ok();
  if (!gift.subscriptionId) return fail(409, "monthly.error.notStarted");
  try {
    if (paymentsMode() === "demo") await demoCancelSubscription({ id: gift.id, subscriptionId: gift.subscriptionId, customerId: gift.customerId });
    else await stripe().subscriptions.cancel(gift.subscriptionId);
  } catch (error) {
    logger.error({ err: error }, "monthly gift could not be cancelled at the payment provider");
    return fail(409, "monthly.error.provider");
  }
  return ok();
}

/** Stripe's customer portal for a monthly gift (change the card, see invoices, cancel); null in demo mode. */
export async function customerPortalUrl(token: string): Promise<string | null> {
  const gift = await monthlyGift(token);
  if (!gift) notFound();
  if (paymentsMode() === "demo" || !gift.customerId) return null;
  const session = await stripe().billingPortal.sessions.create({ customer: gift.customerId, return_url: `${env().APP_URL}/giving/monthly/${token}` });
  return session.url;
}
