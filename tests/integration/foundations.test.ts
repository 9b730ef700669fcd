import { describe, expect, it } from "vitest";
import { db, makeAreaTree, uid } from "../support/db";
import { accountCodes, transfer } from "~/domain/ledger";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { foundationDetail, listFoundations } from "~/services/giving/foundations.server";
import { foundationLedgerSummary } from "~/services/giving/foundation-pages.server";
import { areaDetail } from "~/services/areas/areas.server";
import { BAD_CURSORS, walkNumbered } from "../support/keyset";

async function foundationWithMovements(n: number) {
  const { root } = await makeAreaTree(0);
  const f = await db().foundation.create({
    data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "说明", descriptionEn: "About", areaId: root.id },
  });
  const available = accountCodes.foundationAvailable(f.id);
  const source = accountCodes.externalAppropriation(`test-${uid()}`);
  await ensureAccount(db(), { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "可用", nameEn: "Available", foundationId: f.id });
  await ensureAccount(db(), { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "拨款", nameEn: "Appropriation" });
  for (let i = 1; i <= n; i++) {
    await db().$transaction((tx) =>
      postTransaction(tx, { idempotencyKey: `t-${f.id}-${i}`, kind: "APPROPRIATION", memo: `第${i}笔`, entries: transfer(source, available, i * 100) }),
    );
  }
  return f;
}

describe("public foundation pages", () => {
  it("lists movements page by page, 20 by default and 50 or 100 on request", async () => {
    const f = await foundationWithMovements(60);
    const d20 = (await foundationDetail(f.slug))!;
    expect(d20.transactions).toHaveLength(20);
    expect(d20.total).toBe(60);
    expect(d20.pager).toMatchObject({ page: 1, pages: 3, prev: null });
    const d50 = (await foundationDetail(f.slug, { per: "50" }))!;
    expect(d50.per).toBe(50);
    expect((await foundationDetail(f.slug, { per: "50", page: "2", cursor: d50.pager.next }))!.transactions).toHaveLength(10);
    expect((await foundationDetail(f.slug, { per: "50", page: "2" }))!.transactions).toHaveLength(10);
    // sizes not offered fall back to the default rather than letting a reader ask for everything
    expect((await foundationDetail(f.slug, { per: "100000" }))!.transactions).toHaveLength(20);
    // the balance is the sum of the movements: 100 + 200 + … + 6000 fen
    const summary = await foundationLedgerSummary(f.id);
    expect(summary.balanceFen).toBe((60 * 61 * 100) / 2);
    expect(summary.flows.appropriationsFen).toBe(summary.balanceFen);
    const listed = (await listFoundations()).find((x) => x.slug === f.slug);
    expect(listed?.balanceFen).toBe(summary.balanceFen);
  });

  it("pages movements by number: every one exactly once, newest first, by number, forward and back, earmarked ones and ties on the time included; a bad cursor is the first page", async () => {
    const f = await foundationWithMovements(45);
    // an earmarked account's movements are on the list too, merged in order
    const earmark = `foundation:${f.id}:earmark:round:r-${uid()}`;
    await ensureAccount(db(), { code: earmark, kind: "FOUNDATION_EARMARKED", nameZh: "定向", nameEn: "Earmarked", foundationId: f.id });
    for (let i = 1; i <= 6; i++) {
      await db().$transaction((tx) =>
        postTransaction(tx, { idempotencyKey: `e-${f.id}-${i}`, kind: "ADJUSTMENT", memo: `定向${i}`, entries: transfer(accountCodes.foundationAvailable(f.id), earmark, i) }),
      );
    }
    // both entries of a transfer between the funds accounts are booked at one time: only the id orders them
    const accounts = (await db().ledgerAccount.findMany({ where: { foundationId: f.id }, select: { id: true } })).map((a) => a.id);
    const expected = (await db().ledgerEntry.findMany({ where: { accountId: { in: accounts } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } })).map((e) => e.id);
    expect(expected).toHaveLength(45 + 2 * 6);

    const forward = await walkNumbered(async (qs) => {
      const q = new URLSearchParams(qs);
      const d = (await foundationDetail(f.slug, { page: q.get("page"), cursor: q.get("cursor") }))!;
      return { items: d.transactions, pager: d.pager };
    });
    expect(forward.map((p) => p.length)).toEqual([20, 20, 17]);
    expect(forward.flat().map((t) => t.id)).toEqual(expected);
    expect(forward.flat().filter((t) => t.earmarked)).toHaveLength(6);
    const first = (await foundationDetail(f.slug))!;
    expect((await foundationDetail(f.slug, { page: "3" }))!.transactions.map((t) => t.id)).toEqual(expected.slice(40));
    for (const cursor of BAD_CURSORS) expect((await foundationDetail(f.slug, { page: "1", cursor }))!.transactions).toEqual(first.transactions);
    // a cursor belongs to its foundation's list: with another foundation's, the page is read by its number
    const other = await foundationWithMovements(25);
    const otherSecond = (await foundationDetail(other.slug, { page: "2" }))!;
    expect((await foundationDetail(other.slug, { page: "2", cursor: first.pager.next }))!.transactions).toEqual(otherSecond.transactions);
    expect(otherSecond.transactions).toHaveLength(5);
  });

  it("the page of the foundation's area lists it with its available balance", async () => {
    const f = await foundationWithMovements(2);
    const area = await db().area.findUniqueOrThrow({ where: { id: f.areaId }, select: { code: true, nameZh: true, nameEn: true } });
    const detail = (await areaDetail(area.code))!;
    expect(detail.foundations).toEqual([{ slug: f.slug, nameZh: "测试基金", nameEn: "Test fund", area, balanceFen: 300 }]);
  });

  it("an unknown foundation is null (the route answers 404)", async () => {
    expect(await foundationDetail(`missing-${uid()}`)).toBeNull();
  });
});
