import crypto from "node:crypto";
import { endOfShanghaiDay, formatCode, InvitationFormSchema, invitationState, mayRaisePublicly, newCode, normaliseCode, solicitation } from "~/domain/directed-giving";
import { pageOf } from "~/domain/money";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { decryptPii, encryptPii, secretHmac } from "~/lib/pii.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { requireFoundationManager } from "./access.server";

/**
 * 定向募捐 (docs/decisions/018): a fund without a public-fundraising filing takes gifts only from
 * a defined group, through invitations its managers issue. An invitation is a 12-character code
 * (typed on the fund's page, or carried in a link as `?code=`), stored as a keyed HMAC to find
 * it and encrypted so its managers can show it again. Its donate page and checkout answer 404
 * without a valid one; each gift records the invitation it came through. Funds with a filing
 * keep the public flow and ignore codes.
 */

export const INVITATIONS_PAGE_SIZE = 20;

const FILING = { id: true, slug: true, fundraisingFilingNo: true, fundraisingEntity: true } as const;
type FundForAccess = { id: string; slug: string; fundraisingFilingNo: string | null; fundraisingEntity: string | null };

const TERMS = { id: true, foundationId: true, expiresAt: true, maxUses: true, uses: true, revokedAt: true, audienceZh: true, audienceEn: true } as const;

const codeHash = (code: string) => secretHmac("directed-invitation", code);

/** The invitation a code (as typed or linked) names, in whatever state; null when malformed or unknown. */
async function invitationByCode(code: string | null | undefined) {
  const normal = normaliseCode(code);
  if (!normal) return null;
  const found = await db().directedInvitation.findUnique({ where: { codeHash: codeHash(normal) }, select: TERMS });
  return found ? { ...found, code: normal } : null;
}

/** The donate page's address for the fund, carrying the invitation's code and any other parameters. */
export function donatePath(slug: string, code: string | null, params: Record<string, string> = {}) {
  const search = new URLSearchParams(params);
  if (code) search.set("code", formatCode(code));
  const query = search.toString();
  return `/foundations/${encodeURIComponent(slug)}/donate${query ? `?${query}` : ""}`;
}

export type DirectedAudience = { audienceZh: string; audienceEn: string; expiresAt: string | null };

/**
 * Whether the donate page of `f` opens for the holder of `code`: for a fund with a filing always
 * (invitation null); for one without, only with a valid invitation of that fund. Null = refused.
 */
async function donateAccess(f: FundForAccess, code: string | null | undefined, now: Date) {
  if (mayRaisePublicly(f)) return { invitation: null };
  const inv = await invitationByCode(code);
  const verdict = solicitation(f, inv, now);
  if (!verdict.ok || !inv) return null;
  return { invitation: { id: inv.id, code: inv.code, audience: { audienceZh: inv.audienceZh, audienceEn: inv.audienceEn, expiresAt: inv.expiresAt?.toISOString() ?? null } } };
}

/**
 * For the donate page's loader and action: throws 404 for an unknown fund, and for a fund
 * without a filing unless `code` is a valid invitation of it. Returns whom the directed
 * solicitation is for (null for a fund with a filing).
 */
export async function requireDonateAccess(slug: string, code: string | null, now = new Date()): Promise<{ directedTo: DirectedAudience | null }> {
  const f = await db().foundation.findUnique({ where: { slug }, select: FILING });
  if (!f) notFound();
  const access = await donateAccess(f, code, now);
  if (!access) notFound();
  return { directedTo: access.invitation?.audience ?? null };
}

/**
 * Checkout's gate (every way a gift starts goes through startCheckout): a fund with a filing
 * admits everyone; one without admits a valid invitation of its own and takes one use of it in
 * one statement, so a limited invitation is never used beyond its limit. 404 without a valid
 * invitation; 409 when it ran out between the check and the claim. Gives the invitation the gift
 * records and where a cancelled checkout returns to.
 */
export async function admitGift(f: FundForAccess, code: string | null | undefined, now = new Date()): Promise<Result<{ invitationId: string | null; cancelPath: string }>> {
  const access = await donateAccess(f, code, now);
  if (!access) return fail(404, "directed.error.invalid");
  if (!access.invitation) return ok({ invitationId: null, cancelPath: donatePath(f.slug, null, { canceled: "1" }) });
  const { id, code: normal } = access.invitation;
  const taken = await db().$executeRaw`
    UPDATE "DirectedInvitation" SET uses = uses + 1
     WHERE id = ${id} AND "revokedAt" IS NULL
       AND ("expiresAt" IS NULL OR "expiresAt" > now() AT TIME ZONE 'UTC')
       AND ("maxUses" IS NULL OR uses < "maxUses")`;
  if (taken !== 1) return fail(409, "directed.error.spent");
  return ok({ invitationId: id, cancelPath: donatePath(f.slug, normal, { canceled: "1" }) });
}

/**
 * Where a donor of an existing gift goes to give again (a failed payment's retry, a cancelled
 * demo checkout): the fund's donate page, with the gift's invitation when the fund needs one —
 * or null when it needs one and the gift's is no longer valid.
 */
export function giftDonatePath(
  f: { slug: string; fundraisingFilingNo: string | null; fundraisingEntity: string | null },
  inv: { codeEncrypted: string; expiresAt: Date | null; maxUses: number | null; uses: number; revokedAt: Date | null } | null,
  now = new Date(),
): string | null {
  if (mayRaisePublicly(f)) return donatePath(f.slug, null);
  if (!inv || invitationState(inv, now) !== "valid") return null;
  return donatePath(f.slug, decryptPii(inv.codeEncrypted));
}

/** What giftDonatePath reads of a gift's invitation. */
export const GIFT_INVITATION = { select: { codeEncrypted: true, expiresAt: true, maxUses: true, uses: true, revokedAt: true } } as const;

/**
 * The "我有定向募捐码" form on a fund's public page: the donate page's address when the code is a
 * valid invitation of this fund; otherwise why not, next to the field.
 */
export async function openWithCode(slug: string, typed: string, now = new Date()): Promise<Result<{ path: string }>> {
  const f = await db().foundation.findUnique({ where: { slug }, select: FILING });
  if (!f) notFound();
  if (mayRaisePublicly(f)) return ok({ path: donatePath(f.slug, null) });
  const inv = await invitationByCode(typed);
  if (!inv || inv.foundationId !== f.id) return invalid({ code: ["directed.error.unknown"] });
  if (invitationState(inv, now) !== "valid") return invalid({ code: ["directed.error.invalid"] });
  return ok({ path: donatePath(f.slug, inv.code) });
}

// ───────────────────────────── managers ─────────────────────────────

/**
 * A manager issues an invitation to a defined group: a new random code, its HMAC and its
 * encrypted copy, audited in the same transaction (without the code: the audit log is read by
 * more people than may give through it). Only for a fund without a filing (409 otherwise).
 */
export async function issueInvitation(actor: Pick<Actor, "id" | "grants">, slug: string, raw: unknown, now = new Date()): Promise<Result<{ id: string; code: string }>> {
  const f = await requireFoundationManager(actor, slug);
  if (mayRaisePublicly(f)) return fail(409, "directed.error.publicFund");
  const parsed = InvitationFormSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  let expiresAt: Date | null = null;
  if (input.expiresOn) {
    expiresAt = endOfShanghaiDay(input.expiresOn);
    if (!expiresAt) return invalid({ expiresOn: ["directed.error.expiry"] });
    if (expiresAt.getTime() <= now.getTime()) return invalid({ expiresOn: ["directed.error.expiryPast"] });
  }
  const code = newCode((n) => crypto.randomInt(n));
  const created = await db().$transaction(async (tx) => {
    const inv = await tx.directedInvitation.create({
      data: {
        foundationId: f.id,
        codeHash: codeHash(code),
        codeEncrypted: encryptPii(code),
        audienceZh: input.audienceZh,
        audienceEn: input.audienceEn,
        expiresAt,
        maxUses: input.maxUses ?? null,
        createdById: actor.id,
      },
      select: { id: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "invitation.issued",
      objectType: "DirectedInvitation",
      objectId: inv.id,
      after: { foundation: f.slug, audienceZh: input.audienceZh, audienceEn: input.audienceEn, expiresAt, maxUses: input.maxUses ?? null },
    });
    return inv;
  });
  return ok({ id: created.id, code });
}

/** A manager revokes an invitation of their fund (404 for another fund's); revoking twice changes nothing more. Audited. */
export async function revokeInvitation(actor: Pick<Actor, "id" | "grants">, slug: string, invitationId: string): Promise<Result> {
  const f = await requireFoundationManager(actor, slug);
  await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; revokedAt: Date | null; uses: number }[]>`
      SELECT id, "revokedAt", uses FROM "DirectedInvitation" WHERE id = ${invitationId} AND "foundationId" = ${f.id} FOR UPDATE`;
    const inv = rows[0];
    if (!inv) notFound();
    if (inv.revokedAt) return;
    await tx.directedInvitation.update({ where: { id: inv.id }, data: { revokedAt: new Date(), revokedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "invitation.revoked", objectType: "DirectedInvitation", objectId: inv.id, before: { revokedAt: null, uses: inv.uses }, after: { foundation: f.slug } });
  });
  return ok();
}

/**
 * The fund's invitations for its managers, newest first, a page at a time: the code (shown
 * again), the group, expiry, uses against the limit, gifts paid through it, and the state.
 */
export async function managerInvitations(foundation: { id: string; slug: string }, requestedPage: unknown, now = new Date()) {
  const foundationId = foundation.id;
  const total = await db().directedInvitation.count({ where: { foundationId } });
  const page = pageOf(requestedPage, total, INVITATIONS_PAGE_SIZE);
  const rows = await db().directedInvitation.findMany({
    where: { foundationId },
    select: { ...TERMS, codeEncrypted: true, createdAt: true, createdBy: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: page.skip,
    take: page.take,
  });
  const paid = rows.length
    ? await db().donation.groupBy({ by: ["invitationId"], where: { invitationId: { in: rows.map((r) => r.id) }, paidAt: { not: null } }, _count: { _all: true }, _sum: { amountFen: true } })
    : [];
  const paidOf = new Map(paid.map((p) => [p.invitationId, p]));
  return {
    items: rows.map((r) => {
      const code = decryptPii(r.codeEncrypted);
      return {
        id: r.id,
        code: formatCode(code),
        /** the link to give the group (relative: the page prefixes its own origin) */
        path: donatePath(foundation.slug, code),
        audienceZh: r.audienceZh,
        audienceEn: r.audienceEn,
        expiresAt: r.expiresAt?.toISOString() ?? null,
        maxUses: r.maxUses,
        uses: r.uses,
        paidGifts: paidOf.get(r.id)?._count._all ?? 0,
        paidFen: paidOf.get(r.id)?._sum.amountFen ?? 0,
        state: invitationState(r, now),
        createdAt: r.createdAt.toISOString(),
        createdBy: r.createdBy.name,
        revokedAt: r.revokedAt?.toISOString() ?? null,
      };
    }),
    total,
    page: page.page,
    pages: page.pages,
  };
}
