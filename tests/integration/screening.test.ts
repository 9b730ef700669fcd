import { afterEach, describe, expect, it, vi } from "vitest";
import { day, person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";
import { DEFAULT_CATEGORIES } from "~/domain/categories";
import { DEFAULT_RUBRIC, DEFAULT_TRANCHE_SCHEDULE, type Phase } from "~/domain/rounds";
import { parseEligibleListQuery, parseScreeningQuery } from "~/domain/screening";
import { translate } from "~/lib/i18n";
import { publicVoteState } from "~/services/awards/awards.server";
import { verifyAudit } from "~/services/books/audit-verify.server";
import { decide, publicEligibleList, screeningHooks, screeningQueue } from "~/services/rounds/screening.server";
import * as screeningRoute from "~/routes/admin.rounds.$code.screening";
import * as eligibleRoute from "~/routes/rounds.$code.proposals";
import type { ComponentType } from "react";
import { answer, signedInRequest } from "../support/requests";
import { numberedPagerIn, walkNumbered } from "../support/keyset";
import { renderRoute } from "../support/render-route";

/**
 * A round in `phase` over a fresh subdistrict with two organizations (two and one members with
 * accounts) and `n` proposals inserted already submitted (the freeze trigger fires on UPDATE and
 * DELETE only), plus a draft and a withdrawn one that screening must never show.
 */
async function setting(phase: Phase = "SCREENING", n = 3) {
  const { root, communities } = await makeAreaTree(2);
  const foundation = await db().foundation.create({
    data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "", descriptionEn: "", areaId: root.id },
  });
  const code = `S${uid().slice(0, 6).toUpperCase()}`;
  const round = await db().round.create({
    data: {
      code,
      areaId: root.id,
      foundationId: foundation.id,
      title: `审查测试 ${code}`,
      description: "",
      phase,
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
    },
  });
  const alice = await person([], { name: `审查${uid().slice(0, 4)}` });
  const bob = await person([], { name: `审查${uid().slice(0, 4)}` });
  const carol = await person([], { name: `审查${uid().slice(0, 4)}` });
  const org = await db().organization.create({
    data: {
      kind: "RESIDENT_TEAM",
      name: `审查队${uid()}`,
      areaId: communities[0]!.id,
      members: { create: [{ userId: alice.id, name: alice.name }, { userId: bob.id, name: bob.name }, { name: "王五" }] },
    },
  });
  const org2 = await db().organization.create({
    data: { kind: "RESIDENT_TEAM", name: `二队${uid()}`, areaId: communities[1]!.id, members: { create: [{ userId: carol.id, name: carol.name }] } },
  });
  const proposals = [];
  for (let i = 1; i <= n; i++) {
    proposals.push(
      await db().proposal.create({
        data: {
          roundId: round.id,
          organizationId: i % 2 ? org.id : org2.id,
          createdById: i % 2 ? alice.id : carol.id,
          status: "SUBMITTED",
          referenceNo: `${code}-${String(i).padStart(4, "0")}`,
          title: `项目${i}`,
          communityId: communities[i % 2 ? 0 : 1]!.id,
          category: i === 2 ? "CULTURE_SPORTS" : "PUBLIC_SERVICE",
          requestedFen: 1_000_000 + i * 100,
          submittedAt: new Date(),
          submittedById: alice.id,
          snapshot: {},
          snapshotSha256: "0".repeat(64),
        },
      }),
    );
  }
  const draft = await db().proposal.create({ data: { roundId: round.id, organizationId: org.id, createdById: alice.id, title: "草稿不可见" } });
  const withdrawn = await db().proposal.create({
    data: { roundId: round.id, organizationId: org2.id, createdById: carol.id, status: "WITHDRAWN", referenceNo: `${code}-9999`, title: "已撤回不可见", requestedFen: 800_000 },
  });
  const official = await person([{ role: "OFFICIAL", area: root }]);
  const communityOfficial = await person([{ role: "OFFICIAL", area: communities[0]! }]);
  const otherTree = await makeAreaTree(1);
  const stranger = await person([{ role: "OFFICIAL", area: otherTree.root }]);
  return { root, communities, round, org, org2, alice, bob, carol, proposals, draft, withdrawn, official, communityOfficial, stranger };
}

const q = (s = "") => parseScreeningQuery(new URLSearchParams(s));
const status = (id: string) => db().proposal.findUniqueOrThrow({ where: { id }, select: { status: true, screeningReason: true, screenedById: true } });

afterEach(() => {
  delete screeningHooks.afterWrite;
});

describe("the screening queue", () => {
  it("lists submitted proposals only (no drafts, no withdrawn) with filters, for officials of the round's area", async () => {
    const s = await setting("SCREENING", 3);
    const queue = await screeningQueue(s.official, s.round.code, q());
    expect(queue.canDecide).toBe(true);
    expect(queue.items.map((i) => i.referenceNo)).toEqual(s.proposals.map((p) => p.referenceNo));
    expect(queue.counts).toEqual({ SUBMITTED: 3, ELIGIBLE: 0, INELIGIBLE: 0 });
    expect(JSON.stringify(queue)).not.toContain("草稿不可见");
    expect(JSON.stringify(queue)).not.toContain("已撤回不可见");

    expect((await screeningQueue(s.official, s.round.code, q("category=CULTURE_SPORTS"))).items.map((i) => i.title)).toEqual(["项目2"]);
    expect((await screeningQueue(s.official, s.round.code, q(`community=${s.communities[1]!.code}`))).items.map((i) => i.title)).toEqual(["项目2"]);
    expect((await screeningQueue(s.official, s.round.code, q("q=0003"))).items.map((i) => i.title)).toEqual(["项目3"]);
    expect((await screeningQueue(s.official, s.round.code, q("q=项目1"))).items.map((i) => i.title)).toEqual(["项目1"]);
  });

  it("is forbidden to officials of another area and to a community official under a subdistrict's round", async () => {
    const s = await setting();
    await rejectsWithStatus(screeningQueue(s.stranger, s.round.code, q()), 403);
    await rejectsWithStatus(screeningQueue(s.communityOfficial, s.round.code, q()), 403);
    await rejectsWithStatus(screeningQueue(s.alice, s.round.code, q()), 403);
    await rejectsWithStatus(decide(s.stranger, s.round.code, { ids: [s.proposals[0]!.id], outcome: "ELIGIBLE" }), 403);
    expect((await status(s.proposals[0]!.id)).status).toBe("SUBMITTED");
    await rejectsWithStatus(screeningQueue(s.official, "NOPE404", q()), 404);
  });
});

describe("deciding", () => {
  it("marks several proposals eligible in one transaction: decisions, statuses, audit, inbox and email to every member with an account", async () => {
    const s = await setting("SCREENING", 3);
    const ids = s.proposals.map((p) => p.id);
    const result = await decide(s.official, s.round.code, { ids, outcome: "ELIGIBLE" });
    expect(result).toEqual({ ok: true, decided: 3, unchanged: [] });

    for (const id of ids) expect(await status(id)).toEqual({ status: "ELIGIBLE", screeningReason: null, screenedById: s.official.id });
    const decisions = await db().screeningDecision.findMany({ where: { proposalId: { in: ids } } });
    expect(decisions).toHaveLength(3);
    expect(decisions.every((d) => d.outcome === "ELIGIBLE" && d.reversesId === null && d.decidedById === s.official.id)).toBe(true);
    const audits = await db().auditLog.findMany({ where: { objectId: { in: ids }, action: "proposal.screening.decide" } });
    expect(audits).toHaveLength(3);
    // the batched audit records keep the chain intact
    expect((await verifyAudit(db())).problems).toEqual([]);

    // proposals 1 and 3 belong to alice and bob's team, 2 to carol's
    const notes = await db().notification.findMany({ where: { userId: { in: [s.alice.id, s.bob.id, s.carol.id] } } });
    expect(notes.filter((n) => n.userId === s.alice.id).map((n) => n.kind)).toEqual(["screeningEligible", "screeningEligible"]);
    expect(notes.filter((n) => n.userId === s.bob.id)).toHaveLength(2);
    expect(notes.filter((n) => n.userId === s.carol.id)).toHaveLength(1);
    const mails = await db().emailMessage.findMany({ where: { toAddress: { in: [s.alice.email, s.bob.email, s.carol.email] } } });
    expect(mails).toHaveLength(5);
    expect(mails.every((m) => m.template === "screening-decision")).toBe(true);
    const carolMail = mails.find((m) => m.toAddress === s.carol.email)!;
    expect(carolMail.subject).toContain(s.proposals[1]!.referenceNo!);
    expect(carolMail.text).toContain(`/proposals/${s.proposals[1]!.id}`);
  });

  it("a failure part-way through a bulk decision leaves nothing behind", async () => {
    const s = await setting("SCREENING", 3);
    const ids = s.proposals.map((p) => p.id);
    const auditsBefore = await db().auditLog.count();
    screeningHooks.afterWrite = async () => {
      throw new Error("crash after the writes");
    };
    await expect(decide(s.official, s.round.code, { ids, outcome: "INELIGIBLE", reason: "材料不全" })).rejects.toThrow("crash after the writes");
    for (const id of ids) expect((await status(id)).status).toBe("SUBMITTED");
    expect(await db().screeningDecision.count({ where: { proposalId: { in: ids } } })).toBe(0);
    expect(await db().auditLog.count()).toBe(auditsBefore);
    expect(await db().notification.count({ where: { userId: { in: [s.alice.id, s.carol.id] } } })).toBe(0);
    expect(await db().emailMessage.count({ where: { toAddress: { in: [s.alice.email, s.carol.email] } } })).toBe(0);
  });

  it("refuses ineligible without a reason, and writes nothing", async () => {
    const s = await setting();
    const r = await decide(s.official, s.round.code, { ids: [s.proposals[0]!.id], outcome: "INELIGIBLE", reason: "  " });
    expect(r).toEqual({ ok: false, problem: { status: 400, formErrors: [], fieldErrors: { reason: ["screening.error.reasonRequired"] } } });
    expect((await status(s.proposals[0]!.id)).status).toBe("SUBMITTED");
  });

  it("a reversal needs a reason; with one it writes a decision that points at the one it reverses", async () => {
    const s = await setting("SCREENING", 2);
    const [p1, p2] = s.proposals;
    expect(await decide(s.official, s.round.code, { ids: [p1!.id], outcome: "INELIGIBLE", reason: "预算超出上限" })).toMatchObject({ ok: true, decided: 1 });
    const first = await db().screeningDecision.findFirstOrThrow({ where: { proposalId: p1!.id } });

    // bulk with one proposal needing a reversal reason: the whole decision is refused
    const refused = await decide(s.official, s.round.code, { ids: [p1!.id, p2!.id], outcome: "ELIGIBLE" });
    expect(refused).toEqual({
      ok: false,
      problem: { status: 409, fieldErrors: {}, formErrors: [`screening.error.reversalReason|${JSON.stringify({ referenceNo: p1!.referenceNo })}`] },
    });
    expect((await status(p2!.id)).status).toBe("SUBMITTED");

    const reversed = await decide(s.official, s.round.code, { ids: [p1!.id], outcome: "ELIGIBLE", reason: "已补交修正后的预算说明" });
    expect(reversed).toMatchObject({ ok: true, decided: 1 });
    const all = await db().screeningDecision.findMany({ where: { proposalId: p1!.id }, orderBy: { createdAt: "asc" } });
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ outcome: "ELIGIBLE", reversesId: first.id, reason: "已补交修正后的预算说明" });
    expect(await status(p1!.id)).toMatchObject({ status: "ELIGIBLE", screeningReason: "已补交修正后的预算说明" });
    const note = await db().notification.findFirstOrThrow({ where: { userId: s.alice.id, kind: "screeningReversed" } });
    const params = note.params as Record<string, string>;
    expect(translate("zh-CN", "inbox.screeningReversed.body", params)).toBe("申报“项目1”的资格审查结果更正为：资格审查通过。理由：已补交修正后的预算说明");
    expect(translate("en", "inbox.screeningReversed.body", params)).toBe("The screening decision on “项目1” is now: eligible. Reason: 已补交修正后的预算说明");
    expect(note.link).toBe(`/proposals/${p1!.id}`);
    expect(await db().auditLog.count({ where: { objectId: p1!.id, action: "proposal.screening.reverse" } })).toBe(1);

    // the same outcome again changes nothing
    expect(await decide(s.official, s.round.code, { ids: [p1!.id], outcome: "ELIGIBLE" })).toEqual({ ok: true, decided: 0, unchanged: [p1!.referenceNo] });
    expect(await db().screeningDecision.count({ where: { proposalId: p1!.id } })).toBe(2);

    // decisions are history: the database refuses to edit them
    await expect(db().screeningDecision.update({ where: { id: first.id }, data: { reason: "改写" } })).rejects.toThrow();
  });

  it("is refused outside the SCREENING phase, and for drafts, withdrawn proposals or another round's", async () => {
    for (const phase of ["PROPOSALS", "REVIEW"] as const) {
      const s = await setting(phase, 1);
      const queue = await screeningQueue(s.official, s.round.code, q());
      expect(queue.canDecide).toBe(false);
      expect(await decide(s.official, s.round.code, { ids: [s.proposals[0]!.id], outcome: "ELIGIBLE" })).toEqual({
        ok: false,
        problem: { status: 409, fieldErrors: {}, formErrors: ["screening.error.phase"] },
      });
      expect((await status(s.proposals[0]!.id)).status).toBe("SUBMITTED");
    }
    const s = await setting("SCREENING", 1);
    const r = await decide(s.official, s.round.code, { ids: [s.proposals[0]!.id, s.withdrawn.id, s.draft.id], outcome: "ELIGIBLE" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem.formErrors).toHaveLength(2);
    expect((await status(s.proposals[0]!.id)).status).toBe("SUBMITTED");
    const other = await setting("SCREENING", 1);
    expect(await decide(s.official, s.round.code, { ids: [other.proposals[0]!.id], outcome: "ELIGIBLE" })).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["screening.error.unknown"] } });
  });
});

describe("the public list", () => {
  it("shows nothing before screening, the number submitted during it, and only ELIGIBLE proposals after it", async () => {
    const s = await setting("SCREENING", 3);
    const list = (code: string, query = "") => publicEligibleList(code, parseEligibleListQuery(new URLSearchParams(query)));
    expect(await list(s.round.code)).toMatchObject({ state: "screening", submitted: 3, items: [] });

    await decide(s.official, s.round.code, { ids: [s.proposals[0]!.id, s.proposals[1]!.id], outcome: "ELIGIBLE" });
    await decide(s.official, s.round.code, { ids: [s.proposals[2]!.id], outcome: "INELIGIBLE", reason: "不在服务范围" });
    // still screening: nothing is published yet
    expect((await list(s.round.code)).items).toEqual([]);

    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW" } });
    const after = await list(s.round.code);
    expect(after.state).toBe("published");
    expect(after.items.map((i) => i.referenceNo)).toEqual([s.proposals[0]!.referenceNo, s.proposals[1]!.referenceNo]);
    expect(after.items[0]).toEqual({
      referenceNo: s.proposals[0]!.referenceNo,
      title: "项目1",
      category: "PUBLIC_SERVICE",
      requestedFen: 1_000_100,
      requested: "¥10,001.00",
      organization: s.org.name,
      community: { code: s.communities[0]!.code, nameZh: s.communities[0]!.nameZh, nameEn: s.communities[0]!.nameEn },
    });
    expect(after.total).toBe(2);
    expect(after.totalFen).toBe(1_000_100 + 1_000_200);
    const text = JSON.stringify(after);
    for (const hidden of ["草稿不可见", "已撤回不可见", "项目3", s.alice.name, s.alice.email]) expect(text).not.toContain(hidden);
    expect((await list(s.round.code, "category=CULTURE_SPORTS")).items.map((i) => i.title)).toEqual(["项目2"]);
    expect((await list(s.round.code, `community=${s.communities[0]!.code}`)).items.map((i) => i.title)).toEqual(["项目1"]);

    expect(after.applicantsHidden).toBe(false);

    const early = await setting("PROPOSALS", 2);
    expect(await list(early.round.code)).toMatchObject({ state: "notYet", items: [] });
    const draftRound = await setting("DRAFT", 0);
    await rejectsWithStatus(list(draftRound.round.code), 404);
  });
});

describe("the public list's page", () => {
  it("reads the round once for the list and the vote state, answering what the services answer by code; a DRAFT round is 404", async () => {
    const s = await setting("SCREENING", 3);
    await decide(s.official, s.round.code, { ids: s.proposals.map((p) => p.id), outcome: "ELIGIBLE" });
    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW", weightReview: 80, weightPublicVote: 20 } });
    const args = (code: string) => ({ request: new Request(`http://localhost:3000/rounds/${code}/proposals?per=20`), params: { code }, context: {} }) as never;
    // the round is read by reviewRoundByCode's one statement
    const raw = vi.spyOn(db(), "$queryRaw");
    try {
      const page = await eligibleRoute.loader(args(s.round.code));
      const roundReads = raw.mock.calls.filter(([sql]) => [sql].flat().join("?").includes('FROM "Round" r JOIN "Area" a'));
      expect(roundReads).toHaveLength(1);
      expect(page.list).toEqual(await publicEligibleList(s.round.code, parseEligibleListQuery(new URLSearchParams("per=20"))));
      expect(page.votes).toEqual(await publicVoteState(null, s.round.code));
      expect(page.votes.enabled).toBe(true);
    } finally {
      raw.mockRestore();
    }
    const draftRound = await setting("DRAFT", 0);
    await rejectsWithStatus(eligibleRoute.loader(args(draftRound.round.code)), 404);
  });
});

describe("the public list under blind review", () => {
  it("names no organisation until the awards are published, so a judge cannot look an applicant up", async () => {
    const s = await setting("SCREENING", 2);
    const list = () => publicEligibleList(s.round.code, parseEligibleListQuery(new URLSearchParams()));
    await decide(s.official, s.round.code, { ids: s.proposals.map((p) => p.id), outcome: "ELIGIBLE" });
    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW", blindReview: true } });
    const during = await list();
    expect(during.applicantsHidden).toBe(true);
    expect(during.items.map((i) => i.organization)).toEqual([null, null]);
    expect(JSON.stringify(during)).not.toContain(s.org.name);

    await db().round.update({ where: { id: s.round.id }, data: { awardsPublishedAt: new Date() } });
    const noticed = await list();
    expect(noticed.applicantsHidden).toBe(false);
    expect(noticed.items.every((i) => typeof i.organization === "string" && i.organization.length > 0)).toBe(true);
    expect(noticed.items.map((i) => i.organization)).toContain(s.org.name);
  });
});

describe("/admin/rounds/:code/screening route", () => {
  const post = async (userId: string, code: string, body: URLSearchParams, query = "") =>
    answer(async () =>
      screeningRoute.action({
        request: await signedInRequest(userId, `/admin/rounds/${code}/screening${query}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
        params: { code },
        context: {},
      } as never),
    );

  it("one row's button decides that row alone, whatever else is checked; back to the same filtered page", async () => {
    const s = await setting("SCREENING", 2);
    const [p1, p2] = s.proposals;
    const body = new URLSearchParams([["ids", p2!.id], ["single", `ELIGIBLE:${p1!.id}`], ["reason", ""]]);
    const r = await post(s.official.id, s.round.code, body, "?status=SUBMITTED");
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/admin/rounds/${s.round.code}/screening?status=SUBMITTED&done=1`);
    expect((await status(p1!.id)).status).toBe("ELIGIBLE");
    expect((await status(p2!.id)).status).toBe("SUBMITTED");
  });

  it("a refused decision is a 400 with the reason's error at its field and the checked rows kept", async () => {
    const s = await setting("SCREENING", 2);
    const ids = s.proposals.map((p) => p.id);
    const body = new URLSearchParams([...ids.map((id) => ["ids", id]), ["outcome", "INELIGIBLE"], ["reason", ""]]);
    const r = await post(s.official.id, s.round.code, body);
    expect(r).toMatchObject({ status: 400, data: { result: { error: { reason: ["screening.error.reasonRequired"] }, initialValue: { ids } } } });
    // nothing selected: about the whole selection
    const none = await post(s.official.id, s.round.code, new URLSearchParams([["outcome", "ELIGIBLE"]]));
    expect(none).toMatchObject({ status: 400, data: { result: { error: { ids: ["screening.error.noneSelected"] } } } });
    // outside the SCREENING phase: 409, about the whole form
    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW" } });
    const late = await post(s.official.id, s.round.code, new URLSearchParams([["single", `ELIGIBLE:${ids[0]}`]]));
    expect(late).toMatchObject({ status: 409, data: { result: { error: { "": ["screening.error.phase"] } } } });
    for (const id of ids) expect((await status(id)).status).toBe("SUBMITTED");
  });
});

describe("numbered pages of a round's lists", () => {
  it("the queue and the public list show every proposal exactly once in reference order, by number, forward and back; a bad cursor is the first page", async () => {
    const s = await setting("SCREENING", 45);
    const refs = s.proposals.map((p) => p.referenceNo);
    const queueAt = (qs: string) => screeningQueue(s.official, s.round.code, q(`status=SUBMITTED&${qs}`));

    const queue = await walkNumbered(queueAt);
    expect(queue.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(queue.flat().map((i) => i.referenceNo)).toEqual(refs);
    const first = await queueAt("");
    expect(first.pager).toMatchObject({ page: 1, pages: 3, prev: null });
    // the last page by its number: the last 5, by reference, with no next
    const last = await queueAt("page=3");
    expect(last.items.map((i) => i.referenceNo)).toEqual(refs.slice(40));
    expect(last.pager).toMatchObject({ page: 3, pages: 3, next: null });
    // a cursor is bound to its filters (another filter reads the page by its number); a malformed one too
    expect((await screeningQueue(s.official, s.round.code, q(`status=SUBMITTED&category=PUBLIC_SERVICE&page=2&cursor=${first.pager.next}`))).items.map((i) => i.referenceNo)).toEqual(
      refs.filter((_, i) => i !== 1).slice(20, 40),
    );
    for (const bad of ["%%%", "WzEsImZvbyIsImEiLFsxXV0", "x".repeat(3000)]) {
      const r = await queueAt(`page=1&cursor=${encodeURIComponent(bad)}`);
      expect(r.items.map((i) => i.referenceNo)).toEqual(refs.slice(0, 20));
    }
    // deciding rows away from a filtered page keeps the cursor meaningful: the next page is still what follows it
    const second = await queueAt(`page=2&cursor=${first.pager.next}`);
    await decide(s.official, s.round.code, { ids: second.items.slice(0, 5).map((i) => i.id), outcome: "ELIGIBLE" });
    const again = await queueAt(`page=2&cursor=${first.pager.next}`);
    expect(again.items.map((i) => i.referenceNo)).toEqual([...refs.slice(25, 45)]);

    await decide(s.official, s.round.code, { ids: s.proposals.map((p) => p.id).filter((id) => !second.items.slice(0, 5).some((i) => i.id === id)), outcome: "ELIGIBLE" });
    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW" } });
    const list = (qs: string) => publicEligibleList(s.round.code, parseEligibleListQuery(new URLSearchParams(qs)));
    const eligible = await walkNumbered((qs) => list(`per=20&${qs}`));
    expect(eligible.flat().map((i) => i.referenceNo)).toEqual(refs);
    const byCategory = await walkNumbered((qs) => list(`category=PUBLIC_SERVICE&${qs}`));
    expect(byCategory.flat().map((i) => i.referenceNo)).toEqual(refs.filter((_, i) => i !== 1));
    expect((await list("cursor=!!")).items.map((i) => i.referenceNo)).toEqual(refs.slice(0, 20));
  });

  it("the queue and the public list draw their page numbers as links, the current one marked, in both languages", async () => {
    const s = await setting("SCREENING", 105);
    const args = async (url: string, userId?: string) =>
      ({ request: userId ? await signedInRequest(userId, url) : new Request(`http://localhost:3000${url}`), params: { code: s.round.code }, context: {} }) as never;
    const queue = await screeningRoute.loader(await args(`/admin/rounds/${s.round.code}/screening?page=3`, s.official.id));
    const zh = numberedPagerIn(renderRoute(screeningRoute.default as ComponentType<never>, queue));
    // 6 pages of 20: 1 2 3 4 5 6, the third current; previous and next carry their page's number and cursor
    expect(zh).toMatchObject({ label: "翻页", current: "当前页： 3" });
    expect(zh!.links.map((l) => [l.page, l.href, l.label])).toEqual([
      [1, "/p", "第 1 页"],
      [2, "/p?page=2", "第 2 页"],
      [4, "/p?page=4", "第 4 页"],
      [5, "/p?page=5", "第 5 页"],
      [6, "/p?page=6", "第 6 页"],
    ]);
    expect(zh!.prev).toMatch(/^\/p\?page=2&cursor=\w+$/);
    expect(zh!.next).toMatch(/^\/p\?page=4&cursor=\w+$/);

    await decide(s.official, s.round.code, { ids: s.proposals.map((p) => p.id), outcome: "ELIGIBLE" });
    await db().round.update({ where: { id: s.round.id }, data: { phase: "REVIEW" } });
    const list = await eligibleRoute.loader(await args(`/rounds/${s.round.code}/proposals?page=6`));
    const en = numberedPagerIn(renderRoute(eligibleRoute.default as ComponentType<never>, list, undefined, "en"));
    expect(en).toMatchObject({ label: "Pages", current: "Current page: 6", next: null });
    expect(en!.links.map((l) => l.label)).toEqual(["Page 1", "Page 2", "Page 3", "Page 4", "Page 5"]);
    expect(en!.prev).toMatch(/^\/p\?page=5&cursor=\w+$/);
  });
});
