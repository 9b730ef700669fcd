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
