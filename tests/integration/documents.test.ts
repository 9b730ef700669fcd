import { describe, expect, it } from "vitest";
import * as noticePdfRoute from "~/routes/rounds.$code.notice-pdf";
import * as proposalPdfRoute from "~/routes/proposals.$id.pdf";
import * as screeningPdfRoute from "~/routes/admin.rounds.$code.screening-pdf";
import * as resultsPdfRoute from "~/routes/admin.rounds.$code.results-pdf";
import * as noticeRoute from "~/routes/rounds.$code.notice";
import * as proposalRoute from "~/routes/proposals.$id";
import * as screeningRoute from "~/routes/admin.rounds.$code.screening";
import * as resultsRoute from "~/routes/admin.rounds.$code.results";
import { snapshotOf } from "~/domain/proposals";
import { person } from "../support/actors";
import { db, uid } from "../support/db";
import { embedsFont, pdfPages } from "../support/pdf";
import { renderRoute } from "../support/render-route";
import { signedInRequest } from "../support/requests";
import { assignAll, reviewRound, submitSheet, type ReviewFixture } from "../support/review-fixture";

/**
 * The printed documents' routes: who may download each, what the answer carries (a PDF
 * attachment with a UTF-8 filename, an ETag of its bytes), that the same data gives the same
 * bytes, and that downloads of the documents that are not public are audited.
 */

type Loader = (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;

/** The loader's Response, or the status of the Response it threw (403, 404). */
async function get(route: { loader: unknown }, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    return await (route.loader as Loader)({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    const init = (thrown as { init?: { status?: number } | null }).init;
    if (init?.status) return new Response(null, { status: init.status });
    throw thrown;
  }
}
const anonymous = (path: string) => new Request(new URL(path, "http://localhost:3000"));
const bytesOf = async (r: Response) => new Uint8Array(await r.arrayBuffer());
const text = async (r: Response) => (await pdfPages(await bytesOf(r))).join("\n");
const downloads = (objectId: string) => db().auditLog.findMany({ where: { action: "document.download", objectId }, select: { actorId: true, objectType: true, after: true } });

/** A round of two scored proposals whose snapshots are full, as submission writes them. */
async function round(): Promise<ReviewFixture> {
  const f = await reviewRound({
    proposals: 2,
    judges: 2,
    snapshot: (i, ctx) =>
      snapshotOf({
        referenceNo: ctx.referenceNo,
        submittedAt: new Date(Date.UTC(2026, 1, 1, 0, i)),
        submittedBy: { id: "x", name: `提交人${i}` },
        round: { id: "r", code: ctx.referenceNo.split("-")[0]!, title: "评审测试" },
        organization: { id: ctx.organization.id, name: ctx.organization.name, kind: "RESIDENT_TEAM" },
        community: ctx.community,
        needs: [],
        attachments: [],
        draft: {
          title: ctx.title,
          summary: `项目${i}的摘要`,
          communityId: ctx.community.id,
          category: "PUBLIC_SERVICE",
          needIds: [],
          beneficiaryGroups: ["ELDERLY"],
          beneficiaryCount: 30,
          activityPlan: "每周活动一次。",
          coFundingFen: 0,
          milestones: [{ title: "启动", dueOn: "2026-07-01", deliverable: "启动会" }],
          budgetLines: [{ category: "MATERIALS", item: "物料", quantity: 10, unitPriceFen: 100_000 }],
          team: [{ name: `队员${i}`, role: "负责人", experience: "" }],
        },
      }) as never,
  });
  await assignAll(f);
  for (const p of f.proposals) for (const j of f.judges) await submitSheet(f, p.id, j.seat.id);
  return f;
}

/** Publishes the awards as the database holds them after publishing (the service's own rules are review.test's). */
async function publish(f: ReviewFixture) {
  const at = new Date("2026-05-06T02:00:00Z");
  await db().round.update({ where: { id: f.round.id }, data: { awardsPublishedAt: at, phase: "NOTICE" } });
  for (const [i, p] of f.proposals.entries()) {
    await db().award.create({
      data: { roundId: f.round.id, proposalId: p.id, rank: i + 1, outcome: i === 0 ? "FUNDED" : "WAITLIST", awardFen: i === 0 ? 1_000_000 : 0, noticeStartsAt: at, noticeEndsAt: new Date("2026-05-12T16:00:00Z") },
    });
  }
}

describe("the public notice PDF", () => {
  it("is 404 before the awards are published, then public: the list, the issuing office, a UTF-8 filename, the same bytes each time, not audited", async () => {
    const f = await round();
    const path = `/rounds/${f.round.code}/notice.pdf`;
    expect((await get(noticePdfRoute, anonymous(path), { code: f.round.code })).status).toBe(404);
    await publish(f);

    const r = await get(noticePdfRoute, anonymous(path), { code: f.round.code });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="${f.round.code}-____.pdf"; filename*=UTF-8''${f.round.code}-${encodeURIComponent("资助公示")}.pdf`);
    const bytes = await bytesOf(r);
    expect(embedsFont(bytes)).toBe(true);
    const all = (await pdfPages(bytes)).join("").replace(/\s+/g, "");
    expect(all).toContain("社区公益创投拟资助项目公示");
    expect(all).toContain(f.proposals[0]!.referenceNo!);
    expect(all).toContain(f.organizations[1]!.name);
    expect(all).toContain("¥10,000.00");
    expect(all).toContain(f.root.nameZh ?? "");
    expect(all).toContain("第1页/共1页");

    // deterministic: the same data gives the same bytes and ETag; a signed-in reader gets the same
    const again = await get(noticePdfRoute, anonymous(path), { code: f.round.code });
    expect(again.headers.get("etag")).toBe(r.headers.get("etag"));
    expect(Buffer.from(await bytesOf(again)).equals(Buffer.from(bytes))).toBe(true);
    const reader = await person();
    expect((await get(noticePdfRoute, await signedInRequest(reader.id, path), { code: f.round.code })).status).toBe(200);
    expect(await downloads(f.round.code)).toEqual([]);

    // a change of the data changes the document
    await db().award.updateMany({ where: { proposalId: f.proposals[0]!.id }, data: { awardFen: 900_000 } });
    const changed = await get(noticePdfRoute, anonymous(path), { code: f.round.code });
    expect(changed.headers.get("etag")).not.toBe(r.headers.get("etag"));
    expect((await text(changed)).replace(/\s+/g, "")).toContain("¥9,000.00");

    expect((await get(noticePdfRoute, anonymous("/rounds/NOPE/notice.pdf"), { code: `NOPE${uid()}` })).status).toBe(404);
  });
});

describe("the proposal as filed (申报书)", () => {
  it("is for the organization's members and the round's officials, 404 for anyone else and for a draft; each download audited", async () => {
    const f = await round();
    const p = f.proposals[0]!;
    const path = `/proposals/${p.id}/proposal.pdf`;
    const hash = (await db().proposal.findUniqueOrThrow({ where: { id: p.id } })).snapshotSha256!;

    for (const who of [f.applicants[0]!, f.official]) {
      const r = await get(proposalPdfRoute, await signedInRequest(who.id, path), { id: p.id });
      expect(r.status).toBe(200);
      expect(r.headers.get("content-disposition")).toContain(`filename*=UTF-8''${p.referenceNo}-${encodeURIComponent("申报书")}.pdf`);
      expect(r.headers.get("cache-control")).toBe("private, no-store");
      const pages = await pdfPages(await bytesOf(r));
      for (const page of pages) {
        expect(page.replace(/\s+/g, "")).toContain(p.referenceNo!);
        expect(page).toContain(hash);
      }
      expect(pages.join("\n")).toContain("评审项目1");
    }
    const audited = await downloads(p.id);
    expect(audited.map((a) => a.actorId).sort()).toEqual([f.applicants[0]!.id, f.official.id].sort());
    expect(audited[0]).toMatchObject({ objectType: "Proposal", after: { document: "proposal", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    const nobody = await person();
    for (const who of [f.applicants[1]!, f.stranger, nobody]) expect((await get(proposalPdfRoute, await signedInRequest(who.id, path), { id: p.id })).status).toBe(404);
    expect(await downloads(p.id)).toHaveLength(2);

    // a draft has not been filed: no document, not even for its members
    const draft = await db().proposal.create({ data: { roundId: f.round.id, organizationId: f.organizations[0]!.id, createdById: f.applicants[0]!.id, title: "草稿" } });
    expect((await get(proposalPdfRoute, await signedInRequest(f.applicants[0]!.id, `/proposals/${draft.id}/proposal.pdf`), { id: draft.id })).status).toBe(404);
  });
});

describe("the officials' screening and results sheets", () => {
  it("are for the round's officials only (403 for others); each download audited", async () => {
    const f = await round();
    const screener = await person([{ role: "OFFICIAL", area: f.root }], { name: `审查人${uid().slice(0, 4)}` });
    await db().proposal.update({ where: { id: f.proposals[1]!.id }, data: { status: "INELIGIBLE", screeningReason: "预算超出上限", screenedAt: new Date("2026-03-05T02:00:00Z"), screenedById: screener.id } });
    const code = f.round.code;

    const screening = await get(screeningPdfRoute, await signedInRequest(f.official.id, `/admin/rounds/${code}/screening.pdf`), { code });
    expect(screening.status).toBe(200);
    expect(screening.headers.get("content-disposition")).toContain(`filename*=UTF-8''${code}-${encodeURIComponent("资格审查结果")}.pdf`);
    const s = (await text(screening)).replace(/\s+/g, "");
    for (const x of [f.proposals[0]!.referenceNo!, f.proposals[1]!.referenceNo!, "预算超出上限", screener.name, "资格审查未通过"]) expect(s).toContain(x);

    const results = await get(resultsPdfRoute, await signedInRequest(f.official.id, `/admin/rounds/${code}/results.pdf`), { code });
    expect(results.status).toBe(200);
    expect(results.headers.get("content-disposition")).toContain(`filename*=UTF-8''${code}-${encodeURIComponent("排名及资助结果")}.pdf`);
    const r = (await text(results)).replace(/\s+/g, "");
    expect(r).toContain(f.proposals[0]!.referenceNo!);
    expect(r).toContain("未公示");

    for (const who of [f.stranger, f.applicants[0]!]) {
      expect((await get(screeningPdfRoute, await signedInRequest(who.id, `/admin/rounds/${code}/screening.pdf`), { code })).status).toBe(403);
      expect((await get(resultsPdfRoute, await signedInRequest(who.id, `/admin/rounds/${code}/results.pdf`), { code })).status).toBe(403);
    }
    const audited = await downloads(code);
    expect(audited.map((a) => (a.after as { document: string }).document).sort()).toEqual(["results", "screening"]);
    expect(audited.every((a) => a.actorId === f.official.id && a.objectType === "Round")).toBe(true);
  });
});

describe("the pages link their documents", () => {
  it("the notice page, the submitted proposal's page, and the screening and results pages", async () => {
    const f = await round();
    await publish(f);
    const code = f.round.code;
    const p = f.proposals[0]!;
    const page = async (route: { loader: unknown; default: unknown }, userId: string | null, path: string, params: Record<string, string>) => {
      const request = userId ? await signedInRequest(userId, path) : anonymous(path);
      const data = await (route.loader as Loader)({ request, params, context: {} });
      return renderRoute(route.default as never, data);
    };
    expect(await page(noticeRoute, null, `/rounds/${code}/notice`, { code })).toContain(`href="/rounds/${code}/notice.pdf"`);
    expect(await page(proposalRoute, f.applicants[0]!.id, `/proposals/${p.id}`, { id: p.id })).toContain(`href="/proposals/${p.id}/proposal.pdf"`);
    expect(await page(screeningRoute, f.official.id, `/admin/rounds/${code}/screening`, { code })).toContain(`href="/admin/rounds/${code}/screening.pdf"`);
    expect(await page(resultsRoute, f.official.id, `/admin/rounds/${code}/results`, { code })).toContain(`href="/admin/rounds/${code}/results.pdf"`);
  });
});
