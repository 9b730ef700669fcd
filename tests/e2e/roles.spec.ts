import { expect, test, type Page } from "@playwright/test";
import { linkIn, mailTo, signIn, uniqueEmail } from "./support";

/** What each demo account (prisma/demo-data.ts) finds on its own home page after signing in. */
const homes: { email: string; who: string; check: (page: Page) => Promise<void> }[] = [
  {
    email: "official@danghu.example",
    who: "subdistrict official",
    check: async (page) => {
      const section = page.getByTestId("me-official");
      await expect(section).toContainText("当湖街道");
      await expect(section).toContainText("26"); // 18 communities + 8 villages
      await expect(section.getByRole("link", { name: "管理工作人员和评审专家" })).toHaveAttribute("href", "/admin/areas/danghu");
      await expect(page.getByRole("link", { name: "管理", exact: true })).toBeVisible();
    },
  },
  {
    email: "songfeng@danghu.example",
    who: "community official",
    check: async (page) => {
      const section = page.getByTestId("me-official");
      await expect(section).toContainText("松枫社区");
      await expect(section).toContainText("10,914");
      await expect(section).not.toContainText("当湖街道");
      await expect(section.getByRole("link", { name: "查看本社区工作人员" })).toHaveAttribute("href", "/admin/areas/songfeng");
      await expect(page.getByRole("link", { name: "管理", exact: true })).toHaveCount(0);
    },
  },
  {
    email: "applicant@danghu.example",
    who: "applicant (social organization)",
    check: async (page) => {
      const orgs = page.getByTestId("me-organizations");
      await expect(orgs).toContainText("平湖市友邻社会工作服务中心");
      await expect(orgs).toContainText("社会组织");
      await expect(page.getByTestId("me-official")).toHaveCount(0);
    },
  },
  {
    email: "team@danghu.example",
    who: "applicant (resident team)",
    check: async (page) => {
      const orgs = page.getByTestId("me-organizations");
      await expect(orgs).toContainText("凤凰社区邻里互助队");
      await expect(orgs).toContainText("3 名成员");
      await expect(orgs).toContainText("沈建华");
      // their team's page: three members, none removable (a team keeps at least three)
      await orgs.getByRole("link", { name: "凤凰社区邻里互助队" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("凤凰社区邻里互助队");
      await expect(page.getByTestId("org-members").getByRole("listitem")).toHaveCount(3);
      await expect(page.getByTestId("org-members").getByText("移除")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "添加" })).toBeVisible();
    },
  },
  {
    email: "judge1@danghu.example",
    who: "judge",
    check: async (page) => {
      const section = page.getByTestId("me-judge");
      await expect(section).toContainText("当湖街道");
      // last year's sheets are all submitted; the round in review (WL26) leaves three of five to
      // finish: /me counts them as /judging does, lists them as work and badges the header
      await expect(section.getByTestId("me-judging")).toContainText(/已提交 \d+ \/ 共 \d+ 份/);
      await expect(section.getByRole("link", { name: "我的评审任务" })).toHaveAttribute("href", "/judging");
      await expect(page.getByTestId("me-work")).toContainText("待评分的项目");
      await expect(page.getByTestId("me-badge")).toBeVisible();
    },
  },
  {
    email: "foundation@danghu.example",
    who: "foundation manager",
    check: async (page) => {
      const section = page.getByTestId("me-foundation");
      await expect(section).toContainText("当湖街道社区发展基金");
      // the appropriation less the seeded rounds' pools (and any a parallel test draws): from the ledger
      await expect(section).toContainText(/可用余额¥[\d,]+\.\d{2}/);
    },
  },
  {
    email: "donor@danghu.example",
    who: "donor",
    check: async (page) => {
      await expect(page.getByTestId("me-organizations").getByTestId("empty-state")).toContainText("您还没有加入任何组织");
      await expect(page.getByRole("heading", { name: "参与社区" })).toBeVisible();
    },
  },
  {
    email: "resident@danghu.example",
    who: "resident",
    check: async (page) => {
      await expect(page.getByTestId("me-organizations").getByRole("link", { name: "登记新组织" })).toBeVisible();
      await expect(page.getByTestId("me-official")).toHaveCount(0);
      await expect(page.getByTestId("me-judge")).toHaveCount(0);
    },
  },
];

for (const home of homes) {
  test(`the ${home.who} signs in and sees their own home`, async ({ page }) => {
    await signIn(page, home.email);
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
    await expect(page.getByTestId("email-unverified")).toHaveCount(0);
    await home.check(page);
  });
}

test("a community official reads their own community's staff and is refused another community's", async ({ page }) => {
  await signIn(page, "songfeng@danghu.example");
  await expect(page).toHaveURL(/\/me$/);

  const refused = await page.goto("/admin/areas/fenghuang");
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  await expect(page.getByText("李秀英")).toHaveCount(1); // only the header, no staff list

  const own = await page.goto("/admin/areas/songfeng");
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("松枫社区的工作人员和评审专家");
  await expect(page.getByTestId("read-only")).toBeVisible();
  await expect(page.getByTestId("staff-list")).toContainText("songfeng@danghu.example");
  await expect(page.getByRole("button", { name: "发送邀请" })).toHaveCount(0);

  expect((await page.goto("/admin"))?.status()).toBe(403);
  expect((await page.goto("/admin/areas/danghu"))?.status()).toBe(403);
});

test("a visitor browses the communities and foundations without signing in, in Chinese and English", async ({ page }) => {
  await page.goto("/areas");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("社区与人口");
  const songfeng = page.getByRole("row", { name: /松枫社区/ });
  await expect(songfeng).toContainText("10,914");
  await expect(songfeng).toContainText("11");
  await expect(page.getByTestId("areas-danghu-village")).toContainText("三北村");

  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Communities and residents");
  const row = page.getByRole("row", { name: /Songfeng Community/ });
  await expect(row).toContainText("10,914");

  await row.getByRole("link", { name: "Songfeng Community" }).click();
  await expect(page).toHaveURL(/\/areas\/songfeng$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Songfeng Community");
  await expect(page.getByRole("link", { name: "Danghu Subdistrict" })).toBeVisible();
  await expect(page.getByText("Danghu Community Development Fund")).toBeVisible();
  // (other tests register organizations in 松枫社区 while this runs; 三北村 has none)
  expect((await page.goto("/areas/sanbei"))?.status()).toBe(200);
  await expect(page.getByText("No organization is registered here yet")).toBeVisible();
  await page.goto("/areas/songfeng");

  await page.getByRole("link", { name: "Danghu Subdistrict" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danghu Subdistrict");
  await expect(page.getByRole("row", { name: /Fenghuang Community/ })).toContainText("16,523");
  await page.getByRole("link", { name: "Pinghu City" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pinghu City");
  await expect(page.getByText("18 communities, 8 villages, 174,368 residents")).toBeVisible();
  expect((await page.goto("/areas/no-such-area"))?.status()).toBe(404);

  await page.goto("/foundations");
  // the Danghu fund raises publicly under its filing; the community micro-fund has none: directed only
  const card = page.getByTestId("foundation-card").filter({ hasText: "Danghu Community Development Fund" });
  await expect(card).toContainText(/¥[\d,]+\.\d{2}/);
  await expect(card).toContainText("330482-2026-0012");
  await expect(page.getByTestId("foundation-card").filter({ hasText: "Donghu Neighbours" })).toContainText("Directed only");
  await card.getByRole("link", { name: "Danghu Community Development Fund", exact: true }).click();
  await expect(page.getByTestId("foundation-balance")).toHaveText(/^¥[\d,]+\.\d{2}$/);
  await page.goto(`${new URL(page.url()).pathname}?per=100`);
  await expect(page.getByRole("row", { name: /First instalment/ })).toContainText("+¥5,000,000.00");
});

test("the subdistrict official invites a judge by email; the emailed link lets them sign up and accept", async ({ page, browser }) => {
  const email = uniqueEmail("judge");
  await signIn(page, "official@danghu.example");
  await expect(page).toHaveURL(/\/me$/);
  await page.getByRole("link", { name: "管理", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("管理");
  await page.getByRole("link", { name: "管理工作人员" }).first().click();
  await expect(page).toHaveURL(/\/admin\/areas\/danghu$/);

  await page.getByLabel(/电子邮箱/).fill(email);
  await page.getByLabel(/^角色/).selectOption({ label: "评审专家" });
  await page.getByLabel(/^地区/).selectOption({ label: "当湖街道（街道）" });
  await page.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByRole("status")).toHaveText(`邀请邮件已发给 ${email}。`);
  await expect(page.getByTestId("invitation-list")).toContainText(email);

  const mail = await mailTo(email);
  expect(mail.subject).toContain("评审专家");
  expect(mail.subject).toContain("当湖街道");
  const link = linkIn(mail, "/invitations/");

  // the invitee has no account yet: the page explains and offers sign-up
  const invitee = await (await browser.newContext()).newPage();
  await invitee.goto(link);
  await expect(invitee.getByText("邀请您担任当湖街道的评审专家")).toBeVisible();
  await invitee.getByRole("main").getByRole("link", { name: "注册" }).click();
  await invitee.getByLabel("姓名").fill("蒋评审");
  // the sign-up form arrives with the invited address filled in
  await expect(invitee.getByLabel(/邮箱/)).toHaveValue(email);
  await invitee.getByLabel(/^密码/).fill("春眠不觉晓处处闻啼鸟");
  await invitee.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await invitee.getByRole("button", { name: "注册" }).click();
  await expect(invitee).toHaveURL(/\/verify/);

  await invitee.goto(link);
  await invitee.getByRole("button", { name: "接受邀请" }).click();
  await expect(invitee).toHaveURL(/\/me/);
  await expect(invitee.getByTestId("me-judge")).toContainText("当湖街道");
  await expect(invitee.getByTestId("email-unverified")).toBeVisible();

  // used once: the link now says so
  await invitee.goto(link);
  await expect(invitee.getByText("这个邀请已被接受")).toBeVisible();

  // and the inviter sees the new judge on the staff list
  await page.reload();
  await expect(page.getByTestId("staff-list")).toContainText(email);
});
