import { strFromU8, unzipSync } from "fflate";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { linkIn, mailTo, signIn, uniqueEmail } from "./support";

const PASSWORD = "床前明月光疑是地上霜";

/**
 * Personal-data rights end to end: a donor signs up, gives ¥20 signed in, asks for a copy of their
 * data on the account page, follows the e-mailed link, downloads the ZIP (their gift and name in
 * it), then deletes their account with password and confirmation; they are signed out and can no
 * longer sign in.
 */
test("a donor downloads their data and deletes their account", async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("pipl");
  const name = `数据权利${Date.now().toString(36).slice(-5)}`;

  await page.goto("/signup");
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel(/邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill(PASSWORD);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("viewer-role")).toBeVisible();

  // a gift, signed in, through the demo checkout
  await page.goto("/foundations/danghu-community-fund/donate");
  await page.getByLabel("捐赠金额（元）").fill("20");
  await page.getByLabel("微信支付").check();
  await page.getByRole("textbox", { name: /^姓名或称呼/ }).fill(name);
  await page.getByLabel("我已阅读并同意以上说明").check();
  await page.getByRole("button", { name: "前往支付" }).click();
  await page.getByRole("button", { name: "支付 ¥20.00" }).click();
  await expect(page.getByTestId("donation-status")).toHaveText("捐赠成功");

  // ask for a copy; one request at a time
  await page.goto("/account");
  await page.getByRole("button", { name: "申请下载我的数据" }).click();
  await expect(page.getByTestId("account-notice")).toContainText("已收到您的申请");
  await expect(page.getByTestId("export-state")).toBeVisible();

  const mail = await mailTo(email, (m) => m.subject.includes("个人信息副本"));
  const link = new URL(linkIn(mail, "/account/export"));
  await page.goto(link.pathname + link.search);
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-download").click();
  const download = await downloading;
  const zip = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
  const data = JSON.parse(strFromU8(zip["data.json"]!)) as { tables: Record<string, Record<string, unknown>[]> };
  expect(data.tables.User![0]).toMatchObject({ name, email });
  expect(data.tables.Donation![0]).toMatchObject({ donorName: name, amountFen: 2000 });
  // the consents given at sign-up and with the gift
  expect(data.tables.Consent!.map((c) => c.kind).sort()).toEqual(["DONATION_PRIVACY", "PRIVACY_NOTICE"]);
  await page.goto("/account");
  await expect(page.getByTestId("export-state")).toContainText("已生成");

  // delete the account: the retention table, then password and the box
  await page.getByRole("link", { name: "注销我的账户" }).click();
  await expect(page.getByTestId("retention-table")).toContainText("30 年");
  await page.getByRole("button", { name: "永久注销我的账户" }).click();
  await expect(page.getByText("请勾选确认框。")).toBeVisible();
  await page.getByLabel("当前密码").fill(PASSWORD);
  await page.getByLabel(/我明白注销不可撤销/).check();
  await page.getByRole("button", { name: "永久注销我的账户" }).click();
  await expect(page.getByTestId("deleted")).toContainText("您的账户已注销");
  await expect(page.getByTestId("viewer-role")).toHaveCount(0);

  // the old address and password no longer sign anyone in
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("alert")).toBeVisible();
});
