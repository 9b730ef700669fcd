import { describe, expect, it } from "vitest";
import { AppropriationFormSchema, BudgetLineSchema, effectiveDayProblem, foundationData, FoundationFormSchema, shanghaiDayStart } from "./funds";
import { appropriationNeedsConfirm, APPROPRIATION_CONFIRM_FEN } from "./posting-limits";
import { budgetLineAuthority } from "./pool-draws";
import { canSetUpFunds, type ScopedGrant } from "./permissions";

const messagesByField = (issues: { path: PropertyKey[]; message: string }[]) => {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[String(i.path[0] ?? "")] ??= []).push(i.message);
  return out;
};

const good = { slug: "Donghu-Fund", nameZh: "东湖社区基金", areaId: "a1", filing: "none", receiptPrefix: " dhj1 " };

describe("FoundationFormSchema: a new foundation", () => {
  it("reads a complete form, a slug in lower case and the prefix in capitals", () => {
    const r = FoundationFormSchema.safeParse(good);
    expect(r.success).toBe(true);
    const d = foundationData(r.data!);
    expect(d).toMatchObject({ slug: "donghu-fund", nameEn: "东湖社区基金", receiptPrefix: "DHJ1", fundraisingFilingNo: null, fundraisingEntity: null });
  });

  it("says every problem at once, each at its field", () => {
    const r = FoundationFormSchema.safeParse({ slug: "x", nameZh: "", areaId: "", receiptPrefix: "DH-2026", fundraisingFilingNo: "" });
    expect(r.success).toBe(false);
    const by = messagesByField(r.error!.issues);
    expect(by.slug).toEqual(["funds.slug.invalid"]);
    expect(by.nameZh).toEqual(["funds.nameZh.required"]);
    expect(by.areaId).toEqual(["funds.area.required"]);
    expect(by.filing).toEqual(["funds.filing.choose"]);
    expect(by.receiptPrefix).toEqual(["funds.prefix.invalid"]);
  });

  it("needs a filing number and its entity, or an explicit none without a number", () => {
    const filed = FoundationFormSchema.safeParse({ ...good, filing: "filed" });
    expect(messagesByField(filed.error!.issues)).toEqual({ fundraisingFilingNo: ["funds.filingNo.required"], fundraisingEntity: ["funds.entity.required"] });
    const both = FoundationFormSchema.safeParse({ ...good, filing: "none", fundraisingFilingNo: "330482-2026-01" });
    expect(messagesByField(both.error!.issues)).toEqual({ fundraisingFilingNo: ["funds.filingNo.withNone"] });
    const ok = FoundationFormSchema.safeParse({ ...good, filing: "filed", fundraisingFilingNo: "330482-2026-01", fundraisingEntity: "平湖市慈善总会" });
    expect(foundationData(ok.data!)).toMatchObject({ fundraisingFilingNo: "330482-2026-01", fundraisingEntity: "平湖市慈善总会" });
  });

  it("keeps receipt prefixes to what a receipt number and the gift lookup accept", () => {
    for (const bad of ["", "ABCDEFGHI", "D H", "东湖", "DH-"]) expect(FoundationFormSchema.safeParse({ ...good, receiptPrefix: bad }).success, bad).toBe(false);
    for (const fine of ["D", "DH2026", "ABCDEFGH"]) expect(FoundationFormSchema.safeParse({ ...good, receiptPrefix: fine }).success, fine).toBe(true);
  });

  it("refuses the create page's own address as a slug", () => {
    expect(messagesByField(FoundationFormSchema.safeParse({ ...good, slug: "new" }).error!.issues)).toEqual({ slug: ["funds.slug.reserved"] });
  });
});

describe("AppropriationFormSchema: a government appropriation", () => {
  const key = "0b6f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";
  it("reads yuan, the 文号 and a day", () => {
    expect(AppropriationFormSchema.safeParse({ amount: "¥200,000", documentNo: "平财预〔2026〕12号", occurredOn: "2026-03-01", requestKey: key }).success).toBe(true);
  });

  it("says every problem at once", () => {
    const r = AppropriationFormSchema.safeParse({ amount: "abc", documentNo: "", occurredOn: "2026-02-30", requestKey: key });
    expect(messagesByField(r.error!.issues)).toEqual({ amount: ["posting.amount.format"], documentNo: ["funds.documentNo.required"], occurredOn: ["funds.date.invalid"] });
  });

  it("refuses zero and amounts above ¥50,000,000", () => {
    const by = (amount: string) => messagesByField(AppropriationFormSchema.safeParse({ amount, documentNo: "文号1", occurredOn: "2026-01-05", requestKey: key }).error?.issues ?? []);
    expect(by("0").amount).toEqual(["posting.amount.zero"]);
    expect(by("50000000.01").amount).toEqual(["funds.amount.aboveCap"]);
    expect(by("50000000").amount).toBeUndefined();
  });

  it("asks for a confirmation from ¥1,000,000 on", () => {
    expect(appropriationNeedsConfirm(APPROPRIATION_CONFIRM_FEN - 1)).toBe(false);
    expect(appropriationNeedsConfirm(APPROPRIATION_CONFIRM_FEN)).toBe(true);
  });
});

describe("effective days", () => {
  const now = new Date("2026-12-06T17:00:00Z"); // 01:00 on 7 December in Shanghai
  it("are Shanghai days: today there is already 7 December", () => {
    expect(effectiveDayProblem("2026-12-07", now)).toBeNull();
    expect(effectiveDayProblem("2026-12-08", now)).toBe("funds.date.future");
    expect(effectiveDayProblem("1999-12-31", now)).toBe("funds.date.invalid");
    expect(effectiveDayProblem("2026-13-01", now)).toBe("funds.date.invalid");
  });
  it("begin at midnight in Shanghai", () => {
    expect(shanghaiDayStart("2026-03-01")?.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(shanghaiDayStart("2026-02-29")).toBeNull();
  });
});

describe("who sets up money", () => {
  const g = (role: ScopedGrant["role"], areaPath: string, areaLevel: string) => ({ grants: [{ role, areaPath, areaLevel }] });
  it("officials of a subdistrict or higher within their area, and administrators", () => {
    expect(canSetUpFunds(g("OFFICIAL", "/pinghu/danghu/", "SUBDISTRICT"), "/pinghu/danghu/songfeng/")).toBe(true);
    expect(canSetUpFunds(g("OFFICIAL", "/pinghu/danghu/", "SUBDISTRICT"), "/pinghu/zhapu/")).toBe(false);
    expect(canSetUpFunds(g("OFFICIAL", "/pinghu/danghu/songfeng/", "COMMUNITY"), "/pinghu/danghu/songfeng/")).toBe(false);
    expect(canSetUpFunds(g("FOUNDATION_MANAGER", "/pinghu/danghu/", "SUBDISTRICT"), "/pinghu/danghu/")).toBe(false);
    expect(canSetUpFunds(g("ADMIN", "/", "CITY"), "/pinghu/zhapu/")).toBe(true);
  });
  it("a budget line is always requested, never drawn at once", () => {
    const at = { roundAreaPath: "/pinghu/danghu/songfeng/", fundAreaPath: "/pinghu/danghu/" };
    expect(budgetLineAuthority(g("OFFICIAL", "/pinghu/danghu/", "SUBDISTRICT"), at)).toBe("request");
    expect(budgetLineAuthority(g("OFFICIAL", "/pinghu/danghu/songfeng/", "COMMUNITY"), at)).toBe("request");
    expect(budgetLineAuthority(g("OFFICIAL", "/pinghu/zhapu/", "SUBDISTRICT"), at)).toBe("none");
  });
  it("a budget line is blank or at least two characters", () => {
    expect(BudgetLineSchema.safeParse("").success).toBe(true);
    expect(BudgetLineSchema.safeParse("x").success).toBe(false);
    expect(BudgetLineSchema.safeParse("2130799 其他城乡社区支出").success).toBe(true);
  });
});
