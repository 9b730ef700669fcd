import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { pdfPages } from "../support/pdf";
import { e2eDatabase } from "./support";

/**
 * A member of the public downloads the print-ready notice (公示) of a round whose awards the demo
 * data has published, from the notice page, without signing in.
 */
test("the public downloads a round's notice as a PDF from its notice page", async ({ page }) => {
  const sql = await e2eDatabase();
  const { rows: [round] } = await sql.query<{ code: string }>(`SELECT code FROM "Round" WHERE "awardsPublishedAt" IS NOT NULL ORDER BY code LIMIT 1`);
  const { rows: awards } = await sql.query<{ ref: string }>(`SELECT p."referenceNo" AS ref FROM "Award" a JOIN "Proposal" p ON p.id = a."proposalId" JOIN "Round" r ON r.id = a."roundId" WHERE r.code = $1`, [round!.code]);
  await sql.end();

  await page.goto(`/rounds/${round!.code}/notice`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("notice-pdf").click()]);
  expect(download.suggestedFilename()).toBe(`${round!.code}-资助公示.pdf`);
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const text = (await pdfPages(bytes)).join("").replace(/\s+/g, "");
  expect(text).toContain("社区公益创投拟资助项目公示");
  expect(text).toContain("第1页/共");
  for (const a of awards) expect(text).toContain(a.ref);
});
