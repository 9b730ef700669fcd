import { accountCodes, GIVING_KINDS, transfer } from "~/domain/ledger";
import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { postTransaction } from "~/services/books/ledger.server";
import { requireFoundationManager } from "./access.server";
import { tellManagers } from "./manager-notices.server";

/**
 * Closing out a matching campaign (配捐): when its end has passed (the recurring job below) or a
 * manager ends it early (with confirmation), what is left in its pool goes back to the account
 * the pool was funded from — the sponsor's (EXTERNAL_SPONSOR), the government appropriation's
 * (EXTERNAL_APPROPRIATION) or a fund's own — through the ledger, once: idempotency key
 * `campaign:<id>:close-out`. The campaign's row records when, by whom and how much; the campaign
 * page says so publicly; it is audited and the managers are told.
 *
 * A match given back to the pool after the close-out (a matched gift refunded later) would sit in
 * a pool nobody draws from: the job sweeps it back too, under `campaign:<id>:close-out:<total>`
 * (the total given back so far, which only grows), so each fen goes back once.
 */

export const CAMPAIGN_CLOSE_TASK = "campaign_close_out";

/** Where a campaign's pool came from: the account its first funding posting took the money out of. */
async function fundingSource(tx: Tx, campaignId: string) {
  const rows = await tx.$queryRaw<{ code: string; nameZh: string; nameEn: string }[]>`
    SELECT a.code, a."nameZh", a."nameEn" FROM "LedgerTransaction" t
      JOIN "LedgerEntry" e ON e."transactionId" = t.id JOIN "LedgerAccount" a ON a.id = e."accountId"
     WHERE t.kind = ${GIVING_KINDS.campaignFunding} AND t."idempotencyKey" LIKE ${`campaign:${campaignId}:fund:%`} AND e."amountFen" < 0
     ORDER BY t."occurredAt", t."createdAt" LIMIT 1`;
  return rows[0] ?? null;
}

interface CampaignRow {
  id: string;
  slug: string;
  foundationId: string;
  titleZh: string;
  titleEn: string;
  sponsorName: string;
  sponsorKind: "GOVERNMENT" | "COMPANY";
  endsAt: Date;
  closedAt: Date | null;
  returnedFen: number | null;
}

/**
 * Closes one campaign out (or sweeps what came back to its pool since), in the caller's
 * transaction: the campaign's row locked, then the running totals of the pool and the source in
 * account-id order (the order the totals trigger and every settlement take them in), the pool's
 * balance read from its locked row and posted back whole. Returns what went back (0: nothing).
 */
async function closeOut(tx: Tx, campaignId: string, by: { actorId: string | null; at: Date }): Promise<{ closedNow: boolean; returnedFen: number } | null> {
  const [c] = await tx.$queryRaw<CampaignRow[]>`
    SELECT id, slug, "foundationId", "titleZh", "titleEn", "sponsorName", "sponsorKind"::text AS "sponsorKind", "endsAt", "closedAt", "returnedFen"
      FROM "MatchingCampaign" WHERE id = ${campaignId} FOR UPDATE`;
  if (!c) return null;
  const pool = accountCodes.matchingPool(c.id);
  const source = await fundingSource(tx, c.id);
  const sourceCode = source?.code ?? (c.sponsorKind === "GOVERNMENT" ? accountCodes.externalAppropriation(`campaign:${c.id}`) : accountCodes.externalSponsor(c.id));
  const totals = await tx.$queryRaw<{ code: string; balanceFen: bigint }[]>`
    SELECT a.code, t."balanceFen" FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId"
     WHERE a.code = ANY(${[pool, sourceCode]}::text[]) ORDER BY t."accountId" FOR UPDATE OF t`;
  const left = Number(totals.find((t) => t.code === pool)?.balanceFen ?? 0n);
  const closedNow = !c.closedAt;
  if (!closedNow && left <= 0) return { closedNow: false, returnedFen: 0 };
  const at = c.closedAt ?? by.at;
  const before = c.returnedFen ?? 0;
  if (left > 0) {
    await postTransaction(tx, {
      idempotencyKey: closedNow ? `campaign:${c.id}:close-out` : `campaign:${c.id}:close-out:${before + left}`,
      kind: GIVING_KINDS.campaignCloseOut,
      memo: `配捐活动结束，未使用资金退回 ${c.slug} / Campaign ended: unused pool returned`,
      actorId: by.actorId,
      occurredAt: closedNow ? at : by.at,
      entries: transfer(pool, sourceCode, left),
    });
  }
  // an early close ends the window too: no gift paid from now on is matched (a campaign ended
  // before it started keeps a window of one second at its start, as the table requires a window;
  // its pool is empty by then)
  await tx.$executeRaw`
    UPDATE "MatchingCampaign" SET "closedAt" = ${at}, "closedById" = coalesce("closedById", ${closedNow ? by.actorId : null}),
      "returnedFen" = ${before + left}, "endsAt" = GREATEST(LEAST("endsAt", ${at}), "startsAt" + interval '1 second')
     WHERE id = ${c.id}`;
  await audit(tx, {
    actorId: by.actorId,
    action: closedNow ? "campaign.closed" : "campaign.pool.swept",
    objectType: "MatchingCampaign",
    objectId: c.id,
    before: { closedAt: c.closedAt, returnedFen: c.returnedFen, endsAt: c.endsAt },
    after: { closedAt: at, returnedFen: before + left, to: sourceCode, early: closedNow && !!by.actorId && at < c.endsAt },
  });
  if (closedNow) {
    const to = source ?? { nameZh: `配捐方 ${c.sponsorName}`, nameEn: `Sponsor ${c.sponsorName}` };
    await tellManagers(tx, c.foundationId, {
      kind: "CAMPAIGN_CLOSED",
      ref: c.titleZh === c.titleEn ? c.titleZh : `${c.titleZh} / ${c.titleEn}`,
      amountFen: left,
      detail: { zh: to.nameZh, en: to.nameEn },
      link: `/campaigns/${encodeURIComponent(c.slug)}`,
    });
  }
  return { closedNow, returnedFen: left };
}

/**
 * The job: every campaign whose end has passed and that is not closed yet, closed out, each in
 * its own transaction; then the closed ones whose pool got something back since, swept.
 */
export async function closeEndedCampaigns(now = new Date()): Promise<{ closed: number; swept: number }> {
  const due = await db().$queryRaw<{ id: string; closed: boolean }[]>`
    SELECT c.id, c."closedAt" IS NOT NULL AS closed FROM "MatchingCampaign" c
     WHERE (c."closedAt" IS NULL AND c."endsAt" <= ${now})
        OR (c."closedAt" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "LedgerAccount" a JOIN "LedgerAccountTotal" t ON t."accountId" = a.id
               WHERE a.code = 'campaign:' || c.id || ':matching' AND t."balanceFen" > 0))
     ORDER BY c."endsAt", c.id`;
  let closed = 0;
  let swept = 0;
  for (const c of due) {
    const r = await db().$transaction((tx) => closeOut(tx, c.id, { actorId: null, at: now }));
    if (r?.closedNow) closed++;
    else if (r && r.returnedFen > 0) swept++;
  }
  return { closed, swept };
}

/** What the early close's confirmation states: the pool that would go back, and to whom. */
export async function reviewCloseCampaign(actor: Pick<Actor, "grants">, slug: string, campaignSlug: string): Promise<Result<{ leftFen: number }>> {
  const foundation = await requireFoundationManager(actor, slug);
  const c = await db().matchingCampaign.findFirst({ where: { slug: campaignSlug, foundationId: foundation.id }, select: { id: true, closedAt: true } });
  if (!c) notFound();
  if (c.closedAt) return fail(409, "campaign.close.error.closed");
  const total = await db().$queryRaw<{ fen: bigint | null }[]>`
    SELECT t."balanceFen" AS fen FROM "LedgerAccountTotal" t JOIN "LedgerAccount" a ON a.id = t."accountId" WHERE a.code = ${accountCodes.matchingPool(c.id)}`;
  return ok({ leftFen: Number(total[0]?.fen ?? 0n) });
}

/** A manager ends a campaign before its end (the page asked to confirm first): closed out now, by them. */
export async function closeCampaign(actor: Pick<Actor, "id" | "grants">, slug: string, campaignSlug: string, now = new Date()): Promise<Result<{ returnedFen: number }>> {
  const foundation = await requireFoundationManager(actor, slug);
  const c = await db().matchingCampaign.findFirst({ where: { slug: campaignSlug, foundationId: foundation.id }, select: { id: true } });
  if (!c) notFound();
  const r = await db().$transaction((tx) => closeOut(tx, c.id, { actorId: actor.id, at: now }));
  if (!r?.closedNow) return fail(409, "campaign.close.error.closed");
  return ok({ returnedFen: r.returnedFen });
}
