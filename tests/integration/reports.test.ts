import { describe, expect, it } from "vitest";
import { db, uid } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { foundationManager } from "../support/giving-fixture";
import { roundMoney, annualMoney } from "~/domain/reports";
import { sha256 } from "~/lib/crypto.server";
import { httpStatusOf } from "~/lib/permissions.server";
import { postTrancheRelease } from "~/services/projects/projects.server";
import { annualReportTarget, publishedReport, publishedReportPdf, publishedReportXlsx, publishReport, reportsOf, roundFigures, roundReportTarget, generateDraft } from "~/services/reports/reports.server";
import { areaShowcase, markShowcase, roundShowcase, withdrawShowcase } from "~/services/reports/showcase.server";
import { correctGift, recordGift, withdrawGift } from "~/services/partners/in-kind.server";
import { createUnit } from "~/services/partners/partners.server";
import { usccCheckChar } from "~/domain/uscc";
import { shanghaiDay } from "~/lib/time";
import crypto from "node:crypto";

/**
 * Round closing reports and foundation annual reports: the figures equal the ledger to the fen;
 * a published report never changes and its PDF is the published bytes on every read; publishing
 * again is a new version; only the round's officials / the foundation's managers generate and
 * publish, each step audited. Showcase cases: a closed project's, public until withdrawn.
 */

/** A fresh, valid 统一社会信用代码 (random body, right check character). */
function newUscc(): string {
  const first17 = `9133${Array.from(crypto.randomBytes(13), (b) => String(b % 10)).join("")}`;
  return first17 + usccCheckChar(first17)!;
}

const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => httpStatusOf(e));
const NOW = new Date("2026-12-03T10:00:00+08:00");

type Fixture = Awaited<ReturnType<typeof fundedProject>>;

/** Pays a tranche as the release does: posted to the ledger, the tranche released. */
async function release(f: Fixture, p: Fixture["projects"][number], t: Fixture["projects"][number]["tranches"][number], at: Date) {
  await db().$transaction(async (tx) => {
    const posted = await postTrancheRelease(tx, { referenceNo: p.referenceNo, awardId: p.awardId, foundationId: f.foundation.id }, t, `BANK-${t.id}`, f.official.id, at);
    await tx.tranche.update({ where: { id: t.id }, data: { status: "RELEASED", releasedAt: at, ledgerTransactionId: posted.transactionId } });
  });
}

/** Two projects, the first with its first tranche paid through the ledger. */
async function fixture() {
  const f = await fundedProject({ count: 2 });
  const p = f.projects[0]!;
  const t = p.tranches[0]!;
  await release(f, p, t, new Date("2026-11-20T10:00:00+08:00"));
  return { f, trancheFen: t.amountFen };
}

/** The sums of the round's accounts' entries, straight from the entries (not the running totals). */
async function entrySums(roundId: string) {
  const rows = await db().$queryRaw<{ accountKind: string; kind: string; fen: bigint }[]>`
    SELECT a.kind::text AS "accountKind", t.kind, SUM(e."amountFen") AS fen
      FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId" JOIN "LedgerTransaction" t ON t.id = e."transactionId"
     WHERE a."ownerId" = ${roundId} OR a."ownerId" IN (SELECT id FROM "Award" WHERE "roundId" = ${roundId})
     GROUP BY 1, 2`;
  return rows.map((r) => ({ accountKind: r.accountKind, kind: r.kind, fen: Number(r.fen) }));
}

describe("a round's closing report", () => {
  it("has the ledger's money to the fen and the projects by state and category", async () => {
    const { f, trancheFen } = await fixture();
    const figures = await roundFigures(f.round.id, NOW);
    expect(figures.roundMoney).toEqual(roundMoney(await entrySums(f.round.id)));
    expect(figures.roundMoney).toMatchObject({ inFen: 5_000_000 + 2 * 1_000_000, committedFen: 2_000_000, paidFen: trancheFen, returnedFen: 0 });
    expect(figures.roundMoney!.heldFen + figures.roundMoney!.outFen + figures.roundMoney!.returnedFen).toBe(figures.roundMoney!.inFen);
    expect(figures.projects).toMatchObject({ total: 2, awardedFen: 2_000_000, releasedFen: trancheFen });
    expect(figures.projects.byStatus.map((s) => [s.key, s.count])).toEqual([["ACTIVE", 2]]);
    expect(figures.projects.byCategory.map((c) => [c.key, c.count])).toEqual([["PUBLIC_SERVICE", 2]]);
  });

  it("counts the area's partner units and in-kind help (a withdrawn gift left out, nothing booked), the trainings held with their attendance, and incubations", async () => {
    const f = await fundedProject({ state: "active" });
    const now = new Date();
    const official = f.communityOfficial;
    const unit = await createUnit(official, f.community1.code, { name: `当湖建设银行${uid()}`, uscc: newUscc(), intro: "驻区单位", contactName: "沈经理", contactPhone: "139 5731 2345", startsOn: "2026-01-01" });
    if (!unit.ok) throw new Error(JSON.stringify(unit));
    const gift = { giver: "UNIT", unitId: unit.id, kind: "GOODS", description: "大米 10 公斤装", quantity: "40", unitLabel: "袋", valuationBasis: "INVOICE", value: "2,400", recipient: "SHOP", receivedOn: shanghaiDay(now) };
    expect((await recordGift(official, f.community1.code, gift)).ok).toBe(true);
    expect((await recordGift(official, f.community1.code, { ...gift, description: "重复登记的大米" })).ok).toBe(true);
    const twice = await db().inKindGift.findFirstOrThrow({ where: { description: "重复登记的大米", areaId: f.community1.id } });
    expect(await withdrawGift(official, f.community1.code, { giftId: twice.id, reason: "重复登记" })).toEqual({ ok: true });
    // a corrected gift counts once, at its corrected value
    const first = await db().inKindGift.findFirstOrThrow({ where: { description: "大米 10 公斤装", areaId: f.community1.id } });
    const corrected = await correctGift(official, f.community1.code, { giftId: first.id, description: "大米 10 公斤装", quantity: "30", valuationBasis: "INVOICE", value: "1,800", recipient: "SHOP", reason: "点货时数量记错" });
    expect(corrected.ok).toBe(true);
    const hour = 3_600_000;
    const training = await db().training.create({
      data: { areaId: f.community1.id, topic: "项目财务管理", trainer: "王老师", place: "社区活动室", startsAt: new Date(now.getTime() - 3 * hour), endsAt: new Date(now.getTime() - hour), capacity: 10, audience: "ALL_ORGANIZATIONS", publishedById: official.id },
    });
    for (const [i, g] of f.grantees.entries()) {
      await db().trainingSignup.create({ data: { trainingId: training.id, userId: g.id, organizationId: f.organizations[i]!.id, attendedAt: new Date(now.getTime() - 2 * hour), attendedVia: "MARKED", markedById: official.id } });
    }
    await db().incubation.create({ data: { organizationId: f.organizations[0]!.id, areaId: f.community1.id, enteredOn: new Date(now.getTime() - 24 * hour), goals: "规范财务", createdById: official.id } });

    const figures = await roundFigures(f.round.id, now);
    expect(figures.partners).toEqual({ unitsPaired: 1, inKindGifts: 1, inKindValuedFen: 180_000, inKindUnvalued: 0, wishesTaken: 0, projectsAdopted: 0 });
    expect(figures.capacity).toEqual({ trainings: 1, attendances: f.grantees.length, organizationsTrained: f.grantees.length, incubating: 1, graduated: 0 });
    // beside the money, never in it: the round's money is what its accounts' entries say
    expect(figures.roundMoney).toEqual(roundMoney(await entrySums(f.round.id)));
  });

  it("counts every in-kind gift of the period however many there are, each current one once", async () => {
    const f = await fundedProject({ state: "active" });
    const now = new Date();
    const official = f.communityOfficial;
    // more gifts than any page of rows: 2,100 valued at ¥1.00 and 30 without a value
    const row = (i: number, valueFen: number | null) => ({
      giverName: "居民", kind: "GOODS" as const, description: `旧衣物 ${i}`, quantity: 1, unitLabel: "袋",
      valuationBasis: valueFen === null ? ("NONE" as const) : ("AGREED" as const), valueFen,
      areaId: f.community1.id, receivedOn: new Date(now.getTime() - 60_000), receivedById: official.id, recordedById: official.id,
    });
    await db().inKindGift.createMany({ data: [...Array.from({ length: 2_100 }, (_, i) => row(i, 100)), ...Array.from({ length: 30 }, (_, i) => row(i, null))] });
    // one of them corrected to ¥5.00: the old row no longer counts, the correction does
    const first = await db().inKindGift.findFirstOrThrow({ where: { areaId: f.community1.id, valueFen: 100 } });
    await db().inKindGift.create({ data: { ...row(-1, 500), supersedesId: first.id, correctionReason: "估值更正" } });

    const figures = await roundFigures(f.round.id, now);
    expect(figures.partners).toMatchObject({ inKindGifts: 2_130, inKindValuedFen: 2_099 * 100 + 500, inKindUnvalued: 30 });
  });

  it("is generated and published by officials of the round's area only, audited; the published PDF is the same bytes on every read", async () => {
    const { f } = await fixture();
    expect(await status(roundReportTarget(f.outsider, f.round.code))).toBe(403);
    expect(await status(roundReportTarget(f.communityOfficial, f.round.code))).toBe(403);
    expect(await status(roundReportTarget(f.official, "NO-SUCH"))).toBe(404);
    const target = await roundReportTarget(f.official, f.round.code);
    const draft = await generateDraft(f.official, target, NOW);
    expect(await db().auditLog.count({ where: { action: "report.generate", objectId: f.round.id, actorId: f.official.id } })).toBe(1);
    expect(await publishReport(f.official, target, { confirm: false }, NOW)).toMatchObject({ ok: false, problem: { status: 400 } });

    const r = await publishReport(f.official, target, { confirm: true }, NOW);
    if (!r.ok) throw new Error("refused");
    expect(r.version).toBe(1);
    const first = await publishedReport(r.number);
    const again = await publishedReport(r.number);
    expect(first.contentHash).toBe(draft.contentHash);
    expect(again.contentHash).toBe(first.contentHash);
    const [pdfA, pdfB] = [await publishedReportPdf(r.number, "zh-CN"), await publishedReportPdf(r.number, "zh-CN")];
    expect(sha256(pdfA.bytes)).toBe(first.pdfSha256);
    expect(sha256(pdfB.bytes)).toBe(first.pdfSha256);
    const xlsx = await publishedReportXlsx(r.number);
    expect(Buffer.from(xlsx.bytes.slice(0, 2)).toString("latin1")).toBe("PK");
    const row = await db().publishedReport.findUniqueOrThrow({ where: { number: r.number }, select: { id: true } });
    expect(await db().auditLog.findFirst({ where: { action: "report.publish", objectId: row.id }, select: { actorId: true, after: true } })).toMatchObject({ actorId: f.official.id, after: { number: r.number, version: 1, contentHash: first.contentHash, pdfSha256: first.pdfSha256 } });
    // never changed
    await expect(db().publishedReport.update({ where: { id: row.id }, data: { contentHash: "x" } })).rejects.toThrow();
    await expect(db().publishedReport.delete({ where: { id: row.id } })).rejects.toThrow();
  });

  it("published again is a new version with its own fingerprint; the earlier one stays listed and says it was superseded", async () => {
    const { f } = await fixture();
    const target = await roundReportTarget(f.official, f.round.code);
    const one = await publishReport(f.official, target, { confirm: true }, NOW);
    const p = f.projects[1]!;
    await release(f, p, p.tranches[0]!, NOW);
    const two = await publishReport(f.official2, target, { confirm: true }, new Date(NOW.getTime() + 3_600_000));
    if (!one.ok || !two.ok) throw new Error("refused");
    expect([one.version, two.version]).toEqual([1, 2]);
    const [a, b] = [await publishedReport(one.number), await publishedReport(two.number)];
    expect(a.contentHash).not.toBe(b.contentHash);
    expect(a.pdfSha256).not.toBe(b.pdfSha256);
    expect(a.latest).toMatchObject({ number: two.number, version: 2 });
    expect(b.latest).toBeNull();
    expect(b.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await reportsOf({ round: { code: f.round.code } })).map((v) => v.number)).toEqual([two.number, one.number]);
  });
});

describe("a foundation's annual report", () => {
  it("is its managers' only, and its year's money equals the funds accounts' entries to the fen", async () => {
    const { f, trancheFen } = await fixture();
    const manager = await foundationManager(f.foundation, f.root);
    expect(await status(annualReportTarget(f.official, f.foundation.slug, "2026", NOW))).toBe(403);
    expect(await status(annualReportTarget(manager, f.foundation.slug, "2099", NOW))).toBe(404);
    const target = await annualReportTarget(manager, f.foundation.slug, "2026", NOW);
    const r = await publishReport(manager, target, { confirm: true }, NOW);
    if (!r.ok) throw new Error("refused");
    const report = await publishedReport(r.number);
    const rows = await db().$queryRaw<{ accountKind: string; kind: string; year: number; fen: bigint }[]>`
      SELECT a.kind::text AS "accountKind", t.kind, EXTRACT(YEAR FROM t."occurredAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')::int AS year, SUM(e."amountFen") AS fen
        FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId" JOIN "LedgerTransaction" t ON t.id = e."transactionId"
       WHERE a."foundationId" = ${f.foundation.id} GROUP BY 1, 2, 3`;
    const expected = annualMoney(rows.map((x) => ({ ...x, fen: Number(x.fen) })), 2026);
    expect(report.figures.annualMoney).toEqual(expected);
    const funds = await db().$queryRaw<[{ fen: bigint }]>`
      SELECT COALESCE(SUM(e."amountFen"), 0) AS fen FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a.id = e."accountId"
       WHERE a."foundationId" = ${f.foundation.id} AND a.kind IN ('FOUNDATION_AVAILABLE', 'FOUNDATION_EARMARKED')`;
    expect(report.figures.annualMoney!.closingFen).toBe(Number(funds[0].fen));
    expect(report.figures.annualMoney!.paidToGranteesFen).toBe(trancheFen);
    expect(report.sections.slice(0, 3).map((s) => s.key)).toEqual(["receipts", "uses", "fundraising"]);
    expect((await reportsOf({ foundation: { slug: f.foundation.slug }, kind: "ANNUAL" })).map((x) => x.number)).toEqual([r.number]);
  });
});

describe("showcase cases", () => {
  it("are closed projects', marked by an official of their area, public on the area's and round's pages until withdrawn with a reason, audited", async () => {
    const { f } = await fixture();
    const p = f.projects[0]!;
    const input = { storyZh: "助餐点让独居老人按时吃上热饭。", storyEn: "", outcomesZh: "服务 60 位老人。", outcomesEn: "", photoIds: [] };
    expect(await markShowcase(f.official, p.referenceNo, input, NOW)).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["showcase.notClosed"] } });
    await db().project.update({ where: { id: p.id }, data: { status: "CLOSED", closedAt: NOW } });
    expect(await status(markShowcase(f.outsider, p.referenceNo, input, NOW))).toBe(403);
    expect(await markShowcase(f.official, p.referenceNo, { ...input, photoIds: ["not-a-photo"] }, NOW)).toMatchObject({ ok: false, problem: { fieldErrors: { photoIds: ["showcase.photoUnknown"] } } });
    // slots: the counter is spread over rows; their sum is the version
    const version = async () => BigInt((await db().$queryRaw<{ version: string }[]>`SELECT sum("version")::text AS "version" FROM "PublicDataVersion"`)[0]!.version);
    const before = await version();
    expect(await markShowcase(f.official, p.referenceNo, input, NOW)).toEqual({ ok: true });
    expect(await version()).toBeGreaterThan(before);
    const area = await db().area.findUniqueOrThrow({ where: { id: f.root.id }, select: { code: true } });
    expect((await areaShowcase(area.code, null)).cases.map((c) => c.project.referenceNo)).toEqual([p.referenceNo]);
    expect((await roundShowcase(f.round.code, null)).cases.map((c) => c.storyZh)).toEqual([input.storyZh]);

    expect(await withdrawShowcase(f.official, p.referenceNo, "  ", NOW)).toMatchObject({ ok: false, problem: { fieldErrors: { reason: ["showcase.reasonRequired"] } } });
    expect(await withdrawShowcase(f.official, p.referenceNo, "照片需重新征得同意", NOW)).toEqual({ ok: true });
    expect((await areaShowcase(area.code, null)).total).toBe(0);
    const c = await db().showcaseCase.findUniqueOrThrow({ where: { projectId: p.id }, select: { id: true, withdrawReason: true } });
    expect(c.withdrawReason).toBe("照片需重新征得同意");
    expect(await db().auditLog.findMany({ where: { objectId: c.id }, orderBy: { seq: "asc" }, select: { action: true } })).toEqual([{ action: "showcase.mark" }, { action: "showcase.withdraw" }]);
    expect(await status(areaShowcase("no-such-area", null))).toBe(404);
  });
});
