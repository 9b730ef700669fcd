import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { linkIn, waitForMail, type ReceivedMail } from "../support/smtp";

export const DEMO_PASSWORD = "Danghu-2026";

/** What the e2e server (tests/support/e2e-server.ts) wrote down for the specs when it started. */
export function e2eServer(): { databaseUrl: string; dataDir: string; smtpPort: number; smtpApiUrl: string } {
  return JSON.parse(fs.readFileSync(path.join(os.tmpdir(), `cvp-e2e-${process.env.E2E_PORT ?? 4173}.json`), "utf8"));
}

export const mailTo = (to: string, match?: (m: ReceivedMail) => boolean) => waitForMail(e2eServer().smtpApiUrl, to, match);
export { linkIn };

/** The day `days` from today in Asia/Shanghai (YYYY-MM-DD): meeting and shift dates relative to the day the test runs. */
export const shanghaiDayFromToday = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

export const uniqueEmail = (prefix = "e2e") => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/**
 * Signs in through the real form and waits for its answer — signed in (the header names the
 * viewer) or refused (an alert) — so that the test's next navigation cannot race the POST.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^密码|^Password/).fill(password);
  await page.getByRole("button", { name: /^登录$|^Sign in$/ }).click();
  await expect(page.getByTestId("viewer-role").or(page.getByRole("alert"))).toBeVisible();
}

/**
 * A connection to the e2e server's database, for the few arrangements no page can make (e.g. a
 * notice period that has already ended). Everything a user can do is done through the pages.
 * Close it with `end()`.
 */
export async function e2eDatabase(): Promise<pg.Client> {
  const { databaseUrl } = e2eServer();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** The e2e server's data directory (where demo payments mode keeps its webhook secret). */
export function e2eDataDir(): string {
  return e2eServer().dataDir;
}

/** A round code no other test uses: a letter, then base-36 time and randomness. */
export const roundCode = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase().slice(-5)}${Math.random().toString(36).slice(2, 4).toUpperCase()}`;

/** The signed-in subdistrict official sets up a round of 当湖街道 with a ¥30,000 pool through the form. */
export async function createRound(page: Page, code: string, title: string, description: string, options: { deliberation?: boolean } = {}) {
  await page.goto("/admin/rounds/new");
  await page.getByLabel("轮次代码").fill(code);
  await page.getByRole("combobox", { name: "地区", exact: true }).selectOption({ label: "当湖街道（街道）" });
  await selectDanghuFund(page);
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("简介与规则说明").fill(description);
  await page.getByLabel("资金池（元）").fill("30,000");
  // most journeys publish needs as topics directly; deliberation (三议) has its own spec
  if (!options.deliberation) await page.getByLabel("选题须经“三议”").uncheck();
  await page.getByRole("button", { name: "创建轮次" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/rounds/${code}\\?created=1$`));
}

/**
 * The subdistrict official, signed in in a context of its own, sets up a round (`createRound`)
 * and opens it for needs: where a journey that takes needs as topics begins.
 */
export async function roundCollectingNeeds(browser: Browser, code: string, title: string, description: string, options: { deliberation?: boolean } = {}): Promise<Page> {
  const official = await (await browser.newContext()).newPage();
  await signIn(official, "official@danghu.example");
  await createRound(official, code, title, description, options);
  await moveToNextPhase(official, code, "需求征集");
  return official;
}

/** A new resident signed up through the form (and signed in), in a browser context of its own. */
export async function newResident(browser: Browser, name: string, emailPrefix = "e2e"): Promise<{ page: Page; email: string; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = await signUp(page, name, emailPrefix);
  return { page, email, close: () => context.close() };
}

/** Signs up a new resident named `name` through the form on `page` (the demo password, a fresh email); the email. */
export async function signUp(page: Page, name: string, emailPrefix = "e2e"): Promise<string> {
  const email = uniqueEmail(emailPrefix);
  await page.goto("/signup");
  await page.getByLabel(/^姓名/).fill(name);
  await page.getByLabel(/电子邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByLabel("我已阅读并同意隐私政策（必选）").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByTestId("viewer-role")).toContainText(name);
  return email;
}

/** The signed-in resident posts a need for 松枫社区 through the form (with a photo if given); its number. */
export async function postNeedInSongfeng(
  page: Page,
  need: { title: string; description: string; category: string; photo?: { name: string; mimeType: string; buffer: Buffer } },
): Promise<number> {
  await page.goto("/needs/new");
  await page.getByLabel(/所在社区/).selectOption({ label: "松枫社区" });
  await page.getByLabel(/^标题/).fill(need.title);
  await page.getByLabel(/^需求描述/).fill(need.description);
  await page.getByLabel(/^类别/).selectOption({ label: need.category });
  if (need.photo) await page.getByLabel(/照片/).setInputFiles(need.photo);
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("需求已发布，谢谢您！")).toBeVisible();
  return Number(/\/needs\/(\d+)/.exec(page.url())![1]);
}

/** Moves a round one phase on through its admin page, confirming, and waits for the new phase. */
export async function moveToNextPhase(page: Page, code: string, next: string) {
  await page.goto(`/admin/rounds/${code}`);
  const panel = page.getByTestId("phase-panel");
  await panel.getByText(`进入下一阶段：${next}`).click();
  await panel.getByRole("button", { name: "确认进入下一阶段" }).click();
  await expect(panel.getByTestId("phase-badge")).toHaveText(next);
}

/**
 * A new official of 当湖街道 (same password as the demo accounts), for tests that change what an
 * account remembers — its language — or that must not be affected by other tests doing so.
 */
export async function freshOfficial(name = "测试专员"): Promise<string> {
  const email = uniqueEmail("official");
  const sql = await e2eDatabase();
  try {
    await sql.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", "emailVerifiedAt", locale, "updatedAt")
       SELECT gen_random_uuid()::text, $1, $2, "passwordHash", now(), 'zh_CN', now() FROM "User" WHERE email = 'official@danghu.example'`,
      [email, name],
    );
    // the demo official accepted the privacy notice in force; so has this one (else every page asks first)
    await sql.query(
      `INSERT INTO "Consent" (id, kind, "noticeVersion", "userId")
       SELECT gen_random_uuid()::text, 'PRIVACY_NOTICE', c."noticeVersion", u.id
       FROM "User" u, "Consent" c JOIN "User" o ON o.id = c."userId"
       WHERE u.email = $1 AND o.email = 'official@danghu.example' AND c.kind = 'PRIVACY_NOTICE'`,
      [email],
    );
    await sql.query(
      `INSERT INTO "RoleGrant" (id, "userId", role, "areaId")
       SELECT gen_random_uuid()::text, u.id, 'OFFICIAL', a.id FROM "User" u, "Area" a WHERE u.email = $1 AND a.code = 'danghu'`,
      [email],
    );
  } finally {
    await sql.end();
  }
  return email;
}

/**
 * Picks the Danghu community development fund as a round's source of money (the district has a
 * second, small community micro-fund that a ¥30,000 pool would empty for every later test).
 */
export async function selectDanghuFund(page: Page) {
  const select = page.getByLabel("资金来源（基金）");
  const value = await select.locator("option", { hasText: "当湖街道社区发展基金" }).getAttribute("value");
  await select.selectOption(value!);
}
