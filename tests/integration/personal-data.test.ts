import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogued, looksPersonal, NOT_PERSONAL, subjectTables } from "~/domain/personal-data";
import { OPEN_DATASETS } from "~/domain/open-data";
import { queueUserEmail } from "~/lib/outbox.server";
import { storage } from "~/lib/storage.server";
import { audit, redactAudit } from "~/services/books/audit.server";
import { verifyAudit } from "~/services/books/audit-verify.server";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { datasetRows } from "~/services/public/open-data.server";
import { blockersOf, deleteOwnAccount, eraseForResident, pseudonymOf } from "~/services/privacy/erasure.server";
import { buildExport, checkExportLink, collectPersonalData, downloadExport, purgePersonalDataPastRetention, requestExport } from "~/services/privacy/export.server";
import { person } from "../support/actors";
import { clearJobQueue, db, makeAreaTree, makeUser, TEST_PASSWORD, uid } from "../support/db";
import { givingFoundation, paidGift, plainViewer } from "../support/giving-fixture";

beforeAll(clearJobQueue);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

/**
 * A resident with data in every table the catalogue calls theirs, made partly through the real
 * services (a paid gift with its ledger postings, e-mails, audit records) and partly directly.
 * Their name and address also sit where the platform wrote them before it stopped (an audit
 * record naming them, a proposal snapshot, another person's notice and e-mail).
 */
async function richResident() {
  const name = `隐私测试${uid()}`;
  const user = await makeUser({ name, email: `privacy-${uid()}@example.com` });
  const email = user.email;
  const g = await givingFoundation();
  const area = g.communities[0]!;
  const other = await makeUser({ name: "另一位居民" });

  // a paid one-time gift through checkout and the webhook: ledger postings, receipt number, receipt e-mail
  const viewer = await plainViewer(user);
  const { donation } = await paidGift(g.foundation.slug, { amount: "88", email, donorName: name, message: `来自${name}的祝福` }, viewer);
  await db().recurringGift.create({ data: { token: `rg-${uid()}`, foundationId: g.foundation.id, amountFen: 1000, donorName: name, email, userId: user.id, status: "CANCELED", canceledAt: new Date() } });

  // needs, votes, photo
  const key = `test/${uid()}.png`;
  await storage().put(key, PNG, "image/png");
  const photo = await db().upload.create({ data: { storageKey: key, originalName: "photo.png", mimeType: "image/png", sizeBytes: PNG.length, sha256: "x", uploadedById: user.id } });
  const need = await db().need.create({ data: { areaId: area.id, authorId: user.id, title: "路灯坏了", description: "请修一下", category: "PUBLIC_SERVICE", photoUploadId: photo.id } });
  await db().needVote.create({ data: { needId: need.id, userId: user.id } });
  await db().needFollow.create({ data: { needId: need.id, userId: user.id } });
  await db().needComment.create({ data: { needId: need.id, authorId: user.id, body: "我也遇到了" } });
  // a self-government role in the community, and a supervision remark on a matter of its needs
  await db().communityRoleGrant.create({ data: { userId: user.id, areaId: area.id, role: "SUPERVISOR", grantedById: other.id } });
  const matter = await db().matter.create({ data: { areaId: area.id, title: "路灯议题", rationale: "居民反映路灯损坏。", proposedById: other.id } });
  await db().matterRemark.create({ data: { matterId: matter.id, step: "PROPOSAL", authorId: user.id, body: "请尽快审议。" } });
  // an online vote as a residents' representative
  await db().matterOnlineVote.create({ data: { matterId: matter.id, userId: user.id, choice: "FOR" } });
  // a volunteer's registration (党员报到), and a small wish of another resident they took
  const volunteer = await db().volunteer.create({ data: { userId: user.id, areaId: area.id, partyMember: true, partyBranch: "第一党支部", skills: "维修", availability: "周末", status: "CONFIRMED" } });
  const wished = await db().need.create({ data: { areaId: area.id, authorId: other.id, title: "想要一台收音机", description: "听戏用", category: "PUBLIC_SERVICE" } });
  await db().wish.create({ data: { needId: wished.id, areaId: area.id, valueFen: 0, status: "TAKEN", takerVolunteerId: volunteer.id, takenById: user.id, takenAt: new Date() } });
  // a member account of a partner unit (结对单位)
  const unit = await db().partnerUnit.create({ data: { name: `共建单位${uid()}`, uscc: `U${uid()}`, contactName: "联系人", contactPhoneEnc: "x" } });
  await db().partnerMember.create({ data: { unitId: unit.id, userId: user.id } });

  // an organisation, a submitted proposal naming them, an award, a public vote and an objection
  const org = await db().organization.create({
    data: { kind: "RESIDENT_TEAM", name: `邻里小组${uid()}`, areaId: area.id, members: { create: [{ userId: user.id, name }, { name: "成员甲" }, { name: "成员乙" }] } },
  });
  const code = `P${uid().slice(0, 6).toUpperCase()}`;
  const d = (s: string) => new Date(`${s}T00:00:00+08:00`);
  const round = await db().round.create({
    data: {
      code, areaId: g.root.id, foundationId: g.foundation.id, title: "隐私测试轮次", description: "", phase: "CLOSED", categories: [], rubric: [], trancheSchedule: [],
      needsStartsAt: d("2026-01-01"), proposalsStartsAt: d("2026-02-01"), proposalsDeadline: d("2026-03-01"), screeningStartsAt: d("2026-03-02"), reviewStartsAt: d("2026-04-01"),
      noticeStartsAt: d("2026-05-01"), implementationStartsAt: d("2026-06-01"), implementationEndsAt: d("2026-12-31"), closesAt: d("2027-01-31"),
    },
  });
  const proposal = await db().proposal.create({
    data: { roundId: round.id, organizationId: org.id, createdById: user.id, title: "路灯", team: { create: [{ position: 1, name, role: "负责人" }] } },
  });
  await db().proposal.update({
    where: { id: proposal.id },
    data: { status: "SUBMITTED", referenceNo: `${code}-0001`, submittedAt: new Date(), submittedById: user.id, snapshot: { submittedBy: { id: user.id, name }, team: [{ name, role: "负责人" }] }, snapshotSha256: "0".repeat(64) },
  });
  const award = await db().award.create({ data: { roundId: round.id, proposalId: proposal.id, rank: 1, outcome: "FUNDED", awardFen: 100_000, noticeStartsAt: new Date(), noticeEndsAt: new Date() } });
  await db().publicVote.create({ data: { proposalId: proposal.id, userId: user.id, roundId: round.id } });
  await db().objection.create({ data: { roundId: round.id, awardId: award.id, proposalId: proposal.id, userId: user.id, reason: "评分不公" } });

  // a judge seat, a revoked role, an invitation to their address
  const official = await person([{ role: "OFFICIAL", area: g.root }]);
  // a training they signed up for, for their organisation, and attended
  const training = await db().training.create({
    data: { areaId: area.id, topic: "项目财务培训", trainer: "王老师", place: "社区活动室", startsAt: d("2026-03-10"), endsAt: d("2026-03-11"), capacity: 20, audience: "ALL_ORGANIZATIONS", publishedById: official.id },
  });
  await db().trainingSignup.create({ data: { trainingId: training.id, userId: user.id, organizationId: org.id, attendedAt: d("2026-03-10"), attendedVia: "MARKED", markedById: official.id } });
  await db().roundJudge.create({ data: { roundId: round.id, email, name, userId: user.id, status: "ACCEPTED", tokenHash: `t-${uid()}`, expiresAt: new Date(), invitedById: official.id } });
  await db().roleGrant.create({ data: { userId: user.id, role: "JUDGE", areaId: g.root.id, revokedAt: new Date() } });
  await db().invitation.create({ data: { email, role: "JUDGE", areaId: g.root.id, tokenHash: `i-${uid()}`, invitedById: official.id, expiresAt: new Date() } });
  // an accepted invitation to act for the partner unit
  await db().partnerInvitation.create({ data: { unitId: unit.id, email, tokenHash: `p-${uid()}`, invitedById: official.id, expiresAt: new Date(), acceptedAt: new Date(), acceptedById: user.id } });

  // sign-in history, a link, a failed-attempt counter keyed by the address
  await db().session.create({ data: { tokenHash: `s-${uid()}`, userId: user.id, expiresAt: new Date(Date.now() + 86_400_000), ip: "203.0.113.7", userAgent: "Firefox" } });
  await db().emailToken.create({ data: { kind: "RESET_PASSWORD", tokenHash: `e-${uid()}`, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  // WeChat linked, and a link to WeChat begun
  await db().wechatIdentity.create({ data: { userId: user.id, appId: "wx_test", openIdHmac: `o-${uid()}`, unionIdHmac: `u-${uid()}` } });
  await db().wechatAuthState.create({ data: { nonceHash: `n-${uid()}`, userId: user.id, redirectTo: "/account", expiresAt: new Date(Date.now() + 600_000) } });
  await db().smsCode.create({ data: { purpose: "CHANGE_PHONE", phoneHmac: `p-${uid()}`, userId: user.id, codeHash: `c-${uid()}`, expiresAt: new Date(Date.now() + 300_000) } });
  await db().rateLimitBucket.create({ data: { key: `signin:account:${email}`, count: 1, windowStart: new Date() } });

  // their inbox, their e-mail, another person's notice and e-mail naming them, audit records naming them (written before the log stopped taking names)
  await db().$transaction(async (tx) => {
    await tx.notification.create({ data: { userId: user.id, kind: "welcome", params: {} } });
    await tx.notification.create({ data: { userId: other.id, kind: "member.added", params: { who: name } } });
    await queueUserEmail(tx, { id: user.id, email, name, locale: "zh_CN" }, "reset-password", { link: "http://localhost/reset" });
    await queueUserEmail(tx, { id: other.id, email: other.email, name: `${name} 的邻居`, locale: "zh_CN" }, "reset-password", { link: "http://localhost/reset" });
    await audit(tx, { actorId: official.id, action: "judge.invite", objectType: "RoundJudge", objectId: user.id, after: { email, name } });
    await audit(tx, { actorId: user.id, action: "user.signin", objectType: "User", objectId: user.id, after: { method: "password" } });
  });
  return { user, name, email, g, official, donation, photo, proposal, other };
}

async function tableColumns() {
  return db().$queryRaw<{ table: string; column: string; type: string; refsUser: boolean }[]>`
    SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS "type",
           EXISTS (
             SELECT 1 FROM information_schema.key_column_usage k
               JOIN information_schema.referential_constraints r ON r.constraint_name = k.constraint_name AND r.constraint_schema = k.constraint_schema
               JOIN information_schema.constraint_column_usage u ON u.constraint_name = r.unique_constraint_name AND u.constraint_schema = r.unique_constraint_schema
              WHERE k.table_schema = 'public' AND k.table_name = c.table_name AND k.column_name = c.column_name AND u.table_name = 'User'
           ) AS "refsUser"
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'
     ORDER BY 1, 2`;
}

/** Every text and JSON value of every table that contains one of `needles`, as "Table.column". */
async function whereFound(needles: string[]): Promise<string[]> {
  const cols = (await tableColumns()).filter((c) => ["text", "character varying", "jsonb", "json", "ARRAY"].includes(c.type));
  const found: string[] = [];
  for (const c of cols) {
    for (const n of needles) {
      const [row] = await db().$queryRawUnsafe<{ hits: number }[]>(`SELECT count(*)::int AS hits FROM "${c.table}" WHERE strpos("${c.column}"::text, $1) > 0`, n);
      if ((row?.hits ?? 0) > 0) found.push(`${c.table}.${c.column}`);
    }
  }
  return [...new Set(found)];
}

describe("the catalogue covers the schema", () => {
  it("every column that references User, or whose name looks personal, is catalogued or listed as not personal", async () => {
    const cols = await tableColumns();
    const known = catalogued();
    const missing = cols
      .filter((c) => c.refsUser || looksPersonal(c.column))
      .map((c) => `${c.table}.${c.column}`)
      .filter((k) => !known.has(k) && !(k in NOT_PERSONAL));
    expect(missing).toEqual([]);
    // and the catalogue names no column that does not exist
    const existing = new Set(cols.map((c) => `${c.table}.${c.column}`));
    expect([...known].filter((k) => !existing.has(k))).toEqual([]);
    expect(Object.keys(NOT_PERSONAL).filter((k) => !existing.has(k))).toEqual([]);
    // the User foreign keys were found (the check above would pass vacuously otherwise)
    expect(cols.filter((c) => c.refsUser).map((c) => `${c.table}.${c.column}`)).toEqual(expect.arrayContaining(["Session.userId", "Donation.userId", "Proposal.createdById"]));
  });
});

describe("download my data", () => {
  it("the export holds every table of the catalogue that is the person's own, and their uploaded files", async () => {
    const r = await richResident();
    const requested = await requestExport({ id: r.user.id, grants: [] });
    expect(requested.ok).toBe(true);
    // one pending request at a time
    expect(await requestExport({ id: r.user.id, grants: [] })).toMatchObject({ ok: false, problem: { status: 409, formErrors: ["privacy.export.pending"] } });

    const doc = await collectPersonalData(db(), r.user.id);
    for (const t of subjectTables()) expect(doc.tables[t.table]?.length ?? 0, t.table).toBeGreaterThan(0);
    expect(doc.tables.User![0]).not.toHaveProperty("passwordHash");
    expect(doc.tables.Session![0]).toMatchObject({ ip: "203.0.113.7", userAgent: "Firefox" });
    expect(doc.tables.Session![0]).not.toHaveProperty("tokenHash");
    expect(doc.references["RoleGrant.grantedById"] ?? 0).toBe(0);

    expect(await buildExport(requested.ok ? requested.exportId : "")).toBe("built");
    const row = await db().personalDataExport.findFirstOrThrow({ where: { userId: r.user.id } });
    expect(row.status).toBe("READY");
    const zip = unzipSync((await storage().get(row.storageKey!))!);
    const data = JSON.parse(strFromU8(zip["data.json"]!));
    expect(Object.keys(data.tables).sort()).toEqual(subjectTables().map((t) => t.table).sort());
    expect(data.tables.Donation[0]).toMatchObject({ donorName: r.name, email: r.email });
    expect(zip[`files/${r.photo.id}-photo.png`]).toEqual(PNG);

    // the e-mail with the link went to the person; the request and the result are audited
    const mail = await db().emailMessage.findFirstOrThrow({ where: { userId: r.user.id, template: "data-export-ready" } });
    expect(mail.toAddress).toBe(r.email);
    const actions = (await db().auditLog.findMany({ where: { objectId: r.user.id }, orderBy: { seq: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["personalData.export.request", "personalData.export.ready"]));
  });

  it("the link works for the signed-in person only, and not after it expires; housekeeping deletes the ZIP", async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const requested = await requestExport({ id: owner.id, grants: [] });
    if (!requested.ok) throw new Error("not requested");
    await buildExport(requested.exportId);
    const mail = await db().emailMessage.findFirstOrThrow({ where: { userId: owner.id, template: "data-export-ready" } });
    const token = decodeURIComponent(/token=([^"&\s]+)/.exec(mail.text)![1]!);

    expect(await checkExportLink({ id: owner.id }, token)).toMatchObject({ ok: true });
    const wrong = await downloadExport({ id: stranger.id }, token);
    expect(wrong).toMatchObject({ ok: false, problem: { status: 404, formErrors: ["privacy.export.unknownLink"] } });
    expect(await db().auditLog.count({ where: { actorId: stranger.id, action: "personalData.export.refused" } })).toBe(1);
    const got = await downloadExport({ id: owner.id }, token);
    expect(got.ok && unzipSync(got.bytes)["data.json"]).toBeTruthy();

    const row = await db().personalDataExport.findUniqueOrThrow({ where: { id: requested.exportId } });
    const later = new Date(row.expiresAt!.getTime() + 1000);
    expect(row.expiresAt!.getTime() - row.readyAt!.getTime()).toBe(7 * 86_400_000);
    expect(await downloadExport({ id: owner.id }, token, later)).toMatchObject({ ok: false, problem: { status: 409, formErrors: ["privacy.export.expired"] } });

    await purgePersonalDataPastRetention(later);
    const purged = await db().personalDataExport.findUniqueOrThrow({ where: { id: requested.exportId } });
    expect(purged).toMatchObject({ status: "EXPIRED", tokenHash: null, storageKey: null });
    expect(await storage().get(row.storageKey!)).toBeNull();
    expect(await downloadExport({ id: owner.id }, token)).toMatchObject({ ok: false, problem: { status: 404 } });
  });
});

describe("delete my account", () => {
  it("erases the name and address everywhere, keeps gifts, ledger and audit chain sound under the pseudonym", async () => {
    const r = await richResident();
    const needles = [r.name, r.email];
    // before: the name and address are in many places, including records written before the audit log stopped taking them
    const before = await whereFound(needles);
    expect(before).toEqual(expect.arrayContaining(["User.name", "AuditLog.after", "Proposal.snapshot", "EmailMessage.html", "Notification.params", "Donation.donorName", "RoundJudge.email", "RateLimitBucket.key"]));

    const consent = await db().consent.create({ data: { kind: "PRIVACY_NOTICE", noticeVersion: "test", userId: r.user.id, ip: "198.51.100.23", userAgent: "Consenting browser" } });

    expect(await deleteOwnAccount(new Request("http://localhost/account/delete"), { id: r.user.id }, "wrong", true)).toMatchObject({ ok: false, problem: { fieldErrors: { password: ["privacy.delete.passwordWrong"] } } });
    expect(await deleteOwnAccount(new Request("http://localhost/account/delete"), { id: r.user.id }, TEST_PASSWORD, false)).toMatchObject({ ok: false, problem: { fieldErrors: { confirm: ["privacy.delete.confirmRequired"] } } });
    const done = await deleteOwnAccount(new Request("http://localhost/account/delete"), { id: r.user.id }, TEST_PASSWORD, true);
    expect(done).toMatchObject({ ok: true, pseudonym: pseudonymOf(r.user.id).name });

    expect(await whereFound(needles)).toEqual([]);
    // the consent stays as proof, without where it was given from
    expect(await db().consent.findUniqueOrThrow({ where: { id: consent.id } })).toMatchObject({ userId: r.user.id, noticeVersion: "test", ip: null, userAgent: null });
    const openData: string[] = [];
    for (const d of OPEN_DATASETS) for await (const rows of datasetRows(d.name)) openData.push(JSON.stringify(rows));
    for (const n of needles) expect(openData.join("\n")).not.toContain(n);

    const user = await db().user.findUniqueOrThrow({ where: { id: r.user.id } });
    expect(user.name).toMatch(/^已注销用户-[0-9A-Z]{6}$/);
    expect(user.deletedAt).not.toBeNull();
    expect(await db().session.count({ where: { userId: r.user.id } })).toBe(0);
    // the WeChat identity would sign the erased account in: gone, with the links begun
    expect(await db().wechatIdentity.count({ where: { userId: r.user.id } })).toBe(0);
    expect(await db().wechatAuthState.count({ where: { userId: r.user.id } })).toBe(0);
    const gift = await db().donation.findUniqueOrThrow({ where: { id: r.donation.id } });
    expect(gift).toMatchObject({ amountFen: r.donation.amountFen, receiptNo: r.donation.receiptNo, donorName: null, message: null, userId: r.user.id });
    expect(await db().upload.findUnique({ where: { id: r.photo.id } })).toBeNull();
    const proposal = await db().proposal.findUniqueOrThrow({ where: { id: r.proposal.id } });
    expect(proposal.snapshot).toMatchObject({ submittedBy: { id: r.user.id, name: user.name } });

    const ledger = await verifyLedger(db());
    expect(ledger.problems).toEqual([]);
    const chain = await verifyAudit(db());
    expect(chain.problems).toEqual([]);
    expect(await db().auditLog.count({ where: { action: "audit.redacted" } })).toBeGreaterThan(0);
    // a second deletion is refused
    expect(await eraseForResident({ id: r.official.id, grants: [{ role: "ADMIN", areaPath: "/", areaLevel: "CITY" }] }, r.user.id, "ID_CARD")).toMatchObject({ ok: false, problem: { status: 409 } });
  });

  it("refuses while a monthly gift is active or a staff role is held, saying why", async () => {
    const g = await givingFoundation();
    const donor = await makeUser();
    await db().recurringGift.create({ data: { token: `rg-${uid()}`, foundationId: g.foundation.id, amountFen: 1000, email: donor.email, userId: donor.id, status: "ACTIVE" } });
    await db().roleGrant.create({ data: { userId: donor.id, role: "JUDGE", areaId: g.root.id } });
    expect((await blockersOf(donor.id)).map((b) => b.kind)).toEqual(["staffRole", "monthlyGift"]);
    const r = await deleteOwnAccount(new Request("http://localhost/account/delete"), { id: donor.id }, TEST_PASSWORD, true);
    expect(r).toMatchObject({ ok: false, problem: { status: 409, formErrors: ["privacy.delete.blocked.staffRole", "privacy.delete.blocked.monthlyGift"] } });
    expect((await db().user.findUniqueOrThrow({ where: { id: donor.id } })).deletedAt).toBeNull();
  });
});

describe("an official acting for a resident who asks in person", () => {
  it("files an export and a deletion for a resident of their area, audited with how identity was checked; not for a resident elsewhere", async () => {
    const { root, communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: root }]);
    const elsewhere = await person([{ role: "OFFICIAL", area: (await makeAreaTree(1)).root }]);
    const resident = await makeUser({ name: `代办居民${uid()}` });
    await db().need.create({ data: { areaId: communities[0]!.id, authorId: resident.id, title: "t", description: "d", category: "PUBLIC_SERVICE" } });

    expect(await requestExport(elsewhere, { userId: resident.id, identityCheck: "ID_CARD" })).toMatchObject({ ok: false, problem: { status: 403 } });
    expect(await eraseForResident(elsewhere, resident.id, "ID_CARD")).toMatchObject({ ok: false, problem: { status: 403 } });

    const exported = await requestExport(official, { userId: resident.id, identityCheck: "HOUSEHOLD_REGISTER" });
    expect(exported.ok).toBe(true);
    const row = await db().personalDataExport.findFirstOrThrow({ where: { userId: resident.id } });
    expect(row).toMatchObject({ requestedById: official.id, identityCheck: "HOUSEHOLD_REGISTER" });
    const filed = await db().auditLog.findFirstOrThrow({ where: { objectId: resident.id, action: "personalData.export.requestOnBehalf" } });
    expect(filed).toMatchObject({ actorId: official.id, after: { identityCheck: "HOUSEHOLD_REGISTER", inPerson: true } });

    const erased = await eraseForResident(official, resident.id, "ID_CARD");
    expect(erased).toMatchObject({ ok: true });
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: resident.id, action: "user.erasedOnBehalf" } });
    expect(log).toMatchObject({ actorId: official.id, after: { identityCheck: "ID_CARD", inPerson: true } });
    // the pending export went with the account
    expect(await db().personalDataExport.count({ where: { userId: resident.id } })).toBe(0);
  });
});

describe("redacting the audit log", () => {
  it("rewrites a record's JSON only inside an erasure, and vouches for it so the chain still verifies", async () => {
    const needle = `redact-${uid()}@example.com`;
    await db().$transaction((tx) => audit(tx, { actorId: null, action: "test.redact", objectType: "Test", objectId: uid(), after: { email: needle } }));
    const row = await db().auditLog.findFirstOrThrow({ where: { action: "test.redact" }, orderBy: { seq: "desc" } });
    const seqs = await db().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.personal_data_erasure', 'on', true)`;
      return redactAudit(tx, { needles: [needle], replacement: "P", actorId: null });
    });
    expect(seqs).toEqual([row.seq.toString()]);
    expect((await db().auditLog.findUniqueOrThrow({ where: { seq: row.seq } })).after).toEqual({ email: "P" });
    expect((await verifyAudit(db())).problems).toEqual([]);
    // outside an erasure the log stays append-only
    await expect(db().$executeRaw`UPDATE "AuditLog" SET "after" = '{}'::jsonb WHERE "seq" = ${row.seq}`).rejects.toThrow(/append-only/);
  });
});
