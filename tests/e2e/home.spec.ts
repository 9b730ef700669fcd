import { expect, test } from "@playwright/test";
import { formatDeadline } from "../../app/lib/deadline";
import { ROUND_JN7 } from "../../prisma/demo-data";
import { e2eDatabase } from "./support";

/**
 * The home page leads with the seeded round open for proposals (JN7; its deadline follows the day the
 * demo was seeded, see prisma/demo-clock.ts): its deadline written as the last day and hour, what is left, the
 * way to apply, and the round's own page; in English, the round's English title.
 */
test("the home page leads to the open round, with its deadline, in Chinese and English", async ({ page }) => {
  const sql = await e2eDatabase();
  const { rows } = await sql.query<{ deadline: Date }>(`SELECT "proposalsDeadline" AS deadline FROM "Round" WHERE code = $1`, [ROUND_JN7.code]).finally(() => sql.end());
  const deadline = rows[0]!.deadline;
  expect(formatDeadline("zh-CN", deadline)).toMatch(/^\d{4}-\d{2}-\d{2} 24:00（北京时间）$/);
  await page.goto("/");
  const round = page.getByTestId("home-round");
  await expect(round.getByTestId("home-round-title")).toHaveText(ROUND_JN7.title);
  await expect(round.getByTestId("countdown-deadline")).toHaveText(formatDeadline("zh-CN", deadline));
  await expect(round.getByTestId("countdown-left")).toHaveText(/^(还剩 \d+ 天 \d+ 小时|还剩 \d+ 小时 \d+ 分|已截止)$/);
  await expect(round.getByRole("link", { name: "立即申报" })).toHaveAttribute("href", `/rounds/${ROUND_JN7.code}/apply`);

  await round.getByTestId("home-round-link").click();
  await expect(page).toHaveURL(`/rounds/${ROUND_JN7.code}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ROUND_JN7.title);
  await expect(page.getByTestId("round-deadline")).toHaveText(formatDeadline("zh-CN", deadline));

  await page.getByRole("button", { name: "切换到英文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ROUND_JN7.titleEn);
  await page.goto("/");
  await expect(page.getByTestId("home-round-title")).toHaveText(ROUND_JN7.titleEn);
  expect(formatDeadline("en", deadline)).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, 24:00 \(Beijing time\)$/);
  await expect(page.getByTestId("countdown-deadline")).toHaveText(formatDeadline("en", deadline));
  await expect(page.getByRole("link", { name: "Apply now" })).toBeVisible();
});
