/**
 * No serious or critical axe-core violation on the pages of accessibility-pages.ts, for anonymous
 * visitors (in both languages) and each signed-in role. One browser context per role, signed in
 * once; every page of the role is opened in it in turn and checked against WCAG 2.x A/AA rules.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser } from "@playwright/test";
import { ACCESSIBILITY_PAGES, fillPaths, type Role } from "./accessibility-pages";
import { e2eDatabase, signIn } from "./support";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

interface Found {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

async function scan(browser: Browser, role: Role, baseURL: string): Promise<Found[]> {
  const spec = ACCESSIBILITY_PAGES[role];
  const sql = await e2eDatabase();
  const zh = await fillPaths(sql, spec.zh);
  const en = await fillPaths(sql, spec.en ?? []);
  await sql.end();
  const found: Found[] = [];
  for (const [lang, paths] of [["zh-CN", zh], ["en", en]] as const) {
    if (paths.length === 0) continue;
    const context = await browser.newContext({ baseURL });
    if (lang === "en") await context.addCookies([{ name: "lang", value: "en", url: baseURL }]);
    const page = await context.newPage();
    if (spec.email) await signIn(page, spec.email);
    for (const path of paths) {
      const response = await page.goto(path);
      const status = response?.status() ?? 0;
      if (status >= 400) {
        found.push({ page: `${lang} ${path}`, rule: "http-status", impact: "critical", help: `answered ${status}`, targets: [] });
        continue;
      }
      // label-in-name (a control's accessible name contains its visible text) is among axe's
      // experimental rules, off by default: on here
      const result = await new AxeBuilder({ page }).options({ rules: { "label-content-name-mismatch": { enabled: true } } }).withTags(TAGS).analyze();
      for (const v of result.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        found.push({ page: `${lang} ${path}`, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) });
      }
    }
    await context.close();
  }
  return found;
}

for (const role of Object.keys(ACCESSIBILITY_PAGES) as Role[]) {
  test(`no serious or critical accessibility violations: ${role}`, async ({ browser, baseURL }) => {
    const found = await scan(browser, role, baseURL!);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
}
