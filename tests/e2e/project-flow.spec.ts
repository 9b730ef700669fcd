import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { PLAN } from "../../prisma/demo-projects";
import { invitationLinks, personalData, postNeedWithPhoto, scanPublicRoutes } from "./public-scan";
import { e2eDatabase, freshOfficial, mailTo, signIn } from "./support";

/**
 * The whole life of a funded project in one journey, on the seeded JN6-0001 (友邻社工中心,
 * applicant@; its agreement waits for acceptance): the grantee accepts the agreement and an official countersigns; one official
 * prepares the first tranche and a second approves it (email over SMTP); the grantee files a
 * report with photos and an expense with a receipt; the official returns the report, the grantee
 * fixes it, the official approves it; with the mid-term milestone approved the second tranche is
 * paid; beneficiaries are registered and a call-back sample is drawn and recorded; the final
 * evaluation passes and the last tranche is paid; the public page shows it all — and no public
 * page carries a beneficiary's name or phone.
 */
// the journey, then the scan of every public route (about a minute on its own)
test.setTimeout(480_000);

const REF = "JN6-0001";
const BASE = `/projects/${REF}`;
const GRANTEE = "applicant@danghu.example";

async function as(browser: Browser, email: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

const jpeg = (hue: number) =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: `hsl(${hue}, 60%, 55%)` } })
    .jpeg()
    .toBuffer();

/** One official prepares the tranche, the other approves it. */
async function payTranche(preparer: Page, approver: Page, position: number, ref: string) {
  await preparer.goto(`${BASE}/agreement`);
  const tranche = preparer.getByTestId(`tranche-${position}`);
  await expect(tranche.getByTestId("tranche-status")).toHaveText("可拨付");
  await tranche.getByTestId("transfer-ref").fill(ref);
  await tranche.getByRole("button", { name: "登记拨付（第一步）" }).click();
  await expect(preparer.getByTestId("done")).toContainText("已登记");
  // the preparer cannot approve their own release
  await expect(preparer.getByTestId(`tranche-${position}`)).toContainText("登记人不能复核自己登记的拨付");
  await approver.goto(`${BASE}/agreement`);
  const row = approver.getByTestId(`tranche-${position}`);
  await row.locator("summary", { hasText: "复核并拨付（第二步）" }).click();
  await row.getByRole("button", { name: "复核并拨付（第二步）" }).click();
  await expect(approver.getByTestId(`tranche-${position}`).getByTestId("tranche-status")).toHaveText("已拨付");
}

/** The grantee writes the report of milestone `position` and submits it. */
async function fileReport(page: Page, position: number, narrative: string, photos: number) {
  await page.goto(`${BASE}/reports`);
  const row = page.getByTestId(`milestone-${position}`);
  await row.getByRole("button", { name: "填写报告" }).click();
  await expect(page).toHaveURL(new RegExp(`${BASE}/reports/[0-9a-f-]+$`));
  await page.getByLabel("进展情况").fill(narrative);
  await page.getByLabel("服务人数").fill("25");
  if (photos) {
    const files = [];
    for (let i = 0; i < photos; i++) files.push({ name: `活动照片${position}-${i + 1}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(40 * position + 15 * i) });
    await page.locator('input[name="photos"]').setInputFiles(files);
  }
  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByTestId("report-status")).toHaveText("待审核");
}

/** The official decides the latest report of milestone `position`. */
async function decideReport(page: Page, position: number, decision: "通过" | "退回修改", comment = "") {
  await page.goto(`${BASE}/reports`);
  await page.getByTestId(`milestone-${position}`).getByRole("link", { name: "查看报告" }).click();
  const form = page.getByTestId("decide-report");
  await form.getByLabel(decision).check();
  if (comment) await form.getByLabel(/意见/).fill(comment);
  await form.getByText("提交审核结果").click();
  await form.getByRole("button", { name: "确认" }).click();
  await expect(page.getByTestId("report-status")).toHaveText(decision === "通过" ? "已通过" : "已退回修改");
}

test("协议 → 拨付 → 监测 → 回访 → 评估: a funded project from agreement to its last tranche, public without personal data", async ({ browser }) => {
  expect(PLAN[REF]).toBe("AWAITING_ACCEPTANCE");
  const sql = await e2eDatabase();
  await sql.query(`UPDATE "User" SET locale = 'zh_CN' WHERE email = $1`, [GRANTEE]);
  await sql.end();
  const grantee = await as(browser, GRANTEE);
  const g = grantee.page;
  const officialA = await as(browser, await freshOfficial("项目专员"));
  const officialB = await as(browser, await freshOfficial("财务复核"));
  const a = officialA.page;
  const b = officialB.page;
  try {
    // 1. the agreement: generated from the proposal, accepted by the grantee, countersigned
    await g.goto(`${BASE}/agreement`);
    await expect(g.getByTestId("project-status")).toHaveText("待申报方确认协议");
    await expect(g.getByTestId("agreement-terms")).toContainText("双方义务");
    const pdf = await g.request.get(`${BASE}/agreement.pdf`);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const acceptForm = g.getByTestId("accept-form");
    await acceptForm.getByRole("checkbox").check();
    await acceptForm.getByRole("button", { name: "确认并接受协议" }).click();
    await expect(g.getByTestId("done")).toHaveText("已确认协议。");
    await expect(g.getByTestId("signatures")).toContainText("陈晓");

    await a.goto(`${BASE}/agreement`);
    const countersign = a.getByTestId("countersign-form");
    await countersign.getByRole("checkbox").check();
    await countersign.getByRole("button", { name: "会签协议" }).click();
    await expect(a.getByTestId("project-status")).toHaveText("实施中");

    // 2. the first tranche: prepared by one official, approved by another; the grantee is emailed
    await payTranche(a, b, 1, "ICBC-E2E-0001");
    const paidMail = await mailTo(GRANTEE, (m) => m.subject.includes("资金已拨付") && m.subject.includes(REF));
    expect(paidMail.text).toContain("ICBC-E2E-0001");

    // 3. a report with photos and an expense with a receipt; the report is returned, fixed, approved
    await fileReport(g, 1, "完成入户调研 30 户，招募志愿者 8 名。", 2);
    await expect(g.getByTestId("photos").getByRole("img")).toHaveCount(2);
    await g.goto(`${BASE}/expenses`);
    await g.getByText("登记一笔支出").click();
    const expense = g.getByTestId("new-expense");
    // spent today (Asia/Shanghai): an expense cannot predate the agreement, accepted just now
    await expense.getByLabel("支出日期").fill(new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }));
    await expense.getByLabel("收款方").fill("平湖市当湖惠民超市");
    await expense.getByLabel("金额（元）").fill("320.50");
    await expense.getByLabel("预算科目").selectOption({ index: 1 });
    await expense.getByLabel("用途说明").fill("助老活动物资");
    const receipt = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#fefefe" } }).png().toBuffer();
    await expense.locator('input[name="receipts"]').setInputFiles({ name: "票据.png", mimeType: "image/png", buffer: receipt });
    await expense.getByRole("button", { name: "提交支出" }).click();
    await expect(g.getByTestId("expenses")).toContainText("¥320.50");

    await decideReport(a, 1, "退回修改", "请补充活动签到表照片。");
    await g.goto(`${BASE}/reports`);
    await g.getByTestId("milestone-1").getByRole("link", { name: "查看报告" }).click();
    await expect(g.getByTestId("return-comment")).toContainText("请补充活动签到表照片。");
    await g.getByLabel("进展情况").fill("完成入户调研 30 户，招募志愿者 8 名；补充签到表照片。");
    await g.locator('input[name="photos"]').setInputFiles({ name: "签到表.jpg", mimeType: "image/jpeg", buffer: await jpeg(200) });
    await g.getByRole("button", { name: "修改后重新提交" }).click();
    await expect(g.getByTestId("report-status")).toHaveText("待审核");
    await decideReport(a, 1, "通过");

    await a.goto(`${BASE}/expenses`);
    const decide = a.getByTestId("decide-expense").first();
    await decide.getByLabel("通过").check();
    await decide.getByRole("button", { name: "提交审核结果" }).click();
    await expect(a.getByTestId("expense-status").first()).toHaveText("已通过");

    // the mid-term milestone: approved → the second tranche is paid
    await fileReport(g, 2, "开展中期活动 6 场，服务独居老人 25 人。", 1);
    await decideReport(b, 2, "通过");
    await payTranche(b, a, 2, "ICBC-E2E-0002");

    // 4. beneficiaries with consent; the monthly call-back sample drawn and recorded
    for (const [name, phone] of [
      ["钱阿婆", "13957001001"],
      ["孙老伯", "13957001002"],
    ]) {
      await g.goto(`${BASE}/beneficiaries`);
      const form = g.getByTestId("beneficiary-form");
      await form.getByLabel("姓名", { exact: true }).fill(name!);
      await form.getByLabel("手机号码", { exact: true }).fill(phone!);
      await form.getByLabel(/本人已同意/).check();
      await form.getByRole("button", { name: "登记" }).click();
      await expect(g.getByTestId("done")).toContainText("139****");
    }
    await a.goto(`${BASE}/callbacks`);
    await a.getByRole("button", { name: "抽取样本" }).click();
    await expect(a.getByTestId("sample-info")).toBeVisible();
    const calls = a.locator('[data-testid^="call-"]');
    const sampled = await calls.count();
    expect(sampled).toBeGreaterThan(0);
    for (let i = 0; i < sampled; i++) {
      const call = a.locator('[data-testid^="call-"]').nth(i);
      await call.getByLabel(i === 0 ? "满意" : "基本满意", { exact: true }).check();
      await call.getByRole("button", { name: "保存结果" }).click();
      await expect(a.locator('[data-testid^="call-"]').nth(i)).toContainText(i === 0 ? "满意" : "基本满意");
    }

    // 5. the last milestone and the final evaluation: pass → the last tranche is paid
    await fileReport(g, 3, "完成全部服务并召开成果分享会。", 1);
    await decideReport(a, 3, "通过");
    await a.goto(`${BASE}/evaluation`);
    const sheet = a.getByTestId("evaluation-sheet");
    for (const [label, points] of [
      ["目标达成", 26],
      ["服务质量与成效", 21],
      ["资金使用规范", 17],
      ["服务对象满意度", 13],
      ["档案与公开", 8],
    ] as const) {
      await sheet.getByLabel(label).fill(String(points));
    }
    await sheet.getByText("提交评估").click();
    await sheet.getByRole("button", { name: "确认提交" }).click();
    await expect(a.getByText("评估合格：85 分")).toBeVisible();
    await payTranche(a, b, 3, "ICBC-E2E-0003");
    await a.goto(`${BASE}/agreement`);
    await expect(a.getByTestId("paid-total")).toContainText("已拨付");
    for (const n of [1, 2, 3]) await expect(a.getByTestId(`tranche-${n}`).getByTestId("tranche-status")).toHaveText("已拨付");

    // 6. the public page, signed out: tranches paid, approved reports with photos, satisfaction as counts
    const visitor = await browser.newContext();
    const v = await visitor.newPage();
    await v.goto(BASE);
    await expect(v.getByRole("heading", { level: 1 })).toBeVisible();
    const html = await v.content();
    expect(html).not.toContain("ICBC-E2E");
    expect(html).toContain("完成全部服务并召开成果分享会。");
    expect(await v.locator("img").count()).toBeGreaterThanOrEqual(3);

    // no personal data on this journey's public pages, nor in the open data and the transparency
    // portal that sum it up (tests/e2e/public-scan.ts; public-scan.spec.ts walks every public route)
    const db = await e2eDatabase();
    const manager = await as(browser, "foundation@danghu.example");
    try {
      const arranged = { invitationLinks: await invitationLinks(manager.page, db) };
      await postNeedWithPhoto(g);
      const journey = ["13957001001", "13957001002"];
      const data = await personalData(db, {
        "a beneficiary's name": ["钱阿婆", "孙老伯"],
        "a beneficiary's phone": journey,
        "a beneficiary's phone, masked": journey.map((p) => `${p.slice(0, 3)}****${p.slice(-4)}`),
      });
      const journeyPages = (url: string) => url.includes(REF) || url.startsWith("/open-data/") || url.startsWith("/transparency") || url === "/projects";
      const scan = await scanPublicRoutes(visitor.request, db, data, arranged, journeyPages);
      expect(scan.problems).toEqual([]);
      expect(scan.scanned).toContain(BASE);
    } finally {
      await Promise.all([db.end(), manager.close()]);
    }
    await visitor.close();
  } finally {
    await Promise.all([grantee.close(), officialA.close(), officialB.close()]);
  }
});
