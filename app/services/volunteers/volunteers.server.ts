/**
 * Volunteers (志愿者报到) and small wishes (微心愿): registration and the official's decision, a
 * need marked a small wish, taken directly (认领) by a confirmed volunteer or a pairing unit,
 * fulfilled with an optional photo, confirmed or disputed by the resident who posted it, a
 * dispute ruled on by the community's official; the hours of a fulfilled wish and of a project
 * shift. Every step is one transaction with its audit record. Rules: domain/volunteers.ts.
 */
import {
  afterVolunteerDecision,
  afterWishMove,
  countsHours,
  DecideSchema,
  DisputeSchema,
  FulfilFields,
  FulfilRead,
  LimitRead,
  LimitSchema,
  MarkRead,
  markProblem,
  MarkSchema,
  mayAnswerFulfilment,
  mayDecideVolunteers,
  registrationMove,
  RegisterSchema,
  RuleSchema,
  smallWishLimit,
  smallWishProblem,
  takeProblem,
  TakeSchema,
  wishMoveFrom,
  WISH_STATUSES,
  type VolunteerStatus,
  type WishStatus,
} from "~/domain/volunteers";
import { withParams } from "~/domain/messages";
import { NEED_AREA_LEVELS } from "~/domain/needs";
import type { Actor } from "~/services/accounts/actor.server";
import { db, type Tx } from "~/lib/db.server";
import { notify } from "~/lib/notify.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { saveUpload, UploadError } from "~/lib/uploads.server";
import { audit } from "~/services/books/audit.server";
import { requireCommunityOfficial, takerIn } from "./access.server";
import { unitTakeProblem } from "~/domain/partners";

export const WISH_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const LIST_MAX = 50;

type Viewer = Pick<Actor, "id" | "grants"> | null;

const areaOf = async (code: string) => {
  const area = await db().area.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true, smallWishLimitFen: true } });
  if (!area || !(NEED_AREA_LEVELS as readonly string[]).includes(area.level)) notFound();
  return area;
};

/** Whether the page's action already read the form (a number where the form has typed text). */
const readAlready = (raw: unknown, field: string) => typeof (raw as Record<string, unknown> | null)?.[field] === "number";

const wishLink = (number: number) => `/needs/${number}/wish`;

// ───────────────────────────── reads ─────────────────────────────

/** The community's minutes of volunteer service, summed. */
async function communityMinutes(areaId: string): Promise<number> {
  const r = await db().volunteerHours.aggregate({ where: { areaId }, _sum: { minutes: true } });
  return r._sum.minutes ?? 0;
}

const wishListSelect = {
  status: true,
  valueFen: true,
  updatedAt: true,
  need: { select: { number: true, title: true } },
  takerOrganization: { select: { name: true } },
  takerPartnerUnit: { select: { id: true, name: true } },
  takerVolunteer: { select: { showOnWall: true, user: { select: { name: true } } } },
  hours: { select: { minutes: true } },
} as const;

/** Who took a wish, as the public sees it: a pairing or partner unit by name, a volunteer by name only with consent. */
function takerLabel(w: { takerOrganization: { name: string } | null; takerPartnerUnit?: { id: string; name: string } | null; takerVolunteer: { showOnWall: boolean; user: { name: string } } | null }) {
  if (w.takerPartnerUnit) return { kind: "partnerUnit" as const, name: w.takerPartnerUnit.name, id: w.takerPartnerUnit.id };
  if (w.takerOrganization) return { kind: "organization" as const, name: w.takerOrganization.name };
  if (w.takerVolunteer) return { kind: "volunteer" as const, name: w.takerVolunteer.showOnWall ? w.takerVolunteer.user.name : null };
  return null;
}

/**
 * A community's public volunteering page: wishes by state with their counts, the hours served,
 * the volunteer wall (names only of those who consented); the viewer's own registration; for its
 * officials, the registrations waiting for them.
 */
export async function communityVolunteering(code: string, viewer: Viewer) {
  const area = await areaOf(code);
  const [counts, minutes, wall, wishes] = await Promise.all([
    db().wish.groupBy({ by: ["status"], where: { areaId: area.id }, _count: { _all: true } }),
    communityMinutes(area.id),
    db().volunteer.findMany({
      where: { areaId: area.id, status: "CONFIRMED", showOnWall: true },
      select: { id: true, user: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
      take: 500,
    }),
    db().wish.findMany({ where: { areaId: area.id }, select: wishListSelect, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], take: 300 }),
  ]);
  const byStatus = Object.fromEntries(WISH_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])) as Record<WishStatus, number>;
  const confirmedVolunteers = await db().volunteer.count({ where: { areaId: area.id, status: "CONFIRMED" } });
  const official = !!viewer && mayDecideVolunteers(viewer, area.path);
  const mine = viewer
    ? await db().volunteer.findUnique({
        where: { userId_areaId: { userId: viewer.id, areaId: area.id } },
        select: { id: true, status: true, partyMember: true, partyBranch: true, skills: true, availability: true, showOnWall: true, declineReason: true },
      })
    : null;
  const pending = official
    ? await db().volunteer.findMany({
        where: { areaId: area.id, status: "PENDING" },
        select: { id: true, partyMember: true, partyBranch: true, skills: true, availability: true, createdAt: true, user: { select: { name: true, email: true } } },
        orderBy: { createdAt: "asc" },
        take: 100,
      })
    : [];
  const dto = (w: (typeof wishes)[number]) => ({
    number: w.need.number,
    title: w.need.title,
    status: w.status as WishStatus,
    valueFen: w.valueFen,
    taker: takerLabel(w),
    minutes: w.hours?.minutes ?? null,
  });
  const list = wishes.map(dto);
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    limitFen: smallWishLimit(area.smallWishLimitFen),
    counts: {
      open: byStatus.OPEN,
      taken: byStatus.TAKEN,
      fulfilled: byStatus.FULFILLED + byStatus.CONFIRMED + byStatus.DISPUTED + byStatus.RESOLVED,
      confirmed: byStatus.CONFIRMED,
      disputed: byStatus.DISPUTED,
    },
    minutes,
    volunteers: confirmedVolunteers,
    wall: wall.map((v) => ({ id: v.id, name: v.user.name })),
    open: list.filter((w) => w.status === "OPEN").slice(0, LIST_MAX),
    taken: list.filter((w) => w.status === "TAKEN").slice(0, LIST_MAX),
    done: list.filter((w) => w.status !== "OPEN" && w.status !== "TAKEN").slice(0, LIST_MAX),
    mine: mine ? { ...mine, status: mine.status as VolunteerStatus } : null,
    official,
    pending: pending.map((p) => ({ id: p.id, name: p.user.name, email: p.user.email, partyMember: p.partyMember, partyBranch: p.partyBranch, skills: p.skills, availability: p.availability, since: p.createdAt.toISOString() })),
  };
}

/**
 * A volunteer's page: their hours, entry by entry, and the total. Public when they consented to
 * the wall; otherwise only they and the community's officials see it.
 */
export async function volunteerPage(id: string, viewer: Viewer) {
  const v = await db().volunteer.findUnique({
    where: { id },
    select: {
      id: true,
      userId: true,
      status: true,
      showOnWall: true,
      partyMember: true,
      user: { select: { name: true } },
      area: { select: { code: true, nameZh: true, nameEn: true, path: true } },
      hours: {
        select: { id: true, minutes: true, servedOn: true, note: true, reversesId: true, wish: { select: { need: { select: { number: true, title: true } } } }, project: { select: { referenceNo: true, title: true } } },
        orderBy: [{ servedOn: "desc" }, { id: "asc" }],
        take: 200,
      },
    },
  });
  if (!v) notFound();
  const self = viewer?.id === v.userId;
  const official = !!viewer && mayDecideVolunteers(viewer, v.area.path);
  if (!(v.showOnWall && v.status === "CONFIRMED") && !self && !official) notFound();
  const total = await db().volunteerHours.aggregate({ where: { volunteerId: v.id }, _sum: { minutes: true } });
  return {
    volunteer: { id: v.id, name: v.user.name, status: v.status as VolunteerStatus, partyMember: self || official ? v.partyMember : null, area: { code: v.area.code, nameZh: v.area.nameZh, nameEn: v.area.nameEn } },
    minutes: total._sum.minutes ?? 0,
    entries: v.hours.map((h) => ({
      id: h.id,
      minutes: h.minutes,
      servedOn: shanghaiDay(h.servedOn),
      note: h.note,
      wish: h.wish ? h.wish.need : null,
      project: h.project,
      /** a project shift's reversal (negative minutes, the note is its reason) */
      reversal: !!h.reversesId,
    })),
  };
}

/** A need's wish page: the wish (if the need is one) and the steps the viewer may take. */
export async function wishDetail(number: number, viewer: Viewer) {
  const need = await db().need.findUnique({
    where: { number },
    select: {
      id: true,
      number: true,
      title: true,
      description: true,
      status: true,
      authorId: true,
      area: { select: { id: true, code: true, nameZh: true, nameEn: true, path: true, smallWishLimitFen: true } },
      wish: {
        select: {
          ...wishListSelect,
          takerVolunteerId: true,
          takenById: true,
          takenAt: true,
          fulfilledAt: true,
          fulfilmentNote: true,
          fulfilmentMinutes: true,
          photoUploadId: true,
          answeredAt: true,
          disputeReason: true,
          ruledAt: true,
          rulingFulfilled: true,
          rulingReason: true,
          takerVolunteer: { select: { showOnWall: true, userId: true, user: { select: { name: true } } } },
        },
      },
    },
  });
  if (!need) notFound();
  const w = need.wish;
  const official = !!viewer && mayDecideVolunteers(viewer, need.area.path);
  const taker = viewer ? await takerIn(viewer, need.area.id) : null;
  const status = w ? (w.status as WishStatus) : null;
  const isTaker = !!viewer && !!w && w.takenById === viewer.id;
  return {
    need: { number: need.number, title: need.title, description: need.description, status: need.status, area: { code: need.area.code, nameZh: need.area.nameZh, nameEn: need.area.nameEn } },
    limitFen: smallWishLimit(need.area.smallWishLimitFen),
    wish: w
      ? {
          status: status!,
          valueFen: w.valueFen,
          taker: takerLabel(w),
          takenAt: w.takenAt?.toISOString() ?? null,
          fulfilledAt: w.fulfilledAt?.toISOString() ?? null,
          fulfilmentNote: w.fulfilmentNote,
          minutes: w.fulfilmentMinutes,
          hasPhoto: !!w.photoUploadId,
          answeredAt: w.answeredAt?.toISOString() ?? null,
          disputeReason: w.disputeReason,
          ruledAt: w.ruledAt?.toISOString() ?? null,
          rulingFulfilled: w.rulingFulfilled,
          rulingReason: w.rulingReason,
          hoursRecorded: countsHours(status!, w.rulingFulfilled),
        }
      : null,
    allowed: {
      mark: !!viewer && !w && markProblem(viewer, need, need.area.path) === null,
      take: !!viewer && status === "OPEN" && need.authorId !== viewer.id,
      pairingUnits: taker?.pairingUnits ?? [],
      partnerUnits: taker?.partnerUnits ?? [],
      volunteerStatus: taker?.volunteer?.status ?? null,
      release: isTaker && status === "TAKEN",
      fulfil: isTaker && status === "TAKEN",
      answer: !!viewer && status === "FULFILLED" && mayAnswerFulfilment(viewer, need, need.area.path),
      rule: official && status === "DISPUTED",
    },
  };
}

/**
 * What the need's page says of its wish: the wish's state, or (when it is none) whether the viewer
 * may mark the need one (its author or an official of its community, while it is open).
 */
export async function wishOfNeed(number: number, viewer: Viewer): Promise<{ status: WishStatus | null; mayMark: boolean }> {
  const need = await db().need.findUnique({ where: { number }, select: { status: true, authorId: true, area: { select: { path: true } }, wish: { select: { status: true } } } });
  if (!need) return { status: null, mayMark: false };
  if (need.wish) return { status: need.wish.status as WishStatus, mayMark: false };
  return { status: null, mayMark: !!viewer && markProblem(viewer, need, need.area.path) === null };
}

/** The upload of a wish's fulfilment photo (public, as the wish is), or null. */
export async function wishPhotoUpload(number: number): Promise<string | null> {
  const w = await db().wish.findFirst({ where: { need: { number } }, select: { photoUploadId: true } });
  return w?.photoUploadId ?? null;
}

// ───────────────────────────── volunteers ─────────────────────────────

/** 报到: registers the actor as a volunteer of the community (or updates their registration). */
export async function register(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await areaOf(code);
  const parsed = RegisterSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  const data = {
    partyMember: input.partyMember,
    partyBranch: input.partyMember ? input.partyBranch : null,
    skills: input.skills,
    availability: input.availability,
    showOnWall: input.showOnWall,
  };
  return db().$transaction(async (tx): Promise<Result> => {
    // one registration per person and community, even from a double submit
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`volunteer:${actor.id}:${area.id}`}))`;
    const existing = await tx.volunteer.findUnique({ where: { userId_areaId: { userId: actor.id, areaId: area.id } }, select: { id: true, status: true, partyMember: true, partyBranch: true, skills: true, availability: true, showOnWall: true } });
    const move = registrationMove(existing ? (existing.status as VolunteerStatus) : null);
    const row = existing
      ? await tx.volunteer.update({ where: { id: existing.id }, data: { ...data, status: move.status, ...(move.status === "PENDING" && existing.status !== "PENDING" ? { decidedById: null, decidedAt: null, declineReason: null } : {}) }, select: { id: true } })
      : await tx.volunteer.create({ data: { ...data, userId: actor.id, areaId: area.id }, select: { id: true } });
    await audit(tx, {
      actorId: actor.id,
      action: move.fresh ? "volunteer.register" : "volunteer.update",
      objectType: "Volunteer",
      objectId: row.id,
      before: existing ?? undefined,
      after: { areaId: area.id, ...data, status: move.status },
    });
    return ok();
  });
}

/** The official confirms or declines a pending registration. */
export async function decideVolunteer(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await areaOf(code);
  requireCommunityOfficial(actor, area.path);
  const parsed = DecideSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { volunteerId, decision, reason } = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ id: string; status: VolunteerStatus; userId: string }[]>`
      SELECT id, status::text AS status, "userId" FROM "Volunteer" WHERE id = ${volunteerId} AND "areaId" = ${area.id} FOR UPDATE`;
    const v = rows[0];
    if (!v) notFound();
    const next = afterVolunteerDecision(v.status, decision);
    if ("problem" in next) return fail(409, next.problem);
    await tx.volunteer.update({ where: { id: v.id }, data: { status: next.status, decidedById: actor.id, decidedAt: new Date(), declineReason: decision === "DECLINE" ? reason || null : null } });
    await audit(tx, { actorId: actor.id, action: decision === "CONFIRM" ? "volunteer.confirm" : "volunteer.decline", objectType: "Volunteer", objectId: v.id, before: { status: v.status }, after: { status: next.status, reason } });
    await notify(tx, { userId: v.userId, kind: decision === "CONFIRM" ? "volunteerConfirmed" : "volunteerDeclined", params: { area: area.nameZh, reason }, link: `/areas/${area.code}/volunteers` });
    return ok();
  });
}

/**
 * The community's official sets its small-wish limit (whole yuan within the bounds). Wishes
 * already marked keep their value: the limit decides only what may be marked from now on.
 */
export async function setSmallWishLimit(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await areaOf(code);
  requireCommunityOfficial(actor, area.path);
  const parsed = (readAlready(raw, "limit") ? LimitRead : LimitSchema).safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ limit: number | null }[]>`SELECT "smallWishLimitFen" AS "limit" FROM "Area" WHERE id = ${area.id} FOR UPDATE`;
    const before = smallWishLimit(rows[0]?.limit);
    await tx.area.update({ where: { id: area.id }, data: { smallWishLimitFen: parsed.data.limit } });
    await audit(tx, { actorId: actor.id, action: "area.smallWishLimit", objectType: "Area", objectId: area.id, before: { limitFen: before }, after: { limitFen: parsed.data.limit } });
    return ok();
  });
}

// ───────────────────────────── wishes ─────────────────────────────

interface LockedWish {
  id: string;
  needId: string;
  status: WishStatus;
  areaId: string;
  areaPath: string;
  authorId: string | null;
  title: string;
  takenById: string | null;
  takerVolunteerId: string | null;
  takerOrganizationId: string | null;
  takerPartnerUnitId: string | null;
  fulfilmentMinutes: number | null;
  fulfilledAt: Date | null;
}

/** The wish of need `number`, locked (steps on one wish run one after another); 404 when there is none. */
async function lockWish(tx: Tx, number: number): Promise<LockedWish> {
  const rows = await tx.$queryRaw<LockedWish[]>`
    SELECT w.id, w."needId", w.status::text AS status, w."areaId", a.path AS "areaPath", n."authorId", n.title,
           w."takenById", w."takerVolunteerId", w."takerOrganizationId", w."takerPartnerUnitId", w."fulfilmentMinutes", w."fulfilledAt"
    FROM "Wish" w JOIN "Need" n ON n.id = w."needId" JOIN "Area" a ON a.id = w."areaId"
    WHERE n.number = ${number}
    FOR UPDATE OF w`;
  if (!rows[0]) notFound();
  return rows[0];
}

/** Marks an open need a small wish: by its author or an official of its community, under the community's limit. */
export async function markWish(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = (readAlready(raw, "value") ? MarkRead : MarkSchema).safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ id: string; status: string; authorId: string | null; areaId: string; areaPath: string; limit: number | null }[]>`
      SELECT n.id, n.status::text AS status, n."authorId", n."areaId", a.path AS "areaPath", a."smallWishLimitFen" AS "limit"
      FROM "Need" n JOIN "Area" a ON a.id = n."areaId" WHERE n.number = ${number} FOR UPDATE OF n`;
    const need = rows[0];
    if (!need) notFound();
    const who = markProblem(actor, need, need.areaPath);
    if (who === "forbidden") forbidden();
    if (!parsed.success) return fromIssues(parsed.error.issues);
    if (who) return fail(409, who);
    if (await tx.wish.findUnique({ where: { needId: need.id }, select: { id: true } })) return fail(409, "volunteers.error.alreadyWish");
    const limit = smallWishLimit(need.limit);
    const tooBig = smallWishProblem(parsed.data.value, limit);
    if (tooBig) return invalid({ value: [tooBig === "volunteers.error.tooLarge" ? withParams(tooBig, { limit: limit / 100 }) : tooBig] });
    const wish = await tx.wish.create({ data: { needId: need.id, areaId: need.areaId, valueFen: parsed.data.value, markedById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "wish.mark", objectType: "Wish", objectId: wish.id, after: { needId: need.id, valueFen: parsed.data.value, limitFen: limit } });
    return ok();
  });
}

/**
 * 认领: takes an open wish, as a confirmed volunteer or for a pairing unit. The claim is one
 * conditional UPDATE (… WHERE status = 'OPEN'): of two takers at once exactly one changes the
 * row; the other is told the wish was just taken.
 */
export async function takeWish(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = TakeSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const asOrganization = parsed.data.organizationId ?? null;
  const asUnit = asOrganization ? null : (parsed.data.partnerUnitId ?? null);
  return db().$transaction(async (tx): Promise<Result> => {
    const w = await tx.wish.findFirst({ where: { need: { number } }, select: { id: true, areaId: true, status: true, need: { select: { authorId: true, title: true } } } });
    if (!w) notFound();
    const taker = await takerIn(actor, w.areaId, tx);
    const problem = asUnit
      ? unitTakeProblem(actor.id, taker.partnerUnits.map((u) => u.id), { authorId: w.need.authorId }, asUnit)
      : takeProblem({ userId: actor.id, volunteerStatus: taker.volunteer?.status ?? null, pairingUnits: taker.pairingUnits.map((o) => o.id) }, { authorId: w.need.authorId }, asOrganization);
    if (problem) return fail(problem === "volunteers.error.ownWish" ? 409 : 403, problem);
    const takerVolunteerId = asOrganization || asUnit ? null : taker.volunteer!.id;
    const changed = await tx.$executeRaw`
      UPDATE "Wish" SET status = 'TAKEN', "takerVolunteerId" = ${takerVolunteerId}, "takerOrganizationId" = ${asOrganization}, "takerPartnerUnitId" = ${asUnit},
             "takenById" = ${actor.id}, "takenAt" = now(), "updatedAt" = now()
      WHERE id = ${w.id} AND status = ${wishMoveFrom("take")}::"WishStatus"`;
    if (changed !== 1) return fail(409, "volunteers.error.alreadyTaken");
    await audit(tx, { actorId: actor.id, action: "wish.take", objectType: "Wish", objectId: w.id, before: { status: "OPEN" }, after: { status: "TAKEN", takerVolunteerId, takerOrganizationId: asOrganization, takerPartnerUnitId: asUnit } });
    if (w.need.authorId) await notify(tx, { userId: w.need.authorId, kind: "wishTaken", params: { number, title: w.need.title }, link: wishLink(number) });
    return ok();
  });
}

/** The taker gives a taken wish back (it is open again). */
export async function releaseWish(actor: Actor, number: number): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const w = await lockWish(tx, number);
    if (w.takenById !== actor.id) forbidden();
    const next = afterWishMove(w.status, "release");
    if ("problem" in next) return fail(409, next.problem);
    await tx.wish.update({ where: { id: w.id }, data: { status: next.status, takerVolunteerId: null, takerOrganizationId: null, takerPartnerUnitId: null, takenById: null, takenAt: null } });
    await audit(tx, { actorId: actor.id, action: "wish.release", objectType: "Wish", objectId: w.id, before: { status: w.status, takerVolunteerId: w.takerVolunteerId, takerOrganizationId: w.takerOrganizationId, takerPartnerUnitId: w.takerPartnerUnitId }, after: { status: next.status } });
    return ok();
  });
}

/** The taker says the wish is fulfilled, with a note, the time it took and an optional photo. */
export async function fulfilWish(actor: Actor, number: number, raw: unknown, files: readonly File[]): Promise<Result> {
  const parsed = (readAlready(raw, "hours") ? FulfilRead : FulfilFields).safeParse(raw);
  const attached = files.filter((f) => f.size > 0 || f.name);
  try {
    return await db().$transaction(async (tx): Promise<Result> => {
      const w = await lockWish(tx, number);
      if (w.takenById !== actor.id) forbidden();
      if (!parsed.success) return fromIssues(parsed.error.issues);
      const next = afterWishMove(w.status, "fulfil");
      if ("problem" in next) return fail(409, next.problem);
      if (attached.length > 1) return invalid({ photo: ["volunteers.error.onePhoto"] });
      const photo = attached[0] ? await saveUpload(tx, { file: attached[0], kinds: ["image"], maxBytes: WISH_PHOTO_MAX_BYTES, uploaderId: actor.id }) : null;
      const { note, hours: minutes } = parsed.data;
      await tx.wish.update({ where: { id: w.id }, data: { status: next.status, fulfilledAt: new Date(), fulfilmentNote: note, fulfilmentMinutes: minutes, photoUploadId: photo?.id ?? null } });
      await audit(tx, { actorId: actor.id, action: "wish.fulfil", objectType: "Wish", objectId: w.id, before: { status: w.status }, after: { status: next.status, note, minutes, photo: photo?.id ?? null } });
      if (w.authorId) await notify(tx, { userId: w.authorId, kind: "wishFulfilled", params: { number, title: w.title }, link: wishLink(number) });
      return ok();
    });
  } catch (e) {
    if (e instanceof UploadError) return invalid({ photo: [Object.keys(e.params).length ? withParams(e.messageKey, e.params) : e.messageKey] });
    throw e;
  }
}

/** The hours of a wish that ends fulfilled: one entry, for the volunteer or the pairing unit that took it. */
async function recordWishHours(tx: Tx, actorId: string, w: LockedWish): Promise<void> {
  const minutes = w.fulfilmentMinutes!;
  const entry = await tx.volunteerHours.create({
    data: {
      areaId: w.areaId,
      volunteerId: w.takerVolunteerId,
      organizationId: w.takerOrganizationId,
      partnerUnitId: w.takerPartnerUnitId,
      minutes,
      wishId: w.id,
      servedOn: dayStart(shanghaiDay(w.fulfilledAt ?? new Date())),
      note: w.title,
      recordedById: actorId,
    },
    select: { id: true },
  });
  await audit(tx, { actorId, action: "hours.record", objectType: "VolunteerHours", objectId: entry.id, after: { wishId: w.id, volunteerId: w.takerVolunteerId, organizationId: w.takerOrganizationId, partnerUnitId: w.takerPartnerUnitId, minutes } });
}

/** The resident who posted it confirms the wish was fulfilled: the taker's hours are recorded. */
export async function confirmWish(actor: Actor, number: number): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const w = await lockWish(tx, number);
    if (!mayAnswerFulfilment(actor, w, w.areaPath)) forbidden();
    const next = afterWishMove(w.status, "confirm");
    if ("problem" in next) return fail(409, next.problem);
    await tx.wish.update({ where: { id: w.id }, data: { status: next.status, answeredAt: new Date(), answeredById: actor.id } });
    await audit(tx, { actorId: actor.id, action: "wish.confirm", objectType: "Wish", objectId: w.id, before: { status: w.status }, after: { status: next.status } });
    await recordWishHours(tx, actor.id, w);
    if (w.takenById) await notify(tx, { userId: w.takenById, kind: "wishConfirmed", params: { number, title: w.title }, link: wishLink(number) });
    return ok();
  });
}

/** The resident says it was not fulfilled (as claimed): the community's official will rule. */
export async function disputeWish(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = DisputeSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const w = await lockWish(tx, number);
    if (!mayAnswerFulfilment(actor, w, w.areaPath)) forbidden();
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const next = afterWishMove(w.status, "dispute");
    if ("problem" in next) return fail(409, next.problem);
    await tx.wish.update({ where: { id: w.id }, data: { status: next.status, answeredAt: new Date(), answeredById: actor.id, disputeReason: parsed.data.reason } });
    await audit(tx, { actorId: actor.id, action: "wish.dispute", objectType: "Wish", objectId: w.id, before: { status: w.status }, after: { status: next.status, reason: parsed.data.reason } });
    if (w.takenById) await notify(tx, { userId: w.takenById, kind: "wishDisputed", params: { number, title: w.title }, link: wishLink(number) });
    return ok();
  });
}

/** The community's official rules on a dispute: fulfilled (the hours are recorded) or not. */
export async function ruleWish(actor: Actor, number: number, raw: unknown): Promise<Result> {
  const parsed = RuleSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result> => {
    const w = await lockWish(tx, number);
    requireCommunityOfficial(actor, w.areaPath);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const next = afterWishMove(w.status, "rule");
    if ("problem" in next) return fail(409, next.problem);
    const fulfilled = parsed.data.outcome === "FULFILLED";
    await tx.wish.update({ where: { id: w.id }, data: { status: next.status, ruledAt: new Date(), ruledById: actor.id, rulingFulfilled: fulfilled, rulingReason: parsed.data.reason } });
    await audit(tx, { actorId: actor.id, action: "wish.rule", objectType: "Wish", objectId: w.id, before: { status: w.status }, after: { status: next.status, fulfilled, reason: parsed.data.reason } });
    if (fulfilled) await recordWishHours(tx, actor.id, w);
    for (const userId of new Set([w.authorId, w.takenById].filter((x): x is string => !!x))) {
      await notify(tx, { userId, kind: "wishRuled", params: { number, title: w.title }, link: wishLink(number) });
    }
    return ok();
  });
}
