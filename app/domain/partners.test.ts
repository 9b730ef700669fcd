import { describe, expect, it } from "vitest";
import { usccCheckChar } from "./uscc";
import { changedFields, CorrectGiftSchema, correctionProblem, CreateUnitSchema, GiftFields, mayManageUnit, pairedOn, QUANTITY_MAX, quantityProblem, unitTakeProblem, unpairProblem, valuationProblem, type CorrectableGift } from "./partners";

const first17 = "91330482MA2BXXXX0".replace(/X/g, "1");
const validUscc = first17 + usccCheckChar(first17)!;
const wrongCheck = first17 + (usccCheckChar(first17) === "0" ? "1" : "0");

describe("partner units", () => {
  it("registers a unit only with a USCC whose check character is right, and a mainland mobile", () => {
    const base = { name: "平湖农商银行当湖支行", contactName: "王经理", contactPhone: "138 1234 5678", startsOn: "2026-10-01" };
    const ok = CreateUnitSchema.safeParse({ ...base, uscc: validUscc.toLowerCase() });
    expect(ok.success && ok.data.uscc).toBe(validUscc);
    expect(ok.success && ok.data.contactPhone).toBe("13812345678");
    const bad = CreateUnitSchema.safeParse({ ...base, uscc: wrongCheck });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toContain("org.uscc.checksum");
    expect(CreateUnitSchema.safeParse({ ...base, uscc: validUscc, contactPhone: "0573-1234" }).error?.issues[0]?.message).toBe("partners.error.phone");
  });

  it("a pairing holds from its first day until the day it ends", () => {
    const p = { startsOn: "2026-10-01", endedOn: null };
    expect(pairedOn(p, "2026-09-30")).toBe(false);
    expect(pairedOn(p, "2026-10-01")).toBe(true);
    expect(pairedOn({ ...p, endedOn: "2026-12-01" }, "2026-11-30")).toBe(true);
    expect(pairedOn({ ...p, endedOn: "2026-12-01" }, "2026-12-01")).toBe(false);
    expect(unpairProblem(p, "2026-09-01")).toBe("partners.error.endBeforeStart");
    expect(unpairProblem({ ...p, endedOn: "2026-11-01" }, "2026-12-01")).toBe("partners.error.notPaired");
    expect(unpairProblem(p, "2026-12-01")).toBeNull();
  });

  it("officials of a community the unit is paired with manage it; others do not", () => {
    const official = { grants: [{ role: "OFFICIAL" as const, areaLevel: "COMMUNITY" as const, areaPath: "/pinghu/danghu/songfeng/" }] };
    expect(mayManageUnit(official, ["/pinghu/danghu/songfeng/"])).toBe(true);
    expect(mayManageUnit(official, ["/pinghu/danghu/qingyang/"])).toBe(false);
    expect(mayManageUnit({ grants: [] }, ["/pinghu/danghu/songfeng/"])).toBe(false);
  });

  it("a member takes a wish only for a unit they act for, never their own wish", () => {
    expect(unitTakeProblem("u1", ["unit-a"], { authorId: "u2" }, "unit-a")).toBeNull();
    expect(unitTakeProblem("u1", ["unit-a"], { authorId: "u2" }, "unit-b")).toBe("partners.error.notActingFor");
    expect(unitTakeProblem("u1", ["unit-a"], { authorId: "u1" }, "unit-a")).toBe("volunteers.error.ownWish");
  });
});

describe("in-kind gifts", () => {
  it("states a value exactly when there is a basis for it, in positive whole fen", () => {
    expect(valuationProblem("NONE", null)).toBeNull();
    expect(valuationProblem("NONE", 100)).toBe("partners.error.valueWithoutBasis");
    expect(valuationProblem("MARKET", null)).toBe("partners.error.valueRequired");
    expect(valuationProblem("INVOICE", 0)).toBe("partners.error.valuePositive");
    expect(valuationProblem("AGREED", 12.5)).toBe("partners.error.valuePositive");
    expect(valuationProblem("INVOICE", 1_250_00)).toBeNull();
  });

  it("counts whole positive quantities only", () => {
    expect(quantityProblem(20)).toBeNull();
    expect(quantityProblem(0)).toBe("partners.error.quantity");
    expect(quantityProblem(1.5)).toBe("partners.error.quantity");
  });

  it("reads the typed valuation in yuan as fen, and refuses a value without basis", () => {
    const base = { giver: "NAMED", giverName: "张记粮油店", kind: "GOODS", description: "大米 10 公斤装", quantity: "20", unitLabel: "袋", recipient: "SHOP", receivedOn: "2026-11-20" };
    const r = GiftFields.safeParse({ ...base, valuationBasis: "INVOICE", value: "1,250.50" });
    expect(r.success && r.data.value).toBe(125_050);
    expect(GiftFields.safeParse({ ...base, valuationBasis: "NONE", value: "10" }).error?.issues[0]?.message).toBe("partners.error.valueWithoutBasis");
    expect(GiftFields.safeParse({ ...base, valuationBasis: "NONE" }).success).toBe(true);
    expect(GiftFields.safeParse({ ...base, giverName: "", valuationBasis: "NONE" }).error?.issues[0]?.path).toEqual(["giverName"]);
  });
});

describe("correcting a recorded in-kind gift", () => {
  const before: CorrectableGift = { description: "大米 10 公斤装", quantity: 40, valuationBasis: "INVOICE", valueFen: 240_000, recipient: "SHOP", projectId: null };
  const current = { withdrawn: false, superseded: false };

  it("allows a change of description, quantity, valuation or who received it, and names what changed", () => {
    const after: CorrectableGift = { ...before, quantity: 30, valueFen: 180_000 };
    expect(correctionProblem(current, before, after)).toBeNull();
    expect(changedFields(before, after)).toEqual(["quantity", "valueFen"]);
    expect(correctionProblem(current, before, { ...before, recipient: "PROJECT", projectId: "p1" })).toBeNull();
    expect(correctionProblem(current, before, { ...before, valuationBasis: "NONE", valueFen: null })).toBeNull();
    expect(changedFields(before, { ...before, description: "大米 5 公斤装" })).toEqual(["description"]);
  });

  it("refuses a correction that changes nothing, or of a row that is no longer current", () => {
    expect(correctionProblem(current, before, { ...before })).toEqual({ form: "partners.error.nothingChanged" });
    expect(correctionProblem({ withdrawn: true, superseded: false }, before, { ...before, quantity: 1 })).toEqual({ form: "partners.error.notCurrent" });
    expect(correctionProblem({ withdrawn: false, superseded: true }, before, { ...before, quantity: 1 })).toEqual({ form: "partners.error.notCurrent" });
  });

  it("keeps the quantity whole and positive, the value whole fen and stated exactly when there is a basis", () => {
    for (const quantity of [0, -1, 1.5, QUANTITY_MAX + 1]) expect(correctionProblem(current, before, { ...before, quantity })).toEqual({ fields: { quantity: ["partners.error.quantity"] } });
    expect(correctionProblem(current, before, { ...before, valueFen: 12.5 })).toEqual({ fields: { value: ["partners.error.valuePositive"] } });
    expect(correctionProblem(current, before, { ...before, valueFen: -100 })).toEqual({ fields: { value: ["partners.error.valuePositive"] } });
    expect(correctionProblem(current, before, { ...before, valueFen: null })).toEqual({ fields: { value: ["partners.error.valueRequired"] } });
    expect(correctionProblem(current, before, { ...before, valuationBasis: "NONE" })).toEqual({ fields: { value: ["partners.error.valueWithoutBasis"] } });
    expect(correctionProblem(current, before, { ...before, description: " x " })).toEqual({ fields: { description: ["partners.error.descriptionShort"] } });
    expect(correctionProblem(current, before, { ...before, recipient: "PROJECT" })).toEqual({ fields: { projectRef: ["partners.error.project"] } });
  });

  it("the correction form needs a reason and a value exactly with a basis, in fen", () => {
    const form = { giftId: "6f1c8a52-4d1e-4a63-9d3b-0b5c2e7f9a10", description: "大米", quantity: "30", valuationBasis: "MARKET", value: "1,800.50", recipient: "SHOP", projectRef: "", reason: "数量点错了" };
    const ok = CorrectGiftSchema.safeParse(form);
    expect(ok.success && ok.data).toMatchObject({ quantity: 30, value: 180_050 });
    const bad = CorrectGiftSchema.safeParse({ ...form, value: undefined, reason: "错", quantity: "0" });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`).sort();
    expect(messages).toEqual(["quantity:partners.error.quantity", "reason:partners.error.reasonShort", "value:partners.error.valueRequired"]);
  });
});
