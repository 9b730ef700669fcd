import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { shanghaiDay } from "~/domain/monitoring";
import { ensureDatabase, migrate, MIGRATIONS_DIR, readMigrations, withDatabase } from "~/lib/migrate.server";
import { dashboard } from "~/services/areas/dashboard.server";
import { ledgerChecks, projectLedgerChecks, verifyLedger, verifyLedgerIn } from "~/services/books/ledger-verify.server";
import { drawCallSample, recordCall } from "~/services/projects/callbacks.server";
import { decideExpense, resubmitExpense, submitExpense } from "~/services/projects/expenses.server";
import { approveRelease, prepareRelease } from "~/services/projects/projects.server";
import { listPublicProjects, parsePublicProjectQuery, publicProject } from "~/services/public/project-public.server";
import { seedSubdistrict } from "../../scripts/bench-dashboard";
import { db, uid } from "../support/db";
import { fundedProject } from "../support/project-fixture";

/**
 * The projects' running totals (ProjectTotal, BudgetLineTotal; docs/decisions/021): kept by
 * triggers on Tranche and Expense in the statement that moves them, whoever writes it; read by the
 * dashboard and the public project pages; checked by ledger:verify; backfilled by their migration.
 */

function pdf(text: string) {
  const body = `%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
  return new File([new TextEncoder().encode(body)], "receipt.pdf", { type: "application/pdf" });
}

const today = () => shanghaiDay(new Date());
const version = async (id: string) => (await db().expense.findUniqueOrThrow({ where: { id } })).version;

/** A project's totals as stored (zeros when it has none yet) and as its rows give them. */
async function totalsOf(projectId: string) {
  const t = await db().projectTotal.findUnique({ where: { projectId } });
  const lines = await db().budgetLineTotal.findMany({ where: { projectId }, orderBy: { budgetLineId: "asc" } });
  const stored = {
    releasedFen: Number(t?.releasedFen ?? 0),
    releasedTranches: t?.releasedTranches ?? 0,
    spentFen: Number(t?.spentFen ?? 0),
    approvedExpenses: t?.approvedExpenses ?? 0,
    offBudgetFen: Number(t?.offBudgetFen ?? 0),
    offBudgetExpenses: t?.offBudgetExpenses ?? 0,
    calls: [t?.callsSatisfied ?? 0, t?.callsPartly ?? 0, t?.callsNotSatisfied ?? 0, t?.callsUnreached ?? 0, t?.callsPending ?? 0],
    lines: Object.fromEntries(lines.filter((l) => l.approvedExpenses !== 0 || l.spentFen !== 0n).map((l) => [l.budgetLineId, [Number(l.spentFen), l.approvedExpenses]])),
  };
  const released = await db().tranche.aggregate({ where: { projectId, status: "RELEASED" }, _sum: { amountFen: true }, _count: { _all: true } });
  const approved = await db().expense.groupBy({ by: ["budgetLineId"], where: { projectId, status: "APPROVED" }, _sum: { amountFen: true }, _count: { _all: true } });
  const off = approved.find((a) => a.budgetLineId === null);
  const calls = await db().callRecord.groupBy({ by: ["outcome"], where: { sample: { projectId } }, _count: { _all: true } });
  const called = (outcome: string | null) => calls.find((c) => c.outcome === outcome)?._count._all ?? 0;
  const summed = {
    releasedFen: released._sum.amountFen ?? 0,
    releasedTranches: released._count._all,
    spentFen: approved.reduce((s, a) => s + (a._sum.amountFen ?? 0), 0),
    approvedExpenses: approved.reduce((s, a) => s + a._count._all, 0),
    offBudgetFen: off?._sum.amountFen ?? 0,
    offBudgetExpenses: off?._count._all ?? 0,
    calls: [called("SATISFIED"), called("PARTLY"), called("NOT_SATISFIED"), called("UNREACHED"), called(null)],
    lines: Object.fromEntries(approved.filter((a) => a.budgetLineId !== null).map((a) => [a.budgetLineId!, [a._sum.amountFen ?? 0, a._count._all]])),
  };
  return { stored, summed };
}

describe("project running totals", () => {
  it("follow a tranche released through the ledger (four eyes), and the dashboard and public pages show them", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const first = f.project.tranches[0]!;
    expect((await totalsOf(f.project.id)).stored).toMatchObject({ releasedFen: 0, releasedTranches: 0 });

    expect(await prepareRelease(f.official, ref, { trancheId: first.id, transferRef: "TR-TOTAL-01" })).toEqual({ ok: true });
    // prepared is not paid
    expect((await totalsOf(f.project.id)).stored).toMatchObject({ releasedFen: 0, releasedTranches: 0 });
    expect(await approveRelease(f.official2, ref, { trancheId: first.id })).toEqual({ ok: true });
    const after = await totalsOf(f.project.id);
    expect(after.stored).toMatchObject({ releasedFen: first.amountFen, releasedTranches: 1 });
    expect(after.stored).toEqual(after.summed);

    expect((await dashboard(f.official, {})).total).toMatchObject({ projects: 1, releasedFen: first.amountFen, spentFen: 0 });
    const listed = await listPublicProjects(parsePublicProjectQuery(new URLSearchParams({ q: ref })));
    expect(listed.items.map((p) => [p.referenceNo, p.releasedFen])).toEqual([[ref, first.amountFen]]);
    expect((await publicProject(ref)).project.releasedFen).toBe(first.amountFen);
  });

  it("follow expenses: submitted and returned ones count for nothing; approved ones count once, on their line or off budget", async () => {
    const f = await fundedProject();
    const p = f.project;
    const ref = p.referenceNo;
    const [line1, line2, line3] = p.budgetLines;
    const submit = async (amount: string, budgetLineId: string, text: string) => {
      const r = await submitExpense(f.grantee, ref, { spentOn: today(), payee: "平湖文具店", amount, budgetLineId, description: "" }, [pdf(text)]);
      return r.ok ? r.expenseId : "";
    };
    const e1 = await submit("1,200.50", line1!.id, "T-1");
    const e2 = await submit("300", "none", "T-2");
    const e3 = await submit("500", line2!.id, "T-3");
    expect((await totalsOf(p.id)).stored).toMatchObject({ spentFen: 0, approvedExpenses: 0, lines: {} });

    expect(await decideExpense(f.official, ref, e1, { decision: "APPROVED", comment: "", version: await version(e1) })).toEqual({ ok: true });
    expect(await decideExpense(f.official, ref, e2, { decision: "APPROVED", comment: "", version: await version(e2) })).toEqual({ ok: true });
    // returned: nothing spent
    expect(await decideExpense(f.official, ref, e3, { decision: "RETURNED", comment: "金额有误", version: await version(e3) })).toEqual({ ok: true });
    let t = await totalsOf(p.id);
    expect(t.stored).toEqual({ releasedFen: 0, releasedTranches: 0, spentFen: 150_050, approvedExpenses: 2, offBudgetFen: 30_000, offBudgetExpenses: 1, calls: [0, 0, 0, 0, 0], lines: { [line1!.id]: [120_050, 1] } });
    expect(t.stored).toEqual(t.summed);

    // corrected onto another line and approved: counted once, where it now is
    const fixed = await resubmitExpense(f.grantee, ref, e3, { spentOn: today(), payee: "平湖文具店", amount: "1,000", budgetLineId: line3!.id, description: "更正", version: await version(e3) }, []);
    expect(fixed).toMatchObject({ ok: true });
    expect((await totalsOf(p.id)).stored.spentFen).toBe(150_050);
    expect(await decideExpense(f.official, ref, e3, { decision: "APPROVED", comment: "", version: await version(e3) })).toEqual({ ok: true });
    t = await totalsOf(p.id);
    expect(t.stored).toMatchObject({ spentFen: 250_050, approvedExpenses: 3, lines: { [line1!.id]: [120_050, 1], [line3!.id]: [100_000, 1] } });
    expect(t.stored).toEqual(t.summed);

    // the pages read them
    const page = await publicProject(ref);
    expect(page.budget).toMatchObject({ offBudgetFen: 30_000, spentTotalFen: 250_050 });
    expect(page.budget.lines.map((l) => l.spentFen)).toEqual([120_050, 0, 100_000]);
    expect(page.expenses.total).toBe(3);
    expect((await dashboard(f.official, {})).total).toMatchObject({ spentFen: 250_050, unspentFen: -250_050 });
  });

  it("follow call-backs: a drawn sample's calls wait, a recorded call counts under its outcome (a correction moves it), a deleted sample takes its calls away", async () => {
    const f = await fundedProject();
    const p = f.project;
    const ref = p.referenceNo;
    for (let i = 0; i < 4; i++) {
      await db().beneficiary.create({ data: { projectId: p.id, nameEnc: "x", phoneEnc: "x", phoneHmac: `totals-${i}-${uid()}`, consentAt: new Date(), registeredById: f.grantee.id } });
    }
    const drawn = await drawCallSample(f.official, ref, {});
    expect(drawn).toMatchObject({ ok: true, size: 4 });
    expect((await totalsOf(p.id)).stored.calls).toEqual([0, 0, 0, 0, 4]);
    const calls = await db().callRecord.findMany({ where: { sample: { projectId: p.id } }, orderBy: { id: "asc" } });
    for (const [i, outcome] of (["SATISFIED", "PARTLY", "UNREACHED"] as const).entries()) expect(await recordCall(f.official, ref, { callId: calls[i]!.id, outcome })).toEqual({ ok: true });
    expect((await totalsOf(p.id)).stored.calls).toEqual([1, 1, 0, 1, 1]);
    // corrected: moves from one outcome to the other; a note alone moves nothing
    expect(await recordCall(f.official, ref, { callId: calls[0]!.id, outcome: "NOT_SATISFIED", note: "回访更正" })).toEqual({ ok: true });
    const t = await totalsOf(p.id);
    expect(t.stored.calls).toEqual([0, 1, 1, 1, 1]);
    expect(t.stored).toEqual(t.summed);

    // the pages read them: the public page's counts, the dashboard's satisfaction of the community
    expect((await publicProject(ref)).satisfaction).toEqual({ SATISFIED: 0, PARTLY: 1, NOT_SATISFIED: 1, UNREACHED: 1, pending: 1 });
    const community = (await dashboard(f.official, {})).communities.find((c) => c.areaId === p.communityId)!;
    expect(community).toMatchObject({ callsReached: 2, callsSatisfied: 0, callsPartly: 1, callsNotSatisfied: 1, callsUnreached: 1, satisfaction: 25 });

    // a sample deleted (its calls go with it, when their project can no longer be found from them)
    await db().callSample.deleteMany({ where: { projectId: p.id } });
    const gone = await totalsOf(p.id);
    expect(gone.stored.calls).toEqual([0, 0, 0, 0, 0]);
    expect(gone.stored).toEqual(gone.summed);
  });

  it("follow rows written by SQL: many projects in one statement, an expense moved to another project and line, rows deleted", async () => {
    const f = await fundedProject({ count: 2 });
    const [p1, p2] = f.projects as [(typeof f.projects)[number], (typeof f.projects)[number]];
    const k = uid();
    await db().$executeRaw`
      INSERT INTO "Expense" (id, "projectId", "spentOn", payee, "amountFen", "budgetLineId", status, "submittedById", "updatedAt")
      SELECT ${k} || '-' || p.id || '-' || i, p.id, now(), 'x', 100 * i, CASE WHEN i = 3 THEN NULL ELSE b.id END,
             (CASE WHEN i = 4 THEN 'SUBMITTED' ELSE 'APPROVED' END)::"ExpenseStatus", ${f.grantee.id}, now()
        FROM "Project" p JOIN "ProjectBudgetLine" b ON b."projectId" = p.id AND b.position = 1, generate_series(1, 4) i
       WHERE p.id IN (${p1.id}, ${p2.id})`;
    for (const p of [p1, p2]) {
      const t = await totalsOf(p.id);
      expect(t.stored).toMatchObject({ spentFen: 600, approvedExpenses: 3, offBudgetFen: 300, offBudgetExpenses: 1 });
      expect(t.stored).toEqual(t.summed);
    }
    // an approved expense moved from project 1's first line to project 2's second; another approved; one deleted
    await db().$executeRaw`UPDATE "Expense" SET "projectId" = ${p2.id}, "budgetLineId" = ${p2.budgetLines[1]!.id} WHERE id = ${`${k}-${p1.id}-2`}`;
    await db().$executeRaw`UPDATE "Expense" SET status = 'APPROVED' WHERE id IN (${`${k}-${p1.id}-4`}, ${`${k}-${p2.id}-4`})`;
    await db().$executeRaw`DELETE FROM "Expense" WHERE id = ${`${k}-${p2.id}-1`}`;
    const [t1, t2] = [await totalsOf(p1.id), await totalsOf(p2.id)];
    expect(t1.stored).toMatchObject({ spentFen: 600 - 200 + 400, approvedExpenses: 3 });
    expect(t2.stored).toMatchObject({ spentFen: 600 + 200 + 400 - 100, approvedExpenses: 4, lines: { [p2.budgetLines[0]!.id]: [600, 2], [p2.budgetLines[1]!.id]: [200, 1] } });
    expect(t1.stored).toEqual(t1.summed);
    expect(t2.stored).toEqual(t2.summed);
    // and ledger:verify finds them all in step
    expect((await verifyLedger(db(), { checks: projectLedgerChecks })).problems).toEqual([]);
  });

  it("ledger:verify reports a total changed behind its trigger's back, a missing one, and expenses changed with the triggers off", async () => {
    const f = await fundedProject({ count: 2 });
    const [p1, p2] = f.projects as [(typeof f.projects)[number], (typeof f.projects)[number]];
    const line = p1.budgetLines[0]!;
    await db().tranche.update({ where: { id: p2.tranches[0]!.id }, data: { status: "RELEASED", releasedAt: new Date() } });
    await db().expense.create({ data: { projectId: p1.id, spentOn: new Date(), payee: "x", amountFen: 5_000, budgetLineId: line.id, status: "APPROVED", submittedById: f.grantee.id } });
    const hidden = await db().expense.create({ data: { projectId: p1.id, spentOn: new Date(), payee: "y", amountFen: 700, budgetLineId: null, status: "SUBMITTED", submittedById: f.grantee.id } });
    const rollback = new Error("rolled back on purpose");
    let problems: { kind: string; detail: string }[] = [];
    // tampered in a transaction that is rolled back: the worker's database stays sound
    await db()
      .$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE "ProjectTotal" SET "spentFen" = "spentFen" + 1 WHERE "projectId" = ${p1.id}`;
        await tx.$executeRaw`UPDATE "BudgetLineTotal" SET "approvedExpenses" = "approvedExpenses" + 1 WHERE "budgetLineId" = ${line.id}`;
        await tx.$executeRaw`DELETE FROM "ProjectTotal" WHERE "projectId" = ${p2.id}`;
        await tx.$executeRawUnsafe(`ALTER TABLE "Expense" DISABLE TRIGGER USER`);
        await tx.$executeRaw`UPDATE "Expense" SET status = 'APPROVED' WHERE id = ${hidden.id}`;
        await tx.$executeRawUnsafe(`ALTER TABLE "Expense" ENABLE TRIGGER USER`);
        problems = (await verifyLedgerIn(tx, { checks: projectLedgerChecks })).problems;
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    const of = (kind: string) => problems.filter((p) => p.kind === kind).map((p) => p.detail);
    const FIELDS = "released fen/tranches, spent fen/expenses, off-budget fen/expenses, calls satisfied/partly/not satisfied/unreached/pending";
    expect(of("project-total-mismatch").sort()).toEqual(
      [
        `project ${p1.referenceNo} (${p1.id}): running totals 0/0/5001/1/0/0/0/0/0/0/0; its tranches, expenses and calls give 0/0/5700/2/700/1/0/0/0/0/0 (${FIELDS})`,
        `project ${p2.referenceNo} (${p2.id}): running totals 0/0/0/0/0/0/0/0/0/0/0; its tranches, expenses and calls give ${p2.tranches[0]!.amountFen}/1/0/0/0/0/0/0/0/0/0 (${FIELDS})`,
      ].sort(),
    );
    expect(of("line-total-mismatch")).toEqual([`project ${p1.referenceNo} (${p1.id}), budget line ${line.id}: running total 5000/2; its approved expenses give 5000/1 (fen/expenses)`]);
    // rolled back: sound again
    expect((await verifyLedger(db(), { checks: projectLedgerChecks })).problems).toEqual([]);
    // and `npm run ledger:verify` runs the check
    expect(ledgerChecks.map((c) => c.name)).toContain("project-totals");
  });
});

describe("the project totals' migration", () => {
  const name = `cvp_projtotals_${inject("runId")}_${uid()}`;
  const url = withDatabase(inject("serverUrl"), name);
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  afterAll(async () => {
    fs.rmSync(before, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: withDatabase(inject("serverUrl"), "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("backfills the totals from the tranches, expenses and calls there before it, then the triggers keep them", async () => {
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith("_project_totals"));
    expect(at).toBeGreaterThan(0);
    for (const m of all.slice(0, at)) fs.cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
    await ensureDatabase(withDatabase(inject("serverUrl"), "postgres"), name);
    await migrate(url, { dir: before });

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const sql = async (q: string) => (await c.query(q)).rowCount ?? 0;
    const mismatches = () =>
      c.query(`
        WITH r AS (SELECT "projectId", sum("amountFen") AS fen, count(*) AS n FROM "Tranche" WHERE status = 'RELEASED' GROUP BY 1),
             e AS (SELECT "projectId", sum("amountFen") AS fen, count(*) AS n FROM "Expense" WHERE status = 'APPROVED' GROUP BY 1),
             c AS (SELECT s."projectId", count(*) FILTER (WHERE r.outcome = 'SATISFIED') AS satisfied, count(*) FILTER (WHERE r.outcome = 'UNREACHED') AS unreached,
                          count(*) FILTER (WHERE r.outcome IS NULL) AS pending
                     FROM "CallRecord" r JOIN "CallSample" s ON s.id = r."sampleId" GROUP BY 1)
        SELECT p.id FROM "Project" p LEFT JOIN "ProjectTotal" t ON t."projectId" = p.id
          LEFT JOIN r ON r."projectId" = p.id LEFT JOIN e ON e."projectId" = p.id LEFT JOIN c ON c."projectId" = p.id
         WHERE t."projectId" IS NULL OR t."releasedFen" <> coalesce(r.fen, 0) OR t."releasedTranches" <> coalesce(r.n, 0)
            OR t."spentFen" <> coalesce(e.fen, 0) OR t."approvedExpenses" <> coalesce(e.n, 0)
            OR t."callsSatisfied" <> coalesce(c.satisfied, 0) OR t."callsUnreached" <> coalesce(c.unreached, 0) OR t."callsPending" <> coalesce(c.pending, 0)`);
    try {
      // three projects with tranches (some released), 25 expenses each (most approved) and call-backs, as the dashboard bench seeds them
      await sql(`INSERT INTO "Area" (id, code, "nameZh", "nameEn", level, path) VALUES ('a-root', 'bench', '区', 'District', 'DISTRICT', '/bench/')`);
      await sql(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('u1', 'u1@example.org', 'u', 'x', now())`);
      await seedSubdistrict(sql, { code: "mig", projects: 3 }, "u1");
      await migrate(url);

      expect((await mismatches()).rows).toEqual([]);
      const totals = await c.query(`SELECT count(*)::int AS n, sum("releasedFen")::int AS released, sum("spentFen")::int AS spent, sum("callsSatisfied")::int AS satisfied FROM "ProjectTotal"`);
      expect(totals.rows[0]).toMatchObject({ n: 3 });
      expect(totals.rows[0].released).toBeGreaterThan(0);
      expect(totals.rows[0].spent).toBeGreaterThan(0);
      expect(totals.rows[0].satisfied).toBeGreaterThan(0);
      const lines = await c.query(`
        SELECT count(*)::int AS n FROM "BudgetLineTotal" t
          FULL JOIN (SELECT "projectId", "budgetLineId", sum("amountFen") AS fen, count(*) AS k FROM "Expense" WHERE status = 'APPROVED' AND "budgetLineId" IS NOT NULL GROUP BY 1, 2) s
            ON s."projectId" = t."projectId" AND s."budgetLineId" = t."budgetLineId"
         WHERE t."spentFen" IS DISTINCT FROM s.fen OR t."approvedExpenses" IS DISTINCT FROM s.k`);
      expect(lines.rows[0].n).toBe(0);

      // and the triggers keep them from then on
      await sql(`UPDATE "Expense" SET status = 'APPROVED' WHERE status <> 'APPROVED'`);
      await sql(`UPDATE "Tranche" SET status = 'RELEASED' WHERE status <> 'RELEASED'`);
      await sql(`UPDATE "CallRecord" SET outcome = NULL WHERE outcome = 'SATISFIED'`);
      expect((await mismatches()).rows).toEqual([]);
    } finally {
      await c.end();
    }
  });
});
