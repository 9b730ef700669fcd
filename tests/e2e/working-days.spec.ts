import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createRound, e2eDatabase, e2eServer, freshOfficial, moveToNextPhase, roundCode, signIn } from "./support";

/**
 * An official publishes a notice across National Day and sees its end skip the holiday. The holiday
 * is 1–7 October 2026 and publishing happens "now", so the publishing is done through a second,
 * web-only instance of the same build on the same database whose clock starts at 30 September 2026
 * 10:00 Beijing time (tests/support/shifted-clock.ts); everything else goes through the usual e2e server.
 * The round's one proposal is inserted (flow.spec.ts covers applying and screening) and has no score
 * sheets, so the official publishes with "publish anyway". Then the official confirms 2026 on the
 * calendar page as the notice gives it (the same days as the package's).
 */
test.setTimeout(240_000);

const SHIFTED_CLOCK = "2026-09-30T10:00:00+08:00";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The app's production build on its own port, web only (no worker), believing it is SHIFTED_CLOCK. */
async function startShiftedServer(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-e2e-shifted-"));
  const app: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--import", "./tests/support/shifted-clock.ts", "server/main.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: `http://localhost:${port}`,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      DEMO_MODE: "true",
      WORKER: "false",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(e2eServer().smtpPort),
      LOG_LEVEL: "warn",
      SHIFTED_CLOCK,
    },
  });
  const url = `http://localhost:${port}`;
  const stop = async () => {
    if (app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((r) => app.once("exit", r));
      app.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // ready when it answers; it has failed when it exits first
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the shifted server exited with ${app.exitCode}`);
    const up = await fetch(`${url}/`).then((r) => r.ok, () => false);
    if (up) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("公示跨国庆: published on 30 September 2026, a 5-working-day notice ends on 14 October, skipping 1–7 October and counting make-up Saturday 10 October", async ({ browser }) => {
  const code = roundCode("W");
  const sql = await e2eDatabase();
  const context = await browser.newContext();
  const page = await context.newPage();
  let shifted: Awaited<ReturnType<typeof startShiftedServer>> | null = null;
  try {
    // a round of 当湖街道 in review with one eligible proposal, set up through the usual server
    await signIn(page, await freshOfficial("工作日专员"));
    await createRound(page, code, `国庆公示 ${code}`, "公示期跨国庆假期的测试轮次。");
    for (const next of ["需求征集", "项目申报", "资格审查"]) await moveToNextPhase(page, code, next);
    const { rows: [round] } = await sql.query<{ id: string }>(`SELECT id FROM "Round" WHERE code = $1`, [code]);
    await sql.query(
      `INSERT INTO "Proposal" (id, "roundId", "organizationId", "createdById", status, "referenceNo", title, summary, "communityId", category,
                               "requestedFen", "submittedAt", "submittedById", snapshot, "snapshotSha256", "updatedAt")
       SELECT gen_random_uuid()::text, $1, m."organizationId", u.id, 'ELIGIBLE', $2, $3, '项目摘要', o."areaId", 'PUBLIC_SERVICE',
              1200000, now(), u.id, jsonb_build_object('title', $3::text, 'summary', '项目摘要'), repeat('0', 64), now()
         FROM "User" u JOIN "OrganizationMember" m ON m."userId" = u.id JOIN "Organization" o ON o.id = m."organizationId"
        WHERE u.email = 'applicant@danghu.example' LIMIT 1`,
      [round!.id, `${code}-0001`, `节日关爱 ${code}`],
    );
    await moveToNextPhase(page, code, "专家评审");

    // 30 September 2026, 10:00 Beijing time: the results page says when a notice published now would end
    const { databaseUrl } = e2eServer();
    shifted = await startShiftedServer(databaseUrl);
    await page.goto(`${shifted.url}/admin/rounds/${code}/results`); // the session cookie is the same on every port of localhost
    const preview = page.getByTestId("notice-preview");
    await expect(preview.getByTestId("notice-end")).toHaveText("公示于 2026-10-13 24:00（北京时间）结束，最后一个工作日为 2026/10/13。");

    // the official publishes
    await page.getByLabel("评分未完成时仍然发布").check();
    await page.getByText("发布拟资助名单", { exact: true }).click();
    await page.getByRole("button", { name: "确认发布" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "拟资助项目公示" })).toBeVisible();

    // the notice shows its exact end and how it was counted, skipping the holiday
    const counting = page.getByTestId("notice-counting");
    await expect(counting.getByTestId("notice-end")).toHaveText("公示于 2026-10-13 24:00（北京时间）结束，最后一个工作日为 2026/10/13。");
    await expect(counting.getByTestId("notice-counted")).toHaveText("自发布次日起计 5 个工作日：2026/10/08、2026/10/09、2026/10/10（调休上班）、2026/10/12、2026/10/13");
    await expect(counting.getByTestId("notice-holidays")).toHaveText("不计法定节假日：2026/10/01–2026/10/07");
    await expect(counting.getByTestId("notice-weekends")).toHaveText("不计周末：2026/10/11");
    await expect(counting.getByTestId("notice-sources")).toContainText("2026 年按国务院办公厅通知（chinese-days 1.5.7 数据包）");
    await shifted.stop();
    shifted = null;

    // what was counted is kept: the public notice on the usual server shows the same end
    const visitor = await browser.newPage();
    await visitor.goto(`/rounds/${code}/notice`);
    await expect(visitor.getByTestId("notice-counting").getByTestId("notice-end")).toHaveText("公示于 2026-10-13 24:00（北京时间）结束，最后一个工作日为 2026/10/13。");
    await visitor.close();

    // the calendar page: 2026 comes from the package; the official confirms it as the published notice
    // gives it (the same days: nothing any other test counts changes), checking before saving
    await page.goto("/admin/calendar");
    await expect(page.getByTestId("calendar-2026").getByTestId("calendar-source")).toHaveText("数据包（chinese-days 1.5.7）");
    await page.getByRole("link", { name: "更正 2026 年" }).click();
    await expect(page.getByLabel("放假日期（含假期中的周末）")).toHaveValue(/2026-10-01~2026-10-07/);
    await page.getByLabel("来源（通知标题、文号或网址）").fill("国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）");
    await page.getByRole("button", { name: "检查" }).click();
    const check = page.getByTestId("calendar-preview");
    await expect(check).toContainText("保存后取代数据包中的 2026 年安排。");
    await expect(check.getByTestId("calendar-changes")).toHaveText("与现行安排相比 — 新增放假：无；取消放假：无；新增调休上班：无；取消调休上班：无");
    await check.getByRole("button", { name: "确认保存" }).click();
    await expect(page.getByTestId("done")).toHaveText("已保存。此后的工作日计算按新的安排执行。");
    await expect(page.getByTestId("calendar-2026").getByTestId("calendar-source")).toContainText("官员录入：国务院办公厅关于2026年部分节假日安排的通知");
  } finally {
    await shifted?.stop();
    await context.close();
    await sql.end();
  }
});
