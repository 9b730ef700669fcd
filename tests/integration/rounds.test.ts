import { describe, expect, it } from "vitest";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, makeUser, uid } from "../support/db";
import { withParams } from "~/domain/messages";
import { accountCodes } from "~/domain/ledger";
import { DEFAULT_RUBRIC, RoundSettingsSchema } from "~/domain/rounds";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { balanceFen } from "~/services/books/ledger.server";
import {
  adminRoundPage,
  createRound,
  listOfficialRounds,
  listPublicRounds,
  movePhase,
  publicRoundPage,
  roundFormOptions,
  updateRound,
} from "~/services/rounds/rounds.server";
import AdminRound, { action as roundAction, loader as roundLoader } from "~/routes/admin.rounds.$code";
import { ROUND_STEPS } from "~/components/round-form";
import { renderRoute } from "../support/render-route";
import type { ComponentType } from "react";
import { answer, form, signedInRequest } from "../support/requests";
import { createRoundInput, fundedSubdistrict } from "../support/round-fixture";

/** A user with grants actually recorded, and the actor object services receive. */
/** A subdistrict with two communities, a foundation there holding `fundedFen`, and its official. */
async function setting(fundedFen = 100_000_000) {
  const funded = await fundedSubdistrict(fundedFen);
  const official = await person([{ role: "OFFICIAL", area: funded.root }]);
  return { ...funded, official };
}

const input = createRoundInput;

/** The edit form's values for a round, with `overrides`. */
async function settingsOf(roundCode: string, actor: Parameters<typeof adminRoundPage>[0], overrides: Record<string, unknown> = {}) {
  const page = await adminRoundPage(actor, roundCode);
  const v = page.values as Record<string, unknown>;
  const typed = {
    ...v,
    rubric: (v.rubric as { maxPoints: string }[]).map((r) => ({ ...r, maxPoints: Number(r.maxPoints) })),
    trancheSchedule: (v.trancheSchedule as { percent: string }[]).map((t) => ({ ...t, percent: Number(t.percent) })),
    ...Object.fromEntries(
      ["judgesPerProposal", "weightReview", "weightRoadshow", "weightPublicVote", "noticeDays", "labourCapPercent", "maxProposalsPerOrg", "disagreementRange", "minScore"].map((k) => [k, Number(v[k])]),
    ),
    // checkboxes as Conform reads them: "on" → true, unchecked → absent
    blindReview: v.blindReview === "on" ? true : undefined,
    zScore: v.zScore === "on" ? true : undefined,
    // blank inputs as Conform reads them: absent
    communityCapFen: v.communityCapFen || undefined,
    categoryCapFen: v.categoryCapFen || undefined,
    maxOpenProjects: v.maxOpenProjects ? Number(v.maxOpenProjects) : undefined,
    orgInRoundArea: v.orgInRoundArea === "on" ? true : undefined,
    refuseTroubledOrgs: v.refuseTroubledOrgs === "on" ? true : undefined,
    requiresDeliberation: v.requiresDeliberation === "on" ? true : undefined,
    budgetCaps: (v.budgetCaps as { category: string; percent: string; amount: string }[]).map((c) => ({
      category: c.category,
      ...(c.percent ? { percent: Number(c.percent) } : {}),
      ...(c.amount ? { amount: c.amount } : {}),
    })),
    ...overrides,
  };
  return { settings: RoundSettingsSchema.parse(typed), version: page.round.version };
}

describe("creating a round", () => {
  it("moves exactly the pool from the foundation to the round's pool account, audited", async () => {
    const s = await setting(100_000_000);
    const r = await createRound(s.official, input(s.root.id, s.foundation.id, { poolFen: "¥300,000.50" }));
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(await balanceFen(db(), s.available)).toBe(100_000_000 - 30_000_050);
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(30_000_050);
    const round = await db().round.findUniqueOrThrow({ where: { id: r.id } });
    expect(round).toMatchObject({ phase: "DRAFT", poolFen: 30_000_050n, version: 1, createdById: s.official.id });
    expect(round.rubric).toEqual(DEFAULT_RUBRIC);
    const tx = await db().ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: `round:${r.id}:pool:1` }, include: { entries: true } });
    expect(tx.entries.reduce((sum, e) => sum + e.amountFen, 0n)).toBe(0n);
    const log = await db().auditLog.findMany({ where: { objectId: r.id } });
    expect(log.map((l) => l.action)).toEqual(["round.create"]);
    expect(log[0]!.after).toMatchObject({ poolFen: 30_000_050, ledgerTransactionId: tx.id });
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("refuses a pool larger than the foundation's available money and writes nothing", async () => {
    const s = await setting(1_000_000);
    const wanted = input(s.root.id, s.foundation.id, { poolFen: "10000.01" });
    const r = await createRound(s.official, wanted);
    expect(r).toEqual({
      ok: false,
      problem: { status: 409, formErrors: [], fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: "¥10,000.00" })] } },
    });
    expect(await db().round.findUnique({ where: { code: wanted.code } })).toBeNull();
    expect(await balanceFen(db(), s.available)).toBe(1_000_000);
    expect(await db().ledgerAccount.count({ where: { kind: "ROUND_POOL", foundationId: s.foundation.id } })).toBe(0);
    // exactly what is available is fine
    expect(await createRound(s.official, input(s.root.id, s.foundation.id, { poolFen: "10000" }))).toMatchObject({ ok: true });
    expect(await balanceFen(db(), s.available)).toBe(0);
  });

  it("lets a community official run a round for their community only", async () => {
    const s = await setting();
    const community = await person([{ role: "OFFICIAL", area: s.communities[0]! }]);
    await rejectsWithStatus(createRound(community, input(s.communities[1]!.id, s.foundation.id)), 403);
    await rejectsWithStatus(createRound(community, input(s.root.id, s.foundation.id)), 403);
    const resident = await person();
    await rejectsWithStatus(createRound(resident, input(s.communities[0]!.id, s.foundation.id)), 403);
    // the subdistrict's foundation may fund a round of one of its communities, but only its own
    // officials commit that money: the community official's round is created with its pool only
    // requested, nothing posted (the approval itself is tested in fund-draws.test.ts)
    const requested = await createRound(community, input(s.communities[0]!.id, s.foundation.id));
    expect(requested).toMatchObject({ ok: true, poolDrawId: expect.any(String) });
    if (!requested.ok) return;
    expect(await db().round.findUniqueOrThrow({ where: { id: requested.id } })).toMatchObject({ poolFen: 0n });
    expect(await balanceFen(db(), s.available)).toBe(100_000_000);
    expect(await balanceFen(db(), accountCodes.roundPool(requested.id))).toBe(0);
    expect(await db().poolDraw.findMany({ where: { roundId: requested.id } })).toMatchObject([{ status: "PENDING", amountFen: 10_000_000n, requestedById: community.id }]);
    expect(await createRound(s.official, input(s.communities[0]!.id, s.foundation.id))).toMatchObject({ ok: true });
    // the community official runs the subdistrict official's round, but cannot hand the fund's money back
    const created = await db().round.findFirstOrThrow({ where: { area: { id: s.communities[0]!.id }, createdById: s.official.id }, orderBy: { createdAt: "desc" } });
    const lowered = await settingsOf(created.code, community, { poolFen: "¥50,000" });
    expect(await updateRound(community, created.code, lowered.settings, lowered.version)).toMatchObject({
      ok: false,
      problem: { status: 403, fieldErrors: { poolFen: ["rounds.foundation.notYours"] } },
    });
    expect(await balanceFen(db(), accountCodes.roundPool(created.id))).toBe(10_000_000);
    // the new-round form offers the fund to the community official as needing approval, to its own officials as theirs
    expect((await roundFormOptions(community)).foundations.filter((f) => f.id === s.foundation.id)).toMatchObject([{ needsApproval: true }]);
    expect((await roundFormOptions(s.official)).foundations.filter((f) => f.id === s.foundation.id)).toMatchObject([{ needsApproval: false }]);
  });

  it("refuses a foundation of another area and a code already in use", async () => {
    const s = await setting();
    const other = await setting();
    expect(await createRound(s.official, input(s.root.id, other.foundation.id))).toEqual({
      ok: false,
      problem: { status: 400, formErrors: [], fieldErrors: { foundationId: ["rounds.foundation.outside"] } },
    });
    const first = input(s.root.id, s.foundation.id);
    expect(await createRound(s.official, first)).toMatchObject({ ok: true });
    expect(await createRound(s.official, { ...input(s.root.id, s.foundation.id), code: first.code })).toEqual({
      ok: false,
      problem: { status: 409, formErrors: [], fieldErrors: { code: ["rounds.code.taken"] } },
    });
  });
});

describe("editing a round", () => {
  it("posts the pool difference through the ledger in either direction", async () => {
    const s = await setting(100_000_000);
    const r = await createRound(s.official, input(s.root.id, s.foundation.id, { poolFen: "100000" }));
    if (!r.ok) throw new Error("setup");
    const pool = accountCodes.roundPool(r.id);
    const up = await settingsOf(r.code, s.official, { poolFen: "150000" });
    expect(await updateRound(s.official, r.code, up.settings, up.version)).toEqual({ ok: true, version: 2 });
    expect(await balanceFen(db(), pool)).toBe(15_000_000);
    expect(await balanceFen(db(), s.available)).toBe(85_000_000);
    const down = await settingsOf(r.code, s.official, { poolFen: "80000" });
    expect(await updateRound(s.official, r.code, down.settings, down.version)).toEqual({ ok: true, version: 3 });
    expect(await balanceFen(db(), pool)).toBe(8_000_000);
    expect(await balanceFen(db(), s.available)).toBe(92_000_000);
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: { startsWith: `round:${r.id}:pool:` } } })).toBe(3);
    const updates = await db().auditLog.findMany({ where: { objectId: r.id, action: "round.update" }, orderBy: { seq: "asc" } });
    expect(updates.map((u) => [u.before, u.after])).toMatchObject([
      [{ version: 1, poolFen: 10_000_000 }, { version: 2, poolFen: 15_000_000 }],
      [{ version: 2, poolFen: 15_000_000 }, { version: 3, poolFen: 8_000_000 }],
    ]);
    // more than the foundation has left is refused, nothing written
    const tooMuch = await settingsOf(r.code, s.official, { poolFen: "1,000,001" });
    expect(await updateRound(s.official, r.code, tooMuch.settings, tooMuch.version)).toMatchObject({
      ok: false,
      problem: { status: 409, fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: "¥920,000.00" })] } },
    });
    expect(await balanceFen(db(), pool)).toBe(8_000_000);
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("refuses a save based on a stale version, keeping the newer one", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const a = await settingsOf(r.code, s.official, { title: "第一位官员的标题" });
    const b = await settingsOf(r.code, s.official, { title: "第二位官员的标题" });
    expect(await updateRound(s.official, r.code, a.settings, a.version)).toMatchObject({ ok: true });
    expect(await updateRound(s.official, r.code, b.settings, b.version)).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.version.conflict"], fieldErrors: {} } });
    expect((await db().round.findUniqueOrThrow({ where: { id: r.id } })).title).toBe("第一位官员的标题");
  });

  it("refuses changes to settings frozen in the current phase, field by field", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    await movePhase(s.official, r.code, "NEEDS");
    await movePhase(s.official, r.code, "PROPOSALS");
    const e = await settingsOf(r.code, s.official, { maxAwardFen: "20000", labourCapPercent: 40, title: "改过的标题" });
    expect(await updateRound(s.official, r.code, e.settings, e.version)).toEqual({
      ok: false,
      problem: { status: 409, fieldErrors: { maxAwardFen: ["rounds.frozen"], labourCapPercent: ["rounds.frozen"] }, formErrors: [] },
    });
    const ok = await settingsOf(r.code, s.official, { title: "改过的标题", judgesPerProposal: 7 });
    expect(await updateRound(s.official, r.code, ok.settings, ok.version)).toMatchObject({ ok: true });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ title: "改过的标题", judgesPerProposal: 7, maxAwardFen: 1_500_000 });
  });

  it("keeps the review settings (blind review, caps) and freezes blind review from review on", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const edited = await settingsOf(r.code, s.official, { blindReview: true, communityCapFen: "30,000", minScore: 65 });
    expect(await updateRound(s.official, r.code, edited.settings, edited.version)).toMatchObject({ ok: true });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ blindReview: true, communityCapFen: 3_000_000n, minScore: 65 });
    for (const phase of ["NEEDS", "PROPOSALS", "SCREENING", "REVIEW"]) await movePhase(s.official, r.code, phase);
    const unblind = await settingsOf(r.code, s.official, { blindReview: undefined });
    expect(await updateRound(s.official, r.code, unblind.settings, unblind.version)).toMatchObject({ ok: false, problem: { fieldErrors: { blindReview: ["rounds.frozen"] } } });
  });

  it("saves caps above a 32-bit column's ¥21,474,836.47 (a city round's ¥30,000,000) and reads them back", async () => {
    const s = await setting(5_000_000_000);
    const r = await createRound(s.official, input(s.root.id, s.foundation.id, { poolFen: "40,000,000", communityCapFen: "30,000,000" }));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ communityCapFen: 3_000_000_000n, categoryCapFen: null });
    const edited = await settingsOf(r.code, s.official, { categoryCapFen: "30,000,000" });
    expect(await updateRound(s.official, r.code, edited.settings, edited.version)).toMatchObject({ ok: true });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ communityCapFen: 3_000_000_000n, categoryCapFen: 3_000_000_000n });
    const page = await adminRoundPage(s.official, r.code);
    expect(page.values).toMatchObject({ communityCapFen: "30000000", categoryCapFen: "30000000" });
    // saving the form unchanged is no change at all
    const again = await settingsOf(r.code, s.official);
    expect(again.settings).toMatchObject({ communityCapFen: 3_000_000_000, categoryCapFen: 3_000_000_000 });
    expect(await updateRound(s.official, r.code, again.settings, again.version)).toMatchObject({ ok: true });
  });

  it("saves the eligibility rules and budget caps, shows them back on the form, audits them, and freezes them once proposals open", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const before = await db().round.findUniqueOrThrow({ where: { id: r.id } });
    // a new round keeps the old behaviour: anyone may apply, labour is the only budget cap
    expect(before).toMatchObject({ eligibleOrgKinds: [], orgInRoundArea: false, maxOpenProjects: null, refuseTroubledOrgs: false, budgetCaps: [] });
    const edited = await settingsOf(r.code, s.official, {
      eligibleOrgKinds: ["RESIDENT_TEAM", "COMMUNITY_ORGANIZATION"],
      orgInRoundArea: true,
      maxOpenProjects: 2,
      refuseTroubledOrgs: true,
      requiresDeliberation: true,
      budgetCaps: [{ category: "VENUE", percent: 20 }, { category: "PUBLICITY", amount: "50" }],
    });
    expect(await updateRound(s.official, r.code, edited.settings, edited.version)).toMatchObject({ ok: true });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      eligibleOrgKinds: ["COMMUNITY_ORGANIZATION", "RESIDENT_TEAM"],
      orgInRoundArea: true,
      maxOpenProjects: 2,
      refuseTroubledOrgs: true,
      requiresDeliberation: true,
      budgetCaps: [{ category: "VENUE", percent: 20 }, { category: "PUBLICITY", maxFen: 5_000 }],
    });
    const page = await adminRoundPage(s.official, r.code);
    expect(page.values).toMatchObject({ eligibleOrgKinds: ["COMMUNITY_ORGANIZATION", "RESIDENT_TEAM"], orgInRoundArea: "on", maxOpenProjects: "2", refuseTroubledOrgs: "on", requiresDeliberation: "on" });
    expect((page.values.budgetCaps as { category: string }[]).find((c) => c.category === "PUBLICITY")).toEqual({ category: "PUBLICITY", percent: "", amount: "50" });
    const log = await db().auditLog.findFirst({ where: { objectId: r.id, action: "round.update" }, orderBy: { seq: "desc" } });
    expect(JSON.stringify(log?.after)).toContain("refuseTroubledOrgs");
    await movePhase(s.official, r.code, "NEEDS");
    await movePhase(s.official, r.code, "PROPOSALS");
    const late = await settingsOf(r.code, s.official, { eligibleOrgKinds: [], maxOpenProjects: undefined });
    expect(await updateRound(s.official, r.code, late.settings, late.version)).toMatchObject({
      ok: false,
      problem: { fieldErrors: { eligibleOrgKinds: ["rounds.frozen"], maxOpenProjects: ["rounds.frozen"] } },
    });
  });

  it("is for officials of the round's area only", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const community = await person([{ role: "OFFICIAL", area: s.communities[0]! }]);
    const e = await settingsOf(r.code, s.official);
    await rejectsWithStatus(updateRound(community, r.code, e.settings, e.version), 403);
    await rejectsWithStatus(adminRoundPage(community, r.code), 403);
    await rejectsWithStatus(movePhase(community, r.code, "NEEDS"), 403);
  });
});

describe("phases", () => {
  it("refuses an illegal move and changes nothing", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    expect(await movePhase(s.official, r.code, "PROPOSALS")).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.phase.notNext"], fieldErrors: {} } });
    expect(await movePhase(s.official, r.code, "DRAFT")).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.phase.notNext"], fieldErrors: {} } });
    expect(await movePhase(s.official, r.code, "nonsense")).toEqual({ ok: false, problem: { status: 400, formErrors: ["rounds.phase.unknown"], fieldErrors: {} } });
    expect((await db().round.findUniqueOrThrow({ where: { id: r.id } })).phase).toBe("DRAFT");
    expect(await db().auditLog.count({ where: { objectId: r.id, action: "round.phase" } })).toBe(0);
  });

  it("moves exactly once when ten identical requests arrive together", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const results = await Promise.all(Array.from({ length: 10 }, () => movePhase(s.official, r.code, "NEEDS")));
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok).every((x) => !x.ok && x.problem.status === 409 && ["rounds.phase.alreadyMoved", "rounds.phase.notNext"].includes(x.problem.formErrors[0]!))).toBe(true);
    expect((await db().round.findUniqueOrThrow({ where: { id: r.id } })).phase).toBe("NEEDS");
    expect(await db().auditLog.count({ where: { objectId: r.id, action: "round.phase" } })).toBe(1);
    // the history on the officials' page shows creation and the one move, with who did it
    const page = await adminRoundPage(s.official, r.code);
    expect(page.history.map((h) => [h.phase, h.actor])).toEqual([
      ["DRAFT", s.official.name],
      ["NEEDS", s.official.name],
    ]);
    expect(page.next).toBe("PROPOSALS");
  });

  it("tells the people concerned, in the same transaction as the move", async () => {
    const s = await setting();
    const communityOfficial = await person([{ role: "OFFICIAL", area: s.communities[0]! }]);
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    // an organization in the area with two members with accounts, one named member without
    const [m1, m2, author, outsider] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
    const org = await db().organization.create({
      data: {
        kind: "RESIDENT_TEAM",
        name: `测试队${uid()}`,
        areaId: s.communities[1]!.id,
        members: { create: [{ userId: m1.id, name: "甲" }, { userId: m2.id, name: "乙" }, { name: "丙" }] },
      },
    });
    // an organization outside the round's area
    const elsewhere = await makeAreaTree(1);
    await db().organization.create({
      data: { kind: "RESIDENT_TEAM", name: `外队${uid()}`, areaId: elsewhere.communities[0]!.id, members: { create: [{ userId: outsider.id, name: "丁" }] } },
    });
    const roundRow = await db().round.findUniqueOrThrow({ where: { id: r.id } });
    await db().need.create({
      data: { areaId: s.communities[0]!.id, authorId: author.id, title: "楼道照明", description: "楼道灯坏了", category: "PUBLIC_SERVICE", status: "PUBLISHED", roundId: roundRow.id, publishedAt: new Date() },
    });
    const inbox = async (userId: string) => (await db().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);

    await movePhase(s.official, r.code, "NEEDS");
    expect(await inbox(communityOfficial.id)).toEqual(["roundPhase.NEEDS"]);
    expect(await inbox(s.official.id)).toEqual([]); // the one who moved it knows
    expect(await inbox(m1.id)).toEqual([]);

    await movePhase(s.official, r.code, "PROPOSALS");
    expect(await inbox(m1.id)).toEqual(["roundPhase.PROPOSALS"]);
    expect(await inbox(m2.id)).toEqual(["roundPhase.PROPOSALS"]);
    expect(await inbox(author.id)).toEqual(["roundPhase.PROPOSALS"]);
    expect(await inbox(outsider.id)).toEqual([]);
    const n = await db().notification.findFirstOrThrow({ where: { userId: m1.id } });
    expect(n).toMatchObject({ link: `/rounds/${r.code}`, params: { round: "测试社区公益微创投", code: r.code } });

    // one draft by m1's organization, one submitted proposal by another organization
    const [applicant] = await Promise.all([makeUser()]);
    const org2 = await db().organization.create({
      data: { kind: "RESIDENT_TEAM", name: `申报队${uid()}`, areaId: s.communities[0]!.id, members: { create: [{ userId: applicant.id, name: "戊" }] } },
    });
    await db().proposal.create({ data: { roundId: r.id, organizationId: org.id, createdById: m1.id, title: "草稿" } });
    await db().proposal.create({ data: { roundId: r.id, organizationId: org2.id, createdById: applicant.id, title: "已提交", status: "SUBMITTED", referenceNo: `${r.code}-0001` } });
    await movePhase(s.official, r.code, "SCREENING");
    expect(await inbox(m1.id)).toEqual(["roundPhase.PROPOSALS", "roundPhase.SCREENING"]); // creator of the draft
    expect(await inbox(m2.id)).toEqual(["roundPhase.PROPOSALS"]); // not the draft's creator
    expect(await inbox(applicant.id)).toEqual(["roundPhase.SCREENING"]);
    expect(await inbox(author.id)).toEqual(["roundPhase.PROPOSALS"]);

    await movePhase(s.official, r.code, "REVIEW");
    expect(await inbox(applicant.id)).toEqual(["roundPhase.SCREENING", "roundPhase.REVIEW"]);
    expect(await inbox(m1.id)).toEqual(["roundPhase.PROPOSALS", "roundPhase.SCREENING"]); // only a draft: not concerned
    expect(await inbox(communityOfficial.id)).toEqual(["roundPhase.NEEDS", "roundPhase.PROPOSALS", "roundPhase.SCREENING", "roundPhase.REVIEW"]);
  });
});

describe("round pages", () => {
  it("hides a draft from the public and shows topics and counts once open", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id, { poolFen: "50000" }));
    if (!r.ok) throw new Error("setup");
    await rejectsWithStatus(publicRoundPage(null, r.code), 404);
    const resident = await person();
    await rejectsWithStatus(publicRoundPage(resident, r.code), 404);
    expect((await publicRoundPage(s.official, r.code)).canManage).toBe(true);
    expect((await listPublicRounds(1)).rounds.some((x) => x.code === r.code)).toBe(false);
    expect((await listOfficialRounds(s.official, 1)).rounds.map((x) => x.code)).toContain(r.code);
    await rejectsWithStatus(listOfficialRounds(resident, 1), 403);

    await movePhase(s.official, r.code, "NEEDS");
    for (let i = 0; i < 3; i++) {
      await db().need.create({
        data: { areaId: s.communities[0]!.id, title: `议题${i}`, description: "d", category: "PUBLIC_SERVICE", status: i < 2 ? "PUBLISHED" : "OPEN", roundId: i < 2 ? r.id : null, voteCount: i },
      });
    }
    const page = await publicRoundPage(null, r.code);
    expect(page.canManage).toBe(false);
    expect(page.poolBalanceFen).toBe(5_000_000);
    expect(page.counts).toEqual({ topics: 2, submitted: 0, eligible: 0 });
    expect(page.topics.map((t) => [t.title, t.votes, t.community.nameZh])).toEqual([
      ["议题1", 1, "测试社区0"],
      ["议题0", 0, "测试社区0"],
    ]);
    expect(page.topics[0]!.link).toMatch(/^\/needs\/\d+$/);
    expect(page.round.rubric).toEqual(DEFAULT_RUBRIC);
    expect((await listPublicRounds(1)).rounds.some((x) => x.code === r.code)).toBe(true);
    await rejectsWithStatus(publicRoundPage(null, "NOSUCHROUND"), 404);
  });
});

describe("/admin/rounds/:code route", () => {
  const post = async (userId: string, roundCode: string, fields: Record<string, string>) =>
    answer(async () => roundAction({ request: await signedInRequest(userId, `/admin/rounds/${roundCode}`, form(fields)), params: { code: roundCode }, context: {} } as never));

  /** The edit form's values as the browser posts them ("rubric[0].key", …). */
  const flat = (value: unknown, name = "", out: Record<string, string> = {}) => {
    if (Array.isArray(value)) value.forEach((v, i) => flat(v, `${name}[${i}]`, out));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) flat(v, name ? `${name}.${k}` : k, out);
    else if (value !== undefined && value !== null && value !== "") out[name] = String(value);
    return out;
  };

  it("draws the settings in the set-up page's five steps, the last saving; a refused save comes back in them with everything typed", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const loaded = await roundLoader({ request: await signedInRequest(s.official.id, `/admin/rounds/${r.code}`), params: { code: r.code }, context: {} } as never);
    const page = await adminRoundPage(s.official, r.code);
    // a rubric of 95 points, with a new title: refused, nothing saved
    const refused = await post(s.official.id, r.code, { ...flat(page.values), intent: "save", version: String(page.round.version), title: "改了还没保存的标题", "rubric[0].maxPoints": "20" });
    expect(refused.status).toBe(400);
    expect((await db().round.findUniqueOrThrow({ where: { id: r.id } })).title).not.toBe("改了还没保存的标题");

    for (const [locale, label, last, heading] of [
      ["zh-CN", "设置步骤", "5. 核对并保存", "第 5 步（共 5 步）：核对并保存"],
      ["en", "Settings steps", "5. Check and save", "Step 5 of 5: Check and save"],
    ] as const) {
      const html = renderRoute(AdminRound as ComponentType<never>, loaded, refused.data, locale).replace(/<!-- -->/g, "");
      const at = (pattern: RegExp) => {
        const m = pattern.exec(html);
        expect(m, String(pattern)).not.toBeNull();
        return m!.index;
      };
      // the step list: a link to each step's section, in order
      const nav = new RegExp(`<nav aria-label="${label}"[^>]*>([\\s\\S]*?)</nav>`).exec(html)![1]!;
      expect([...nav.matchAll(/href="#(step-\w+)"/g)].map((m) => m[1])).toEqual(ROUND_STEPS.map((x) => `step-${x}`));
      expect(nav).toContain(last);
      // the steps in order, each holding its settings, with what was typed and the refusal's message
      const steps = ROUND_STEPS.map((x) => at(new RegExp(`<section id="step-${x}"`)));
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      const inStep = (i: number, pattern: RegExp) => {
        const where = at(pattern);
        expect(where > steps[i]! && (i + 1 === steps.length || where < steps[i + 1]!), String(pattern)).toBe(true);
      };
      inStep(0, /name="title"[^>]*value="改了还没保存的标题"/);
      inStep(1, /name="proposalsDeadline"/);
      inStep(2, /name="poolFen"/);
      inStep(2, /name="trancheSchedule\[0\]\.percent"/);
      inStep(3, /name="rubric\[0\]\.maxPoints"[^>]*value="20"/);
      inStep(3, /name="maxProposalsPerOrg"/);
      inStep(4, new RegExp(`<h2 id="step-review-h"[^>]*>${heading}</h2>`));
      inStep(4, /<button type="submit"[^>]*>(保存设置|Save settings)<\/button>/);
      // the defaults' hint belongs to a new round only
      expect(html).not.toContain(locale === "en" ? "start from Danghu's defaults" : "默认做法填好");
    }
  });

  it("a move the round cannot make is a 409 for the move form; a good one names the new phase", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    expect(await post(s.official.id, r.code, { intent: "move", to: "SCREENING" })).toMatchObject({
      status: 409,
      data: { intent: "move", result: { error: { "": ["rounds.phase.notNext"] } } },
    });
    expect(await post(s.official.id, r.code, { intent: "move", to: "NEEDS" })).toMatchObject({ status: 200, data: { intent: "move", moved: "NEEDS" } });
  });

  it("saves the eligibility rules and budget caps as the browser posts them (repeated checkboxes, cap rows, labour's percent cell)", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const page = await adminRoundPage(s.official, r.code);
    const { eligibleOrgKinds: _kinds, ...rest } = page.values as Record<string, unknown>;
    const body = new URLSearchParams({ ...flat(rest), intent: "save", version: String(page.round.version), labourCapPercent: "25", orgInRoundArea: "on", maxOpenProjects: "3" });
    body.append("eligibleOrgKinds", "COMMUNITY_ORGANIZATION");
    body.append("eligibleOrgKinds", "RESIDENT_TEAM");
    body.set("budgetCaps[1].percent", "60"); // MATERIALS
    body.set("budgetCaps[0].amount", "2,000"); // LABOUR
    const request = await signedInRequest(s.official.id, `/admin/rounds/${r.code}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(await answer(() => roundAction({ request, params: { code: r.code }, context: {} } as never))).toMatchObject({ status: 302 });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      labourCapPercent: 25,
      eligibleOrgKinds: ["COMMUNITY_ORGANIZATION", "RESIDENT_TEAM"],
      orgInRoundArea: true,
      maxOpenProjects: 3,
      refuseTroubledOrgs: false,
      budgetCaps: [{ category: "LABOUR", maxFen: 200_000 }, { category: "MATERIALS", percent: 60 }],
    });
    // one ticked kind is a list of one, too; a bad percent is refused next to its cell, keeping what was typed
    const again = await adminRoundPage(s.official, r.code);
    const { eligibleOrgKinds: _k, ...restAgain } = again.values as Record<string, unknown>;
    const one = new URLSearchParams({ ...flat(restAgain), intent: "save", version: String(again.round.version), eligibleOrgKinds: "SOCIAL_ORGANIZATION", "budgetCaps[2].percent": "101" });
    const refused = await answer(async () =>
      roundAction({ request: await signedInRequest(s.official.id, `/admin/rounds/${r.code}`, { method: "POST", body: one, headers: { "content-type": "application/x-www-form-urlencoded" } }), params: { code: r.code }, context: {} } as never),
    );
    expect(refused).toMatchObject({ status: 400, data: { result: { error: { "budgetCaps[2].percent": ["rounds.budgetCap.percent"] } }, values: { budgetCaps: expect.anything() } } });
    one.delete("budgetCaps[2].percent");
    const saved = await answer(async () =>
      roundAction({ request: await signedInRequest(s.official.id, `/admin/rounds/${r.code}`, { method: "POST", body: one, headers: { "content-type": "application/x-www-form-urlencoded" } }), params: { code: r.code }, context: {} } as never),
    );
    expect(saved).toMatchObject({ status: 302 });
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ eligibleOrgKinds: ["SOCIAL_ORGANIZATION"] });
  });

  it("a save from a stale version is a 409 with what was typed; a fresh one saves", async () => {
    const s = await setting();
    const r = await createRound(s.official, input(s.root.id, s.foundation.id));
    if (!r.ok) throw new Error("setup");
    const page = await adminRoundPage(s.official, r.code);
    const fields = { ...flat(page.values), intent: "save", title: "改过的轮次标题" };
    expect(await post(s.official.id, r.code, { ...fields, version: String(page.round.version) })).toMatchObject({ status: 302 });
    const stale = await post(s.official.id, r.code, { ...fields, title: "另一个标题的版本", version: String(page.round.version) });
    expect(stale).toMatchObject({
      status: 409,
      data: { intent: "save", values: { title: "另一个标题的版本" }, result: { error: { "": ["rounds.version.conflict"] } } },
    });
    expect((await db().round.findUniqueOrThrow({ where: { code: r.code } })).title).toBe("改过的轮次标题");
  });
});
