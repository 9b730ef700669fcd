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
