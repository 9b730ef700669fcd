import { describe, expect, it } from "vitest";
import { day } from "../support/actors";
import { db } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { noticeHash } from "~/domain/ranking-notice-hash";
import type { OrgRankingRow, Weights } from "~/domain/org-ranking";
import { httpStatusOf } from "~/lib/permissions.server";
import { dashboard } from "~/services/areas/dashboard.server";
import { areaRankingNotices, publishRankingNotice, rankingNotice } from "~/services/areas/ranking-notice.server";
import { rankingNoticePdf } from "~/services/documents/documents.server";

/**
 * Publishing the quarterly ranking (通报): only a closed quarter, by an official of the area, with a
 * note; the published notice is the final ranking as stored, fingerprinted, public, never changed;
 * publishing again is the next version, also under concurrency; every publication is audited.
 */
const QUARTER = "2026-Q4";
const DURING = new Date("2026-12-15T10:00:00+08:00");
const AFTER = new Date("2027-01-04T09:00:00+08:00");

type Fixture = Awaited<ReturnType<typeof fundedProject>>;
type Project = Fixture["projects"][number];

/** Five organizations whose spending decided in the quarter was 100 %, 80 %, 60 %, 40 %, 20 % compliant. */
async function rankedQuarter() {
  const f = await fundedProject({ count: 5 });
  for (const [i, p] of (f.projects as Project[]).entries()) {
    await db().project.update({ where: { id: p.id }, data: { countersignedAt: day("2026-11-20") } });
    for (const [k, m] of p.milestones.entries()) await db().projectMilestone.update({ where: { id: m.id }, data: { dueOn: day(`2027-0${k + 3}-15`) } });
    const share = 100 - i * 20;
    const base = { projectId: p.id, spentOn: day("2026-11-01"), payee: "超市", submittedById: f.grantee.id, decidedAt: day("2026-11-05"), budgetLineId: p.budgetLines[0]!.id };
    await db().expense.create({ data: { ...base, amountFen: share * 100, status: "APPROVED" } });
    if (share < 100) await db().expense.create({ data: { ...base, amountFen: (100 - share) * 100, status: "RETURNED" } });
  }
  const area = (await dashboard(f.official, { quarter: QUARTER }, DURING)).area.code;
  return { f, area };
}

describe("publishing the quarterly ranking", () => {
  it("refuses a running quarter, a missing note, and officials of other areas; then publishes the final ranking, fingerprinted and audited", async () => {
    const { f, area } = await rankedQuarter();
    expect(await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "说明" }, DURING)).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["rankingNotice.running"] } });
    expect(await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "  " }, AFTER)).toMatchObject({ ok: false, problem: { status: 400, formErrors: ["rankingNotice.note"] } });
    const refused = await publishRankingNotice(f.outsider, { area, quarter: QUARTER, note: "说明" }, AFTER).catch((e: unknown) => httpStatusOf(e));
    expect(refused).toBe(403);
    expect(await db().rankingNotice.count({ where: { area: { code: area } } })).toBe(0);

    const r = await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "第四季度通报：末三位组织请于一月底前提交整改说明。" }, AFTER);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.version).toBe(1);
    const n = await rankingNotice(r.number);
    // the final ranking (facts read to the quarter's end), the bottom three named
    expect(new Date(n.asOf).getTime()).toBeGreaterThanOrEqual(new Date("2027-01-01T00:00:00+08:00").getTime());
    expect(n.rows.filter((x) => x.rank !== null)).toHaveLength(5);
    expect(n.bottom).toHaveLength(3);
    expect(n.bottom).toEqual(n.rows.filter((x) => x.flagged).map((x) => x.name));
    expect(n.correctedBy).toBeNull();
    // the fingerprint is of what is stored
    const stored = await db().rankingNotice.findUniqueOrThrow({ where: { number: r.number }, include: { area: true } });
    expect(
      noticeHash({ area, quarter: QUARTER, version: 1, weights: stored.weights as unknown as Weights, rows: stored.rows as unknown as OrgRankingRow[], asOf: stored.asOf, note: stored.note, publishedAt: stored.publishedAt }),
    ).toBe(stored.contentHash);
    const audit = await db().auditLog.findFirst({ where: { action: "area.rankingNoticePublish", objectId: stored.id } });
    expect(audit?.actorId).toBe(f.official.id);
    expect(audit?.after).toMatchObject({ quarter: QUARTER, version: 1, contentHash: stored.contentHash, bottom: n.bottom });
  });

  it("is never changed: the database refuses to update or delete a published notice", async () => {
    const { f, area } = await rankedQuarter();
    const r = await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "说明" }, AFTER);
    if (!r.ok) throw new Error(JSON.stringify(r));
    await expect(db().rankingNotice.update({ where: { number: r.number }, data: { note: "改过的说明" } })).rejects.toThrow(/append-only/);
    await expect(db().rankingNotice.delete({ where: { number: r.number } })).rejects.toThrow(/append-only/);
    expect((await rankingNotice(r.number)).note).toBe("说明");
  });

  it("publishing the quarter again is a correction, the next version, also when two officials publish at once; the public list shows every version, newest first", async () => {
    const { f, area } = await rankedQuarter();
    const first = await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "第一版" }, AFTER);
    if (!first.ok) throw new Error(JSON.stringify(first));
    const both = await Promise.all([
      publishRankingNotice(f.official, { area, quarter: QUARTER, note: "更正甲" }, AFTER),
      publishRankingNotice(f.official2, { area, quarter: QUARTER, note: "更正乙" }, AFTER),
    ]);
    expect(both.map((b) => (b.ok ? b.version : null)).sort()).toEqual([2, 3]);
    const latest = both.find((b) => b.ok && b.version === 3)!;
    if (!latest.ok) throw new Error("unreachable");
    expect((await rankingNotice(first.number)).correctedBy).toEqual({ number: latest.number, version: 3 });
    const list = await areaRankingNotices(area, "1");
    expect(list.total).toBe(3);
    expect(list.notices.map((n) => n.version)).toEqual([3, 2, 1]);
    expect(list.notices[0]!.bottom).toHaveLength(3);
    // the list names the same three, in the same order, as the notice itself
    for (const n of list.notices) expect(n.bottom).toEqual((await rankingNotice(n.number)).bottom);
  });

  it("prints the same PDF bytes for the same notice, in each language", async () => {
    const { f, area } = await rankedQuarter();
    const r = await publishRankingNotice(f.official, { area, quarter: QUARTER, note: "张贴用通报" }, AFTER);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const zh = await rankingNoticePdf(r.number, "zh-CN");
    expect(zh.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(zh.filename).toBe(`${QUARTER}-${r.number}-排名通报.pdf`);
    expect((await rankingNoticePdf(r.number, "zh-CN")).bytes.equals(zh.bytes)).toBe(true);
    const en = await rankingNoticePdf(r.number, "en");
    expect(en.filename).toBe(`${QUARTER}-${r.number}-ranking-notice.pdf`);
    expect(en.bytes.equals(zh.bytes)).toBe(false);
  });

  it("answers 404 for an unknown notice or area", async () => {
    expect(await rankingNotice(2_000_000_000).catch((e: unknown) => httpStatusOf(e))).toBe(404);
    expect(await areaRankingNotices("no-such-area", null).catch((e: unknown) => httpStatusOf(e))).toBe(404);
  });
});
