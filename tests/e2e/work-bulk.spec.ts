import { expect, test, type Browser } from "@playwright/test";
import { e2eDatabase, freshOfficial, signIn } from "./support";

/**
 * An official works through their work list with bulk approvals — without JavaScript, plain
 * forms with checkboxes: two expenses and a mid-term milestone report of the seeded JN6-0007
 * (an overdue project no other journey uses), each confirmed before it is approved. The report's
 * approval makes the mid-term tranche payable; the official registers its transfer, and the
 * district's finance reviewer (finance@, a second official) sees it on the badge and approves it.
 */
test.setTimeout(180_000);

const REF = "JN6-0007";
const FINANCE = "finance@danghu.example";

interface Setup {
  tag: string;
  /** the same in ASCII (a bank reference takes no Chinese) */
  ascii: string;
  expenseIds: string[];
  reportId: string;
  tranchePosition: number;
}

/** Two submitted expenses and the mid-term milestone's submitted report, older than anything seeded, so that /me lists them first. */
async function arrange(options: { report: boolean }): Promise<Setup> {
  const ascii = Date.now().toString(36).slice(-5).toUpperCase();
  const tag = `批量${ascii}`;
  const sql = await e2eDatabase();
  try {
    const { rows: [p] } = await sql.query<{ id: string; grantee: string; line: string }>(
      `SELECT p.id, (SELECT m."userId" FROM "OrganizationMember" m WHERE m."organizationId" = p."organizationId" AND m."userId" IS NOT NULL LIMIT 1) AS grantee,
              (SELECT b.id FROM "ProjectBudgetLine" b WHERE b."projectId" = p.id ORDER BY b.position LIMIT 1) AS line
         FROM "Project" p WHERE p."referenceNo" = $1 AND p.status = 'ACTIVE'`,
      [REF],
    );
    const expenseIds = [];
    for (const [i, payee] of [`${tag}文具店`, `${tag}印刷店`].entries()) {
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO "Expense" (id, "projectId", "spentOn", payee, "amountFen", "budgetLineId", description, status, "submittedById", "createdAt", "updatedAt")
         VALUES (gen_random_uuid()::text, $1, '2026-01-05', $2, $3, $4, '活动用品', 'SUBMITTED', $5, $6, now()) RETURNING id`,
        [p!.id, payee, 12_300 + i * 100, p!.line, p!.grantee, `2026-01-0${5 + i}T10:00:00+08:00`],
      );
      expenseIds.push(rows[0]!.id);
    }
    if (!options.report) return { tag, ascii, expenseIds, reportId: "", tranchePosition: 0 };
    const { rows: [t] } = await sql.query<{ position: number; milestoneId: string }>(
      `SELECT t.position, t."milestoneId" FROM "Tranche" t JOIN "ProjectMilestone" m ON m.id = t."milestoneId"
        WHERE t."projectId" = $1 AND t.trigger = 'MIDTERM' AND t.status = 'LOCKED' AND m.status = 'PENDING'`,
      [p!.id],
    );
    const { rows: [report] } = await sql.query<{ id: string }>(
      `INSERT INTO "MilestoneReport" (id, "projectId", "milestoneId", status, narrative, "beneficiariesServed", "authorId", "submittedAt", "updatedAt")
       VALUES (gen_random_uuid()::text, $1, $2, 'SUBMITTED', $3, 24, $4, '2026-01-04T10:00:00+08:00', now()) RETURNING id`,
      [p!.id, t!.milestoneId, `${tag}：中期服务已完成，开展助餐 40 次。`, p!.grantee],
    );
    return { tag, ascii, expenseIds, reportId: report!.id, tranchePosition: t!.position };
  } finally {
    await sql.end();
  }
}

async function withoutScript(browser: Browser, email: string) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^密码|^Password/).fill("Danghu-2026");
  await page.getByRole("button", { name: /^登录$/ }).click();
  await expect(page.getByTestId("viewer-role")).toBeVisible();
  return { page, close: () => context.close() };
}

test("an official approves several expenses and a report from the work list, with a confirmation; finance then approves the release", async ({ browser }) => {
  const s = await arrange({ report: true });
  const officialEmail = await freshOfficial("批量审核专员");
  const official = await withoutScript(browser, officialEmail);
  const page = official.page;
  try {
    // 1. the work list: the expenses waiting, each with a box to tick
    await page.goto("/me");
    const expenses = page.getByTestId("work-bulk-expenses");
    await expect(expenses).toBeVisible();
    await expenses.getByRole("checkbox", { name: new RegExp(`${s.tag}文具店`) }).check();
    await expenses.getByRole("checkbox", { name: new RegExp(`${s.tag}印刷店`) }).check();
    await expenses.getByRole("button", { name: "批量批准所选…" }).click();

    // 2. the confirmation lists exactly what will be approved
    await expect(page).toHaveURL(/\/me\/approve\/expenses\?item=/);
    const confirm = page.getByTestId("bulk-confirm");
    await expect(confirm.getByRole("heading", { name: "确认批准以下 2 项" })).toBeVisible();
    const rows = confirm.getByTestId("bulk-to-approve").getByTestId("bulk-item");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(`${s.tag}文具店`);
    await expect(rows.nth(0)).toContainText("¥123.00");
    await expect(rows.nth(1)).toContainText(`${s.tag}印刷店`);
    await confirm.getByRole("button", { name: "确认批准 2 项" }).click();
    await expect(page.getByTestId("done")).toHaveText("已批准 2 项。");
    await expect(page.getByTestId("bulk-not-approved")).toHaveCount(0);

    // 3. back on the work list, they are gone; the mid-term report is approved the same way
    await page.getByRole("link", { name: "返回我的待办" }).first().click();
    await expect(page).toHaveURL(/\/me$/);
    // other journeys submit and approve expenses in the same district while this one runs, so the
    // count is not compared here (the work list's counts are checked in the integration tests)
    await expect(page.getByText(`${s.tag}文具店`)).toHaveCount(0);
    await expect(page.getByText(`${s.tag}印刷店`)).toHaveCount(0);

    const reports = page.getByTestId("work-bulk-reports");
    await reports.getByRole("checkbox", { name: new RegExp(REF) }).first().check();
    await reports.getByRole("button", { name: "批量批准所选…" }).click();
    const confirmReport = page.getByTestId("bulk-confirm");
    await expect(confirmReport.getByTestId("bulk-to-approve").getByTestId("bulk-item")).toHaveCount(1);
    await expect(confirmReport.getByTestId("bulk-to-approve")).toContainText(REF);
    await confirmReport.getByRole("button", { name: "确认批准 1 项" }).click();
    await expect(page.getByTestId("done")).toHaveText("已批准 1 项。");

    // 4. the approved mid-term milestone made its tranche payable: the official registers the transfer
    await page.goto(`/projects/${REF}/agreement`);
    const tranche = page.getByTestId(`tranche-${s.tranchePosition}`);
    await expect(tranche.getByTestId("tranche-status")).toHaveText("可拨付");
    await tranche.getByTestId("transfer-ref").fill(`ICBC-E2E-${s.ascii}`);
    await tranche.getByRole("button", { name: "登记拨付（第一步）" }).click();
    await expect(page.getByTestId("done")).toContainText("已登记");
  } finally {
    await official.close();
  }

  // 5. finance: the badge counts the release waiting, the work list leads to it, and it is approved
  const context = await browser.newContext();
  const fin = await context.newPage();
  try {
    await signIn(fin, FINANCE);
    await fin.goto("/me");
    await expect(fin.getByTestId("me-badge")).toBeVisible();
    const releases = fin.getByTestId("work-releasesToApprove");
    await expect(releases).toContainText(REF);
    // no box to tick: a release is approved one at a time, on its own page
    await expect(releases.getByRole("checkbox")).toHaveCount(0);
    await releases.getByTestId("work-item").filter({ hasText: REF }).getByRole("link").click();
    await expect(fin).toHaveURL(new RegExp(`/projects/${REF}/agreement$`));
    const row = fin.getByTestId(`tranche-${s.tranchePosition}`);
    await row.locator("summary", { hasText: "复核并拨付（第二步）" }).click();
    await row.getByRole("button", { name: "复核并拨付（第二步）" }).click();
    await expect(fin.getByTestId(`tranche-${s.tranchePosition}`).getByTestId("tranche-status")).toHaveText("已拨付");
    await fin.goto("/me");
    await expect(fin.getByTestId("work-releasesToApprove").filter({ hasText: REF })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("with JavaScript the same forms lead to the confirmation; a forged selection with another area's expense is refused whole", async ({ browser }) => {
  const s = await arrange({ report: false });
  const mine = await browser.newContext();
  const own = await mine.newPage();
  try {
    await signIn(own, await freshOfficial("批量审核（脚本）"));
    await own.goto("/me/approve/expenses");
    const choose = own.getByTestId("bulk-choose");
    await choose.getByRole("checkbox", { name: new RegExp(`${s.tag}印刷店`) }).check();
    await choose.getByRole("button", { name: "下一步：确认" }).click();
    await expect(own).toHaveURL(/\/me\/approve\/expenses\?item=/);
    await expect(own.getByTestId("bulk-confirm").getByRole("heading", { name: "确认批准以下 1 项" })).toBeVisible();
    await expect(own.getByTestId("bulk-to-approve")).toContainText(`${s.tag}印刷店`);
  } finally {
    await mine.close();
  }

  const sql = await e2eDatabase();
  // an official of another community (松枫 is not JN6-0007's): every item must be theirs
  const { rows: [other] } = await sql.query<{ code: string }>(
    `SELECT a.code FROM "Area" a JOIN "Project" p ON true WHERE p."referenceNo" = $1 AND a.level = 'COMMUNITY' AND p."areaPath" NOT LIKE a.path || '%' LIMIT 1`,
    [REF],
  );
  const email = await freshOfficial("别的社区专员");
  await sql.query(`UPDATE "RoleGrant" SET "areaId" = (SELECT id FROM "Area" WHERE code = $2) WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [email, other!.code]);
  await sql.end();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, email);
    const res = await page.goto(`/me/approve/expenses?item=${s.expenseIds[0]}:1`);
    expect(res!.status()).toBe(403);
  } finally {
    await context.close();
  }
});
