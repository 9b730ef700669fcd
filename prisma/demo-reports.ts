/**
 * The demo's reports and showcase (docs/decisions/043): the subdistrict official published JN6's
 * closing report and the foundation's manager its annual report of the year, through the same
 * code as their pages (publishReport); the official showed JN6's two closed projects as showcase
 * cases, with photos from their approved reports. Dates follow the demo clock.
 */
import { db } from "../app/lib/db.server.ts";
import { shanghaiDay } from "../app/lib/time.ts";
import { markShowcaseAs } from "../app/services/reports/showcase.server.ts";
import { annualTarget, publishReport, roundTarget } from "../app/services/reports/reports.server.ts";
import { demoAt } from "./demo-clock.ts";
import { DEMO_ACCOUNTS, ROUND_JN6 } from "./demo-data.ts";

const STORIES: Record<string, { storyZh: string; storyEn: string; outcomesZh: string; outcomesEn: string }> = {
  "JN6-0011": {
    storyZh: "项目从居民议事会提出的需求出发，由社区社会组织牵头、志愿者轮值，把闲置的活动室改造成老少共用的邻里空间，每周固定开放。（演示数据）",
    storyEn: "Starting from a need raised at the residents' council, a community organization and volunteers on a rota turned an idle room into a neighbourhood space for young and old, open every week. (Demo data)",
    outcomesZh: "按计划完成全部里程碑，结余资金已退回基金；回访的服务对象均表示满意。",
    outcomesEn: "Every milestone was completed as planned and the unspent money went back to the fund; the people called back were satisfied.",
  },
  "JN6-0012": {
    storyZh: "项目组织楼道骨干开展邻里互助，帮独居老人代购、陪诊，并建立了楼道联络名单（名单仅由社区保管）。（演示数据）",
    storyEn: "The project organized stairwell volunteers to help older people living alone with shopping and doctor's visits, with a contact list kept by the community only. (Demo data)",
    outcomesZh: "结项评估通过，互助小组在项目结束后继续运转。",
    outcomesEn: "The final evaluation passed and the mutual-aid group carries on after the project.",
  },
};

export async function seedDemoReports(): Promise<void> {
  const official = await db().user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.official.email }, select: { id: true } });
  const manager = await db().user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.foundationManager.email }, select: { id: true } });
  const round = await db().round.findUniqueOrThrow({ where: { code: ROUND_JN6.code }, select: { id: true, code: true, foundationId: true, foundation: { select: { id: true, slug: true } } } });

  const showcasedAt = demoAt("2026-12-02", 10);
  for (const [ref, story] of Object.entries(STORIES)) {
    const project = await db().project.findUnique({ where: { referenceNo: ref }, select: { status: true } });
    if (project?.status !== "CLOSED") continue;
    const photos = await db().reportFile.findMany({ where: { kind: "PHOTO", report: { project: { referenceNo: ref }, status: "APPROVED" } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 3, select: { id: true } });
    const r = await markShowcaseAs(official.id, ref, { ...story, photoIds: photos.map((p) => p.id) }, showcasedAt);
    if (!r.ok) throw new Error(`seed: showcase ${ref} refused: ${r.problem.formErrors.join(", ")} ${JSON.stringify(r.problem.fieldErrors)}`);
  }

  const roundPublished = await publishReport({ id: official.id }, roundTarget(round), { confirm: true }, demoAt("2026-12-03", 10));
  if (!roundPublished.ok) throw new Error("seed: round report refused");
  const annualAt = demoAt("2026-12-04", 10);
  const annualPublished = await publishReport({ id: manager.id }, annualTarget(round.foundation, Number(shanghaiDay(annualAt).slice(0, 4))), { confirm: true }, annualAt);
  if (!annualPublished.ok) throw new Error("seed: annual report refused");
}
