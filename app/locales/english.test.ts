import { describe, expect, it } from "vitest";
import { messages } from "~/locales";

/** Chinese characters and the full-width punctuation that comes with them (。、，（）【】「」〔〕). */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/**
 * English messages that must keep Chinese text, each with why: a language's own name, or a value
 * the platform writes in Chinese whatever the reader's language (a reader needs to recognise it).
 * Nothing else: a Chinese term on an English page is translated or explained in English.
 */
const ALLOWED: Record<string, string> = {
  "lang.switchTo": "the language switch names Chinese in Chinese",
  "lang.switchToLabel": "the language switch's accessible name starts with its visible text, which names Chinese in Chinese",
  "auth.account.lang.zh-CN": "a language's own name beside its English name",
  "display.largeText": "the large-text switch keeps its Chinese name (大字版) beside the English, so an older reader on an English page still recognises it",
  "donation.error.nameIsAnonymousLabel": "the anonymous label is refused as a name in either language; the donor may have typed the Chinese one",
  "openData.conventions.privacy": "the open data files write the anonymous label in Chinese, and users of the data filter on it",
  "privacy.retention.account.onDeletion": "an erased account's pseudonym is written in Chinese wherever it is shown; must match the personal-data catalogue",
  "funds.field.documentNoHint": "a budget document's number is entered as issued, in Chinese",
};

describe("English messages", () => {
  it("carry no Chinese characters, except the listed ones", () => {
    const offending = Object.entries(messages)
      .filter(([key, m]) => CJK.test(m.en) && !(key in ALLOWED))
      .map(([key, m]) => `${key}: ${m.en}`);
    expect(offending).toEqual([]);
  });

  it("list no exception that is not needed (an allowed message that is now all English leaves the list)", () => {
    const all = messages as Record<string, { zh: string; en: string }>;
    const stale = Object.keys(ALLOWED).filter((key) => !all[key] || !CJK.test(all[key].en));
    expect(stale).toEqual([]);
  });

  it("finds Chinese characters and full-width punctuation, not accented Latin or typographic quotes", () => {
    for (const s of ["两公开", "e.g.（note）", "第一。"]) expect(CJK.test(s), s).toBe(true);
    for (const s of ["Café “quoted” – ok…", "¥1,000.00", "Zürich"]) expect(CJK.test(s), s).toBe(false);
  });
});
