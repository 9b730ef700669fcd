import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/**
 * The officials' dashboard on the seeded district (read-only): the subdistrict official sees every
 * community's row, charts drawn in the browser (the money chart naming every community, its legend
 * in the bars' order, its axis in ¥), JN6's overdue project among the alerts, the quarterly
 * ranking (at most three flagged, the tie rule stated) and an XLSX export; the 松枫社区 official sees only their community.
 */
test("the subdistrict official's dashboard: money by community, charts, alerts, ranking, XLSX", async ({ page }) => {
  await signIn(page, "official@danghu.example");
  await page.goto("/admin/dashboard");
  const rows = page.getByTestId("dashboard-communities").locator('tbody tr[data-testid^="community-"]');
  expect(await rows.count()).toBeGreaterThan(3);
  await expect(page.getByTestId("dashboard-totals")).toContainText("¥");
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  // the money chart names every community of the table, its legend follows the bars, its axis is in ¥
  const chart = page.getByRole("figure", { name: "各社区资金图" });
  const communities = (await rows.locator("th").allTextContents()).map((s) => s.trim());
  await expect(chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")).toHaveText(communities);
  await expect(chart.locator(".recharts-legend-item-text")).toHaveText(["已资助", "已拨付", "已支出"]);
  const ticks = await chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  for (const tick of ticks) expect(tick).toMatch(/^¥/);
  await expect(page.getByTestId("alert-OVERDUE").first()).toBeVisible();
  // the ranking names at most three at the bottom and states how ties are broken
  expect(await page.getByTestId("ranking-row-flagged").count()).toBeLessThanOrEqual(3);
  await expect(page.getByTestId("ranking-tie-rule")).toBeAttached();
  const xlsx = await page.request.get((await page.getByTestId("dashboard-export").getAttribute("href"))!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  expect((await xlsx.body()).subarray(0, 2).toString("latin1")).toBe("PK");
});

test("a community official's dashboard shows their community only", async ({ page }) => {
  await signIn(page, "songfeng@danghu.example");
  await page.goto("/admin/dashboard");
  await expect(page.getByTestId("dashboard-area").locator("option")).toHaveCount(1);
  const rows = page.getByTestId("dashboard-communities").locator('tbody tr[data-testid^="community-"]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("松枫社区");
  const denied = await page.goto("/admin/dashboard?area=danghu");
  expect(denied?.status()).toBe(403);
});
