/**
 * The demo rounds (README "Demo"): JN7, the 7th micro-venture round of 当湖街道, open for
 * proposals with about a hundred residents' needs (as 003 reports for 江宁区's 7th round: 104
 * needs, ¥5,000–¥15,000 per project), and JN6, last year's round, with its funded projects in implementation.
 * Everything is generated from a seeded PRNG, so every fresh database gets the same content, and
 * written with a handful of bulk inserts inside the seed's transaction.
 */
import crypto from "node:crypto";
import { sha256 } from "../app/lib/crypto.server.ts";
import { canonicalJson } from "../app/domain/audit-chain.ts";
import { DEFAULT_CATEGORIES } from "../app/domain/categories.ts";
import { accountCodes, transfer } from "../app/domain/ledger.ts";
import { dayStart, proposalTotals, referenceNumber, snapshotOf, type Draft } from "../app/domain/proposals.ts";
import {
  DEFAULT_JUDGES_PER_PROPOSAL,
  DEFAULT_LABOUR_CAP_PERCENT,
  DEFAULT_MAX_AWARD_FEN,
  DEFAULT_MIN_AWARD_FEN,
  DEFAULT_NOTICE_DAYS,
  DEFAULT_RUBRIC,
  DEFAULT_TRANCHE_SCHEDULE,
  type Phase,
} from "../app/domain/rounds.ts";
import { usccCheckChar } from "../app/domain/uscc.ts";
import { PRIVACY_NOTICE_VERSION } from "../app/domain/privacy-notice.ts";
import type { Prisma } from "../app/generated/prisma/client.ts";
import type { Tx } from "../app/lib/db.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { ensureAccount, postTransaction } from "../app/services/books/ledger.server.ts";
import { COMMUNITIES, DEMO_RESIDENTS, ROUND_JN6, ROUND_JN7, ROUND_WL26, VILLAGES } from "./demo-data.ts";
import { demoDay as day, demoDayText } from "./demo-clock.ts";
import { seedDeliberation } from "./demo-deliberation.ts";
import { seedWishes } from "./demo-wishes.ts";
import { seedProjectShifts } from "./demo-shifts.ts";
import { seedJn6Projects } from "./demo-projects.ts";
import { seedJn6Review, seedOpenReview } from "./demo-review.ts";

// ───────────────────────────── deterministic randomness ─────────────────────────────

/** mulberry32: a tiny seeded PRNG, so the demo is the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const shuffle = <T>(xs: readonly T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return { next, int, pick, shuffle };
}
type Rng = ReturnType<typeof prng>;

const HOUR = 3_600_000;
const between = (rng: Rng, from: Date, to: Date) => new Date(from.getTime() + Math.floor(rng.next() * (to.getTime() - from.getTime())));

// ───────────────────────────── content ─────────────────────────────

type Category = "SELF_GOVERNANCE" | "PUBLIC_SERVICE" | "CULTURE_SPORTS";
interface Theme {
  key: string;
  category: Category;
  titles: [string, string];
  description: string;
}

/**
 * Needs residents raise, after the themes of 003 and 004 (点单). `{area}` is the community's name.
 * Titles avoid the names of the beneficiary groups (老年人, 儿童, 家庭 …): the proposal form lists
 * topics and groups as checkboxes side by side, and a label should name one thing.
 */
const THEMES: readonly Theme[] = [
  { key: "visit", category: "PUBLIC_SERVICE", titles: ["独居老人定期探访", "希望有人常去看看独居老人"], description: "{area}独居、空巢老人较多，子女不在身边。希望组织志愿者每周上门探访，陪老人聊天、量血压，发现困难及时联系社区。" },
  { key: "meals", category: "PUBLIC_SERVICE", titles: ["老年助餐送餐上门", "助餐点离家太远，希望能送餐"], description: "{area}的助餐点离部分小区较远，行动不便的高龄老人吃饭成问题。希望增加送餐上门服务，每周至少三次。" },
  { key: "afterschool", category: "PUBLIC_SERVICE", titles: ["开设四点半课堂", "放学后孩子没人照看"], description: "{area}双职工家庭多，孩子下午四点半放学后无人照看。希望在社区活动室开设四点半课堂，由志愿者辅导作业、开展阅读。" },
  { key: "ageing", category: "PUBLIC_SERVICE", titles: ["高龄老人居家适老化改造", "老旧楼道加装扶手"], description: "{area}老旧小区楼道没有扶手，卫生间地面湿滑，老人容易摔倒。希望为高龄、失能老人家庭做适老化改造。" },
  { key: "phone", category: "PUBLIC_SERVICE", titles: ["长者智能手机培训", "教长辈用手机挂号和付款"], description: "{area}很多老人不会用智能手机挂号、缴费、出示健康码。希望每月开设手机课堂，手把手教学。" },
  { key: "newcomers", category: "PUBLIC_SERVICE", titles: ["新市民子女暑期托管", "外来务工人员的孩子暑假无处去"], description: "{area}外来务工家庭较多，暑假期间孩子独自在家，存在安全隐患。希望开设暑期托管班。" },
  { key: "health", category: "PUBLIC_SERVICE", titles: ["慢性病健康讲座进社区", "希望定期有医生来讲健康知识"], description: "{area}高血压、糖尿病老人多。希望联系家庭医生每月来社区开展健康讲座和义诊。" },
  { key: "disabled", category: "PUBLIC_SERVICE", titles: ["残疾人康复陪伴服务", "残疾人照护者需要喘息服务"], description: "{area}有多户残疾人家庭，照护者长期疲惫。希望提供康复陪伴和照护者喘息服务。" },
  { key: "mediation", category: "PUBLIC_SERVICE", titles: ["邻里纠纷调解室", "希望有人帮忙调解邻里矛盾"], description: "{area}噪音、漏水、占道等邻里矛盾时有发生。希望设立邻里调解室，请老党员、志愿者参与调解。" },
  { key: "sorting", category: "SELF_GOVERNANCE", titles: ["垃圾分类督导", "垃圾投放点混投严重"], description: "{area}垃圾分类投放点经常混投，气味大。希望组建居民督导队，在早晚投放高峰定时定点引导。" },
  { key: "stairwell", category: "SELF_GOVERNANCE", titles: ["楼道微更新", "楼道杂物多、墙面破旧"], description: "{area}部分楼道堆满杂物、墙面斑驳。希望发动楼栋居民清理杂物、粉刷墙面，打造整洁温馨的楼道。" },
  { key: "ebikes", category: "SELF_GOVERNANCE", titles: ["非机动车停放整治", "电动车乱停和飞线充电"], description: "{area}电动车乱停乱放、飞线充电，存在消防隐患。希望规划停车区、增设集中充电点，并由居民共同制定停放公约。" },
  { key: "council", category: "SELF_GOVERNANCE", titles: ["小区居民议事会", "小区公共事务希望大家一起商量"], description: "{area}停车、绿化、公共收益等事情常有争议。希望建立居民议事会，定期协商公共事务。" },
  { key: "stewards", category: "SELF_GOVERNANCE", titles: ["楼栋微管家", "每个楼栋需要一个热心人"], description: "{area}楼栋多，社区工作人员顾不过来。希望每个楼栋选出微管家，收集意见、传达通知、关心困难户。" },
  { key: "garden", category: "SELF_GOVERNANCE", titles: ["口袋公园认领养护", "小区闲置绿地改成口袋公园"], description: "{area}有一块闲置绿地杂草丛生。希望居民认领改造成口袋公园，并轮流养护。" },
  { key: "fire", category: "SELF_GOVERNANCE", titles: ["消防安全宣传和演练", "老小区消防通道常被占用"], description: "{area}老小区消防通道常被占用，居民消防意识薄弱。希望开展消防宣传、演练和通道清理。" },
  { key: "river", category: "SELF_GOVERNANCE", titles: ["河道保洁志愿队", "村里河道垃圾需要定期清理"], description: "{area}河道边常有垃圾漂浮。希望组建村民护河志愿队，定期巡河保洁并宣传。" },
  { key: "tools", category: "SELF_GOVERNANCE", titles: ["共享工具屋", "修理小家电的工具大家共用"], description: "{area}居民家中修理工具闲置，需要时又要买。希望设立共享工具屋，志愿者定期义务维修小家电。" },
  { key: "festival", category: "CULTURE_SPORTS", titles: ["举办邻里节", "邻居之间互不相识"], description: "{area}新小区邻居之间互不相识。希望举办邻里节，通过百家宴、才艺展示、跳蚤市场促进邻里交往。" },
  { key: "dance", category: "CULTURE_SPORTS", titles: ["广场舞队伍培育", "广场舞音响扰民需要规范"], description: "{area}广场舞队伍多但缺少指导，音响时常扰民。希望请老师培训，规范活动时间和音量。" },
  { key: "choir", category: "CULTURE_SPORTS", titles: ["老年合唱团", "希望成立社区合唱团"], description: "{area}不少退休居民爱唱歌。希望成立合唱团，聘请老师每周排练一次，参加街道文艺汇演。" },
  { key: "taichi", category: "CULTURE_SPORTS", titles: ["太极拳晨练队", "晨练缺少老师指导"], description: "{area}每天早上有几十位居民晨练，缺少专业指导。希望组建太极拳队，请老师教学。" },
  { key: "reading", category: "CULTURE_SPORTS", titles: ["亲子读书会", "社区图书角没有人管理"], description: "{area}图书角书籍陈旧、无人管理。希望更新图书并每月举办亲子读书会。" },
  { key: "pingpong", category: "CULTURE_SPORTS", titles: ["乒乓球活动室开放", "希望活动室晚上也开放"], description: "{area}活动室乒乓球桌只在白天开放，上班族用不上。希望晚上由志愿者管理开放并组织比赛。" },
  { key: "holidays", category: "CULTURE_SPORTS", titles: ["传统节日民俗活动", "端午中秋一起过节"], description: "{area}希望在端午、中秋、重阳等传统节日举办包粽子、做月饼、敬老宴等民俗活动。" },
  { key: "gala", category: "CULTURE_SPORTS", titles: ["村晚文艺演出", "村民自己的文艺晚会"], description: "{area}村民中有不少文艺骨干。希望组织村晚，由村民自编自演，展示乡风文明。" },
  { key: "sports", category: "CULTURE_SPORTS", titles: ["亲子趣味运动会", "孩子和家长一起运动"], description: "{area}希望利用周末在小区广场举办亲子趣味运动会，增进家庭和邻里感情。" },
];

const REJECTION_REASONS = [
  "该需求属于市政道路维修范围，已转交街道城建办处理，不纳入公益创投。",
  "小区公共设施维护属于物业服务范围，已告知物业公司和业主委员会协商解决。",
  "需求内容涉及商业经营，不符合公益创投的资助范围。",
  "市里已有同类项目覆盖本社区（老年食堂建设计划），不再重复立项。",
  "需求描述不够具体，请补充受益人群和活动地点后重新提交。",
  "涉及个别家庭事务，建议通过社区网格员个案帮扶解决。",
];

// ───────────────────────────── organizations ─────────────────────────────

interface OrgSpec {
  kind: "SOCIAL_ORGANIZATION" | "COMMUNITY_ORGANIZATION" | "RESIDENT_TEAM";
  name: string;
  area: string;
  /** serial of the USCC (7 characters after 52330482MJ) or the filing number */
  uscc?: string;
  filingNo?: string;
  /** named members without accounts (the leader is a demo resident) */
  others: string[];
}

/** Twelve more organizations of Danghu: four social organizations, four community organizations, four resident teams. */
const ORGANIZATIONS: readonly OrgSpec[] = [
  { kind: "SOCIAL_ORGANIZATION", name: "平湖市乐龄养老服务中心", area: "danghu", uscc: "0000101", others: ["何晓燕"] },
  { kind: "SOCIAL_ORGANIZATION", name: "平湖市阳光青少年成长服务社", area: "danghu", uscc: "0000102", others: ["林思远"] },
  { kind: "SOCIAL_ORGANIZATION", name: "平湖市益家亲家庭综合服务中心", area: "danghu", uscc: "0000103", others: ["汪敏"] },
  { kind: "SOCIAL_ORGANIZATION", name: "平湖市绿色家园环保公益服务中心", area: "danghu", uscc: "0000104", others: ["孔令华"] },
  { kind: "COMMUNITY_ORGANIZATION", name: "东升社区夕阳红文体协会", area: "dongsheng", filingNo: "当湖社备〔2024〕012号", others: ["范桂英", "邹德明"] },
  { kind: "COMMUNITY_ORGANIZATION", name: "梅园社区志愿者协会", area: "meiyuan", filingNo: "当湖社备〔2023〕007号", others: ["唐伟"] },
  { kind: "COMMUNITY_ORGANIZATION", name: "南市社区老年协会", area: "nanshi", filingNo: "当湖社备〔2022〕021号", others: ["葛玉兰"] },
  { kind: "COMMUNITY_ORGANIZATION", name: "虹霓村乡风文明理事会", area: "hongni", filingNo: "当湖社备〔2025〕003号", others: ["毛阿根"] },
  { kind: "RESIDENT_TEAM", name: "百花社区楼道管家队", area: "baihua", others: ["方建新", "任小芬"] },
  { kind: "RESIDENT_TEAM", name: "如意社区亲子读书会", area: "ruyi", others: ["袁静", "柳青"] },
  { kind: "RESIDENT_TEAM", name: "滨湖社区太极拳晨练队", area: "binhu", others: ["常宝林", "邵凤仙"] },
  { kind: "RESIDENT_TEAM", name: "钱家村河道保洁志愿队", area: "qianjia", others: ["钱金龙", "褚阿毛"] },
];

type ProposalSpec = { title: string; theme: string; community: string; groups: string[]; beneficiaries: number };

/** JN6's proposals, one per demo organization (index 0 = 友邻社工中心, 1 = 凤凰邻里互助队, then ORGANIZATIONS). */
const JN6_PROJECTS: readonly ProposalSpec[] = [
  { title: "银龄守望·独居老人探访服务", theme: "visit", community: "songfeng", groups: ["ELDERLY"], beneficiaries: 80 },
  { title: "凤凰社区楼道微更新行动", theme: "stairwell", community: "fenghuang", groups: ["ALL_RESIDENTS"], beneficiaries: 300 },
  { title: "长者助餐·爱心送餐上门", theme: "meals", community: "jiefang", groups: ["ELDERLY", "DISABLED"], beneficiaries: 60 },
  { title: "四点半课堂·快乐成长", theme: "afterschool", community: "shuidongdai", groups: ["CHILDREN"], beneficiaries: 45 },
  { title: "新市民家庭融入计划", theme: "newcomers", community: "yongfeng", groups: ["NEW_RESIDENTS", "FAMILIES"], beneficiaries: 120 },
  { title: "垃圾分类“绿色账户”督导行动", theme: "sorting", community: "meilanyuan", groups: ["ALL_RESIDENTS"], beneficiaries: 800 },
  { title: "夕阳红广场舞队伍培育", theme: "dance", community: "dongsheng", groups: ["ELDERLY"], beneficiaries: 150 },
  { title: "梅园邻里节", theme: "festival", community: "meiyuan", groups: ["ALL_RESIDENTS"], beneficiaries: 500 },
  { title: "银发数字课堂·智能手机培训", theme: "phone", community: "nanshi", groups: ["ELDERLY"], beneficiaries: 90 },
  { title: "虹霓村村晚与乡风文明宣传", theme: "gala", community: "hongni", groups: ["ALL_RESIDENTS"], beneficiaries: 600 },
  { title: "百花社区非机动车停放公约", theme: "ebikes", community: "baihua", groups: ["ALL_RESIDENTS"], beneficiaries: 400 },
  { title: "如意亲子共读空间", theme: "reading", community: "ruyi", groups: ["CHILDREN", "FAMILIES"], beneficiaries: 70 },
  { title: "滨湖太极拳晨练队伍建设", theme: "taichi", community: "binhu", groups: ["ELDERLY", "ALL_RESIDENTS"], beneficiaries: 60 },
  { title: "钱家村护河保洁行动", theme: "river", community: "qianjia", groups: ["ALL_RESIDENTS"], beneficiaries: 1200 },
];

/** WL26's proposals (to the organizations after applicant@'s and team@'s, in order). */
const WL26_PROJECTS: readonly ProposalSpec[] = [
  { title: "银龄结对·高龄独居老人关爱行动", theme: "visit", community: "jiefang", groups: ["ELDERLY"], beneficiaries: 60 },
  { title: "长者食堂周末送餐延伸服务", theme: "meals", community: "yongfeng", groups: ["ELDERLY", "DISABLED"], beneficiaries: 50 },
  { title: "老旧楼道扶手加装与居家适老化", theme: "ageing", community: "dongsheng", groups: ["ELDERLY", "DISABLED"], beneficiaries: 40 },
  { title: "慢病老人自我管理小组", theme: "health", community: "nanshi", groups: ["ELDERLY"], beneficiaries: 80 },
  { title: "银发数字课堂进村", theme: "phone", community: "hongni", groups: ["ELDERLY"], beneficiaries: 70 },
];

/** Which JN6 proposals did not pass screening, and why. */
const JN6_INELIGIBLE: Record<number, string> = {
  8: "申报材料缺少服务对象需求调查和活动场地使用证明，补正期限内未补交，不符合申报指南第三条。",
  12: "项目内容与本街道已有财政资助的晨练点建设项目重复，且未说明差异和延续安排。",
};
const JN6_ELIGIBLE_REASON = "材料齐全，符合申报条件。";

// ───────────────────────────── the seed ─────────────────────────────

export interface DemoContext {
  passwordHash: string;
  /** area code → id, for the subdistrict and its communities and villages */
  areaIds: Record<string, string>;
  subdistrictId: string;
  officialId: string;
  /** the second subdistrict official (four-eyes tranche releases) */
  reviewerId: string;
  foundation: { id: string; nameZh: string; nameEn: string };
  residentId: string;
  donorId: string;
  /** the two organizations of the original demo (applicant@ and team@) with their account holders */
  applicantOrg: { id: string; userId: string; name: string };
  teamOrg: { id: string; userId: string; name: string };
}

/** Community and village codes in display order, with their names. */
const PLACES = [...COMMUNITIES, ...VILLAGES].map(([code, nameZh, nameEn]) => ({ code, nameZh, nameEn }));
const COMMUNITY_CODES = PLACES.map((p) => p.code);

/** What the seed adds, for the README and the tests. */
export const DEMO_ROUND_FACTS = { jn7Needs: 104, jn7Published: 40, jn7Rejected: 6, jn7Merged: 8, jn6Needs: 20, jn6Proposals: JN6_PROJECTS.length } as const;

const roundSettings = (foundationId: string, areaId: string, createdById: string) => ({
  areaId,
  foundationId,
  createdById,
  minAwardFen: DEFAULT_MIN_AWARD_FEN,
  maxAwardFen: DEFAULT_MAX_AWARD_FEN,
  categories: DEFAULT_CATEGORIES as unknown as Prisma.InputJsonValue,
  rubric: DEFAULT_RUBRIC as unknown as Prisma.InputJsonValue,
  trancheSchedule: DEFAULT_TRANCHE_SCHEDULE as unknown as Prisma.InputJsonValue,
  judgesPerProposal: DEFAULT_JUDGES_PER_PROPOSAL,
  noticeDays: DEFAULT_NOTICE_DAYS,
  labourCapPercent: DEFAULT_LABOUR_CAP_PERCENT,
});

/** Moves a round's pool from the foundation's available funds through the ledger, audited. */
async function fundRound(tx: Tx, ctx: DemoContext, round: { id: string; code: string }, poolFen: number, fundedAt: Date | undefined, createdAt: Date) {
  await ensureAccount(tx, {
    code: accountCodes.roundPool(round.id),
    kind: "ROUND_POOL",
    nameZh: `创投轮次 ${round.code} 资金池`,
    nameEn: `Round ${round.code} pool`,
    foundationId: ctx.foundation.id,
    ownerId: round.id,
  });
  const posted = await postTransaction(tx, {
    idempotencyKey: `seed:round:${round.code}:pool`,
    kind: "ROUND_POOL",
    memo: `创投轮次 ${round.code} 资金池 / Pool of round ${round.code}`,
    actorId: ctx.officialId,
    // the day the round opened (last year's JN6), so the ledger reads in the order things happened
    occurredAt: fundedAt ?? null,
    entries: transfer(accountCodes.foundationAvailable(ctx.foundation.id), accountCodes.roundPool(round.id), poolFen),
  });
  await audit(tx, {
    actorId: ctx.officialId,
    action: "round.create",
    objectType: "Round",
    objectId: round.id,
    after: { code: round.code, poolFen, ledgerTransactionId: posted.transactionId, seeded: true },
    at: createdAt,
  });
}

/**
 * A demo round's phase moves, in the audit log where the round's page reads its history: from
 * DRAFT through each phase to `phase`, each on the day its dates say it began (the demo's past).
 */
async function seedPhaseHistory(tx: Tx, officialId: string, roundId: string, moves: readonly [Phase, Date][]) {
  let from: Phase = "DRAFT";
  for (const [to, at] of moves) {
    await audit(tx, { actorId: officialId, action: "round.phase", objectType: "Round", objectId: roundId, before: { phase: from }, after: { phase: to }, at });
    from = to;
  }
}

/** A budget within ¥5,000–¥15,000 with labour at most 30 % of the total. */
function budgetFor(rng: Rng, theme: Theme): Draft["budgetLines"] {
  const materials = rng.int(30, 50) * 10_000; // ¥3,000–¥5,000
  const publicity = rng.int(3, 8) * 10_000;
  const extra = theme.category === "CULTURE_SPORTS" ? { category: "VENUE", item: "活动场地与音响租用", quantity: rng.int(2, 4), unitPriceFen: 50_000 } : { category: "TRAINING", item: "专业老师授课", quantity: rng.int(2, 4), unitPriceFen: 50_000 };
  const nonLabour = materials + publicity + extra.quantity * extra.unitPriceFen;
  const labourQty = Math.max(1, Math.min(12, Math.floor((nonLabour * 3) / 7 / 30_000)));
  return [
    { category: "LABOUR", item: "社工及志愿者服务补贴", quantity: labourQty, unitPriceFen: 30_000 },
    { category: "MATERIALS", item: "活动物资与耗材", quantity: 1, unitPriceFen: materials },
    { category: "PUBLICITY", item: "宣传海报与资料印刷", quantity: 1, unitPriceFen: publicity },
    extra,
  ];
}

export async function seedDemoRounds(tx: Tx, ctx: DemoContext) {
  const rng = prng(20_261_123);
  const name = (code: string) => PLACES.find((p) => p.code === code)?.nameZh ?? code;

  // ── residents ──
  const residents = DEMO_RESIDENTS.map((r) => ({ id: crypto.randomUUID(), ...r }));
  await tx.user.createMany({
    data: residents.map((r) => ({ id: r.id, email: r.email, name: r.name, passwordHash: ctx.passwordHash, emailVerifiedAt: new Date() })),
  });
  await tx.consent.createMany({ data: residents.map((r) => ({ kind: "PRIVACY_NOTICE" as const, userId: r.id, noticeVersion: PRIVACY_NOTICE_VERSION })) });
  const voters = [ctx.residentId, ctx.donorId, ...residents.map((r) => r.id)];

  // ── organizations ──
  const orgs = ORGANIZATIONS.map((o, i) => ({ id: crypto.randomUUID(), spec: o, leader: residents[i]! }));
  await tx.organization.createMany({
    data: orgs.map(({ id, spec }) => ({
      id,
      kind: spec.kind,
      name: spec.name,
      uscc: spec.uscc ? `52330482MJ${spec.uscc}${usccCheckChar(`52330482MJ${spec.uscc}`)}` : null,
      filingNo: spec.filingNo ?? null,
      areaId: spec.area === "danghu" ? ctx.subdistrictId : ctx.areaIds[spec.area]!,
    })),
  });
  await tx.organizationMember.createMany({
    data: orgs.flatMap(({ id, spec, leader }) => [
      { organizationId: id, userId: leader.id, name: leader.name, position: spec.kind === "RESIDENT_TEAM" ? "队长" : "负责人" },
      ...spec.others.map((n) => ({ organizationId: id, name: n, position: "成员" })),
    ]),
  });
  const allOrgs = [
    { id: ctx.applicantOrg.id, name: ctx.applicantOrg.name, kind: "SOCIAL_ORGANIZATION", userId: ctx.applicantOrg.userId, members: ["陈晓", "李娜"] },
    { id: ctx.teamOrg.id, name: ctx.teamOrg.name, kind: "RESIDENT_TEAM", userId: ctx.teamOrg.userId, members: ["周丽华", "沈建华", "韩美玲"] },
    ...orgs.map((o) => ({ id: o.id, name: o.spec.name, kind: o.spec.kind as string, userId: o.leader.id, members: [o.leader.name, ...o.spec.others] })),
  ];

  // ── the rounds ──
  const jn6Id = crypto.randomUUID();
  const jn7Id = crypto.randomUUID();
  await tx.round.createMany({
    data: [
      {
        id: jn6Id,
        code: ROUND_JN6.code,
        // set up before topics had to be deliberated (三议): its topics were published directly
        requiresDeliberation: false,
        title: ROUND_JN6.title,
        titleEn: ROUND_JN6.titleEn,
        description:
          "2025 年度当湖街道社区公益微创投。居民点单、社区派单、社会组织和居民团队接单，单个项目资助 0.5 万至 1.5 万元，资金来自当湖街道社区发展基金。资助项目正在实施，12 月底结束。",
        phase: "IMPLEMENTATION",
        poolFen: BigInt(ROUND_JN6.poolFen),
        nextProposalSeq: JN6_PROJECTS.length + 1,
        needsStartsAt: day("2025-10-08"),
        proposalsStartsAt: day("2025-11-01"),
        proposalsDeadline: day("2025-12-20"),
        screeningStartsAt: day("2025-12-21"),
        reviewStartsAt: day("2026-01-06"),
        noticeStartsAt: day("2026-01-20"),
        implementationStartsAt: day("2026-02-01"),
        implementationEndsAt: day("2026-12-31"),
        closesAt: day("2027-01-31"),
        phaseChangedAt: day("2026-02-01"),
        ...roundSettings(ctx.foundation.id, ctx.subdistrictId, ctx.officialId),
      },
      {
        id: jn7Id,
        code: ROUND_JN7.code,
        // set up before topics had to be deliberated (三议): its topics were published directly
        requiresDeliberation: false,
        title: ROUND_JN7.title,
        titleEn: ROUND_JN7.titleEn,
        description:
          "参照江宁区第七届公益创投微项目的做法：面向当湖街道 18 个社区和 8 个村征集居民需求（点单），经社区梳理后作为申报议题发布（派单），由社会组织、社区社会组织和居民团队申报（接单）。单个项目资助 0.5 万至 1.5 万元，人员劳务费不超过预算的 30%，每个组织限报 1 项；资金使用和流程全程公开。",
        phase: "PROPOSALS",
        poolFen: BigInt(ROUND_JN7.poolFen),
        needsStartsAt: day("2026-10-08"),
        proposalsStartsAt: day("2026-11-01"),
        proposalsDeadline: day("2026-12-20"),
        screeningStartsAt: day("2026-12-21"),
        reviewStartsAt: day("2027-01-06"),
        noticeStartsAt: day("2027-01-20"),
        implementationStartsAt: day("2027-02-01"),
        implementationEndsAt: day("2027-11-30"),
        closesAt: day("2027-12-31"),
        phaseChangedAt: day("2026-11-01"),
        ...roundSettings(ctx.foundation.id, ctx.subdistrictId, ctx.officialId),
      },
    ],
  });
  // each set up a week before its needs phase began, and moved on through its phases since
  await fundRound(tx, ctx, { id: jn6Id, code: ROUND_JN6.code }, ROUND_JN6.poolFen, day("2025-10-08"), new Date(day("2025-10-01").getTime() + 15 * HOUR));
  await seedPhaseHistory(tx, ctx.officialId, jn6Id, [
    ["NEEDS", day("2025-10-08")],
    ["PROPOSALS", day("2025-11-01")],
    ["SCREENING", day("2025-12-21")],
    ["REVIEW", day("2026-01-06")],
    ["NOTICE", day("2026-01-20")],
    ["IMPLEMENTATION", day("2026-02-01")],
  ]);
  await fundRound(tx, ctx, { id: jn7Id, code: ROUND_JN7.code }, ROUND_JN7.poolFen, undefined, new Date(day("2026-10-01").getTime() + 15 * HOUR));
  await seedPhaseHistory(tx, ctx.officialId, jn7Id, [
    ["NEEDS", day("2026-10-08")],
    ["PROPOSALS", day("2026-11-01")],
  ]);

  // ── needs: JN6's (last year, all published as its topics), then JN7's ──
  type NeedRow = Prisma.NeedCreateManyInput & { id: string; voters: string[] };
  const needs: NeedRow[] = [];
  const themeOf = (key: string) => THEMES.find((t) => t.key === key)!;
  const votersFor = (n: number) => rng.shuffle(voters).slice(0, n);

  // JN6: the 14 themes its proposals answered and 6 more
  const jn6Themes = [...JN6_PROJECTS.map((p) => ({ theme: p.theme, area: p.community })), ...["health", "fire", "choir", "garden", "tools", "holidays"].map((theme, i) => ({ theme, area: ["donghu", "beihelou", "qiyuan", "tangqiao", "sanbei", "muyang"][i]! }))];
  for (const { theme: key, area } of jn6Themes) {
    const theme = themeOf(key);
    const createdAt = between(rng, day("2025-10-08"), day("2025-10-31"));
    needs.push({
      id: crypto.randomUUID(),
      areaId: ctx.areaIds[area]!,
      authorId: rng.pick(voters),
      title: rng.pick(theme.titles),
      description: theme.description.replace("{area}", name(area)),
      category: theme.category,
      status: "PUBLISHED",
      roundId: jn6Id,
      publishedAt: new Date(day("2025-11-01").getTime() + rng.int(9, 17) * HOUR),
      curatedById: ctx.officialId,
      curatedAt: day("2025-11-01"),
      createdAt,
      voters: votersFor(rng.int(6, voters.length)),
    });
  }
  const jn6NeedIds = needs.map((n) => n.id);

  // JN7: 96 needs over the 26 communities and villages, then 8 duplicates that officials merged
  const statuses = rng.shuffle([
    ...Array<"PUBLISHED">(DEMO_ROUND_FACTS.jn7Published).fill("PUBLISHED"),
    ...Array<"REJECTED">(DEMO_ROUND_FACTS.jn7Rejected).fill("REJECTED"),
    ...Array<"OPEN">(96 - DEMO_ROUND_FACTS.jn7Published - DEMO_ROUND_FACTS.jn7Rejected).fill("OPEN"),
  ]);
  const jn7: NeedRow[] = [];
  const used = new Set<string>();
  for (let i = 0; i < 96; i++) {
    const area = COMMUNITY_CODES[i % COMMUNITY_CODES.length]!;
    let theme = rng.pick(THEMES);
    while (used.has(`${area}:${theme.key}`)) theme = rng.pick(THEMES);
    used.add(`${area}:${theme.key}`);
    const status = statuses[i]!;
    const createdAt = between(rng, day("2026-10-08"), day("2026-10-31"));
    const curatedAt = new Date(Math.max(createdAt.getTime() + 2 * 24 * HOUR, day("2026-10-25").getTime()) + rng.int(1, 8) * HOUR);
    const votes = status === "PUBLISHED" ? rng.int(8, voters.length) : status === "OPEN" ? rng.int(0, 15) : rng.int(0, 4);
    jn7.push({
      id: crypto.randomUUID(),
      areaId: ctx.areaIds[area]!,
      authorId: rng.pick(voters),
      title: theme.titles[0],
      description: theme.description.replace("{area}", name(area)),
      category: theme.category,
      status,
      ...(status === "PUBLISHED"
        ? { roundId: jn7Id, publishedAt: new Date(day("2026-11-01").getTime() + rng.int(9, 17) * HOUR), curatedById: ctx.officialId, curatedAt: day("2026-11-01") }
        : {}),
      ...(status === "REJECTED" ? { rejectionReason: REJECTION_REASONS[jn7.filter((n) => n.status === "REJECTED").length % REJECTION_REASONS.length], curatedById: ctx.officialId, curatedAt } : {}),
      createdAt,
      voters: votersFor(votes),
    });
  }
  // duplicates: the same need posted again in the same community, merged into the first (its voters carried over)
  const targets = rng.shuffle(jn7.filter((n) => n.status !== "REJECTED")).slice(0, DEMO_ROUND_FACTS.jn7Merged);
  for (const target of targets) {
    const theme = THEMES.find((t) => t.titles[0] === target.title)!;
    const createdAt = new Date((target.createdAt as Date).getTime() + rng.int(6, 72) * HOUR);
    const own = rng.shuffle(voters).slice(0, rng.int(1, 5));
    for (const v of own) if (!target.voters.includes(v)) target.voters.push(v);
    jn7.push({
      id: crypto.randomUUID(),
      areaId: target.areaId,
      authorId: rng.pick(voters),
      title: theme.titles[1],
      description: theme.description.replace("{area}", name(COMMUNITY_CODES.find((c) => ctx.areaIds[c] === target.areaId)!)),
      category: theme.category,
      status: "MERGED",
      mergedIntoId: target.id,
      curatedById: ctx.officialId,
      curatedAt: new Date(createdAt.getTime() + 24 * HOUR),
      createdAt,
      voters: own,
    });
  }
  needs.push(...jn7.sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime()));
  // merged needs point at others: insert targets first (numbers follow posting order within each round)
  const ordered = [...needs.filter((n) => !n.mergedIntoId), ...needs.filter((n) => n.mergedIntoId)];
  // a few hundred rows each: one INSERT … SELECT FROM unnest(arrays) is far faster than createMany.
  // Columns are timestamp(3) holding UTC (as Prisma writes them): an ISO string cast to timestamp keeps its UTC wall time.
  const col = <T>(f: (n: NeedRow) => T) => ordered.map(f);
  const at = (d: unknown) => (d ? (d as Date).toISOString() : null);
  await tx.$executeRaw`
    INSERT INTO "Need" (id, "areaId", "authorId", title, description, category, status, "rejectionReason", "mergedIntoId",
                        "roundId", "publishedAt", "curatedById", "curatedAt", "voteCount", "createdAt", "updatedAt")
    SELECT id, "areaId", "authorId", title, description, category, status::"NeedStatus", "rejectionReason", "mergedIntoId",
           "roundId", "publishedAt", "curatedById", "curatedAt", "voteCount", "createdAt", "createdAt"
    FROM unnest(${col((n) => n.id)}::text[], ${col((n) => n.areaId)}::text[], ${col((n) => n.authorId ?? null)}::text[],
                ${col((n) => n.title)}::text[], ${col((n) => n.description)}::text[], ${col((n) => n.category)}::text[],
                ${col((n) => n.status ?? "OPEN")}::text[], ${col((n) => n.rejectionReason ?? null)}::text[], ${col((n) => n.mergedIntoId ?? null)}::text[],
                ${col((n) => n.roundId ?? null)}::text[], ${col((n) => at(n.publishedAt))}::timestamp[], ${col((n) => n.curatedById ?? null)}::text[],
                ${col((n) => at(n.curatedAt))}::timestamp[], ${col((n) => n.voters.length)}::int[], ${col((n) => at(n.createdAt))}::timestamp[])
      WITH ORDINALITY AS t(id, "areaId", "authorId", title, description, category, status, "rejectionReason", "mergedIntoId",
                           "roundId", "publishedAt", "curatedById", "curatedAt", "voteCount", "createdAt", k)
    ORDER BY k`;
  const votes = ordered.flatMap((n) => n.voters.map((userId, k) => ({ needId: n.id, userId, createdAt: new Date((n.createdAt as Date).getTime() + (k + 1) * 3 * HOUR).toISOString() })));
  await tx.$executeRaw`
    INSERT INTO "NeedVote" ("needId", "userId", "createdAt")
    SELECT * FROM unnest(${votes.map((v) => v.needId)}::text[], ${votes.map((v) => v.userId)}::text[], ${votes.map((v) => v.createdAt)}::timestamp[])`;

  // ── deliberation (三议): one need passed in 松枫社区 (with the representatives' online vote), one waiting for its resolution, one dropped at review elsewhere ──
  // the first five demo residents are 松枫社区's registered residents' representatives
  await seedDeliberation(tx, ctx.officialId, jn7, ctx.areaIds, residents.slice(0, 5).map((r) => r.id));

  // ── volunteers (报到) and small wishes (微心愿) in 松枫社区: a dozen volunteers, ten wishes in every state ──
  await seedWishes(tx, { officialId: ctx.officialId, songfengId: ctx.areaIds.songfeng!, demoResidentId: ctx.residentId, residents });

  // ── JN7: applicant@'s organization has a draft, partly filled ──
  const jn7Topic = jn7.find((n) => n.status === "PUBLISHED" && themeOf("visit").titles[0] === n.title) ?? jn7.find((n) => n.status === "PUBLISHED")!;
  const draftId = crypto.randomUUID();
  await tx.proposal.create({
    data: {
      id: draftId,
      roundId: jn7Id,
      organizationId: ctx.applicantOrg.id,
      createdById: ctx.applicantOrg.userId,
      updatedById: ctx.applicantOrg.userId,
      title: "友邻守望·独居老人关爱计划（第二期）",
      summary: "在第六届探访服务的基础上，扩大到两个社区，为独居和空巢老人提供每周探访、健康监测和紧急联络。",
      communityId: ctx.areaIds.songfeng!,
      category: "PUBLIC_SERVICE",
      beneficiaryGroups: ["ELDERLY"],
      beneficiaryCount: 120,
      milestones: { create: [{ position: 0, title: "志愿者招募与培训", dueOn: day("2027-03-15"), deliverable: "志愿者名单与培训记录" }] },
      budgetLines: { create: [{ position: 0, category: "MATERIALS", item: "健康监测包（血压计等）", quantity: 40, unitPriceFen: 12_000, totalFen: 480_000 }] },
      team: { create: [{ position: 0, name: "陈晓", role: "项目负责人", experience: "社会工作师，从事老年服务八年" }] },
      needs: { create: [{ needId: jn7Topic.id }] },
    },
  });

  // ── JN6: fourteen proposals, submitted (frozen snapshots) and screened ──
  const jn6Needs = await tx.need.findMany({ where: { id: { in: jn6NeedIds } }, select: { id: true, number: true, title: true } });
  await seedSubmittedProposals(tx, ctx, rng, allOrgs, { id: jn6Id, code: ROUND_JN6.code, title: ROUND_JN6.title }, JN6_PROJECTS, {
    needs: (i) => [jn6Needs.find((n) => n.id === jn6NeedIds[i])!],
    ineligible: JN6_INELIGIBLE,
    year: 2026,
    submittedFrom: day("2025-11-10"),
    screenedFrom: day("2025-12-22"),
  });
  const review = await seedJn6Review(tx, jn6Id, ctx.officialId);
  await seedJn6Projects(tx, jn6Id, { officialId: ctx.officialId, reviewerId: ctx.reviewerId }, review.finalizedAt);
  // ── volunteer shifts on a project being implemented ──
  await seedProjectShifts(tx, { residents });

  // ── WL26: a special round for older residents, in REVIEW: the demo judges are scoring ──
  const wl26Id = crypto.randomUUID();
  await tx.round.create({
    data: {
      id: wl26Id,
      code: ROUND_WL26.code,
      // set up before topics had to be deliberated (三议): its topics were published directly
      requiresDeliberation: false,
      title: ROUND_WL26.title,
      titleEn: ROUND_WL26.titleEn,
      description:
        "面向当湖街道高龄、独居和失能老人的专项微创投：探访陪伴、助餐送餐、适老化改造、健康管理和数字助老。单个项目资助 0.5 万至 1.5 万元，人员劳务费不超过预算的 30%。",
      phase: "REVIEW",
      poolFen: BigInt(ROUND_WL26.poolFen),
      nextProposalSeq: WL26_PROJECTS.length + 1,
      needsStartsAt: day("2026-08-01"),
      proposalsStartsAt: day("2026-08-20"),
      proposalsDeadline: day("2026-10-15"),
      screeningStartsAt: day("2026-10-16"),
      reviewStartsAt: day("2026-11-20"),
      noticeStartsAt: day("2026-12-21"),
      implementationStartsAt: day("2027-01-11"),
      implementationEndsAt: day("2027-10-31"),
      closesAt: day("2027-11-30"),
      phaseChangedAt: day("2026-11-20"),
      ...roundSettings(ctx.foundation.id, ctx.subdistrictId, ctx.officialId),
    },
  });
  await fundRound(tx, ctx, { id: wl26Id, code: ROUND_WL26.code }, ROUND_WL26.poolFen, day("2026-08-01"), new Date(day("2026-07-25").getTime() + 15 * HOUR));
  await seedPhaseHistory(tx, ctx.officialId, wl26Id, [
    ["NEEDS", day("2026-08-01")],
    ["PROPOSALS", day("2026-08-20")],
    ["SCREENING", day("2026-10-16")],
    ["REVIEW", day("2026-11-20")],
  ]);
  // five of the demo organizations (not applicant@'s or team@'s), one proposal each
  const wl26 = await seedSubmittedProposals(tx, ctx, rng, allOrgs.slice(2), { id: wl26Id, code: ROUND_WL26.code, title: ROUND_WL26.title }, WL26_PROJECTS, {
    needs: () => [],
    ineligible: {},
    year: 2027,
    submittedFrom: day("2026-09-01"),
    screenedFrom: day("2026-10-19"),
  });
  await seedOpenReview(tx, wl26Id, ctx.officialId, wl26);
  return { jn6Id, jn7Id, wl26Id };
}

type DemoOrg = { id: string; name: string; kind: string; userId: string; members: string[] };

/**
 * Proposals submitted to a round (frozen snapshots, as the submit use-case writes them) and
 * screened: one per organization, in the order of `orgs`. Returns them with their outcome.
 */
async function seedSubmittedProposals(
  tx: Tx,
  ctx: DemoContext,
  rng: Rng,
  orgs: readonly DemoOrg[],
  round: { id: string; code: string; title: string },
  specs: readonly ProposalSpec[],
  opts: {
    needs: (i: number) => { id: string; number: number; title: string }[];
    ineligible: Record<number, string>;
    /** the year the projects would run (their milestones' due dates) */
    year: number;
    submittedFrom: Date;
    screenedFrom: Date;
  },
) {
  const name = (code: string) => PLACES.find((p) => p.code === code)?.nameZh ?? code;
  const nameEn = (code: string) => PLACES.find((p) => p.code === code)?.nameEn ?? code;
  const themeOf = (key: string) => THEMES.find((t) => t.key === key)!;
  const y = opts.year;
  const proposals = specs.map((p, i) => {
    const org = orgs[i]!;
    const theme = themeOf(p.theme);
    const draft: Draft = {
      title: p.title,
      summary: `回应${name(p.community)}居民“${theme.titles[0]}”的需求：${theme.description.replace("{area}", name(p.community)).split("。")[1] ?? ""}。`,
      communityId: ctx.areaIds[p.community]!,
      category: theme.category,
      needIds: opts.needs(i).map((n) => n.id),
      beneficiaryGroups: p.groups,
      beneficiaryCount: p.beneficiaries,
      activityPlan: `第一阶段（2 月至 3 月）：走访调研、招募志愿者；第二阶段（4 月至 8 月）：每月开展 2 至 4 次活动；第三阶段（9 月）：总结评估、形成长效机制。`,
      coFundingFen: rng.int(0, 10) * 10_000,
      milestones: [
        { title: "调研与志愿者招募", dueOn: demoDayText(`${y}-04-${String(rng.int(10, 30)).padStart(2, "0")}`), deliverable: "需求调研报告、志愿者名单" },
        { title: "中期活动开展", dueOn: demoDayText(`${y}-08-${String(rng.int(10, 31)).padStart(2, "0")}`), deliverable: "活动记录、照片和签到表" },
        { title: "总结评估", dueOn: demoDayText(`${y}-12-${String(rng.int(5, 20)).padStart(2, "0")}`), deliverable: "项目总结报告和满意度调查" },
      ],
      budgetLines: budgetFor(rng, theme),
      team: org.members.slice(0, 3).map((m, k) => ({ name: m, role: k === 0 ? "项目负责人" : "成员", experience: k === 0 ? "多年社区服务经验" : "" })),
    };
    const submittedAt = new Date(opts.submittedFrom.getTime() + i * 3 * 24 * HOUR + rng.int(9, 17) * HOUR);
    const referenceNo = referenceNumber(round.code, i + 1);
    return { id: crypto.randomUUID(), org, draft, submittedAt, referenceNo, community: p.community };
  });
  await tx.proposal.createMany({
    data: proposals.map((p) => ({
      id: p.id,
      roundId: round.id,
      organizationId: p.org.id,
      createdById: p.org.userId,
      updatedById: p.org.userId,
      title: p.draft.title,
      summary: p.draft.summary,
      communityId: p.draft.communityId,
      category: p.draft.category,
      beneficiaryGroups: p.draft.beneficiaryGroups,
      beneficiaryCount: p.draft.beneficiaryCount,
      activityPlan: p.draft.activityPlan,
      coFundingFen: p.draft.coFundingFen,
      createdAt: new Date(p.submittedAt.getTime() - 5 * 24 * HOUR),
    })),
  });
  await tx.proposalMilestone.createMany({
    data: proposals.flatMap((p) => p.draft.milestones.map((m, position) => ({ proposalId: p.id, position, title: m.title, dueOn: dayStart(m.dueOn!), deliverable: m.deliverable }))),
  });
  await tx.proposalBudgetLine.createMany({
    data: proposals.flatMap((p) =>
      p.draft.budgetLines.map((l, position) => ({ proposalId: p.id, position, category: l.category, item: l.item, quantity: l.quantity, unitPriceFen: l.unitPriceFen, totalFen: l.quantity * l.unitPriceFen })),
    ),
  });
  await tx.proposalTeamMember.createMany({
    data: proposals.flatMap((p) => p.draft.team.map((m, position) => ({ proposalId: p.id, position, name: m.name, role: m.role, experience: m.experience }))),
  });
  await tx.proposalNeed.createMany({ data: proposals.flatMap((p) => p.draft.needIds.map((needId) => ({ proposalId: p.id, needId }))) });

  // submission (snapshot + hash) and the screening decision, in one update per proposal: the
  // freeze trigger applies from the moment the status leaves DRAFT, after the children exist
  const decisions: Prisma.ScreeningDecisionCreateManyInput[] = [];
  for (const [i, p] of proposals.entries()) {
    const code = p.community;
    const snapshot = snapshotOf({
      referenceNo: p.referenceNo,
      submittedAt: p.submittedAt,
      submittedBy: { id: p.org.userId, name: p.org.members[0]! },
      round,
      organization: { id: p.org.id, name: p.org.name, kind: p.org.kind },
      community: { id: ctx.areaIds[code]!, code, nameZh: name(code), nameEn: nameEn(code) },
      needs: opts.needs(i).map((n) => ({ id: n.id, number: n.number, title: n.title })),
      attachments: [],
      draft: p.draft,
    });
    const outcome = opts.ineligible[i] ? "INELIGIBLE" : "ELIGIBLE";
    const reason = opts.ineligible[i] ?? JN6_ELIGIBLE_REASON;
    const screenedAt = new Date(opts.screenedFrom.getTime() + (i % 5) * 24 * HOUR + 10 * HOUR);
    await tx.proposal.update({
      where: { id: p.id },
      data: {
        status: outcome,
        referenceNo: p.referenceNo,
        requestedFen: proposalTotals(p.draft.budgetLines).totalFen,
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        snapshotSha256: sha256(canonicalJson(snapshot)),
        submittedAt: p.submittedAt,
        submittedById: p.org.userId,
        screeningReason: reason,
        screenedAt,
        screenedById: ctx.officialId,
      },
    });
    decisions.push({ proposalId: p.id, outcome, reason, decidedById: ctx.officialId, createdAt: screenedAt });
  }
  await tx.screeningDecision.createMany({ data: decisions });
  return proposals.map((p, i) => ({ id: p.id, organizationId: p.org.id, eligible: !opts.ineligible[i] }));
}
