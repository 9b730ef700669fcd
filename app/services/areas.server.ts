import { db } from "~/lib/db.server";

/** Figures for the public home page. */
export async function homeStats() {
  const [communities, villages, residents, foundations] = await Promise.all([
    db().area.count({ where: { level: "COMMUNITY" } }),
    db().area.count({ where: { level: "VILLAGE" } }),
    db().area.aggregate({ _sum: { residents: true }, where: { level: { in: ["COMMUNITY", "VILLAGE"] } } }),
    db().foundation.count(),
  ]);
  return { communities, villages, residents: residents._sum.residents ?? 0, foundations };
}
