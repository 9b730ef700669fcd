import { expect, test } from "@playwright/test";

test("a visitor sees the programme in Chinese and switches to English", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("社区公益创投平台");
  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Community Venture Philanthropy");
  // remembered by the browser
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Community Venture Philanthropy");
});

test("an unknown page is a 404 in the visitor's language", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
});
