import { accountCodes } from "~/domain/ledger";
import { pageOf, perPageOf } from "~/domain/money";
import { db } from "~/lib/db.server";
import { balanceFen } from "./ledger.server";

export const FOUNDATION_TRANSACTIONS_PAGE_SIZE = 20;
export const FOUNDATION_TRANSACTIONS_PAGE_SIZES = [20, 50, 100] as const;

/** Public list: every foundation with its area, available balance and fundraising status. */
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
    rows.map(async ({ id, ...f }) => ({ ...f, balanceFen: await balanceFen(db(), accountCodes.foundationAvailable(id)) })),
  );
}

/**
 * Public page of one foundation: description, available balance and, page by page, every
 * ledger movement into or out of its available funds (newest first). Null when unknown.
 */
export async function foundationDetail(slug: string, requestedPage: unknown, requestedPer?: unknown) {
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
      area: { select: { code: true, nameZh: true, nameEn: true } },
    },
  });
  if (!f) return null;
  const code = accountCodes.foundationAvailable(f.id);
  const where = { account: { code } };
  const total = await db().ledgerEntry.count({ where });
  const per = perPageOf(requestedPer, FOUNDATION_TRANSACTIONS_PAGE_SIZES, FOUNDATION_TRANSACTIONS_PAGE_SIZE);
  const page = pageOf(requestedPage, total, per);
  const entries = await db().ledgerEntry.findMany({
    where,
    select: {
      id: true,
      amountFen: true,
      transaction: { select: { id: true, kind: true, memo: true, occurredAt: true } },
    },
    orderBy: [{ transaction: { occurredAt: "desc" } }, { createdAt: "desc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  const { id: _id, ...shown } = f;
  return {
    foundation: shown,
    balanceFen: await balanceFen(db(), code),
    transactions: entries.map((e) => ({
      id: e.transaction.id,
      kind: e.transaction.kind,
      memo: e.transaction.memo,
      occurredAt: e.transaction.occurredAt.toISOString(),
      amountFen: Number(e.amountFen),
    })),
    total,
    per,
    perOptions: FOUNDATION_TRANSACTIONS_PAGE_SIZES,
    page: page.page,
    pages: page.pages,
  };
}
