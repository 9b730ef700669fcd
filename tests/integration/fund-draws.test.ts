import { describe, expect, it } from "vitest";
import { person, rejectsWithStatus } from "../support/actors";
import { answer, form, signedInRequest } from "../support/requests";
import { db, makeAreaTree } from "../support/db";
import { createRoundInput, fundedSubdistrict, roundSettingsFields } from "../support/round-fixture";
import { accountCodes, transfer } from "~/domain/ledger";
import { RoundSettingsSchema } from "~/domain/rounds";
import { withParams } from "~/domain/messages";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { balanceFen } from "~/services/books/ledger.server";
import {
  adminRoundPage,
  approveDraw,
  createRound,
  movePhase,
  pendingDrawCount,
  pendingDraws,
  rejectDraw,
  updateRound,
  withdrawDraw,
} from "~/services/rounds/rounds.server";
import { action as roundAction } from "~/routes/admin.rounds.$code";

/**
 * A subdistrict holding a fund of `fundedFen`, two of its officials, two communities with an
 * official each, and an official of another subdistrict.
 */
async function setting(fundedFen = 100_000_000) {
  const { root, communities, foundation, available, source } = await fundedSubdistrict(fundedFen, { nameZh: "测试街道社区发展基金" });
  const elsewhere = await makeAreaTree(1);
  return {
    root,
    communities,
    foundation,
    available,
    source,
    subdistrict: await person([{ role: "OFFICIAL", area: root }], { name: "街道官员甲" }),
    subdistrict2: await person([{ role: "OFFICIAL", area: root }], { name: "街道官员乙" }),
    community: await person([{ role: "OFFICIAL", area: communities[0]! }], { name: "松枫社区官员" }),
    sibling: await person([{ role: "OFFICIAL", area: communities[1]! }]),
    unrelated: await person([{ role: "OFFICIAL", area: elsewhere.root }]),
  };
}


/** A valid create input (as the form's schema produces it), `poolFen` in yuan as typed. */
function input(areaId: string, foundationId: string, poolFen = "100000") {
  return createRoundInput(areaId, foundationId, { title: "社区公益微创投", poolFen });
}

type Setting = Awaited<ReturnType<typeof setting>>;

/** The community official asks for ¥100,000 of the subdistrict's fund for a round of their community. */
async function requested(s: Setting, poolFen = "100000") {
  const r = await createRound(s.community, input(s.communities[0]!.id, s.foundation.id, poolFen));
  if (!r.ok || !r.poolDrawId) throw new Error(`setup: ${JSON.stringify(r)}`);
  return { code: r.code, id: r.id, drawId: r.poolDrawId };
}

/** Ledger postings of a round's pool (any version). */
const poolPostings = (roundId: string) => db().ledgerTransaction.findMany({ where: { idempotencyKey: { startsWith: `round:${roundId}:pool:` } }, include: { entries: { include: { account: true } } } });

/** The settings the rounds here are made with (`input`), with the pool set to `poolFen` (yuan as typed). */
async function settingsWithPool(roundCode: string, poolFen: string) {
  const round = await db().round.findUniqueOrThrow({ where: { code: roundCode } });
  const settings = RoundSettingsSchema.parse(roundSettingsFields({ title: round.title, description: round.description, poolFen }));
  return { settings, version: round.version };
}

describe("a community official requests a draw on the subdistrict's fund", () => {
  it("creates the round with its pool only requested: nothing posted, the fund's officials told, the round cannot open", async () => {
    const s = await setting();
    const r = await requested(s);
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ phase: "DRAFT", poolFen: 0n, version: 1 });
    expect(await balanceFen(db(), s.available)).toBe(100_000_000);
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(0);
    expect(await poolPostings(r.id)).toEqual([]);
    expect(await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).toMatchObject({
      roundId: r.id,
      foundationId: s.foundation.id,
      amountFen: 10_000_000n,
      status: "PENDING",
      requestedById: s.community.id,
      decidedById: null,
      ledgerTransactionId: null,
    });
    const log = await db().auditLog.findMany({ where: { objectId: { in: [r.id, r.drawId] } }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(["round.draw.request", "round.create"]);
    expect(log[1]!.after).toMatchObject({ poolFen: 0, requestedPoolFen: 10_000_000, poolDrawId: r.drawId, ledgerTransactionId: null });
    // the officials who may decide are told; the requester and the other community are not
    const told = await db().notification.findMany({ where: { kind: "round.DRAW_REQUESTED", params: { path: ["code"], equals: r.code } } });
    expect(told.map((n) => n.userId).sort()).toEqual([s.subdistrict.id, s.subdistrict2.id].sort());
    expect(told[0]).toMatchObject({ link: `/admin/rounds/${r.code}`, params: { amount: "¥100,000.00" } });
    // the round stays a draft while the draw waits, whoever tries to open it
    expect(await movePhase(s.community, r.code, "NEEDS")).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.phase.drawPending"], fieldErrors: {} } });
    expect(await movePhase(s.subdistrict, r.code, "NEEDS")).toMatchObject({ ok: false, problem: { formErrors: ["rounds.phase.drawPending"] } });
    expect((await db().round.findUniqueOrThrow({ where: { id: r.id } })).phase).toBe("DRAFT");
  });

  it("asks no more than the fund has available now", async () => {
    const s = await setting(1_000_000);
    const wanted = input(s.communities[0]!.id, s.foundation.id, "10000.01");
    expect(await createRound(s.community, wanted)).toEqual({
      ok: false,
      problem: { status: 409, formErrors: [], fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: "¥10,000.00" })] } },
    });
    expect(await db().round.findUnique({ where: { code: wanted.code } })).toBeNull();
    expect(await db().poolDraw.count({ where: { foundationId: s.foundation.id } })).toBe(0);
  });

  it("raising the pool of a draft asks for the increase; one request at a time; never once the round is open", async () => {
    const s = await setting();
    const created = await createRound(s.subdistrict, input(s.communities[0]!.id, s.foundation.id, "50000"));
    if (!created.ok) throw new Error("setup");
    const up = await settingsWithPool(created.code, "80000");
    const saved = await updateRound(s.community, created.code, { ...up.settings, title: "改过的标题" }, up.version);
    expect(saved).toMatchObject({ ok: true, version: 2, poolDrawId: expect.any(String) });
    if (!saved.ok) return;
    // the other settings are saved; the pool holds what it held, the increase waits
    expect(await db().round.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ title: "改过的标题", poolFen: 5_000_000n, version: 2 });
    expect(await balanceFen(db(), accountCodes.roundPool(created.id))).toBe(5_000_000);
    expect(await db().poolDraw.findUniqueOrThrow({ where: { id: saved.poolDrawId! } })).toMatchObject({ amountFen: 3_000_000n, status: "PENDING" });
    const again = await settingsWithPool(created.code, "90000");
    expect(await updateRound(s.community, created.code, again.settings, again.version)).toMatchObject({
      ok: false,
      problem: { status: 409, fieldErrors: { poolFen: ["rounds.draw.alreadyPending"] } },
    });
    // approved, the round opens; after that a community official cannot ask for more
    expect(await approveDraw(s.subdistrict, created.code, { drawId: saved.poolDrawId! })).toEqual({ ok: true, poolFen: 8_000_000 });
    expect(await movePhase(s.community, created.code, "NEEDS")).toMatchObject({ ok: true, phase: "NEEDS" });
    const open = await settingsWithPool(created.code, "90000");
    expect(await updateRound(s.community, created.code, open.settings, open.version)).toMatchObject({
      ok: false,
      problem: { status: 409, fieldErrors: { poolFen: ["rounds.draw.notDraft"] } },
    });
    expect(await db().poolDraw.count({ where: { roundId: created.id } })).toBe(1);
    expect(await balanceFen(db(), accountCodes.roundPool(created.id))).toBe(8_000_000);
  });
});

describe("who decides a requested draw", () => {
  it("not the person who asked, not even once they hold the fund's area too (four eyes); nothing is posted", async () => {
    const s = await setting();
    const r = await requested(s);
    expect(await approveDraw(s.community, r.code, { drawId: r.drawId })).toEqual({ ok: false, problem: { status: 403, formErrors: ["rounds.draw.notYours"], fieldErrors: {} } });
    expect(await rejectDraw(s.community, r.code, { drawId: r.drawId, reason: "不要了" })).toMatchObject({ ok: false, problem: { status: 403, formErrors: ["rounds.draw.notYours"] } });
    // the requester is later made an official of the subdistrict: still not their own approver
    await db().roleGrant.create({ data: { userId: s.community.id, role: "OFFICIAL", areaId: s.root.id } });
    const promoted = { ...s.community, grants: [...s.community.grants, { role: "OFFICIAL" as const, areaPath: s.root.path, areaLevel: s.root.level }] };
    expect(await approveDraw(promoted, r.code, { drawId: r.drawId })).toEqual({ ok: false, problem: { status: 403, formErrors: ["rounds.draw.sameOfficial"], fieldErrors: {} } });
    expect(await rejectDraw(promoted, r.code, { drawId: r.drawId, reason: "自己驳回" })).toMatchObject({ ok: false, problem: { formErrors: ["rounds.draw.sameOfficial"] } });
    expect(await poolPostings(r.id)).toEqual([]);
    expect((await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).status).toBe("PENDING");
  });

  it("not an official of an unrelated area, nor of another community, nor someone with no grant", async () => {
    const s = await setting();
    const r = await requested(s);
    await rejectsWithStatus(approveDraw(s.unrelated, r.code, { drawId: r.drawId }), 403);
    await rejectsWithStatus(approveDraw(s.sibling, r.code, { drawId: r.drawId }), 403);
    await rejectsWithStatus(rejectDraw(s.unrelated, r.code, { drawId: r.drawId, reason: "不是我的事" }), 403);
    await rejectsWithStatus(approveDraw(await person(), r.code, { drawId: r.drawId }), 403);
    // another official of the requester's own community sees the round but cannot decide
    const neighbour = await person([{ role: "OFFICIAL", area: s.communities[0]! }]);
    expect(await approveDraw(neighbour, r.code, { drawId: r.drawId })).toMatchObject({ ok: false, problem: { status: 403, formErrors: ["rounds.draw.notYours"] } });
    expect(await poolPostings(r.id)).toEqual([]);
    expect((await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).status).toBe("PENDING");
  });
});

describe("approving a requested draw", () => {
  it("commits the pool exactly as a direct draw does, once, audited, and tells the requester", async () => {
    const s = await setting();
    const r = await requested(s);
    expect(await approveDraw(s.subdistrict, r.code, { drawId: r.drawId, reason: "  同意，按年度计划安排  " })).toEqual({ ok: true, poolFen: 10_000_000 });
    expect(await balanceFen(db(), s.available)).toBe(90_000_000);
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(10_000_000);
    const round = await db().round.findUniqueOrThrow({ where: { id: r.id } });
    expect(round).toMatchObject({ poolFen: 10_000_000n, version: 2, phase: "DRAFT" });
    // one posting, with the key and entries a direct draw of the same pool makes
    const postings = await poolPostings(r.id);
    expect(postings).toHaveLength(1);
    expect(postings[0]).toMatchObject({ idempotencyKey: `round:${r.id}:pool:2`, kind: "ROUND_POOL", actorId: s.subdistrict.id });
    expect(postings[0]!.entries.map((e) => [e.account.code, e.amountFen]).sort()).toEqual(
      transfer(s.available, accountCodes.roundPool(r.id), 10_000_000).map((e) => [e.accountCode, BigInt(e.amountFen)]).sort(),
    );
    const draw = await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } });
    expect(draw).toMatchObject({ status: "APPROVED", decidedById: s.subdistrict.id, reason: "同意，按年度计划安排", ledgerTransactionId: postings[0]!.id });
    const approval = await db().auditLog.findFirstOrThrow({ where: { objectId: r.drawId, action: "round.draw.approve" } });
    expect(approval).toMatchObject({ actorId: s.subdistrict.id, objectType: "PoolDraw" });
    expect(approval.after).toMatchObject({ amountFen: 10_000_000, poolFen: 10_000_000, requestedById: s.community.id, ledgerTransactionId: postings[0]!.id });
    expect(await db().notification.findMany({ where: { userId: s.community.id, kind: "round.DRAW_APPROVED" } })).toHaveLength(1);
    // decided once
    expect(await approveDraw(s.subdistrict2, r.code, { drawId: r.drawId })).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.draw.decided"], fieldErrors: {} } });
    expect(await rejectDraw(s.subdistrict2, r.code, { drawId: r.drawId, reason: "晚了" })).toMatchObject({ ok: false, problem: { status: 409 } });
    expect(await poolPostings(r.id)).toHaveLength(1);
    // and now the round may open
    expect(await movePhase(s.community, r.code, "NEEDS")).toMatchObject({ ok: true, phase: "NEEDS" });
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("twenty concurrent approvals by two officials commit the pool once", async () => {
    const s = await setting();
    const r = await requested(s);
    const approvers = [s.subdistrict, s.subdistrict2];
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => approveDraw(approvers[i % 2]!, r.code, { drawId: r.drawId })));
    expect(results.filter((x) => x.status === "fulfilled" && x.value.ok)).toHaveLength(1);
    expect(results.filter((x) => x.status === "rejected")).toEqual([]);
    expect(await poolPostings(r.id)).toHaveLength(1);
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(10_000_000);
    expect(await balanceFen(db(), s.available)).toBe(90_000_000);
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ poolFen: 10_000_000n, version: 2 });
    expect(await db().auditLog.count({ where: { objectId: r.drawId, action: "round.draw.approve" } })).toBe(1);
  });

  it("a decision taken elsewhere between the posting and the status change rolls the posting back", async () => {
    const s = await setting();
    const r = await requested(s);
    // the draw is decided by another connection while this approval holds its posting: the update
    // conditional on PENDING matches nothing, and the whole approval is undone
    const raced = await approveDraw(s.subdistrict, r.code, { drawId: r.drawId }, {
      afterLedger: async () => {
        await db().poolDraw.update({ where: { id: r.drawId }, data: { status: "REJECTED", decidedById: s.subdistrict2.id, reason: "另一位官员已驳回" } });
      },
    });
    expect(raced).toEqual({ ok: false, problem: { status: 409, formErrors: ["rounds.draw.decided"], fieldErrors: {} } });
    expect(await poolPostings(r.id)).toEqual([]);
    expect(await balanceFen(db(), s.available)).toBe(100_000_000);
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ poolFen: 0n, version: 1 });
    expect(await db().auditLog.count({ where: { objectId: r.drawId, action: "round.draw.approve" } })).toBe(0);
  });

  it("a crash after the posting leaves neither the posting nor the approval, and it can be approved again", async () => {
    const s = await setting();
    const r = await requested(s);
    await expect(
      approveDraw(s.subdistrict, r.code, { drawId: r.drawId }, {
        afterLedger: async () => {
          throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await poolPostings(r.id)).toEqual([]);
    expect((await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).status).toBe("PENDING");
    expect(await approveDraw(s.subdistrict, r.code, { drawId: r.drawId })).toEqual({ ok: true, poolFen: 10_000_000 });
  });

  it("is refused while the fund no longer has the money; the draw keeps waiting", async () => {
    const s = await setting(20_000_000);
    const r = await requested(s, "150000");
    // the subdistrict spends most of its fund on its own round meanwhile
    expect(await createRound(s.subdistrict, input(s.root.id, s.foundation.id, "100000"))).toMatchObject({ ok: true });
    expect(await approveDraw(s.subdistrict2, r.code, { drawId: r.drawId })).toMatchObject({
      ok: false,
      problem: { status: 409, fieldErrors: { poolFen: [withParams("rounds.pool.insufficient", { available: "¥100,000.00" })] } },
    });
    expect((await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).status).toBe("PENDING");
    expect(await poolPostings(r.id)).toEqual([]);
  });
});

describe("rejecting or withdrawing a requested draw", () => {
  it("posts nothing, keeps the reason, tells the requester; the round may then open without that pool or ask again", async () => {
    const s = await setting();
    const r = await requested(s);
    expect(await rejectDraw(s.subdistrict, r.code, { drawId: r.drawId, reason: " " })).toEqual({
      ok: false,
      problem: { status: 400, formErrors: [], fieldErrors: { reason: ["rounds.draw.reason.required"] } },
    });
    expect(await rejectDraw(s.subdistrict, r.code, { drawId: r.drawId, reason: "本年度基金已安排完毕" })).toEqual({ ok: true });
    expect(await db().poolDraw.findUniqueOrThrow({ where: { id: r.drawId } })).toMatchObject({
      status: "REJECTED",
      decidedById: s.subdistrict.id,
      reason: "本年度基金已安排完毕",
      ledgerTransactionId: null,
    });
    expect(await poolPostings(r.id)).toEqual([]);
    expect(await balanceFen(db(), s.available)).toBe(100_000_000);
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ poolFen: 0n });
    const told = await db().notification.findFirstOrThrow({ where: { userId: s.community.id, kind: "round.DRAW_REJECTED" } });
    expect(told.params).toMatchObject({ code: r.code, amount: "¥100,000.00", reason: "本年度基金已安排完毕" });
    const audit = await db().auditLog.findFirstOrThrow({ where: { objectId: r.drawId, action: "round.draw.reject" } });
    expect(audit).toMatchObject({ actorId: s.subdistrict.id });
    expect(audit.after).toMatchObject({ status: "REJECTED", reason: "本年度基金已安排完毕" });
    expect(await approveDraw(s.subdistrict2, r.code, { drawId: r.drawId })).toMatchObject({ ok: false, problem: { status: 409, formErrors: ["rounds.draw.decided"] } });
    // the requester asks again for less, then takes that back
    const less = await settingsWithPool(r.code, "60000");
    const again = await updateRound(s.community, r.code, less.settings, less.version);
    expect(again).toMatchObject({ ok: true, poolDrawId: expect.any(String) });
    if (!again.ok) return;
    expect(await withdrawDraw(s.subdistrict, r.code, { drawId: again.poolDrawId! })).toMatchObject({ ok: false, problem: { status: 403, formErrors: ["rounds.draw.notRequester"] } });
    expect(await withdrawDraw(s.community, r.code, { drawId: again.poolDrawId! })).toEqual({ ok: true });
    expect((await db().poolDraw.findUniqueOrThrow({ where: { id: again.poolDrawId! } })).status).toBe("WITHDRAWN");
    expect(await approveDraw(s.subdistrict, r.code, { drawId: again.poolDrawId! })).toMatchObject({ ok: false, problem: { formErrors: ["rounds.draw.decided"] } });
    expect(await poolPostings(r.id)).toEqual([]);
    // nothing waits now: the round may open (with no pool)
    expect(await movePhase(s.community, r.code, "NEEDS")).toMatchObject({ ok: true, phase: "NEEDS" });
  });
});

describe("what officials see", () => {
  it("the fund's officials find the waiting draw on their list and the round page; the requester sees it waiting; others see nothing", async () => {
    const s = await setting();
    const r = await requested(s);
    const mine = (await pendingDraws(s.subdistrict, 1)).rows.find((d) => d.id === r.drawId);
    expect(mine).toMatchObject({ amountFen: 10_000_000, requestedBy: "松枫社区官员", mayDecide: true, requestedByMe: false, round: { code: r.code } });
    expect(await pendingDrawCount(s.subdistrict)).toBeGreaterThanOrEqual(1);
    const theirs = (await pendingDraws(s.community, 1)).rows.find((d) => d.id === r.drawId);
    expect(theirs).toMatchObject({ mayDecide: false, requestedByMe: true, mayWithdraw: true });
    expect(await pendingDrawCount(s.community)).toBe(0);
    expect((await pendingDraws(s.unrelated, 1)).rows.map((d) => d.id)).not.toContain(r.drawId);
    expect((await pendingDraws(s.sibling, 1)).rows).toEqual([]);
    const page = await adminRoundPage(s.subdistrict2, r.code);
    expect(page.draws).toMatchObject({ pending: true, fundArea: { nameZh: s.root.nameZh }, rows: [{ id: r.drawId, status: "PENDING", mayDecide: true, mayWithdraw: false }] });
    expect((await adminRoundPage(s.community, r.code)).draws.rows[0]).toMatchObject({ mayDecide: false, mayWithdraw: true });
    await rejectDraw(s.subdistrict2, r.code, { drawId: r.drawId, reason: "资金另有安排" });
    expect((await pendingDraws(s.subdistrict, 1)).rows.map((d) => d.id)).not.toContain(r.drawId);
    expect((await adminRoundPage(s.community, r.code)).draws.rows[0]).toMatchObject({ status: "REJECTED", decidedBy: "街道官员乙", reason: "资金另有安排", mayWithdraw: false });
  });

  it("the round page's action: a rejection needs a reason; the requester's approval is a 403; a fund official's approval commits", async () => {
    const s = await setting();
    const r = await requested(s);
    const post = async (userId: string, fields: Record<string, string>) =>
      answer(async () => roundAction({ request: await signedInRequest(userId, `/admin/rounds/${r.code}`, form(fields)), params: { code: r.code }, context: {} } as never));
    expect(await post(s.subdistrict.id, { intent: "rejectDraw", drawId: r.drawId, reason: "" })).toMatchObject({
      status: 400,
      data: { intent: "rejectDraw", result: { error: { reason: ["rounds.draw.reason.required"] } } },
    });
    expect(await post(s.community.id, { intent: "approveDraw", drawId: r.drawId })).toMatchObject({
      status: 403,
      data: { intent: "approveDraw", result: { error: { "": ["rounds.draw.notYours"] } } },
    });
    expect(await post(s.subdistrict.id, { intent: "approveDraw", drawId: r.drawId, reason: "" })).toMatchObject({
      status: 200,
      data: { intent: "approveDraw", notice: "rounds.draw.approved" },
    });
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(10_000_000);
    expect(await post(s.unrelated.id, { intent: "approveDraw", drawId: r.drawId })).toMatchObject({ status: 403 });
  });
});
