import { expect, test } from "@playwright/test";
import { selectDanghuFund, signIn } from "./support";

const uniqueCode = () => `E${Date.now().toString(36).toUpperCase().slice(-5)}${Math.random().toString(36).slice(2, 4).toUpperCase()}`;

test("an official sets up a round, fixes the rubric, opens it; the public reads it in both languages; a community official may not manage it", async ({ page, browser }) => {
  const code = uniqueCode();
  const title = `端到端测试创投 ${code}`;
  await signIn(page, "official@danghu.example");
  await page.goto("/admin/rounds");
  await page.getByRole("link", { name: "新建创投轮次" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("新建创投轮次");

  await page.getByLabel("轮次代码").fill(code);
  await page.getByRole("combobox", { name: "地区", exact: true }).selectOption({ label: "当湖街道（街道）" });
  await selectDanghuFund(page);
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("简介与规则说明").fill("端到端测试：居民点单、社区派单、组织接单。");
  await page.getByLabel("资金池（元）").fill("12,000");
  // defaults are filled in: ¥5,000–¥15,000, the three categories, a 100-point rubric
  await expect(page.getByLabel("每个项目最低资助额（元）")).toHaveValue("5000");
  await expect(page.getByLabel("每个项目最高资助额（元）")).toHaveValue("15000");
  await expect(page.getByLabel("类别 3 中文名称")).toHaveValue("文体康乐类");
  await expect(page.getByTestId("rubric-sum")).toHaveText("合计 100 分（应为 100 分）");

  // a rubric of 95 points is refused, naming the sum, with everything typed kept
  await page.getByLabel("评分项 1 满分").fill("20");
  await expect(page.getByTestId("rubric-sum")).toHaveText("合计 95 分（应为 100 分）");
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page.getByText("各评分项满分合计 95 分，应为 100 分")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/rounds\/new/);
  await expect(page.getByLabel("轮次代码")).toHaveValue(code);
  await expect(page.getByLabel("标题")).toHaveValue(title);
  await expect(page.getByLabel("资金池（元）")).toHaveValue("12,000");
  await expect(page.getByLabel("评分项 1 满分")).toHaveValue("20");

  await page.getByLabel("评分项 1 满分").fill("25");
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/rounds/${code}\\?created=1$`));
  await expect(page.getByTestId("round-notice")).toHaveText("创投轮次已创建，资金池已划入。");
  const panel = page.getByTestId("phase-panel");
  await expect(panel.getByTestId("phase-badge")).toHaveText("筹备中（未公开）");

  // a draft is not public
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  expect((await visitor.goto(`/rounds/${code}`))?.status()).toBe(404);

  // DRAFT → NEEDS behind a confirmation
  await panel.getByText("进入下一阶段：需求征集").click();
  await expect(panel.getByText(/确定将本轮从“筹备中（未公开）”推进到“需求征集”吗/)).toBeVisible();
  await panel.getByRole("button", { name: "确认进入下一阶段" }).click();
  await expect(page.getByTestId("move-notice")).toHaveText("已进入“需求征集”阶段，相关人员已收到通知。");
  await expect(panel.getByTestId("phase-badge")).toHaveText("需求征集");
  await expect(page.getByTestId("phase-history").getByRole("listitem")).toHaveCount(2);
  await expect(page.getByTestId("phase-history")).toContainText("推进到“需求征集”");
  await expect(panel.getByText("进入下一阶段：项目申报")).toBeVisible();

  // the settings are in the set-up page's steps, the last one saving
  const steps = page.getByRole("navigation", { name: "设置步骤" });
  await expect(steps.getByRole("link")).toHaveText(["1. 基本信息", "2. 时间安排", "3. 资金", "4. 规则", "5. 核对并保存"]);
  await steps.getByRole("link", { name: "4. 规则" }).click();
  await expect(page).toHaveURL(/#step-rules$/);
  await expect(page.getByRole("heading", { name: "第 4 步（共 5 步）：规则" })).toBeInViewport();
  await expect(page.getByTestId("step-review").getByRole("button", { name: "保存设置" })).toBeVisible();
  // a refused save keeps what was typed, in its step
  await page.getByLabel("标题").fill(`${title}（未保存）`);
  await page.getByLabel("评分项 1 满分").fill("20");
  await page.getByRole("button", { name: "保存设置" }).click();
  await expect(page.getByText("各评分项满分合计 95 分，应为 100 分")).toBeVisible();
  await expect(page.getByTestId("step-basics").getByLabel("标题")).toHaveValue(`${title}（未保存）`);
  await expect(page.getByTestId("step-rules").getByLabel("评分项 1 满分")).toHaveValue("20");
  await page.getByLabel("评分项 1 满分").fill("25");

  // once needs collection has started its date is locked; the rest of the settings still save
  await expect(page.getByLabel(/需求征集开始/)).toHaveAttribute("readonly", "");
  await expect(page.getByLabel("标题")).not.toHaveAttribute("readonly", "");
  await page.getByLabel("标题").fill(`${title}（修订）`);
  await page.getByRole("button", { name: "保存设置" }).click();
  await expect(page.getByTestId("round-notice")).toHaveText("设置已保存。");
  await expect(page.getByLabel("标题")).toHaveValue(`${title}（修订）`);
  // choices survive the page being rebuilt after the save
  await expect(page.getByLabel("第 1 笔 拨付时点")).toHaveValue("AGREEMENT");
  // a second save builds on the version the first one wrote
  await page.getByLabel("标题").fill(title);
  await page.getByRole("button", { name: "保存设置" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`管理：${title}`);
  await page.reload();
  await expect(page.getByLabel("标题")).toHaveValue(title);

  // the public page, in Chinese and then in English
  await visitor.goto(`/rounds/${code}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(visitor.getByTestId("phase-badge")).toHaveText("需求征集");
  await expect(visitor.getByTestId("round-pool")).toHaveText("¥12,000.00");
  await expect(visitor.getByTestId("round-rubric")).toContainText("需求契合度");
  await expect(visitor.getByTestId("round-timeline").locator("[aria-current=step]")).toContainText("需求征集开始");
  await expect(visitor.getByRole("link", { name: "申报项目" })).toHaveCount(0);
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(visitor.getByTestId("phase-badge")).toHaveText("Collecting needs");
  await expect(visitor.getByRole("heading", { name: "Timetable" })).toBeVisible();
  await expect(visitor.getByTestId("round-rubric")).toContainText("Fit with community needs");
  await expect(visitor.getByTestId("round-timeline").locator("[aria-current=step]")).toContainText("Needs collection starts");
  await visitor.goto("/rounds");
  await expect(visitor.getByRole("link", { name: title })).toBeVisible();
  await anonymous.close();

  // a community official has no say over a subdistrict's round
  const other = await browser.newContext();
  const songfeng = await other.newPage();
  await signIn(songfeng, "songfeng@danghu.example");
  expect((await songfeng.goto(`/admin/rounds/${code}`))?.status()).toBe(403);
  await other.close();
});

test("without JavaScript the round form still refuses a bad rubric and keeps every row typed", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "official@danghu.example");
  await page.goto("/admin/rounds/new");
  // three categories plus two blank rows for new ones
  await expect(page.getByTestId("category-rows").getByRole("listitem")).toHaveCount(5);
  const code = uniqueCode();
  await page.getByLabel("轮次代码").fill(code);
  await page.getByLabel("标题").fill(`无脚本测试 ${code}`);
  await page.getByLabel("类别 4 中文名称").fill("环境保护类");
  await page.getByLabel("类别 4 英文名称").fill("Environment");
  await page.getByLabel("评分项 6 满分").fill("10");
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page.getByText("各评分项满分合计 110 分，应为 100 分")).toBeVisible();
  await expect(page.locator("#new-round-areaId-errors")).toHaveText("请选择地区");
  await expect(page.getByLabel("类别 4 中文名称")).toHaveValue("环境保护类");
  await expect(page.getByLabel("评分项 6 满分")).toHaveValue("10");
  await expect(page.getByLabel("轮次代码")).toHaveValue(code);
  await context.close();
});

test("a community official asks for the subdistrict's fund; the round waits as a draft until another official of the subdistrict approves", async ({ page, browser }) => {
  // two people in two browser contexts, each signing in: more than one person's journey takes
  test.slow();
  const code = uniqueCode();
  const title = `社区申请资金测试 ${code}`;
  await signIn(page, "songfeng@danghu.example");
  await page.goto("/admin/rounds/new");
  await page.getByLabel("轮次代码").fill(code);
  const area = page.getByRole("combobox", { name: "地区", exact: true });
  await area.selectOption((await area.locator("option", { hasText: "松枫社区" }).getAttribute("value"))!);
  // the subdistrict's fund is offered, marked as needing its approval
  const fund = page.getByLabel("资金来源（基金）");
  const option = fund.locator("option", { hasText: "当湖街道社区发展基金" });
  await expect(option).toContainText("需基金所属地区批准");
  await fund.selectOption((await option.getAttribute("value"))!);
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("资金池（元）").fill("12,000");
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/rounds/${code}\\?requested=1$`));
  await expect(page.getByTestId("round-notice")).toContainText("资金池已提交基金所属地区审批");
  const draws = page.getByTestId("pool-draws");
  await expect(draws.getByTestId("draw-PENDING")).toContainText("¥12,000.00");
  await expect(draws.getByTestId("draw-PENDING")).toContainText("等待当湖街道的另一位工作人员审批");
  await expect(draws.getByText("批准并划入资金池…")).toHaveCount(0);
  // the round cannot open while its pool waits
  const panel = page.getByTestId("phase-panel");
  await panel.getByText("进入下一阶段：需求征集").click();
  await panel.getByRole("button", { name: "确认进入下一阶段" }).click();
  await expect(panel.getByRole("alert")).toContainText("资金池申请尚待基金所属地区批准");
  await expect(panel.getByTestId("phase-badge")).toHaveText("筹备中（未公开）");

  // an official of the subdistrict finds it waiting and approves it, behind a question
  const other = await browser.newContext();
  const official = await other.newPage();
  await signIn(official, "official@danghu.example");
  await official.goto("/admin/rounds");
  await official.getByTestId("draws-link").click();
  await expect(official.getByRole("heading", { level: 1 })).toHaveText("待审批的资金池申请");
  const row = official.getByTestId("pending-draws").getByRole("row", { name: new RegExp(code) });
  await expect(row).toContainText("待您审批");
  await row.getByRole("link", { name: /查看并审批/ }).click();
  await expect(official).toHaveURL(new RegExp(`/admin/rounds/${code}$`));
  const decision = official.getByTestId("pool-draws");
  await decision.getByText("批准并划入资金池…").click();
  await expect(decision.getByText(/将从基金划入 ¥12,000.00 到本轮资金池/)).toBeVisible();
  await decision.getByRole("button", { name: "确认批准" }).click();
  await expect(official.getByTestId("draw-notice")).toHaveText("已批准：资金已划入本轮资金池。");
  await expect(decision.getByTestId("draw-APPROVED")).toBeVisible();
  await expect(official.getByTestId("phase-panel")).toContainText("¥12,000.00");
  await other.close();

  // the requester now opens the round
  await page.goto(`/admin/rounds/${code}`);
  await expect(page.getByTestId("draw-APPROVED")).toBeVisible();
  await panel.getByText("进入下一阶段：需求征集").click();
  await panel.getByRole("button", { name: "确认进入下一阶段" }).click();
  await expect(page.getByTestId("move-notice")).toHaveText("已进入“需求征集”阶段，相关人员已收到通知。");
});
