/**
 * The demo's partner units (结对共建, ADR 040), through the use-cases as the Danghu official:
 * - a technology company paired with 东湖社区 that funds a 1:1 matching pool on the Donghu
 *   neighbours' micro-fund (its campaign opens next week, so no gift of the other demo stories
 *   is matched by it) and gave quilts in kind;
 * - a supermarket chain paired with 松枫社区 and 凤凰社区 that stocks 松枫社区's charity shop
 *   (慈善超市) with rice and oil, gives its staff's haircuts as a service, has the demo resident as
 *   its member account, and took one of 松枫社区's small wishes;
 * - a named giver (the city library, who agreed to be named) gave picture books to the shop.
 * Dates are the story's, moved to the seeding week (demo-clock.ts).
 */
import { db } from "../app/lib/db.server.ts";
import { audit } from "../app/services/books/audit.server.ts";
import { createCampaign } from "../app/services/giving/manage.server.ts";
import { recordGift } from "../app/services/partners/in-kind.server.ts";
import { adoptProject, createUnit, grantMember, pairUnit } from "../app/services/partners/partners.server.ts";
import { takeWish } from "../app/services/volunteers/volunteers.server.ts";
import { usccCheckChar } from "../app/domain/uscc.ts";
import { shanghaiDay } from "../app/lib/time.ts";
import { demoDayText } from "./demo-clock.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";
import { DEMO_MICRO_FUND_SLUG, demoViewer } from "./demo-giving.ts";

/** The contacts' mobiles (made up): personal data that no public page may show (the public scan looks for them). */
export const DEMO_PARTNER_PHONES = ["13957300101", "13957300202"] as const;
export const DEMO_PARTNER_CAMPAIGN_SLUG = "donghu-partner-match";

const uscc = (first17: string) => first17 + usccCheckChar(first17)!;
/**
 * A day of the story, but never after the real today: the use-cases refuse days to come, and a
 * seed dated ahead of the clock (the seed test's "a year on") would otherwise be refused.
 */
const storyDay = (day: string) => [demoDayText(day), shanghaiDay(new Date())].sort()[0]!;
const DAY = 86_400_000;
/** datetime-local in Asia/Shanghai */
const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

function must<T extends { ok: boolean }>(what: string, r: T): T & { ok: true } {
  if (!r.ok) throw new Error(`demo partners, ${what}: ${JSON.stringify(r)}`);
  return r as T & { ok: true };
}

export async function seedDemoPartners(): Promise<void> {
  const official = await demoViewer(DEMO_ACCOUNTS.official.email);
  const tech = must(
    "tech company",
    await createUnit(official, "donghu", {
      name: "平湖东湖智能科技有限公司",
      uscc: uscc("91330482MA2CDH001"),
      intro: "驻东湖社区的科技企业，与社区签订共驻共建协议，出资设立邻里配捐资金池，职工参与社区志愿服务。",
      contactName: "陆经理",
      contactPhone: DEMO_PARTNER_PHONES[0],
      startsOn: storyDay("2026-03-01"),
    }),
  );
  const shop = must(
    "supermarket",
    await createUnit(official, "songfeng", {
      name: "平湖惠民超市连锁有限公司",
      uscc: uscc("91330482MA2CDH002"),
      intro: "与松枫社区、凤凰社区结对，长期为社区慈善超市捐赠米面粮油，组织员工上门为老人理发。",
      contactName: "朱店长",
      contactPhone: DEMO_PARTNER_PHONES[1],
      startsOn: storyDay("2026-05-10"),
    }),
  );
  must("pair supermarket", await pairUnit(official, "fenghuang", { uscc: uscc("91330482MA2CDH002"), startsOn: storyDay("2026-09-01") }));

  // the tech company funds a matching pool on the Donghu micro-fund: the campaign names it as sponsor
  const manager = await demoViewer(DEMO_ACCOUNTS.foundationManager.email);
  const now = Date.now();
  must(
    "partner campaign",
    await createCampaign(manager, DEMO_MICRO_FUND_SLUG, {
      slug: DEMO_PARTNER_CAMPAIGN_SLUG,
      titleZh: "东湖邻里结对企业配捐",
      titleEn: "Donghu neighbours' partner-company match",
      descriptionZh: "结对企业平湖东湖智能科技有限公司出资 5000 元，对东湖社区邻里基金的每笔定向捐赠 1:1 配捐，单笔最多 200 元。",
      descriptionEn: "The partner company funds ¥5,000 to match every directed gift to the Donghu neighbours' fund 1:1, up to ¥200 per gift.",
      sponsorName: "平湖东湖智能科技有限公司",
      sponsorKind: "COMPANY",
      ratioSponsor: "1",
      ratioDonor: "1",
      perDonationCap: "200",
      pool: "5000",
      startsAt: local(new Date(now + 7 * DAY)),
      endsAt: local(new Date(now + 67 * DAY)),
    }),
  );
  const campaign = await db().matchingCampaign.findUniqueOrThrow({ where: { slug: DEMO_PARTNER_CAMPAIGN_SLUG }, select: { id: true } });
  await db().$transaction(async (tx) => {
    await tx.matchingCampaign.update({ where: { id: campaign.id }, data: { sponsorUnitId: tech.id } });
    await audit(tx, { actorId: manager.id, action: "partner.sponsor", objectType: "MatchingCampaign", objectId: campaign.id, before: { sponsorUnitId: null }, after: { sponsorUnitId: tech.id } });
  });

  // in-kind gifts: goods for 松枫社区's charity shop, a service, quilts for 东湖社区
  const gifts = [
    ["songfeng", { giver: "UNIT", unitId: shop.id, kind: "GOODS", description: "东北大米 10 公斤装", quantity: "40", unitLabel: "袋", valuationBasis: "INVOICE", value: "2360", recipient: "SHOP", receivedOn: storyDay("2026-11-20") }],
    ["songfeng", { giver: "UNIT", unitId: shop.id, kind: "GOODS", description: "食用油 5 升装", quantity: "30", unitLabel: "桶", valuationBasis: "MARKET", value: "1740", recipient: "SHOP", receivedOn: storyDay("2026-11-20") }],
    ["songfeng", { giver: "UNIT", unitId: shop.id, kind: "SERVICE", description: "员工志愿者为高龄老人上门理发", quantity: "16", unitLabel: "小时", valuationBasis: "NONE", recipient: "AREA", receivedOn: storyDay("2026-11-28") }],
    ["songfeng", { giver: "NAMED", giverName: "平湖市图书馆", giverPublic: "on", kind: "GOODS", description: "儿童绘本", quantity: "120", unitLabel: "本", valuationBasis: "AGREED", value: "3600", recipient: "SHOP", receivedOn: storyDay("2026-10-15") }],
    ["donghu", { giver: "UNIT", unitId: tech.id, kind: "GOODS", description: "冬季棉被", quantity: "50", unitLabel: "床", valuationBasis: "MARKET", value: "7500", recipient: "AREA", receivedOn: storyDay("2026-11-30") }],
  ] as const;
  for (const [code, gift] of gifts) must(`gift ${gift.description}`, await recordGift(official, code, gift));

  // the demo resident acts for the supermarket and took one of 松枫社区's open small wishes for it
  must("member", await grantMember(official, shop.id, { email: DEMO_ACCOUNTS.resident.email }));
  const wish = await db().wish.findFirst({ where: { status: "OPEN", area: { code: "songfeng" }, need: { title: { contains: "象棋" } } }, select: { need: { select: { number: true } } } });
  if (wish) must("take wish", await takeWish(await demoViewer(DEMO_ACCOUNTS.resident.email), wish.need.number, { partnerUnitId: shop.id }));

  // the supermarket adopts a funded project of a community it is paired with, if the story has one
  const project = await db().project.findFirst({ where: { community: { code: { in: ["songfeng", "fenghuang"] } } }, select: { referenceNo: true }, orderBy: { referenceNo: "asc" } });
  if (project) must("adoption", await adoptProject(official, shop.id, { projectRef: project.referenceNo, note: "每季度组织员工到项目现场做志愿服务", adoptedOn: storyDay("2026-11-01") }));
}
