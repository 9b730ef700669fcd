import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, uniqueEmail } from "./support";

/**
 * A newcomer's way to a submitted proposal, with the traps the forms now forgive: from the home
 * page's open round JN7 (seeded in PROPOSALS), one draft that the apply page offers to
 * continue, a budget rule the progress bar names although every field is filled, an attachment
 * listed as soon as it is saved, and a submission asked to be confirmed. One sign-up, no sign-in.
 */
test("a newcomer applies: continues the one draft, mends a rule the progress names, attaches a file, confirms the submission", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const name = `新申报人${stamp}`;

  // sign up and register a resident team (an applicant applies on behalf of an organization)
  await page.goto("/signup");
  await page.getByLabel(/^姓名/).fill(name);
  await page.getByLabel(/电子邮箱/).fill(uniqueEmail("journey"));
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("viewer-role")).toContainText(name);
  await page.goto("/organizations/new");
  await page.getByLabel(/^组织类型/).selectOption("RESIDENT_TEAM");
  await page.getByLabel(/^名称/).fill(`旅程队${stamp}`);
  await page.getByLabel(/^所在地区/).selectOption({ label: "　松枫社区（社区）" });
  await page.getByLabel("成员 1 姓名").fill("陈一");
  await page.getByLabel("成员 2 姓名").fill("陈二");
  await page.getByRole("button", { name: /^登记/ }).click();
  await expect(page).toHaveURL(/\/organizations\/[^/]+\?created=1$/);

  // the home page leads with the open round (the one closing first): its apply button goes to JN7's apply page
  await page.goto("/");
  await expect(page.getByTestId("home-round-title")).toHaveText("当湖街道第七届社区公益微创投");
  await page.getByTestId("home-apply").click();
  await expect(page).toHaveURL(/\/rounds\/JN7\/apply$/);
  await page.getByRole("button", { name: "开始填写申报书" }).click();
  await expect(page).toHaveURL(/\/proposals\/[^/]+\/edit$/);
  const draftUrl = page.url();

  // every field filled, but a total below the round's minimum
  await page.getByLabel("项目名称").fill(`旅程助餐${stamp}`);
  await page.getByLabel("项目简介").fill("为独居老人送午餐。");
  await page.getByLabel("项目类别").selectOption("PUBLIC_SERVICE");
  await page.getByRole("checkbox", { name: "老年人", exact: true }).check();
  await page.getByLabel("预计受益人数").fill("30");
  await page.getByLabel("活动计划").fill("每周三次送餐。");
  const period = (await page.getByText(/每个里程碑的完成日期须在实施期/).textContent()) ?? "";
  const [from] = period.match(/\d{4}-\d{2}-\d{2}/) ?? [];
  await page.getByLabel("里程碑 1").fill("启动");
  await page.getByLabel("完成日期").first().fill(from!);
  await page.getByLabel("交付成果").first().fill("志愿者名单");
  await page.getByLabel("第 1 项费用类别").selectOption("MATERIALS");
  await page.getByLabel("明细").first().fill("餐盒");
  await page.getByLabel("数量").first().fill("100");
  await page.getByLabel("单价（元）").first().fill("1");
  await page.getByLabel("成员 1 姓名").fill("陈一");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /已完成 12\/12 · 1 条规则未满足/ })).toBeVisible();
  await expect(page.getByTestId("unmet-rules")).toContainText(/预算总额 ¥100\.00 须在/);
  await expect(page.getByTestId("ready")).toHaveCount(0);

  // back on the apply page, the organization's one draft is what it offers
  await page.goto("/rounds/JN7/apply");
  await expect(page.getByRole("button", { name: "开始填写申报书" })).toHaveCount(0);
  await page.getByRole("link", { name: `继续填写草稿：旅程助餐${stamp}` }).click();
  await expect(page).toHaveURL(draftUrl);

  // the rule mended and a file attached: saved, listed without a reload, and ready
  await page.getByLabel("单价（元）").first().fill("100");
  await page.getByLabel("上传附件").setInputFiles({ name: "计划书.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%journey\n") });
  await page.getByLabel("附件说明").fill("实施计划");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存" })).toBeVisible();
  await expect(page.getByRole("link", { name: "实施计划（计划书.pdf）" })).toBeVisible();
  await expect(page.getByTestId("ready")).toBeVisible();
  await expect(page.getByTestId("unmet-rules")).toHaveCount(0);

  // submitting asks first; confirmed, it is submitted
  await page.getByRole("button", { name: "提交申报" }).click();
  const confirm = page.getByTestId("confirm-submit");
  await expect(confirm).toContainText("¥10,000.00");
  await confirm.getByRole("button", { name: "确认提交" }).click();
  await expect(page).toHaveURL(/\/proposals\/[^/]+\?submitted=1$/);
  await expect(page.getByTestId("reference-no")).toHaveText(/^JN7-\d{4}$/);

  // the proposal as filed, as a PDF for the organisation's records
  const reference = (await page.getByTestId("reference-no").textContent())!;
  const download = page.waitForEvent("download");
  await page.getByTestId("proposal-pdf").click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toBe(`${reference}-申报书.pdf`);
  const bytes = fs.readFileSync((await pdf.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
});
