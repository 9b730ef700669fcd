import { describe, expect, it } from "vitest";
import { normalisePhone } from "./pii";
import {
  formatSmsCode,
  noticeChannel,
  normaliseSmsCode,
  resendWaitSeconds,
  SendCodeSchema,
  SMS_CODE_MAX_TRIES,
  SMS_CODE_TTL_MS,
  SMS_SUMMARY_MAX,
  smsCodeState,
  smsSummary,
  VerifyCodeSchema,
} from "./sms";

describe("mobile numbers for sign-in", () => {
  it.each([
    ["+86 138 1234 5678", "13812345678"],
    ["+86-138-1234-5678", "13812345678"],
    ["+86 １３８-１２３４-５６７８", "13812345678"],
    ["１３９　１２３４　５６７８", "13912345678"],
    ["8613812345678", "13812345678"],
    ["199-0000-1111", "19900001111"],
  ])("the form takes %s as %s", (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
    expect(SendCodeSchema.safeParse({ phone: input })).toMatchObject({ success: true, data: { phone: expected } });
  });

  it.each(["12812345678", "1381234567", "+1 415 555 0100", "abc"])("the form refuses %s with a message", (input) => {
    const parsed = SendCodeSchema.safeParse({ phone: input });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("sms.error.phoneInvalid");
  });
});

describe("SMS codes", () => {
  it("are six digits, typed with spaces or full-width digits", () => {
    expect(normaliseSmsCode(" 123 456 ")).toBe("123456");
    expect(normaliseSmsCode("１２３４５６")).toBe("123456");
    expect(normaliseSmsCode("12345")).toBeNull();
    expect(normaliseSmsCode("12345a")).toBeNull();
    expect(VerifyCodeSchema.safeParse({ phone: "13812345678", code: "1234567" }).error?.issues[0]?.message).toBe("sms.error.codeFormat");
  });

  it("keep leading zeros", () => {
    expect(formatSmsCode(42)).toBe("000042");
    expect(formatSmsCode(4_294_967_295)).toMatch(/^\d{6}$/);
  });

  it("are good for five minutes and five tries, and once", () => {
    const now = new Date("2026-12-07T08:00:00Z");
    const fresh = { usedAt: null, attempts: 0, expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS) };
    expect(SMS_CODE_TTL_MS).toBe(5 * 60_000);
    expect(smsCodeState(fresh, now)).toBe("valid");
    expect(smsCodeState({ ...fresh, attempts: SMS_CODE_MAX_TRIES - 1 }, now)).toBe("valid");
    expect(smsCodeState({ ...fresh, attempts: SMS_CODE_MAX_TRIES }, now)).toBe("exhausted");
    expect(smsCodeState(fresh, new Date(now.getTime() + SMS_CODE_TTL_MS))).toBe("expired");
    expect(smsCodeState({ ...fresh, usedAt: now }, now)).toBe("used");
    expect(smsCodeState(null, now)).toBe("unknown");
  });

  it("can be sent again after sixty seconds", () => {
    const sent = new Date("2026-12-07T08:00:00Z");
    expect(resendWaitSeconds(null, sent)).toBe(0);
    expect(resendWaitSeconds(sent, new Date(sent.getTime() + 1))).toBe(60);
    expect(resendWaitSeconds(sent, new Date(sent.getTime() + 59_500))).toBe(1);
    expect(resendWaitSeconds(sent, new Date(sent.getTime() + 60_000))).toBe(0);
  });
});

describe("SMS notices", () => {
  it("go by SMS to a person who chose it or has no email, if they have a number", () => {
    expect(noticeChannel({ email: "a@example.com", hasPhone: true, notifyBy: "SMS" })).toBe("SMS");
    expect(noticeChannel({ email: null, hasPhone: true, notifyBy: "EMAIL" })).toBe("SMS");
    expect(noticeChannel({ email: "a@example.com", hasPhone: true, notifyBy: "EMAIL" })).toBe("EMAIL");
    expect(noticeChannel({ email: "a@example.com", hasPhone: false, notifyBy: "SMS" })).toBe("EMAIL");
    expect(noticeChannel({ email: null, hasPhone: false, notifyBy: "SMS" })).toBeNull();
  });

  it("keep a short summary whole and cut a long one", () => {
    expect(smsSummary(" 您的需求已有答复 ")).toBe("您的需求已有答复");
    const cut = smsSummary("长".repeat(SMS_SUMMARY_MAX + 5));
    expect(Array.from(cut)).toHaveLength(SMS_SUMMARY_MAX);
    expect(cut.endsWith("…")).toBe(true);
  });
});
