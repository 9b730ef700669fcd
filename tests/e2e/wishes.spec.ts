import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signIn, uniqueEmail } from "./support";

/**
 * 党员报到 → 社区确认 → 微心愿: a Party member registers with 松枫社区 as a volunteer, the
 * community's official confirms them, a resident marks their need a small wish, the volunteer
 * takes it and marks it done with a photo, the resident confirms, and the hours appear on the
 * community's page and the volunteer's record, in Chinese and in English.
 */
test.setTimeout(180_000);

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

async function newUser(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signup");
  await page.getByLabel(/^姓名/).fill(name);
  await page.getByLabel(/电子邮箱/).fill(uniqueEmail("wish"));
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("viewer-role")).toContainText(name);
  return page;
}

/** The community's hours as the page shows them ("3 小时" → 3). */
async function communityHours(page: Page): Promise<number> {
  await page.goto("/areas/songfeng/volunteers");
  const text = (await page.getByTestId("stat-hours").textContent()) ?? "";
  return Number(/([\d.]+)\s*小时/.exec(text)![1]);
}

test("党员报到, the official confirms, the volunteer takes a 微心愿, the resident confirms, the hours appear on the community's page", async ({ browser }) => {
  const tag = Date.now().toString(36).slice(-5);
  const visitor = await (await browser.newContext()).newPage();
  const before = await communityHours(visitor);

  // 党员报到: a Party member registers; the branch is asked for, and what was typed is kept
  const volunteerName = `党员志愿者${tag}`;
  const volunteer = await newUser(browser, volunteerName);
  await volunteer.goto("/areas/songfeng/volunteers");
  const register = volunteer.getByTestId("register-panel");
  await register.getByLabel("我是党员（党员报到）").check();
  await register.getByLabel("特长技能").fill("家电维修、陪老人聊天");
  await register.getByLabel("可服务时间").fill("周末上午");
  await register.getByLabel("同意在志愿者风采墙上公开我的姓名").check();
  await register.getByRole("button", { name: "报到" }).click();
  await expect(register.getByText("党员报到请填写所在党支部。")).toBeVisible();
  await expect(register.getByLabel("特长技能")).toHaveValue("家电维修、陪老人聊天");
  await register.getByLabel("所在党支部").fill("松枫社区第一党支部");
  await register.getByRole("button", { name: "报到" }).click();
  await expect(volunteer.getByText("报到信息已提交，请等待社区确认。")).toBeVisible();
  await expect(volunteer.getByTestId("my-status")).toHaveText("报到状态：待社区确认");

  // the community's official confirms
  const official = await (await browser.newContext()).newPage();
  await signIn(official, "songfeng@danghu.example");
  await official.goto("/areas/songfeng/volunteers");
  const row = official.getByTestId("pending-volunteer").filter({ hasText: volunteerName });
  await expect(row).toContainText("党员 · 松枫社区第一党支部");
  await row.getByRole("button", { name: "确认" }).click();
  await expect(official.getByText("已处理。")).toBeVisible();
  await expect(official.getByTestId("pending-volunteer").filter({ hasText: volunteerName })).toHaveCount(0);

  // a resident posts a need and marks it a small wish
  const resident = await newUser(browser, `居民${tag}`);
  const title = `想要一台收音机${tag}`;
  await resident.goto("/needs/new");
  await resident.getByLabel(/所在社区/).selectOption({ label: "松枫社区" });
  await resident.getByLabel(/^标题/).fill(title);
  await resident.getByLabel(/^需求描述/).fill("老收音机坏了，想要一台能听越剧的收音机。");
  await resident.getByLabel(/^类别/).selectOption({ label: "居民自治类" });
  await resident.getByRole("button", { name: "发布", exact: true }).click();
  await expect(resident.getByText("需求已发布，谢谢您！")).toBeVisible();
  const number = Number(/\/needs\/(\d+)/.exec(resident.url())![1]);
  await resident.getByRole("link", { name: "标记为微心愿" }).click();
  const mark = resident.getByTestId("mark-panel");
  await mark.getByLabel("所需金额（元，不涉及资金填 0）").fill("600");
  await mark.getByRole("button", { name: "标记为微心愿" }).click();
  await expect(mark.getByText(/微心愿所需金额须低于 500 元/)).toBeVisible();
  await mark.getByLabel("所需金额（元，不涉及资金填 0）").fill("120");
  await mark.getByRole("button", { name: "标记为微心愿" }).click();
  await expect(resident.getByTestId("wish-status")).toHaveText("待认领");

  // the volunteer takes it (认领) and marks it done with a photo
  await volunteer.goto(`/needs/${number}/wish`);
  await volunteer.getByTestId("take-panel").getByRole("button", { name: "认领" }).click();
  await expect(volunteer.getByText("认领成功！完成后请在此提交。")).toBeVisible();
  await expect(volunteer.getByTestId("wish-taker")).toHaveText(`志愿者 ${volunteerName}`);
  const fulfil = volunteer.getByTestId("fulfil-panel");
  await fulfil.getByLabel("完成说明").fill("收音机已送到家中，并教会了调台。");
  await fulfil.getByLabel("服务时长（小时，按一刻钟计，如 1.5）").fill("1.3");
  await fulfil.getByRole("button", { name: "提交完成" }).click();
  await expect(fulfil.getByText("服务时长按一刻钟计（如 0.25、0.5、1.75）。")).toBeVisible();
  await fulfil.getByLabel("服务时长（小时，按一刻钟计，如 1.5）").fill("1.5");
  await fulfil.getByLabel("照片（可选，一张）").setInputFiles({ name: "送达.png", mimeType: "image/png", buffer: PNG });
  await fulfil.getByRole("button", { name: "提交完成" }).click();
  await expect(volunteer.getByTestId("wish-status")).toHaveText("已完成，待居民确认");

  // the resident hears of it, and confirms
  await resident.goto("/inbox");
  await expect(resident.getByText(`请确认微心愿“${title}”是否实现`)).toBeVisible();
  await resident.goto(`/needs/${number}/wish`);
  await expect(resident.getByRole("img", { name: "完成照片" })).toBeVisible();
  await resident.getByTestId("answer-panel").getByRole("button", { name: "确认已实现" }).click();
  await expect(resident.getByText("谢谢！已确认心愿实现，服务时长已记录。")).toBeVisible();
  await expect(resident.getByTestId("wish-hours")).toHaveText("1.5 小时 · 已计入服务时长");

  // the hours appear on the community's page, the volunteer is on the wall, with their record
  expect(await communityHours(visitor)).toBe(before + 1.5);
  await expect(visitor.getByTestId("done-wishes")).toContainText(title);
  await visitor.getByTestId("volunteer-wall").getByRole("link", { name: volunteerName }).click();
  await expect(visitor.getByTestId("volunteer-hours")).toContainText("1.5 小时");
  await expect(visitor.getByTestId("volunteer-entries")).toContainText(title);
  await expect(visitor.locator("body")).not.toContainText("第一党支部");

  // in English
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(visitor.getByTestId("volunteer-hours")).toContainText("1.5 h");
  await visitor.goto("/areas/songfeng/volunteers");
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText("Volunteering and small wishes");
  await expect(visitor.getByTestId("stat-hours")).toContainText(`${before + 1.5} h`);
  await expect(visitor.getByTestId("done-wishes").getByRole("listitem").filter({ hasText: title })).toContainText("Confirmed by the resident");
});
