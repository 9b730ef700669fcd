import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { usccCheckChar } from "../../app/domain/uscc";
import { freshOfficial, linkIn, mailTo, newResident, signIn } from "./support";

/**
 * 结对共建: an official of 当湖街道 registers a partner unit for 松枫社区 (its code checked, its
 * contact's phone shown masked), records the rice it gave the community's charity shop with its
 * valuation and downloads the received-goods note; a visitor sees the unit on the community's page,
 * labelled in-kind and without the phone, and on its own page, in Chinese and in English.
 */
test.setTimeout(180_000);

test("an official registers and pairs a unit, records an in-kind gift and downloads its note; the public sees the unit", async ({ browser }) => {
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  const name = `当湖共建测试公司${tag}`;
  const body = `91330482MA2E${tag.padStart(5, "0").slice(-5)}`.replace(/[IOZSV]/g, "1");
  const uscc = body + usccCheckChar(body)!;
  const phone = `139${String(Date.now()).slice(-8)}`;

  const page = await (await browser.newContext()).newPage();
  await signIn(page, await freshOfficial("结对专员"));
  await page.goto("/areas/songfeng/partners");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("结对共建单位");

  // a wrong check character is refused, and what was typed stays
  const create = page.getByTestId("create-panel");
  await create.getByLabel("单位名称").fill(name);
  await create.getByLabel("统一社会信用代码").fill(body + (uscc.endsWith("0") ? "1" : "0"));
  await create.getByLabel("联系人姓名").fill("周主任");
  await create.getByLabel("联系人手机").fill(phone);
  await create.getByRole("button", { name: "登记并结对" }).click();
  await expect(create.getByText("校验码不符")).toBeVisible();
  await expect(create.getByLabel("单位名称")).toHaveValue(name);
  await create.getByLabel("统一社会信用代码").fill(uscc);
  await create.getByLabel("联系人手机").fill(phone);
  await create.getByRole("button", { name: "登记并结对" }).click();
  await expect(page.getByText("单位已登记并结对。")).toBeVisible();
  const row = page.getByTestId("paired-unit").filter({ hasText: name });
  await expect(row.getByTestId("masked-phone")).toHaveText(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  await expect(page.locator("body")).not.toContainText(phone);

  // the rice for the charity shop, valued by its invoice
  const gift = page.getByTestId("gift-panel");
  await gift.getByLabel("捐赠方").selectOption("UNIT");
  await gift.getByLabel("结对单位", { exact: true }).selectOption({ label: name });
  await gift.getByLabel("类别").selectOption("GOODS");
  await gift.getByLabel("物品或服务").fill(`爱心大米${tag}`);
  await gift.getByLabel("数量").fill("20");
  await gift.getByLabel("计量单位").fill("袋");
  await gift.getByLabel("估值依据").selectOption("INVOICE");
  await gift.getByLabel("估值（元）").fill("1180");
  await gift.getByLabel("接收方").selectOption("SHOP");
  await gift.getByRole("button", { name: "登记", exact: true }).click();
  await expect(page.getByText("已登记捐赠。")).toBeVisible();
  await expect(page.getByTestId("gift-register").getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` })).toContainText("¥1,180.00");

  // the received-goods note for the giver
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("recorded-note").getByRole("link").click()]);
  expect(download.suggestedFilename()).toMatch(/^收货确认单-\d+\.pdf$/);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

  // the quantity was miscounted: a correction, refused first with what was typed kept, then saved
  await page.getByTestId("gift-register").getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` }).getByTestId("correct-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("更正捐赠登记");
  const correct = page.getByTestId("correct-panel");
  await correct.getByLabel(/^数量/).fill("0");
  await correct.getByLabel("估值（元）").fill("1062");
  await correct.getByLabel("更正原因").fill("点货时数量记错");
  await correct.getByRole("button", { name: "保存更正" }).click();
  await expect(correct.getByText("数量须为正整数")).toBeVisible();
  await expect(correct.getByLabel("更正原因")).toHaveValue("点货时数量记错");
  await expect(correct.getByLabel("估值（元）")).toHaveValue("1062");
  await correct.getByLabel(/^数量/).fill("18");
  await correct.getByRole("button", { name: "保存更正" }).click();
  await expect(page.getByTestId("done")).toContainText("已更正");
  await expect(page.getByTestId("gift-history").getByTestId("history-row")).toHaveCount(2);
  await expect(page.getByTestId("gift-history")).toContainText("点货时数量记错");
  await page.goto("/areas/songfeng/partners");
  const correctedRow = page.getByTestId("gift-register").getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` });
  await expect(correctedRow).toHaveCount(1);
  await expect(correctedRow).toContainText("¥1,062.00");
  await expect(correctedRow.getByTestId("corrected")).toContainText("已更正");

  // the public: the community's page shows the unit and its gift in kind, never the phone
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/areas/songfeng");
  const partners = visitor.getByTestId("community-partners");
  const card = partners.getByTestId("community-partner").filter({ hasText: name });
  await expect(card).toContainText("实物捐赠");
  await expect(card).toContainText("¥1,062.00");
  await expect(partners.getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` }).getByTestId("corrected")).toContainText("已更正");
  await expect(visitor.locator("body")).not.toContainText(phone);
  await expect(visitor.locator("body")).not.toContainText(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  await expect(visitor.locator("body")).not.toContainText("周主任");
  await card.getByRole("link", { name }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(visitor.getByTestId("unit-gifts")).toContainText(`爱心大米${tag}`);

  // in English
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(visitor.getByTestId("unit-gifts")).toContainText("Gifts in kind");
  await expect(visitor.getByTestId("unit-gifts").getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` })).toContainText("Invoice");
  await expect(visitor.getByTestId("unit-gifts").getByTestId("gift-row").filter({ hasText: `爱心大米${tag}` })).toContainText("Corrected");
  const unitPath = new URL(visitor.url()).pathname;

  // a member invited by e-mail: the official sends the invitation, the resident accepts it from the mail
  const resident = await newResident(browser, "结对单位成员");
  await page.goto(`${unitPath}/manage`);
  const invite = page.getByTestId("unit-invitations");
  await invite.getByLabel("被邀请人的邮箱").fill("not-an-address");
  await invite.getByRole("button", { name: "发送邀请" }).click();
  await expect(invite.getByText("请填写有效的邮箱地址。")).toBeVisible();
  await invite.getByLabel("被邀请人的邮箱").fill(resident.email);
  await invite.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByText("邀请邮件已发出。")).toBeVisible();
  await expect(invite.getByTestId("pending-invitation")).toHaveCount(1);
  await expect(page.locator("body")).not.toContainText(resident.email);
  const mail = await mailTo(resident.email, (m) => m.text.includes("/partners/invitations/"));
  expect(mail.subject).toContain(name);
  await resident.page.goto(linkIn(mail, "/partners/invitations/"));
  await expect(resident.page.getByTestId("partner-invitation")).toContainText(name);
  await resident.page.getByRole("button", { name: "接受邀请" }).click();
  await expect(resident.page.getByRole("heading", { level: 1 })).toHaveText(name);
  await page.reload();
  await expect(page.getByTestId("unit-members")).toContainText("结对单位成员");
  await expect(invite.getByTestId("pending-invitation")).toHaveCount(0);
  await resident.close();
});
