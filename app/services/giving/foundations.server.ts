import { mayRaisePublicly } from "~/domain/directed-giving";
import { accountCodes } from "~/domain/ledger";
import { pageOf, perPageOf } from "~/domain/money";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { movementsArePublic } from "~/services/books/access.server";
import { balanceFen } from "~/services/books/ledger.server";

export const FOUNDATION_TRANSACTIONS_PAGE_SIZE = 20;
export const FOUNDATION_TRANSACTIONS_PAGE_SIZES = [20, 50, 100] as const;

/** Public list: every foundation with its area, available balance and fundraising status (and whether it may ask the public for gifts). */
export async function listFoundations() {
  const rows = await db().foundation.findMany({
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      fundraisingFilingNo: true,
      fundraisingEntity: true,
      area: { select: { code: true, nameZh: true, nameEn: true } },
    },
    orderBy: { nameZh: "asc" },
  });
  return Promise.all(
    rows.map(async ({ id, ...f }) => ({ ...f, raisesPublicly: mayRaisePublicly(f), balanceFen: await balanceFen(db(), accountCodes.foundationAvailable(id)) })),
  );
}


export interface FoundationAccount {
  id: string;
  kind: string;
  code: string;
  ownerId: string | null;
  /** how many ledger entries the account has */
  entries: number;
}

/**
 * The foundation's ledger accounts (funds, matching pools, round pools, awards) with the number
 * of entries of each, read from the accounts' running totals (LedgerAccountTotal): as fast at a
 * million entries as at a thousand.
 */
export async function foundationAccounts(foundationId: string): Promise<FoundationAccount[]> {
  return db().$queryRaw<FoundationAccount[]>`
    SELECT a.id, a.kind::text AS kind, a.code, a."ownerId", coalesce(t.entries, 0)::int AS entries
    FROM "LedgerAccount" a LEFT JOIN "LedgerAccountTotal" t ON t."accountId" = a.id
    WHERE a."foundationId" = ${foundationId}
    ORDER BY a.id`;
}

interface MovementRow {
  id: string;
  amountFen: bigint;
  accountId: string;
  transactionId: string;
  kind: string;
  memo: string;
  occurredAt: Date;
}

/**
 * Public page of one foundation: description and, page by page, every ledger movement into or
 * out of its own money — available and earmarked funds — newest booked first. Null when
 * unknown. The balances and flows come from foundationLedgerSummary
 * (services/giving/foundation-pages.server.ts); `accounts` may be passed when already read.
 *
 * Each funds account's newest entries are taken on their own and merged (UNION ALL), so that an
 * index on LedgerEntry("accountId", "createdAt" DESC, id DESC) serves a page without a sort of
 * all the foundation's entries; without that index each account is scanned once.
 */
export async function foundationDetail(slug: string, requestedPage: unknown, requestedPer?: unknown, known?: FoundationAccount[]) {
  const f = await db().foundation.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      descriptionZh: true,
      descriptionEn: true,
      fundraisingFilingNo: true,
      fundraisingEntity: true,
      area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
    },
  });
  if (!f) return null;
  const funds = (known ?? (await foundationAccounts(f.id))).filter((a) => movementsArePublic(a) && a.entries > 0);
  const earmarked = new Set(funds.filter((a) => a.kind === "FOUNDATION_EARMARKED").map((a) => a.id));
  const total = funds.reduce((s, a) => s + a.entries, 0);
  const per = perPageOf(requestedPer, FOUNDATION_TRANSACTIONS_PAGE_SIZES, FOUNDATION_TRANSACTIONS_PAGE_SIZE);
  const page = pageOf(requestedPage, total, per);
  const upTo = page.skip + page.take;
  const rows = funds.length
    ? await db().$queryRaw<MovementRow[]>`
        SELECT e.id, e."amountFen", e."accountId", t.id AS "transactionId", t.kind, t.memo, t."occurredAt"
        FROM (SELECT * FROM (${Prisma.join(
          funds.map(
            (a) => Prisma.sql`(SELECT id, "amountFen", "accountId", "transactionId", "createdAt" FROM "LedgerEntry"
                               WHERE "accountId" = ${a.id} ORDER BY "createdAt" DESC, id DESC LIMIT ${upTo})`,
          ),
          " UNION ALL ",
        )}) u
              ORDER BY "createdAt" DESC, id DESC LIMIT ${page.take} OFFSET ${page.skip}) e
        JOIN "LedgerTransaction" t ON t.id = e."transactionId"
        ORDER BY e."createdAt" DESC, e.id DESC`
    : [];
  const { id, area: { path: areaPath, ...area }, ...shown } = f;
  return {
    /** for the server only (the route does not pass them on) */
    id,
    areaPath,
    foundation: { ...shown, area },
    transactions: rows.map((e) => ({
      id: e.id,
      transactionId: e.transactionId,
      kind: e.kind,
      memo: e.memo,
      occurredAt: e.occurredAt.toISOString(),
      amountFen: Number(e.amountFen),
      earmarked: earmarked.has(e.accountId),
    })),
    total,
    per,
    perOptions: FOUNDATION_TRANSACTIONS_PAGE_SIZES,
    page: page.page,
    pages: page.pages,
  };
}
