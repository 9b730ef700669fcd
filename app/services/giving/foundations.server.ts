import { mayRaisePublicly } from "~/domain/directed-giving";
import { accountCodes } from "~/domain/ledger";
import { z } from "zod";
import { decodeCursor, NO_NUMBERED_PAGES, numberedLinksOf, numberedPage, parsePageNumber } from "~/domain/keyset";
import { perPageOf } from "~/domain/money";
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
  createdAt: Date;
  transactionId: string;
  kind: string;
  memo: string;
  occurredAt: Date;
}

/** A movement's place in the list: [when the entry was booked, in ms; the entry's id]. */
const MovementKey = z.tuple([z.number().int(), z.string().min(1).max(200)]);
type MovementKey = z.infer<typeof MovementKey>;

/** What the public page asks of the movement list: its page (`?page=`), keyset cursor (`?cursor=`, on previous / next) and page size (`?per=`). */
export interface MovementQuery {
  page?: string | null;
  cursor?: string | null;
  per?: unknown;
}

/**
 * Public page of one foundation: description and, page by page, every ledger movement into or
 * out of its own money — available and earmarked funds — newest booked first. Null when
 * unknown. The balances and flows come from foundationLedgerSummary
 * (services/giving/foundation-pages.server.ts); `accounts` may be passed when already read.
 *
 * Numbered pages (`numberedPage` in `~/domain/keyset`) on (createdAt, id), newest first: each
 * funds account's entries beyond the cursor are taken on their own and merged (UNION ALL), so the
 * index LedgerEntry("accountId", "createdAt" DESC, id DESC) serves previous / next from any page,
 * the last as cheaply as the first, without a sort of all the foundation's entries; a page asked
 * by its number is located from the nearer end over the same index's keys only. The count is the
 * accounts' running totals.
 */
export async function foundationDetail(slug: string, query: MovementQuery = {}, known?: FoundationAccount[]) {
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
  const per = perPageOf(query.per, FOUNDATION_TRANSACTIONS_PAGE_SIZES, FOUNDATION_TRANSACTIONS_PAGE_SIZE);
  // a cursor belongs to this foundation's list; one of another list starts at the first page
  const scope = JSON.stringify(["movements", f.id]);
  const page = funds.length
    ? await numberedPage<MovementRow, MovementKey>({
        scope,
        cursor: decodeCursor(query.cursor, scope, MovementKey),
        page: parsePageNumber(query.page),
        per,
        total,
        keyOf: (e) => [e.createdAt.getTime(), e.id],
        fetch: ({ key, backward, take }) => {
          const dir = backward ? Prisma.sql`ASC` : Prisma.sql`DESC`;
          const bound = key
            ? Prisma.sql`AND ("createdAt", id) ${backward ? Prisma.sql`>` : Prisma.sql`<`} (${new Date(key[0]).toISOString()}::timestamp, ${key[1]})`
            : Prisma.empty;
          return db().$queryRaw<MovementRow[]>`
            SELECT e.id, e."amountFen", e."accountId", e."createdAt", t.id AS "transactionId", t.kind, t.memo, t."occurredAt"
            FROM (SELECT * FROM (${Prisma.join(
              funds.map(
                (a) => Prisma.sql`(SELECT id, "amountFen", "accountId", "transactionId", "createdAt" FROM "LedgerEntry"
                                   WHERE "accountId" = ${a.id} ${bound} ORDER BY "createdAt" ${dir}, id ${dir} LIMIT ${take})`,
              ),
              " UNION ALL ",
            )}) u
                  ORDER BY "createdAt" ${dir}, id ${dir} LIMIT ${take}) e
            JOIN "LedgerTransaction" t ON t.id = e."transactionId"
            ORDER BY e."createdAt" ${dir}, e.id ${dir}`;
        },
        // the key `skip` entries from an end: each account's first keys, merged, read from the index alone
        keyAt: async (skip, backward) => {
          const dir = backward ? Prisma.sql`ASC` : Prisma.sql`DESC`;
          const rows = await db().$queryRaw<{ createdAt: Date; id: string }[]>`
            SELECT "createdAt", id FROM (${Prisma.join(
              funds.map(
                (a) => Prisma.sql`(SELECT "createdAt", id FROM "LedgerEntry" WHERE "accountId" = ${a.id} ORDER BY "createdAt" ${dir}, id ${dir} LIMIT ${skip + 1})`,
              ),
              " UNION ALL ",
            )}) u
            ORDER BY "createdAt" ${dir}, id ${dir} OFFSET ${skip} LIMIT 1`;
          const r = rows[0];
          return r ? [r.createdAt.getTime(), r.id] : null;
        },
      })
    : { items: [] as MovementRow[], ...NO_NUMBERED_PAGES };
  const { id, area: { path: areaPath, ...area }, ...shown } = f;
  return {
    /** for the server only (the route does not pass them on) */
    id,
    areaPath,
    foundation: { ...shown, area },
    transactions: page.items.map((e) => ({
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
    pager: numberedLinksOf(page),
  };
}
