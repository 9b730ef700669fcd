import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase, linkIn, mailTo, postNeedInSongfeng, signIn, uniqueEmail } from "./support";

// a resident on a phone, as most residents who do not live in email are
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** A fresh mainland number, typed as people type it: +86, spaces, full-width digits. */
function typedNumber(): { typed: string; digits: string } {
  const digits = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const fullWidth = [...digits.slice(3)].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join("");
  return { typed: `+86 ${digits.slice(0, 3)} ${fullWidth}`, digits };
}

test("a resident signs up with a mobile number, posts a need, and hears the official's answer and ruling by SMS", async ({ page, browser }) => {
  const { typed, digits } = typedNumber();
  const marker = Date.now().toString(36);

  await page.goto("/login");
  await page.getByRole("link", { name: "用手机号和短信验证码登录" }).click();
  await page.getByLabel(/^手机号/).fill(typed);
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByTestId("sms-sent")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
  // local SMS mode in a demo: the code is shown to this person only, and labelled so
  const local = page.getByTestId("sms-local-code");
  await expect(local).toContainText("演示模式");
  const code = (await local.locator("code").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel(/^短信验证码/).fill(code);
  await page.getByLabel(/^姓名/).fill("周阿婆");
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByTestId("viewer-role")).toContainText("周阿婆");

  // the account page shows the number masked, never whole
  await page.goto("/account");
  await expect(page.getByTestId("account-phone")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
  await expect(page.locator("body")).not.toContainText(digits);

  const number = await postNeedInSongfeng(page, { title: `小区门口路灯不亮${marker}`, description: `晚上出门看不清路，老人容易摔倒（${marker}）。`, category: "居民自治类" });

  const official = await browser.newContext();
  const oPage = await official.newPage();
  await signIn(oPage, "songfeng@danghu.example");
  await oPage.goto(`/needs/${number}`);
  await oPage.getByLabel("官方回复").fill(`已报修，三日内修好（${marker}）`);
  await oPage.getByRole("button", { name: "以官方身份回复" }).click();
  await expect(oPage.getByTestId("official-reply")).toBeVisible();
  // then rules on it: not taken up, with a reason
  const panel = oPage.getByTestId("curate-panel");
  await panel.getByText("不予采纳", { exact: true }).first().click();
  await panel.getByLabel(/原因/).fill(`路灯属市政管理，已转交城管部门（${marker}）。`);
  await panel.getByRole("button", { name: "不予采纳" }).click();
  await expect(oPage.getByText("已处理。")).toBeVisible();
  // the administrators' outbox lists the SMS with the number masked, and no code anywhere
  await oPage.goto("/admin/mail");
  await expect(oPage.locator("body")).not.toContainText(digits);
  await expect(oPage.locator("body")).not.toContainText(code);
  await official.close();

  // the answer and the ruling went to the resident's outbox as SMS (local SMS mode keeps them there), once each
  const sql = await e2eDatabase();
  try {
    await expect
      .poll(async () => {
        const { rows } = await sql.query(
          `SELECT m.status, m.text FROM "EmailMessage" m JOIN "User" u ON u.id = m."userId"
            WHERE u.name = '周阿婆' AND m.channel = 'SMS' AND m.template = 'need-update' AND m.text LIKE $1
            ORDER BY m."createdAt"`,
          [`%/needs/${number}%`],
        );
        return rows.map((r) => `${r.status as string} ${(r.text as string).slice(0, 6)}`);
      })
      .toEqual(["STORED_LOCALLY 官方回复了您", "STORED_LOCALLY 您的需求未被"]);
  } finally {
    await sql.end();
  }
});

/** Signs up on /login/phone with a fresh number, reading the code local SMS demo mode shows. */
async function signUpWithNumber(page: Page, name: string): Promise<string> {
  const { typed, digits } = typedNumber();
  await page.goto("/login/phone");
  await page.getByLabel(/^手机号/).fill(typed);
  await page.getByRole("button", { name: "发送验证码" }).click();
  const code = (await page.getByTestId("sms-local-code").locator("code").textContent())!.trim();
  await page.getByLabel(/^短信验证码/).fill(code);
  await page.getByLabel(/^姓名/).fill(name);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByTestId("viewer-role")).toContainText(name);
  return digits;
}

/** No serious or critical axe-core violation on the page as it is now. */
async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).options({ rules: { "label-content-name-mismatch": { enabled: true } } }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

/** Whether anything on the page is wider than the 390 px screen. */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

test("the code forms of the sign-in and number pages fit a 390 px phone and pass the accessibility check", async ({ page }) => {
  await page.goto("/login/phone");
  await expect(page.getByTestId("send-code-form")).toBeVisible();
  expect(await overflows(page)).toBe(false);
  // the send button spans the screen's width on a phone
  const button = page.getByRole("button", { name: "发送验证码" });
  const box = (await button.boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
  await signUpWithNumber(page, "林奶奶");
  await page.goto("/account/phone");
  await expect(page.getByTestId("send-code-form")).toBeVisible();
  expect(await overflows(page)).toBe(false);
  await expectAccessible(page);
});

test("an account made with a number confirms its deletion with a code sent to the number", async ({ page }) => {
  const digits = await signUpWithNumber(page, "韩大爷");
  await page.goto("/account/delete");
  // no password to give: the code goes to the account's own number, shown masked
  await expect(page.getByLabel("当前密码")).toHaveCount(0);
  await expect(page.getByTestId("send-code-form")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
  await expect(page.getByLabel(/我明白注销不可撤销/)).toHaveCount(0);
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByTestId("sms-sent")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
  const code = (await page.getByTestId("sms-local-code").locator("code").textContent())!.trim();
  expect(await overflows(page)).toBe(false);
  await expectAccessible(page);
  // a wrong code is refused next to the field, and the form stays
  await page.getByLabel(/^短信验证码/).fill(code === "000000" ? "111111" : "000000");
  await page.getByLabel(/我明白注销不可撤销/).check();
  await page.getByRole("button", { name: "永久注销我的账户" }).click();
  await expect(page.getByText("验证码不正确")).toBeVisible();
  await page.getByLabel(/^短信验证码/).fill(code);
  await page.getByLabel(/我明白注销不可撤销/).check();
  await page.getByRole("button", { name: "永久注销我的账户" }).click();
  await expect(page.getByTestId("deleted")).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: /^登录$/ })).toBeVisible();
});

test("an account made with a number adds an e-mail address and a password, verifies the address, and signs in with them", async ({ page }) => {
  await signUpWithNumber(page, "郑阿姨");
  await page.goto("/account");
  const section = page.getByTestId("account-add-email");
  await expect(section).toBeVisible();
  await expectAccessible(page);
  const email = uniqueEmail("add-email");
  await section.getByLabel(/^电子邮箱/).fill(email);
  await section.getByLabel(/^新密码/).fill("a long enough passphrase");
  await section.getByRole("button", { name: "添加邮箱和密码" }).click();
  await expect(page.getByTestId("account-notice")).toContainText("邮箱和密码已添加");
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByTestId("account-add-email")).toHaveCount(0);
  // the sign-up's verification link reaches the address and verifies it
  await expect(page.getByRole("note").filter({ hasText: "您的邮箱尚未验证" })).toBeVisible();
  const mail = await mailTo(email);
  expect(mail.subject).toBe("请验证您的电子邮箱");
  await page.goto(linkIn(mail, "/verify?token="));
  await expect(page.getByTestId("verify-message")).toHaveText("邮箱已验证，谢谢！");
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /^登录$/ })).toBeVisible();
  await signIn(page, email, "a long enough passphrase");
  await expect(page.getByTestId("viewer-role")).toContainText("郑阿姨");
});
