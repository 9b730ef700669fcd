import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../../prisma/demo-data";
import { freshOfficial, signIn } from "./support";

/**
 * 结项报告 and 年度工作报告: an official of JN6's area generates a draft of its closing report and
 * publishes it (the confirmation is required), the foundation's manager does the same for the
 * annual report; the public opens both from the round's and the foundation's pages, with their
 * fingerprints and files; the demo's showcase cases are on the subdistrict's showcase page. In
 * Chinese, with one look in English.
 */

async function generateAndPublish(page: Page, url: string, firstHeading: string) {
  await page.goto(url);
  await page.getByRole("button", { name: "生成草稿" }).click();
  const draft = page.getByTestId("report-draft");
  await expect(draft.getByRole("heading", { name: firstHeading })).toBeVisible();
  await expect(draft).toContainText(/SHA-256 [0-9a-f]{64}/);
  const form = page.getByTestId("report-publish-form");
  await form.getByRole("button", { name: "发布" }).click();
  await expect(page.getByTestId("report-publish-form").getByText("请勾选确认后再发布")).toBeVisible();
  await page.getByTestId("report-publish-form").getByLabel("我已核对草稿，确认发布；发布后不能修改或撤回").check();
  await page.getByTestId("report-publish-form").getByRole("button", { name: "发布" }).click();
  await expect(page).toHaveURL(/\/reports\/\d+\?published=1$/);
  await expect(page.getByTestId("done")).toHaveText("报告已发布。");
  const hash = (await page.getByTestId("report-hash").innerText()).match(/[0-9a-f]{64}/)![0];
  return { path: new URL(page.url()).pathname, hash };
}

test("officials publish JN6's closing report and the foundation's annual report; the public opens both and the showcase", async ({ page, browser }) => {
  await signIn(page, await freshOfficial("报告专员"));
  const round = await generateAndPublish(page, "/admin/rounds/JN6/report", "一、资金收支与结余");
  // the demo published version 1: this one is a later version, and both are listed
  await expect(page.getByTestId("report-versions").getByTestId("report-version")).toHaveCount(2);
  await expect(page.getByTestId("report-versions")).toContainText("（本页）");

  const manager = await browser.newContext();
  const managerPage = await manager.newPage();
  let annual: { path: string; hash: string };
  try {
    await signIn(managerPage, DEMO_ACCOUNTS.foundationManager.email);
    annual = await generateAndPublish(managerPage, "/admin/foundations/danghu-community-fund/annual-report", "一、捐赠收入情况");
    await expect(managerPage.getByTestId("report-section-fundraising")).toContainText("公开募捐备案编号");
  } finally {
    await manager.close();
  }

  const visitor = await browser.newContext();
  const pub = await visitor.newPage();
  try {
    await pub.goto("/rounds/JN6");
    await pub.locator(`a[href="${round.path}"]`).first().click();
    await expect(pub.getByTestId("report-title")).toContainText("结项报告");
    await expect(pub.getByTestId("report-hash")).toContainText(round.hash);
    await expect(pub.getByTestId("report-section-roundMoney")).toContainText("¥");
    const pdf = await pub.request.get((await pub.getByTestId("report-pdf").getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const xlsx = await pub.request.get((await pub.getByTestId("report-xlsx").getAttribute("href"))!);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString("latin1")).toBe("PK");

    await pub.goto("/foundations/danghu-community-fund");
    await pub.locator(`a[href="${annual!.path}"]`).first().click();
    await expect(pub.getByTestId("report-title")).toContainText("年度工作报告");
    await expect(pub.getByTestId("report-hash")).toContainText(annual!.hash);
    await expect(pub.getByTestId("report-section-receipts")).toBeVisible();

    await pub.goto("/areas/danghu");
    await pub.getByTestId("area-showcase").click();
    await expect(pub).toHaveURL(/\/areas\/danghu\/showcase$/);
    const cases = pub.getByTestId("showcase-case");
    await expect(cases).toHaveCount(2);
    await expect(cases.filter({ hasText: "JN6-0011" })).toContainText("闲置的活动室");

    // the cookie for the whole site (a URL with a path would scope it to that path)
    await visitor.addCookies([{ name: "lang", value: "en", url: new URL("/", pub.url()).href }]);
    await pub.reload();
    await expect(pub.getByRole("heading", { name: /Showcase cases/ })).toBeVisible();
    await expect(cases.filter({ hasText: "JN6-0011" })).toContainText("an idle room");
    await pub.goto(round.path);
    await expect(pub.getByRole("heading", { name: "1. Money in, out and unspent" })).toBeVisible();
  } finally {
    await visitor.close();
  }
});
