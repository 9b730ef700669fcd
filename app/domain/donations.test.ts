import { describe, expect, it } from "vitest";
import { DonationFormSchema, donationAmount, impersonatesAnonymous, MAX_DONATION_FEN, publicDonor, publicDonorName, receiptDonorName, receiptNumber, shanghaiYear } from "./donations";

describe("donation amount", () => {
  it("takes ¥1 to ¥100,000 in the forms people type", () => {
    expect(donationAmount("200")).toEqual({ ok: true, fen: 20_000 });
    expect(donationAmount("¥1")).toEqual({ ok: true, fen: 100 });
    expect(donationAmount("１００，０００")).toEqual({ ok: true, fen: MAX_DONATION_FEN });
    expect(donationAmount("0.99")).toEqual({ ok: false, problem: "tooSmall" });
    expect(donationAmount("100000.01")).toEqual({ ok: false, problem: "tooLarge" });
    expect(donationAmount("-5")).toEqual({ ok: false, problem: "negative" });
    expect(donationAmount("")).toEqual({ ok: false, problem: "required" });
    expect(donationAmount("1.234")).toEqual({ ok: false, problem: "decimals" });
  });
});

describe("public donor name", () => {
  it("shows 爱心人士 for anonymous or unnamed gifts", () => {
    expect(publicDonorName({ anonymous: true, displayName: "褚志远" })).toBe("爱心人士");
    expect(publicDonorName({ anonymous: false, displayName: "  " })).toBe("爱心人士");
    expect(publicDonorName({ anonymous: false, displayName: null }, "en")).toBe("A kind donor");
    expect(publicDonorName({ anonymous: false, displayName: " 褚志远 " })).toBe("褚志远");
  });
});

describe("receipt numbers", () => {
  it("are per foundation prefix and year, zero-padded", () => {
    expect(receiptNumber("DH", 2026, 42)).toBe("DH-2026-000042");
    expect(receiptNumber("DH", 2027, 1_234_567)).toBe("DH-2027-1234567");
    expect(() => receiptNumber("dh", 2026, 1)).toThrow();
    expect(() => receiptNumber("DH", 2026, 0)).toThrow();
  });

  it("take the year in Asia/Shanghai", () => {
    expect(shanghaiYear(new Date("2026-12-31T16:30:00Z"))).toBe(2027); // 00:30 on 1 January in Shanghai
    expect(shanghaiYear(new Date("2026-12-31T15:30:00Z"))).toBe(2026);
  });
});

describe("the anonymous label cannot be impersonated", () => {
  it("knows the label however it is spelt or hidden", () => {
    for (const name of ["爱心人士", " 爱心 人士 ", "\u200b爱心人士", "A kind donor", "a  KIND donor"]) expect(impersonatesAnonymous(name), name).toBe(true);
    for (const name of ["爱心人士张", "褚志远", "\u202e士人心爱"]) expect(impersonatesAnonymous(name), name).toBe(false);
  });

  it("refuses a publicly named gift under the label; a name kept for the receipt only may be anything", () => {
    const base = { amount: "100", frequency: "ONCE", method: "alipay", email: "d@example.com", consent: "on" };
    const named = DonationFormSchema.safeParse({ ...base, donorName: "爱心人士", publicNaming: "on" });
    expect(named.success).toBe(false);
    expect(named.error?.issues.map((i) => i.message)).toContain("donation.error.nameIsAnonymousLabel");
    expect(DonationFormSchema.safeParse({ ...base, donorName: "爱心人士" }).success).toBe(true);
  });
});

describe("the donation form's consents", () => {
  const base = { amount: "100", frequency: "ONCE", method: "alipay", email: "d@example.com" };

  it("requires the privacy consent, and leaves the naming consent optional and separate", () => {
    const missing = DonationFormSchema.safeParse(base);
    expect(missing.error?.issues.map((i) => i.message)).toContain("donation.error.consent");
    const plain = DonationFormSchema.parse({ ...base, consent: "on" });
    expect(plain.publicNaming).toBeUndefined();
    expect(DonationFormSchema.parse({ ...base, consent: "on", donorName: "李雷", publicNaming: "on" }).publicNaming).toBe("on");
  });

  it("asks for a name to be named publicly, but not to give without one", () => {
    const unnamed = DonationFormSchema.safeParse({ ...base, consent: "on", publicNaming: "on" });
    expect(unnamed.error?.issues).toEqual([expect.objectContaining({ path: ["donorName"], message: "donation.error.nameForNaming" })]);
    expect(DonationFormSchema.safeParse({ ...base, consent: "on" }).success).toBe(true);
  });
});

describe("what of a donor is public", () => {
  it("publishes name and message only with the consent to be named, never without", () => {
    expect(publicDonor({ anonymous: false, donorName: " 李雷 ", message: " 加油 " })).toEqual({ name: "李雷", message: "加油" });
    expect(publicDonor({ anonymous: true, donorName: "李雷", message: "加油" })).toEqual({ name: null, message: null });
    expect(publicDonor({ anonymous: false, donorName: "", message: null })).toEqual({ name: null, message: null });
  });

  it("puts the donor's own name on the receipt whether or not it is public", () => {
    expect(receiptDonorName({ donorName: "李雷" })).toBe("李雷");
    expect(receiptDonorName({ donorName: null }, "en")).toBe("A kind donor");
    expect(receiptDonorName({ donorName: " " })).toBe("爱心人士");
  });
});
