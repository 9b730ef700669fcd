import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { createRound, e2eDatabase, freshOfficial, moveToNextPhase, roundCode, signIn } from "./support";

/**
 * The audit log as an official reads it: a new official of 当湖街道 sets up a round and moves it
 * on (their own records, so that other tests' records cannot get in the way), then filters the
 * log by that round, by a seeded project, by themselves and by action, opens a record's
 * before/after, exports the filtered log as CSV (the export is itself recorded), and verifies the
 * hash chain.
 */
test("an official filters the audit log by round, project, person and action, reads a before/after, exports CSV and verifies the chain", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `审计读者${Date.now().toString(36).slice(-5)}`;
  const email = await freshOfficial(name);
  await signIn(page, email);
  const code = roundCode("AV");
  await createRound(page, code, `审计查看测试轮次 ${code}`, "用于审计日志筛选、导出和哈希链校验的测试轮次。");
  await moveToNextPhase(page, code, "需求征集");

  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { level: 1, name: "审计日志" })).toBeVisible();
  const rows = page.getByTestId("audit-row");
  const filter = async (fields: Record<string, string>) => {
    await page.goto("/admin/audit");
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole("button", { name: "筛选", exact: true }).click();
    // the filtered page, not the one it replaces
    await page.waitForURL((url) => Object.values(fields).every((v) => [...url.searchParams.values()].includes(v)));
    await expect(rows.first()).toBeVisible();
  };

  // Each check below retries until it holds: for a moment after the address changes, the rows
  // on screen can still be those of the page the filter replaces.
  const actions = page.getByTestId("audit-action");

  // by round: its creation and its move, nothing of any other round
  await filter({ 轮次代码: code });
  await expect(page).toHaveURL(new RegExp(`round=${code}`));
  await expect(rows.filter({ hasNotText: code })).toHaveCount(0);
  await expect(actions.filter({ hasText: "round.create" })).not.toHaveCount(0);
  await expect(actions.filter({ hasText: "round.phase" })).not.toHaveCount(0);

  // by project: the seeded JN6-0002's records (its creation, its approved milestones)
  await filter({ 项目编号: "JN6-0002" });
  await expect(page).toHaveURL(/project=JN6-0002/);
  await expect(rows.filter({ hasNotText: "JN6-0002" })).toHaveCount(0);
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(actions.filter({ hasText: "milestone.approve" })).not.toHaveCount(0);

  // by person: only what this official did
  await filter({ "操作人（邮箱或姓名）": email });
  await expect(rows.filter({ hasNotText: name })).toHaveCount(0);
  await expect(actions.filter({ hasText: "round.create" })).not.toHaveCount(0);

  // by person and action: the one phase move, its before and after
  await filter({ "操作人（邮箱或姓名）": email, "操作（前缀）": "round.phase" });
  await expect(page).toHaveURL(/action=round\.phase/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("audit-action")).toContainText("轮次进入下一阶段");
  const changes = rows.first().getByTestId("audit-changes");
  await changes.locator("summary").click();
  await expect(changes.getByRole("columnheader", { name: "变更前" })).toBeVisible();
  await expect(changes.getByRole("columnheader", { name: "变更后" })).toBeVisible();
  const phase = changes.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "phase" }) });
  await expect(phase.getByRole("cell").nth(0)).toContainText("DRAFT");
  await expect(phase.getByRole("cell").nth(1)).toContainText("NEEDS");

  // the filtered log as CSV: the same one record
  const downloading = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("audit-log.csv");
  const csv = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toBe("seq,time,actor,actor_email,action,object_type,object_id,round,project,changes");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(name);
  expect(lines[1]).toContain(",round.phase,Round,");
  expect(lines[1]).toContain(code);
  expect(lines[1]).toMatch(/DRAFT.*NEEDS/);
  // the export is itself recorded, with its filters (a record about no area: a subdistrict's
  // official does not see it in the log, so it is read from the database)
  const sql = await e2eDatabase();
  try {
    const recorded = await sql.query(`SELECT r.after FROM "AuditLog" r JOIN "User" u ON u.id = r."actorId" WHERE u.email = $1 AND r.action = 'audit.export'`, [email]);
    expect(recorded.rows.map((r: { after: unknown }) => r.after)).toEqual([{ filters: expect.objectContaining({ person: email, action: "round.phase" }) }]);
  } finally {
    await sql.end();
  }

  // the chain: intact, and its head's hash
  await page.getByRole("button", { name: "校验哈希链" }).click();
  await expect(page.getByTestId("chain-intact")).toContainText("哈希链完整");
  await expect(page.getByTestId("chain-head")).toContainText(/链头：第 \d+ 号记录，哈希 [0-9a-f]{64}/);
});
