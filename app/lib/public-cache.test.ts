import { describe, expect, it } from "vitest";
import {
  anonymousLargeText,
  anonymousLocale,
  cacheControlFor,
  etagMatches,
  FRESHNESS_WINDOW_MS,
  hasSession,
  isPublicPage,
  publicEtag,
  swapTokens,
} from "./public-cache";

describe("public pages", () => {
  it("are the pages anyone reads, with their .data requests", () => {
    for (const p of ["/", "/_root.data", "/needs", "/needs.data", "/needs/", "/needs/N-0001", "/rounds", "/rounds/JN7", "/rounds/JN7/notice", "/rounds/JN7/proposals.data",
      "/projects", "/projects/JN6-0002", "/foundations", "/foundations/danghu-community-fund", "/campaigns/spring", "/transparency", "/transparency/gifts/G-1",
      "/open-data", "/areas", "/areas/danghu", "/areas/songfeng/deliberation", "/areas/songfeng/deliberation.data", "/deliberation/12", "/deliberation/12.data", "/areas/danghu/rankings", "/ranking-notices/7",
      "/reports/3", "/areas/danghu/showcase", "/rounds/JN6/showcase"])
      expect(isPublicPage(p), p).toBe(true);
  });
  it("are not sign-in pages, a project's sub-pages, forms or downloads", () => {
    for (const p of ["/me", "/needs/new", "/rounds/JN7/apply", "/projects/JN6-0002/beneficiaries", "/projects/JN6-0002/beneficiaries.data", "/projects/JN6-0002/budget",
      "/foundations/x/donate", "/open-data/needs.csv", "/needs/N-1/photo", "/admin", "/login", "/rounds/JN7/notice/export",
      "/areas/songfeng/deliberation/roles", "/areas/songfeng/deliberation/rules", "/deliberation/12/attachments/3f2a", "/deliberation/x", "/ranking-notices/7/pdf", "/ranking-notices/x",
      "/reports/3/pdf", "/reports/3/xlsx", "/projects/JN6-0011/showcase"])
      expect(isPublicPage(p), p).toBe(false);
  });
});

describe("the visitor", () => {
  it("is signed in with any session cookie, and served in the lang cookie's language or zh-CN", () => {
    expect(hasSession("lang=en; __session=abc")).toBe(true);
    expect(hasSession("lang=en; x__session=abc")).toBe(false);
    expect(hasSession(undefined)).toBe(false);
    expect(anonymousLocale("lang=en")).toBe("en");
    expect(anonymousLocale("a=b; lang=zh-CN")).toBe("zh-CN");
    expect(anonymousLocale("lang=fr")).toBe("zh-CN");
    expect(anonymousLocale(undefined)).toBe("zh-CN");
  });
  it("without a lang cookie is served in the browser's language (Accept-Language), the cookie winning", () => {
    expect(anonymousLocale(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(anonymousLocale("lang=zh-CN", "en-US,en;q=0.9")).toBe("zh-CN");
    expect(anonymousLocale(undefined, "fr-FR")).toBe("zh-CN");
  });
  it("sees 大字版 in the display cookie", () => {
    expect(anonymousLargeText("lang=en; display=large")).toBe(true);
    expect(anonymousLargeText("display=standard")).toBe(false);
    expect(anonymousLargeText(undefined)).toBe(false);
  });
});

describe("ETag", () => {
  const base = { version: "7", url: "/needs?page=2", locale: "zh-CN" as const, buildId: "b1", now: 10 * FRESHNESS_WINDOW_MS };
  it("changes with the version, the URL, the language, 大字版, the build and the freshness window", () => {
    const tag = publicEtag(base);
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(publicEtag({ ...base, now: base.now + FRESHNESS_WINDOW_MS - 1 })).toBe(tag);
    expect(publicEtag({ ...base, largeText: false })).toBe(tag);
    for (const change of [{ version: "8" }, { url: "/needs?page=3" }, { locale: "en" as const }, { largeText: true }, { buildId: "b2" }, { now: base.now + FRESHNESS_WINDOW_MS }])
      expect(publicEtag({ ...base, ...change }), JSON.stringify(change)).not.toBe(tag);
  });
  it("matches If-None-Match weakly, in a list, or *", () => {
    const tag = publicEtag(base);
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(`"x", ${tag.slice(2)}`, tag)).toBe(true);
    expect(etagMatches("*", tag)).toBe(true);
    expect(etagMatches('W/"other"', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
  });
});

it("HTML stays out of shared caches (it carries a nonce); .data may be kept by a proxy briefly", () => {
  expect(cacheControlFor("/needs")).toBe("private, no-cache");
  expect(cacheControlFor("/needs.data")).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
});

it("a cached body gets this response's nonce and request id everywhere", () => {
  const body = '<script nonce="OLDNONCE">x</script><script nonce="OLDNONCE">{"requestId":"old-id"}</script>';
  expect(swapTokens(body, ["OLDNONCE", "old-id"], ["NEW", "new-id"])).toBe('<script nonce="NEW">x</script><script nonce="NEW">{"requestId":"new-id"}</script>');
  expect(swapTokens("a", ["", "x"], ["b", "y"])).toBe("a");
});
