import { expect, test, type Browser, type Page } from "@playwright/test";
import { postNeedInSongfeng, signIn, signUp } from "./support";

// A complete 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** A Chinese word no other test (or seed) uses, so a search finds exactly our need. */
function uniqueChineseWord() {
  const chars = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
  let s = "";
  for (let i = 0; i < 6; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/** Posts a need for 松枫社区 (公益服务类) through the form, with a photo if asked; its number. */
const postNeed = (page: Page, title: string, description: string, photo = false) =>
  postNeedInSongfeng(page, { title, description, category: "公益服务类", ...(photo ? { photo: { name: "楼道.png", mimeType: "image/png", buffer: PNG } } : {}) });

async function asUser(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

test("a resident posts and upvotes a need; the vote count changes; a Chinese search finds it", async ({ page, browser }) => {
  const word = uniqueChineseWord();
  const title = `楼道声控灯失灵${word}`;
  await signUp(page, "陈美华", "needs");

  // a refused form keeps what was typed
  await page.goto("/needs/new");
  await page.getByLabel(/^标题/).fill(title);
  await page.getByLabel(/^需求描述/).fill("太短");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("描述至少 10 个字")).toBeVisible();
  await expect(page.getByLabel(/^标题/)).toHaveValue(title);

  const number = await postNeed(page, title, `三号楼楼道的声控灯已经坏了两周，老人晚上上下楼很不安全（${word}）。`, true);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  // the author sees their own name; the photo is served
  await expect(page.getByText(/陈美华（您本人）/)).toBeVisible();
  const img = page.getByRole("img", { name: `需求照片：${title}` });
  await expect(img).toBeVisible();
  const photo = await page.request.get(`/needs/${number}/photo`);
  expect(photo.status()).toBe(200);
  expect(photo.headers()["content-type"]).toBe("image/png");

  // another resident upvotes it from the list, found by a Chinese word
  const other = await asUser(browser, "resident@danghu.example");
  await other.page.goto("/needs");
  await other.page.getByLabel("搜索").fill(word);
  await other.page.getByRole("button", { name: "查找" }).click();
  await expect(other.page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  const card = other.page.getByTestId("need-card");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(title);
  await expect(card.getByTestId("vote-count")).toHaveText("0");
  // the count changes at once (optimistically); the reloads below wait for the vote to be stored
  const voted = other.page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/needs/${number}`));
  await card.getByRole("button", { name: `为第 ${number} 号需求点赞` }).click();
  await expect(card.getByTestId("vote-count")).toHaveText("1");
  await voted;
  await expect(card.getByRole("button", { name: `取消对第 ${number} 号需求的点赞` })).toHaveAttribute("aria-pressed", "true");
  // kept after a reload, and shown on the need page to everyone
  await other.page.reload();
  await expect(other.page.getByTestId("need-card").getByTestId("vote-count")).toHaveText("1");
  await page.reload();
  await expect(page.getByTestId("vote-count")).toHaveText("1");
  // the author's name is not shown to others
  await other.page.goto(`/needs/${number}`);
  await expect(other.page.getByText("陈美华")).toHaveCount(0);
  await expect(other.page.getByText(/^居民 · /)).toBeVisible();
  // unvote on the need page
  const unvoted = other.page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/needs/${number}`));
  await other.page.getByRole("button", { name: `取消对第 ${number} 号需求的点赞` }).click();
  await expect(other.page.getByTestId("vote-count")).toHaveText("0");
  await unvoted;
  await other.page.reload();
  await expect(other.page.getByTestId("vote-count")).toHaveText("0");

  await other.context.close();

  // the same pages in English (a visitor: switching a signed-in account would change its saved language)
  const visitor = await browser.newContext();
  const anon = await visitor.newPage();
  await anon.goto(`/needs/${number}`);
  await anon.getByRole("button", { name: "切换到英文" }).click();
  await expect(anon.locator("html")).toHaveAttribute("lang", "en");
  await expect(anon.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(anon.getByText("Songfeng Community")).toBeVisible();
  await expect(anon.getByRole("link", { name: "Sign in to upvote" })).toBeVisible();
  await anon.goto(`/needs?q=${encodeURIComponent(word)}`);
  await expect(anon.getByRole("heading", { level: 1 })).toHaveText("Residents' needs");
  await expect(anon.getByTestId("needs-total")).toHaveText("1 needs");
  await visitor.close();
});

test("voting works without JavaScript", async ({ browser }) => {
  const author = await browser.newContext();
  const authorPage = await author.newPage();
  await signUp(authorPage, "赵国强", "needs");
  const word = uniqueChineseWord();
  const number = await postNeed(authorPage, `小区缺少晾衣架${word}`, `公共晾衣区的晾衣架损坏，居民没有地方晒被子（${word}）。`);
  await author.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "resident@danghu.example");
  await page.goto(`/needs?q=${encodeURIComponent(word)}`);
  await page.getByRole("button", { name: new RegExp(`为第 ${number} 号需求点赞|Upvote need #${number}$`) }).click();
  // back on the same list, with the vote counted
  await expect(page).toHaveURL(new RegExp(`/needs\\?q=`));
  await expect(page.getByTestId("need-card").getByTestId("vote-count")).toHaveText("1");
  await context.close();
});

test("the community official rejects a need of 松枫社区 with a reason that then shows publicly", async ({ page, browser }) => {
  await signUp(page, "孙丽", "needs");
  const word = uniqueChineseWord();
  const title = `希望开设书法班${word}`;
  const number = await postNeed(page, title, `社区老人很多喜欢书法，希望每周在活动室开一次书法班（${word}）。`);

  const official = await asUser(browser, "songfeng@danghu.example");
  await official.page.goto("/admin/needs");
  await expect(official.page.getByRole("heading", { level: 1 })).toHaveText("需求处理");
  await expect(official.page.getByRole("link", { name: title })).toBeVisible();
  await official.page.getByRole("link", { name: title }).click();
  await expect(official.page).toHaveURL(new RegExp(`/needs/${number}\\?back=`));
  const panel = official.page.getByTestId("curate-panel");
  await panel.getByText("不予采纳", { exact: true }).first().click();
  // too short a reason is refused next to the field
  await panel.getByLabel(/原因/).fill("不行");
  await panel.getByRole("button", { name: "不予采纳" }).click();
  await expect(panel.getByText("原因至少 5 个字")).toBeVisible();
  const reason = `活动室本季度已排满，已转交街道文化站统筹安排（${word}）。`;
  await panel.getByLabel(/原因/).fill(reason);
  await panel.getByRole("button", { name: "不予采纳" }).click();
  await expect(official.page.getByText("已处理。")).toBeVisible();
  await official.context.close();

  // anyone can read the reason
  const visitor = await browser.newContext();
  const anon = await visitor.newPage();
  await anon.goto(`/needs/${number}`);
  await expect(anon.getByTestId("need-status")).toHaveText("未采纳");
  await expect(anon.getByTestId("rejection-reason")).toContainText(reason);
  await expect(anon.getByRole("button", { name: /点赞/ })).toHaveCount(0);
  await anon.getByRole("button", { name: "切换到英文" }).click();
  await expect(anon.getByTestId("need-status")).toHaveText("Rejected");
  await expect(anon.getByRole("heading", { name: "Why it was rejected" })).toBeVisible();
  await visitor.close();

  // the author is told in the inbox
  await page.goto("/inbox");
  await expect(page.getByText(`您的需求“${title}”未被采纳`)).toBeVisible();
});

test("the official finds a duplicate by its words, merges it, and goes back to the list they came from", async ({ page, browser }) => {
  await signUp(page, "周文", "needs");
  const word = uniqueChineseWord();
  const kept = await postNeed(page, `小区门口缺少减速带${word}`, `车辆进出小区速度很快，希望在门口设置减速带（${word}）。`);
  const duplicate = await postNeed(page, `门口需要减速带${word}`, `门口车开得太快，孩子上学很危险，请装减速带（${word}）。`);

  const official = await asUser(browser, "songfeng@danghu.example");
  await official.page.goto(`/admin/needs?status=OPEN&q=${encodeURIComponent(word)}`);
  await official.page.getByRole("link", { name: `门口需要减速带${word}` }).click();
  const panel = official.page.getByTestId("curate-panel");
  await panel.getByText("合并重复需求", { exact: true }).click();
  await panel.getByTestId("merge-search").fill(`减速带 ${word}`);
  await panel.getByRole("button", { name: "查找" }).click();
  // the search keeps the merge form open and offers the other need (never the need itself)
  const pick = panel.getByRole("combobox", { name: /^合并到/ });
  await expect(pick.locator("option", { hasText: `#${kept}` })).toHaveCount(1);
  await expect(pick.locator("option", { hasText: `#${duplicate}` })).toHaveCount(0);
  await pick.selectOption(String(kept));
  await panel.getByRole("button", { name: "确认" }).click();
  await expect(official.page.getByText("已处理。")).toBeVisible();
  await expect(official.page.getByRole("link", { name: new RegExp(`#${kept}`) })).toBeVisible();
  // back leads to the officials' list with its filters, not the public list
  await official.page.getByRole("link", { name: /返回需求处理列表/ }).click();
  await expect(official.page).toHaveURL(/\/admin\/needs\?status=OPEN&q=/);
  await expect(official.page.getByRole("heading", { level: 1 })).toHaveText("需求处理");
  await official.context.close();
});

test("/admin/needs is refused to residents", async ({ browser }) => {
  const { context, page } = await asUser(browser, "resident@danghu.example");
  const res = await page.goto("/admin/needs");
  expect(res?.status()).toBe(403);
  await context.close();
});
