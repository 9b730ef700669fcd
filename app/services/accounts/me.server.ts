import { myProjects } from "~/services/projects/projects.server";
import { accountCodes } from "~/domain/ledger";
import { db } from "~/lib/db.server";
import type { Viewer } from "~/lib/session.server";
import { balanceFen } from "~/services/books/ledger.server";
import { administersLevel, hasAdminPages, isAdministrator } from "./access.server";
import { organizationsOf } from "./organizations.server";
import { myWork } from "./work.server";
import { judgeQueue } from "~/services/review/scoring.server";

async function areaSummary(areaId: string) {
  const area = await db().area.findUniqueOrThrow({
    where: { id: areaId },
    select: { code: true, nameZh: true, nameEn: true, level: true, path: true, residents: true },
  });
  const [children, leaves] = await Promise.all([
    db().area.count({ where: { parentId: areaId } }),
    db().area.aggregate({
      _sum: { residents: true },
      where: { path: { startsWith: area.path }, level: { in: ["COMMUNITY", "VILLAGE"] } },
    }),
  ]);
  return {
    code: area.code,
    nameZh: area.nameZh,
    nameEn: area.nameEn,
    level: area.level,
    children,
    residents: leaves._sum.residents ?? area.residents ?? 0,
  };
}

/**
 * The signed-in user's own home: one section per thing they are (official, judge, foundation
 * manager, organization member), each only about their own areas, foundation and organizations;
 * above them, the work waiting for the viewer in every role they hold (work.server.ts).
 */
export async function meDashboard(viewer: Viewer) {
  const officialGrants = viewer.grants.filter((g) => g.role === "OFFICIAL");
  const official = await Promise.all(
    officialGrants.map(async (g) => ({
      ...(await areaSummary(g.areaId)),
      // subdistrict-or-higher officials appoint staff; community officials read their staff list
      administers: administersLevel(g.areaLevel),
    })),
  );
  const judge = viewer.grants
    .filter((g) => g.role === "JUDGE")
    .map((g) => ({ code: "", areaId: g.areaId, nameZh: g.areaNameZh, nameEn: g.areaNameEn, level: g.areaLevel }));
  const judgeCodes = judge.length
    ? new Map((await db().area.findMany({ where: { id: { in: judge.map((j) => j.areaId) } }, select: { id: true, code: true } })).map((a) => [a.id, a.code]))
    : new Map<string, string>();

  const foundationIds = [...new Set(viewer.grants.filter((g) => g.role === "FOUNDATION_MANAGER" && g.foundationId).map((g) => g.foundationId!))];
  const foundations = await Promise.all(
    (
      await db().foundation.findMany({
        where: { id: { in: foundationIds } },
        select: { id: true, slug: true, nameZh: true, nameEn: true, fundraisingFilingNo: true },
      })
    ).map(async ({ id, ...f }) => ({ ...f, balanceFen: await balanceFen(db(), accountCodes.foundationAvailable(id)) })),
  );

  // the judge's sheets as /judging counts them (every live assignment on an accepted seat)
  const seats = judge.length ? await judgeQueue(viewer) : [];
  const judging = { sheets: seats.reduce((n, s) => n + s.items.length, 0), submitted: seats.reduce((n, s) => n + s.submitted, 0) };
  const now = new Date();
  return {
    now: now.toISOString(),
    work: await myWork(viewer, now),
    name: viewer.name,
    email: viewer.email,
    emailVerified: viewer.emailVerified,
    isAdmin: isAdministrator(viewer),
    canAdminister: hasAdminPages(viewer),
    official,
    judging,
    judge: judge.map(({ areaId, ...j }) => ({ ...j, code: judgeCodes.get(areaId) ?? "" })),
    foundations,
    organizations: await organizationsOf(viewer.id),
    projects: await myProjects(viewer),
  };
}
