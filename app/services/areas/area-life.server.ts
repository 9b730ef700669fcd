import { Prisma } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import { escapeLike } from "~/domain/needs";

/** How many needs, rounds and projects an area's page lists (the rest are counted and linked). */
export const AREA_LIFE_SHOWN = 3;

/**
 * What is happening in an area, for its public page: its residents' needs (the most voted open
 * ones), the rounds that serve it (its own, those of the areas above it and below it), the
 * projects funded in it (newest first) and their money (awarded, and released from the projects'
 * running totals, ADR 021). Each part is a count and a few rows over indexed columns: needs by
 * (areaId, status), projects by areaPath, rounds by area.
 */
export async function areaLife(area: { path: string }, subtreeIds: string[], ancestorPaths: string[], client: Client = db()) {
  const needWhere = { areaId: { in: subtreeIds }, status: { not: "MERGED" as const } };
  const roundWhere = { phase: { not: "DRAFT" as const }, area: { OR: [{ path: { startsWith: area.path } }, { path: { in: ancestorPaths } }] } };
  const prefix = `${escapeLike(area.path)}%`;
  const [needCount, needs, roundCount, rounds, projectCount, projects, money] = await Promise.all([
    client.need.count({ where: needWhere }),
    client.need.findMany({
      where: { areaId: { in: subtreeIds }, status: { in: ["OPEN", "PUBLISHED"] } },
      select: { number: true, title: true, status: true, voteCount: true },
      orderBy: [{ voteCount: "desc" }, { createdAt: "desc" }, { number: "desc" }],
      take: AREA_LIFE_SHOWN,
    }),
    client.round.count({ where: roundWhere }),
    client.round.findMany({ where: roundWhere, select: { code: true, title: true, phase: true }, orderBy: [{ createdAt: "desc" }, { code: "asc" }], take: AREA_LIFE_SHOWN }),
    client.project.count({ where: { areaPath: { startsWith: area.path } } }),
    client.project.findMany({
      where: { areaPath: { startsWith: area.path } },
      select: { referenceNo: true, title: true, status: true, awardFen: true },
      orderBy: [{ createdAt: "desc" }, { referenceNo: "asc" }],
      take: AREA_LIFE_SHOWN,
    }),
    client.$queryRaw<{ awardedFen: bigint; releasedFen: bigint }[]>(Prisma.sql`
      SELECT coalesce(sum(p."awardFen"), 0)::bigint AS "awardedFen", coalesce(sum(t."releasedFen"), 0)::bigint AS "releasedFen"
      FROM "Project" p LEFT JOIN "ProjectTotal" t ON t."projectId" = p.id
      WHERE p."areaPath" LIKE ${prefix}`),
  ]);
  return {
    needs: { count: needCount, items: needs },
    rounds: { count: roundCount, items: rounds },
    projects: { count: projectCount, items: projects },
    money: { awardedFen: Number(money[0]?.awardedFen ?? 0n), releasedFen: Number(money[0]?.releasedFen ?? 0n) },
  };
}
