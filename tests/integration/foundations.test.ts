import { describe, expect, it } from "vitest";
import { db, makeAreaTree, uid } from "../support/db";
import { accountCodes, transfer } from "~/domain/ledger";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { foundationDetail, listFoundations } from "~/services/giving/foundations.server";
import { foundationLedgerSummary } from "~/services/giving/foundation-pages.server";
import { areaDetail } from "~/services/areas/areas.server";

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
    const d20 = (await foundationDetail(f.slug, "1"))!;
    expect(d20.transactions).toHaveLength(20);
    expect(d20.pages).toBe(3);
    const d50 = (await foundationDetail(f.slug, "2", "50"))!;
    expect(d50.transactions).toHaveLength(10);
    expect(d50.per).toBe(50);
    // sizes not offered fall back to the default rather than letting a reader ask for everything
    expect((await foundationDetail(f.slug, "1", "100000"))!.transactions).toHaveLength(20);
    // the balance is the sum of the movements: 100 + 200 + … + 6000 fen
    const summary = await foundationLedgerSummary(f.id);
    expect(summary.balanceFen).toBe((60 * 61 * 100) / 2);
    expect(summary.flows.appropriationsFen).toBe(summary.balanceFen);
    const listed = (await listFoundations()).find((x) => x.slug === f.slug);
    expect(listed?.balanceFen).toBe(summary.balanceFen);
  });

  it("the page of the foundation's area lists it with its available balance", async () => {
    const f = await foundationWithMovements(2);
    const area = await db().area.findUniqueOrThrow({ where: { id: f.areaId }, select: { code: true, nameZh: true, nameEn: true } });
    const detail = (await areaDetail(area.code))!;
    expect(detail.foundations).toEqual([{ slug: f.slug, nameZh: "测试基金", nameEn: "Test fund", area, balanceFen: 300 }]);
  });

  it("an unknown foundation is null (the route answers 404)", async () => {
    expect(await foundationDetail(`missing-${uid()}`, "1")).toBeNull();
  });
});
