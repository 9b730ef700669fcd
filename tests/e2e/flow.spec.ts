import { expect, test } from "@playwright/test";
import { mailTo, moveToNextPhase, newResident, postNeedInSongfeng, roundCode, roundCollectingNeeds } from "./support";

/**
 * A round from set-up to screening in one journey, on a round of its own (other tests share the database):
 * an official sets up a round → a resident posts a need and another upvotes it (点单) → the
 * official publishes it as a call topic (派单) → an applicant drafts a proposal answering it (接单),
 * sees the rules refuse it, fixes it, submits and gets the receipt over SMTP → the official screens
 * it eligible → the public sees it in the round's list of eligible proposals.
 */
test.setTimeout(180_000);


test("点单 → 派单 → 接单 → 资格审查: a need becomes a topic, a proposal answers it, is screened eligible and is public", async ({ browser }) => {
  const code = roundCode("F");
  const roundTitle = `全流程测试创投 ${code}`;

  // 1. the subdistrict official sets up a round and opens it for needs
  const official = await roundCollectingNeeds(browser, code, roundTitle, "居民点单、社区派单、组织接单的全流程测试。");

  // 2. a resident posts a need for 松枫社区; another resident upvotes it
  const resident = await newResident(browser, `居民${code}`, "flow");
  const needTitle = `老年人助餐服务${code}`;
  const needNumber = await postNeedInSongfeng(resident.page, { title: needTitle, description: "小区独居老人多，希望有人每周几次送午餐并陪老人聊聊天。", category: "公益服务类" });

  const neighbour = await newResident(browser, `邻居${code}`, "flow");
  await neighbour.page.goto(`/needs/${needNumber}`);
  await neighbour.page.getByRole("button", { name: `为第 ${needNumber} 号需求点赞` }).click();
  await expect(neighbour.page.getByTestId("vote-count")).toHaveText("1");
  await neighbour.close();

  // 3. the official publishes it as a call topic of the round (派单) and opens proposals
  await official.goto(`/needs/${needNumber}`);
  const panel = official.getByTestId("curate-panel");
  await panel.getByText("发布为创投选题（派单）", { exact: true }).first().click();
  await panel.getByLabel("创投项目").selectOption({ label: `${roundTitle}（${code}）` });
  await panel.getByRole("button", { name: "确认" }).click();
  await expect(official.getByText("已处理。")).toBeVisible();
  await expect(official.getByTestId("need-status")).toHaveText("已派单");
  await moveToNextPhase(official, code, "项目申报");

  // the round page lists the topic; the resident was told
  await resident.page.goto(`/rounds/${code}`);
  await expect(resident.page.getByRole("link", { name: needTitle })).toBeVisible();
  await resident.page.goto("/inbox");
  await expect(resident.page.getByText(needTitle).first()).toBeVisible();
  await resident.close();

  // 4. an applicant registers a resident team and drafts a proposal answering the need (接单)
  const applicant = await newResident(browser, `申报人${code}`, "flow");
  const page = applicant.page;
  await page.goto("/organizations/new");
  await page.getByLabel(/^组织类型/).selectOption("RESIDENT_TEAM");
  await page.getByLabel(/^名称/).fill(`松枫助餐队${code}`);
  await page.getByLabel(/^所在地区/).selectOption({ label: "　松枫社区（社区）" });
  await page.getByLabel("成员 1 姓名").fill("陈一");
  await page.getByLabel("成员 2 姓名").fill("陈二");
  await page.getByRole("button", { name: /^登记/ }).click();
  await expect(page).toHaveURL(/\/organizations\/[^/]+\?created=1$/);

  await page.goto(`/rounds/${code}`);
  await page.getByRole("link", { name: "申报项目" }).click();
  await page.getByRole("button", { name: "开始填写申报书" }).click();
  await expect(page).toHaveURL(/\/proposals\/[^/]+\/edit$/);
  const proposalTitle = `银龄助餐${code}`;
  await page.getByLabel("项目名称").fill(proposalTitle);
  await page.getByLabel("项目简介").fill("为松枫社区独居老人每周送三次午餐，并组织志愿者陪伴。");
  await page.getByLabel("项目类别").selectOption("PUBLIC_SERVICE");
  await page.getByRole("group", { name: "回应的居民需求（接单）" }).getByRole("checkbox", { name: new RegExp(needTitle) }).check();
  await page.getByRole("checkbox", { name: "老年人", exact: true }).check();
  await page.getByLabel("预计受益人数").fill("40");
  await page.getByLabel("活动计划").fill("每周一、三、五送餐；每月一次健康讲座。");
  await page.getByLabel("里程碑 1").fill("招募志愿者并开始送餐");
  await page.getByLabel("完成日期").first().fill("2000-01-01");
  await page.getByLabel("交付成果").first().fill("志愿者名单与送餐记录");
  await page.getByLabel("第 1 项费用类别").selectOption("MATERIALS");
  await page.getByLabel("明细").first().fill("餐盒与食材");
  await page.getByLabel("数量").first().fill("10");
  await page.getByLabel("单价（元）").first().fill("¥100");
  await page.getByLabel("成员 1 姓名").fill("陈一");

  // the rules refuse it, all problems at once, keeping what was typed
  await page.getByRole("button", { name: "提交申报" }).click();
  const summary = page.getByTestId("problem-summary");
  await expect(summary).toContainText(/预算总额 ¥1,000\.00 须在 ¥5,000\.00 至 ¥15,000\.00 之间/);
  await expect(summary).toContainText("日期须在实施期");
  await expect(page.getByLabel("项目名称")).toHaveValue(proposalTitle);

  // fixed: a date inside the implementation period and a total of ¥12,000
  const period = (await page.getByText(/每个里程碑的完成日期须在实施期/).textContent()) ?? "";
  const [from] = period.match(/\d{4}-\d{2}-\d{2}/) ?? [];
  await page.getByLabel("完成日期").first().fill(from!);
  await page.getByLabel("单价（元）").first().fill("1,200");
  await expect(page.getByTestId("grand-total")).toHaveText("¥12,000.00");
  await page.getByRole("button", { name: "提交申报" }).click();
  // every rule met: the submission waits for a confirmation
  await page.getByTestId("confirm-submit").getByRole("button", { name: "确认提交" }).click();
  await expect(page).toHaveURL(/\/proposals\/[^/]+\?submitted=1$/);
  const reference = (await page.getByTestId("reference-no").textContent())!.trim();
  expect(reference).toBe(`${code}-0001`);
  const receipt = await mailTo(applicant.email, (m) => m.subject.includes(reference));
  expect(receipt.text).toContain("¥12,000.00");

  // 5. the official moves the round to screening and marks the proposal eligible
  await moveToNextPhase(official, code, "资格审查");
  await official.goto(`/admin/rounds/${code}/screening`);
  await official.getByRole("checkbox", { name: `选择 ${reference}` }).check();
  // ineligible without a reason is refused, the selection kept
  await official.getByRole("button", { name: "不合格", exact: true }).click();
  await expect(official.getByTestId("decision-panel")).toContainText("标记不合格须填写理由");
  await expect(official.getByRole("checkbox", { name: `选择 ${reference}` })).toBeChecked();
  await official.getByRole("button", { name: "合格", exact: true }).click();
  await expect(official).toHaveURL(new RegExp(`/admin/rounds/${code}/screening\\?done=1`));
  await expect(official.getByRole("row").filter({ hasText: reference })).toContainText("资格审查通过");

  // the applicant is told by email and in the inbox
  await mailTo(applicant.email, (m) => m.text.includes(reference) && m.subject !== receipt.subject);
  await page.goto("/inbox");
  await expect(page.getByText(reference).first()).toBeVisible();
  await applicant.close();

  // 6. once screening is over the public sees the eligible proposal, in Chinese and in English
  await moveToNextPhase(official, code, "专家评审");
  await official.context().close();
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/rounds/${code}/proposals`);
  const row = visitor.getByRole("row").filter({ hasText: reference });
  await expect(row).toContainText(proposalTitle);
  await expect(row).toContainText(`松枫助餐队${code}`);
  await expect(row).toContainText("¥12,000.00");
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(visitor.getByRole("row").filter({ hasText: reference })).toContainText("¥12,000.00");
  await visitor.goto(`/needs/${needNumber}`);
  await expect(visitor.getByRole("link", { name: new RegExp(roundTitle) })).toBeVisible();
  await visitorContext.close();
});
