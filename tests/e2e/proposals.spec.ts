import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase, mailTo, roundCode, signUp } from "./support";

/**
 * 接单: a new applicant registers a resident team and applies to the seeded round JN7 (in phase
 * PROPOSALS with published topics). Every test makes its own account and organization: the
 * database is shared by tests running in parallel.
 */

/** A resident team (居民团队) in 松枫社区 with three named members: the creator and two more. */
async function createTeam(page: Page, name: string) {
  await page.goto("/organizations/new");
  await page.getByLabel(/^组织类型/).selectOption("RESIDENT_TEAM");
  await page.getByLabel(/^名称/).fill(name);
  await page.getByLabel(/^所在地区/).selectOption({ label: "　松枫社区（社区）" });
  await page.getByLabel("成员 1 姓名").fill("陈一");
  await page.getByLabel("成员 2 姓名").fill("陈二");
  await page.getByRole("button", { name: /^登记/ }).click();
  await expect(page).toHaveURL(/\/organizations\/[^/]+\?created=1$/);
}

async function startProposal(page: Page) {
  await page.goto("/rounds/JN7/apply");
  await expect(page.getByRole("heading", { level: 1, name: "申报项目" })).toBeVisible();
  await page.getByRole("button", { name: "开始填写申报书" }).click();
  await expect(page).toHaveURL(/\/proposals\/[^/]+\/edit$/);
}

test("an applicant drafts a proposal answering a need, sees every error at once, fixes them, submits and gets the receipt by email", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const email = await signUp(page, `申报人${stamp}`, "prop");
  await createTeam(page, `松枫助老队${stamp}`);
  await startProposal(page);

  // an incomplete draft saves, and the progress says what is missing
  const title = `银龄助餐${stamp}`;
  await page.getByLabel("项目名称").fill(title);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /已完成 \d+\/12/ })).toBeVisible();
  await expect(page.getByTestId("missing-list")).toContainText("项目简介");

  // fill in the rest — with a total below the minimum and a milestone outside the period
  await page.getByLabel("项目简介").fill("为独居老人送午餐，每周三次。");
  await page.getByLabel("项目类别").selectOption("PUBLIC_SERVICE");
  await page.getByRole("group", { name: "回应的居民需求（接单）" }).getByRole("checkbox").first().check();
  await page.getByRole("checkbox", { name: "老年人" }).check();
  await page.getByLabel("预计受益人数").fill("60");
  await page.getByLabel("活动计划").fill("每周一、三、五送餐；每月一次健康讲座。");
  await page.getByLabel("里程碑 1").fill("启动与招募志愿者");
  await page.getByLabel("完成日期").first().fill("2000-01-01");
  await page.getByLabel("交付成果").first().fill("志愿者名单");
  await page.getByLabel("第 1 项费用类别").selectOption("MATERIALS");
  await page.getByLabel("明细").first().fill("餐盒");
  await page.getByLabel("数量").first().fill("100");
  // full-width digits and a full-width comma, as a Chinese input method types them
  await page.getByLabel("单价（元）").first().fill("１２，０００");
  await expect(page.getByTestId("line-total-0")).toHaveText("¥1,200,000.00");
  await page.getByLabel("单价（元）").first().fill("1.5");
  await expect(page.getByTestId("line-total-0")).toHaveText("¥150.00");
  await expect(page.getByTestId("grand-total")).toHaveText("¥150.00");
  await page.getByLabel("成员 1 姓名").fill("陈一");

  await page.getByRole("button", { name: "提交申报" }).click();
  const summary = page.getByTestId("problem-summary");
  await expect(summary).toContainText("申报未提交");
  await expect(summary).toContainText(/预算总额 ¥150\.00 须在 ¥[\d,]+\.00 至 ¥[\d,]+\.00 之间/);
  await expect(summary).toContainText("日期须在实施期");
  // next to their fields too, with everything typed still there
  await expect(page.getByLabel("完成日期").first()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("项目简介")).toHaveValue("为独居老人送午餐，每周三次。");

  // a unit price with three decimals is refused with a clear message
  await page.getByLabel("单价（元）").first().fill("12000.505");
  await page.getByLabel("单价（元）").first().blur();
  await expect(page.getByText("金额最多保留两位小数（分）", { exact: true })).toBeVisible();

  // fix everything: a date inside the period, a total within the range
  const period = (await page.getByText(/每个里程碑的完成日期须在实施期/).textContent()) ?? "";
  const [from] = period.match(/\d{4}-\d{2}-\d{2}/) ?? [];
  expect(from).toBeTruthy();
  await page.getByLabel("完成日期").first().fill(from!);
  await page.getByLabel("单价（元）").first().fill("100");
  await expect(page.getByTestId("grand-total")).toHaveText("¥10,000.00");
  await page.getByRole("button", { name: "提交申报" }).click();
  // every rule met: the submission waits for a confirmation
  await page.getByTestId("confirm-submit").getByRole("button", { name: "确认提交" }).click();

  await expect(page).toHaveURL(/\/proposals\/[^/]+\?submitted=1$/);
  const reference = (await page.getByTestId("reference-no").textContent())!.trim();
  expect(reference).toMatch(/^JN7-\d{4}$/);
  await expect(page.getByTestId("submitted-notice")).toContainText(reference);
  await expect(page.getByTestId("proposal-status")).toHaveText("已提交");

  // the receipt arrives over SMTP
  const mail = await mailTo(email, (m) => m.subject.includes(reference));
  expect(mail.subject).toContain(title);
  expect(mail.text).toContain("¥10,000.00");

  // it is listed, and a submitted proposal cannot be edited any more
  await page.goto("/proposals");
  await expect(page.getByRole("row").filter({ hasText: reference })).toContainText("已提交");
  const viewUrl = page.url();
  expect(viewUrl).toContain("/proposals");
});

test("money input reads full-width digits and refuses three decimals; the form works in English", async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signUp(page, `金额${stamp}`, "prop");
  await createTeam(page, `金额测试队${stamp}`);
  await startProposal(page);

  await page.getByLabel("单价（元）").first().fill("１２，０００");
  await page.getByLabel("数量").first().fill("1");
  await page.getByLabel("明细").first().fill("场地");
  await expect(page.getByTestId("line-total-0")).toHaveText("¥12,000.00");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("单价（元）").first()).toHaveValue("12000");

  await page.getByLabel("单价（元）").first().fill("12000.505");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("金额最多保留两位小数（分）", { exact: true })).toBeVisible();

  // switch to English: the same page, labelled in English
  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save draft" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /of 12 done/ })).toBeVisible();
  await page.goto("/proposals");
  await expect(page.getByRole("heading", { level: 1, name: "My proposals" })).toBeVisible();
});

test("someone from another organization cannot even see a draft", async ({ browser, page }) => {
  const stamp = Date.now().toString(36);
  await signUp(page, `甲${stamp}`, "prop");
  await createTeam(page, `保密队${stamp}`);
  await startProposal(page);
  const draftUrl = new URL(page.url()).pathname.replace(/\/edit$/, "");

  const other = await browser.newContext();
  const stranger = await other.newPage();
  await signUp(stranger, `乙${stamp}`, "prop");
  const response = await stranger.goto(draftUrl);
  expect(response?.status()).toBe(404);
  expect((await stranger.goto(`${draftUrl}/edit`))?.status()).toBe(404);
  await other.close();
});

test("a round open only to social and community organizations tells a resident team why before it writes anything", async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signUp(page, `申报人${stamp}`, "prop");
  await createTeam(page, `松枫居民队${stamp}`);
  // a copy of JN7 (open for proposals) that accepts only the two registered kinds
  const code = roundCode("EL");
  const client = await e2eDatabase();
  try {
    await client.query(
      `INSERT INTO "Round" (id, code, "areaId", "foundationId", title, description, phase, categories, rubric, "trancheSchedule", "needsStartsAt", "proposalsStartsAt",
         "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt", "implementationStartsAt", "implementationEndsAt", "closesAt", "updatedAt", "eligibleOrgKinds")
       SELECT gen_random_uuid()::text, $1, "areaId", "foundationId", $2, '', phase, categories, rubric, "trancheSchedule", "needsStartsAt", "proposalsStartsAt",
         "proposalsDeadline", "screeningStartsAt", "reviewStartsAt", "noticeStartsAt", "implementationStartsAt", "implementationEndsAt", "closesAt", now(),
         ARRAY['SOCIAL_ORGANIZATION', 'COMMUNITY_ORGANIZATION']::"OrganizationKind"[]
       FROM "Round" WHERE code = 'JN7'`,
      [code, `资格测试 ${code}`],
    );
  } finally {
    await client.end();
  }
  await page.goto(`/rounds/${code}/apply`);
  await expect(page.getByRole("heading", { level: 1, name: "申报项目" })).toBeVisible();
  await expect(page.getByText("可申报的组织类型：社会组织、社区社会组织")).toBeVisible();
  await expect(page.getByTestId("eligibility-problems")).toContainText("本轮只接受以下类型的组织申报：社会组织、社区社会组织；本组织是居民团队。（规则：组织类型）");
  await expect(page.getByRole("radio")).toBeDisabled();
  await expect(page.getByRole("button", { name: "开始填写申报书" })).toHaveCount(0);
});
