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

test("pages carry a Content-Security-Policy whose nonce is on every script, and run with it (no violation)", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto("/rounds");
  const policy = response!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(response!.headers()["permissions-policy"]).toContain("camera=()");
  // the scripts as the server sent them (read before the client adds or removes any)
  const nonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(new Set(nonces)).toEqual(new Set([nonce]));
  // client-side navigation works: the app hydrated under the policy
  await page.getByRole("link", { name: /需求|Needs/ }).first().click();
  await expect(page).toHaveURL(/\/needs/);
  expect(violations).toEqual([]);
});
