import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase, newResident, shanghaiDayFromToday, signIn } from "./support";

/**
 * Volunteering on a funded project and online voting at 决议, on the demo's data: the grantee of
 * JN6-0002 (being implemented) logs a shift of a confirmed volunteer of its community and the
 * community's hours go up; a resident granted the residents' representative role votes online
 * on the demo's matter waiting for its resolution, sees their vote, and the matter's public page
 * shows the online tally (counts only) beside the paper count.
 */
test.setTimeout(180_000);

const hoursOn = async (page: Page, testId: string) => Number(/([\d.]+)\s*小时/.exec((await page.getByTestId(testId).textContent()) ?? "")![1]);

test("a project member logs a volunteer's shift: the project, the volunteer and the community count it", async ({ browser }) => {
  const sql = await e2eDatabase();
  const { rows } = await sql.query<{ email: string; code: string }>(
    `SELECT u.email, a.code FROM "Project" p JOIN "OrganizationMember" m ON m."organizationId" = p."organizationId" JOIN "User" u ON u.id = m."userId" JOIN "Area" a ON a.id = p."communityId"
     WHERE p."referenceNo" = 'JN6-0002' ORDER BY m."createdAt" LIMIT 1`,
  );
  await sql.end();
  const { email, code } = rows[0]!;
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);

  await page.goto(`/areas/${code}/volunteers`);
  const before = await hoursOn(page, "stat-hours");

  await page.goto("/projects/JN6-0002/volunteers");
  const shiftsBefore = Number(await page.getByTestId("shift-count").textContent());
  const form = page.getByTestId("shift-form");
  const volunteer = form.getByLabel("志愿者");
  const name = (await volunteer.locator("option").nth(1).textContent())!.trim();
  await volunteer.selectOption({ index: 1 });
  await form.getByLabel("服务日期").fill(shanghaiDayFromToday(-1));
  // a quarter hour is no shift: refused next to the field, what was typed kept
  await form.getByLabel(/^时长/).fill("1.25");
  await form.getByLabel("服务内容").fill("社区助老活动现场引导");
  await form.getByRole("button", { name: "登记" }).click();
  await expect(form.getByText("服务时长按半小时计")).toBeVisible();
  await expect(form.getByLabel("服务内容")).toHaveValue("社区助老活动现场引导");
  await form.getByLabel(/^时长/).fill("2.5");
  await form.getByRole("button", { name: "登记" }).click();
  await expect(page.getByText("已登记。")).toBeVisible();
  await expect(page.getByTestId("shift-count")).toHaveText(String(shiftsBefore + 1));
  await expect(page.getByTestId("shift-entry").first()).toContainText(name);

  // the community's 服务时长 went up by the shift
  await page.goto(`/areas/${code}/volunteers`);
  expect(await hoursOn(page, "stat-hours")).toBeCloseTo(before + 2.5, 5);

  // the project's public page: shifts and hours, no one's personal data
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/projects/JN6-0002");
  await expect(visitor.getByTestId("project-shifts")).toContainText(`服务 ${shiftsBefore + 1} 次`);
});

test("a registered representative votes online once; the matter's page shows the online tally beside the paper count", async ({ browser }) => {
  const sql = await e2eDatabase();
  const { rows } = await sql.query<{ number: number; code: string }>(
    `SELECT m.number, a.code FROM "Matter" m JOIN "Area" a ON a.id = m."areaId" WHERE m.status = 'FORWARDED' AND m."onlineVotingOpenedAt" IS NOT NULL AND m."onlineVotingClosedAt" IS NULL ORDER BY m.number LIMIT 1`,
  );
  const { rows: passed } = await sql.query<{ number: number }>(`SELECT number FROM "Matter" WHERE status = 'PASSED' AND "onlineVotingClosedAt" IS NOT NULL ORDER BY number LIMIT 1`);
  await sql.end();
  const { number, code } = rows[0]!;

  // the official registers a resident as the community's representative
  const tag = Date.now().toString(36).slice(-5);
  const representative = await newResident(browser, `居民代表${tag}`, "rep");
  const official = await (await browser.newContext()).newPage();
  await signIn(official, "official@danghu.example");
  await official.goto(`/areas/${code}/deliberation/roles`);
  const grant = official.getByTestId("grant-panel");
  await grant.getByLabel("账号邮箱").fill(representative.email);
  await grant.getByLabel("角色").selectOption({ label: "居民代表" });
  await grant.getByRole("button", { name: "授予" }).click();
  await expect(official.getByTestId("role-list")).toContainText(`居民代表${tag}`);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/deliberation/${number}`);
  const votedBefore = Number(/中 (\d+) 人投票/.exec((await visitor.getByTestId("online-tally").textContent()) ?? "")![1]);

  // the representative votes for; the ballot is gone and their own vote shows
  const page = representative.page;
  await page.goto(`/deliberation/${number}`);
  const ballot = page.getByTestId("online-ballot");
  await ballot.getByLabel("赞成").check();
  await ballot.getByRole("button", { name: "投票" }).click();
  await expect(page.getByText("您的投票已记录。")).toBeVisible();
  await expect(page.getByTestId("my-online-vote")).toHaveText("您的投票：赞成");
  await expect(page.getByTestId("online-ballot")).toHaveCount(0);

  // the public sees the count go up, never who voted
  await visitor.reload();
  await expect(visitor.getByTestId("online-tally")).toContainText(`中 ${votedBefore + 1} 人投票`);
  await expect(visitor.getByTestId("online-voting")).not.toContainText(`居民代表${tag}`);
  await expect(visitor.getByTestId("my-online-vote")).toHaveCount(0);

  // a resolved matter: the online tally beside the paper count
  await visitor.goto(`/deliberation/${passed[0]!.number}`);
  await expect(visitor.getByTestId("online-voting")).toContainText("网上投票已结束");
  await expect(visitor.getByTestId("online-tally")).toHaveText("5 名居民代表中 5 人投票：赞成 3，反对 1，弃权 1");
  await expect(visitor.getByTestId("paper-tally")).toHaveText("应到 41 人，实到 33 人；赞成 27，反对 4，弃权 2");
});
