import { expect, test } from "@playwright/test";
import { newResident, postNeedInSongfeng, roundCode, roundCollectingNeeds, shanghaiDayFromToday } from "./support";

/**
 * 一征三议两公开 in one journey, on a round of its own that requires deliberation: a resident posts
 * a need (一征) → the round refuses it as a topic → the official proposes it as a matter (提议) →
 * records the review meeting with its photo (审议) → records the resolution with its counts (决议)
 * → publishes the need as a topic (派单) → a supervision committee member remarks on the
 * resolution → a visitor sees every step on the need's page, in Chinese and in English (两公开).
 */
test.setTimeout(180_000);

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");


test("提议 → 审议 → 决议 → 派单: a need becomes a topic only once deliberated, and the public sees every step", async ({ browser }) => {
  const code = roundCode("D");
  const official = await roundCollectingNeeds(browser, code, `三议测试创投 ${code}`, "选题须经社区提议、审议、决议的测试轮次。", { deliberation: true });
  await official.goto(`/rounds/${code}`);
  await expect(official.getByTestId("round-deliberation")).toContainText("选题须经社区“三议”");

  // 一征: a resident posts a need for 松枫社区
  const resident = await newResident(browser, `居民${code}`, "delib");
  const needNumber = await postNeedInSongfeng(resident.page, { title: `楼道照明改造${code}`, description: "老楼楼道夜里很黑，老人上下楼容易摔倒，希望装感应灯。", category: "居民自治类" });

  // the round refuses it as a topic before deliberation: the form says so first, and the round says why
  await official.goto(`/needs/${needNumber}`);
  const curate = official.getByTestId("curate-panel");
  await curate.getByText("发布为创投选题（派单）", { exact: true }).first().click();
  await expect(curate.getByTestId("publish-undeliberated")).toContainText(code);
  await curate.getByLabel("创投项目").selectOption({ value: code });
  await curate.getByRole("button", { name: "确认" }).first().click();
  await expect(curate.getByText("该轮次要求选题须经“三议”")).toBeVisible();

  // the official grants a supervision committee member's role
  const supervisor = await newResident(browser, `监委${code}`, "delib");
  await official.goto("/areas/songfeng/deliberation/roles");
  const grant = official.getByTestId("grant-panel");
  await grant.getByLabel("账号邮箱").fill(supervisor.email);
  await grant.getByLabel("角色").selectOption({ label: "居务监督委员会成员" });
  await grant.getByRole("button", { name: "授予" }).click();
  await expect(official.getByTestId("role-list")).toContainText(`监委${code}`);

  // the voting rules: a tie cannot decide (refused, keeping what was typed); the defaults saved again, public on the list
  await official.goto("/areas/songfeng/deliberation/rules");
  const rules = official.getByTestId("rules-panel");
  const majority = rules.getByRole("group", { name: "通过所需赞成票" });
  await majority.getByLabel("比较方式").selectOption({ label: "不少于" });
  await rules.getByRole("button", { name: "保存决议规则" }).click();
  await expect(rules.getByText("规则不能低于“过半数”")).toBeVisible();
  await expect(majority.getByLabel("比较方式")).toHaveValue("AT_LEAST");
  await majority.getByLabel("比较方式").selectOption({ label: "超过" });
  await rules.getByRole("button", { name: "保存决议规则" }).click();
  await expect(official.getByText("决议规则已保存")).toBeVisible();

  // 提议
  await official.goto("/areas/songfeng/deliberation");
  const propose = official.getByTestId("propose-panel");
  await propose.getByLabel("议题名称").fill(`楼道照明议题${code}`);
  await propose.getByLabel("需求编号").fill(String(needNumber));
  await propose.getByLabel("提议理由").fill("居民反映强烈，涉及老人出行安全，提请审议。");
  await propose.getByRole("button", { name: "提交提议" }).click();
  await expect(official.getByText("议题已提议并公开。")).toBeVisible();
  await expect(official.getByTestId("matter-status")).toHaveText("已提议，待审议");
  const matterUrl = official.url().replace(/\?.*$/, "");

  // 审议, with minutes and a photo of the sign-in sheet; a count that cannot be is refused, keeping what was typed
  const review = official.getByTestId("review-panel");
  await review.getByLabel("会议", { exact: true }).selectOption({ label: "党员代表会议" });
  await review.getByLabel("会议日期").fill(shanghaiDayFromToday(-5));
  await review.getByLabel("会议地点").fill("松枫社区党群服务中心");
  await review.getByLabel("应到人数").fill("25");
  await review.getByLabel("实到人数").fill("26");
  await review.getByLabel("出席的负责人姓名").fill("张书记，李主任");
  await review.getByLabel("会议记录", { exact: true }).fill("与会党员代表逐项讨论，认为需求真实迫切，同意提交居民代表会议表决。");
  await review.getByLabel("审议结果").selectOption({ label: "提交决议" });
  await review.getByLabel("理由").fill("群众呼声高，费用可控。");
  await review.getByRole("button", { name: "保存审议记录" }).click();
  await expect(review.getByText("实到人数不能多于应到人数。")).toBeVisible();
  await expect(review.getByLabel("会议地点")).toHaveValue("松枫社区党群服务中心");
  await review.getByLabel("实到人数").fill("21");
  await review.getByLabel(/照片或签到表/).setInputFiles({ name: "签到表.png", mimeType: "image/png", buffer: PNG });
  await review.getByRole("button", { name: "保存审议记录" }).click();
  await expect(official.getByTestId("matter-status")).toHaveText("已审议，待决议");
  await expect(official.getByTestId("step-review").getByRole("img", { name: "签到表.png" })).toBeVisible();

  // 决议: 16 of 30 present vote for — more than half — and it passes
  const resolve = official.getByTestId("resolve-panel");
  await resolve.getByLabel("会议", { exact: true }).selectOption({ label: "居民代表会议" });
  await resolve.getByLabel("会议日期").fill(shanghaiDayFromToday(-1));
  await resolve.getByLabel("会议地点").fill("松枫社区议事厅");
  await resolve.getByLabel("应到人数").fill("40");
  await resolve.getByLabel("实到人数").fill("30");
  await resolve.getByLabel("赞成").fill("16");
  await resolve.getByLabel("反对").fill("10");
  await resolve.getByLabel("弃权").fill("4");
  await resolve.getByLabel("决议内容").fill("同意将楼道照明改造列为公益创投选题，实施过程向居民公开。");
  await resolve.getByRole("button", { name: "保存决议" }).click();
  await expect(official.getByText("决议已记录：通过。")).toBeVisible();
  await expect(official.getByTestId("resolution-outcome")).toHaveText("决议通过");

  // 派单: now the round takes it; the passed matter holds the need, so it cannot be rejected or merged away
  await official.goto(`/needs/${needNumber}`);
  await expect(curate.getByTestId("held-by-matter")).toBeVisible();
  await expect(curate.getByText("不予采纳", { exact: true })).toHaveCount(0);
  await curate.getByText("发布为创投选题（派单）", { exact: true }).first().click();
  await expect(curate.getByTestId("publish-undeliberated")).toHaveCount(0);
  await curate.getByLabel("创投项目").selectOption({ value: code });
  await curate.getByRole("button", { name: "确认" }).first().click();
  await expect(official.getByTestId("need-status")).toHaveText("已派单");

  // the supervision committee remarks on the resolution
  await supervisor.page.goto(matterUrl);
  const remark = supervisor.page.getByTestId("remark-panel");
  await remark.getByLabel("针对的环节").selectOption({ label: "决议" });
  await remark.getByLabel("意见").first().fill("表决程序符合规定，票数已核对。");
  await remark.getByRole("button", { name: "发表" }).first().click();
  await expect(supervisor.page.getByTestId("step-resolution").getByTestId("matter-remarks")).toContainText("表决程序符合规定，票数已核对。");

  // 两公开: a visitor sees all three steps on the need's page, then in English
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/needs/${needNumber}`);
  const steps = visitor.getByTestId("need-deliberation");
  await expect(steps.getByTestId("step-proposal")).toContainText("居民反映强烈，涉及老人出行安全，提请审议。");
  await expect(steps.getByTestId("step-review")).toContainText("应到 25 人，实到 21 人");
  await expect(steps.getByTestId("step-review")).toContainText("张书记、李主任");
  await expect(steps.getByTestId("review-outcome")).toHaveText("提交决议");
  await expect(steps.getByTestId("resolution-counts")).toHaveText("应到 40 人，实到 30 人；赞成 16，反对 10，弃权 4");
  await expect(steps.getByTestId("resolution-outcome")).toHaveText("决议通过");
  await expect(steps.getByTestId("step-resolution")).toContainText("表决程序符合规定，票数已核对。");
  await visitor.getByRole("button", { name: "切换到英文" }).click();
  await expect(visitor.locator("html")).toHaveAttribute("lang", "en");
  await expect(steps.getByTestId("review-outcome")).toHaveText("Forward to resolution");
  await expect(steps.getByTestId("resolution-counts")).toHaveText("30 of 40 present; 16 for, 10 against, 4 abstaining");
  await expect(steps.getByTestId("resolution-outcome")).toHaveText("The resolution passed");
  await visitor.goto("/areas/songfeng/deliberation");
  await expect(visitor.getByTestId("matter-list")).toContainText(`楼道照明议题${code}`);
  await expect(visitor.getByTestId("matter-list")).toContainText("Resolution passed");
});
