import { day, person } from "./actors";
import { db, makeAreaTree, uid } from "./db";
import { DEFAULT_CATEGORIES } from "~/domain/categories";
import { DEFAULT_RUBRIC, DEFAULT_TRANCHE_SCHEDULE } from "~/domain/rounds";
import type { Prisma } from "~/generated/prisma/client";

/**
 * A round in PROPOSALS of `areaId`, drawn from `foundationId`: proposals open since February and
 * closing in 30 days, every later phase far off. Its code is `prefix` and six random characters,
 * its title `title` and the code; `columns` sets any other column (rules, caps, award bounds).
 */
export function proposalsRound(opts: { areaId: string; foundationId: string; prefix: string; title?: string; columns?: Partial<Prisma.RoundUncheckedCreateInput> }) {
  const code = `${opts.prefix}${uid().slice(0, 6).toUpperCase()}`;
  return db().round.create({
    data: {
      code,
      areaId: opts.areaId,
      foundationId: opts.foundationId,
      title: `${opts.title ?? "测试创投"} ${code}`,
      description: "",
      phase: "PROPOSALS",
      categories: DEFAULT_CATEGORIES as never,
      rubric: DEFAULT_RUBRIC as never,
      trancheSchedule: DEFAULT_TRANCHE_SCHEDULE as never,
      needsStartsAt: day("2026-01-01"),
      proposalsStartsAt: day("2026-02-01"),
      proposalsDeadline: new Date(Date.now() + 30 * 86_400_000),
      screeningStartsAt: day("2099-01-01"),
      reviewStartsAt: day("2099-02-01"),
      noticeStartsAt: day("2099-03-01"),
      implementationStartsAt: day("2099-04-01"),
      implementationEndsAt: day("2099-12-31"),
      closesAt: day("2100-01-31"),
      ...opts.columns,
    },
  });
}

/**
 * A fresh subdistrict of two communities with a foundation, a round in PROPOSALS over it (see
 * `proposalsRound`) with one published topic; an organization of the first community with two
 * members who have accounts (alice, its 负责人, and bob) and one who has none; an outsider in an
 * organization of the second community; an official of the subdistrict.
 */
export async function proposalSetting(opts: { prefix: string; columns?: Partial<Prisma.RoundUncheckedCreateInput> }) {
  const { root, communities } = await makeAreaTree(2);
  const foundation = await db().foundation.create({
    data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "", descriptionEn: "", areaId: root.id },
  });
  const round = await proposalsRound({ areaId: root.id, foundationId: foundation.id, prefix: opts.prefix, columns: opts.columns });
  const topic = await db().need.create({
    data: { areaId: communities[0]!.id, title: "老人助餐", description: "午餐", category: "PUBLIC_SERVICE", status: "PUBLISHED", roundId: round.id, publishedAt: new Date() },
  });
  const alice = await person([], { name: `成员${uid().slice(0, 4)}` });
  const bob = await person([], { name: `成员${uid().slice(0, 4)}` });
  const org = await db().organization.create({
    data: {
      kind: "RESIDENT_TEAM",
      name: `测试队${uid()}`,
      areaId: communities[0]!.id,
      members: { create: [{ userId: alice.id, name: alice.name, position: "负责人" }, { userId: bob.id, name: bob.name }, { name: "王五" }] },
    },
  });
  const outsider = await person([], { name: `外人${uid().slice(0, 4)}` });
  const otherOrg = await db().organization.create({
    data: { kind: "RESIDENT_TEAM", name: `别队${uid()}`, areaId: communities[1]!.id, members: { create: [{ userId: outsider.id, name: outsider.name }] } },
  });
  const official = await person([{ role: "OFFICIAL", area: root }]);
  return { root, communities, foundation, round, topic, org, alice, bob, outsider, otherOrg, official };
}

export type ProposalSetting = Awaited<ReturnType<typeof proposalSetting>>;
