import { describe, expect, it } from "vitest";
import { REDACTED_LINK, redactActionLinks } from "./mail-redaction";

describe("redactActionLinks", () => {
  it("hides links that act for the recipient, in text and in HTML attributes", () => {
    const text = [
      "重置密码：http://localhost:3000/reset-password?token=abc123",
      "验证邮箱：https://x.example/verify?token=q",
      "邀请：https://x.example/invitations/Zm9vYmFy",
      "评审邀请：https://x.example/judging/invitations/tok",
      "结对单位邀请：https://x.example/partners/invitations/unitTok",
      "捐赠：https://x.example/donations/secret-token/receipt",
      "月捐：https://x.example/giving/monthly/tok",
      '<a href="https://x.example/reset-password?token=abc&amp;x=1">重置</a>',
    ].join("\n");
    const out = redactActionLinks(text);
    expect(out).not.toMatch(/token=|Zm9vYmFy|secret-token|\/giving\/monthly\/tok|judging\/invitations\/tok|unitTok/);
    expect(out.split(REDACTED_LINK).length - 1).toBe(8);
  });

  it("keeps ordinary links", () => {
    const text = "查看项目 https://x.example/projects/JN6-0002/reports 或 https://x.example/rounds/JN7 和 https://x.example/judging";
    expect(redactActionLinks(text)).toBe(text);
  });
});
