import { expect, test, type Page } from "@playwright/test";
import { mailTo, signIn, uniqueEmail } from "./support";

/**
 * Giving in demo payments mode: a visitor gives ¥200 to the Danghu fund by WeChat Pay on
 * the labelled local checkout page, whose "pay" button posts a signed Stripe-format event to the
 * webhook; the thanks page shows the receipt number and the 1:1 match from the open campaign; the
 * receipt arrives over SMTP; the donor wall (the donor agreed to be named) and the fund's ledger-derived figures move; the fund's
 * manager refunds the gift (with a confirmation step) and the figures move back.
 */
const FUND = "/foundations/danghu-community-fund";
const fen = (text: string | null) => Math.round(Number((text ?? "").replace(/[^\d.-]/g, "")) * 100);

async function inflowNet(page: Page) {
  await page.goto(FUND);
  return fen(await page.getByTestId("inflow-net").textContent());
}

test("a visitor gives ¥200 by WeChat Pay in demo mode; receipt email; wall, balance and match; the manager refunds it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("donor");
  const name = `测试捐赠人${Date.now().toString(36).slice(-5)}`;
  const before = await inflowNet(page);

  await page.getByTestId("give-button").click();
  await expect(page).toHaveURL(/\/foundations\/danghu-community-fund\/donate/);
  await expect(page.getByTestId("demo-payments-banner")).toBeVisible();
  await expect(page.getByTestId("stripe-notice")).toBeVisible();
  await expect(page.getByTestId("donate-matching")).toBeVisible();
  await page.getByLabel("捐赠金额（元）").fill("200");
  await page.getByLabel("微信支付").check();
  await page.getByRole("textbox", { name: /^姓名或称呼/ }).fill(name);
  await page.getByLabel("电子邮箱（接收收据）").fill(email);
  await page.getByLabel("我已阅读并同意以上说明").check();
  // being named publicly is a separate, optional consent, unticked until the donor ticks it
  const naming = page.getByLabel(/我同意公开我的姓名或称呼和留言/);
  await expect(naming).not.toBeChecked();
  await expect(page.getByTestId("donate-naming")).toContainText("CC BY 4.0");
  await expect(page.getByRole("link", { name: /阅读隐私政策/ })).toHaveAttribute("href", "/privacy");
  await naming.check();
  await page.getByRole("button", { name: "前往支付" }).click();

  // the local stand-in for Stripe Checkout, clearly labelled
  await expect(page).toHaveURL(/\/checkout\/demo\/cs_demo_/);
  await expect(page.getByTestId("demo-checkout-banner")).toBeVisible();
  await expect(page.getByTestId("demo-qr")).toBeVisible();
  await page.getByRole("button", { name: "支付 ¥200.00" }).click();

  // thanks page: paid, numbered, matched
  await expect(page).toHaveURL(/\/donations\/[\w-]+/);
  await expect(page.getByTestId("donation-status")).toHaveText("捐赠成功");
  const receiptNo = (await page.getByTestId("receipt-no").textContent())!.trim();
  expect(receiptNo).toMatch(/^DH-\d{4}-\d{6}$/);
  await expect(page.getByTestId("donation-matched")).toContainText("¥200.00");
  await expect(page.getByTestId("donation-email")).not.toContainText(email);

  // the receipt, over SMTP, with a link to the printable receipt
  const receipt = await mailTo(email, (m) => m.subject.includes(receiptNo));
  expect(receipt.text).toContain("¥200.00");
  expect(receipt.text).toContain("微信支付");
  const printable = /https?:\/\/\S+\/donations\/[\w-]+\/receipt/.exec(receipt.text)?.[0];
  expect(printable).toBeTruthy();
  await page.goto(new URL(printable!).pathname);
  await expect(page.getByText(receiptNo).first()).toBeVisible();
  await expect(page.getByText("贰佰元整").first()).toBeVisible();

  // the public fund page: on the donor wall with its match; inflows up by gift + match (from the ledger)
  expect(await inflowNet(page)).toBe(before + 40_000);
  const mine = page.getByTestId("donor").filter({ hasText: name });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("donor-amount")).toContainText("¥200.00");
  await expect(mine.getByTestId("donor-matched")).toContainText("¥200.00");
  expect(await page.content()).not.toContain(email);

  // the fund's manager finds the gift and refunds it, after confirming
  const manager = await browser.newPage();
  await signIn(manager, "foundation@danghu.example");
  await manager.goto(`/admin/foundations/danghu-community-fund?q=${encodeURIComponent(receiptNo)}`);
  await manager.getByRole("link", { name: /^G-/ }).first().click();
  await expect(manager.getByTestId("donor-email")).toContainText(email);
  await manager.getByLabel("退款金额（元）").fill("200");
  await manager.getByLabel("退款原因").fill("捐赠人要求退回");
  await manager.getByRole("button", { name: "下一步：确认退款" }).click();
  await expect(manager.getByTestId("refund-confirm")).toBeVisible();
  await manager.getByRole("button", { name: "确认退款", exact: true }).click();
  await expect(manager.getByTestId("refunded")).toContainText("¥200.00");
  await manager.close();

  const refundMail = await mailTo(email, (m) => m.subject.includes("退款") && m.subject.includes(receiptNo));
  expect(refundMail.text).toContain("捐赠人要求退回");
  // off the wall; the fund's inflows back where they were (gift and match reversed)
  expect(await inflowNet(page)).toBe(before);
  await expect(page.getByTestId("donor").filter({ hasText: name })).toHaveCount(0);
});

/**
 * 定向募捐: the Donghu micro-fund has no public-fundraising filing. Its manager issues a code for a
 * defined group; a visitor without it finds no give button and a 404 donate page; with it (typed
 * on the fund's page) the donate page says whom the appeal is for and the gift goes through; once
 * revoked (after a question) the link is a 404 again.
 */
test("a directed fund: the manager issues a code, a visitor without it gets 404, with it gives; revoked, the link is closed", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const MICRO = "/foundations/donghu-neighbours-fund";
  const group = `东湖社区第${Date.now().toString(36).slice(-4)}网格居民`;

  const manager = await browser.newPage();
  await signIn(manager, "foundation@danghu.example");
  await manager.goto("/admin/foundations/donghu-neighbours-fund/invitations");
  await manager.getByLabel(/募捐对象（中文）/).fill(group);
  await manager.getByLabel(/募捐对象（英文）/).fill("Residents of one Donghu grid");
  await manager.getByLabel(/可用次数上限/).fill("5");
  await manager.getByRole("button", { name: "生成募捐码" }).click();
  const code = (await manager.getByTestId("issued-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const link = await manager.getByTestId("issued").getByTestId("invitation-link").inputValue();
  expect(link).toContain(`/foundations/donghu-neighbours-fund/donate?code=${code}`);

  // a visitor without the code: no give button, the donate page does not exist for them
  await page.goto(MICRO);
  await expect(page.getByTestId("foundation-balance")).toBeVisible();
  await expect(page.getByTestId("give-button")).toHaveCount(0);
  await expect(page.getByTestId("directed-only")).toBeVisible();
  expect((await page.goto(`${MICRO}/donate`))?.status()).toBe(404);

  // with the code, typed as a person would
  await page.goto(MICRO);
  await page.getByLabel("我有定向募捐码").fill(code.replaceAll("-", " ").toLowerCase());
  await page.getByRole("button", { name: "前往捐赠" }).click();
  await expect(page).toHaveURL(new RegExp(`/donate\\?code=${code}`));
  await expect(page.getByTestId("directed-audience")).toContainText(`本次定向募捐仅面向：${group}`);
  await page.getByLabel("捐赠金额（元）").fill("30");
  await page.getByLabel("支付宝").check();
  await page.getByRole("textbox", { name: /^姓名或称呼/ }).fill("东湖居民");
  await page.getByLabel("电子邮箱（接收收据）").fill(uniqueEmail("directed"));
  await page.getByLabel("我已阅读并同意以上说明").check();
  await page.getByRole("button", { name: "前往支付" }).click();
  await expect(page).toHaveURL(/\/checkout\/demo\/cs_demo_/);
  await page.getByRole("button", { name: "支付 ¥30.00" }).click();
  await expect(page.getByTestId("donation-status")).toHaveText("捐赠成功");

  // the manager sees the use, and revokes the code after confirming
  await manager.reload();
  const row = manager.getByTestId("invitation").filter({ hasText: code });
  await expect(row.getByTestId("invitation-uses")).toContainText("已使用 1 / 5 次");
  await row.getByText("撤销", { exact: true }).click();
  await row.getByRole("button", { name: "确认撤销" }).click();
  await expect(manager.getByTestId("invitation").filter({ hasText: code }).getByTestId("invitation-state")).toHaveText("已撤销");
  await manager.close();
  expect((await page.goto(new URL(link).pathname + new URL(link).search))?.status()).toBe(404);
});
