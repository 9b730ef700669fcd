import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/**
 * The audit log on the seeded district: the subdistrict official filters it by action, opens a
 * record's before/after, and verifies the hash chain.
 */
test("the subdistrict official filters the audit log by action, opens a before/after and verifies the chain", async ({ page }) => {
  await signIn(page, "official@danghu.example");
  await page.goto("/admin");
  await page.getByRole("main").getByRole("link", { name: "审计日志" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "审计日志" })).toBeVisible();

  await page.getByLabel("操作（前缀）").fill("round.create");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/action=round\.create/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  // retried: for a moment after the address changes, the unfiltered rows can still be on screen
  await expect(page.getByTestId("audit-action").filter({ hasNotText: "round.create" })).toHaveCount(0);
  await expect(rows.first().getByTestId("audit-action")).toContainText("创建轮次");

  const changes = rows.first().getByTestId("audit-changes");
  await changes.locator("summary").click();
  await expect(changes.getByRole("columnheader", { name: "变更后" })).toBeVisible();
  await expect(changes.getByRole("rowheader", { name: "code" })).toBeVisible();

  await page.getByRole("button", { name: "校验哈希链" }).click();
  await expect(page.getByTestId("chain-intact")).toContainText("哈希链完整");
  await expect(page.getByTestId("chain-head")).toContainText(/哈希 [0-9a-f]{64}/);

  // on a phone (390 px) the page, the filters and an opened before/after fit the screen's width
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/audit?action=round.create");
  await page.getByTestId("audit-changes").first().locator("summary").click();
  await expect(page.getByLabel("操作人（邮箱或姓名）")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
