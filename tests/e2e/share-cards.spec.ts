/**
 * Share cards: the public pages of a round, need, project, foundation and campaign carry Open
 * Graph tags (title, description, image, address — absolute) in the reader's language, so a link
 * pasted in a WeChat group shows what it is. And the pages a poster is for link to it.
 */
import { expect, test, type Page } from "@playwright/test";
import { fillPaths } from "./accessibility-pages";
import { e2eDatabase } from "./support";

const og = (page: Page, property: string) => page.locator(`head meta[property="${property}"]`).getAttribute("content");

async function publicPages(): Promise<string[]> {
  const sql = await e2eDatabase();
  try {
    const campaign = await sql.query(`SELECT slug FROM "MatchingCampaign" ORDER BY slug LIMIT 1`);
    const paths = await fillPaths(sql, ["/rounds/:openRound", "/needs/:need", "/projects/:project", "/foundations/:foundation"]);
    return [...paths, `/campaigns/${encodeURIComponent(String(campaign.rows[0].slug))}`];
  } finally {
    await sql.end();
  }
}

test("public pages carry Open Graph title, description, image and address, in the reader's language", async ({ page, context, baseURL }) => {
  const paths = await publicPages();
  for (const path of paths) {
    await page.goto(path);
    const title = await og(page, "og:title");
    expect(title, path).toBeTruthy();
    expect(await page.title(), path).toContain(title!);
    expect((await og(page, "og:description"))?.length, path).toBeGreaterThan(0);
    expect(await og(page, "og:image"), path).toMatch(/^https?:\/\/[^/]+\/og-image\.png$/);
    expect(await og(page, "og:url"), path).toMatch(new RegExp(`^https?://[^/]+${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    expect(await og(page, "og:locale"), path).toBe("zh_CN");
  }
  const image = await page.request.get(`${baseURL}/og-image.png`);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");
  // in English for an English reader
  await context.addCookies([{ name: "lang", value: "en", url: baseURL! }]);
  await page.goto(paths[3]!);
  expect(await og(page, "og:locale")).toBe("en_US");
  expect(await og(page, "og:title")).toMatch(/[A-Za-z]/);
});

test("the pages a poster is for link to it, and the poster downloads as a PDF", async ({ page }) => {
  const paths = await publicPages();
  for (const path of [paths[0]!, paths[3]!, paths[4]!]) {
    await page.goto(path);
    const link = page.getByRole("link", { name: /打印海报/ });
    await expect(link).toBeVisible();
    const href = (await link.getAttribute("href"))!;
    const pdf = await page.request.get(href);
    expect(pdf.status(), href).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const png = await page.request.get(href.replace("poster.pdf", "qr.png"));
    expect(png.headers()["content-type"]).toBe("image/png");
  }
});
