import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "~/services/books/audit-verify.server";
import { audit } from "~/services/books/audit.server";
import { AUDIT_CSV_COLUMNS, auditLogCsv, listAuditLog, parseAuditFilters, verifyAuditChain, type AuditFilters } from "~/services/books/audit-log.server";
import { shanghaiDay } from "~/lib/time";
import { loader as pageLoader, action as pageAction } from "~/routes/admin.audit";
import { loader as exportLoader } from "~/routes/admin.audit.export";
import { rejectsWithStatus } from "../support/actors";
import { db, uid } from "../support/db";
import { freshDatabase, withTriggersOff, type FreshDatabase } from "../support/fresh-database";
import { BAD_CURSORS, walkKeyset } from "../support/keyset";
import { fundedProject, type ProjectFixture } from "../support/project-fixture";
import { form, outcome, signedInRequest } from "../support/requests";

type Actor = Parameters<typeof listAuditLog>[0];

let f: ProjectFixture;
/** a prefix no other test's actions start with: each test's records are found by it */
let tag: string;

beforeAll(async () => {
  f = await fundedProject({ state: "awaiting" });
  tag = `t${uid()}`;
  const write = (input: Parameters<typeof audit>[1]) => db().$transaction((tx) => audit(tx, input));
  // oldest first: a round record, a tranche and a project record of project 1 (community 1), a record with no area
  await write({ actorId: f.official.id, action: `${tag}.round.update`, objectType: "Round", objectId: f.round.id, before: { phase: "DRAFT" }, after: { phase: "NEEDS" } });
  await write({ actorId: f.grantee.id, action: `${tag}.tranche.prepare`, objectType: "Tranche", objectId: f.project.tranches[0]!.id, after: { amountFen: 300_000 } });
  await write({ actorId: f.official.id, action: `${tag}.project.close`, objectType: "Project", objectId: f.project.id, before: { status: "ACTIVE" }, after: { status: "CLOSED" } });
  await write({
    actorId: f.official.id,
    action: `${tag}.user.changed`,
    objectType: "User",
    objectId: f.nobody.id,
    before: { email: "wang.fang@example.com", name: "王芳" },
    after: { email: "li.si@example.com", name: "李四", phoneEnc: "v1:QUJD:REVG:R0hJ", sealed: "v1:QUJD:REVG:R0hJ" },
  });
});

const actions = async (actor: Actor, filters: AuditFilters = {}) =>
  (await listAuditLog(actor, { action: `${tag}.`, ...filters }, null, { per: 50 })).items.map((i) => i.action.slice(tag.length + 1));

describe("who sees which audit records", () => {
  it("the project's community 1 is where the fixture says", () => {
    expect(f.project.communityId).toBe(f.community1.id);
  });

  it("an official of the subdistrict (a top area) sees every record about it and the records with no area, newest first", async () => {
    expect(await actions(f.official)).toEqual(["user.changed", "project.close", "tranche.prepare", "round.update"]);
  });

  it("a community official sees their community's project only; the other community's official sees nothing", async () => {
    expect(await actions(f.communityOfficial)).toEqual(["project.close", "tranche.prepare"]);
    expect(await actions(f.otherCommunityOfficial)).toEqual([]);
    const page = await listAuditLog(f.communityOfficial, {}, null);
    expect(page.seesUnmapped).toBe(false);
  });

  it("an official of another subdistrict sees none of this subdistrict's records (only the records with no area, as a top-area official)", async () => {
    expect(await actions(f.outsider)).toEqual(["user.changed"]);
  });

  it("a foundation's records are its area's: the subdistrict's officials see them, an official of another tree or of a community does not", async () => {
    const own = `t${uid()}`;
    const foundation = await db().foundation.findUniqueOrThrow({ where: { id: f.foundation.id }, select: { area: { select: { path: true } } } });
    expect(foundation.area.path).toBe((await db().area.findUniqueOrThrow({ where: { id: f.round.areaId } })).path);
    await db().$transaction((tx) => audit(tx, { actorId: f.official.id, action: `${own}.foundation.update`, objectType: "Foundation", objectId: f.foundation.id, after: { receiptPrefix: "T" } }));
    const seen = async (actor: Actor) => (await listAuditLog(actor, { action: `${own}.` }, null)).items.map((i) => i.action);
    expect(await seen(f.official)).toEqual([`${own}.foundation.update`]);
    expect(await seen(f.outsider)).toEqual([]);
    expect(await seen(f.communityOfficial)).toEqual([]);
  });

  it("anyone who is no official is refused", async () => {
    await rejectsWithStatus(listAuditLog(f.nobody, {}, null), 403);
    await rejectsWithStatus(listAuditLog(f.grantee, {}, null), 403);
    await rejectsWithStatus(auditLogCsv(f.grantee, {}), 403);
    await rejectsWithStatus(verifyAuditChain(f.nobody), 403);
  });
});

describe("filters", () => {
  it("by round code: the round's records and those of its projects", async () => {
    expect(await actions(f.official, { round: f.round.code })).toEqual(["project.close", "tranche.prepare", "round.update"]);
    expect(await actions(f.official, { round: "NOPE" })).toEqual([]);
  });

  it("by project reference: the project's records and those of its tranches", async () => {
    expect(await actions(f.official, { project: f.project.referenceNo })).toEqual(["project.close", "tranche.prepare"]);
  });

  it("by person: part of the actor's e-mail or name, case-insensitive", async () => {
    expect(await actions(f.official, { person: f.grantee.email.toUpperCase() })).toEqual(["tranche.prepare"]);
    expect(await actions(f.official, { person: f.official.email.split("@")[0] })).toEqual(["user.changed", "project.close", "round.update"]);
    const named = await listAuditLog(f.official, { action: `${tag}.`, person: f.grantee.name }, null);
    expect(named.items.map((i) => i.actorName)).toContain(f.grantee.name);
    // LIKE's wildcards match only themselves
    expect(await actions(f.official, { person: "%" })).toEqual([]);
  });

  it("by action prefix and by object type", async () => {
    expect(await actions(f.official, { action: `${tag}.tranche.` })).toEqual(["tranche.prepare"]);
    expect(await actions(f.official, { action: `${tag}.round`, type: "Round" })).toEqual(["round.update"]);
    expect(await actions(f.official, { type: "Project" })).toEqual(["project.close"]);
  });

  it("by Asia/Shanghai days, both ends included", async () => {
    const today = shanghaiDay(new Date());
    const shift = (days: number) => shanghaiDay(new Date(Date.now() + days * 86_400_000));
    expect(await actions(f.official, { from: today, to: today })).toHaveLength(4);
    expect(await actions(f.official, { from: shift(1) })).toEqual([]);
    expect(await actions(f.official, { to: shift(-1) })).toEqual([]);
  });

  it("the query string is parsed leniently: blanks and malformed days are no filter", () => {
    expect(parseAuditFilters(new URLSearchParams("round=+JN7+&project=&from=2026-13-45&to=2026-12-01&type=Round"))).toEqual({ round: "JN7", to: "2026-12-01", type: "Round" });
  });

  it("shows before/after as masked changed keys, never ciphertext", async () => {
    const [user] = (await listAuditLog(f.official, { action: `${tag}.user.` }, null)).items;
    expect(user!.changes).toEqual([
      { key: "email", change: "changed", before: { text: "wa***@example.com" }, after: { text: "li***@example.com" } },
      { key: "name", change: "changed", before: { text: "王*" }, after: { text: "李*" } },
      { key: "phoneEnc", change: "added", after: { hidden: "secret" } },
      { key: "sealed", change: "added", after: { hidden: "encrypted" } },
    ]);
    expect(user!.actorEmail).toMatch(/^..\*\*\*@example\.com$/);
  });
});

describe("keyset pages", () => {
  it("walks every record once, newest first, forward and back; a bad cursor is the first page", async () => {
    const walk = `k${uid()}`;
    for (let i = 0; i < 7; i++) await db().$transaction((tx) => audit(tx, { actorId: null, action: `${walk}.step`, objectType: "Round", objectId: f.round.id, after: { i } }));
    const load = (cursor: string | null) => listAuditLog(f.official, { action: `${walk}.` }, cursor, { per: 3 });
    const { forward, back } = await walkKeyset(load);
    expect(forward.map((p) => p.length)).toEqual([3, 3, 1]);
    const seqs = forward.flat().map((i) => BigInt(i.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a > b ? -1 : 1)));
    expect(new Set(seqs).size).toBe(7);
    expect(back.flat().map((i) => i.seq)).toEqual(forward.flat().map((i) => i.seq));
    const first = await load(null);
    for (const bad of BAD_CURSORS) expect((await load(bad)).items.map((i) => i.seq)).toEqual(first.items.map((i) => i.seq));
    // a cursor of another filter is ignored too
    const other = await listAuditLog(f.official, { action: `${walk}.`, type: "Round" }, first.pager.next, { per: 3 });
    expect(other.items.map((i) => i.seq)).toEqual(first.items.map((i) => i.seq));
  });
});

async function csvOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const text = await response.text();
  return text.replace(/^\uFEFF/, "").trim().split("\r\n");
}

describe("CSV export", () => {
  it("streams the filtered log in the reader's scope, masked, and is audited", async () => {
    const lines = await csvOf(await auditLogCsv(f.official, { action: `${tag}.` }, { batchSize: 2 }));
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`${tag}.user.changed`);
    expect(lines[1]).toContain("email: wa***@example.com → li***@example.com");
    expect(lines[1]).toContain("sealed: + 〔已加密，不显示〕");
    expect(lines.join("\n")).not.toMatch(/wang\.fang|li\.si@|v1:QUJD/);
    expect(lines[4]).toContain(`phase: DRAFT → NEEDS`);
    expect(lines[4]).toContain(f.round.code);
    const logged = await db().auditLog.findFirstOrThrow({ where: { action: "audit.export", actorId: f.official.id }, orderBy: { seq: "desc" } });
    expect(logged.after).toEqual({ filters: { action: `${tag}.` } });

    const community = await csvOf(await auditLogCsv(f.communityOfficial, { action: `${tag}.` }));
    expect(community).toHaveLength(3);
    expect((await csvOf(await auditLogCsv(f.otherCommunityOfficial, { action: `${tag}.` })))).toHaveLength(1);
  });

  it("the resource route takes the page's filters from the query string", async () => {
    const response = (await exportLoader({ request: await signedInRequest(f.official.id, `/admin/audit/export?action=${tag}.tranche`), params: {}, context: {} } as never)) as Response;
    const lines = await csvOf(response);
    expect(lines).toHaveLength(2);
    expect(response.headers.get("content-disposition")).toContain("audit-log.csv");
    const refused = await outcome(async () => exportLoader({ request: await signedInRequest(f.nobody.id, "/admin/audit/export"), params: {}, context: {} } as never));
    expect(refused.status).toBe(403);
  });
});

describe("the page", () => {
  it("lists the filtered records for an official and refuses anyone else", async () => {
    const page = await outcome(async () => pageLoader({ request: await signedInRequest(f.official.id, `/admin/audit?action=${tag}.project`), params: {}, context: {} } as never));
    expect(page.status).toBe(200);
    const value = page.value as Awaited<ReturnType<typeof pageLoader>>;
    expect(value.items.map((i) => i.action)).toEqual([`${tag}.project.close`]);
    expect(value.exportHref).toBe(`/admin/audit/export?action=${tag}.project`);
    expect((await outcome(async () => pageLoader({ request: await signedInRequest(f.nobody.id, "/admin/audit"), params: {}, context: {} } as never))).status).toBe(403);
  });

  it("the verify button answers with the chain's result", async () => {
    const answer = await pageAction({ request: await signedInRequest(f.official.id, "/admin/audit", form({ intent: "verify" })), params: {}, context: {} } as never);
    expect(answer).toMatchObject({ intent: "verify", check: { records: expect.any(Number) } });
  });
});

describe("verifying the chain", () => {
  let intact: FreshDatabase;
  let tampered: FreshDatabase;
  const official = () => f.official;

  beforeAll(async () => {
    [intact, tampered] = await Promise.all([freshDatabase("auditview"), freshDatabase("auditview")]);
    for (const c of [intact.client, tampered.client]) {
      for (let i = 1; i <= 5; i++) await c.$transaction((tx) => audit(tx, { actorId: null, action: "proposal.submit", objectType: "Proposal", objectId: `p-${i}`, after: { status: "SUBMITTED", i } }));
    }
  });
  afterAll(async () => {
    await Promise.all([intact, tampered].map((d) => d?.drop()));
  });

  it("on an intact chain: intact, the records checked and the head; the run is audited", async () => {
    const head = await intact.client.auditLog.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const r = await verifyAuditChain(official(), { client: intact.client });
    expect(r).toMatchObject({ ok: true, check: { intact: true, records: 5, headSeq: head.seq.toString(), headHash: head.hash, firstBroken: null, problems: 0 } });
    const run = await intact.client.auditLog.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(run).toMatchObject({ action: "audit.verify", actorId: f.official.id, objectType: "AuditLog", objectId: head.seq.toString() });
    expect(run.after).toMatchObject({ intact: true, records: 5, headHash: head.hash });
    // the record of the run is a chain record like any other
    expect((await verifyAudit(intact.client)).problems).toEqual([]);
  });

  it("on a tampered chain: broken, at the first edited record", async () => {
    const rows = await tampered.client.auditLog.findMany({ orderBy: { seq: "asc" } });
    await withTriggersOff(tampered.url, { AuditLog: "USER" }, (c) => c.query(`UPDATE "AuditLog" SET "after" = jsonb_set("after", '{status}', '"REJECTED"') WHERE seq = $1`, [rows[2]!.seq]));
    const r = await verifyAuditChain(official(), { client: tampered.client });
    expect(r).toMatchObject({ ok: true, check: { intact: false, records: 5, firstBroken: { seq: rows[2]!.seq.toString(), kind: "content-changed" }, problems: 1 } });
    const run = await tampered.client.auditLog.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(run.after).toMatchObject({ intact: false, firstBroken: { seq: rows[2]!.seq.toString() } });
  });
});
