import { expect, test } from "@playwright/test";
import { freshOfficial, signIn } from "./support";

/**
 * Screening of the seeded round JN6 (last year's, now in implementation: 14 proposals, JN6-0009
 * and JN6-0013 ineligible). Its screening never changes again, so these tests can share the
 * database with others.
 */

test("the official reads JN6's screening decisions with their reasons, read-only, in Chinese and English", async ({ page }) => {
  // an official of its own: switching language is remembered by the account
  await signIn(page, await freshOfficial());
  await page.goto("/admin/rounds/JN6/screening");
  await expect(page.getByRole("heading", { level: 1, name: "资格审查" })).toBeVisible();
  await expect(page.getByTestId("screening-readonly")).toContainText("本页仅供查阅");
  await expect(page.getByTestId("screening-total")).toHaveText("共 14 个申报");
  // a round past screening offers no decisions
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "合格", exact: true })).toHaveCount(0);

  const refused = page.getByTestId("screening-row-JN6-0009");
  await expect(refused.getByTestId("proposal-status")).toHaveText("资格审查未通过");
  await expect(refused.getByTestId("screening-reason")).toContainText("补正期限内未补交");
  const passed = page.getByTestId("screening-row-JN6-0001");
  await expect(passed.getByTestId("proposal-status")).toHaveText("资格审查通过");
  await expect(passed.getByRole("link", { name: "银龄守望·独居老人探访服务" })).toHaveAttribute("href", /^\/proposals\/[0-9a-f-]{36}$/);

  // filters live in the query string
  await page.getByLabel("审查状态").selectOption("INELIGIBLE");
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await expect(page).toHaveURL(/status=INELIGIBLE/);
  await expect(page.getByTestId("screening-total")).toHaveText("共 2 个申报");
  await expect(page.getByTestId("screening-table").getByRole("row")).toHaveCount(3);

  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Screening" })).toBeVisible();
  await expect(page.getByTestId("screening-readonly")).toContainText("read-only");
  await expect(page.getByTestId("screening-total")).toHaveText("2 proposal(s)");
  await expect(page.getByTestId("screening-row-JN6-0013").getByTestId("proposal-status")).toHaveText("Ineligible");
  await expect(page.getByRole("columnheader", { name: "Requested" })).toBeVisible();
});

test("a community official may not open a subdistrict round's screening", async ({ page }) => {
  await signIn(page, "songfeng@danghu.example");
  const response = await page.goto("/admin/rounds/JN6/screening");
  expect(response?.status()).toBe(403);
});

test("the public list of JN6 shows only its eligible proposals, without personal data, in Chinese and English", async ({ page }) => {
  await page.goto("/rounds/JN6/proposals");
  await expect(page.getByRole("heading", { level: 1, name: "入围项目名单" })).toBeVisible();
  await expect(page.getByTestId("eligible-total")).toContainText("共 12 个项目");
  const table = page.getByTestId("eligible-table");
  await expect(table.getByRole("row")).toHaveCount(13);
  await expect(table.getByRole("row").nth(1)).toContainText("JN6-0001");
  await expect(table.getByRole("row").nth(1)).toContainText("平湖市友邻社会工作服务中心");
  await expect(table.getByRole("row").nth(1)).toContainText(/¥[\d,]+\.00/);
  await expect(table).not.toContainText("JN6-0009");
  await expect(table).not.toContainText("JN6-0013");
  // no member names (the applicant's account holder is 陈晓)
  await expect(page.getByText("陈晓")).toHaveCount(0);

  await page.getByLabel("项目类别").selectOption("CULTURE_SPORTS");
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await expect(page).toHaveURL(/category=CULTURE_SPORTS/);
  await expect(table.getByRole("row").filter({ hasText: "JN6-" }).first()).toContainText("文体康乐类");

  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Eligible proposals" })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "JN6-" }).first()).toContainText("Culture, sports and recreation");
  await page.goto("/rounds/JN6/proposals");
  await expect(page.getByTestId("eligible-total")).toContainText("12 proposal(s)");
});
