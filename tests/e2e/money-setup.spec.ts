import { expect, test } from "@playwright/test";
import { freshOfficial, roundCode, signIn } from "./support";

test("an official sets up a foundation, records an appropriation and funds a round from it", async ({ page }) => {
  const email = await freshOfficial("拨款专员");
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const prefix = `E${suffix.toUpperCase().slice(-6)}`;
  const name = `新仓社区发展基金${suffix}`;
  await signIn(page, email);

  // the header links officials of a subdistrict to the money set-up
  await page.getByRole("link", { name: "基金与拨款" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("基金与财政拨款");
  await page.getByRole("link", { name: "设立基金" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("设立社区基金");

  // the form's own problems are said in the browser; the database's — the demo fund's prefix is
  // taken — by the server, with everything typed kept
  await page.getByLabel("所属地区").selectOption({ label: "当湖街道（街道）" });
  await page.getByLabel("网址名").fill(`xincang-${suffix}`);
  await page.getByLabel("收据编号前缀").fill("dh");
  await page.getByRole("combobox", { name: /^公开募捐备案/ }).selectOption("none");
  await page.getByRole("button", { name: "设立基金" }).click();
  await expect(page.getByText("请填写基金的中文名称（至少 2 个字）")).toBeVisible();
  await page.getByLabel("基金名称（中文）").fill(name);
  await page.getByRole("button", { name: "设立基金" }).click();
  await expect(page.getByText(/收据前缀已被“当湖街道社区发展基金”使用/)).toBeVisible();
  await expect(page.getByLabel("网址名")).toHaveValue(`xincang-${suffix}`);
  await expect(page.getByLabel("基金名称（中文）")).toHaveValue(name);
  await expect(page.getByLabel("收据编号前缀")).toHaveValue("dh");

  await page.getByLabel("收据编号前缀").fill(prefix.toLowerCase());
  await page.getByRole("button", { name: "设立基金" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/foundations/xincang-${suffix}/money\\?created=1$`));
  await expect(page.getByTestId("done")).toHaveText("基金已设立。");
  await expect(page.getByTestId("fund-prefix")).toHaveText(prefix);
  await expect(page.getByTestId("fund-available")).toContainText("¥0.00");
  await expect(page.getByText("还没有财政拨款")).toBeVisible();

  // a large appropriation is confirmed before it is booked
  await page.getByLabel("金额（元）").fill("2,000,000");
  await page.getByLabel("拨款文号").fill("平财预〔2026〕88号");
  await page.getByRole("button", { name: "登记入账" }).click();
  await expect(page.getByTestId("confirm-amount")).toHaveText("¥2,000,000.00");
  await expect(page.getByLabel("拨款文号")).toHaveValue("平财预〔2026〕88号");
  await page.getByRole("button", { name: "确认，登记入账" }).click();
  await expect(page.getByTestId("done")).toHaveText("财政拨款已入账。");
  await expect(page.getByTestId("fund-available")).toContainText("¥2,000,000.00");
  await expect(page.getByTestId("appropriation-list")).toContainText("平财预〔2026〕88号");

  // the new foundation is offered on the round form and the pool is drawn from it
  const code = roundCode("M");
  await page.goto("/admin/rounds/new");
  await page.getByLabel("轮次代码").fill(code);
  await page.getByRole("combobox", { name: "地区", exact: true }).selectOption({ label: "当湖街道（街道）" });
  const fund = page.getByLabel("资金来源（基金）");
  await fund.selectOption((await fund.locator("option", { hasText: name }).getAttribute("value"))!);
  await page.getByLabel("标题").fill(`新基金创投 ${code}`);
  await page.getByLabel("简介与规则说明").fill("端到端测试：由新设立的基金注资。");
  await page.getByLabel("资金池（元）").fill("30,000");
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/rounds/${code}\\?created=1$`));

  await page.goto(`/admin/foundations/xincang-${suffix}/money`);
  await expect(page.getByTestId("fund-available")).toContainText("¥1,970,000.00");
  // the public page of the foundation shows the appropriation among its inflows
  await page.goto(`/foundations/xincang-${suffix}`);
  await expect(page.getByText(/平财预〔2026〕88号/).first()).toBeVisible();
});
