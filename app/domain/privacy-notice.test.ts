import { describe, expect, it } from "vitest";
import { currentNoticeVersion, exemptFromNotice, mustAcceptNotice, pagePath, PRIVACY_NOTICE_VERSION } from "./privacy-notice";

describe("the notice version", () => {
  it("must be accepted again whenever the accepted version is not the current one", () => {
    expect(currentNoticeVersion()).toBe(PRIVACY_NOTICE_VERSION);
    expect(mustAcceptNotice(PRIVACY_NOTICE_VERSION)).toBe(false);
    expect(mustAcceptNotice(null)).toBe(true);
    expect(mustAcceptNotice(undefined)).toBe(true);
    expect(mustAcceptNotice("2026-01-01", "2026-06-01")).toBe(true);
    // a newer version bumped in: the one accepted before no longer counts
    expect(mustAcceptNotice(PRIVACY_NOTICE_VERSION, "2099-01-01")).toBe(true);
    expect(mustAcceptNotice("2099-01-01", "2099-01-01")).toBe(false);
  });
});

describe("paths open before accepting", () => {
  it("are sign-out, the notice, the page asking for it, static files, webhooks and health checks", () => {
    for (const p of ["/logout", "/privacy", "/privacy/accept", "/privacy.data", "/privacy/accept.data", "/assets/app-1.js", "/webhooks/stripe", "/healthz", "/readyz", "/favicon.ico", "/language"]) {
      expect(exemptFromNotice(p), p).toBe(true);
    }
  });

  it("are no other page, its data, or a look-alike", () => {
    for (const p of ["/", "/_root.data", "/account", "/account.data", "/me", "/foundations/x/donate", "/privacy-elsewhere", "/privacy/accept/more", "/logout-now", "/admin/webhooks"]) {
      expect(exemptFromNotice(p), p).toBe(false);
    }
  });

  it("are judged on the page a request is for", () => {
    expect(pagePath("/_root.data")).toBe("/");
    expect(pagePath("/account.data")).toBe("/account");
    expect(pagePath("/account/")).toBe("/account");
    expect(pagePath("/")).toBe("/");
  });
});
