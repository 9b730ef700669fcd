/**
 * Signing in with WeChat in the browser, against the local stand-in for WeChat's authorisation page
 * and API that the e2e server starts (tests/support/wechat-stub.ts; each browser context is another
 * WeChat user): inside WeChat (MicroMessenger in the user agent) the login page offers 微信登录
 * first; elsewhere after the password form. The first sign-in makes a resident account named after
 * the nickname; a resident who signed up by e-mail links WeChat from the account page. And 大字版,
 * chosen signed in, follows the account to a new browser.
 */
import { expect, test, type Page } from "@playwright/test";
import { newResident, signIn } from "./support";

const WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

/** Whether the WeChat button comes before the e-mail field in the page. */
const wechatFirst = (page: Page) =>
  page.evaluate(() => {
    const button = document.querySelector('[data-testid="wechat-sign-in"]');
    const email = document.querySelector('input[name="email"]');
    return !!button && !!email && !!(button.compareDocumentPosition(email) & Node.DOCUMENT_POSITION_FOLLOWING);
  });

test("inside WeChat the login page offers 微信登录 first; in another browser after the password form", async ({ browser }) => {
  const inWechat = await browser.newContext({ userAgent: WECHAT_UA });
  const page = await inWechat.newPage();
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "微信登录" })).toBeVisible();
  expect(await wechatFirst(page)).toBe(true);
  await inWechat.close();

  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto("/login");
  await expect(other.getByRole("button", { name: "微信登录" })).toBeVisible();
  expect(await wechatFirst(other)).toBe(false);
  await elsewhere.close();
});

test("the first 微信登录 makes a resident account named after the nickname; the next one signs in to it; a fresh sign-in confirms deleting it", async ({ browser }) => {
  const context = await browser.newContext({ userAgent: WECHAT_UA });
  const page = await context.newPage();
  await page.goto("/login?redirectTo=%2Faccount");
  await page.getByRole("button", { name: "微信登录" }).click();
  // a new account accepts the privacy notice before anything else: a first acceptance, not a change
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("请阅读并同意隐私政策");
  await expect(page.locator("body")).not.toContainText("隐私政策已更新");
  await page.getByRole("button", { name: "我同意，继续" }).click();
  await expect(page).toHaveURL(/\/account$/);
  const name = (await page.getByTestId("account-name").textContent())!.trim();
  expect(name).toMatch(/^微信居民\d+$/);
  await expect(page.getByTestId("account-wechat")).toContainText("已关联微信");
  await expect(page.getByTestId("account-email")).toHaveText("—");

  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /^登录$/ })).toBeVisible();
  await page.goto("/login");
  await page.getByRole("button", { name: "微信登录" }).click();
  await expect(page.getByTestId("viewer-role")).toContainText(name);

  // no password to confirm with: the fresh WeChat sign-in does, with the box ticked
  await page.goto("/account/delete");
  await expect(page.getByLabel("当前密码")).toHaveCount(0);
  await page.getByLabel(/我明白注销不可撤销/).check();
  await page.getByRole("button", { name: "永久注销我的账户" }).click();
  await expect(page.getByTestId("deleted")).toBeVisible();
  await context.close();
});

test("a resident who signed up by e-mail links WeChat from the account page", async ({ browser }) => {
  const resident = await newResident(browser, "关联微信居民", "wechat-link");
  const page = resident.page;
  await page.goto("/account");
  const section = page.getByTestId("account-wechat");
  await expect(section).toContainText("尚未关联微信");
  await section.getByRole("button", { name: "关联微信" }).click();
  await expect(page).toHaveURL(/\/account\?notice=wechatLinked#wechat-h$/);
  await expect(page.getByTestId("account-notice")).toHaveText("已关联微信。");
  await expect(section).toContainText("已关联微信，可以用微信登录此账户。");
  await resident.close();
});

test("大字版 chosen signed in follows the account: after signing out, a new browser shows it once signed in", async ({ browser }) => {
  const resident = await newResident(browser, "大字版居民", "large-text");
  const page = resident.page;
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/large-text/);
  await page.getByRole("button", { name: "大字版" }).click();
  await expect(html).toHaveClass(/large-text/);
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /^登录$/ })).toBeVisible();
  await resident.close();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto("/");
  await expect(other.locator("html")).not.toHaveClass(/large-text/);
  await signIn(other, resident.email);
  await expect(other.getByTestId("viewer-role")).toContainText("大字版居民");
  await expect(other.locator("html")).toHaveClass(/large-text/);
  // and off again, signed in, is off on the account: the next browser shows standard text
  await other.getByRole("button", { name: "大字版" }).click();
  await expect(other.locator("html")).not.toHaveClass(/large-text/);
  await fresh.close();
  const third = await browser.newContext();
  const last = await third.newPage();
  await signIn(last, resident.email);
  await expect(last.getByTestId("viewer-role")).toContainText("大字版居民");
  await expect(last.locator("html")).not.toHaveClass(/large-text/);
  await third.close();
});
