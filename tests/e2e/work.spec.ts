import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the subdistrict official sees the work waiting for them on /me and in the header, and follows an item to its page", async ({ page }) => {
  await signIn(page, "official@danghu.example");
  await expect(page).toHaveURL(/\/me$/);

  const work = page.getByTestId("me-work");
  await expect(work.getByRole("heading", { name: "我的待办" })).toBeVisible();
  // the demo district has a report and expenses waiting for review
  const total = Number((await work.getByTestId("work-total").innerText()).match(/\d+/)![0]);
  expect(total).toBeGreaterThan(0);
  const groups = work.locator("[data-testid^='work-']").filter({ has: page.getByTestId("work-count") });
  expect(await groups.count()).toBeGreaterThan(0);
  let sum = 0;
  for (const count of await work.getByTestId("work-count").allInnerTexts()) sum += Number(count.replace(/,/g, ""));
  expect(sum).toBe(total);

  // the badge on 我的 counts the same, and names itself for screen readers
  const me = page.getByTestId("nav-me");
  await expect(page.getByTestId("me-badge")).toHaveText(new RegExp(`^${total}`));
  await expect(me).toHaveAccessibleName(`我的 ${total} 项待办`);

  // an item leads to the page where it is decided
  const expenses = work.getByTestId("work-expensesToApprove");
  await expect(expenses).toContainText("待审核的支出");
  const first = expenses.getByTestId("work-item").first().getByRole("link");
  const href = await first.getAttribute("href");
  expect(href).toMatch(/^\/projects\/[^/]+\/expenses\?status=SUBMITTED$/);
  await first.click();
  await expect(page).toHaveURL(href!);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a resident with nothing waiting sees the empty state and no badge", async ({ page }) => {
  await signIn(page, "resident@danghu.example");
  await expect(page.getByTestId("me-work").getByTestId("empty-state")).toContainText("没有待办事项");
  await expect(page.getByTestId("me-badge")).toHaveCount(0);
  await expect(page.getByTestId("nav-me")).toHaveAccessibleName("我的");
});

test("the header shows an official the links officials use, in rows at 1366 px and behind a menu on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await signIn(page, "official@danghu.example");
  const nav = page.getByRole("navigation", { name: "菜单" });
  await expect(nav.getByRole("link", { name: "创投管理" })).toBeVisible();
  // an official without an organization files no proposals and has no gifts list in the header
  await expect(nav.getByRole("link", { name: "我的申报" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "我的捐赠" })).toHaveCount(0);
  // the header's links, name and account controls take at most two rows at 1366 px
  const rows = await page.locator("header").evaluate((h) => new Set([...h.querySelectorAll("a, button")].filter((e) => (e as HTMLElement).offsetParent).map((e) => { const r = e.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2 / 16); })).size);
  console.log(`header rows at 1366 px: ${rows}`);
  expect(rows).toBeLessThanOrEqual(2);

  // on a phone the links wait behind 菜单 (a <details>, no script needed) and the page keeps the screen's width
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/me");
  const menu = page.getByTestId("nav-phone");
  await expect(menu.getByRole("link", { name: "创投管理" })).toBeHidden();
  await menu.locator("summary").click();
  await menu.getByRole("link", { name: "待拨付资金" }).click();
  await expect(page).toHaveURL(/\/admin\/releases$/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a resident still finds their proposals and gifts in the header", async ({ page }) => {
  await signIn(page, "resident@danghu.example");
  const nav = page.getByRole("navigation", { name: "菜单" });
  await expect(nav.getByRole("link", { name: "我的申报" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "我的捐赠" })).toBeVisible();
});
