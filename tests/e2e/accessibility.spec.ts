/**
 * No serious or critical axe-core violation on the pages of accessibility-pages.ts, for anonymous
 * visitors (in both languages) and each signed-in role. One browser context per group of pages
 * of a role and language (pageGroups), signed in once; every page of the list is opened in it in turn and checked against
 * the WCAG 2.x A/AA rules (and axe's best practices), label-in-name included.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ACCESSIBILITY_PAGES, fillPaths, pageGroups, type Role } from "./accessibility-pages";
import { e2eDatabase, signIn } from "./support";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

interface Found {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const runs = (Object.keys(ACCESSIBILITY_PAGES) as Role[]).flatMap((role) => [
  ...pageGroups(ACCESSIBILITY_PAGES[role].zh).map((g) => ({ role, lang: "zh-CN" as const, ...g })),
  ...pageGroups(ACCESSIBILITY_PAGES[role].en ?? []).map((g) => ({ role, lang: "en" as const, ...g })),
]);

for (const { role, lang, label, paths: patterns } of runs) {
  test(`no serious or critical accessibility violations: ${role}, ${lang}, ${label}`, async ({ browser, baseURL }) => {
    // a bound for a stuck run, not a speed limit: each page is loaded and analysed in turn
    test.setTimeout(600_000);
    const sql = await e2eDatabase();
    const paths = await fillPaths(sql, patterns).finally(() => sql.end());
    const context = await browser.newContext({ baseURL });
    if (lang === "en") await context.addCookies([{ name: "lang", value: "en", url: baseURL! }]);
    const page = await context.newPage();
    const email = ACCESSIBILITY_PAGES[role].email;
    if (email) await signIn(page, email);
    const found: Found[] = [];
    for (const path of paths) {
      const response = await page.goto(path);
      const status = response?.status() ?? 0;
      if (status >= 400) {
        found.push({ page: path, rule: "http-status", impact: "critical", help: `answered ${status}`, targets: [] });
        continue;
      }
      // label-in-name (a control's accessible name contains its visible text) is among axe's
      // experimental rules, off by default: on here
      const result = await new AxeBuilder({ page }).options({ rules: { "label-content-name-mismatch": { enabled: true } } }).withTags(TAGS).analyze();
      for (const v of result.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        found.push({ page: path, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) });
      }
    }
    await context.close();
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
}
