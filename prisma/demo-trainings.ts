/**
 * The demo's capacity building (能力培训) and incubation (培育孵化) in 当湖街道: a training that took
 * place last month (required for grantees) with sign-ups and attendance, one coming up next week
 * with seats left; a demo mentor (孵化导师, mentor@danghu.example, the demo password) and three
 * incubated organizations — one just entered, one nurturing, one graduated — each with mentoring
 * log entries. Dates are the story's, moved to the seeding week (demo-clock.ts); every step is audited.
 */
import type { Tx } from "../app/lib/db.server.ts";
import { PRIVACY_NOTICE_VERSION } from "../app/domain/privacy-notice.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { demoAt, demoDay } from "./demo-clock.ts";
import { DEMO_ACCOUNTS } from "../app/services/accounts/demo-accounts.ts";

interface Org {
  id: string;
  userId?: string | null;
}

export async function seedTrainings(
  tx: Tx,
  ctx: { passwordHash: string; officialId: string; danghuId: string; applicantOrg: { id: string; userId: string }; teamOrg: { id: string; userId: string } },
) {
  // ── a training that took place (required for grantees), with attendance ──
  const past = await tx.training.create({
    data: {
      areaId: ctx.danghuId,
      topic: "公益创投项目财务规范与票据管理",
      trainer: "陆会计师（平湖市社会组织服务中心）",
      description: "项目资金使用范围、票据要求、支出报销流程和常见问题。资助项目负责人必须参加。",
      startsAt: demoAt("2026-11-18", 14),
      endsAt: demoAt("2026-11-18", 16),
      place: "当湖街道社创中心二楼培训室",
      capacity: 40,
      audience: "FUNDED_PROJECTS",
      requiredForGrantees: true,
      publishedById: ctx.officialId,
      createdAt: demoAt("2026-11-04", 9),
    },
    select: { id: true },
  });
  const attendees = [
    { org: ctx.teamOrg, attended: true },
    { org: ctx.applicantOrg, attended: false },
  ];
  for (const a of attendees) {
    const s = await tx.trainingSignup.create({
      data: {
        trainingId: past.id,
        userId: a.org.userId,
        organizationId: a.org.id,
        createdAt: demoAt("2026-11-06", 10),
        attendedAt: a.attended ? new Date(demoAt("2026-11-18", 14).getTime() - 5 * 60_000) : null,
        attendedVia: a.attended ? "code" : null,
      },
      select: { id: true },
    });
    await audit(tx, { actorId: a.org.userId, action: "training.signup", objectType: "TrainingSignup", objectId: s.id, after: { trainingId: past.id, organizationId: a.org.id } });
    if (a.attended) await audit(tx, { actorId: a.org.userId, action: "training.checkIn", objectType: "TrainingSignup", objectId: s.id, after: { trainingId: past.id } });
  }
  await audit(tx, { actorId: ctx.officialId, action: "training.publish", objectType: "Training", objectId: past.id, after: { topic: "公益创投项目财务规范与票据管理", requiredForGrantees: true } });

  // ── one coming up: training of the neighbourhood stations' and points' leaders (友邻站、点负责人) ──
  const upcoming = await tx.training.create({
    data: {
      areaId: ctx.danghuId,
      topic: "友邻站、友邻点负责人业务能力培训",
      trainer: "张老师（嘉兴学院社会工作系）",
      description: "友邻站、点的职责与运行，居民协商议事的组织方法，《社区友邻站运营管理指导手册》解读。",
      startsAt: demoAt("2026-12-16", 9),
      endsAt: demoAt("2026-12-16", 11),
      place: "当湖街道社创中心一楼多功能厅",
      capacity: 30,
      audience: "ALL_ORGANIZATIONS",
      publishedById: ctx.officialId,
      createdAt: demoAt("2026-12-02", 9),
    },
    select: { id: true },
  });
  await audit(tx, { actorId: ctx.officialId, action: "training.publish", objectType: "Training", objectId: upcoming.id, after: { topic: "友邻站、友邻点负责人业务能力培训" } });

  // ── a mentor, invited to the subdistrict as judges are ──
  const mentor = await tx.user.create({
    data: {
      email: DEMO_ACCOUNTS.mentor.email,
      name: DEMO_ACCOUNTS.mentor.name,
      passwordHash: ctx.passwordHash,
      emailVerifiedAt: demoAt("2026-08-20"),
      // like every demo account, the mentor has accepted the privacy notice in force
      consents: { create: { kind: "PRIVACY_NOTICE", noticeVersion: PRIVACY_NOTICE_VERSION } },
    },
    select: { id: true },
  });
  await tx.roleGrant.create({ data: { userId: mentor.id, role: "MENTOR", areaId: ctx.danghuId, grantedById: ctx.officialId } });

  // ── three incubated organizations: entered, nurturing, graduated ──
  const others = await tx.organization.findMany({
    where: { id: { notIn: [ctx.applicantOrg.id, ctx.teamOrg.id] }, area: { path: { startsWith: "/" } } },
    select: { id: true },
    orderBy: { name: "asc" },
    take: 1,
  });
  const incubations: { org: Org; stage: "ENTERED" | "NURTURING" | "GRADUATED"; entered: string; nurturing?: string; graduated?: string; goals: string; logs: [string, string, string, string][] }[] = [
    {
      org: ctx.teamOrg,
      stage: "NURTURING",
      entered: "2026-09-01",
      nurturing: "2026-10-08",
      goals: "完成备案；建立队务和财务制度；培养两名骨干，独立运作一个助老项目。",
      logs: [
        ["2026-09-10", "团队定位与备案准备", "梳理服务对象和服务内容，先做好备案材料。", "9 月底前交齐备案材料"],
        ["2026-10-15", "财务制度", "建立收支台账，所有支出凭票报销，每月公开一次。", "下次辅导时检查台账"],
        ["2026-11-20", "项目中期复盘", "助餐服务覆盖面不错，回访记录要完整。", "补齐 10 月回访记录"],
      ],
    },
    {
      org: ctx.applicantOrg,
      stage: "GRADUATED",
      entered: "2026-03-01",
      nurturing: "2026-04-15",
      graduated: "2026-11-30",
      goals: "形成专业社工服务品牌，能独立申报并执行公益创投项目。",
      logs: [
        ["2026-04-20", "项目设计", "需求评估要有数据支撑，目标要可测量。", "修改项目书的目标部分"],
        ["2026-11-25", "出孵评估", "已具备独立运作能力，建议继续参与社区协商。", ""],
      ],
    },
    ...others.map((o) => ({
      org: o,
      stage: "ENTERED" as const,
      entered: "2026-11-24",
      goals: "明确服务方向，招募稳定的志愿者队伍。",
      logs: [["2026-12-01", "入孵首次辅导", "先从一个小而具体的服务做起，记录每次活动。", "下周提交活动计划"] as [string, string, string, string]],
    })),
  ];
  for (const i of incubations) {
    const inc = await tx.incubation.create({
      data: {
        organizationId: i.org.id,
        areaId: ctx.danghuId,
        stage: i.stage,
        enteredOn: demoDay(i.entered),
        nurturingOn: i.nurturing ? demoDay(i.nurturing) : null,
        graduatedOn: i.graduated ? demoDay(i.graduated) : null,
        mentorId: mentor.id,
        goals: i.goals,
        createdById: ctx.officialId,
        createdAt: demoAt(i.entered, 9),
      },
      select: { id: true },
    });
    await audit(tx, { actorId: ctx.officialId, action: "incubation.enter", objectType: "Incubation", objectId: inc.id, after: { organizationId: i.org.id, stage: i.stage, mentorId: mentor.id } });
    for (const [day, topic, advice, followUps] of i.logs) {
      const log = await tx.mentorLog.create({ data: { incubationId: inc.id, authorId: mentor.id, heldOn: demoDay(day), topic, advice, followUps, createdAt: demoAt(day, 17) }, select: { id: true } });
      await audit(tx, { actorId: mentor.id, action: "incubation.log", objectType: "MentorLog", objectId: log.id, after: { incubationId: inc.id, topic } });
    }
  }
}
