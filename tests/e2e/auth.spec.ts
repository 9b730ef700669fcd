import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, linkIn, mailTo, signIn, uniqueEmail } from "./support";

const PASSWORD = "春眠不觉晓处处闻啼鸟";
const NEW_PASSWORD = "夜来风雨声花落知多少";

async function signUpThroughForm(page: Page, name: string, email: string, password = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel(/邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill(password);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
}

/** Signs out and waits until the header shows it (the next navigation must not race the POST). */
async function signOut(page: Page) {
  await page.getByRole("button", { name: /^退出$|^Sign out$/ }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /^登录$|^Sign in$/ })).toBeVisible();
}

test("sign up, verify the email by the link received over SMTP, sign out and sign in again", async ({ page }) => {
  const email = uniqueEmail("signup");
  await signUpThroughForm(page, "林晓燕", email);

  // signed in at once, and told where the link went
  await expect(page).toHaveURL(/\/verify$/);
  await expect(page.getByTestId("verify-message")).toContainText(email);
  await expect(page.getByTestId("viewer-role")).toContainText("林晓燕");

  // every other page reminds an unverified account, until it is verified
  await page.goto("/areas");
  await expect(page.getByRole("note").filter({ hasText: "您的邮箱尚未验证" })).toBeVisible();

  const mail = await mailTo(email);
  expect(mail.subject).toBe("请验证您的电子邮箱");
  await page.goto(linkIn(mail, "/verify?token="));
  await expect(page.getByTestId("verify-message")).toHaveText("邮箱已验证，谢谢！");
  await page.goto("/areas");
  await expect(page.getByText("您的邮箱尚未验证")).toHaveCount(0);

  await signOut(page);
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("viewer-role")).toContainText("林晓燕");

  // a signed-in visitor is sent on from the sign-in and sign-up pages
  await page.goto("/login");
  await expect(page).toHaveURL(/\/me$/);
  await page.goto("/signup?redirectTo=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByText("已验证", { exact: true })).toBeVisible();

  // the language preference is kept on the account
  await page.getByRole("combobox", { name: /^语言/ }).selectOption("en");
  await page.getByRole("button", { name: "保存语言" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("account-notice")).toHaveText("Language saved.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My account");
});

test("reset a forgotten password by the emailed link; the link works once", async ({ page, context }) => {
  const email = uniqueEmail("reset");
  await signUpThroughForm(page, "周建华", email);
  await expect(page).toHaveURL(/\/verify$/);
  await context.clearCookies();

  await page.goto("/login");
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("找回密码");
  await page.getByLabel(/邮箱/).fill(email);
  await page.getByRole("button", { name: "发送重置链接" }).click();
  await expect(page.getByTestId("reset-sent")).toContainText(email);

  const mail = await mailTo(email, (m) => m.subject === "重置您的密码");
  const link = linkIn(mail, "/reset-password?token=");
  await page.goto(link);
  await page.getByLabel(/^新密码/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "保存新密码" }).click();

  // signed in with a fresh session
  await expect(page).toHaveURL(/\/account\?notice=passwordReset$/);
  await expect(page.getByTestId("account-notice")).toContainText("新密码已生效");
  await expect(page.getByTestId("viewer-role")).toContainText("周建华");

  await signOut(page);
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("alert")).toContainText("邮箱或密码不正确。");
  await page.getByLabel(/^密码/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/me$/);

  await page.goto(link);
  await expect(page.getByTestId("reset-error")).toContainText("此重置链接已使用过");
  await expect(page.getByRole("link", { name: "重新申请重置链接" })).toBeVisible();
});

test("a wrong password says only that email or password is wrong, and keeps the email", async ({ page }) => {
  const email = uniqueEmail("wrong");
  await page.goto("/login?redirectTo=%2Faccount");
  await page.getByLabel(/邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill("not the password");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("邮箱或密码不正确。");
  await expect(page.getByLabel(/邮箱/)).toHaveValue(email);
  await expect(page.getByLabel(/^密码/)).toHaveValue("");
  // the page it asked for is still where a successful sign-in goes
  await page.getByLabel(/邮箱/).fill("resident@danghu.example");
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText("resident@danghu.example");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test("the sign-up and sign-in forms fit the screen", async ({ page }) => {
    for (const path of ["/signup", "/login", "/forgot-password"]) {
      await page.goto(path);
      const form = await page.locator("main form").first().boundingBox();
      expect(form, path).not.toBeNull();
      expect(form!.x, path).toBeGreaterThanOrEqual(0);
      expect(form!.x + form!.width, path).toBeLessThanOrEqual(360);
      const submit = await page.locator("main form button[type=submit]").first().boundingBox();
      expect(submit!.x + submit!.width, path).toBeLessThanOrEqual(360);
    }
  });
});

test("the sign-in page lists the demo accounts and their password in demo mode", async ({ page }) => {
  await page.goto("/login");
  const box = page.getByTestId("demo-accounts");
  await expect(box).toContainText("official@danghu.example");
  await expect(box).toContainText("resident@danghu.example");
  await expect(box).toContainText(DEMO_PASSWORD);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a duplicate email is reported next to the field and what was typed is kept", async ({ page }) => {
    await signUpThroughForm(page, "王小明", "Official@Danghu.example");
    const emailInput = page.getByLabel(/邮箱/);
    await expect(emailInput).toHaveAttribute("aria-invalid", "true");
    const errorId = await emailInput.getAttribute("aria-describedby");
    expect(errorId).toBeTruthy();
    await expect(page.locator(`[id="${errorId!.split(" ")[0]}"]`)).toHaveText("该邮箱已注册。请直接登录；如忘记密码，可以重置。");
    await expect(page.getByLabel("姓名")).toHaveValue("王小明");
    await expect(emailInput).toHaveValue("Official@Danghu.example");
    await expect(page.getByLabel(/^密码/)).toHaveValue("");
  });

  test("field errors come back in the chosen language, from the server's own checks", async ({ page }) => {
    await page.goto("/signup");
    await page.getByRole("button", { name: "切换到英文" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an account");
    // spaces pass the browser's "required" check; the server trims them and refuses
    await page.getByLabel("Name").fill("   ");
    await page.getByLabel(/Email/).fill("Someone.New@Example.com");
    await page.getByLabel(/^Password/).fill("long enough, this one");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page.getByText("This field is required")).toBeVisible();
    await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(/Email/)).toHaveValue("Someone.New@Example.com");
  });

  test("signing in and out works with plain form posts", async ({ page }) => {
    await signIn(page, "resident@danghu.example");
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId("viewer-role")).toContainText("卫小红");
    await signOut(page);
    await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
  });
});
