import { expect, test } from "@playwright/test";
import { freshOfficial, signIn } from "./support";

/**
 * 通报: an official publishes the last closed quarter's ranking from the dashboard — the box that
 * confirms it cannot be undone is required, and the note typed is kept when it is missing — and
 * the public finds the notice from the subdistrict's page, with the bottom three named, in Chinese
 * and in English.
 */
function lastClosedQuarter(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const q = Math.floor(local.getUTCMonth() / 3) + 1;
  return q === 1 ? `${local.getUTCFullYear() - 1}-Q4` : `${local.getUTCFullYear()}-Q${q - 1}`;
}

test("an official publishes the quarterly ranking; the public reads it in both languages", async ({ page, browser }) => {
  const quarter = lastClosedQuarter();
  const note = `${quarter} 季度通报：排名后三位的组织请在下月底前提交整改说明。`;
  await signIn(page, await freshOfficial("通报专员"));
  await page.goto(`/admin/dashboard?area=danghu&quarter=${quarter}#ranking`);
  const form = page.getByTestId("notice-form");
  await expect(form.getByRole("heading", { name: `发布 ${quarter} 季度排名通报` })).toBeVisible();
  await form.getByLabel("通报说明").fill(note);
  await form.getByRole("button", { name: "发布通报" }).click();
  // not confirmed: refused on the page, the note kept
  await expect(page.getByTestId("notice-form").getByText("请勾选确认后再发布。")).toBeVisible();
  await expect(page.getByTestId("notice-form").getByLabel("通报说明")).toHaveValue(note);
  await page.getByTestId("notice-form").getByLabel("我确认：发布后不能修改或撤回").check();
  await page.getByTestId("notice-form").getByRole("button", { name: "发布通报" }).click();

  await expect(page).toHaveURL(/\/ranking-notices\/\d+\?published=1$/);
  await expect(page.getByTestId("done")).toHaveText("通报已发布。");
  await expect(page.getByTestId("notice-note")).toHaveText(note);
  const bottom = (await page.getByTestId("notice-bottom").innerText()).replace(/^排名后三位：/, "").split("、");
  expect(bottom).toHaveLength(3);
  await expect(page.getByTestId("notice-hash")).toContainText(/[0-9a-f]{64}/);
  const noticeUrl = new URL(page.url()).pathname;

  // the public: from the subdistrict's page to the list, to the notice
  const visitor = await browser.newContext();
  const pub = await visitor.newPage();
  try {
    await pub.goto("/areas/danghu");
    await pub.getByTestId("area-rankings").click();
    await expect(pub).toHaveURL(/\/areas\/danghu\/rankings$/);
    const item = pub.getByTestId("ranking-notice-item").filter({ has: pub.locator(`a[href="${noticeUrl}"]`) });
    await expect(item).toContainText(`排名后三位：${bottom.join("、")}`);
    await item.getByRole("link").click();
    await expect(pub.getByTestId("notice-note")).toHaveText(note);
    await expect(pub.getByTestId("notice-rows").locator("tbody tr").filter({ hasText: bottom[0]! })).toContainText("排名后三位");

    const pdf = await pub.request.get((await pub.getByTestId("notice-pdf").getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    await visitor.addCookies([{ name: "lang", value: "en", url: pub.url() }]);
    await pub.reload();
    await expect(pub.getByRole("heading", { name: `Ranking notice, ${quarter}` })).toBeVisible();
    await expect(pub.getByTestId("notice-bottom")).toHaveText(`Bottom three: ${bottom.join(", ")}`);
  } finally {
    await visitor.close();
  }
});
