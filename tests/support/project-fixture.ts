import { accountCodes, transfer } from "~/domain/ledger";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { createProjectForAward } from "~/services/projects/projects.server";
import { roundPoolSpec } from "~/services/rounds/rounds.server";
import { person } from "./actors";
import { db } from "./db";
import { reviewRound } from "./review-fixture";

/** A milestone plan and a budget as a proposal snapshot carries them (domain/proposals.ts snapshotOf). */
export const FIXTURE_MILESTONES = [
  { title: "招募志愿者并完成培训", dueOn: "2026-07-15", deliverable: "志愿者名单、培训签到表" },
  { title: "开展助老服务（中期）", dueOn: "2026-09-30", deliverable: "服务记录、照片" },
  { title: "总结与成果展示", dueOn: "2026-12-15", deliverable: "总结报告" },
];
export const FIXTURE_BUDGET = [
  { category: "MATERIALS", item: "助餐物资", quantity: 1, unitPriceFen: 500_000, totalFen: 500_000 },
  { category: "LABOUR", item: "社工劳务", quantity: 1, unitPriceFen: 300_000, totalFen: 300_000 },
  { category: "PUBLICITY", item: "宣传折页", quantity: 1, unitPriceFen: 200_000, totalFen: 200_000 },
];

/**
 * Funded projects ready for monitoring, shared by the project tests: a subdistrict
 * with two communities, a round in IMPLEMENTATION with `count` FINAL funded awards of
 * `awardFen` (default ¥10,000 = the full request of FIXTURE_BUDGET), their money committed in
 * the ledger, and each award's project created by the real code. With `state: "active"` (the
 * default) the agreement is accepted and countersigned, so the first tranche is RELEASABLE.
 *
 * Actors (service-shaped, with `organizations`): `grantee` (member of project 1's organization),
 * `official` and `official2` (subdistrict), `communityOfficial` (project 1's community),
 * `otherCommunityOfficial` (the other community), `outsider` (official of another tree),
 * `nobody` (an account with no role).
 */
export async function fundedProject(options: { count?: number; awardFen?: number; state?: "awaiting" | "active" } = {}) {
  const { count = 1, awardFen = 1_000_000, state = "active" } = options;
  const f = await reviewRound({
    phase: "IMPLEMENTATION",
    proposals: count,
    judges: 0,
    communities: 2,
    requestedFen: () => 1_000_000,
    snapshot: (_i, c) => ({
      referenceNo: c.referenceNo,
      title: c.title,
      summary: `${c.title}：为社区高龄独居老人提供助餐和探访服务。`,
      organization: { id: c.organization.id, name: c.organization.name, kind: "RESIDENT_TEAM" },
      community: { id: c.community.id, code: c.community.code, nameZh: c.community.nameZh, nameEn: c.community.nameEn },
      category: "PUBLIC_SERVICE",
      beneficiaryCount: 60,
      coFundingFen: 100_000,
      milestones: FIXTURE_MILESTONES,
      budgetLines: FIXTURE_BUDGET,
      totals: { requestedFen: 1_000_000 },
    }),
  });
  const withOrgs = <T extends object>(actor: T, orgIds: string[] = []) => ({ ...actor, organizations: orgIds.map((id) => ({ id })) });

  // money: an appropriation to the foundation, the round pool funded from it
  const appropriation = accountCodes.externalAppropriation(`fixture-${f.round.id}`);
  const available = accountCodes.foundationAvailable(f.foundation.id);
  const pool = accountCodes.roundPool(f.round.id);
  const projects = [];
  await db().$transaction(async (tx) => {
    await ensureAccount(tx, { code: appropriation, kind: "EXTERNAL_APPROPRIATION", nameZh: "测试拨款", nameEn: "Test appropriation" });
    await ensureAccount(tx, { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: "测试基金可用", nameEn: "Test fund available", foundationId: f.foundation.id });
    await ensureAccount(tx, roundPoolSpec(f.round));
    await postTransaction(tx, { idempotencyKey: `fixture:${f.round.id}:appropriation`, kind: "APPROPRIATION", memo: "fixture", entries: transfer(appropriation, available, 50_000_000) });
    await postTransaction(tx, { idempotencyKey: `fixture:${f.round.id}:pool`, kind: "ROUND_POOL", memo: "fixture", entries: transfer(available, pool, 5_000_000 + count * awardFen) });
  });

  for (const [i, proposal] of f.proposals.entries()) {
    const award = await db().award.create({
      data: {
        roundId: f.round.id,
        proposalId: proposal.id,
        rank: i + 1,
        composite: 85,
        review: 85,
        outcome: awardFen < 1_000_000 ? "PARTIAL" : "FUNDED",
        awardFen,
        status: "FINAL",
        noticeStartsAt: new Date(Date.now() - 10 * 86_400_000),
        noticeEndsAt: new Date(Date.now() - 3 * 86_400_000),
        finalizedAt: new Date(),
      },
    });
    const projectId = await db().$transaction(async (tx) => {
      await ensureAccount(tx, { code: accountCodes.awardCommitted(award.id), kind: "AWARD_COMMITTED", nameZh: "已承诺", nameEn: "Committed", foundationId: f.foundation.id, ownerId: award.id });
      await postTransaction(tx, { idempotencyKey: `award:${award.id}:commit`, kind: "AWARD_COMMIT", memo: "fixture", entries: transfer(pool, accountCodes.awardCommitted(award.id), awardFen) });
      return createProjectForAward(tx, award.id);
    });
    projects.push(await db().project.findUniqueOrThrow({ where: { id: projectId! }, include: { milestones: { orderBy: { position: "asc" } }, tranches: { orderBy: { position: "asc" } }, budgetLines: { orderBy: { position: "asc" } } } }));
  }

  const grantee = withOrgs(f.applicants[0]!, [f.organizations[0]!.id]);
  const grantees = f.applicants.map((a, i) => withOrgs(a, [f.organizations[i]!.id]));
  const official = withOrgs(f.official);
  const official2 = withOrgs(await person([{ role: "OFFICIAL", area: f.root }], { name: "复核官员" }));
  const community1 = f.communities[0]!;
  const community2 = f.communities[1]!;
  const communityOfficial = withOrgs(await person([{ role: "OFFICIAL", area: community1 }], { name: "社区官员" }));
  const otherCommunityOfficial = withOrgs(await person([{ role: "OFFICIAL", area: community2 }], { name: "另一社区官员" }));
  const outsider = withOrgs(f.stranger);
  const nobody = withOrgs(await person([], { name: "路人" }));

  if (state === "active") {
    const now = new Date();
    for (const p of projects) {
      const g = grantees[projects.indexOf(p)]!;
      await db().$transaction(async (tx) => {
        await tx.project.update({ where: { id: p.id }, data: { status: "ACTIVE", acceptedById: g.id, acceptedAt: now, countersignedById: official.id, countersignedAt: now } });
        await tx.tranche.updateMany({ where: { projectId: p.id, trigger: "AGREEMENT" }, data: { status: "RELEASABLE", releasableAt: now } });
      });
    }
  }
  const reload = (id: string) =>
    db().project.findUniqueOrThrow({ where: { id }, include: { milestones: { orderBy: { position: "asc" } }, tranches: { orderBy: { position: "asc" } }, budgetLines: { orderBy: { position: "asc" } } } });
  const fresh = [];
  for (const p of projects) fresh.push(await reload(p.id));
  return {
    ...f,
    project: fresh[0]!,
    projects: fresh,
    reload,
    grantee,
    grantees,
    official,
    official2,
    communityOfficial,
    otherCommunityOfficial,
    outsider,
    nobody,
    community1,
    community2,
  };
}

export type ProjectFixture = Awaited<ReturnType<typeof fundedProject>>;

/** What a use-case of the projects wing answers when it refuses with message keys about the whole form. */
export const refused = (status: number, ...formErrors: string[]) => ({ ok: false, problem: { status, formErrors, fieldErrors: {} } });

/** What it answers when it refuses with errors next to fields. */
export const refusedFields = (status: number, fieldErrors: Record<string, string[]>) => ({ ok: false, problem: { status, formErrors: [], fieldErrors } });
