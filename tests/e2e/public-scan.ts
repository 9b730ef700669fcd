/**
 * The personal-data scan of every public route. The routes come from the route table
 * (app/routes.ts), not from a list kept by hand: each is fetched anonymously; those that send an
 * anonymous visitor to the sign-in page (or refuse them) are private and not scanned; every other
 * one is public, and a public route with dynamic segments is filled with real values from the
 * e2e database (FILL below). A public route FILL does not know, and that is not in EXCLUDED, fails
 * the scan by name: a new public page cannot escape it silently.
 *
 * Each URL is fetched in both languages (the `lang` cookie the language switcher sets) with the
 * request context (no browser, no scripts: the server-rendered HTML carries the loaders' data
 * too), and its headers and body (HTML, CSV, JSON, the text of an XLSX, the bytes of an image) are
 * searched for the personal data the database holds: beneficiaries' names and phones (stored
 * encrypted; the plaintext is the seed's), donors' e-mail addresses, the names and messages of
 * donors who did not agree to be named, objectors, judges (results are published anonymised),
 * the people of organisations and proposal teams, the district's residents, expenses' payees,
 * tranches' bank references, every account's e-mail address — and, whatever the seed, anything
 * shaped like a mainland mobile number (also masked), a resident ID number or an e-mail address.
 */
import { strFromU8, unzipSync } from "fflate";
import { expect, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import type pg from "pg";
import routeConfig from "../../app/routes";
import { OPEN_DATASETS, OPEN_DATA_FORMATS } from "../../app/domain/open-data";
import { DEMO_BENEFICIARY_NAMES, demoBeneficiaryPhone } from "../../prisma/demo-projects";
import { DEMO_ACCOUNTS } from "../../prisma/demo-data";
import { DEMO_PARTNER_PHONES } from "../../prisma/demo-partners";
import { pdfPages } from "../support/pdf";

interface RouteEntry {
  path?: string;
  index?: boolean;
  file: string;
  children?: RouteEntry[];
}

/** Every URL pattern of the route table ("/projects/:ref"), with the module that serves it. */
export function routePatterns(): { pattern: string; file: string }[] {
  const out: { pattern: string; file: string }[] = [];
  const walk = (entries: RouteEntry[], prefix: string) => {
    for (const r of entries) {
      const path = r.path ? (prefix ? `${prefix}/${r.path}` : r.path) : prefix;
      // a layout without a path only frames its children; a route with children is reached through its index
      if (r.index || (r.path !== undefined && !r.children)) out.push({ pattern: `/${path}`, file: r.file });
      if (r.children) walk(r.children, path);
    }
  };
  walk(routeConfig as RouteEntry[], "");
  return out;
}

/**
 * Public routes the scan does not open, each with the reason. Only routes whose address is itself
 * a secret (a signed or random token handed to one person) belong here: what they show is that
 * person's own data, by design.
 */
export const EXCLUDED: Record<string, string> = {
  "/invitations/:token": "an organisation invitation: the token is e-mailed to the one person invited",
  "/judging/invitations/:token": "a judge's invitation: the token is e-mailed to the one judge invited",
  "/partners/invitations/:token": "an invitation to act for a partner unit: the token is e-mailed to the one person invited",
  "/checkout/demo/:sessionId": "the demo payment page of one checkout session: its id is the donor's own",
  "/donations/:token": "a donor's own gift page: the token is the donor's (e-mailed receipt link)",
  "/donations/:token/receipt": "a donor's own receipt (name on it by law): the token is the donor's",
  "/giving/monthly/:token": "a donor's own monthly-gift page: the token is the donor's",
  "/auth/wechat/callback": "where WeChat sends a browser back during sign-in: without the signed state of that browser's own sign-in it answers 400 and shows nothing",
};

/** What the spec arranged through the pages before the scan: the directed funds' invitation links, by fund. */
export interface Arranged {
  invitationLinks: Record<string, string[]>;
}

/** One concrete address for a pattern: its path parameters and an optional query string. */
interface Filled {
  params: Record<string, string>;
  search?: string;
}

const rows = async (sql: pg.Client, query: string): Promise<string[]> => (await sql.query(query)).rows.map((r: Record<string, unknown>) => String(Object.values(r)[0]));
const each = (name: string, values: string[]): Filled[] => values.map((v) => ({ params: { [name]: v } }));

/**
 * Real values from the seeded database for every public route with dynamic segments. A query that
 * finds nothing fails the scan (the seed no longer covers that route).
 */
const FILL: Record<string, (sql: pg.Client, arranged: Arranged) => Promise<Filled[]>> = {
  "/areas/:code": async (sql) => each("code", await rows(sql, `SELECT code FROM "Area" ORDER BY path`)),
  // a community's deliberation (a subdistrict has none: 404), every matter, and the review meetings' photos and sign-in sheets
  "/areas/:code/deliberation": async (sql) => each("code", await rows(sql, `SELECT code FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE') ORDER BY path`)),
  "/deliberation/:number": async (sql) => each("number", await rows(sql, `SELECT number FROM "Matter" ORDER BY number`)),
  "/deliberation/:number/attachments/:id": async (sql) =>
    (
      await sql.query(`SELECT m.number, a.id FROM "MatterAttachment" a JOIN "MatterReview" r ON r.id = a."reviewId" JOIN "Matter" m ON m.id = r."matterId" ORDER BY m.number, a.id`)
    ).rows.map((r: { number: number; id: string }) => ({ params: { number: String(r.number), id: r.id } })),
  // published quarterly rankings (通报): every area's list, every notice and its PDF
  "/areas/:code/rankings": async (sql) => each("code", await rows(sql, `SELECT code FROM "Area" ORDER BY path`)),
  "/ranking-notices/:number": async (sql) => each("number", await rows(sql, `SELECT number FROM "RankingNotice" ORDER BY number`)),
  "/ranking-notices/:number/pdf": async (sql) => each("number", await rows(sql, `SELECT number FROM "RankingNotice" ORDER BY number`)),
  // published reports (结项报告, 年度工作报告) with their PDF and figures, and the showcase pages of every area and every round out of draft
  "/reports/:number": async (sql) => each("number", await rows(sql, `SELECT number FROM "PublishedReport" ORDER BY number`)),
  "/reports/:number/pdf": async (sql) => each("number", await rows(sql, `SELECT number FROM "PublishedReport" ORDER BY number`)),
  "/reports/:number/xlsx": async (sql) => each("number", await rows(sql, `SELECT number FROM "PublishedReport" ORDER BY number`)),
  "/areas/:code/showcase": async (sql) => each("code", await rows(sql, `SELECT code FROM "Area" ORDER BY path`)),
  "/rounds/:code/showcase": async (sql) => each("code", await rows(sql, `SELECT code FROM "Round" WHERE phase <> 'DRAFT' ORDER BY code`)),
  // volunteers and small wishes: a community's page, the volunteers on its wall, every wish and the photos of fulfilled ones
  "/areas/:code/volunteers": async (sql) => each("code", await rows(sql, `SELECT code FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE') ORDER BY path`)),
  "/volunteers/:id": async (sql) => each("id", await rows(sql, `SELECT id FROM "Volunteer" WHERE "showOnWall" AND status = 'CONFIRMED' ORDER BY id`)),
  "/needs/:number/wish": async (sql) => each("number", await rows(sql, `SELECT n.number FROM "Wish" w JOIN "Need" n ON n.id = w."needId" ORDER BY n.number`)),
  "/needs/:number/wish/photo": async (sql) => each("number", await rows(sql, `SELECT n.number FROM "Wish" w JOIN "Need" n ON n.id = w."needId" WHERE w."photoUploadId" IS NOT NULL ORDER BY n.number`)),
  // partner units (结对共建): every unit's public page (its management page and the received-goods notes are its officials')
  // trainings (能力培训): an area's public list and each training's page (no attendee on either)
  "/areas/:code/trainings": async (sql) => each("code", await rows(sql, `SELECT DISTINCT a.code FROM "Training" t JOIN "Area" a ON a.id = t."areaId" ORDER BY a.code`)),
  "/trainings/:number": async (sql) => each("number", await rows(sql, `SELECT number FROM "Training" ORDER BY number`)),
  "/partners/:id": async (sql) => each("id", await rows(sql, `SELECT id FROM "PartnerUnit" ORDER BY id`)),
  // posters of public pages, in each file kind: a community's post-a-need page and 微心愿 list, rounds out of draft, foundations, campaigns
  "/posters/:kind/:key/:file": async (sql) => {
    const keys = [
      ...(await rows(sql, `SELECT code FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE') ORDER BY path LIMIT 3`)).map((key) => ({ kind: "need", key })),
      ...(await rows(sql, `SELECT code FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE') ORDER BY path LIMIT 3`)).map((key) => ({ kind: "wishes", key })),
      ...(await rows(sql, `SELECT code FROM "Round" WHERE phase <> 'DRAFT' ORDER BY code LIMIT 3`)).map((key) => ({ kind: "round", key })),
      ...(await rows(sql, `SELECT slug FROM "Foundation" ORDER BY slug LIMIT 3`)).map((key) => ({ kind: "foundation", key })),
      ...(await rows(sql, `SELECT slug FROM "MatchingCampaign" ORDER BY slug LIMIT 3`)).map((key) => ({ kind: "campaign", key })),
    ];
    return keys.flatMap(({ kind, key }) => ["poster.pdf", "qr.png", "qr.svg"].map((file) => ({ params: { kind, key, file } })));
  },
  "/foundations/:slug": async (sql) => each("slug", await rows(sql, `SELECT slug FROM "Foundation" ORDER BY slug`)),
  // a fund with a public-fundraising filing takes gifts from anyone; one without only through an
  // invitation's link (its code is stored encrypted: the links are read from its managers' page)
  // (a directed fund without a code is not found; funds other specs create may have no invitation,
  // the seeded directed fund must have some)
  "/foundations/:slug/donate": async (sql, arranged) => {
    const filled = each("slug", await rows(sql, `SELECT slug FROM "Foundation" WHERE "fundraisingFilingNo" IS NOT NULL ORDER BY slug`));
    let invited = 0;
    for (const slug of await rows(sql, `SELECT slug FROM "Foundation" WHERE "fundraisingFilingNo" IS NULL ORDER BY slug`)) {
      for (const link of arranged.invitationLinks[slug] ?? []) {
        filled.push({ params: { slug }, search: new URL(link, "http://x").search });
        invited++;
      }
    }
    if (invited === 0) throw new Error("/foundations/:slug/donate: no directed fund with a valid invitation link was read from its managers' page");
    return filled;
  },
  "/campaigns/:slug": async (sql) => each("slug", await rows(sql, `SELECT slug FROM "MatchingCampaign" ORDER BY slug`)),
  // a round in draft is its officials' only
  "/rounds/:code": async (sql) => each("code", await rows(sql, `SELECT code FROM "Round" WHERE phase <> 'DRAFT' ORDER BY code`)),
  "/rounds/:code/proposals": async (sql) => each("code", await rows(sql, `SELECT code FROM "Round" WHERE phase <> 'DRAFT' ORDER BY code`)),
  "/rounds/:code/notice": async (sql) => each("code", await rows(sql, `SELECT code FROM "Round" WHERE "awardsPublishedAt" IS NOT NULL ORDER BY code`)),
  // the notice as a print-ready PDF
  "/rounds/:code/notice.pdf": async (sql) => each("code", await rows(sql, `SELECT code FROM "Round" WHERE "awardsPublishedAt" IS NOT NULL ORDER BY code`)),
  // the published results as open data, in each of its formats
  "/rounds/:code/notice/export": async (sql) =>
    (await rows(sql, `SELECT code FROM "Round" WHERE "awardsPublishedAt" IS NOT NULL ORDER BY code`)).flatMap((code) =>
      ["csv", "json", "xlsx"].map((format) => ({ params: { code }, search: `?format=${format}` })),
    ),
  "/needs/:number": async (sql) => each("number", await rows(sql, `SELECT number FROM "Need" ORDER BY number`)),
  "/needs/:number/photo": async (sql) => each("number", await rows(sql, `SELECT number FROM "Need" WHERE "photoUploadId" IS NOT NULL ORDER BY number`)),
  "/projects/:ref": async (sql) => each("ref", await rows(sql, `SELECT "referenceNo" FROM "Project" ORDER BY "referenceNo"`)),
  // the photos of approved reports (and their thumbnails): the public ones
  "/projects/:ref/photos/:fileId": async (sql) =>
    (
      await sql.query(
        `SELECT p."referenceNo" AS ref, f.id FROM "ReportFile" f JOIN "MilestoneReport" r ON r.id = f."reportId" JOIN "Project" p ON p.id = r."projectId"
         WHERE r.status = 'APPROVED' AND f.kind = 'PHOTO' ORDER BY p."referenceNo", f.id`,
      )
    ).rows.flatMap((r: { ref: string; id: string }) => [{ params: { ref: r.ref, fileId: r.id } }, { params: { ref: r.ref, fileId: r.id }, search: "?thumb=1" }]),
  // every paid gift can be traced (a checkout never paid is 404)
  "/transparency/gifts/:ref": async (sql) => each("ref", await rows(sql, `SELECT ref FROM "Donation" WHERE status NOT IN ('PENDING', 'PROCESSING', 'FAILED') ORDER BY ref`)),
  "/open-data/:file": async () => each("file", OPEN_DATASETS.flatMap((d) => OPEN_DATA_FORMATS.map((f) => `${d.name}.${f}`))),
  // the not-found page
  "/*": async () => each("*", ["no-such-page"]),
};

/** Second pages and the like: the same route, other rows. */
const VARIANTS = ["/projects?page=2", "/rounds?page=2", "/needs?sort=newest"];

const fillPattern = (pattern: string, f: Filled) => pattern.replace(/:([A-Za-z]+)|\*/g, (_, name: string | undefined) => encodeURIComponent(f.params[name ?? "*"]!)) + (f.search ?? "");

/** A visitor who must sign in first is sent to /login; a refusal is 401/403. */
const isPrivate = (r: APIResponse) =>
  r.status() === 401 || r.status() === 403 || (r.status() >= 300 && r.status() < 400 && new URL(r.headers()["location"] ?? "/", "http://x").pathname === "/login");

export interface PersonalData {
  /** what it is, for the failure message → the exact strings */
  needles: Map<string, string>;
}

/**
 * The personal data the e2e database holds, as plaintext strings: from the seed (beneficiaries,
 * stored encrypted) and from its tables (donors, objectors, judges, accounts).
 */
export async function personalData(sql: pg.Client, extra: Record<string, string[]> = {}): Promise<PersonalData> {
  const needles = new Map<string, string>();
  const add = (what: string, values: string[]) => {
    for (const v of values) if (v && v.trim().length >= 2) needles.set(v, what);
  };
  add("a beneficiary's name", DEMO_BENEFICIARY_NAMES);
  const phones: string[] = [];
  for (let project = 1; project <= 20; project++) for (let i = 1; i <= 12; i++) phones.push(demoBeneficiaryPhone(project, i));
  add("a beneficiary's phone", phones);
  add("a beneficiary's phone, masked", phones.map((p) => `${p.slice(0, 3)}****${p.slice(-4)}`));
  add("a donor's e-mail address", await rows(sql, `SELECT email FROM "Donation" UNION SELECT email FROM "RecurringGift"`));
  // a name given with a gift whose donor did not agree to be named, unless the same name is public in its own right
  add(
    "the name of a donor who did not agree to be named",
    await rows(sql, `SELECT DISTINCT "donorName" FROM "Donation" d WHERE anonymous AND "donorName" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Donation" n WHERE NOT n.anonymous AND n."donorName" = d."donorName")`),
  );
  add("the message of a donor who did not agree to be named", await rows(sql, `SELECT DISTINCT message FROM "Donation" WHERE anonymous AND message IS NOT NULL`));
  add("an objector's e-mail address", await rows(sql, `SELECT DISTINCT u.email FROM "Objection" o JOIN "User" u ON u.id = o."userId"`));
  add("a judge's name (results are published anonymised)", await rows(sql, `SELECT DISTINCT u.name FROM "RoundJudge" j JOIN "User" u ON u.id = j."userId"`));
  // organisations and proposals are public, the people in them are not; nor are the objectors and
  // the district's residents (the seed's accounts) — unless a name is on a gift its donor agreed to
  // have named (a donor wall shows it then, by consent)
  // — or on their community's volunteer wall, which they agreed to (a confirmed volunteer: the wall and the wishes they took name them)
  const named = `SELECT 1 FROM "Donation" n WHERE NOT n.anonymous AND n."donorName" = p.name`;
  const onWall = `SELECT 1 FROM "Volunteer" v JOIN "User" w ON w.id = v."userId" WHERE v."showOnWall" AND v.status = 'CONFIRMED' AND w.name = p.name`;
  add("a member's name", await rows(sql, `SELECT DISTINCT name FROM (SELECT name FROM "OrganizationMember" UNION SELECT name FROM "ProposalTeamMember") p WHERE NOT EXISTS (${named}) AND NOT EXISTS (${onWall})`));
  add("an objector's name", await rows(sql, `SELECT DISTINCT u.name FROM "Objection" o JOIN "User" u ON u.id = o."userId" AND NOT EXISTS (SELECT 1 FROM "Donation" n WHERE NOT n.anonymous AND n."donorName" = u.name)`));
  add("a resident's name", await rows(sql, `SELECT name FROM "User" p WHERE email LIKE '%@danghu.example' AND NOT EXISTS (${named}) AND NOT EXISTS (${onWall})`));
  // who an organisation paid (a shop, or a person) and the bank's reference of a tranche: never public
  add("an expense's payee", await rows(sql, `SELECT DISTINCT payee FROM "Expense"`));
  add("a tranche's bank transfer reference", await rows(sql, `SELECT DISTINCT "transferRef" FROM "Tranche" WHERE "transferRef" IS NOT NULL`));
  add("an account's e-mail address", await rows(sql, `SELECT email FROM "User"`));
  // a partner unit's contact: name and mobile (stored encrypted), never public
  add("a partner unit's contact person", await rows(sql, `SELECT DISTINCT "contactName" FROM "PartnerUnit"`));
  add("a partner unit's contact phone", [...DEMO_PARTNER_PHONES]);
  add("a partner unit's contact phone, masked", DEMO_PARTNER_PHONES.map((p) => `${p.slice(0, 3)}****${p.slice(-4)}`));
  for (const [what, values] of Object.entries(extra)) add(what, values);
  return { needles };
}

/** Text that is no personal data but looks like some: long hex (hashes) and UUIDs. */
const NOT_DATA = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}/gi;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d(?:\d{4}|\*{4})\d{4}(?![0-9A-Za-z])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/** A mainland resident ID number: a real birth date and the ISO 7064 check character. */
function isIdNumber(s: string): boolean {
  const birth = s.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (year < 1900 || year > 2100 || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll("-", "") !== birth) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  return "10X98765432"[sum % 11] === s[17]!.toUpperCase();
}

/** The demo accounts' e-mail addresses and names. */
const DEMO_PEOPLE = new Set(
  Object.values(DEMO_ACCOUNTS)
    .flatMap((a) => (Array.isArray(a) ? a : [a]))
    .flatMap((a: { email: string; name: string }) => [a.email, a.name]),
);

/**
 * Personal data a public page may show, and where: the demo's sign-in page lists the demo
 * accounts, names and e-mail addresses (DEMO_MODE only, so that a visitor can try each role).
 */
function allowed(url: string, value: string): boolean {
  const path = new URL(url.split(" ")[0]!, "http://x").pathname;
  return path === "/login" && [...DEMO_PEOPLE].some((p) => p === value || (!value.includes("@") && p.includes(value)));
}

/** The text a response carries: headers, then the body (an XLSX unzipped, other binaries as bytes). */
export async function responseText(response: APIResponse): Promise<string> {
  const headers = Object.entries(response.headers())
    .filter(([k]) => !["set-cookie", "content-security-policy", "etag", "date"].includes(k))
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  const type = response.headers()["content-type"] ?? "";
  const body = await response.body();
  let text: string;
  if (/spreadsheetml|zip/.test(type)) {
    text = Object.values(unzipSync(new Uint8Array(body)))
      .map((b) => strFromU8(b))
      .join("\n");
  } else if (/^application\/pdf/.test(type)) {
    // a printed document: its text as a reader sees it (the page contents are compressed)
    text = (await pdfPages(new Uint8Array(body))).join("\n");
  } else if (/^text\/|json|xml|javascript/.test(type)) {
    text = body.toString("utf8");
  } else {
    // images and the like: any text in their metadata is ASCII or UTF-8
    text = body.toString("utf8") + body.toString("latin1");
  }
  // as the browser would read it: \u escapes in data and numeric character references in HTML
  return `${headers}\n${text}`
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

const excerpt = (text: string, at: number, length: number) => text.slice(Math.max(0, at - 60), at + length + 60).replace(/\s+/g, " ");

/** What in `text` is personal data: one line per finding. */
export function findPersonalData(url: string, text: string, data: PersonalData): string[] {
  const found: string[] = [];
  for (const [needle, what] of data.needles) {
    const at = text.indexOf(needle);
    if (at >= 0 && !allowed(url, needle)) found.push(`${url}: ${what} «${needle}» in …${excerpt(text, at, needle.length)}…`);
  }
  const cleaned = text.replace(NOT_DATA, "");
  for (const m of cleaned.matchAll(MOBILE)) found.push(`${url}: something shaped like a mobile number «${m[0]}» in …${excerpt(cleaned, m.index, m[0].length)}…`);
  for (const m of cleaned.matchAll(ID_NUMBER)) if (isIdNumber(m[0])) found.push(`${url}: a resident ID number «${m[0]}» in …${excerpt(cleaned, m.index, m[0].length)}…`);
  for (const m of cleaned.matchAll(EMAIL)) {
    if (!allowed(url, m[0]) && !data.needles.has(m[0])) found.push(`${url}: an e-mail address «${m[0]}» in …${excerpt(cleaned, m.index, m[0].length)}…`);
  }
  return found;
}

export interface ScanResult {
  /** the URLs scanned (without the language) */
  scanned: string[];
  /** every URL the route table was filled to, scanned or left to another part (`only`) */
  filled: string[];
  /** route patterns an anonymous visitor is sent away from */
  privateRoutes: string[];
  /** what is wrong: a route the scan cannot fill, an error, or personal data */
  problems: string[];
}

const LANGUAGES: { name: string; headers: Record<string, string> }[] = [
  { name: "zh-CN", headers: {} },
  { name: "en", headers: { cookie: "lang=en" } },
];

/**
 * Walks every public route in both languages, anonymously, with `request` (a context with no
 * cookies of its own) and returns what it found. `data` is what counts as personal data.
 */
export async function scanPublicRoutes(
  request: APIRequestContext,
  sql: pg.Client,
  data: PersonalData,
  arranged: Arranged,
  /** fetch only these of the filled addresses (a journey's own pages); the routes are all still checked for a FILL */
  only: (url: string) => boolean = () => true,
): Promise<ScanResult> {
  const problems: string[] = [];
  const privateRoutes: string[] = [];
  const urls: string[] = [];
  for (const { pattern } of routePatterns()) {
    if (pattern in EXCLUDED) continue;
    const dynamic = /:|\*/.test(pattern);
    if (!dynamic) {
      const r = await request.get(pattern, { maxRedirects: 0 });
      if (isPrivate(r)) privateRoutes.push(pattern);
      // a route without a GET (a webhook): nothing to show
      else if (r.status() === 405) continue;
      // a route that only acts on a POST (language, logout) sends a GET elsewhere: that page is scanned
      else if (r.status() >= 300 && r.status() < 400) urls.push(new URL(r.headers()["location"] ?? "/", "http://x").pathname);
      else urls.push(pattern);
      continue;
    }
    const fill = FILL[pattern];
    if (!fill) {
      // no values known: private routes send a visitor away whatever the segment holds
      const probe = await request.get(fillPattern(pattern, { params: new Proxy({}, { get: () => "scan-probe" }) }), { maxRedirects: 0 });
      if (isPrivate(probe)) privateRoutes.push(pattern);
      else problems.push(`${pattern} is public (an anonymous visitor gets ${probe.status()}) but the scan has no values for its segments: add real ones from the database to FILL in tests/e2e/public-scan.ts, or add the route to EXCLUDED with the reason`);
      continue;
    }
    const filled = await fill(sql, arranged).catch((e: Error) => {
      problems.push(e.message);
      return [];
    });
    if (filled.length === 0) problems.push(`${pattern}: the e2e database has nothing to fill it with (the seed no longer covers this public route)`);
    for (const f of filled) urls.push(fillPattern(pattern, f));
  }
  urls.push(...VARIANTS);

  const visits = [...new Set(urls)].filter(only).flatMap((url) => LANGUAGES.map((language) => ({ url, language })));
  // a few at a time: the server renders while the next response travels
  const next = { i: 0 };
  const worker = async () => {
    for (let v = visits[next.i++]; v; v = visits[next.i++]) {
      const response = await request.get(v.url, { headers: v.language.headers, maxRedirects: 0 });
      const expected = v.url === "/no-such-page" ? 404 : 200;
      if (response.status() !== expected) problems.push(`${v.url} (${v.language.name}): status ${response.status()} ${response.headers()["location"] ?? ""}, expected ${expected} (is the value the scan took from the database a public one?)`);
      problems.push(...findPersonalData(`${v.url} (${v.language.name})`, await responseText(response), data));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { scanned: [...new Set(urls)].filter(only), filled: [...new Set(urls)], privateRoutes, problems };
}

/** 1×1 PNG */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/**
 * The seed's needs have no photos: the signed-in resident on `page` posts one with a photo through
 * the form, so that /needs/:number/photo has something to serve.
 */
export async function postNeedWithPhoto(page: Page): Promise<number> {
  await page.goto("/needs/new");
  await page.getByLabel(/所在社区/).selectOption({ label: "松枫社区" });
  await page.getByLabel(/^标题/).fill("小区健身器材损坏需要维修");
  await page.getByLabel(/^需求描述/).fill("三号楼旁的健身器材已经坏了一个月，老人锻炼不方便，希望尽快修好。");
  await page.getByLabel(/^类别/).selectOption({ label: "公益服务类" });
  await page.getByLabel(/照片/).setInputFiles({ name: "器材.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("需求已发布，谢谢您！")).toBeVisible();
  return Number(/\/needs\/(\d+)/.exec(page.url())![1]);
}

/**
 * The links of the valid invitations of every directed fund (no public-fundraising filing), read
 * from its managers' page by the signed-in foundation manager on `page`.
 */
export async function invitationLinks(page: Page, sql: pg.Client): Promise<Record<string, string[]>> {
  const links: Record<string, string[]> = {};
  for (const slug of await rows(sql, `SELECT slug FROM "Foundation" WHERE "fundraisingFilingNo" IS NULL ORDER BY slug`)) {
    await page.goto(`/admin/foundations/${slug}/invitations`);
    const valid = page.getByTestId("invitation").filter({ has: page.getByTestId("invitation-state").filter({ hasText: "有效" }) });
    links[slug] = await valid.getByTestId("invitation-link").evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  }
  return links;
}

/**
 * Which of `parts` parts of the scan fetches `url`: a stable hash of the address, so that the
 * parts, run as tests of their own side by side, share the addresses out evenly between them.
 */
export function scanPartOf(url: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193) >>> 0;
  return h % parts;
}
