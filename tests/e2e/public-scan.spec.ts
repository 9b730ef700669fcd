import { expect, test, type APIRequestContext } from "@playwright/test";
import type pg from "pg";
import { DEMO_ACCOUNTS } from "../../prisma/demo-data";
import { findPersonalData, invitationLinks, personalData, postNeedWithPhoto, responseText, scanPartOf, scanPublicRoutes } from "./public-scan";
import { e2eDatabase, newResident, signIn } from "./support";

/**
 * Every public route of the route table, filled with the seeded district's real rounds, projects,
 * foundations, campaigns, needs, areas, gifts and open-data files, fetched anonymously in Chinese
 * and English: none shows a beneficiary, a donor's address, a donor who did not agree to be named,
 * an objector, a judge or an account's address (tests/e2e/public-scan.ts). The scan is in three
 * parts run side by side: each fills and checks the whole route table and fetches the addresses
 * `scanPartOf` gives it; one test of all of it was the suite's longest.
 */
const PARTS = 3;
for (let part = 0; part < PARTS; part++) {
  test(`no public route shows personal data, in Chinese or English (part ${part + 1} of ${PARTS})`, async ({ browser, request }) => {
    // a bound for a stuck walk, not a speed limit: a few hundred pages, several times slower on a busy machine
    test.setTimeout(600_000);
    const sql = await e2eDatabase();
    try {
      // what the seed lacks, arranged through the pages: a need with a photo (posted by a resident
      // of this part's own), and the directed fund's invitation links (their codes are stored encrypted)
      const resident = await newResident(browser, `扫描居民${part + 1}`, "scan");
      await postNeedWithPhoto(resident.page);
      await resident.close();
      const manager = await browser.newContext();
      const managerPage = await manager.newPage();
      await signIn(managerPage, DEMO_ACCOUNTS.foundationManager.email);
      const links = await invitationLinks(managerPage, sql);
      await manager.close();

      const data = await personalData(sql);
      if (part === 0) await expectSearchWorks(sql, data, request);

      const result = await scanPublicRoutes(request, sql, data, { invitationLinks: links }, (url) => scanPartOf(url, PARTS) === part);
      expect(result.problems).toEqual([]);
      expect(result.scanned.length).toBeGreaterThan(0);
      // the route table was walked: public pages, open data, photos, the directed fund's page with its code …
      expect(result.filled).toEqual(
        expect.arrayContaining(["/", "/projects/JN6-0002", "/rounds/JN6/notice", "/rounds/JN6/notice/export?format=xlsx", "/open-data/donations.csv", "/open-data/objections.json", "/transparency", "/campaigns/danghu-winter-match", "/areas/songfeng"]),
      );
      expect(result.filled.some((u) => /^\/projects\/JN6-\d{4}\/photos\/[0-9a-f-]+\?thumb=1$/.test(u))).toBe(true);
      expect(result.filled.some((u) => /^\/foundations\/donghu-neighbours-fund\/donate\?code=/.test(u))).toBe(true);
      expect(result.filled.some((u) => /^\/needs\/\d+\/photo$/.test(u))).toBe(true);
      // … and what an anonymous visitor is sent away from was recognised as private
      expect(result.privateRoutes).toEqual(expect.arrayContaining(["/admin/audit", "/projects/:ref/beneficiaries", "/projects/:ref/callbacks", "/admin/foundations/:slug/donations/:ref", "/me/donations"]));
    } finally {
      await sql.end();
    }
  });
}

/** The list of personal data holds what it must and no consented name; the search works on a real page. */
async function expectSearchWorks(sql: pg.Client, data: Awaited<ReturnType<typeof personalData>>, request: APIRequestContext) {
  // the seed's personal data is in the list the pages are searched for
  for (const value of ["金阿婆", "13957300101", "gift1@donors.example", "朱雪芳", "resident01@danghu.example", "沈国平", "赵明（评审专家）", "陈晓", "何晓燕", "平湖市新华书店"]) expect(data.needles.has(value), value).toBe(true);
  // a donor named on the wall with their consent is no finding, even where the name is also a member's
  expect(data.needles.has("陆晓燕")).toBe(false);
  expect(data.needles.has("沈建华")).toBe(false);
  // so is a volunteer on their community's wall by consent; one who did not agree stays a finding
  const { rows: wall } = await sql.query<{ name: string; shown: boolean }>(
    `SELECT u.name, v."showOnWall" AND v.status = 'CONFIRMED' AS shown FROM "Volunteer" v JOIN "User" u ON u.id = v."userId" WHERE u.email LIKE '%@danghu.example' ORDER BY v."showOnWall" DESC, u.name`,
  );
  const shown = wall.filter((v) => v.shown);
  const hidden = wall.filter((v) => !v.shown && !shown.some((s) => s.name === v.name));
  expect(shown.length).toBeGreaterThan(0);
  expect(hidden.length).toBeGreaterThan(0);
  for (const v of shown) expect(data.needles.has(v.name), v.name).toBe(false);
  for (const v of hidden) expect(data.needles.has(v.name), v.name).toBe(true);

  // the search works on real responses: the demo's sign-in page lists the demo accounts (allowed
  // there, and only there)
  const login = await responseText(await request.get("/login"));
  expect(findPersonalData("/login (zh-CN)", login, data)).toEqual([]);
  expect(findPersonalData("/elsewhere (zh-CN)", login, data).join("\n")).toContain("an account's e-mail address «official@danghu.example»");
}

test("the scan recognises personal data: listed values, phones (also masked), ID numbers and e-mail addresses", () => {
  const data = { needles: new Map([["金阿婆", "a beneficiary's name"]]) };
  const found = (text: string, url = "/x") => findPersonalData(url, text, data);
  expect(found("<p>服务对象：金阿婆</p>")).toHaveLength(1);
  expect(found("电话 13957300101。")).toHaveLength(1);
  expect(found("电话 139****0101")).toHaveLength(1);
  // 11010519491231002X: the specimen number of GB 11643 (a valid check character)
  expect(found("身份证 11010519491231002X")).toHaveLength(1);
  expect(found("联系 someone@example.com")).toHaveLength(1);
  // no finding: amounts, hashes, ids, a number with a wrong check character, the demo accounts on the sign-in page
  expect(found("¥13,957,300.10 共 139573001012 分 sha256 a13957300101b13957300101c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5 110105194912310021")).toEqual([]);
  expect(found("official@danghu.example", "/login (zh-CN)")).toEqual([]);
  expect(found("official@danghu.example", "/rounds (zh-CN)")).toHaveLength(1);
});
