/**
 * Partner units (结对单位): registered and paired with a community by its officials, edited,
 * unpaired (the pairing's history stays), their member accounts granted and revoked, a funded
 * project of a paired community adopted (认领), a matching campaign's sponsor linked. Every step
 * is one transaction with its audit record; the tables move the public-data version (ADR 020).
 * The contact's phone is encrypted at rest, masked for officials, never on a public page or in
 * the audit log. Rules: domain/partners.ts.
 */
import {
  AdoptSchema,
  CreateUnitSchema,
  EditUnitSchema,
  mayManageUnit,
  MemberSchema,
  PairSchema,
  RevokeMemberSchema,
  SponsorSchema,
  UnpairSchema,
  unpairProblem,
} from "~/domain/partners";
import { maskEmail, maskPhone } from "~/domain/pii";
import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { decryptPii, encryptPii } from "~/lib/pii.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { audit } from "~/services/books/audit.server";
import { canManageFoundation } from "~/services/giving/access.server";
import { communityOf, pairedToday, requireOfficialOf, requireUnitManager } from "./access.server";
import { pendingInvitations } from "./invitations.server";

type Viewer = Pick<Actor, "id" | "grants"> | null;

const LIST_MAX = 100;
const day = (d: Date | null) => shanghaiDay(d);

// ───────────────────────────── writes ─────────────────────────────

/** An official registers a unit and pairs it with their community from a day. A code already registered is paired instead. */
export async function createUnit(actor: Actor, code: string, raw: unknown): Promise<Result<{ id: string }>> {
  const area = await communityOf(code);
  requireOfficialOf(actor, area.path);
  const parsed = CreateUnitSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  return db().$transaction(async (tx): Promise<Result<{ id: string }>> => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`partner-unit:${v.uscc}`}))`;
    if (await tx.partnerUnit.findUnique({ where: { uscc: v.uscc }, select: { id: true } })) return invalid({ uscc: ["partners.error.usccTaken"] });
    const unit = await tx.partnerUnit.create({
      data: { name: v.name, uscc: v.uscc, intro: v.intro, contactName: v.contactName, contactPhoneEnc: encryptPii(v.contactPhone), createdById: actor.id },
      select: { id: true },
    });
    await audit(tx, { actorId: actor.id, action: "partner.create", objectType: "PartnerUnit", objectId: unit.id, after: { name: v.name, uscc: v.uscc, intro: v.intro, contactName: v.contactName, contactPhone: maskPhone(v.contactPhone) } });
    const pairing = await tx.partnerPairing.create({ data: { unitId: unit.id, areaId: area.id, startsOn: dayStart(v.startsOn), createdById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "partner.pair", objectType: "PartnerPairing", objectId: pairing.id, after: { unitId: unit.id, areaId: area.id, startsOn: v.startsOn } });
    return ok({ id: unit.id });
  });
}

/** An official pairs a unit registered before (found by its code) with their community. */
export async function pairUnit(actor: Actor, code: string, raw: unknown): Promise<Result<{ id: string }>> {
  const area = await communityOf(code);
  requireOfficialOf(actor, area.path);
  const parsed = PairSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  return db().$transaction(async (tx): Promise<Result<{ id: string }>> => {
    const unit = await tx.partnerUnit.findUnique({ where: { uscc: v.uscc }, select: { id: true } });
    if (!unit) return invalid({ uscc: ["partners.error.noSuchUnit"] });
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`partner-pairing:${unit.id}:${area.id}`}))`;
    if (await tx.partnerPairing.findFirst({ where: { unitId: unit.id, areaId: area.id, endedOn: null }, select: { id: true } })) return fail(409, "partners.error.alreadyPaired");
    const pairing = await tx.partnerPairing.create({ data: { unitId: unit.id, areaId: area.id, startsOn: dayStart(v.startsOn), createdById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "partner.pair", objectType: "PartnerPairing", objectId: pairing.id, after: { unitId: unit.id, areaId: area.id, startsOn: v.startsOn } });
    return ok({ id: unit.id });
  });
}

/** An official of a community the unit is paired with edits it; an empty phone field keeps the phone. */
export async function editUnit(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = EditUnitSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    const before = await tx.partnerUnit.findUniqueOrThrow({ where: { id: unitId }, select: { name: true, uscc: true, intro: true, contactName: true, contactPhoneEnc: true } });
    if (v.uscc !== before.uscc && (await tx.partnerUnit.findUnique({ where: { uscc: v.uscc }, select: { id: true } }))) return invalid({ uscc: ["partners.error.usccTaken"] });
    await tx.partnerUnit.update({
      where: { id: unitId },
      data: { name: v.name, uscc: v.uscc, intro: v.intro, contactName: v.contactName, ...(v.contactPhone ? { contactPhoneEnc: encryptPii(v.contactPhone) } : {}) },
    });
    const oldPhone = maskPhone(decryptPii(before.contactPhoneEnc));
    await audit(tx, {
      actorId: actor.id,
      action: "partner.update",
      objectType: "PartnerUnit",
      objectId: unitId,
      before: { name: before.name, uscc: before.uscc, intro: before.intro, contactName: before.contactName, contactPhone: oldPhone },
      after: { name: v.name, uscc: v.uscc, intro: v.intro, contactName: v.contactName, contactPhone: v.contactPhone ? maskPhone(v.contactPhone) : oldPhone },
    });
    return ok();
  });
}

/** An official of the pairing's community ends it on a day (the history stays). */
export async function unpairUnit(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = UnpairSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ id: string; startsOn: Date; endedOn: Date | null; areaId: string; path: string }[]>`
      SELECT p.id, p."startsOn", p."endedOn", p."areaId", a.path FROM "PartnerPairing" p JOIN "Area" a ON a.id = p."areaId"
      WHERE p.id = ${parsed.data.pairingId} AND p."unitId" = ${unitId} FOR UPDATE OF p`;
    const p = rows[0];
    if (!p) notFound();
    if (!isOfficialFor(actor, p.path)) forbidden();
    const problem = unpairProblem({ startsOn: day(p.startsOn)!, endedOn: day(p.endedOn) }, parsed.data.endedOn);
    if (problem) return problem === "partners.error.endBeforeStart" ? invalid({ endedOn: [problem] }) : fail(409, problem);
    await tx.partnerPairing.update({ where: { id: p.id }, data: { endedOn: dayStart(parsed.data.endedOn), endedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "partner.unpair", objectType: "PartnerPairing", objectId: p.id, before: { endedOn: null }, after: { unitId, areaId: p.areaId, endedOn: parsed.data.endedOn } });
    return ok();
  });
}

/** Grants an existing account (by e-mail) the right to act for the unit. */
export async function grantMember(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = MemberSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const user = await tx.user.findUnique({ where: { email: parsed.data.email }, select: { id: true } });
    if (!user) return invalid({ email: ["partners.error.noAccount"] });
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`partner-member:${unitId}:${user.id}`}))`;
    if (await tx.partnerMember.findFirst({ where: { unitId, userId: user.id, revokedAt: null }, select: { id: true } })) return fail(409, "partners.error.alreadyMember");
    const m = await tx.partnerMember.create({ data: { unitId, userId: user.id, grantedById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "partner.member.grant", objectType: "PartnerMember", objectId: m.id, after: { unitId, userId: user.id } });
    return ok();
  });
}

export async function revokeMember(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = RevokeMemberSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const m = await tx.partnerMember.findFirst({ where: { id: parsed.data.memberId, unitId }, select: { id: true, userId: true, revokedAt: true } });
    if (!m) notFound();
    if (m.revokedAt) return fail(409, "partners.error.notMember");
    await tx.partnerMember.update({ where: { id: m.id }, data: { revokedAt: new Date(), revokedById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "partner.member.revoke", objectType: "PartnerMember", objectId: m.id, before: { revokedAt: null }, after: { unitId, userId: m.userId } });
    return ok();
  });
}

/** 认领: the unit adopts a funded project of a community it is paired with today; recorded by an official of that community. */
export async function adoptProject(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = AdoptSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    const project = await tx.project.findUnique({ where: { referenceNo: v.projectRef }, select: { id: true, communityId: true, community: { select: { path: true } } } });
    if (!project?.communityId || !project.community) return invalid({ projectRef: ["partners.error.noSuchProject"] });
    if (!isOfficialFor(actor, project.community.path)) forbidden();
    if (!(await tx.partnerPairing.findFirst({ where: { unitId, ...pairedToday(project.communityId) }, select: { id: true } }))) return invalid({ projectRef: ["partners.error.projectNotPaired"] });
    if (await tx.projectAdoption.findUnique({ where: { unitId_projectId: { unitId, projectId: project.id } }, select: { id: true } })) return fail(409, "partners.error.alreadyAdopted");
    const a = await tx.projectAdoption.create({ data: { unitId, projectId: project.id, note: v.note, adoptedOn: dayStart(v.adoptedOn), createdById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "partner.adopt", objectType: "ProjectAdoption", objectId: a.id, after: { unitId, projectId: project.id, note: v.note, adoptedOn: v.adoptedOn } });
    return ok();
  });
}

/**
 * Links a matching campaign's sponsor to the unit: by a manager of the campaign's foundation who
 * also manages the unit. Only the link: the pool, its postings and the shown sponsor name stay.
 */
export async function linkSponsor(actor: Actor, unitId: string, raw: unknown): Promise<Result> {
  await requireUnitManager(actor, unitId);
  const parsed = SponsorSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const c = await tx.matchingCampaign.findUnique({ where: { slug: parsed.data.campaignSlug }, select: { id: true, sponsorUnitId: true, foundation: { select: { id: true, area: { select: { path: true } } } } } });
    if (!c) return invalid({ campaignSlug: ["partners.error.campaign"] });
    if (!canManageFoundation(actor, { id: c.foundation.id, areaPath: c.foundation.area.path })) forbidden();
    if (c.sponsorUnitId === unitId) return fail(409, "partners.error.alreadySponsor");
    await tx.matchingCampaign.update({ where: { id: c.id }, data: { sponsorUnitId: unitId } });
    await audit(tx, { actorId: actor.id, action: "partner.sponsor", objectType: "MatchingCampaign", objectId: c.id, before: { sponsorUnitId: c.sponsorUnitId }, after: { sponsorUnitId: unitId } });
    return ok();
  });
}

// ───────────────────────────── reads ─────────────────────────────

export const giftSelect = {
  id: true,
  number: true,
  supersedesId: true,
  withdrawn: true,
  kind: true,
  description: true,
  quantity: true,
  unitLabel: true,
  valuationBasis: true,
  valueFen: true,
  forCharityShop: true,
  receivedOn: true,
  createdAt: true,
  giverName: true,
  giverPublic: true,
  unit: { select: { id: true, name: true } },
  area: { select: { code: true, nameZh: true, nameEn: true } },
  project: { select: { referenceNo: true, title: true } },
} as const;

type GiftRowDb = {
  id: string;
  number: number;
  supersedesId: string | null;
  withdrawn: boolean;
  kind: "GOODS" | "SERVICE";
  description: string;
  quantity: number;
  unitLabel: string;
  valuationBasis: "MARKET" | "INVOICE" | "AGREED" | "NONE";
  valueFen: number | null;
  forCharityShop: boolean;
  receivedOn: Date;
  createdAt: Date;
  giverName: string | null;
  giverPublic: boolean;
  unit: { id: string; name: string } | null;
  area: { code: string; nameZh: string; nameEn: string };
  project: { referenceNo: string; title: string } | null;
};

/** A gift as pages show it: a named giver's name only where the giver agreed, unless `full` (officials). */
export function giftDto(g: GiftRowDb, full = false) {
  return {
    id: g.id,
    number: g.number,
    kind: g.kind,
    description: g.description,
    quantity: g.quantity,
    unitLabel: g.unitLabel,
    valuationBasis: g.valuationBasis,
    valueFen: g.valueFen,
    forCharityShop: g.forCharityShop,
    receivedOn: day(g.receivedOn)!,
    /** the day this row corrected an earlier one (已更正), or null for a gift as first recorded */
    correctedOn: g.supersedesId && !g.withdrawn ? day(g.createdAt) : null,
    giver: g.unit ? { kind: "unit" as const, id: g.unit.id, name: g.unit.name } : { kind: "named" as const, id: null, name: full || g.giverPublic ? g.giverName : null },
    area: g.area,
    project: g.project,
  };
}
export type GiftView = ReturnType<typeof giftDto>;

/**
 * The register's current gifts among those matching `where`: no row supersedes it (a correction
 * or a withdrawal, whether or not that row matches `where`) and it is no withdrawal itself.
 */
const currentWhere = (where: Prisma.InKindGiftWhereInput): Prisma.InKindGiftWhereInput => ({ AND: [where, { withdrawn: false, supersededBy: { is: null } }] });

/** The newest `take` current gifts matching `where`; what they all add up to is `inKindSums`'. */
export async function currentGiftRows(where: Prisma.InKindGiftWhereInput, take = LIST_MAX) {
  return (await db().inKindGift.findMany({ where: currentWhere(where), select: giftSelect, orderBy: [{ receivedOn: "desc" }, { number: "desc" }], take })) as GiftRowDb[];
}

/**
 * What the current gifts matching `where` add up to, counted by the database rather than from a
 * page of rows: how many, the valued ones' sum in fen, how many carry no value. Current as in
 * `currentGiftRows`: no row supersedes it (a correction or a withdrawal, wherever that row lies)
 * and it is no withdrawal itself.
 */
export async function inKindSums(where: Prisma.InKindGiftWhereInput) {
  const sums = await db().inKindGift.aggregate({ where: currentWhere(where), _count: { _all: true, valueFen: true }, _sum: { valueFen: true } });
  return sumsOf(sums._count._all, sums._count.valueFen, sums._sum.valueFen);
}

/** `inKindSums` of each giving unit's current gifts matching `where`, by the unit's id (a unit that gave nothing is absent). */
async function inKindSumsByUnit(where: Prisma.InKindGiftWhereInput) {
  const groups = await db().inKindGift.groupBy({ by: ["unitId"], where: currentWhere(where), _count: { _all: true, valueFen: true }, _sum: { valueFen: true } });
  return new Map(groups.map((g) => [g.unitId, sumsOf(g._count._all, g._count.valueFen, g._sum.valueFen)]));
}

const sumsOf = (gifts: number, valued: number, valuedFen: number | null) => ({ gifts, valuedFen: valuedFen ?? 0, valued, unvalued: gifts - valued });
const NO_GIFTS = sumsOf(0, 0, 0);

/** A community's partner units as its public page shows them: paired today, with what each gave here. */
export async function communityPartners(areaId: string) {
  const pairings = await db().partnerPairing.findMany({
    where: pairedToday(areaId),
    select: { startsOn: true, unit: { select: { id: true, name: true } } },
    orderBy: [{ startsOn: "asc" }, { id: "asc" }],
    take: LIST_MAX,
  });
  const unitIds = pairings.map((p) => p.unit.id);
  const [gifts, totals, byUnit, wishes, adoptions] = await Promise.all([
    currentGiftRows({ areaId }, 20),
    inKindSums({ areaId }),
    inKindSumsByUnit({ areaId, unitId: { in: unitIds } }),
    db().wish.groupBy({ by: ["takerPartnerUnitId"], where: { areaId, takerPartnerUnitId: { in: unitIds } }, _count: { _all: true } }),
    db().projectAdoption.findMany({ where: { unitId: { in: unitIds }, project: { communityId: areaId } }, select: { unitId: true, project: { select: { referenceNo: true, title: true } } }, orderBy: { adoptedOn: "asc" } }),
  ]);
  return {
    units: pairings.map((p) => {
      return {
        id: p.unit.id,
        name: p.unit.name,
        since: day(p.startsOn)!,
        inKind: byUnit.get(p.unit.id) ?? NO_GIFTS,
        wishes: wishes.find((w) => w.takerPartnerUnitId === p.unit.id)?._count._all ?? 0,
        adopted: adoptions.filter((a) => a.unitId === p.unit.id).map((a) => a.project),
      };
    }),
    inKind: totals,
    gifts: gifts.map((g) => giftDto(g)),
  };
}

/** A project's public page: the units that adopted it and the in-kind gifts it received. */
export async function projectPartners(projectId: string) {
  const [adoptions, gifts, inKind] = await Promise.all([
    db().projectAdoption.findMany({ where: { projectId }, select: { adoptedOn: true, note: true, unit: { select: { id: true, name: true } } }, orderBy: { adoptedOn: "asc" } }),
    currentGiftRows({ projectId }),
    inKindSums({ projectId }),
  ]);
  return {
    adoptions: adoptions.map((a) => ({ id: a.unit.id, name: a.unit.name, adoptedOn: day(a.adoptedOn)!, note: a.note })),
    gifts: gifts.map((g) => giftDto(g)),
    inKind,
  };
}

/** A unit's public page: who it is (never its contact), the communities it is paired with and all it gave. */
export async function publicUnit(id: string) {
  const unit = await db().partnerUnit.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      uscc: true,
      intro: true,
      pairings: { select: { startsOn: true, endedOn: true, area: { select: { code: true, nameZh: true, nameEn: true } } }, orderBy: [{ startsOn: "asc" }, { id: "asc" }] },
      adoptions: { select: { adoptedOn: true, note: true, project: { select: { referenceNo: true, title: true } } }, orderBy: { adoptedOn: "asc" } },
      wishesTaken: { select: { status: true, need: { select: { number: true, title: true } }, area: { select: { code: true, nameZh: true, nameEn: true } } }, orderBy: { takenAt: "desc" }, take: LIST_MAX },
      matchingCampaigns: { select: { slug: true, titleZh: true, titleEn: true, matches: { select: { matchedFen: true, returnedFen: true } } }, orderBy: { startsAt: "asc" } },
    },
  });
  if (!unit) notFound();
  const [gifts, inKind] = await Promise.all([currentGiftRows({ unitId: id }), inKindSums({ unitId: id })]);
  const hours = await db().volunteerHours.aggregate({ where: { partnerUnitId: id }, _sum: { minutes: true } });
  return {
    unit: { id: unit.id, name: unit.name, uscc: unit.uscc, intro: unit.intro },
    pairings: unit.pairings.map((p) => ({ area: p.area, startsOn: day(p.startsOn)!, endedOn: day(p.endedOn) })),
    adoptions: unit.adoptions.map((a) => ({ ...a.project, adoptedOn: day(a.adoptedOn)!, note: a.note })),
    wishes: unit.wishesTaken.map((w) => ({ number: w.need.number, title: w.need.title, status: w.status, area: w.area })),
    minutes: hours._sum.minutes ?? 0,
    campaigns: unit.matchingCampaigns.map((c) => ({ slug: c.slug, titleZh: c.titleZh, titleEn: c.titleEn, matchedFen: c.matches.reduce((s, m) => s + m.matchedFen - m.returnedFen, 0) })),
    gifts: gifts.map((g) => giftDto(g)),
    inKind,
  };
}

/** The contact as an official sees it: the name and the phone masked. */
const contactOf = (u: { contactName: string; contactPhoneEnc: string }) => ({ contactName: u.contactName, contactPhone: maskPhone(decryptPii(u.contactPhoneEnc)) });

/** A community's partner-units page, for its officials: the units paired (now and before), the gifts it received, its projects. */
export async function areaPartnersPage(code: string, viewer: Viewer) {
  const area = await communityOf(code);
  if (!viewer) forbidden();
  requireOfficialOf(viewer, area.path);
  const [pairings, gifts, inKind, projects, units] = await Promise.all([
    db().partnerPairing.findMany({
      where: { areaId: area.id },
      select: { id: true, startsOn: true, endedOn: true, unit: { select: { id: true, name: true, uscc: true, contactName: true, contactPhoneEnc: true } } },
      orderBy: [{ endedOn: { sort: "desc", nulls: "first" } }, { startsOn: "asc" }],
      take: LIST_MAX,
    }),
    currentGiftRows({ areaId: area.id }),
    inKindSums({ areaId: area.id }),
    db().project.findMany({ where: { communityId: area.id }, select: { referenceNo: true, title: true }, orderBy: { referenceNo: "asc" }, take: LIST_MAX }),
    db().partnerUnit.findMany({ where: { pairings: { some: { areaId: area.id, endedOn: null } } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    pairings: pairings.map((p) => ({ id: p.id, startsOn: day(p.startsOn)!, endedOn: day(p.endedOn), unit: { id: p.unit.id, name: p.unit.name, uscc: p.unit.uscc, ...contactOf(p.unit) } })),
    gifts: gifts.map((g) => giftDto(g, true)),
    inKind,
    projects,
    units,
    today: shanghaiDay(new Date()),
  };
}

/** A unit's management page, for officials of a community it is paired with. */
export async function unitManagePage(unitId: string, viewer: Viewer) {
  if (!viewer) forbidden();
  await requireUnitManager(viewer, unitId);
  const unit = await db().partnerUnit.findUniqueOrThrow({
    where: { id: unitId },
    select: {
      id: true,
      name: true,
      uscc: true,
      intro: true,
      contactName: true,
      contactPhoneEnc: true,
      pairings: { select: { id: true, startsOn: true, endedOn: true, area: { select: { code: true, nameZh: true, nameEn: true, path: true } } }, orderBy: [{ startsOn: "asc" }, { id: "asc" }] },
      members: { where: { revokedAt: null }, select: { id: true, createdAt: true, user: { select: { name: true, email: true } } }, orderBy: { createdAt: "asc" } },
      adoptions: { select: { adoptedOn: true, project: { select: { referenceNo: true, title: true } } }, orderBy: { adoptedOn: "asc" } },
      matchingCampaigns: { select: { slug: true, titleZh: true, titleEn: true } },
    },
  });
  const paths = unit.pairings.map((p) => p.area.path);
  const foundations = await db().foundation.findMany({ where: { campaigns: { some: { closedAt: null } } }, select: { id: true, area: { select: { path: true } }, campaigns: { where: { closedAt: null }, select: { slug: true, titleZh: true, titleEn: true, sponsorName: true, sponsorUnitId: true } } } });
  const linkable = foundations.filter((f) => canManageFoundation(viewer, { id: f.id, areaPath: f.area.path })).flatMap((f) => f.campaigns.filter((c) => c.sponsorUnitId !== unitId));
  const projects = await db().project.findMany({
    where: { community: { path: { in: paths } }, adoptions: { none: { unitId } } },
    select: { referenceNo: true, title: true },
    orderBy: { referenceNo: "asc" },
    take: LIST_MAX,
  });
  const [gifts, inKind] = await Promise.all([currentGiftRows({ unitId }), inKindSums({ unitId })]);
  return {
    unit: { id: unit.id, name: unit.name, uscc: unit.uscc, intro: unit.intro, ...contactOf(unit) },
    invitations: await pendingInvitations(unitId),
    pairings: unit.pairings.map((p) => ({ id: p.id, startsOn: day(p.startsOn)!, endedOn: day(p.endedOn), area: { code: p.area.code, nameZh: p.area.nameZh, nameEn: p.area.nameEn }, mayEnd: p.endedOn === null && isOfficialFor(viewer, p.area.path) })),
    members: unit.members.map((m) => ({ id: m.id, name: m.user.name, email: m.user.email ? maskEmail(m.user.email) : "—", since: m.createdAt.toISOString() })),
    adoptions: unit.adoptions.map((a) => ({ ...a.project, adoptedOn: day(a.adoptedOn)! })),
    campaigns: unit.matchingCampaigns,
    linkable: linkable.map((c) => ({ slug: c.slug, titleZh: c.titleZh, titleEn: c.titleEn, sponsorName: c.sponsorName })),
    projects,
    gifts: gifts.map((g) => giftDto(g, true)),
    inKind,
    mayManage: mayManageUnit(viewer, paths),
    today: shanghaiDay(new Date()),
  };
}

/**
 * The community page's partner section, by the area's code: null for an area that is no community
 * (or unknown); `official` when the viewer may manage the community's units.
 */
export async function communityPartnersOf(code: string, viewer: Viewer) {
  const area = await db().area.findUnique({ where: { code }, select: { id: true, level: true, path: true } });
  if (!area || !(area.level === "COMMUNITY" || area.level === "VILLAGE")) return null;
  return { ...(await communityPartners(area.id)), official: !!viewer && isOfficialFor(viewer, area.path) };
}

/** The project page's partner section, by the project's reference (null when unknown). */
export async function projectPartnersOf(referenceNo: string) {
  const p = await db().project.findUnique({ where: { referenceNo }, select: { id: true } });
  return p ? projectPartners(p.id) : null;
}
