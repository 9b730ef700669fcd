import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber, localeFromAcceptLanguage, translate } from "./i18n";
import { splitMessage, withParams } from "~/domain/messages";
import { catalogues, messages } from "~/locales";

describe("i18n", () => {
  it("translates with placeholders in both languages and shows unknown keys as they are", () => {
    expect(translate("zh-CN", "error.reference", { id: "r1" })).toBe("参考编号：r1");
    expect(translate("en", "error.reference", { id: "r1" })).toBe("Reference: r1");
    expect(translate("en", "no.such.key")).toBe("no.such.key");
  });

  it("every message has non-empty text in both languages", () => {
    for (const [key, m] of Object.entries(messages)) {
      expect(m.zh.trim(), key).not.toBe("");
      expect(m.en.trim(), key).not.toBe("");
    }
  });

  it("gives every key to one catalogue only (a second would silently replace the first)", () => {
    const owner = new Map<string, string>();
    for (const [name, catalogue] of Object.entries(catalogues)) {
      for (const key of Object.keys(catalogue)) {
        expect(owner.get(key), `${key} in ${name}`).toBeUndefined();
        owner.set(key, name);
      }
    }
    expect(owner.size).toBe(Object.keys(messages).length);
  });

  it("shows dates in Asia/Shanghai whatever the server's zone, with either locale, repeatedly", () => {
    const lateUtc = new Date("2026-11-23T16:30:00Z"); // 00:30 the next day in Shanghai
    for (let i = 0; i < 2; i++) {
      expect(formatDateTime("zh-CN", lateUtc)).toBe("2026/11/24 00:30");
      expect(formatDateTime("en", lateUtc, false)).toBe("11/24/2026");
    }
  });

  it("groups numbers by locale", () => {
    expect(formatNumber("zh-CN", 174368)).toBe("174,368");
    expect(formatNumber("en", 174368)).toBe("174,368");
  });
});

describe("messages that carry values", () => {
  it("fills the values a validation error carries, in either language", () => {
    const message = withParams("rounds.rubric.sum", { total: 95 });
    expect(translate("zh-CN", message)).toContain("95");
    expect(translate("en", message)).toContain("95");
    expect(translate("en", message)).not.toContain("|");
  });
  it("leaves a plain key and unknown text alone", () => {
    expect(splitMessage("money.decimals")).toEqual({ key: "money.decimals" });
    expect(splitMessage("a|b")).toEqual({ key: "a|b" });
  });
});

describe("the phone's language (Accept-Language)", () => {
  it("is the supported language with the highest weight; any Chinese is zh-CN", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("zh-TW,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("fr-FR,fr;q=0.9,en;q=0.5,zh;q=0.7")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh-Hans-CN")).toBe("zh-CN");
  });
  it("is none for unsupported languages, q=0, nonsense or no header", () => {
    expect(localeFromAcceptLanguage("fr-FR,de")).toBeUndefined();
    expect(localeFromAcceptLanguage("en;q=0")).toBeUndefined();
    expect(localeFromAcceptLanguage("*")).toBeUndefined();
    expect(localeFromAcceptLanguage(";;,")).toBeUndefined();
    expect(localeFromAcceptLanguage(null)).toBeUndefined();
  });
});
