import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signIn, uniqueEmail } from "./support";

/** The header's inbox link (its name includes the unread count when there is one). */
const inboxLink = (page: Page) => page.getByRole("banner").getByRole("link", { name: /^消息|^Inbox/ });

test("anonymous visitors are asked to sign in before the inbox", async ({ page }) => {
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Finbox$/);
});

test("a resident with no notices sees an empty inbox, also on a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, "resident@danghu.example");
  await expect(page.getByTestId("viewer-role")).toContainText("居民");
  await inboxLink(page).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole("heading", { level: 1, name: "消息" })).toBeVisible();
  await expect(page.getByTestId("empty-state")).toContainText("暂无消息");
  await expect(page.getByRole("button", { name: "全部标为已读" })).toHaveCount(0);
  // nothing wider than the screen
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a role granted by an official arrives in the inbox, unread, and is marked read", async ({ browser, page }) => {
  // a new resident account
  const email = uniqueEmail("inbox");
  await page.goto("/signup");
  await page.getByLabel(/^姓名/).fill("收件箱测试");
  await page.getByLabel(/电子邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("viewer-role")).toContainText("收件箱测试");
  // a welcome notice is waiting
  await expect(inboxLink(page)).toHaveText(/^消息\s*1$/);

  // the subdistrict official makes them a judge of 当湖街道 (in another browser)
  const officialContext = await browser.newContext();
  const official = await officialContext.newPage();
  await signIn(official, "official@danghu.example");
  await expect(official.getByTestId("viewer-role")).toContainText("工作人员");
  await official.goto("/admin/areas/danghu");
  await official.getByLabel(/^电子邮箱/).fill(email);
  await official.getByLabel(/^角色/).selectOption({ label: "评审专家" });
  const area = official.getByLabel(/^地区/);
  await area.selectOption((await area.locator("option", { hasText: "当湖街道" }).first().getAttribute("value"))!);
  await official.getByRole("button", { name: "发送邀请" }).click();
  await official.getByTestId("existing-account").getByRole("button", { name: "立即授权" }).click();
  await expect(official.getByText(`已授予 ${email} 角色`)).toBeVisible();
  await officialContext.close();

  // the header shows the new notice; the inbox shows it highlighted, in Chinese, above the welcome
  await page.reload();
  await expect(inboxLink(page)).toHaveText(/^消息\s*2$/);
  await inboxLink(page).click();
  const item = page.getByTestId("inbox-item").filter({ hasText: "您已获授当湖街道的评审专家权限" });
  await expect(item).toHaveAttribute("data-read", "false");
  await expect(item.getByText("未读")).toBeVisible();
  await expect(page.getByTestId("inbox-item").first()).toContainText("您已获授当湖街道的评审专家权限");
  await expect(page.getByTestId("inbox-item").filter({ hasText: "欢迎加入社区公益创投平台" })).toBeVisible();
  await expect(page.getByTestId("inbox-unread")).toHaveText("2 条未读");

  await page.getByRole("button", { name: "全部标为已读" }).click();
  await expect(item).toHaveAttribute("data-read", "true");
  await expect(page.getByTestId("inbox-unread")).toHaveText("全部已读");
  await expect(page.getByRole("button", { name: "全部标为已读" })).toHaveCount(0);
  await expect(inboxLink(page)).toHaveText(/^消息$/);

  // the same notice in English after switching language; opening it follows its link
  await page.getByRole("button", { name: "切换到英文" }).click();
  const english = page.getByTestId("inbox-item").filter({ hasText: "You are now Judge for Danghu Subdistrict" });
  await expect(english).toBeVisible();
  await english.getByRole("button", { name: "Open" }).click();
  await expect(page).toHaveURL(/\/me$/);
});

test("the mail log is for administrators only when SMTP is configured", async ({ page }) => {
  // this e2e server delivers through SMTP, where a subdistrict official has no mail page
  await signIn(page, "official@danghu.example");
  await expect(page.getByTestId("viewer-role")).toContainText("工作人员");
  // nor a link to one on the admin page
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: /邮件投递记录|本地邮件预览/ })).toHaveCount(0);
  const res = await page.goto("/admin/mail");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
});
