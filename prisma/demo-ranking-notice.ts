/**
 * The demo's published quarterly ranking (通报): the subdistrict official published the last
 * quarter's ranking a week and a half after it closed, through the same code as the dashboard's
 * form (publishNotice), so the public list and notice pages have something to show.
 */
import { previousQuarter, quarterOf } from "../app/domain/org-ranking.ts";
import { db } from "../app/lib/db.server.ts";
import { publishNotice } from "../app/services/areas/ranking-notice.server.ts";
import { demoAt } from "./demo-clock.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";

export async function seedDemoRankingNotice(): Promise<void> {
  const publishedAt = demoAt("2026-10-12", 9);
  const quarter = previousQuarter(quarterOf(publishedAt));
  const area = await db().area.findUniqueOrThrow({ where: { code: "danghu" }, select: { id: true, code: true, path: true } });
  const official = await db().user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.official.email }, select: { id: true } });
  const note =
    `${quarter} 季度承接项目的社会组织排名通报如下。排名后三位的组织请于本月底前向街道社会事务办提交书面整改说明，` +
    "重点说明逾期未报的项目进展和支出凭证补正情况；下季度仍居后三位的，暂停申报下一轮公益创投。（演示数据）";
  const r = await publishNotice(area, quarter, note, official.id, publishedAt);
  // a quarter in which nobody was ranked has nothing to publish: the demo then shows the empty list
  if (!r.ok && r.problem.formErrors[0] !== "rankingNotice.empty") throw new Error(`seed: ranking notice refused: ${r.problem.formErrors.join(", ")}`);
}
