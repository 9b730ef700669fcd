/**
 * 大字版 (large text) on a phone: a 390×844 viewport with the switch on, every page of
 * accessibility-pages.ts (each role, Chinese) fits the screen's width — no sideways scrolling of
 * the page; wide tables scroll inside their own labelled frame — and the frame's buttons, menu
 * and links are at least 44px tall. Also: the switch itself, and the language a QR code's link
 * (which carries none) opens in: the phone's.
 */
import { expect, test, type Page } from "@playwright/test";
import { ACCESSIBILITY_PAGES, fillPaths, pageGroups, type Role } from "./accessibility-pages";
import { e2eDatabase, signIn } from "./support";

const PHONE = { width: 390, height: 844 };

/** How far the page is wider than the screen, and the widest element that sticks out (for the message). */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const excess = root.scrollWidth - root.clientWidth;
    if (excess <= 0) return null;
    let culprit = "";
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && r.width > 0) {
        // the outermost element sticking out that is not inside a scroll frame
        let inFrame = false;
        for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== "visible") inFrame = true;
        if (!inFrame) {
          culprit = `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)} right=${Math.round(r.right)}`;
          break;
        }
      }
    }
    return { excess, culprit };
  });
}

for (const [role, group] of (Object.keys(ACCESSIBILITY_PAGES) as Role[]).flatMap((role) => pageGroups(ACCESSIBILITY_PAGES[role].zh).map((g) => [role, g] as const))) {
  test(`大字版 on a 390px phone: no page scrolls sideways (${role}, ${group.label})`, async ({ browser, baseURL }) => {
    // a bound for a stuck run, not a speed limit: each page is loaded in turn
    test.setTimeout(600_000);
    const sql = await e2eDatabase();
    const paths = await fillPaths(sql, group.paths).finally(() => sql.end());
    const context = await browser.newContext({ baseURL, viewport: PHONE, isMobile: true, hasTouch: true });
    await context.addCookies([{ name: "display", value: "large", url: baseURL! }]);
    const page = await context.newPage();
    const email = ACCESSIBILITY_PAGES[role].email;
    if (email) await signIn(page, email);
    const wide: { page: string; excess: number; culprit: string }[] = [];
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.status() ?? 0, path).toBeLessThan(400);
      await expect(page.locator("html")).toHaveClass(/large-text/);
      const o = await overflow(page);
      if (o) wide.push({ page: path, ...o });
    }
    await context.close();
    expect(wide, JSON.stringify(wide, null, 2)).toEqual([]);
  });
}

test("大字版: the frame's buttons, menu and links are at least 44px tall on a phone", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: PHONE, isMobile: true, hasTouch: true });
  await context.addCookies([{ name: "display", value: "large", url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/needs");
  await page.getByTestId("nav-phone").locator("summary").click();
  const targets = page.locator("header :is(button, summary, a):visible, main button:visible, main select:visible");
  const heights = await targets.evaluateAll((els) => els.map((el) => ({ el: `${el.tagName} ${(el.textContent ?? "").trim().slice(0, 20)}`, h: el.getBoundingClientRect().height })));
  expect(heights.length).toBeGreaterThan(5);
  expect(heights.filter((t) => t.h < 44)).toEqual([]);
  await context.close();
});

test("大字版 is a switch next to the language, remembered across pages, in both languages", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: PHONE });
  const page = await context.newPage();
  await page.goto("/rounds");
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/large-text/);
  const toggle = page.getByRole("button", { name: "大字版" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await toggle.click();
  await expect(page).toHaveURL(/\/rounds$/);
  await expect(html).toHaveClass(/large-text/);
  await expect(page.getByRole("button", { name: "大字版" })).toHaveAttribute("aria-pressed", "true");
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeGreaterThan(before);
  // remembered on the next page, and after switching the language
  await page.goto("/needs");
  await expect(html).toHaveClass(/large-text/);
  await page.getByRole("button", { name: /English/ }).click();
  await expect(html).toHaveAttribute("lang", "en");
  await expect(html).toHaveClass(/large-text/);
  await page.getByRole("button", { name: /Large text/ }).click();
  await expect(html).not.toHaveClass(/large-text/);
  await context.close();
});

test("a link without a language cookie opens in the phone's language (Accept-Language)", async ({ browser, baseURL }) => {
  const english = await browser.newContext({ baseURL, locale: "en-US" });
  const page = await english.newPage();
  await page.goto("/needs");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await english.close();
  const chinese = await browser.newContext({ baseURL, locale: "zh-CN" });
  const page2 = await chinese.newPage();
  await page2.goto("/needs");
  await expect(page2.locator("html")).toHaveAttribute("lang", "zh-CN");
  await chinese.close();
});
