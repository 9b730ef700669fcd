import { db, makeAreaTree, uid } from "./db";
import { accountCodes, transfer } from "~/domain/ledger";
import { roundSettingsFields } from "./round-input";
import { CreateRoundSchema } from "~/domain/rounds";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";

/**
 * A subdistrict with `communityCount` communities and a foundation there (`nameZh`) holding
 * `fundedFen`, appropriated through the ledger so that pools can be drawn from it.
 */
export async function fundedSubdistrict(fundedFen: number, { communityCount = 2, nameZh = "测试基金" }: { communityCount?: number; nameZh?: string } = {}) {
  const { root, communities } = await makeAreaTree(communityCount);
  const foundation = await db().foundation.create({
    data: { slug: `f-${uid()}`, nameZh, nameEn: "Test fund", descriptionZh: "说明", descriptionEn: "About", areaId: root.id },
  });
  const available = accountCodes.foundationAvailable(foundation.id);
  const source = accountCodes.externalAppropriation(`test-${uid()}`);
  await ensureAccount(db(), { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "可用", nameEn: "Available", foundationId: foundation.id });
  await ensureAccount(db(), { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "拨款", nameEn: "Appropriation" });
  await db().$transaction((tx) =>
    postTransaction(tx, { idempotencyKey: `fund-${foundation.id}`, kind: "APPROPRIATION", memo: "拨款", entries: transfer(source, available, fundedFen) }),
  );
  return { root, communities, foundation, available, source };
}

/** A fresh round code with the given first letter. */
export const freshRoundCode = (prefix = "T") => `${prefix}${uid().slice(0, 6).toUpperCase()}`;

/** A valid create input for a round of `areaId` drawn from `foundationId`, as the form's schema produces it. */
export function createRoundInput(areaId: string, foundationId: string, overrides: Record<string, unknown> = {}) {
  return CreateRoundSchema.parse({ code: freshRoundCode(), areaId, foundationId, ...roundSettingsFields(overrides) });
}

export { roundSettingsFields };
