import { expect, test } from "@playwright/test";

test("the production server serves the icons, robots.txt and the web app manifest from public/", async ({ page, request }) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  const rules = await robots.text();
  expect(rules).toContain("Disallow: /donations/");
  expect(rules).toContain("Disallow: /admin");

  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect((await manifest.json()).short_name).toBe("公益创投");

  for (const icon of ["/favicon.ico", "/favicon.svg", "/icon-192.png"]) expect((await request.get(icon)).status(), icon).toBe(200);

  await page.goto("/");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", "#9f1239");
});
