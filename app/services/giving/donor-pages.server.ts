import { fundraisingStatus } from "~/domain/campaigns";
import { PAID_STATUSES, publicDonorName, receiptDonorName } from "~/domain/donations";
import { accountCodes } from "~/domain/ledger";
import { pageOf } from "~/domain/money";
import { maskEmail } from "~/domain/pii";
import { db } from "~/lib/db.server";
import type { Viewer } from "~/lib/session.server";
import { paymentsMode } from "~/lib/stripe.server";
import { balanceFen } from "~/services/books/ledger.server";
import type { Actor } from "~/services/accounts/actor.server";
import { ownGifts } from "./access.server";
import { resolveEarmark } from "./checkout.server";
import { GIFT_INVITATION, giftDonatePath } from "./invitations.server";
import { monthlyGift } from "./manage.server";

/**
 * What the donor-facing pages of giving read: the donation form, the donor's own page
 * and printable receipt (by the secret token of the receipt email), a monthly gift, and a signed-in
 * donor's history. Nothing here returns another donor's email; a donor's own email is masked.
 */

export { maskEmail };

export const isDemoPayments = () => paymentsMode() === "demo";

export type EarmarkView =
  | { kind: "round"; id: string; code: string; title: string }
  | { kind: "project"; id: string; referenceNo: string; title: string; roundTitle: string };

export type EarmarkProblem = "donor.earmark.unknownRound" | "donor.earmark.unknownProject";

const campaignSelect = {
  id: true,
  slug: true,
  titleZh: true,
  titleEn: true,
  sponsorName: true,
  ratioSponsor: true,
  ratioDonor: true,
  perDonationCapFen: true,
  endsAt: true,
} as const;

/**
 * The donation form of a foundation: the earmark asked for by `?round=` / `?project=` (checked as
 * checkout will check it: a round or funded project of this foundation that takes gifts), the open
 * matching campaign that would match the gift with what is left in its pool, the fundraising
 * status (filing or 定向), and whether payments are the demo stand-in. Null for an unknown foundation.
 */
export async function donatePage(slug: string, query: { round?: string | null; project?: string | null; campaign?: string | null }, viewer: Viewer | null) {
  const foundation = await db().foundation.findUnique({
    where: { slug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true },
  });
  if (!foundation) return null;
  const asked = { roundId: query.round || null, projectId: query.project || null, campaignId: query.campaign || null };

  let earmark: EarmarkView | null = null;
  let earmarkError: EarmarkProblem | null = null;
  let resolved = await resolveEarmark(foundation.id, asked);
  if (!resolved.ok) {
    earmarkError = asked.projectId ? "donor.earmark.unknownProject" : "donor.earmark.unknownRound";
    resolved = await resolveEarmark(foundation.id, { campaignId: asked.campaignId });
  }
  if (!resolved.ok) throw new Error("unreachable: a gift without earmark always resolves");
  if (resolved.projectId) {
    const p = await db().project.findUniqueOrThrow({ where: { id: resolved.projectId }, select: { id: true, referenceNo: true, title: true, round: { select: { title: true } } } });
    earmark = { kind: "project", id: p.id, referenceNo: p.referenceNo, title: p.title, roundTitle: p.round.title };
  } else if (resolved.roundId) {
    const r = await db().round.findUniqueOrThrow({ where: { id: resolved.roundId }, select: { id: true, code: true, title: true } });
    earmark = { kind: "round", id: r.id, code: r.code, title: r.title };
  }

  // a campaign asked for that is not open (or does not cover this gift): say so, and show the one that would match instead
  let campaignError = false;
  let campaignId = resolved.campaignId;
  if (asked.campaignId && campaignId !== asked.campaignId) campaignError = true;
  if (asked.campaignId && !campaignId) {
    const fallback = await resolveEarmark(foundation.id, { roundId: resolved.roundId, projectId: resolved.projectId });
    campaignId = fallback.ok ? fallback.campaignId : null;
  }
  const c = campaignId ? await db().matchingCampaign.findUnique({ where: { id: campaignId }, select: campaignSelect }) : null;
  const campaign = c ? { ...c, remainingFen: Math.max(0, await balanceFen(db(), accountCodes.matchingPool(c.id))) } : null;

  return {
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    fundraising: fundraisingStatus(foundation),
    earmark,
    earmarkError,
    campaign,
    campaignError,
    /** the hidden inputs the form carries to checkout (validated ids only) */
    carry: {
      roundId: earmark?.kind === "round" ? earmark.id : "",
      projectId: earmark?.kind === "project" ? earmark.id : "",
      campaignId: campaignError ? "" : (asked.campaignId ?? ""),
    },
    viewerEmail: viewer?.email ?? "",
    demo: isDemoPayments(),
  };
}

/** What a donor sees of each of their gifts, in their list and on the gift's own page. */
const DONOR_GIFT = {
  ref: true,
  token: true,
  status: true,
  frequency: true,
  amountFen: true,
  refundedFen: true,
  matchedFen: true,
  receiptNo: true,
  createdAt: true,
  paidAt: true,
} as const;

const donationSelect = {
  ...DONOR_GIFT,
  method: true,
  donorName: true,
  anonymous: true,
  message: true,
  email: true,
  foundation: { select: { slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true, fundraisingEntity: true } },
  round: { select: { code: true, title: true } },
  project: { select: { referenceNo: true, title: true } },
  recurringGift: { select: { token: true } },
  invitation: GIFT_INVITATION,
  matches: { select: { matchedFen: true, returnedFen: true, campaign: { select: { slug: true, titleZh: true, titleEn: true, sponsorName: true } } }, orderBy: { createdAt: "asc" } },
  // a refund the provider could not make gave nothing back: not shown as a refund
  refunds: { where: { status: { not: "FAILED" } }, select: { amountFen: true, reason: true, createdAt: true }, orderBy: { createdAt: "asc" } },
  payment: true,
} as const;

type DonationRow = NonNullable<Awaited<ReturnType<typeof loadDonation>>>;

const loadDonation = (token: string) => db().donation.findUnique({ where: { token }, select: donationSelect });

/** A donation as its own donor sees it: the email masked, the public name as shown publicly. */
function donorView(d: DonationRow) {
  const { email, foundation, round, project, matches, recurringGift, invitation, payment, ...rest } = d;
  return {
    ...rest,
    /** the payer's bank decided a dispute for the payer: the money went back through the bank */
    disputeLost: (payment as { dispute?: string } | null)?.dispute === "lost",
    maskedEmail: maskEmail(email),
    publicNameZh: publicDonorName({ anonymous: d.anonymous, displayName: d.donorName }, "zh-CN"),
    publicNameEn: publicDonorName({ anonymous: d.anonymous, displayName: d.donorName }, "en"),
    // the receipt is the donor's own: it carries the name they gave, public or not
    receiptNameZh: receiptDonorName(d, "zh-CN"),
    receiptNameEn: receiptDonorName(d, "en"),
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    fundraising: fundraisingStatus(foundation),
    earmark: project ? { kind: "project" as const, referenceNo: project.referenceNo, title: project.title } : round ? { kind: "round" as const, code: round.code, title: round.title } : null,
    matches: matches.map((m) => ({ matchedFen: m.matchedFen, returnedFen: m.returnedFen, campaignSlug: m.campaign.slug, titleZh: m.campaign.titleZh, titleEn: m.campaign.titleEn, sponsorName: m.campaign.sponsorName })),
    monthlyToken: recurringGift?.token ?? null,
    /** where to give again (a failed payment): null for a directed fund whose invitation no longer admits */
    donatePath: giftDonatePath(foundation, invitation),
  };
}

/** The donor's own page (anyone holding the secret link may see it), or null. */
export async function donationByToken(token: string) {
  const d = await loadDonation(token);
  return d ? donorView(d) : null;
}

/** The printable receipt: only once the gift is paid and numbered; null otherwise. */
export async function receiptByToken(token: string) {
  const d = await loadDonation(token);
  if (!d?.receiptNo) return null;
  return donorView(d);
}

/** A monthly gift by its secret token (manage page), the email masked; null when unknown. */
export async function monthlyPage(token: string) {
  const g = await monthlyGift(token);
  if (!g) return null;
  const { email, id: _id, subscriptionId, customerId, ...rest } = g;
  return {
    ...rest,
    maskedEmail: maskEmail(email),
    started: !!subscriptionId,
    portal: paymentsMode() === "stripe" && !!customerId,
    demo: isDemoPayments(),
  };
}

export const MY_DONATIONS_PAGE_SIZE = 20;

/**
 * A signed-in donor's gifts (given while signed in), newest first, 20 a page, and their monthly
 * gifts. Checkouts never completed (still PENDING) are not gifts and are left out; the headline
 * (`paid`, `givenFen`: net of refunds) counts paid gifts only.
 */
export async function myDonations(viewer: Pick<Actor, "id">, requestedPage: unknown) {
  const where = { ...ownGifts(viewer), status: { not: "PENDING" as const } };
  const [total, paid, given] = await Promise.all([
    db().donation.count({ where }),
    // the headline: paid gifts only (a failed payment is listed, never counted as given)
    db().donation.count({ where: { ...ownGifts(viewer), status: { in: [...PAID_STATUSES] } } }),
    db().donation.aggregate({ where: { ...ownGifts(viewer), status: { in: [...PAID_STATUSES] } }, _sum: { amountFen: true, refundedFen: true } }),
  ]);
  const page = pageOf(requestedPage, total, MY_DONATIONS_PAGE_SIZE);
  const donations = await db().donation.findMany({
    where,
    select: { ...DONOR_GIFT, foundation: { select: { slug: true, nameZh: true, nameEn: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: page.skip,
    take: page.take,
  });
  const monthly = await db().recurringGift.findMany({
    where: { ...ownGifts(viewer), status: { not: "PENDING" } },
    select: { token: true, status: true, amountFen: true, createdAt: true, canceledAt: true, foundation: { select: { slug: true, nameZh: true, nameEn: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return { donations, monthly, total, paid, givenFen: (given._sum.amountFen ?? 0) - (given._sum.refundedFen ?? 0), page: page.page, pages: page.pages };
}
