import { DEFAULT_CATEGORIES } from "~/domain/categories";
import { DEFAULT_RUBRIC, DEFAULT_TRANCHE_SCHEDULE, type Phase } from "~/domain/rounds";
import { type Prisma } from "~/generated/prisma/client";
import { day, person } from "./actors";
import { db, makeAreaTree, uid } from "./db";

/**
 * A round ready for review (judges, scoring, ranking, awards), shared by the review, scoring, ranking and award tests:
 * a fresh subdistrict with `communities` communities, a foundation whose available account is
 * NOT funded (tests that need money post it), a round in `phase` whose settings can be
 * overridden, `proposals` ELIGIBLE proposals from as many organizations (each with one member
 * holding an account), `judges` judges with ACCEPTED seats (no assignments yet), an official of
 * the subdistrict and an official of another tree.
 */
export async function reviewRound(
  options: {
    phase?: Phase;
    proposals?: number;
    judges?: number;
    communities?: number;
    round?: Partial<Prisma.RoundUncheckedCreateInput>;
    /** requested fen of proposal i (1-based); default 1,000,000 + i × 100 */
    requestedFen?: (i: number) => number;
    /** the frozen snapshot of proposal i (1-based); default a minimal one */
    snapshot?: (i: number, ctx: { referenceNo: string; title: string; organization: { id: string; name: string }; community: { id: string; code: string; nameZh: string; nameEn: string } }) => Prisma.InputJsonValue;
  } = {},
) {
  const { phase = "REVIEW", proposals: n = 4, judges: m = 5, communities: c = 2 } = options;
  const { root, communities } = await makeAreaTree(c);
  const foundation = await db().foundation.create({
    // with a public-fundraising filing, so anyone may give to its rounds and projects (a fund without one takes directed gifts only)
    data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "", descriptionEn: "", areaId: root.id, fundraisingFilingNo: `5333-${uid()}`, fundraisingEntity: "平湖市慈善总会" },
  });
  const code = `R${uid().slice(0, 7).toUpperCase()}`;
  const round = await db().round.create({
    data: {
      code,
      areaId: root.id,
      foundationId: foundation.id,
      title: `评审测试 ${code}`,
      description: "",
      phase,
      poolFen: 5_000_000n,
      categories: DEFAULT_CATEGORIES as never,
      rubric: DEFAULT_RUBRIC as never,
      trancheSchedule: DEFAULT_TRANCHE_SCHEDULE as never,
      needsStartsAt: day("2026-01-01"),
      proposalsStartsAt: day("2026-02-01"),
      proposalsDeadline: day("2026-03-01"),
      screeningStartsAt: day("2026-03-02"),
      reviewStartsAt: day("2026-04-01"),
      noticeStartsAt: day("2026-05-01"),
      implementationStartsAt: day("2026-06-01"),
      implementationEndsAt: day("2026-12-31"),
      closesAt: day("2027-01-31"),
      ...options.round,
    },
  });
  const official = await person([{ role: "OFFICIAL", area: root }]);
  const stranger = await person([{ role: "OFFICIAL", area: (await makeAreaTree(1)).root }]);

  const applicants = [];
  const organizations = [];
  const proposals = [];
  for (let i = 1; i <= n; i++) {
    const applicant = await person([], { name: `申报${i}-${uid().slice(0, 4)}` });
    const community = communities[(i - 1) % communities.length]!;
    const org = await db().organization.create({
      data: {
        kind: "RESIDENT_TEAM",
        name: `申报组织${i}-${uid()}`,
        areaId: community.id,
        members: { create: [{ userId: applicant.id, name: applicant.name }, { name: `成员甲${i}` }, { name: `成员乙${i}` }] },
      },
    });
    const proposal = await db().proposal.create({
      data: {
        roundId: round.id,
        organizationId: org.id,
        createdById: applicant.id,
        status: "ELIGIBLE",
        referenceNo: `${code}-${String(i).padStart(4, "0")}`,
        title: `评审项目${i}`,
        summary: `项目${i}的摘要`,
        communityId: community.id,
        category: i % 3 === 0 ? "CULTURE_SPORTS" : "PUBLIC_SERVICE",
        requestedFen: options.requestedFen ? options.requestedFen(i) : 1_000_000 + i * 100,
        submittedAt: new Date(Date.UTC(2026, 1, 1, 0, i)),
        submittedById: applicant.id,
        snapshot: options.snapshot
          ? options.snapshot(i, { referenceNo: `${code}-${String(i).padStart(4, "0")}`, title: `评审项目${i}`, organization: org, community })
          : { title: `评审项目${i}`, team: [{ name: `队员${i}` }] },
        snapshotSha256: "0".repeat(64),
      },
    });
    applicants.push(applicant);
    organizations.push(org);
    proposals.push(proposal);
  }

  const judges = [];
  for (let j = 1; j <= m; j++) {
    const user = await person([], { name: `评委${j}-${uid().slice(0, 4)}` });
    const seat = await db().roundJudge.create({
      data: {
        roundId: round.id,
        email: user.email,
        name: user.name,
        userId: user.id,
        status: "ACCEPTED",
        acceptedAt: new Date(),
        tokenHash: `fixture-${uid()}-${uid()}`,
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
        invitedById: official.id,
      },
    });
    judges.push({ ...user, seat });
  }
  return { root, communities, foundation, round, official, stranger, applicants, organizations, proposals, judges };
}

export type ReviewFixture = Awaited<ReturnType<typeof reviewRound>>;

/** Assigns every judge of the fixture to every proposal (live assignments, no sheets). */
export async function assignAll(f: ReviewFixture, judges = f.judges) {
  const rows = [];
  for (const p of f.proposals) {
    for (const j of judges) {
      rows.push(await db().reviewAssignment.create({ data: { roundId: f.round.id, proposalId: p.id, roundJudgeId: j.seat.id, source: "AUTO" } }));
    }
  }
  return rows;
}

/** A SUBMITTED sheet for a live assignment, every DEFAULT_RUBRIC criterion scored `points(key, max)`. */
export async function submitSheet(
  f: ReviewFixture,
  proposalId: string,
  seatId: string,
  points: (key: string, max: number) => number = (_k, max) => max * 0.8,
) {
  const assignment = await db().reviewAssignment.findFirstOrThrow({ where: { proposalId, roundJudgeId: seatId, endedAt: null } });
  const scores = Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, points(c.key, c.maxPoints)]));
  return db().scoreSheet.create({
    data: {
      assignmentId: assignment.id,
      roundId: f.round.id,
      proposalId,
      roundJudgeId: seatId,
      status: "SUBMITTED",
      scores,
      submittedAt: new Date(),
    },
  });
}
