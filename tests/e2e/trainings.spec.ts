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
