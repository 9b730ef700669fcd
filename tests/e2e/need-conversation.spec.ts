import { expect, test } from "@playwright/test";
import { e2eDatabase, signIn } from "./support";

/** An open need of 松枫社区 from the demo data (the demo community official covers it). */
async function songfengNeed(): Promise<number> {
  const sql = await e2eDatabase();
  try {
    const { rows } = await sql.query(
      `SELECT n.number FROM "Need" n JOIN "Area" a ON a.id = n."areaId" WHERE a.code = 'songfeng' AND n.status = 'OPEN' ORDER BY n.number LIMIT 1`,
    );
    return rows[0].number as number;
  } finally {
    await sql.end();
  }
}

test("a resident comments on a need and follows it; an official replies; the resident hears of it", async ({ browser }) => {
  const number = await songfengNeed();
  const marker = `${Date.now().toString(36)}`;

  const resident = await browser.newContext();
  const rPage = await resident.newPage();
  await signIn(rPage, "resident@danghu.example");
  await rPage.goto(`/needs/${number}`);
  await rPage.getByLabel("您的留言").fill(`晚上这里确实很暗，希望尽快解决（${marker}）`);
  await rPage.getByRole("button", { name: "发表留言" }).click();
  await expect(rPage.getByTestId("need-comment").filter({ hasText: marker })).toBeVisible();
  // following: the button turns into "unfollow"
  const follow = rPage.getByRole("button", { name: /关注/ });
  if ((await follow.getAttribute("aria-pressed")) !== "true") {
    await follow.click();
  }
  await expect(rPage.getByTestId("following")).toBeVisible();

  const official = await browser.newContext();
  const oPage = await official.newPage();
  await signIn(oPage, "songfeng@danghu.example");
  await oPage.goto(`/needs/${number}`);
  await oPage.getByLabel("官方回复").fill(`已联系物业，本周内维修（${marker}）`);
  await oPage.getByRole("button", { name: "以官方身份回复" }).click();
  const reply = oPage.getByTestId("need-comment").filter({ hasText: `本周内维修（${marker}）` });
  await expect(reply.getByTestId("official-reply")).toBeVisible();
  await official.close();

  await rPage.goto("/inbox");
  await expect(rPage.getByText(`已联系物业，本周内维修（${marker}）`).first()).toBeVisible();
  await resident.close();
});
