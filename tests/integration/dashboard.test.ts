import ExcelJS from "exceljs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { day, rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { freshDatabase } from "../support/fresh-database";
import { fundedProject } from "../support/project-fixture";
import { form, outcome, signedInRequest } from "../support/requests";
import { problem } from "../support/result";
import * as dashboardRoute from "~/routes/admin.dashboard";
import * as exportRoute from "~/routes/admin.dashboard.export";
import { DASHBOARD_SHEETS, dashboardWorkbook } from "~/services/areas/dashboard-export.server";
import { parseCronItems } from "graphile-worker";
import { quarterOf } from "~/domain/org-ranking";
import { dashboard, setRankingWeights } from "~/services/areas/dashboard.server";
import { ORG_RANKINGS_TASK, recomputeRanking, refreshRankings } from "~/services/areas/ranking.server";
import { acceptedPayload, RankingPayload } from "~/services/jobs/access.server";
import { cronItems, runDueJobs, taskList } from "~/services/jobs/registry.server";

const NOW = new Date("2026-11-30T10:00:00+08:00");

/**
 * Four funded projects (¥10,000 each): 1 and 3 in community 1, 2 and 4 in community 2. Project 1
 * had its first tranche released and ¥1,000 of expenses approved; call-backs on project 1; two
 * open alerts; reports in 2026-Q3 that make organization 1 punctual, 2 half, 3 and 4 late.
 */
async function scene() {
  const f = await fundedProject({ count: 4 });
  const [p1, p2, p3, p4] = f.projects as [(typeof f.projects)[number], (typeof f.projects)[number], (typeof f.projects)[number], (typeof f.projects)[number]];
  const first = p1.tranches[0]!;
  await db().tranche.update({ where: { id: first.id }, data: { status: "RELEASED", releasedAt: day("2026-07-01") } });
  await db().expense.create({
    data: { projectId: p1.id, spentOn: day("2026-08-01"), payee: "超市", amountFen: 100_000, budgetLineId: p1.budgetLines[0]!.id, status: "APPROVED", submittedById: f.grantee.id, decidedAt: day("2026-08-02") },
  });
  // a returned expense and a pending one: not spent
  await db().expense.create({ data: { projectId: p1.id, spentOn: day("2026-08-03"), payee: "x", amountFen: 50_000, budgetLineId: null, status: "RETURNED", submittedById: f.grantee.id, decidedAt: day("2026-08-04") } });
  await db().expense.create({ data: { projectId: p3.id, spentOn: day("2026-08-03"), payee: "y", amountFen: 70_000, budgetLineId: p3.budgetLines[0]!.id, status: "SUBMITTED", submittedById: f.grantee.id } });
  // project 2: approved only after being returned once (version 4: submit, return, resubmit, approve)
  await db().expense.create({
    data: { projectId: p2.id, spentOn: day("2026-08-05"), payee: "z", amountFen: 20_000, budgetLineId: p2.budgetLines[0]!.id, status: "APPROVED", version: 4, submittedById: f.grantee.id, decidedAt: day("2026-08-09") },
  });

  // call-backs on project 1: satisfied, partly, not satisfied, unreached
  const sample = await db().callSample.create({ data: { projectId: p1.id, month: "2026-08", seed: "s", size: 4, drawnById: f.official.id } });
  for (const [i, outcome] of (["SATISFIED", "PARTLY", "NOT_SATISFIED", "UNREACHED"] as const).entries()) {
    const b = await db().beneficiary.create({ data: { projectId: p1.id, nameEnc: "x", phoneEnc: "x", phoneHmac: `h${i}-${uid()}`, consentAt: day("2026-07-01"), registeredById: f.grantee.id } });
    await db().callRecord.create({ data: { sampleId: sample.id, beneficiaryId: b.id, outcome, calledById: f.official.id, calledAt: day("2026-08-20") } });
  }

  await db().projectAlert.create({ data: { projectId: p1.id, kind: "OVERDUE", key: `OVERDUE:${p1.milestones[0]!.id}`, subjectId: p1.milestones[0]!.id, params: { position: 1, title: "招募", dueOn: "2026-07-15" } } });
  await db().projectAlert.create({ data: { projectId: p2.id, kind: "OFF_BUDGET", key: "OFF_BUDGET", params: { amountFen: 5_000, count: 1 } } });

  // 2026-Q3 milestones: 1 (07-15) and 2 (09-30)
  const report = (p: typeof p1, position: number, submitted: string) =>
    db().milestoneReport.create({ data: { projectId: p.id, milestoneId: p.milestones[position - 1]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: new Date(submitted) } });
  await report(p1, 1, "2026-07-15T23:00:00+08:00"); // the last hour of the due day: on time
  await report(p1, 2, "2026-09-29T10:00:00+08:00");
  await report(p2, 1, "2026-07-10T10:00:00+08:00");
  await report(p2, 2, "2026-10-01T00:30:00+08:00"); // half an hour late
  await report(p3, 1, "2026-07-16T09:00:00+08:00");
  return { f, p1, p2, p3, p4 };
}

describe("officials' dashboard", () => {
  it("shows a subdistrict official every community's row, money, statuses, alerts, satisfaction and the ranking", async () => {
    const { f, p1 } = await scene();
    const view = await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    expect(view.area.code).toBe(f.root.code);
    expect(view.areas.map((a) => a.code)).toEqual(expect.arrayContaining([f.root.code, f.community1.code, f.community2.code]));
    expect(view.total).toEqual({ projects: 4, allocatedFen: 4_000_000, releasedFen: p1.tranches[0]!.amountFen, spentFen: 120_000, unspentFen: p1.tranches[0]!.amountFen - 120_000 });
    const c1 = view.communities.find((c) => c.code === f.community1.code)!;
    const c2 = view.communities.find((c) => c.code === f.community2.code)!;
    expect(view.communities).toHaveLength(2);
    expect(c1).toMatchObject({ projects: 2, allocatedFen: 2_000_000, spentFen: 100_000, callsReached: 3, callsSatisfied: 1, callsPartly: 1, callsUnreached: 1, satisfaction: 50 });
    expect(c2).toMatchObject({ projects: 2, allocatedFen: 2_000_000, releasedFen: 0, spentFen: 20_000, unspentFen: -20_000, satisfaction: null });
    expect(view.statuses.find((s) => s.status === "ACTIVE")!.projects).toBe(4);
    expect(view.categories.reduce((s, c) => s + c.allocatedFen, 0)).toBe(4_000_000);
    expect(view.alertCounts).toMatchObject({ OVERDUE: 1, OFF_BUDGET: 1 });
    expect(view.alerts.map((a) => a.kind)).toEqual(["OVERDUE", "OFF_BUDGET"]); // most urgent first
    expect(view.alerts[0]!.referenceNo).toBe(p1.referenceNo);
    const filtered = await dashboard(f.official, { kind: "OFF_BUDGET" }, NOW);
    expect(filtered.alerts.map((a) => a.kind)).toEqual(["OFF_BUDGET"]);

    // ranking of 2026-Q3: timeliness 100 / 50 / 0 / 0 (org 4 reported nothing; the quarter is over)
    const byOrg = new Map(view.ranking.map((r) => [r.organizationId, r]));
    const [o1, o2, o3, o4] = f.organizations.map((o) => byOrg.get(o.id)!);
    expect(o1!.components.timeliness).toBe(100);
    expect(o2!.components.timeliness).toBe(50);
    expect(o3!.components.timeliness).toBe(0);
    expect(o4!.components.timeliness).toBe(0);
    // org 1: compliance 100000 / 150000 decided in Q3 (the returned one counts against), satisfaction 50
    expect(o1!.components.compliance).toBe(66.7);
    expect(o1!.components.satisfaction).toBe(50);
    // org 2's only decided expense was returned before it was approved
    expect(o2!.components.compliance).toBe(0);
    // org 3 left milestone 2 (due 09-30) unreported: compliance without data is scored as worst
    expect(o3!.components.compliance).toBe(0);
    expect(o3!.missing).toEqual(["compliance", "satisfaction"]);
    expect(o1!.rank).toBe(1);
    expect(view.ranking.filter((r) => r.flagged).map((r) => r.organizationId).sort()).toEqual([o2!.organizationId, o3!.organizationId, o4!.organizationId].sort());
    expect(view.flagged).toHaveLength(3);
  });

  it("shows a community official only their own community; others' areas and outsiders get 403", async () => {
    const { f } = await scene();
    const view = await dashboard(f.communityOfficial, {}, NOW);
    expect(view.area.code).toBe(f.community1.code);
    expect(view.areas.map((a) => a.code)).toEqual([f.community1.code]);
    expect(view.communities.map((c) => c.code)).toEqual([f.community1.code]);
    expect(view.total.projects).toBe(2);
    expect(view.alerts.map((a) => a.kind)).toEqual(["OVERDUE"]);
    expect(view.canSetWeights).toBe(false);
    await rejectsWithStatus(dashboard(f.communityOfficial, { area: f.root.code }, NOW), 403);
    await rejectsWithStatus(dashboard(f.communityOfficial, { area: f.community2.code }, NOW), 403);
    await rejectsWithStatus(dashboard(f.outsider, { area: f.root.code }, NOW), 403);
    await rejectsWithStatus(dashboard(f.nobody, {}, NOW), 403);
    await rejectsWithStatus(dashboard(f.grantee, {}, NOW), 403);
    await rejectsWithStatus(dashboard(f.official, { area: "no-such-area" }, NOW), 404);
    // the subdistrict official may open a community's dashboard
    expect((await dashboard(f.official, { area: f.community2.code }, NOW)).communities.map((c) => c.code)).toEqual([f.community2.code]);
  });

  it("lets a subdistrict official set the ranking weights (validated, audited); community officials cannot", async () => {
    const { f } = await scene();
    const bad = await setRankingWeights(f.official, f.root.code, { timeliness: "50", compliance: "30", satisfaction: "20", evaluation: "20" });
    expect(bad).toEqual(problem(400, ["dashboard.weights.sum"]));
    expect(await setRankingWeights(f.official, f.root.code, { timeliness: "70", compliance: "10", satisfaction: "10", evaluation: "10" })).toEqual({ ok: true });
    const area = await db().area.findUniqueOrThrow({ where: { id: f.root.id } });
    expect(area.rankingWeights).toEqual({ timeliness: 70, compliance: 10, satisfaction: 10, evaluation: 10 });
    const log = await db().auditLog.findFirstOrThrow({ where: { objectType: "Area", objectId: f.root.id, action: "area.rankingWeights" } });
    expect(log.actorId).toBe(f.official.id);
    // the community inherits the subdistrict's weights
    const community = await dashboard(f.communityOfficial, { quarter: "2026-Q3" }, NOW);
    expect(community.weights).toEqual({ timeliness: 70, compliance: 10, satisfaction: 10, evaluation: 10 });
    expect(community.customWeights).toBe(true);
    await rejectsWithStatus(setRankingWeights(f.communityOfficial, f.root.code, { timeliness: "25", compliance: "25", satisfaction: "25", evaluation: "25" }), 403);
    await rejectsWithStatus(setRankingWeights(f.official, f.community1.code, { timeliness: "25", compliance: "25", satisfaction: "25", evaluation: "25" }), 403);
    await rejectsWithStatus(setRankingWeights(f.outsider, f.root.code, { timeliness: "25", compliance: "25", satisfaction: "25", evaluation: "25" }), 403);
    expect(await setRankingWeights(f.official, f.root.code, {}, true)).toEqual({ ok: true });
    expect((await db().area.findUniqueOrThrow({ where: { id: f.root.id } })).rankingWeights).toBeNull();
  });

  it("exports an XLSX workbook with the five sheets, for officials of the area only", async () => {
    const { f, p1 } = await scene();
    const { buffer, filename } = await dashboardWorkbook(f.official, { area: f.root.code, quarter: "2026-Q3" }, "zh-CN", NOW);
    expect(filename).toBe(`dashboard-${f.root.code}-2026-Q3.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([...DASHBOARD_SHEETS]);
    const values = (name: string) => book.getWorksheet(name)!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const communities = values("communities");
    expect(communities[0]![0]).toBe("community");
    expect(communities.map((r) => r[0])).toEqual(expect.arrayContaining([f.community1.nameZh, f.community2.nameZh, "合计"]));
    const projects = values("projects");
    expect(projects).toHaveLength(5);
    expect(projects.find((r) => r[0] === p1.referenceNo)).toEqual(expect.arrayContaining([p1.referenceNo, "实施中", 10000, 1000]));
    expect(values("alerts")).toHaveLength(3);
    expect(values("ranking")).toHaveLength(5);
    expect(values("ranking").filter((r) => r[r.length - 3] === "排名后三位")).toHaveLength(3);
    // the community official's workbook covers their community only
    const own = await dashboardWorkbook(f.communityOfficial, { area: f.community1.code }, "en", NOW);
    const ownBook = new ExcelJS.Workbook();
    await ownBook.xlsx.load(own.buffer as unknown as ArrayBuffer);
    expect(ownBook.getWorksheet("projects")!.rowCount).toBe(3);
    await rejectsWithStatus(dashboardWorkbook(f.communityOfficial, { area: f.root.code }, "zh-CN", NOW), 403);
    await rejectsWithStatus(dashboardWorkbook(f.outsider, { area: f.root.code }, "zh-CN", NOW), 403);
  });

  it("routes: the page loads and renders on the server (tables present), the form keeps what was typed, the export answers XLSX", async () => {
    const { f, p1 } = await scene();
    const args = (request: Request) => ({ request, params: {}, context: {} }) as never;
    const loaded = await outcome(async () => dashboardRoute.loader(args(await signedInRequest(f.official.id, `/admin/dashboard?area=${f.root.code}&quarter=2026-Q3`))));
    expect(loaded.status).toBe(200);
    // server-side render: the charts wait for the browser, the tables carry every figure
    const loaderData = loaded.value as Awaited<ReturnType<typeof dashboardRoute.loader>>;
    const Stub = createRoutesStub([{ id: "dashboard", path: "/admin/dashboard", Component: dashboardRoute.default as never }]);
    const html = renderToString(createElement(Stub, { initialEntries: ["/admin/dashboard"], hydrationData: { loaderData: { dashboard: loaderData } } }));
    expect(html).toContain('data-testid="dashboard-communities"');
    expect(html).toContain(f.community1.nameZh);
    expect(html).toContain(p1.referenceNo);
    expect(html).toContain(`href="/projects/${p1.referenceNo}/reports"`);
    expect(html).toContain('data-testid="ranking-flagged"');
    // the organizations that left milestones unreported say which measures were scored as missing; the tie rule is stated
    expect(html).toContain('data-testid="ranking-missing"');
    expect(html).toContain('data-testid="ranking-tie-rule"');
    expect(html).toContain('data-testid="weights-form"');

    expect((await outcome(async () => dashboardRoute.loader(args(await signedInRequest(f.communityOfficial.id, `/admin/dashboard?area=${f.root.code}`)))))).toMatchObject({ status: 403 });
    expect((await outcome(async () => dashboardRoute.loader(args(await signedInRequest(f.outsider.id, `/admin/dashboard?area=${f.root.code}`)))))).toMatchObject({ status: 403 });
    expect((await outcome(async () => dashboardRoute.loader(args(await signedInRequest(f.nobody.id, "/admin/dashboard")))))).toMatchObject({ status: 403 });

    const fields = { area: f.root.code, intent: "weights", timeliness: "40", compliance: "40", satisfaction: "20", evaluation: "20" };
    const bad = await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.official.id, "/admin/dashboard", form(fields)))));
    // data(…, { status: 400 }) is returned, not thrown: the weights form shows the problem and keeps the numbers typed
    expect(bad.value).toMatchObject({
      init: { status: 400 },
      data: { intent: "weights", result: { status: "error", error: { "": ["dashboard.weights.sum"] }, initialValue: { timeliness: "40", compliance: "40" } } },
    });
    // a field left empty is refused next to that field before the service is asked
    const shown = renderToString(
      createElement(createRoutesStub([{ id: "dashboard", path: "/admin/dashboard", Component: dashboardRoute.default as never, action: () => null }]), {
        initialEntries: ["/admin/dashboard"],
        hydrationData: { loaderData: { dashboard: loaderData }, actionData: { dashboard: (bad.value as { data: unknown }).data } },
      }),
    );
    expect(shown).toContain("四项权重合计必须为 100。");
    expect(shown).toMatch(/name="timeliness"[^>]*value="40"/);
        const empty = await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.official.id, "/admin/dashboard", form({ ...fields, evaluation: "" })))));
    expect(empty.value).toMatchObject({ init: { status: 400 }, data: { intent: "weights", result: { error: { evaluation: ["validation.required"] } } } });
    const good = await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.official.id, "/admin/dashboard", form({ ...fields, timeliness: "20" })))));
    expect(good).toMatchObject({ status: 302, location: `/admin/dashboard?area=${f.root.code}&done=weights#ranking` });

    const xlsx = await exportRoute.loader(args(await signedInRequest(f.official.id, `/admin/dashboard/export?area=${f.root.code}&quarter=2026-Q3`)));
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual([...DASHBOARD_SHEETS]);
    expect((await outcome(async () => exportRoute.loader(args(await signedInRequest(f.outsider.id, `/admin/dashboard/export?area=${f.root.code}`)))))).toMatchObject({ status: 403 });
  });
});

describe("the stored quarterly ranking", () => {
  const stored = (areaId: string, quarter: string) => db().orgRanking.findUnique({ where: { areaId_quarter: { areaId, quarter } } });
  const timelinessOf = (rows: { organizationId: string; components: { timeliness: number | null } }[], orgId: string) => rows.find((r) => r.organizationId === orgId)!.components.timeliness;

  it("is computed and stored by the first view, then shown as stored until an official recomputes it (audited)", async () => {
    const { f, p4 } = await scene();
    const org4 = f.organizations[3]!.id;
    const first = await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    const row = await stored(f.root.id, "2026-Q3");
    expect(row).toMatchObject({ weights: { timeliness: 30, compliance: 30, satisfaction: 20, evaluation: 20 }, asOf: NOW });
    expect((row!.rows as unknown[]).length).toBe(4);
    expect(first.rankingComputedAt).toBe(row!.computedAt.toISOString());
    expect(first.rankingRunning).toBe(false);
    expect(timelinessOf(first.ranking, org4)).toBe(0);

    // organization 4 reports milestone 1 on time after all: the stored ranking does not move by itself
    await db().milestoneReport.create({ data: { projectId: p4.id, milestoneId: p4.milestones[0]!.id, status: "SUBMITTED", authorId: f.grantee.id, submittedAt: new Date("2026-07-14T10:00:00+08:00") } });
    const second = await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    expect(timelinessOf(second.ranking, org4)).toBe(0);
    expect(second.rankingComputedAt).toBe(first.rankingComputedAt);

    // recompute now: officials of the area only, quarters that have begun only
    await rejectsWithStatus(recomputeRanking(f.communityOfficial, f.root.code, "2026-Q3", NOW), 403);
    await rejectsWithStatus(recomputeRanking(f.outsider, f.root.code, "2026-Q3", NOW), 403);
    expect(await recomputeRanking(f.official, f.root.code, "2027-Q1", NOW)).toEqual(problem(400, ["dashboard.recompute.quarter"]));
    expect(await recomputeRanking(f.official, f.root.code, "2026-Q9", NOW)).toEqual(problem(400, ["dashboard.recompute.quarter"]));
    const done = await recomputeRanking(f.official, f.root.code, "2026-Q3", NOW);
    expect(done).toMatchObject({ ok: true });
    const third = await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    expect(timelinessOf(third.ranking, org4)).toBe(50);
    expect(third.rankingComputedAt).toBe(done.ok ? done.computedAt : "");
    const log = await db().auditLog.findFirstOrThrow({ where: { objectType: "Area", objectId: f.root.id, action: "area.rankingRecompute" } });
    expect(log.actorId).toBe(f.official.id);
    expect(log.before).toMatchObject({ quarter: "2026-Q3", computedAt: row!.computedAt.toISOString() });
    expect(log.after).toMatchObject({ quarter: "2026-Q3", organizations: 4, ranked: 4, weights: { timeliness: 30 } });
    // a community official recomputes their own community's
    expect(await recomputeRanking(f.communityOfficial, f.community1.code, "2026-Q3", NOW)).toMatchObject({ ok: true });
    expect(await stored(f.community1.id, "2026-Q3")).not.toBeNull();
  });

  it("is computed again when the weights change (the view at once, the job for the areas below) and when its quarter has ended", async () => {
    const { f } = await scene();
    await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    await dashboard(f.communityOfficial, { quarter: "2026-Q3" }, NOW);
    expect((await stored(f.community1.id, "2026-Q3"))!.weights).toMatchObject({ timeliness: 30 });

    const weights = { timeliness: 70, compliance: 10, satisfaction: 10, evaluation: 10 };
    expect(await setRankingWeights(f.official, f.root.code, { timeliness: "70", compliance: "10", satisfaction: "10", evaluation: "10" })).toEqual({ ok: true });
    const jobs = await db().$queryRaw<{ payload: unknown }[]>`SELECT payload FROM graphile_worker._private_jobs WHERE key = ${`org-rankings:area:${f.root.id}`}`;
    expect(jobs.map((j) => j.payload)).toEqual([{ areaId: f.root.id }]);
    // the view does not wait for the job: it finds the stored ranking out of date and computes its own
    const view = await dashboard(f.official, { quarter: "2026-Q3" }, NOW);
    expect(view.weights).toEqual(weights);
    expect((await stored(f.root.id, "2026-Q3"))!.weights).toEqual(weights);
    expect(view.ranking.find((r) => r.organizationId === f.organizations[0]!.id)!.combined).toBe(
      // org 1: timeliness 100, compliance 66.7, satisfaction 50, no evaluation
      Math.round(((70 * 100 + 10 * 66.7 + 10 * 50) / 90) * 10) / 10,
    );
    // the job brings the community's stored ranking (it inherits the weights) up to date
    expect(await refreshRankings({ areaId: f.root.id }, NOW)).toEqual({ computed: 1 });
    expect((await stored(f.community1.id, "2026-Q3"))!.weights).toEqual(weights);
    expect(await refreshRankings({ areaId: f.root.id }, NOW)).toEqual({ computed: 0 });

    // computed while 2026-Q4 runs; shown as stored while it runs, computed again once it has ended
    const running = await dashboard(f.official, { quarter: "2026-Q4" }, NOW);
    expect(running.rankingRunning).toBe(true);
    expect((await stored(f.root.id, "2026-Q4"))!.asOf).toEqual(NOW);
    expect((await dashboard(f.official, { quarter: "2026-Q4" }, new Date("2026-12-20T10:00:00+08:00"))).rankingComputedAt).toBe(running.rankingComputedAt);
    const after = new Date("2027-01-02T10:00:00+08:00");
    const closed = await dashboard(f.official, { quarter: "2026-Q4" }, after);
    expect(closed.rankingRunning).toBe(false);
    expect((await stored(f.root.id, "2026-Q4"))!.asOf).toEqual(after);
    // a quarter that has not begun is shown empty and never stored
    expect((await dashboard(f.official, { quarter: "2027-Q2" }, NOW)).ranking.every((r) => r.rank === null)).toBe(true);
    expect(await stored(f.root.id, "2027-Q2")).toBeNull();
  });

  it("is computed by the job: the quarter just closed on its first day, the running quarter every night", async () => {
    // on a database of its own: the job ranks every area that has projects, and the worker's
    // shared database holds the areas of every other file it ran, which would make this test's
    // work grow with theirs
    const fresh = await freshDatabase("rankjob");
    const workerUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = fresh.url; // db() and the job runner follow DATABASE_URL
    try {
      const { f } = await scene();
      const items = parseCronItems(cronItems).filter((i) => i.task === ORG_RANKINGS_TASK);
      const matching = (iso: string) => {
        const d = new Date(iso);
        return items.filter((i) => i.match({ min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() })).map((i) => i.payload);
      };
      expect(taskList[ORG_RANKINGS_TASK]).toBeTypeOf("function");
      // 00:30 in Asia/Shanghai on 1 January, April, July and October
      for (const iso of ["2026-12-31T16:30:00Z", "2026-03-31T16:30:00Z", "2026-06-30T16:30:00Z", "2026-09-30T16:30:00Z"]) expect(matching(iso)).toEqual([{ period: "closed" }]);
      for (const iso of ["2026-03-30T16:30:00Z", "2026-04-30T16:30:00Z", "2026-12-31T16:31:00Z"]) expect(matching(iso)).toEqual([]);
      // 04:00 in Asia/Shanghai, every day
      expect(matching("2026-11-29T20:00:00Z")).toEqual([{ period: "current" }]);
      expect(acceptedPayload(ORG_RANKINGS_TASK, RankingPayload, { period: "closed", _cron: { ts: "x", backfilled: false } })).toEqual({ period: "closed" });
      expect(acceptedPayload(ORG_RANKINGS_TASK, RankingPayload, { period: "yesterday" })).toBeNull();
      expect(acceptedPayload(ORG_RANKINGS_TASK, RankingPayload, { areaId: 5 })).toBeNull();

      // the first day of 2026-Q4: 2026-Q3 for the subdistrict and both communities
      const closing = new Date("2026-10-01T00:30:00+08:00");
      await refreshRankings({ period: "closed" }, closing);
      for (const area of [f.root, f.community1, f.community2]) expect(await stored(area.id, "2026-Q3")).toMatchObject({ asOf: closing });
      const q3 = (await stored(f.root.id, "2026-Q3"))!.computedAt;
      // a night in 2026-Q4: the running quarter; 2026-Q3, closed already, stays as it is
      await refreshRankings({ period: "current" }, NOW);
      for (const area of [f.root, f.community1, f.community2]) expect(await stored(area.id, "2026-Q4")).toMatchObject({ asOf: NOW });
      expect((await stored(f.root.id, "2026-Q3"))!.computedAt).toEqual(q3);
      // a night after a closing run was missed: the closed quarter too
      await db().orgRanking.deleteMany({ where: { areaId: f.community2.id, quarter: "2026-Q3" } });
      await refreshRankings({ period: "current" }, NOW);
      expect(await stored(f.community2.id, "2026-Q3")).toMatchObject({ asOf: NOW });
      expect((await stored(f.root.id, "2026-Q3"))!.computedAt).toEqual(q3);

      // and as the worker runs it
      await db().orgRanking.deleteMany({ where: { areaId: f.root.id } });
      await db().$executeRaw`SELECT graphile_worker.add_job(${ORG_RANKINGS_TASK}::text, json_build_object('period', 'current'))`;
      await runDueJobs();
      expect(await stored(f.root.id, quarterOf(new Date()))).not.toBeNull();
    } finally {
      await db().$disconnect();
      process.env.DATABASE_URL = workerUrl;
      await fresh.drop();
    }
  });

  it("routes: the page says when the ranking was computed and offers recompute with a confirmation; the action recomputes and comes back", async () => {
    const { f } = await scene();
    const args = (request: Request) => ({ request, params: {}, context: {} }) as never;
    const loaded = await outcome(async () => dashboardRoute.loader(args(await signedInRequest(f.official.id, `/admin/dashboard?area=${f.root.code}&quarter=2026-Q3`))));
    const loaderData = loaded.value as Awaited<ReturnType<typeof dashboardRoute.loader>>;
    const Stub = createRoutesStub([{ id: "dashboard", path: "/admin/dashboard", Component: dashboardRoute.default as never }]);
    const html = renderToString(createElement(Stub, { initialEntries: ["/admin/dashboard"], hydrationData: { loaderData: { dashboard: loaderData } } }));
    expect(html).toContain('data-testid="ranking-computed"');
    expect(html).toContain("排名计算于");
    expect(html).toContain("立即重新计算排名");
    expect(html).toMatch(/value="recompute"[^>]*name="intent"/);
    expect(html).toMatch(/name="quarter" value="2026-Q3"/);

    const before = (await stored(f.root.id, "2026-Q3"))!.computedAt;
    const done = await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.official.id, "/admin/dashboard", form({ intent: "recompute", area: f.root.code, quarter: "2026-Q3" })))));
    expect(done).toMatchObject({ status: 302, location: `/admin/dashboard?area=${f.root.code}&quarter=2026-Q3&done=recompute#ranking` });
    expect((await stored(f.root.id, "2026-Q3"))!.computedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await db().auditLog.count({ where: { objectId: f.root.id, action: "area.rankingRecompute" } })).toBe(1);
    const future = await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.official.id, "/admin/dashboard", form({ intent: "recompute", area: f.root.code, quarter: "2099-Q1" })))));
    expect(future.value).toMatchObject({ init: { status: 400 }, data: { intent: "recompute", result: { error: { "": ["dashboard.recompute.quarter"] } } } });
    expect((await outcome(async () => dashboardRoute.action(args(await signedInRequest(f.outsider.id, "/admin/dashboard", form({ intent: "recompute", area: f.root.code, quarter: "2026-Q3" }))))))).toMatchObject({ status: 403 });
  });
});
