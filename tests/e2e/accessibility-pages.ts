/**
 * The pages the accessibility check (accessibility.spec.ts) opens, by who opens them. It grows
 * with the app: a new page goes in the list of the role that uses it. A path may hold a `:name`
 * placeholder that FILL below turns into a real value from the e2e database (the seed's rows).
 */
import type pg from "pg";
import { DEMO_ACCOUNTS } from "../../prisma/demo-data";

export type Role = "anonymous" | "resident" | "applicant" | "judge" | "official";

export interface RolePages {
  /** the demo account that signs in (none for anonymous visitors) */
  email?: string;
  /** pages opened in Chinese (the default language) */
  zh: string[];
  /** pages opened again in English (anonymous visitors only: a signed-in account keeps its own language) */
  en?: string[];
}

export const ACCESSIBILITY_PAGES: Record<Role, RolePages> = {
  anonymous: {
    zh: [
      "/",
      "/login",
      "/signup",
      "/login/phone",
      "/forgot-password",
      "/privacy",
      "/needs",
      "/needs/:need",
      "/rounds",
      "/rounds/:openRound",
      "/rounds/:finalRound/notice",
      "/projects",
      "/projects/:project",
      "/transparency",
      "/transparency/gifts/:gift",
      "/foundations",
      "/foundations/:foundation",
      "/foundations/:foundation/donate",
      "/areas",
      "/areas/:area",
      "/areas/songfeng/deliberation",
      "/deliberation/:matter",
      "/areas/songfeng/volunteers",
      "/partners/:partnerUnit",
      "/areas/:subdistrict/rankings",
      "/areas/:subdistrict/showcase",
      "/rounds/:finalRound/showcase",
      "/reports/:roundReport",
      "/reports/:annualReport",
      "/areas/:subdistrict/trainings",
      "/trainings/:training",
      "/open-data",
    ],
    en: ["/", "/login", "/needs", "/rounds/:openRound", "/projects/:project", "/transparency", "/reports/:roundReport", "/areas/:subdistrict/showcase", "/areas/:subdistrict/trainings"],
  },
  resident: {
    email: DEMO_ACCOUNTS.resident.email,
    zh: ["/me", "/needs/new", "/inbox", "/account", "/account/phone", "/account/delete", "/me/donations"],
  },
  applicant: {
    email: DEMO_ACCOUNTS.applicantTeam.email,
    zh: [
      "/me",
      "/proposals",
      "/proposals/:proposal",
      "/projects/:myProject/expenses",
      "/projects/:myProject/budget",
      "/projects/:myProject/reports",
      "/projects/:myProject/volunteers",
      "/trainings/:pastTraining",
      // an upcoming one: the edit form and the cancel question
      "/trainings/:training",
      "/organizations/:myIncubation/incubation",
    ],
  },
  judge: {
    email: DEMO_ACCOUNTS.judges[0].email,
    zh: ["/me", "/judging", "/judging/sheets/:openSheet", "/judging/sheets/:submittedSheet"],
  },
  official: {
    email: DEMO_ACCOUNTS.official.email,
    zh: [
      "/me",
      "/admin",
      "/admin/rounds",
      "/admin/rounds/new",
      "/admin/rounds/:finalRound",
      "/admin/rounds/:finalRound/screening",
      "/admin/rounds/:finalRound/review",
      "/admin/rounds/:finalRound/scores",
      "/admin/rounds/:finalRound/results",
      "/admin/rounds/:finalRound/report",
      "/admin/rounds/:reviewRound/review",
      "/admin/needs",
      "/admin/dashboard",
      "/admin/releases",
      "/admin/calendar",
      "/admin/audit",
      "/admin/foundations",
      "/admin/foundations/:foundation/money",
      "/projects/:project/agreement",
      "/projects/:showcaseProject/showcase",
      "/areas/songfeng/deliberation",
      "/areas/songfeng/deliberation/roles",
      "/areas/songfeng/deliberation/rules",
      "/deliberation/:matter",
      "/areas/songfeng/partners",
      "/partners/:partnerUnit/manage",
      "/areas/songfeng/in-kind/:songfengGift/correct",
      "/areas/:subdistrict/trainings",
      "/trainings/:pastTraining",
      // an upcoming one: the edit form and the cancel question
      "/trainings/:training",
      "/organizations/:myIncubation/incubation",
    ],
  },
};

const one = async (sql: pg.Client, query: string, params: unknown[] = []): Promise<string> => {
  const r = await sql.query(query, params);
  if (r.rows.length === 0) throw new Error(`accessibility pages: the seed has nothing for ${query}`);
  return String(Object.values(r.rows[0] as Record<string, unknown>)[0]);
};

/** A seeded value for each placeholder (the demo judge's sheets are the first demo judge's). */
const FILL: Record<string, (sql: pg.Client) => Promise<string>> = {
  need: (sql) => one(sql, `SELECT number FROM "Need" ORDER BY number LIMIT 1`),
  openRound: (sql) => one(sql, `SELECT code FROM "Round" WHERE code = 'JN7'`),
  finalRound: (sql) => one(sql, `SELECT code FROM "Round" WHERE code = 'JN6'`),
  reviewRound: (sql) => one(sql, `SELECT code FROM "Round" WHERE phase = 'REVIEW' ORDER BY "createdAt" LIMIT 1`),
  project: (sql) => one(sql, `SELECT "referenceNo" FROM "Project" ORDER BY "referenceNo" LIMIT 1`),
  gift: (sql) => one(sql, `SELECT ref FROM "Donation" WHERE status = 'SUCCEEDED' ORDER BY ref LIMIT 1`),
  foundation: (sql) => one(sql, `SELECT slug FROM "Foundation" WHERE slug = 'danghu-community-fund'`),
  matter: (sql) => one(sql, `SELECT number FROM "Matter" ORDER BY number LIMIT 1`),
  partnerUnit: (sql) => one(sql, `SELECT u.id FROM "PartnerUnit" u JOIN "PartnerPairing" p ON p."unitId" = u.id JOIN "Area" a ON a.id = p."areaId" WHERE a.code = 'songfeng' ORDER BY u.name LIMIT 1`),
  songfengGift: (sql) => one(sql, `SELECT g.number FROM "InKindGift" g JOIN "Area" a ON a.id = g."areaId" WHERE a.code = 'songfeng' ORDER BY g.number LIMIT 1`),
  roundReport: (sql) => one(sql, `SELECT number FROM "PublishedReport" WHERE kind = 'ROUND' ORDER BY number LIMIT 1`),
  annualReport: (sql) => one(sql, `SELECT number FROM "PublishedReport" WHERE kind = 'ANNUAL' ORDER BY number LIMIT 1`),
  showcaseProject: (sql) => one(sql, `SELECT p."referenceNo" FROM "ShowcaseCase" c JOIN "Project" p ON p.id = c."projectId" ORDER BY p."referenceNo" LIMIT 1`),
  area: (sql) => one(sql, `SELECT code FROM "Area" WHERE level = 'COMMUNITY' ORDER BY "sortOrder" LIMIT 1`),
  subdistrict: (sql) => one(sql, `SELECT code FROM "Area" WHERE level = 'SUBDISTRICT' ORDER BY "sortOrder" LIMIT 1`),
  training: (sql) => one(sql, `SELECT number FROM "Training" WHERE "endsAt" > now() ORDER BY "startsAt" LIMIT 1`),
  pastTraining: (sql) => one(sql, `SELECT number FROM "Training" WHERE "requiredForGrantees" ORDER BY number LIMIT 1`),
  myIncubation: (sql) =>
    one(sql, `SELECT i."organizationId" FROM "Incubation" i JOIN "OrganizationMember" m ON m."organizationId" = i."organizationId" JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`, [DEMO_ACCOUNTS.applicantTeam.email]),
  myProject: (sql) =>
    one(sql, `SELECT p."referenceNo" FROM "Project" p JOIN "OrganizationMember" m ON m."organizationId" = p."organizationId" JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 ORDER BY p."referenceNo" LIMIT 1`, [DEMO_ACCOUNTS.applicantTeam.email]),
  proposal: (sql) =>
    one(sql, `SELECT p.id FROM "Proposal" p JOIN "OrganizationMember" m ON m."organizationId" = p."organizationId" JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 ORDER BY p."createdAt" LIMIT 1`, [DEMO_ACCOUNTS.applicantTeam.email]),
  openSheet: (sql) =>
    one(sql, `SELECT a."proposalId" FROM "ReviewAssignment" a JOIN "RoundJudge" j ON j.id = a."roundJudgeId" LEFT JOIN "ScoreSheet" s ON s."assignmentId" = a.id WHERE j.email = $1 AND (s.id IS NULL OR s.status = 'DRAFT') ORDER BY a."proposalId" LIMIT 1`, [DEMO_ACCOUNTS.judges[0].email]),
  submittedSheet: (sql) =>
    one(sql, `SELECT s."proposalId" FROM "ScoreSheet" s JOIN "RoundJudge" j ON j.id = s."roundJudgeId" WHERE j.email = $1 AND s.status = 'SUBMITTED' ORDER BY s."proposalId" LIMIT 1`, [DEMO_ACCOUNTS.judges[0].email]),
};

/** Turns each placeholder of the paths into its seeded value (each looked up once). */
export async function fillPaths(sql: pg.Client, paths: string[]): Promise<string[]> {
  const values = new Map<string, string>();
  const out: string[] = [];
  for (const p of paths) {
    let filled = p;
    for (const [, name] of p.matchAll(/:([A-Za-z]+)/g)) {
      const fill = FILL[name!];
      if (!fill) throw new Error(`accessibility pages: no value for :${name}`);
      if (!values.has(name!)) values.set(name!, await fill(sql));
      filled = filled.replace(`:${name}`, encodeURIComponent(values.get(name!)!));
    }
    out.push(filled);
  }
  return out;
}

/** How many pages one test of a page walk opens: small enough that the walks spread over the workers. */
export const PAGES_PER_TEST = 8;

/**
 * A role's pages in one language cut into groups of `PAGES_PER_TEST`, each with a label naming its
 * place ("pages 9–16 of 30"), so that each group is a test of its own: the long walks (the
 * officials' Chinese pages are the longest) no longer hold one worker while others wait.
 */
export function pageGroups(paths: readonly string[], size = PAGES_PER_TEST): { label: string; paths: string[] }[] {
  const groups: { label: string; paths: string[] }[] = [];
  for (let i = 0; i < paths.length; i += size) {
    const part = paths.slice(i, i + size);
    groups.push({ label: `pages ${i + 1}–${i + part.length} of ${paths.length}`, paths: part });
  }
  return groups;
}
