import { expect, test } from "@playwright/test";
import { freshOfficial, signIn } from "./support";

/**
 * 能力培训: an official of 当湖街道 publishes a training starting shortly (its check-in window is
 * open), the demo applicant signs up for their organization, opens the venue's check-in code as
 * shown on the official's page, checks in, and downloads the certificate; the area's public list
 * once in English.
 */
test.setTimeout(180_000);

/** "YYYY-MM-DDTHH:mm" in Asia/Shanghai, `minutes` from now. */
const shanghaiLocal = (minutes: number) => new Date(Date.now() + 8 * 3_600_000 + minutes * 60_000).toISOString().slice(0, 16);

test("an official publishes a training, an applicant signs up, checks in with the code and downloads the certificate", async ({ browser }) => {
  const topic = `社区协商议事方法培训${Date.now().toString(36).slice(-5)}`;

  // the official publishes; a missing venue is said, what was typed is kept
  const official = await (await browser.newContext()).newPage();
  await signIn(official, await freshOfficial("培训专员"));
  await official.goto("/areas/danghu/trainings");
  const form = official.getByTestId("publish-training");
  await form.getByLabel("培训主题").fill(topic);
  await form.getByLabel("授课人").fill("张老师");
  await form.getByLabel("开始时间").fill(shanghaiLocal(20));
  await form.getByLabel("结束时间").fill(shanghaiLocal(140));
  await form.getByLabel("名额").fill("20");
  await form.getByRole("button", { name: "发布" }).click();
  await expect(form.getByText("请填写地点或线上链接。")).toBeVisible();
  await expect(form.getByLabel("培训主题")).toHaveValue(topic);
  await form.getByLabel("地点", { exact: true }).fill("当湖街道社创中心");
  await form.getByRole("button", { name: "发布" }).click();
  await expect(official.getByRole("heading", { level: 1, name: topic })).toBeVisible();
  const trainingUrl = official.url();
  // the window opens 30 minutes before the start: the code is shown now
  const codeHref = await official.getByTestId("check-in-url").getAttribute("href");
  expect(codeHref).toMatch(/\/check-in\?code=/);

  // the applicant signs up for their organization
  const applicant = await (await browser.newContext()).newPage();
  await signIn(applicant, "applicant@danghu.example");
  await applicant.goto(trainingUrl);
  await applicant.getByRole("button", { name: "报名" }).click();
  await expect(applicant.getByText("报名成功。")).toBeVisible();
  await expect(applicant.getByTestId("seats-left")).toHaveText("剩余 19 / 20 个名额");

  // opens the code's URL (as the scanned QR code would) and checks in
  await applicant.goto(codeHref!);
  await applicant.getByRole("button", { name: "确认签到" }).click();
  await expect(applicant.getByTestId("my-status")).toContainText("已签到");

  // the certificate (PDF)
  const download = applicant.waitForEvent("download");
  await applicant.getByTestId("certificate-link").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/培训证明\.pdf$/);

  // the official sees the attendance
  await official.reload();
  await expect(official.getByTestId("signup-row").filter({ hasText: "陈晓" })).toContainText("已扫码签到");

  // the public list, once in English: no names of those signed up
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/areas/danghu/trainings");
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText("Trainings");
  await expect(visitor.getByTestId("upcoming-trainings")).toContainText(topic);
  await expect(visitor.getByTestId("upcoming-trainings")).toContainText("19 of 20 seats left");
  await expect(visitor.locator("main")).not.toContainText("陈晓");
});

test("an official edits a training, then cancels it after confirming, with a reason", async ({ page }) => {
  const topic = `社区志愿服务管理培训${Date.now().toString(36).slice(-5)}`;
  await signIn(page, await freshOfficial("培训专员"));
  await page.goto("/areas/danghu/trainings");
  const publish = page.getByTestId("publish-training");
  await publish.getByLabel("培训主题").fill(topic);
  await publish.getByLabel("授课人").fill("张老师");
  await publish.getByLabel("开始时间").fill(shanghaiLocal(24 * 60));
  await publish.getByLabel("结束时间").fill(shanghaiLocal(26 * 60));
  await publish.getByLabel("地点", { exact: true }).fill("当湖街道社创中心");
  await publish.getByLabel("名额").fill("20");
  await publish.getByRole("button", { name: "发布" }).click();
  await expect(page.getByRole("heading", { level: 1, name: topic })).toBeVisible();

  // edit: the trainer and the seats
  const edit = page.getByTestId("edit-training");
  await edit.getByLabel("授课人").fill("李老师");
  await edit.getByLabel("名额").fill("30");
  await edit.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByText("培训信息已保存。")).toBeVisible();
  await expect(page.getByTestId("training-facts")).toContainText("李老师");
  await expect(page.getByTestId("seats-left")).toHaveText("剩余 30 / 30 个名额");

  // cancel: the question first, a reason required
  const cancel = page.getByTestId("cancel-training");
  await cancel.getByText("取消这次培训…").click();
  await expect(cancel.getByText("确定取消这次培训吗？")).toBeVisible();
  await cancel.getByRole("button", { name: "确认取消培训" }).click();
  await expect(cancel.getByText("请填写取消原因。")).toBeVisible();
  await cancel.getByLabel("取消原因").fill("讲师临时有事，另行通知");
  await cancel.getByRole("button", { name: "确认取消培训" }).click();
  await expect(page.getByTestId("training-cancelled")).toHaveText("已取消");
  await expect(page.getByTestId("cancelled-note")).toContainText("讲师临时有事，另行通知");
  await expect(page.getByTestId("edit-training")).toHaveCount(0);
  await page.goto("/areas/danghu/trainings");
  await expect(page.getByTestId("upcoming-trainings").locator("li").filter({ hasText: topic })).toContainText("已取消");
});

test("an official sets the ranking's training-attendance weight on the dashboard", async ({ page }) => {
  await signIn(page, await freshOfficial("排名专员"));
  // a community no other spec ranks
  await page.goto("/admin/dashboard?area=qiyuan#ranking");
  const form = page.getByTestId("attendance-weight-form");
  const weight = form.getByLabel("培训出勤在排名中的权重 (%)");
  await weight.fill("150");
  await form.getByRole("button", { name: "保存出勤权重" }).click();
  await expect(form.getByText("出勤权重必须在 0 到 100 之间。")).toBeVisible();
  await expect(weight).toHaveValue("150");
  await weight.fill("20");
  await form.getByRole("button", { name: "保存出勤权重" }).click();
  await expect(page.getByText("培训出勤权重已保存。")).toBeVisible();
  await expect(page.getByTestId("attendance-weight-current")).toHaveText("· 培训出勤 20%");
});
