import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { usccCheckChar } from "~/domain/uscc";
import { fail, invalid } from "~/lib/result";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { correctGift, giftCorrectionPage, giftNotePdf, recordGift, withdrawGift } from "~/services/partners/in-kind.server";
import {
  adoptProject,
  areaPartnersPage,
  communityPartnersOf,
  createUnit,
  editUnit,
  grantMember,
  linkSponsor,
  pairUnit,
  projectPartnersOf,
  publicUnit,
  revokeMember,
  unitManagePage,
  unpairUnit,
} from "~/services/partners/partners.server";
import { confirmWish, decideVolunteer, fulfilWish, markWish, register, takeWish, wishDetail } from "~/services/volunteers/volunteers.server";
import { person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";
import { pdfPages } from "../support/pdf";
import { fundedProject } from "../support/project-fixture";

/** A fresh, valid 统一社会信用代码 (random body, right check character). */
function newUscc(): string {
  const digits = Array.from(crypto.randomBytes(13), (b) => String(b % 10)).join("");
  const first17 = `9133${digits}`;
  return first17 + usccCheckChar(first17)!;
}

const PHONE = "13957312345";
const unitInput = (uscc = newUscc()) => ({ name: `当湖建设银行${uid()}`, uscc, intro: "驻区单位", contactName: "沈经理", contactPhone: "139 5731 2345", startsOn: "2026-01-01" });

async function setting() {
  const { communities } = await makeAreaTree(2);
  const [community, other] = communities as [(typeof communities)[0], (typeof communities)[0]];
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const otherOfficial = await person([{ role: "OFFICIAL", area: other }]);
  const input = unitInput();
  const r = await createUnit(official, community.code, input);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { community, other, official, otherOfficial, unitId: r.id, input };
}

const ledgerState = async () => ({
  report: await verifyLedger(db(), { limit: 1_000_000 }),
  totals: await db().ledgerAccountTotal.findMany({ orderBy: { accountId: "asc" } }),
  entries: await db().ledgerEntry.count(),
  transactions: await db().ledgerTransaction.count(),
});

describe("partner units (结对共建)", () => {
  it("an official registers a unit with a checked USCC and pairs it; the phone is encrypted, masked for officials, never in the audit log", async () => {
    const s = await setting();
    const row = await db().partnerUnit.findUniqueOrThrow({ where: { id: s.unitId } });
    expect(row.contactPhoneEnc).not.toContain(PHONE);
    expect(row.contactPhoneEnc).not.toContain("2345");
    const page = await areaPartnersPage(s.community.code, s.official);
    expect(page.pairings).toEqual([expect.objectContaining({ startsOn: "2026-01-01", endedOn: null, unit: expect.objectContaining({ id: s.unitId, contactPhone: "139****2345" }) })]);
    const audits = await db().auditLog.findMany({ where: { objectId: s.unitId }, select: { action: true, after: true } });
    expect(audits.map((a) => a.action)).toEqual(["partner.create"]);
    expect(JSON.stringify(audits)).not.toContain(PHONE);
    // a wrong check character, a code already registered
    const body = s.input.uscc.slice(0, 17);
    const wrong = body + (s.input.uscc[17] === "0" ? "1" : "0");
    expect(await createUnit(s.official, s.community.code, unitInput(wrong))).toEqual(invalid({ uscc: ["org.uscc.checksum"] }));
    expect(await createUnit(s.official, s.community.code, unitInput(s.input.uscc))).toEqual(invalid({ uscc: ["partners.error.usccTaken"] }));
  });

  it("authorization per object: only officials of a community the unit is paired with see and manage it", async () => {
    const s = await setting();
    const resident = await person();
    await rejectsWithStatus(areaPartnersPage(s.community.code, null), 403);
    await rejectsWithStatus(areaPartnersPage(s.community.code, resident), 403);
    await rejectsWithStatus(createUnit(s.otherOfficial, s.community.code, unitInput()), 403);
    await rejectsWithStatus(unitManagePage(s.unitId, s.otherOfficial), 403);
    await rejectsWithStatus(editUnit(s.otherOfficial, s.unitId, { ...s.input, contactPhone: "" }), 403);
    await rejectsWithStatus(grantMember(resident, s.unitId, { email: resident.email }), 403);
    await rejectsWithStatus(unitManagePage(crypto.randomUUID(), s.official), 404);
    // the other community pairs it by its code: from then on its official manages it too, and ends only its own pairing
    expect(await pairUnit(s.otherOfficial, s.other.code, { uscc: s.input.uscc, startsOn: "2026-03-01" })).toEqual({ ok: true, id: s.unitId });
    expect(await pairUnit(s.otherOfficial, s.other.code, { uscc: s.input.uscc, startsOn: "2026-03-01" })).toEqual(fail(409, "partners.error.alreadyPaired"));
    const manage = await unitManagePage(s.unitId, s.otherOfficial);
    const mine = manage.pairings.find((p) => p.mayEnd)!;
    const theirs = manage.pairings.find((p) => !p.mayEnd)!;
    await rejectsWithStatus(unpairUnit(s.otherOfficial, s.unitId, { pairingId: theirs.id, endedOn: "2026-06-01" }), 403);
    expect(await unpairUnit(s.otherOfficial, s.unitId, { pairingId: mine.id, endedOn: "2026-02-01" })).toEqual(invalid({ endedOn: ["partners.error.endBeforeStart"] }));
    expect(await unpairUnit(s.otherOfficial, s.unitId, { pairingId: mine.id, endedOn: "2026-06-01" })).toEqual({ ok: true });
    expect(await unpairUnit(s.otherOfficial, s.unitId, { pairingId: mine.id, endedOn: "2026-06-02" })).toEqual(fail(409, "partners.error.notPaired"));
    // the public community page lists units paired today only
    expect((await communityPartnersOf(s.other.code, null))!.units).toEqual([]);
    expect((await communityPartnersOf(s.community.code, null))!.units.map((u) => u.id)).toEqual([s.unitId]);
    // editing with an empty phone keeps it
    expect(await editUnit(s.official, s.unitId, { ...s.input, name: "新名称银行", contactPhone: "" })).toEqual({ ok: true });
    expect((await unitManagePage(s.unitId, s.official)).unit).toMatchObject({ name: "新名称银行", contactPhone: "139****2345" });
    expect((await db().auditLog.findMany({ where: { objectId: mine.id }, orderBy: { seq: "asc" } })).map((a) => a.action)).toEqual(["partner.pair", "partner.unpair"]);
  });

  it("a volunteer and a partner unit's member claiming one wish at once: exactly one takes it", async () => {
    const s = await setting();
    const resident = await person();
    const volunteer = await person();
    expect(await register(volunteer, s.community.code, { skills: "家电维修、理发", availability: "周末上午" })).toEqual({ ok: true });
    const v = await db().volunteer.findFirstOrThrow({ where: { userId: volunteer.id } });
    expect(await decideVolunteer(s.official, s.community.code, { volunteerId: v.id, decision: "CONFIRM" })).toEqual({ ok: true });
    const member = await person();
    expect(await grantMember(s.official, s.unitId, { email: member.email })).toEqual({ ok: true });
    for (let round = 0; round < 3; round++) {
      const need = await db().need.create({ data: { areaId: s.community.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想要一台收音机。", category: "PUBLIC_SERVICE" } });
      expect(await markWish(resident, need.number, { value: "0" })).toEqual({ ok: true });
      const results = await Promise.all([takeWish(volunteer, need.number, {}), takeWish(member, need.number, { partnerUnitId: s.unitId })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([fail(409, "volunteers.error.alreadyTaken")]);
      const wish = await db().wish.findFirstOrThrow({ where: { needId: need.id } });
      expect(wish.status).toBe("TAKEN");
      expect([wish.takerVolunteerId, wish.takerPartnerUnitId].filter(Boolean)).toHaveLength(1);
    }
  });

  it("a unit takes a wish only in a community it is paired with, by a live member; the resident confirms and the unit's hours are recorded", async () => {
    const s = await setting();
    const resident = await person();
    const member = await person();
    const need = await db().need.create({ data: { areaId: s.community.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想请人修理门锁。", category: "PUBLIC_SERVICE" } });
    const far = await db().need.create({ data: { areaId: s.other.id, authorId: resident.id, title: `微心愿${uid()}`, description: "想请人修理门锁。", category: "PUBLIC_SERVICE" } });
    await markWish(resident, need.number, { value: "0" });
    await markWish(resident, far.number, { value: "0" });
    expect(await takeWish(member, need.number, { partnerUnitId: s.unitId })).toEqual(fail(403, "partners.error.notActingFor"));
    await grantMember(s.official, s.unitId, { email: member.email });
    expect((await wishDetail(need.number, member)).allowed.partnerUnits.map((u) => u.id)).toEqual([s.unitId]);
    expect(await takeWish(member, far.number, { partnerUnitId: s.unitId })).toEqual(fail(403, "partners.error.notActingFor"));
    const memberRow = await db().partnerMember.findFirstOrThrow({ where: { unitId: s.unitId, userId: member.id } });
    expect(await revokeMember(s.official, s.unitId, { memberId: memberRow.id })).toEqual({ ok: true });
    expect(await takeWish(member, need.number, { partnerUnitId: s.unitId })).toEqual(fail(403, "partners.error.notActingFor"));
    await grantMember(s.official, s.unitId, { email: member.email });
    expect(await takeWish(member, need.number, { partnerUnitId: s.unitId })).toEqual({ ok: true });
    expect((await wishDetail(need.number, null)).wish?.taker).toMatchObject({ kind: "partnerUnit", id: s.unitId });
    expect(await fulfilWish(member, need.number, { note: "已上门修好门锁", hours: "1.5" }, [])).toEqual({ ok: true });
    expect(await confirmWish(resident, need.number)).toEqual({ ok: true });
    const hours = await db().volunteerHours.findFirstOrThrow({ where: { wish: { needId: need.id } } });
    expect(hours).toMatchObject({ partnerUnitId: s.unitId, volunteerId: null, minutes: 90 });
    const pub = await publicUnit(s.unitId);
    expect(pub.wishes.map((w) => w.number)).toEqual([need.number]);
    expect(pub.minutes).toBe(90);
    expect((await communityPartnersOf(s.community.code, null))!.units[0]!.wishes).toBe(1);
  });
});

describe("in-kind gifts (实物捐赠)", () => {
  it("recording and withdrawing in-kind gifts leaves the ledger, its verification and every balance as they were", async () => {
    const f = await fundedProject({ state: "active" });
    const official = f.communityOfficial;
    const r = await createUnit(official, f.community1.code, unitInput());
    if (!r.ok) throw new Error("unit");
    const before = await ledgerState();
    const shop = await recordGift(official, f.community1.code, { giver: "UNIT", unitId: r.id, kind: "GOODS", description: "大米 10 公斤装", quantity: "40", unitLabel: "袋", valuationBasis: "INVOICE", value: "2,400", recipient: "SHOP", receivedOn: "2026-03-01" });
    expect(shop).toEqual({ ok: true, number: expect.any(Number) });
    const toProject = await recordGift(official, f.community1.code, { giver: "NAMED", giverName: "张记五金店", kind: "SERVICE", description: "维修工具借用", quantity: "10", unitLabel: "小时", valuationBasis: "NONE", recipient: "PROJECT", projectRef: f.project.referenceNo, receivedOn: "2026-03-02" });
    expect(toProject.ok).toBe(true);
    const named = await db().inKindGift.findFirstOrThrow({ where: { giverName: "张记五金店", areaId: f.community1.id } });
    expect(await withdrawGift(official, f.community1.code, { giftId: named.id, reason: "重复登记" })).toEqual({ ok: true });
    expect(await withdrawGift(official, f.community1.code, { giftId: named.id, reason: "重复登记" })).toEqual(fail(409, "partners.error.notCurrent"));
    expect(await adoptProject(official, r.id, { projectRef: f.project.referenceNo, note: "员工志愿服务", adoptedOn: "2026-03-03" })).toEqual({ ok: true });
    const after = await ledgerState();
    expect(after).toEqual(before);
    // the register is append-only
    await expect(db().inKindGift.update({ where: { id: named.id }, data: { quantity: 1 } })).rejects.toThrow(/append-only/);
    await expect(db().inKindGift.delete({ where: { id: named.id } })).rejects.toThrow(/append-only/);
    // the pages show the current register only: the withdrawn gift is gone, the shop's goods are valued in-kind
    const project = (await projectPartnersOf(f.project.referenceNo))!;
    expect(project.gifts).toEqual([]);
    expect(project.adoptions.map((a) => a.id)).toEqual([r.id]);
    const community = (await communityPartnersOf(f.community1.code, null))!;
    expect(community.inKind).toEqual({ gifts: 1, valuedFen: 240_000, valued: 1, unvalued: 0 });
    expect(community.units[0]).toMatchObject({ inKind: { valuedFen: 240_000, valued: 1, unvalued: 0 }, adopted: [{ referenceNo: f.project.referenceNo, title: f.project.title }] });
  });

  it("the pages' totals count every current gift, however many, each unit's apart; the lists show the newest", async () => {
    const f = await fundedProject({ state: "active" });
    const official = f.communityOfficial;
    const r = await createUnit(official, f.community1.code, unitInput());
    if (!r.ok) throw new Error("unit");
    // more gifts than a page lists: 150 from the unit at ¥2.00, 30 from a named giver without a value
    const row = (i: number, unitId: string | null) => ({
      unitId, giverName: unitId ? null : "居民", kind: "GOODS" as const, description: `捐赠物资 ${i}`, quantity: 1, unitLabel: "件",
      valuationBasis: unitId ? ("AGREED" as const) : ("NONE" as const), valueFen: unitId ? 200 : null,
      areaId: f.community1.id, receivedOn: new Date(Date.UTC(2026, 2, 1) + i * 60_000), receivedById: official.id, recordedById: official.id,
    });
    await db().inKindGift.createMany({ data: [...Array.from({ length: 150 }, (_, i) => row(i, r.id)), ...Array.from({ length: 30 }, (_, i) => row(150 + i, null))] });
    // one of the unit's withdrawn: it no longer counts
    const oldest = await db().inKindGift.findFirstOrThrow({ where: { unitId: r.id, description: "捐赠物资 0" } });
    expect(await withdrawGift(official, f.community1.code, { giftId: oldest.id, reason: "登记有误" })).toEqual({ ok: true });

    const community = (await communityPartnersOf(f.community1.code, null))!;
    expect(community.inKind).toEqual({ gifts: 179, valuedFen: 149 * 200, valued: 149, unvalued: 30 });
    expect(community.units.find((u) => u.id === r.id)!.inKind).toEqual({ gifts: 149, valuedFen: 149 * 200, valued: 149, unvalued: 0 });
    expect(community.gifts[0]!.description).toBe("捐赠物资 179");
    expect((await publicUnit(r.id)).inKind).toEqual({ gifts: 149, valuedFen: 149 * 200, valued: 149, unvalued: 0 });
    expect((await publicUnit(r.id)).gifts.map((g) => g.description)).not.toContain("捐赠物资 0");
  });

  it("an in-kind gift needs a value exactly when it has a basis, from a unit paired on the day, for a project of the community", async () => {
    const s = await setting();
    const base = { giver: "UNIT", unitId: s.unitId, kind: "GOODS", description: "冬衣", quantity: "30", unitLabel: "件", recipient: "SHOP", receivedOn: "2026-02-01" };
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "MARKET" })).toEqual(invalid({ value: ["partners.error.valueRequired"] }));
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "NONE", value: "100" })).toEqual(invalid({ value: ["partners.error.valueWithoutBasis"] }));
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "NONE", quantity: "0" })).toEqual(invalid({ quantity: ["partners.error.quantity"] }));
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "NONE", receivedOn: "2025-12-01" })).toEqual(invalid({ unitId: ["partners.error.unitNotPaired"] }));
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "NONE", receivedOn: "2999-01-01" })).toEqual(invalid({ receivedOn: ["partners.error.future"] }));
    expect(await recordGift(s.official, s.community.code, { ...base, valuationBasis: "NONE", recipient: "PROJECT", projectRef: "NOPE-0001" })).toEqual(invalid({ projectRef: ["partners.error.noSuchProject"] }));
    await rejectsWithStatus(recordGift(s.otherOfficial, s.community.code, { ...base, valuationBasis: "NONE" }), 403);
  });

  it("the received-goods note is for the community's officials and the giving unit's members, and says it is not money", async () => {
    const s = await setting();
    const member = await person();
    await grantMember(s.official, s.unitId, { email: member.email });
    const r = await recordGift(s.official, s.community.code, { giver: "UNIT", unitId: s.unitId, kind: "GOODS", description: "食用油 5 升装", quantity: "12", unitLabel: "桶", valuationBasis: "MARKET", value: "960", recipient: "SHOP", receivedOn: "2026-02-10" });
    if (!r.ok) throw new Error("gift");
    const file = await giftNotePdf(s.official, r.number, "zh-CN");
    const text = (await pdfPages(file.bytes)).join("\n").replace(/\s+/g, "");
    expect(text).toContain("收货确认单");
    expect(text).toContain("食用油");
    expect(text).toContain("不是资金收据");
    expect(text).not.toContain(PHONE);
    expect((await giftNotePdf(member, r.number, "zh-CN")).bytes.equals(file.bytes)).toBe(true);
    await rejectsWithStatus(giftNotePdf(s.otherOfficial, r.number, "zh-CN"), 403);
    await rejectsWithStatus(giftNotePdf(await person(), r.number, "zh-CN"), 403);
  });

  it("public pages of units, communities and projects never carry the contact's name or phone", async () => {
    const f = await fundedProject({ state: "active" });
    const r = await createUnit(f.communityOfficial, f.community1.code, { ...unitInput(), contactName: "联系人甄某某" });
    if (!r.ok) throw new Error("unit");
    await recordGift(f.communityOfficial, f.community1.code, { giver: "UNIT", unitId: r.id, kind: "GOODS", description: "图书", quantity: "50", unitLabel: "本", valuationBasis: "AGREED", value: "1500", recipient: "PROJECT", projectRef: f.project.referenceNo, receivedOn: "2026-02-10" });
    const pages = JSON.stringify([await publicUnit(r.id), await communityPartnersOf(f.community1.code, null), await projectPartnersOf(f.project.referenceNo)]);
    expect(pages).toContain("图书");
    for (const secret of [PHONE, "139****2345", "2345", "联系人甄某某"]) expect(pages).not.toContain(secret);
  });

  it("a matching campaign's sponsor is linked to a unit only by a manager of its foundation, without touching the pool", async () => {
    const s = await setting();
    const foundation = await db().foundation.create({ data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "测试", descriptionEn: "Test", areaId: s.community.id } });
    const campaign = await db().matchingCampaign.create({
      data: { slug: `c-${uid()}`, foundationId: foundation.id, titleZh: "配捐", titleEn: "Match", descriptionZh: "配捐", descriptionEn: "Match", sponsorName: "银行", sponsorKind: "COMPANY", ratioSponsor: 1, ratioDonor: 1, startsAt: new Date("2026-01-01"), endsAt: new Date("2027-01-01") },
    });
    await rejectsWithStatus(linkSponsor(s.official, s.unitId, { campaignSlug: campaign.slug }), 403);
    const manager = await person([{ role: "OFFICIAL", area: s.community }]);
    await db().roleGrant.create({ data: { userId: manager.id, role: "FOUNDATION_MANAGER", areaId: s.community.id, foundationId: foundation.id } });
    const asManager = { ...manager, grants: [...manager.grants, { role: "FOUNDATION_MANAGER" as const, areaPath: s.community.path, areaLevel: s.community.level, foundationId: foundation.id }] };
    const before = await ledgerState();
    expect(await linkSponsor(asManager, s.unitId, { campaignSlug: campaign.slug })).toEqual({ ok: true });
    expect(await ledgerState()).toEqual(before);
    expect((await db().matchingCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).sponsorUnitId).toBe(s.unitId);
    expect((await publicUnit(s.unitId)).campaigns).toEqual([{ slug: campaign.slug, titleZh: "配捐", titleEn: "Match", matchedFen: 0 }]);
  });
});

describe("correcting in-kind gifts (更正)", () => {
  const rice = (unitId: string) => ({ giver: "UNIT", unitId, kind: "GOODS", description: "大米 10 公斤装", quantity: "40", unitLabel: "袋", valuationBasis: "INVOICE", value: "2,400", recipient: "SHOP", receivedOn: "2026-03-01" });

  it("a correction supersedes the row with the reason, keeps the history, shows as corrected on public pages and never touches the ledger", async () => {
    const f = await fundedProject({ state: "active" });
    const official = f.communityOfficial;
    const unit = await createUnit(official, f.community1.code, unitInput());
    if (!unit.ok) throw new Error("unit");
    const r = await recordGift(official, f.community1.code, rice(unit.id));
    if (!r.ok) throw new Error("gift");
    const original = await db().inKindGift.findUniqueOrThrow({ where: { number: r.number } });
    const before = await ledgerState();
    const input = { giftId: original.id, description: "大米 10 公斤装（东北）", quantity: "30", valuationBasis: "INVOICE", value: "1,800", recipient: "PROJECT", projectRef: f.project.referenceNo, reason: "点货时数量记错" };
    const c = await correctGift(official, f.community1.code, input);
    expect(c).toEqual({ ok: true, number: expect.any(Number) });
    if (!c.ok) return;
    expect(await ledgerState()).toEqual(before);
    // the old row is untouched; the new one supersedes it with the reason
    expect(await db().inKindGift.findUniqueOrThrow({ where: { id: original.id } })).toEqual(original);
    const row = await db().inKindGift.findUniqueOrThrow({ where: { number: c.number } });
    expect(row).toMatchObject({ supersedesId: original.id, withdrawn: false, correctionReason: "点货时数量记错", quantity: 30, valueFen: 180_000, forCharityShop: false, unitId: unit.id, kind: "GOODS", receivedOn: original.receivedOn });
    // correcting the old row again is refused: it is no longer current
    expect(await correctGift(official, f.community1.code, { ...input, quantity: "20" })).toEqual(fail(409, "partners.error.notCurrent"));
    // nothing changed is refused
    expect(await correctGift(official, f.community1.code, { ...input, giftId: row.id })).toEqual(fail(400, "partners.error.nothingChanged"));
    // the public pages show the corrected values, marked corrected, counted once
    const community = (await communityPartnersOf(f.community1.code, null))!;
    expect(community.gifts).toEqual([expect.objectContaining({ number: c.number, quantity: 30, valueFen: 180_000, correctedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })]);
    expect(community.inKind).toEqual({ gifts: 1, valuedFen: 180_000, valued: 1, unvalued: 0 });
    expect((await projectPartnersOf(f.project.referenceNo))!.gifts.map((g) => g.number)).toEqual([c.number]);
    expect((await publicUnit(unit.id)).gifts.map((g) => [g.number, g.correctedOn !== null])).toEqual([[c.number, true]]);
    // the history, from either number
    const page = await giftCorrectionPage(f.community1.code, r.number, official);
    expect(page.gift.number).toBe(c.number);
    expect(page.history.map((h) => [h.number, h.quantity, h.reason])).toEqual([
      [r.number, 40, null],
      [c.number, 30, "点货时数量记错"],
    ]);
    // audited with before and after
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: original.id, action: "inkind.correct" } });
    expect(log.before).toMatchObject({ number: r.number, quantity: 40, valueFen: 240_000, recipient: "SHOP", description: "大米 10 公斤装" });
    expect(log.after).toMatchObject({ number: c.number, quantity: 30, valueFen: 180_000, recipient: "PROJECT", reason: "点货时数量记错", correction: row.id });
    // the note, under the old number too, reads the current values and the correction
    for (const n of [r.number, c.number]) {
      const text = (await pdfPages((await giftNotePdf(official, n, "zh-CN")).bytes)).join("\n").replace(/\s+/g, "");
      expect(text).toContain("大米10公斤装（东北）");
      expect(text).toContain("30袋");
      expect(text).toContain("更正日期");
      expect(text).toContain(`No.${r.number}`);
      expect(text).not.toContain("40袋");
    }
    // a withdrawal of the corrected gift takes it out of every page and report; its notes stop downloading
    expect(await withdrawGift(official, f.community1.code, { giftId: original.id, reason: "整单退回" })).toEqual(fail(409, "partners.error.notCurrent"));
    expect(await withdrawGift(official, f.community1.code, { giftId: row.id, reason: "整单退回" })).toEqual({ ok: true });
    expect(await ledgerState()).toEqual(before);
    expect((await communityPartnersOf(f.community1.code, null))!.gifts).toEqual([]);
    expect((await publicUnit(unit.id)).inKind).toEqual({ gifts: 0, valuedFen: 0, valued: 0, unvalued: 0 });
    await rejectsWithStatus(giftNotePdf(official, r.number, "zh-CN"), 404);
    const withdrawnPage = await giftCorrectionPage(f.community1.code, r.number, official);
    expect(withdrawnPage.gift.withdrawn).toBe(true);
    expect(withdrawnPage.history).toHaveLength(3);
    expect(await correctGift(official, f.community1.code, { ...input, giftId: withdrawnPage.gift.id, quantity: "10" })).toEqual(fail(409, "partners.error.notCurrent"));
  });

  it("authorization per object: only an official of the receiving community corrects, and only a gift of that community", async () => {
    const s = await setting();
    const r = await recordGift(s.official, s.community.code, rice(s.unitId));
    if (!r.ok) throw new Error("gift");
    const gift = await db().inKindGift.findUniqueOrThrow({ where: { number: r.number } });
    const input = { giftId: gift.id, description: "大米", quantity: "20", valuationBasis: "MARKET", value: "1200", recipient: "SHOP", projectRef: "", reason: "数量记错" };
    await rejectsWithStatus(correctGift(s.otherOfficial, s.community.code, input), 403);
    await rejectsWithStatus(correctGift(await person(), s.community.code, input), 403);
    // through another community's address, even by its own official: not found
    await rejectsWithStatus(correctGift(s.otherOfficial, s.other.code, input), 404);
    await rejectsWithStatus(giftCorrectionPage(s.other.code, r.number, s.otherOfficial), 404);
    await rejectsWithStatus(giftCorrectionPage(s.community.code, r.number, s.otherOfficial), 403);
    await rejectsWithStatus(giftCorrectionPage(s.community.code, r.number, null), 403);
    // the rules, with what was wrong next to its field
    expect(await correctGift(s.official, s.community.code, { ...input, quantity: "0" })).toEqual(invalid({ quantity: ["partners.error.quantity"] }));
    expect(await correctGift(s.official, s.community.code, { ...input, valuationBasis: "NONE" })).toEqual(invalid({ value: ["partners.error.valueWithoutBasis"] }));
    expect(await correctGift(s.official, s.community.code, { ...input, reason: "" })).toEqual(invalid({ reason: ["validation.required"] }));
    expect(await correctGift(s.official, s.community.code, { ...input, recipient: "PROJECT", projectRef: "NOPE-0001" })).toEqual(invalid({ projectRef: ["partners.error.noSuchProject"] }));
    expect(await db().inKindGift.count({ where: { supersedesId: gift.id } })).toBe(0);
    expect(await correctGift(s.official, s.community.code, input)).toEqual({ ok: true, number: expect.any(Number) });
  });
});

