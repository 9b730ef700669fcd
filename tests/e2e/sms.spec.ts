import { expect, test } from "@playwright/test";
import { e2eDatabase, postNeedInSongfeng, signIn } from "./support";

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
